//! OCR (`--ocr`): pictures and scanned PDF pages. Without `--ocr` they are
//! listed as not covered (needs --ocr), never as clean; with `--ocr` and no
//! engine the run stops at once (exit 2, with the install line); with
//! Tesseract installed, the identifiers in the fixtures are found on their
//! pages, an identity card's zone and a tax notice's numbers included, and
//! an inventory keeps them so a second run reads nothing again. Fixtures:
//! fixtures/ocr/make_ocr_fixtures.py.

use crate::util::{fixtures, pdscout, scan_revealed, Dir, Run};
use serde_json::Value;
use std::collections::BTreeSet;

fn ocr_fixture(name: &str) -> std::path::PathBuf {
    fixtures().join("ocr").join(name)
}

/// A folder with copies of the fixtures named.
fn share(names: &[&str]) -> Dir {
    let d = Dir::new();
    for n in names {
        d.file(n, std::fs::read(ocr_fixture(n)).unwrap());
    }
    d
}

/// Whether the engine can run here; prints a loud line when not.
fn tesseract(test: &str) -> bool {
    let ok = std::process::Command::new("tesseract")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED {test}: tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng)");
    }
    ok
}

/// (status, reason) of the `file` records of `name`.
fn file_status(run: &Run, name: &str) -> Vec<(Value, Value)> {
    run.of_type("file")
        .into_iter()
        .filter(|f| f["path"].as_str().unwrap().ends_with(name))
        .map(|f| (f["status"].clone(), f["reason"].clone()))
        .collect()
}

/// (kind, value, page) of every finding of `name`.
fn found(run: &Run, name: &str) -> BTreeSet<(String, String, u64)> {
    run.placed_findings_of(name, "page")
}

#[test]
fn pictures_and_scanned_pages_are_not_covered_without_ocr() {
    let d = share(&["lettre.jpg", "carte_identite.png", "avis_scanne.pdf"]);
    let run = scan_revealed(d.path(), &[]);
    run.assert_code(1);
    for name in ["lettre.jpg", "carte_identite.png"] {
        assert_eq!(
            file_status(&run, name),
            [("skipped".into(), "needs --ocr".into())],
            "{name}"
        );
    }
    assert_eq!(
        run.errors_of("avis_scanne.pdf"),
        ["2 pages (1, 2) scanned without text layer: not covered (needs --ocr)"]
    );
    assert_eq!(file_status(&run, "avis_scanne.pdf")[0].0, "partial");
    let s = run.summary();
    assert_eq!(s["not_covered"], 3);
    assert_eq!(s["formats"]["pdf"], 1);
}

