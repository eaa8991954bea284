//! Spreadsheets: every sheet (hidden ones too) and every cell of xlsx, xlsb,
//! xls and ods workbooks, located by sheet and A1 cell; numbers stored as
//! numbers and real dates found under their headers; broken workbooks reported.
//! Fixtures: fixtures/spreadsheets/ (make_spreadsheets.py).

use crate::util::{fixtures, scan_revealed, Dir};
use std::collections::BTreeSet;
use std::io::Write;

const KINDS: &str = "email,iban,nir,phone,ip,birthdate,card";

type Found = BTreeSet<(String, String, String, String)>;

/// (kind, value, sheet, cell) of every finding.
fn found(run: &crate::util::Run) -> Found {
    run.of_type("finding")
        .iter()
        .map(|f| {
            assert_eq!(f["location"]["line"], serde_json::Value::Null);
            assert_eq!(f["location"]["page"], serde_json::Value::Null);
            let s = |v: &serde_json::Value| v.as_str().unwrap().to_string();
            (
                s(&f["kind"]),
                s(&f["value"]),
                s(&f["location"]["sheet"]),
                s(&f["location"]["cell"]),
            )
        })
        .collect()
}

fn set(items: &[(&str, &str, &str, &str)]) -> Found {
    items
        .iter()
        .map(|(k, v, s, c)| (k.to_string(), v.to_string(), s.to_string(), c.to_string()))
        .collect()
}

/// What each tenants workbook holds. Not found: the header and title, the
/// entry dates (column H, no birth context), the SIRET and dates in the
/// notes, row 6's bad-checksum IBAN, wrong-key NIR and short number.
const TENANTS: &[(&str, &str, &str, &str)] = &[
    // A real date under "Date de naissance", a phone and a NIR stored as numbers.
    ("birthdate", "1984-12-05", "Locataires", "C4"),
    ("phone", "+33612345678", "Locataires", "D4"),
    ("email", "jean.dupont@example.fr", "Locataires", "E4"),
    ("iban", "FR7630006000011234567890189", "Locataires", "F4"),
    ("nir", "184127512345640", "Locataires", "G4"),
    // The same as text; E5 is a formula's cached value.
    ("birthdate", "1990-03-12", "Locataires", "C5"),
    ("phone", "+33698765432", "Locataires", "D5"),
    ("email", "sophie.martin@example.fr", "Locataires", "E5"),
    ("iban", "FR1420041010050500013M02606", "Locataires", "F5"),
    ("nir", "290036938701295", "Locataires", "G5"),
    // The hidden sheet, with a cell beyond column Z.
    ("phone", "+33147200001", "Archives 2019", "C2"),
    ("email", "claire.bernard@example.fr", "Archives 2019", "D2"),
    ("nir", "275069205003364", "Archives 2019", "E2"),
    ("email", "c.bernard@example.org", "Archives 2019", "AB2"),
];

#[test]
fn every_format_gives_exactly_the_tenants_findings() {
    for (file, format) in [
        ("locataires.xlsx", "xlsx"),
        ("locataires_libreoffice.xlsx", "xlsx"),
        ("locataires.xlsb", "xlsb"),
        ("locataires.ods", "ods"),
        ("locataires.xls", "xls"),
    ] {
        let run = scan_revealed(
            &fixtures().join("spreadsheets").join(file),
            &["--kinds", KINDS],
        );
        run.assert_code(0);
        let mut want = set(TENANTS);
        if format == "xls" {
            // xlwt (the producer) saves no computed value for the formula.
            want.retain(|f| f.3 != "E5");
        }
        let got = found(&run);
        assert_eq!(
            got,
            want,
            "{file}: missing {:?}, extra {:?}",
            want.difference(&got).collect::<Vec<_>>(),
            got.difference(&want).collect::<Vec<_>>()
        );
        let files = run.of_type("file");
        assert_eq!(files.len(), 1);
        assert_eq!(files[0]["format"], format);
        assert!(run.of_type("error").is_empty(), "{file}: {}", run.stdout());
    }
}

