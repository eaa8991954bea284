//! `pdscout extract FILE…`: the text units a file gives, with their
//! locations, members and parts, as `scan` reads them; no detection.

use crate::util::{fixtures, pdscout, Dir};
use serde_json::Value;

/// The JSON Lines of `pdscout extract --format json ARGS`.
fn extract_json(args: &[&std::ffi::OsStr]) -> (Vec<Value>, i32) {
    let mut all: Vec<&std::ffi::OsStr> =
        vec!["extract".as_ref(), "--format".as_ref(), "json".as_ref()];
    all.extend_from_slice(args);
    let run = pdscout(all);
    let lines = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad json {l:?}: {e}")))
        .collect();
    (lines, run.code())
}

#[test]
fn a_text_file_gives_its_lines_and_a_file_line() {
    let d = Dir::new();
    let p = d.file("a.txt", "Bonjour\nJean Dupont, jean.dupont@example.fr\n");
    let (lines, code) = extract_json(&[p.as_os_str()]);
    assert_eq!(code, 0);
    let text: String = lines.iter().filter_map(|l| l["text"].as_str()).collect();
    assert!(text.contains("jean.dupont@example.fr"), "{lines:?}");
    assert_eq!(lines[0]["location"]["line"], 1);
    let last = lines.last().unwrap();
    assert_eq!(last["status"], "read");
    assert_eq!(last["format"], "text");
    assert!(last["file"].as_str().unwrap().ends_with("a.txt"));
}

#[test]
fn office_parts_and_archive_members_are_named() {
    let docx = fixtures().join("office/lettre_locataire.docx");
    let (lines, code) = extract_json(&[docx.as_os_str()]);
    assert_eq!(code, 0);
    // The footer's paragraphs are in their part, the body's in none.
    assert!(lines
        .iter()
        .any(|l| l["part"] == "word/footer1.xml" && l["text"].is_string()));
    assert!(lines
        .iter()
        .any(|l| l.get("part").is_none() && l["location"]["line"].is_u64()));
    let zip = fixtures().join("archives/dossiers.zip");
    let (lines, _) = extract_json(&[zip.as_os_str()]);
    assert!(
        lines
            .iter()
            .any(|l| l["member"].is_string() && l["text"].is_string()),
        "{lines:?}"
    );
}

#[test]
fn spreadsheet_cells_have_sheet_and_cell() {
    let xlsx = fixtures().join("spreadsheets/locataires.xlsx");
    let (lines, code) = extract_json(&[xlsx.as_os_str()]);
    assert_eq!(code, 0);
    let cell = lines
        .iter()
        .find(|l| l["location"]["cell"] == "A1")
        .expect("cell A1");
    assert!(cell["location"]["sheet"].is_string());
}

#[test]
fn unreadable_files_are_reported_and_the_next_is_read() {
    let d = Dir::new();
    let bad = d.file("casse.docx", b"PK\x03\x04 not a zip at all");
    let good = d.file("b.txt", "suite\n");
    let (lines, code) = extract_json(&[bad.as_os_str(), good.as_os_str()]);
    assert_eq!(code, 1, "a file not read: exit 1");
    let ends: Vec<&Value> = lines.iter().filter(|l| l["status"].is_string()).collect();
    assert_eq!(ends.len(), 2);
    assert_eq!(ends[0]["status"], "error");
    assert!(ends[0]["error"].as_str().unwrap().contains("docx"));
    assert_eq!(ends[1]["status"], "read");
}

#[test]
fn plain_text_output_shows_locations() {
    let xlsx = fixtures().join("spreadsheets/locataires.xlsx");
    let run = pdscout([std::ffi::OsStr::new("extract"), xlsx.as_os_str()]);
    run.assert_code(0);
    let out = run.stdout();
    assert!(out.lines().any(|l| l.contains("!A1\t")), "{out}");
    assert!(
        out.lines().last().unwrap().contains("read as xlsx"),
        "{out}"
    );
}

#[test]
fn in_process_reads_the_same_units() {
    let docx = fixtures().join("office/lettre_locataire.docx");
    let (a, _) = extract_json(&[docx.as_os_str()]);
    let (b, _) = extract_json(&["--in-process".as_ref(), docx.as_os_str()]);
    assert_eq!(a, b);
}
