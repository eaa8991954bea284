//! Office files encrypted with Excel's default password (`VelvetSweatshop`,
//! which Excel uses for a write-protected workbook and opens without asking)
//! are read like their clear originals: xls RC4 and RC4 CryptoAPI, OOXML
//! Standard and Agile encryption. Another password leaves them skipped as
//! encrypted and counted as not covered. Also what calamine does not give of
//! an `ods` (cell comments, a workbook it refuses), and
//! BIFF8 strings whatever the code page record says, Excel 4.0 worksheets.
//! Fixtures: fixtures/office/make_encrypted.py, make_sheets.py.

use crate::util::{fixtures, scan_revealed, Run};
use std::collections::BTreeSet;

const KINDS: &[&str] = &["--kinds", "email,iban,nir,phone"];

/// (kind, value, sheet/part, line, column) of every finding.
fn found(run: &Run) -> BTreeSet<(String, String, String, String)> {
    run.of_type("finding")
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["value"].as_str().unwrap().to_string(),
                f["entry"].to_string(),
                f["location"].to_string(),
            )
        })
        .collect()
}

/// The `file` record's (format, status, reason) of the only file scanned.
fn file_record(run: &Run) -> (String, String, String) {
    let files = run.of_type("file");
    let f = files.last().expect("a file record");
    let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
    (s("format"), s("status"), s("reason"))
}

#[test]
fn default_password_files_read_like_their_clear_originals() {
    for (encrypted, clear, format) in [
        (
            "office/chiffre_defaut_cryptoapi.xls",
            "spreadsheets/locataires.xls",
            "xls",
        ),
        (
            "office/chiffre_defaut_rc4.xls",
            "spreadsheets/locataires.xls",
            "xls",
        ),
        (
            "office/chiffre_defaut_agile.xlsx",
            "spreadsheets/locataires.xlsx",
            "xlsx",
        ),
        (
            "office/chiffre_defaut_standard.docx",
            "office/lettre_locataire.docx",
            "docx",
        ),
    ] {
        let run = scan_revealed(&fixtures().join(encrypted), KINDS);
        let original = scan_revealed(&fixtures().join(clear), KINDS);
        let (got, want) = (found(&run), found(&original));
        assert!(want.len() >= 3, "{clear}: {want:?}");
        assert_eq!(got, want, "{encrypted}");
        // Read whole: a file record only for its findings, without status.
        assert_eq!(file_record(&run), (format.into(), "".into(), "".into()));
    }
}

#[test]
fn other_passwords_stay_encrypted_and_not_covered() {
    for (file, format) in [
        ("office/chiffre_secret_cryptoapi.xls", "xls"),
        ("office/chiffre_secret_standard.docx", "docx"),
    ] {
        let run = scan_revealed(&fixtures().join(file), KINDS);
        run.assert_code(1);
        assert!(run.of_type("finding").is_empty(), "{file}");
        assert_eq!(
            file_record(&run),
            (format.into(), "skipped".into(), "encrypted".into()),
            "{file}"
        );
        assert_eq!(run.summary()["not_covered"], 1, "{file}");
    }
}

// Spreadsheet text calamine does not give (issue 18; this module is the
// session's new test file). Fixtures: fixtures/office/make_sheets.py.

#[test]
fn ods_cell_comments_are_read_at_their_cell() {
    let run = scan_revealed(&fixtures().join("office/commentaires.ods"), KINDS);
    run.assert_code(0);
    let at = |kind: &str| -> Vec<(String, String)> {
        run.of_type("finding")
            .iter()
            .filter(|f| f["kind"] == kind)
            .map(|f| {
                let cell = f["location"]["cell"].as_str().unwrap_or("").to_string();
                (f["value"].as_str().unwrap().to_string(), cell)
            })
            .collect()
    };
    assert_eq!(
        at("email"),
        [("elodie.menard@example.fr".into(), "B2".into())]
    );
    assert_eq!(at("phone").len(), 1, "{}", run.stdout());
}

#[test]
fn an_ods_calamine_refuses_is_read_from_its_content_xml() {
    let run = scan_revealed(&fixtures().join("office/indente.ods"), KINDS);
    run.assert_code(0);
    assert_eq!(file_record(&run), ("ods".into(), "".into(), "".into()));
    let emails: Vec<_> = run
        .of_type("finding")
        .iter()
        .filter(|f| f["kind"] == "email")
        .map(|f| (f["value"].clone(), f["location"]["cell"].clone()))
        .collect();
    assert_eq!(emails.len(), 1, "{}", run.stdout());
    assert_eq!(emails[0].1, "B2");
}

#[test]
fn biff8_strings_are_utf16_whatever_the_code_page_record_says() {
    // locataires.xls with CODEPAGE 1252: the same findings as the original.
    let run = scan_revealed(&fixtures().join("office/page_de_code.xls"), KINDS);
    let original = scan_revealed(&fixtures().join("spreadsheets/locataires.xls"), KINDS);
    let (got, want) = (found(&run), found(&original));
    assert!(want.len() >= 3);
    assert_eq!(got, want);
}

#[test]
fn an_excel_4_worksheet_without_ole_container_is_read() {
    let run = scan_revealed(&fixtures().join("office/excel4.xls"), KINDS);
    run.assert_code(0);
    assert_eq!(file_record(&run).0, "xls");
    let at: BTreeSet<(String, String)> = run
        .of_type("finding")
        .iter()
        .map(|f| {
            let cell = f["location"]["cell"].as_str().unwrap().to_string();
            (f["kind"].as_str().unwrap().to_string(), cell)
        })
        .collect();
    let want = [("email", "C2"), ("phone", "B2")];
    assert_eq!(at, want.map(|(k, c)| (k.to_string(), c.to_string())).into());
}
