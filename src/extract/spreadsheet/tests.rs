use super::sheet::a1;
use super::value::{excel_date, iso_date};
use super::*;
use crate::extract::{Located, Origin, RowCell};
use calamine::{Data, ExcelDateTime, ExcelDateTimeType};

/// Records units as (sheet!cell, text, column kind) and rows as
/// (cell, role) lists.
#[derive(Default)]
struct Record {
    units: Vec<(String, String, Option<String>)>,
    rows: Vec<Vec<(String, Option<String>)>>,
    not_covered: Vec<String>,
}

impl UnitSink for Record {
    fn unit(&mut self, l: &Located<'_>) {
        let Origin::Cell { sheet, cell } = l.origin else {
            panic!("not a cell origin")
        };
        let kind = l.unit.column_kind.map(str::to_string);
        self.units
            .push((format!("{sheet}!{cell}"), l.unit.text.to_string(), kind));
    }
    fn row(&mut self, cells: &[RowCell<'_>]) {
        self.rows.push(
            cells
                .iter()
                .map(|c| {
                    let Origin::Cell { cell, .. } = c.origin else {
                        panic!("not a cell origin")
                    };
                    (format!("{cell}={}", c.text), c.role.map(|r| r.role.clone()))
                })
                .collect(),
        );
    }
    fn not_covered(&mut self, reason: &str) {
        self.not_covered.push(reason.to_string());
    }
}

fn ctx(columns: &ColumnTable) -> Ctx<'_> {
    Ctx {
        columns,
        deadline: Box::leak(Box::new(Deadline::unlimited())),
        cells: std::cell::Cell::new(0),
    }
}

