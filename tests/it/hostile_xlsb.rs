//! Damaged xlsb workbooks, built record by record: each is an error record
//! and the scan goes on.

use crate::hostile_budget::{assert_neighbour_found, neighbour, values_of, zip_of};
use crate::util::{scan_revealed, Dir};

/// An xlsb record: its type and size as variable-length integers.
fn xlsb_record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut v = if typ < 0x80 {
        vec![typ as u8]
    } else {
        vec![(typ & 0x7F) as u8 | 0x80, (typ >> 7) as u8]
    };
    let mut len = data.len();
    loop {
        let b = (len & 0x7F) as u8;
        len >>= 7;
        if len == 0 {
            v.push(b);
            break;
        }
        v.push(b | 0x80);
    }
    v.extend_from_slice(data);
    v
}

/// An XLWideString: a count of UTF-16 units, then the units.
fn xlsb_wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut v = (units.len() as u32).to_le_bytes().to_vec();
    v.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    v
}

/// An xlsb workbook: sheets of (name, cell records after the row header),
/// and `names`, the defined-name records of the workbook part.
fn xlsb(sheets: &[(&str, Vec<u8>)], names: &[u8]) -> Vec<u8> {
    let mut workbook = Vec::new();
    let mut rels = String::from(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, (name, cells)) in sheets.iter().enumerate() {
        let id = format!("rId{}", i + 1);
        let mut bundle = 0u32.to_le_bytes().to_vec();
        bundle.extend((i as u32 + 1).to_le_bytes());
        bundle.extend(xlsb_wide(&id));
        bundle.extend(xlsb_wide(name));
        workbook.extend(xlsb_record(0x9C, &bundle));
        rels.push_str(&format!(
            r#"<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{}.bin"/>"#,
            i + 1
        ));
        let mut sheet = xlsb_record(0x81, &[]);
        sheet.extend(xlsb_record(0x94, &[0; 16]));
        sheet.extend(xlsb_record(0x91, &[]));
        sheet.extend(xlsb_record(0x00, &[0; 17]));
        sheet.extend_from_slice(cells);
        sheet.extend(xlsb_record(0x92, &[]));
        parts.push((format!("xl/worksheets/sheet{}.bin", i + 1), sheet));
    }
    rels.push_str("</Relationships>");
    workbook.extend(xlsb_record(0x90, &[]));
    workbook.extend_from_slice(names);
    workbook.extend(xlsb_record(0x9D, &[]));
    parts.push(("xl/workbook.bin".into(), workbook));
    parts.push(("xl/_rels/workbook.bin.rels".into(), rels.into_bytes()));
    parts.push((
        "_rels/.rels".into(),
        br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>"#.to_vec(),
    ));
    let members: Vec<(&str, &[u8])> = parts.iter().map(|(n, b)| (n.as_str(), &b[..])).collect();
    zip_of(&members, false)
}

/// A string cell (BrtCellSt) in column `col` of the current row.
fn xlsb_string_cell(col: u32, text: &str) -> Vec<u8> {
    let mut data = col.to_le_bytes().to_vec();
    data.extend([0; 4]);
    data.extend(xlsb_wide(text));
    xlsb_record(0x06, &data)
}

#[test]
fn damaged_xlsb_workbooks_are_error_records_and_the_scan_goes_on() {
    let d = Dir::new();
    neighbour(&d);
    let good = xlsb_string_cell(0, "feuille.saine@exemple.fr");
    // The same workbook reads as it should.
    d.file("sain.xlsb", xlsb(&[("Feuil1", good.clone())], &[]));
    // A defined name (BrtName) cut short: calamine 0.34 sliced past its
    // end and panicked; 0.38 says the record is too short.
    d.file(
        "nom_tronque.xlsb",
        xlsb(&[("Feuil1", good.clone())], &xlsb_record(0x27, &[0; 4])),
    );
    // A shared-string cell (BrtCellIsst) whose index is past the (empty)
    // table, on the second sheet: calamine indexes out of bounds and
    // panics; the first sheet's findings are kept.
    let mut isst = 0u32.to_le_bytes().to_vec();
    isst.extend([0; 4]);
    isst.extend(7u32.to_le_bytes());
    d.file(
        "chaine_absente.xlsb",
        xlsb(
            &[
                ("Feuil1", good.clone()),
                ("Feuil2", xlsb_record(0x07, &isst)),
            ],
            &[],
        ),
    );
    let run = scan_revealed(d.path(), &[]);
    run.assert_code(0);
    assert_eq!(values_of(&run, "sain.xlsb"), ["feuille.saine@exemple.fr"]);
    assert!(run.errors_of("sain.xlsb").is_empty());
    // A typed error, no more the catch-all of a panic.
    assert_eq!(
        run.errors_of("nom_tronque.xlsb"),
        ["corrupt xlsb: unexpected content"]
    );
    assert_eq!(
        run.errors_of("chaine_absente.xlsb"),
        ["corrupt xlsb: the workbook parser failed on damaged data"]
    );
    assert_eq!(
        values_of(&run, "chaine_absente.xlsb"),
        ["feuille.saine@exemple.fr"]
    );
    assert_neighbour_found(&run);
}