#[test]
fn broken_workbooks_are_reported_and_the_scan_goes_on() {
    let dir = fixtures().join("spreadsheets");
    let run = scan_revealed(&dir, &["--kinds", KINDS, "--exclude", "*.py"]);
    run.assert_code(0);
    let errors = run.errors_by_name();
    let error = |name: &str| {
        errors
            .iter()
            .find(|e| e.0 == name)
            .map(|e| e.1.as_str())
            .unwrap_or_else(|| panic!("no error for {name}: {errors:?}"))
    };
    // An encrypted workbook is listed as skipped (`encrypted`): tests/it/legacy.rs.
    assert!(!errors.iter().any(|e| e.0 == "chiffre.xlsx"));
    assert!(error("tronque.xlsx").starts_with("corrupt xlsx: "));
    assert!(error("tronque.xls").starts_with("corrupt xls: "));
    // A PDF named .xlsx is read as a PDF: found in, or reported as a PDF.
    let pdf = "pas_un_tableur.xlsx";
    let pdf_file = run
        .of_type("file")
        .into_iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(pdf));
    match pdf_file {
        Some(f) => assert_eq!(f["format"], "pdf"),
        None => assert!(error(pdf).contains("pdf"), "{}", error(pdf)),
    }
    // The readable workbooks were all read.
    assert_eq!(
        run.of_type("file")
            .iter()
            .filter(|f| f["path"].as_str().unwrap().contains("locataires"))
            .count(),
        5
    );
    // Error messages do not quote the files' content.
    for (_, e) in &errors {
        assert!(!e.contains("example") && !e.contains("DUPONT"), "{e}");
    }
}

/// A minimal xlsx written by hand: `sheet` is the worksheet's `<sheetData>`.
fn xlsx(sheet: &str) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet}</sheetData></worksheet>"#
            ),
        ),
    ];
    for (name, body) in parts {
        z.start_file(name, opts).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn inline(cell: &str, text: &str) -> String {
    format!(r#"<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

#[test]
fn sparse_sheet_corners_are_read_without_a_dense_grid() {
    // A1 and the last cell of a sheet: a dense grid would be 17 billion cells.
    let d = Dir::new();
    let sheet = format!(
        r#"<row r="1">{}</row><row r="1048576">{}</row>"#,
        inline("A1", "jean.dupont@example.fr"),
        inline("XFD1048576", "IBAN FR7630006000011234567890189")
    );
    d.file("coins.xlsx", xlsx(&sheet));
    let run = scan_revealed(d.path(), &["--kinds", KINDS]);
    run.assert_code(0);
    assert_eq!(
        found(&run),
        set(&[
            ("email", "jean.dupont@example.fr", "Feuil1", "A1"),
            (
                "iban",
                "FR7630006000011234567890189",
                "Feuil1",
                "XFD1048576"
            ),
        ])
    );
}

#[test]
fn header_below_a_title_types_its_columns_and_numbers_keep_their_digits() {
    // Numbers as Excel stores them: a NIR and a phone in full, a date serial
    // (31021 = 05/12/1984) only under its header is a birth date.
    let d = Dir::new();
    let sheet = format!(
        r#"<row r="1">{}</row><row r="3">{}{}{}{}</row><row r="4"><c r="A4"><v>1.8412751234564E+14</v></c><c r="B4"><v>612345678</v></c><c r="C4"><v>31021</v></c><c r="D4"><v>31021</v></c></row>"#,
        inline("A1", "Export du 01/02/2024"),
        inline("A3", "N° SS"),
        inline("B3", "Tél. portable"),
        inline("C3", "Né(e) le"),
        inline("D3", "Montant"),
    );
    d.file("export.xlsx", xlsx(&sheet));
    let run = scan_revealed(d.path(), &["--kinds", KINDS]);
    run.assert_code(0);
    // Without a date style the serial is a number: not a date, as in Excel.
    assert_eq!(
        found(&run),
        set(&[
            ("nir", "184127512345640", "Feuil1", "A4"),
            ("phone", "+33612345678", "Feuil1", "B4"),
        ])
    );
}