#[test]
fn ocr_without_an_engine_stops_at_the_start_with_the_install_line() {
    let d = share(&["lettre.jpg"]);
    let out = assert_cmd::Command::cargo_bin("pdscout")
        .unwrap()
        .env("PDSCOUT_TESSERACT", d.path().join("no-such-tesseract"))
        .args(["scan", "-q", "--ocr"])
        .arg(d.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn ocr_reads_pictures_and_scanned_pdfs() {
    if !tesseract("ocr_reads_pictures_and_scanned_pdfs") {
        return;
    }
    let d = share(&[
        "lettre.jpg",
        "carte_identite.png",
        "avis_scanne.pdf",
        "photo.jpg",
        "icone.png",
    ]);
    let run = scan_revealed(d.path(), &["--ocr", "--threads", "2"]);
    run.assert_code(0);
    let letter = found(&run, "lettre.jpg");
    for want in [
        ("email", "elodie.lefevre@example.fr", 1),
        ("phone", "+33612345678", 1),
    ] {
        assert!(
            letter.contains(&(want.0.into(), want.1.into(), want.2)),
            "{want:?} in {letter:?}"
        );
    }
    let card = found(&run, "carte_identite.png");
    assert!(
        card.contains(&("id_document".into(), "X4RTBPFW4".into(), 1)),
        "{card:?}"
    );
    let notice = found(&run, "avis_scanne.pdf");
    for want in [
        ("tax_id", "0123456789211", 1),
        ("tax_id", "2175A01234567", 1),
        ("nir", "184127512345640", 2),
        ("iban", "FR7630006000011234567890189", 2),
    ] {
        assert!(
            notice.contains(&(want.0.into(), want.1.into(), want.2)),
            "{want:?} in {notice:?}"
        );
    }
    // The engine's word confidence lowers the finding's, never raises it.
    for f in run.of_type("finding") {
        assert!(f["confidence"].as_f64().unwrap() <= 0.99, "{f}");
    }
    // A photo and an icon: skipped, with why.
    assert_eq!(
        file_status(&run, "photo.jpg"),
        [("skipped".into(), "no text recognised (photo?)".into())]
    );
    assert_eq!(
        file_status(&run, "icone.png"),
        [("skipped".into(), "too small to hold text".into())]
    );
    assert!(run.of_type("error").is_empty(), "{}", run.stdout());
}

#[test]
fn an_inventory_keeps_ocr_findings_and_never_reads_an_unchanged_scan_again() {
    if !tesseract("an_inventory_keeps_ocr_findings") {
        return;
    }
    let d = share(&["lettre.jpg"]);
    let store = Dir::new();
    let db = store.path().join("inv.db");
    let scan = |extra: &[&str]| {
        let mut args = vec!["scan", "-q", "--db", db.to_str().unwrap()];
        args.extend_from_slice(extra);
        args.push(d.path().to_str().unwrap());
        pdscout(&args)
    };
    // Without --ocr the picture is listed as needing it; turning OCR on
    // reads it (the settings changed), and the next run reads nothing.
    let before = scan(&[]);
    assert_eq!(file_status(&before, "lettre.jpg")[0].1, "needs --ocr");
    let first = scan(&["--ocr"]);
    first.assert_code(0);
    let findings = first.summary()["findings"].clone();
    assert!(findings["email"].as_u64().unwrap() >= 1, "{findings}");
    let second = scan(&["--ocr"]);
    second.assert_code(0);
    let s = second.summary();
    assert_eq!(s["inventory"]["files_read"], 0);
    assert_eq!(s["inventory"]["files_unchanged"], 1);
    assert_eq!(s["findings"], findings);
}

/// A TD1 zone (ICAO 9303 specimen) with nothing around it that names
/// the person.
const TD1_ZONE: &str = "Pièce jointe\nI<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<\n";

#[test]
fn an_identity_zone_gives_its_name_and_birth_date() {
    let d = Dir::new();
    d.file("piece.txt", TD1_ZONE);
    let run = scan_revealed(d.path(), &[]);
    run.assert_code(0);
    let found = run.placed_findings_of("piece.txt", "line");
    // The number on the zone's second line, the birth date on its first,
    // the name on its third.
    for want in [
        ("id_document", "D23145890", 3),
        ("birthdate", "1974-08-12", 2),
        ("name", "Anna Maria ERIKSSON", 4),
    ] {
        assert!(
            found.contains(&(want.0.into(), want.1.into(), want.2)),
            "{want:?} in {found:?}"
        );
    }
    // A zone whose check digit fails says nothing.
    let bad = Dir::new();
    bad.file("piece.txt", TD1_ZONE.replace("<<<6", "<<<7"));
    let run = scan_revealed(bad.path(), &[]);
    assert!(run.findings_of("piece.txt").is_empty(), "{}", run.stdout());
    // `subject` finds the person by the name and the birth date of the zone.
    let run = pdscout([
        "subject",
        "-q",
        "--name",
        "Anna Maria Eriksson",
        "--birthdate",
        "12/08/1974",
        d.path().to_str().unwrap(),
    ]);
    let kinds: BTreeSet<String> = run
        .of_type("finding")
        .iter()
        .map(|f| f["kind"].as_str().unwrap().to_string())
        .collect();
    assert!(
        kinds.contains("name") && kinds.contains("birthdate"),
        "{}",
        run.stdout()
    );
}

#[test]
fn extract_ocr_prints_the_text_read() {
    let d = share(&["carte_identite.png"]);
    let card = d.path().join("carte_identite.png");
    let card = card.to_str().unwrap();
    // Without --ocr the picture is not read.
    let run = pdscout(["extract", card]);
    run.assert_code(1);
    assert!(run.stdout().contains("needs --ocr"), "{}", run.stdout());
    // With --ocr and no engine: exit 2 with the install line.
    let out = assert_cmd::Command::cargo_bin("pdscout")
        .unwrap()
        .env("PDSCOUT_TESSERACT", d.path().join("no-such-tesseract"))
        .args(["extract", "--ocr", card])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("apt-get install tesseract-ocr"));
    if !tesseract("extract_ocr_prints_the_text_read") {
        return;
    }
    let run = pdscout(["extract", "--ocr", card]);
    run.assert_code(0);
    let text = run.stdout();
    assert!(text.starts_with("page 1\t"), "{text}");
    assert!(text.contains("IDFRAX4RTBPFW4"), "{text}");
    assert!(text.contains("DUPONT"), "{text}");
}

#[test]
fn a_scanned_card_gives_the_name_and_birth_date_of_its_zone() {
    if !tesseract("a_scanned_card_gives_the_name_and_birth_date_of_its_zone") {
        return;
    }
    let d = share(&["carte_identite.png"]);
    let run = scan_revealed(d.path(), &["--ocr", "--kinds", "name,birthdate"]);
    run.assert_code(0);
    let card = found(&run, "carte_identite.png");
    // The zone's, not only the visual one's (which has no birth date).
    assert!(
        card.contains(&("birthdate".into(), "1980-01-01".into(), 1)),
        "{card:?}"
    );
    assert!(
        card.contains(&("name".into(), "Jean DUPONT".into(), 1)),
        "{card:?}"
    );
}

#[test]
fn the_scanned_body_under_a_thin_text_layer_is_read_with_ocr() {
    let d = share(&["melange.pdf"]);
    // Without --ocr: the text layer is read, as before.
    let run = scan_revealed(d.path(), &[]);
    assert!(
        run.findings_of("melange.pdf").is_empty(),
        "{}",
        run.stdout()
    );
    if !tesseract("the_scanned_body_under_a_thin_text_layer_is_read_with_ocr") {
        return;
    }
    let run = scan_revealed(d.path(), &["--ocr"]);
    run.assert_code(0);
    let got = found(&run, "melange.pdf");
    for want in [
        // An inline image (BI … ID … EI) of Flate samples.
        ("email", "karim.benali@example.fr", 1),
        ("phone", "+33698765432", 1),
        // A JPEG image XObject.
        ("iban", "FR7630006000011234567890189", 2),
    ] {
        assert!(
            got.contains(&(want.0.into(), want.1.into(), want.2)),
            "{want:?} in {got:?}"
        );
    }
}

#[test]
fn a_zone_is_read_by_its_layout_and_an_ambiguous_repair_is_refused() {
    // As OCR gives a zone: the first line's fillers cut short, the second
    // line's counted nine too many, the third's read as letters. The
    // fields sit where the layout says, at both ends of each line.
    let d = Dir::new();
    d.file(
        "piece.txt",
        "CARTE NATIONALE D'IDENTITE\nIDFRAF43ESF4DH1<<<<<<\n9101036M3110027FRA<<<<<<<<<<<<<<<<<<<<4\nDIOP<<CAMILLE<<<<<<<<sssssss<<\n",
    );
    let run = scan_revealed(d.path(), &["--kinds", "id_document"]);
    let values: Vec<String> = run
        .findings_of("piece.txt")
        .iter()
        .map(|f| f["value"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(values, ["F43ESF4DH"], "{}", run.stdout());
    // `8` read as `B` in a passport number: two one-character repairs make
    // its check digit hold (`L898902C3`, `LB9B902C3`), so none is taken.
    let d = Dir::new();
    d.file(
        "passeport.txt",
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL89B902C36UTO7408122F1204159ZE184226B<<<<<10\n",
    );
    let run = scan_revealed(d.path(), &["--kinds", "id_document"]);
    assert!(
        run.findings_of("passeport.txt").is_empty(),
        "{}",
        run.stdout()
    );
}

#[test]
fn a_number_read_with_q_for_0_is_repaired_from_its_0_reading() {
    // `0` read `Q` and `4` read `A` would cancel out in the check digits
    // (`QAB2PFD35` holds): repairs start from the `0` reading, which holds.
    let d = Dir::new();
    d.file(
        "carte.txt",
        "CARTE NATIONALE D'IDENTITE\nIDFRAQ4B2PFD35 2<<<<<<<ccccccce\n9205211F3007170FRA<<<<<<<<<<<()\nGIRARD<<NADIA<<<<<<<<<<<cccccee\n",
    );
    let run = scan_revealed(d.path(), &["--kinds", "id_document"]);
    let values: Vec<String> = run
        .findings_of("carte.txt")
        .iter()
        .map(|f| f["value"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(values, ["04B2PFD35"], "{}", run.stdout());
}

#[test]
fn a_zone_tesseract_misreads_is_read_cell_by_cell() {
    // A passport page in OCR-B (eval/ocr/make_ocr_eval.py --only id
    // --pages 30 --seed 7 --clean, its page 6): both of Tesseract's
    // readings misread the number (`1` as `T`); the fixed-pitch reader,
    // its cells matched against OCR-B's glyphs, reads it.
    if !tesseract("a_zone_tesseract_misreads_is_read_cell_by_cell") {
        return;
    }
    let d = share(&["passeport_ocrb.png"]);
    let run = scan_revealed(d.path(), &["--ocr", "--kinds", "id_document,name"]);
    run.assert_code(0);
    let page = found(&run, "passeport_ocrb.png");
    assert!(
        page.contains(&("id_document".into(), "12GY39685".into(), 1)),
        "{page:?}"
    );
    assert!(
        page.contains(&("name".into(), "Ines FONTAINE".into(), 1)),
        "{page:?}"
    );
}

/// An engine that reads every picture as `words`: one `(line, word)` a
/// row of Tesseract's TSV, all at confidence 95.
fn fake_engine(d: &Dir, words: &[(u32, &str)]) -> std::path::PathBuf {
    let mut tsv = String::from(
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\\n",
    );
    for (i, (line, word)) in words.iter().enumerate() {
        tsv.push_str(&format!(
            "5\t1\t1\t1\t{line}\t{}\t{}\t{}\t40\t20\t95\t{word}\\n",
            i + 1,
            i * 50,
            line * 30
        ));
    }
    let script = d.file(
        "fake-tesseract",
        format!(
            "#!/bin/sh\nif [ \"$1\" = --list-langs ]; then printf 'List of available languages (2):\\neng\\nfra\\n'; exit 0; fi\ncat >/dev/null\nprintf '{tsv}'\n"
        ),
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

#[test]
fn an_address_ocr_split_with_spaces_is_found_whole() {
    let d = share(&["lettre.jpg"]);
    let engine = fake_engine(
        &d,
        &[
            (1, "courriel"),
            (1, ":"),
            (1, "jean.dupont"),
            (1, "@example."),
            (1, "fr."),
            (2, "voir"),
            (2, "paul.martin@"),
            (2, "example"),
            (2, "org"),
            // No address here for a reader: left as read.
            (3, "contact"),
            (3, "@example"),
            (3, "le"),
            (3, "lundi"),
        ],
    );
    let out = assert_cmd::Command::cargo_bin("pdscout")
        .unwrap()
        .env("PDSCOUT_TESSERACT", &engine)
        .args(["scan", "-q", "--reveal", "--ocr", "--kinds", "email"])
        .arg(d.path().join("lettre.jpg"))
        .output()
        .unwrap();
    let run = Run { out };
    run.assert_code(0);
    let emails: BTreeSet<(String, String, u64)> = found(&run, "lettre.jpg");
    let want: BTreeSet<(String, String, u64)> = [
        ("email".to_string(), "jean.dupont@example.fr".to_string(), 1),
        (
            "email".to_string(),
            "paul.martin@example.org".to_string(),
            1,
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(emails, want, "{}", run.stderr());
}
