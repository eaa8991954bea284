//! Supervised extraction: spreadsheets, PDF, office documents, e-mail and
//! archives are read by reader processes; one that aborts, runs out of
//! memory or hangs costs its own file (an error record), never the scan.
//!
//! `PDSCOUT_TEST_CHILD` (read by the reader process only, for tests) makes
//! the reader abort, allocate without end or hang on the files it names,
//! so that these tests need no parser bug.

use crate::util::{xlsx_cell, xlsx_streamed, Dir, Run};
use std::collections::BTreeSet;
use std::io::Write;
use std::time::{Duration, Instant};

/// An xlsx with `email` in A1 of its one sheet.
fn workbook(email: &str) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    xlsx_streamed(&mut out, "Feuil1", "", |w| {
        write!(w, r#"<row r="1">{}</row>"#, xlsx_cell("A1", email)).unwrap();
    });
    out.into_inner()
}

/// The 1.8 KB workbook of issue 17: its shared-strings table declares
/// `uniqueCount= "100000000000"` (a space before the quote) and holds one
/// string; read in process, calamine reserves 2.4 TB and the scan aborts.
fn lying_shared_strings() -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let ns = "http://schemas.openxmlformats.org";
    let parts = [
        (
            "[Content_Types].xml",
            format!(
                r#"<?xml version="1.0"?><Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#
            ),
        ),
        (
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0"?><workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{ns}/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/sharedStrings.xml",
            format!(
                r#"<?xml version="1.0"?><sst xmlns="{ns}/spreadsheetml/2006/main" count="1" uniqueCount= "100000000000"><si><t>jean.dupont@example.fr</t></si></sst>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0"?><worksheet xmlns="{ns}/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#
            ),
        ),
    ];
    for (name, body) in parts {
        z.start_file(name, opts).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// `pdscout scan -q --reveal ARGS PATH` with `PDSCOUT_TEST_CHILD=hook`,
/// killed after two minutes (a hang guard).
fn scan_with_hook(hook: &str, path: &std::path::Path, extra: &[&str]) -> Run {
    let out = assert_cmd::Command::cargo_bin("pdscout")
        .unwrap()
        .env("PDSCOUT_TEST_CHILD", hook)
        .args(["scan", "-q", "--reveal"])
        .args(extra)
        .arg(path)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    Run { out }
}

/// The e-mail values found, as a set.
fn emails(run: &Run) -> BTreeSet<String> {
    run.kind_values()
        .into_iter()
        .filter(|(k, _)| k == "email")
        .map(|(_, v)| v)
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// A tree of ordinary files of several formats, each with one address.
fn ordinary_files(d: &Dir) -> BTreeSet<String> {
    d.file("a_lettre.txt", "Contact : anne.martin@example.fr\n");
    d.file("b_liste.csv", "nom;email\nDurand;paul.durand@example.fr\n");
    d.file("c_avant.xlsx", workbook("claire.avant@example.fr"));
    d.file("z_apres.xlsx", workbook("zoe.apres@example.fr"));
    set(&[
        "anne.martin@example.fr",
        "paul.durand@example.fr",
        "claire.avant@example.fr",
        "zoe.apres@example.fr",
    ])
}

#[test]
fn a_reader_that_aborts_costs_its_file_only() {
    let d = Dir::new();
    let expected = ordinary_files(&d);
    d.file("m_boom.xlsx", workbook("jamais.lu@example.fr"));
    let run = scan_with_hook("abort:m_boom.xlsx", d.path(), &["-j", "1"]);
    run.assert_code(0);
    // One worker: the workbook read after the crash had a new reader.
    assert_eq!(emails(&run), expected);
    assert_eq!(
        run.errors_of("m_boom.xlsx"),
        vec!["crashed (signal 6): not read to the end, the findings before it are reported"]
    );
    assert_eq!(run.errors_by_name().len(), 1, "{:?}", run.errors_by_name());
    assert_eq!(run.summary()["errors"], 1);
}

#[test]
fn findings_sent_before_a_crash_are_kept() {
    // An archive whose second member crashes the reader: the first
    // member's findings were sent and are reported; the third is not read.
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let members: [(&str, Vec<u8>); 3] = [
        (
            "a_lettre.txt",
            b"Contact : avant.crash@example.fr\n".to_vec(),
        ),
        ("b_boom.xlsx", workbook("jamais.lu@example.fr")),
        (
            "c_lettre.txt",
            b"Contact : apres.crash@example.fr\n".to_vec(),
        ),
    ];
    for (name, body) in members {
        z.start_file(name, opts).unwrap();
        z.write_all(&body).unwrap();
    }
    let d = Dir::new();
    d.file("dossier.zip", z.finish().unwrap().into_inner());
    let run = scan_with_hook("abort:b_boom.xlsx", d.path(), &[]);
    run.assert_code(0);
    assert_eq!(emails(&run), set(&["avant.crash@example.fr"]));
    let found = run.findings_of("dossier.zip");
    assert_eq!(found[0]["entry"], "a_lettre.txt");
    let errors: Vec<(Option<String>, String)> = run
        .of_type("error")
        .iter()
        .map(|e| {
            (
                e["entry"].as_str().map(str::to_string),
                e["error"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        errors.contains(&(
            None,
            "crashed (signal 6): not read to the end, the findings before it are reported".into()
        )),
        "{errors:?}"
    );
}

#[test]
fn the_lying_shared_strings_workbook_no_longer_takes_the_scan_down() {
    let d = Dir::new();
    let expected = ordinary_files(&d);
    d.file("partage/bombe.xlsx", lying_shared_strings());
    let run = crate::util::scan_revealed(d.path(), &["-j", "2"]);
    // Before: the process aborted (exit 134) with an empty report.
    run.assert_code(0);
    let found = emails(&run);
    assert!(found.is_superset(&expected), "{found:?}");
    assert!(run.summary()["files_scanned"].as_u64() >= Some(4));
}

#[test]
fn a_reader_over_its_memory_limit_is_reported_as_out_of_memory() {
    let d = Dir::new();
    let expected = ordinary_files(&d);
    d.file("m_gros.xlsx", workbook("jamais.lu@example.fr"));
    let run = scan_with_hook(
        "alloc:m_gros.xlsx",
        d.path(),
        &["-j", "1", "--child-memory", "256M"],
    );
    run.assert_code(0);
    assert_eq!(emails(&run), expected);
    assert_eq!(
        run.errors_of("m_gros.xlsx"),
        vec![
            "ran out of memory (limit 256 MB, --child-memory): not read to the end, \
             the findings before it are reported"
        ]
    );
}

#[test]
fn a_hanging_reader_is_killed_at_the_time_limit() {
    let d = Dir::new();
    let expected = ordinary_files(&d);
    d.file("m_lent.xlsx", workbook("jamais.lu@example.fr"));
    let started = Instant::now();
    let run = scan_with_hook(
        "hang:m_lent.xlsx",
        d.path(),
        &["-j", "1", "--max-file-time", "1"],
    );
    run.assert_code(0);
    assert_eq!(emails(&run), expected);
    let errors = run.errors_of("m_lent.xlsx");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "time limit (1 s, --max-file-time): the reader did not stop and was killed"
        ),
        "{errors:?}"
    );
    // Killed a second after its limit, not at the hang guard.
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn with_two_workers_every_ordinary_file_is_found_around_many_crashes() {
    let d = Dir::new();
    let mut expected = BTreeSet::new();
    let mut crashing = Vec::new();
    for i in 0..60 {
        let email = format!("personne{i:02}@example.fr");
        if i % 4 == 0 {
            d.file(
                &format!("lettres/l{i:02}.txt"),
                format!("Contact : {email}\n"),
            );
            expected.insert(email);
            continue;
        }
        let name = format!("c{i:02}.xlsx");
        if i % 8 == 3 {
            d.file(
                &format!("classeurs/{name}"),
                workbook("jamais.lu@example.fr"),
            );
            crashing.push(name);
        } else {
            d.file(&format!("classeurs/{name}"), workbook(&email));
            expected.insert(email);
        }
    }
    let hook = format!("abort:{}", crashing.join(","));
    let run = scan_with_hook(&hook, d.path(), &["-j", "2"]);
    run.assert_code(0);
    assert_eq!(emails(&run), expected);
    let errors: BTreeSet<String> = run.errors_by_name().into_iter().map(|(n, _)| n).collect();
    assert_eq!(errors, crashing.iter().cloned().collect());
    assert_eq!(run.summary()["errors"], crashing.len() as u64);
    // The same tree read in process gives the same findings, bar the crashes.
    let plain = crate::util::scan_revealed(d.path(), &["-j", "2", "--in-process"]);
    let mut all = expected.clone();
    all.insert("jamais.lu@example.fr".into());
    assert_eq!(emails(&plain), all);
}

/// The pids of the reader processes among `pid`'s children.
#[cfg(target_os = "linux")]
fn readers_of(pid: u32) -> Vec<u32> {
    let mut found = Vec::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return found;
    };
    for t in tasks.flatten() {
        let children = std::fs::read_to_string(t.path().join("children")).unwrap_or_default();
        for c in children.split_whitespace().filter_map(|c| c.parse().ok()) {
            if is_reader(c) {
                found.push(c);
            }
        }
    }
    found
}

#[cfg(target_os = "linux")]
fn is_reader(pid: u32) -> bool {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .is_ok_and(|c| memchr::memmem::find(&c, b"__extract-child").is_some())
}

#[cfg(target_os = "linux")]
#[test]
fn an_interrupt_ends_the_scan_and_its_readers() {
    let d = Dir::new();
    ordinary_files(&d);
    d.file("m_lent.xlsx", workbook("jamais.lu@example.fr"));
    let outside = Dir::new();
    let out_path = outside.path().join("rapport.jsonl");
    let mut scan = std::process::Command::new(assert_cmd::cargo::cargo_bin("pdscout"))
        .env("PDSCOUT_TEST_CHILD", "hang:m_lent.xlsx")
        .args(["scan", "-q", "-j", "2", "--max-file-time", "3600"])
        .arg(d.path())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .spawn()
        .unwrap();
    // Wait until the hanging reader runs.
    let started = Instant::now();
    let mut readers = Vec::new();
    while readers.is_empty() || started.elapsed() < Duration::from_millis(500) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no reader process"
        );
        readers = readers_of(scan.id());
        std::thread::sleep(Duration::from_millis(20));
    }
    let kill = std::process::Command::new("kill")
        .args(["-INT", &scan.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = loop {
        if let Some(s) = scan.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = scan.kill();
            panic!("pdscout did not stop after SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(130));
    // Its readers were killed and reaped: none is left running.
    for r in readers {
        assert!(!is_reader(r), "reader {r} outlived the scan");
    }
    let out = std::fs::read_to_string(&out_path).unwrap();
    assert!(
        out.contains("m_lent.xlsx") && out.contains("scan interrupted"),
        "{out}"
    );
    assert!(out
        .lines()
        .last()
        .unwrap()
        .contains(r#""interrupted":true"#));
}

#[test]
fn the_reader_subcommand_is_not_in_the_help() {
    let run = crate::util::pdscout(["--help"]);
    assert!(!run.stdout().contains("extract-child"), "{}", run.stdout());
    let run = crate::util::pdscout(["scan", "--help"]);
    assert!(run.stdout().contains("--child-memory") && run.stdout().contains("--in-process"));
}