fn read(kind: SheetFormat, file: &str) -> Result<Record, ExtractError> {
    let path = format!(
        "{}/fixtures/spreadsheets/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let data = std::fs::read(path).expect("test data");
    let columns = ColumnTable::builtin();
    let mut owned = crate::extract::TestCx::new(columns, Default::default());
    let mut cx = owned.cx();
    let mut rec = Record::default();
    extract(kind, &data, &mut cx, &mut rec).map(|()| rec)
}

#[test]
fn every_format_gives_the_same_cells_rows_and_column_kinds() {
    for (kind, file) in [
        (SheetFormat::Xlsx, "locataires.xlsx"),
        (SheetFormat::Xlsx, "locataires_libreoffice.xlsx"),
        (SheetFormat::Xls, "locataires.xls"),
        (SheetFormat::Ods, "locataires.ods"),
        (SheetFormat::Xlsb, "locataires.xlsb"),
    ] {
        let rec = read(kind, file).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(rec.not_covered.is_empty(), "{file}: {:?}", rec.not_covered);
        let unit = |cell: &str| {
            rec.units
                .iter()
                .find(|u| u.0 == cell)
                .map(|u| (u.1.as_str(), u.2.as_deref()))
        };
        assert_eq!(
            unit("Locataires!C4"),
            Some(("05/12/1984", Some("birthdate")))
        );
        assert_eq!(unit("Locataires!D4"), Some(("612345678", Some("phone"))));
        assert_eq!(
            unit("Locataires!G4"),
            Some(("184127512345640", Some("nir")))
        );
        assert_eq!(unit("Locataires!H4"), Some(("01/03/2019", None)));
        assert_eq!(unit("Locataires!I4"), Some(("650.5", None)));
        // The title and the header are units without a column kind.
        assert_eq!(unit("Locataires!C3"), Some(("Date de naissance", None)));
        assert!(unit("Locataires!A1").is_some(), "{file}: title");
        assert_eq!(
            unit("Archives 2019!AB2").map(|u| u.1),
            Some(None),
            "{file}: hidden sheet"
        );
        if kind != SheetFormat::Xls {
            // xlwt stores no computed value for a formula.
            assert_eq!(
                unit("Locataires!E5"),
                Some(("sophie.martin@example.fr", Some("email")))
            );
        }
        // Every row but the headers (title, 4, 5, 6, archive's 2), with roles.
        assert_eq!(rec.rows.len(), 5, "{file}: {:?}", rec.rows);
        assert_eq!(rec.rows[0].len(), 1);
        assert_eq!(
            rec.rows[1][..2],
            [
                ("A4=DUPONT".to_string(), Some("last_name".to_string())),
                ("B4=Jean".to_string(), Some("first_name".to_string()))
            ]
        );
        assert_eq!(rec.rows[4][0].0, "A2=BERNARD");
        assert_eq!(
            rec.rows[4].last().expect("test data").0,
            "AB2=Nouvelle adresse mail : c.bernard@example.org"
        );
    }
}

#[test]
fn broken_workbooks_are_errors() {
    let err = |kind, file| read(kind, file).err().map(|e| e.to_string());
    assert_eq!(
        err(SheetFormat::Xlsx, "chiffre.xlsx").as_deref(),
        Some("encrypted xlsx: not read")
    );
    assert!(err(SheetFormat::Xlsx, "tronque.xlsx")
        .expect("test data")
        .starts_with("corrupt xlsx"));
    assert!(err(SheetFormat::Xls, "tronque.xls")
        .expect("test data")
        .starts_with("corrupt xls"));
    assert!(err(SheetFormat::Ods, "tronque.xlsx")
        .expect("test data")
        .starts_with("corrupt ods"));
    assert!(err(SheetFormat::Xlsb, "locataires.xlsx")
        .expect("test data")
        .starts_with("corrupt xlsb"));
    // An old .xls named .xlsx is read as xls.
    assert!(read(SheetFormat::Xlsx, "locataires.xls").is_ok());
}

#[test]
fn oversized_xls_dimensions_are_refused_before_calamine_reserves_them() {
    let path = format!(
        "{}/fixtures/spreadsheets/locataires.xls",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut data = std::fs::read(path).expect("test data");
    assert!(guard::biff(&data).is_ok());
    // The first sheet's DIMENSIONS record: last row + 1 = 2^31.
    let bof = memchr::memmem::find(&data, &[0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x10, 0x00]);
    let dims = memchr::memmem::find(&data[bof.expect("test data")..], &[0x00, 0x02, 0x0E, 0x00]);
    let at = bof.expect("test data") + dims.expect("test data") + 4 + 4;
    data[at..at + 4].copy_from_slice(&0x8000_0000u32.to_le_bytes());
    let mut rec = Record::default();
    let columns = ColumnTable::default();
    let err = read_bytes(SheetFormat::Xls, &data, &ctx(&columns), &mut rec).unwrap_err();
    assert!(err.to_string().contains("larger than a workbook"), "{err}");
}

#[test]
fn implausible_shared_string_count_is_refused_before_calamine_reserves_it() {
    use std::io::{Read as _, Write as _};
    let path = format!(
        "{}/fixtures/spreadsheets/locataires_libreoffice.xlsx",
        env!("CARGO_MANIFEST_DIR")
    );
    let data = std::fs::read(path).expect("test data");
    assert_eq!(guard::shared_strings(&data), Ok(()));
    // The count as written, with a space before the quote, in single
    // quotes, and after a 5 KB comment: an XML parser reads them all.
    let comment = format!("<!-- {} -->", "x".repeat(5000));
    let rewrites: [&dyn Fn(&str) -> String; 4] = [
        &|b| b.replacen("uniqueCount=\"", "uniqueCount=\"9000000000", 1),
        &|b| b.replacen("uniqueCount=\"", "uniqueCount= \"9000000000", 1),
        &|b| {
            let at = b.find("uniqueCount=\"").expect("test data");
            let end = b[at + 13..].find('"').expect("test data") + at + 13;
            format!("{}uniqueCount = '9000000000'{}", &b[..at], &b[end + 1..])
        },
        &|b| {
            let b = b.replacen("uniqueCount=\"", "uniqueCount=\"9000000000", 1);
            let at = b.find("<sst").expect("test data");
            format!("{}{comment}{}", &b[..at], &b[at..])
        },
    ];
    for rewrite in rewrites {
        let mut zin = zip::ZipArchive::new(Cursor::new(&data[..])).expect("test data");
        let mut zout = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..zin.len() {
            let mut f = zin.by_index(i).expect("test data");
            let name = f.name().expect("test data").into_owned();
            let mut body = String::new();
            f.read_to_string(&mut body).expect("test data");
            if name == "xl/sharedStrings.xml" {
                body = rewrite(&body);
            }
            zout.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("test data");
            zout.write_all(body.as_bytes()).expect("test data");
        }
        let bad = zout.finish().expect("test data").into_inner();
        let columns = ColumnTable::default();
        let err = read_bytes(
            SheetFormat::Xlsx,
            &bad,
            &ctx(&columns),
            &mut Record::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("shared strings"), "{err}");
    }
}

#[test]
fn damaged_workbooks_give_errors_not_crashes() {
    let columns = ColumnTable::default();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    for (kind, file) in [
        (SheetFormat::Xlsx, "locataires.xlsx"),
        (SheetFormat::Xls, "locataires.xls"),
        (SheetFormat::Ods, "locataires.ods"),
        (SheetFormat::Xlsb, "locataires.xlsb"),
    ] {
        let path = format!(
            "{}/fixtures/spreadsheets/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        let good = std::fs::read(path).expect("test data");
        for _ in 0..100 {
            let mut data = good.clone();
            if next() % 3 == 0 {
                data.truncate(next() % good.len());
            } else {
                for _ in 0..1 + next() % 16 {
                    let i = next() % data.len();
                    data[i] = next() as u8;
                }
            }
            let t = std::time::Instant::now();
            let _ = guarded(
                kind,
                &data,
                &columns,
                &Deadline::unlimited(),
                &mut Record::default(),
            );
            assert!(
                t.elapsed().as_secs() < 5,
                "{file}: damaged copy read slowly"
            );
        }
    }
}

#[test]
fn a1_references() {
    assert_eq!(a1(0, 0), "A1");
    assert_eq!(a1(6, 5), "F7");
    assert_eq!(a1(0, 25), "Z1");
    assert_eq!(a1(9, 26), "AA10");
    assert_eq!(a1(0, 701), "ZZ1");
    assert_eq!(a1(0, 702), "AAA1");
    assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
    assert_eq!(a1(u32::MAX, u32::MAX), "MWLQKWV4294967296");
}

#[test]
fn numbers_in_full() {
    let t = |v: Data| View::of(&v).text().expect("test data");
    assert_eq!(t(Data::Float(184127512345640.0)), "184127512345640");
    assert_eq!(t(Data::Float(612345678.0)), "612345678");
    assert_eq!(t(Data::Float(1e20)), "100000000000000000000");
    assert_eq!(t(Data::Float(12.5)), "12.5");
    assert_eq!(t(Data::Int(-3)), "-3");
    assert!(View::of(&Data::Bool(true)).text().is_none());
}

#[test]
fn dates_in_french() {
    let d = |v, t| excel_date(ExcelDateTime::new(v, t, false));
    assert_eq!(d(31021.0, ExcelDateTimeType::DateTime), "05/12/1984");
    assert_eq!(
        d(31021.5, ExcelDateTimeType::DateTime),
        "05/12/1984 12:00:00"
    );
    assert_eq!(d(0.75, ExcelDateTimeType::DateTime), "18:00:00");
    assert_eq!(d(1.5, ExcelDateTimeType::TimeDelta), "1.5");
    assert_eq!(d(-1.0, ExcelDateTimeType::DateTime), "-1");
    assert_eq!(d(1e300, ExcelDateTimeType::DateTime), 1e300.to_string());
    assert_eq!(
        excel_date(ExcelDateTime::new(
            29559.0,
            ExcelDateTimeType::DateTime,
            true
        )),
        "05/12/1984"
    );
    assert_eq!(iso_date("1984-12-05").as_deref(), Some("05/12/1984"));
    assert_eq!(
        iso_date("1984-12-05T00:00:00").as_deref(),
        Some("05/12/1984")
    );
    assert_eq!(
        iso_date("2024-03-01T08:30:00.5").as_deref(),
        Some("01/03/2024 08:30:00")
    );
    assert_eq!(iso_date("PT8H"), None);
    assert_eq!(iso_date("1984-1é-05"), None);
}

#[test]
fn an_encrypted_xls_is_reported_encrypted_not_corrupt() {
    let path = format!(
        "{}/fixtures/spreadsheets/locataires.xls",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut data = std::fs::read(path).expect("test data");
    // The globals' INTERFACEHDR record becomes FILEPASS (RC4): what
    // follows is encrypted, so the sizes the guard reads are noise (here
    // a DIMENSIONS record that would be refused as too large).
    let bof = memchr::memmem::find(&data, &[0x09, 0x08, 0x10, 0x00]).expect("test data");
    let at =
        bof + memchr::memmem::find(&data[bof..], &[0xE1, 0x00, 0x02, 0x00]).expect("test data");
    data[at..at + 6].copy_from_slice(&[0x2F, 0x00, 0x02, 0x00, 0x01, 0x00]);
    let sheet = memchr::memmem::find(&data, &[0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x10, 0x00]);
    let dims = memchr::memmem::find(
        &data[sheet.expect("test data")..],
        &[0x00, 0x02, 0x0E, 0x00],
    );
    let d = sheet.expect("test data") + dims.expect("test data") + 4 + 4;
    data[d..d + 4].copy_from_slice(&0x8000_0000u32.to_le_bytes());
    let columns = ColumnTable::default();
    let err = read_bytes(
        SheetFormat::Xls,
        &data,
        &ctx(&columns),
        &mut Record::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ExtractError::Encrypted("xls")), "{err}");
}
