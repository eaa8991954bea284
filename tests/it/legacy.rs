//! Word, PowerPoint and Outlook 97–2003 files and RTF: findings with the
//! paragraph (`line`) and part (`entry`: footnotes, a slide, an attachment)
//! where they are; OLE files read by their streams whatever their name;
//! encrypted files listed as skipped (`encrypted`) and counted as not
//! covered; broken ones reported while the scan goes on.
//! Fixtures: fixtures/legacy/make_legacy.py.

use crate::util::{file_name, fixtures, scan_revealed, Dir, Run};
use std::collections::BTreeSet;

const KINDS: &[&str] = &["--kinds", "email,iban,nir,phone"];

/// (file, entry, kind, value, line, column) of every finding.
type Found = BTreeSet<(String, String, String, String, u64, u64)>;

fn found(run: &Run) -> Found {
    run.of_type("finding")
        .iter()
        .map(|f| {
            (
                file_name(f),
                f["entry"].as_str().unwrap_or("").to_string(),
                f["kind"].as_str().unwrap().to_string(),
                f["value"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
                f["location"]["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn set(rows: &[(&str, &str, &str, &str, u64, u64)]) -> Found {
    rows.iter()
        .map(|(f, e, k, v, l, c)| {
            (
                f.to_string(),
                e.to_string(),
                k.to_string(),
                v.to_string(),
                *l,
                *c,
            )
        })
        .collect()
}

/// A folder holding copies of fixtures under other names.
fn copies(files: &[(&str, &str)]) -> Dir {
    let d = Dir::new();
    for (from, to) in files {
        d.file(to, std::fs::read(fixtures().join(from)).unwrap());
    }
    d
}

/// (format, status, reason) of the `file` record of `name`.
fn file_record(run: &Run, name: &str) -> (String, String, String) {
    let f = run
        .of_type("file")
        .into_iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(name) && f["entry"].is_null())
        .unwrap_or_else(|| panic!("no file record for {name}: {}", run.stdout()));
    let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
    (s("format"), s("status"), s("reason"))
}

#[test]
fn word_97_paragraphs_footnotes_fields_and_tables() {
    let run = scan_revealed(&fixtures().join("legacy/lettre.doc"), KINDS);
    run.assert_code(0);
    let doc = "lettre.doc";
    assert_eq!(
        found(&run),
        set(&[
            (doc, "", "email", "elodie.menard@example.fr", 4, 25),
            (doc, "", "iban", "FR7630006000011234567890189", 5, 8),
            // A UTF-16 piece; a field's instructions hold an address of their own.
            (doc, "", "phone", "+33612345678", 6, 14),
            (doc, "", "email", "cache@example.org", 6, 56),
            (doc, "", "email", "karim.benali@example.fr", 6, 76),
            // A table cell is a paragraph.
            (doc, "", "nir", "292027505612335", 8, 1),
            (doc, "footnotes", "email", "lucas.moreau@example.fr", 1, 12),
        ])
    );
    assert_eq!(file_record(&run, doc).0, "doc");
}

#[test]
fn powerpoint_97_slides_notes_comments_and_text_boxes() {
    let run = scan_revealed(&fixtures().join("legacy/reunion.ppt"), KINDS);
    run.assert_code(0);
    let ppt = "reunion.ppt";
    assert_eq!(
        found(&run),
        set(&[
            (ppt, "slide 2", "phone", "+33698765432", 3, 1),
            (ppt, "slide 2", "email", "karim.benali@example.fr", 4, 1),
            // A comment on slide 1, a text box of slide 2's drawing.
            (ppt, "slide 1", "iban", "FR1420041010050500013M02606", 5, 17),
            (ppt, "slide 2", "email", "lucas.moreau@example.fr", 5, 37),
            (ppt, "notes 1", "phone", "+33145678910", 1, 24),
        ])
    );
}

#[test]
fn outlook_message_headers_body_attachments_and_attached_message() {
    let run = scan_revealed(&fixtures().join("legacy/courriel.msg"), KINDS);
    run.assert_code(0);
    let msg = "courriel.msg";
    assert_eq!(
        found(&run),
        set(&[
            // From, To and Cc (recipients: `accueil@` is a role mailbox, not
            // reported), Subject, then the Internet headers' others:
            // Return-Path, Delivered-To, Disposition-Notification-To.
            (msg, "", "email", "elodie.menard@example.fr", 1, 22),
            (msg, "", "email", "chloe.coeur@example.fr", 3, 17),
            (msg, "", "email", "elodie.menard@example.fr", 5, 14),
            (msg, "", "email", "suivi.menard@example.fr", 7, 30),
            (msg, "", "phone", "+33612345678", 11, 59),
            (msg, "", "iban", "FR7630006000011234567890189", 12, 34),
            (msg, "liste.csv", "phone", "+33611223344", 2, 2),
            (
                msg,
                "liste.csv",
                "iban",
                "FR1420041010050500013M02606",
                2,
                3
            ),
            (
                msg,
                "attachment 2.msg",
                "email",
                "karim.benali@example.fr",
                1,
                21
            ),
            (
                msg,
                "attachment 2.msg",
                "email",
                "elodie.menard@example.fr",
                2,
                20
            ),
            (msg, "attachment 2.msg", "nir", "292027505612335", 5, 34),
        ])
    );
    let formats: Vec<String> = run
        .of_type("file")
        .iter()
        .map(|f| format!("{}={}", f["entry"].as_str().unwrap_or(""), f["format"]))
        .collect();
    assert!(
        formats.contains(&"attachment 2.msg=\"msg\"".to_string()),
        "{formats:?}"
    );
    assert!(
        formats.contains(&"liste.csv=\"csv\"".to_string()),
        "{formats:?}"
    );
}

#[test]
fn outlook_message_with_only_a_compressed_rtf_body() {
    let run = scan_revealed(&fixtures().join("legacy/corps_rtf.msg"), KINDS);
    run.assert_code(0);
    let emails: Vec<(String, u64)> = found(&run)
        .into_iter()
        .filter(|f| f.2 == "email")
        .map(|f| (f.3, f.4))
        .collect();
    assert!(
        emails.contains(&("lucas.moreau@example.fr".to_string(), 7)),
        "the body's address: {emails:?}"
    );
}

#[test]
fn rtf_code_pages_unicode_tables_fields_and_shapes() {
    let run = scan_revealed(&fixtures().join("legacy/lettre.rtf"), KINDS);
    run.assert_code(0);
    let rtf = "lettre.rtf";
    assert_eq!(
        found(&run),
        set(&[
            (rtf, "", "email", "elodie.menard@example.fr", 3, 12),
            (rtf, "", "phone", "+33612345678", 3, 48),
            (rtf, "", "iban", "FR7630006000011234567890189", 4, 8),
            (rtf, "", "email", "cache@example.org", 8, 20),
            (rtf, "", "email", "karim.benali@example.fr", 8, 39),
            (rtf, "", "phone", "+33145678910", 10, 11),
        ])
    );
    assert_eq!(file_record(&run, rtf).0, "rtf");
}

#[test]
fn ole_files_are_read_by_their_streams_whatever_their_name() {
    let d = copies(&[
        ("legacy/lettre.doc", "sans_extension"),
        ("legacy/reunion.ppt", "reunion.doc"),
        ("legacy/courriel.msg", "courriel.dat"),
        ("spreadsheets/locataires.xls", "modele.xlt"),
        ("spreadsheets/locataires.xls", "export.bin"),
    ]);
    let run = scan_revealed(d.path(), KINDS);
    run.assert_code(0);
    for (name, format) in [
        ("sans_extension", "doc"),
        ("reunion.doc", "ppt"),
        ("courriel.dat", "msg"),
        ("modele.xlt", "xls"),
        ("export.bin", "xls"),
    ] {
        assert_eq!(file_record(&run, name).0, format, "{name}");
        assert!(!run.findings_of(name).is_empty(), "{name} read");
    }
}

#[test]
fn encrypted_files_are_skipped_as_encrypted_and_not_covered() {
    let d = copies(&[
        ("legacy/chiffre.doc", "chiffre.doc"),
        ("legacy/chiffre.ppt", "chiffre.ppt"),
        ("legacy/chiffre.xls", "chiffre.xls"),
        ("legacy/chiffre.docx", "chiffre.docx"),
        ("spreadsheets/chiffre.xlsx", "chiffre.xlsx"),
    ]);
    let run = scan_revealed(d.path(), &[]);
    run.assert_code(1); // nothing found
    for (name, format) in [
        ("chiffre.doc", "doc"),
        ("chiffre.ppt", "ppt"),
        ("chiffre.xls", "xls"),
        ("chiffre.docx", "docx"),
        ("chiffre.xlsx", "xlsx"),
    ] {
        assert_eq!(
            file_record(&run, name),
            (format.into(), "skipped".into(), "encrypted".into()),
            "{name}"
        );
    }
    assert!(run.of_type("finding").is_empty());
    assert_eq!(run.summary()["not_covered"], 5);
}

#[test]
fn broken_files_are_reported_and_the_scan_goes_on() {
    let d = copies(&[
        ("legacy/tronque.doc", "tronque.doc"),
        ("legacy/mauvais_offsets.doc", "mauvais_offsets.doc"),
        ("legacy/tronque.msg", "tronque.msg"),
        ("legacy/tronque.rtf", "tronque.rtf"),
        ("legacy/lettre.doc", "lettre.doc"),
    ]);
    let run = scan_revealed(d.path(), KINDS);
    run.assert_code(0);
    assert_eq!(
        run.errors_of("mauvais_offsets.doc"),
        ["corrupt doc: piece table outside the table stream"]
    );
    assert!(run.errors_of("tronque.doc")[0].starts_with("corrupt ole: "));
    assert!(run.errors_of("tronque.msg")[0].starts_with("corrupt ole: "));
    // What an RTF cut short holds before the cut is read.
    assert!(run
        .findings_of("tronque.rtf")
        .iter()
        .any(|f| f["value"] == "elodie.menard@example.fr"));
    assert_eq!(run.findings_of("lettre.doc").len(), 7);
}

#[test]
fn legacy_members_of_an_archive_and_in_process_reads_agree() {
    let d = Dir::new();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for name in ["lettre.doc", "reunion.ppt", "courriel.msg", "lettre.rtf"] {
        zip.start_file(
            format!("archives/{name}"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        std::io::Write::write_all(
            &mut zip,
            &std::fs::read(fixtures().join("legacy").join(name)).unwrap(),
        )
        .unwrap();
    }
    d.file("anciens.zip", zip.finish().unwrap().into_inner());
    let run = scan_revealed(d.path(), KINDS);
    run.assert_code(0);
    let entries: BTreeSet<String> = found(&run).into_iter().map(|f| f.1).collect();
    for e in [
        "archives/lettre.doc",
        "archives/lettre.doc/footnotes",
        "archives/reunion.ppt/slide 2",
        "archives/courriel.msg",
        "archives/courriel.msg/liste.csv",
        "archives/lettre.rtf",
    ] {
        assert!(entries.contains(e), "{e} in {entries:?}");
    }
    let in_process = scan_revealed(
        d.path(),
        &["--kinds", "email,iban,nir,phone", "--in-process"],
    );
    assert_eq!(found(&in_process), found(&run));
}

/// Found by the `doc` fuzz target (session 15): a `.doc` that is text, an
/// accented line and a dotted quad after a version word more than 200 bytes
/// into it. `validate::Candidate::line_range` reaches 200 bytes back, which
/// can land inside `é`, and `ip::named_version` slices the `str` there: a
/// panic, the file reported as an internal error and none of it scanned.
/// The line range now stops on character bounds.
#[test]
fn a_version_quad_after_accented_text_is_scanned() {
    let d = Dir::new();
    let line = format!(
        "{} Version 2.0.0.0 ; contact elodie.menard@example.fr\n",
        "é".repeat(100)
    );
    d.file("notes.doc", line);
    let run = scan_revealed(d.path(), KINDS);
    assert_eq!(run.errors_by_name(), Vec::<(String, String)>::new());
    assert_eq!(
        run.kind_values(),
        [("email".to_string(), "elodie.menard@example.fr".to_string())]
    );
}
