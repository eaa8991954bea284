//! Hostile input: one pathological file never stalls, crashes or blows up a
//! sweep, a file not fully read never looks clean, and the personal data in
//! a normal file beside it is still found. Large inputs are generated at
//! test time (sparse or streamed), never committed; the time limits passed
//! to the runs are hang guards, not measurements.
//!
//! Inputs found by fuzzing (`fuzz/`), in `fixtures/hostile/`, each must give
//! an error record and never take the scan down:
//!
//! - `fuzz_difat_16gib.xls`: an OLE header whose count makes calamine
//!   reserve 16 GiB (an abort, not a panic), refused before calamine sees it.
//! - `fuzz_fat_len_6gib.xls`: the same with the header's FAT-sector count.
//! - `fuzz_calamine_panic.xlsb`: a truncated record that made calamine 0.34 index
//!   past a slice (a panic, caught); 0.38 reports the sheet as not fully read.
//! - `fuzz_header_column_2gib.xlsb`: a header cell at a huge column index,
//!   for which the header row reserved 2.4 GB of column roles.
//!
//! - `quine.zip` (made by `make_zip_quine.py`, after Russ Cox): a zip whose
//!   only member is the zip itself; reported as a self-referencing archive.
//!
//! Elsewhere: zip and gzip bombs, nesting limits and encrypted members in
//! `containers.rs`; the PDF page-tree loop, self-drawing form and
//! decompression bomb in `pdf.rs`; XML entities and 100,000-level nesting in
//! `office.rs`; FIFOs and symbolic-link loops in `scan.rs`.

use crate::hostile_archives::QUINE_REASON;
use crate::util::{
    big_file, fixtures, scan_revealed, scan_within, xlsx_cell, xlsx_streamed, Dir, Run,
};
use std::io::Write;
use std::time::Duration;

/// Hang guard of the runs below.
pub(crate) const GUARD: Duration = Duration::from_secs(300);

const NEIGHBOUR: &str = "voisin.txt";
pub(crate) const NEIGHBOUR_EMAIL: &str = "voisin.normal@example.fr";

/// A normal file beside the hostile one.
pub(crate) fn neighbour(d: &Dir) {
    d.file(NEIGHBOUR, format!("Contact : {NEIGHBOUR_EMAIL}\n"));
}

/// The normal file's personal data was found.
pub(crate) fn assert_neighbour_found(run: &Run) {
    let found: Vec<String> = run
        .findings_of(NEIGHBOUR)
        .iter()
        .map(|f| f["value"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(found, [NEIGHBOUR_EMAIL], "stderr: {}", run.stderr());
}

/// (value, line, column) of the findings of file `name`.
pub(crate) fn located(run: &Run, name: &str) -> Vec<(String, u64, u64)> {
    run.findings_of(name)
        .iter()
        .map(|f| {
            (
                f["value"].as_str().unwrap_or("").to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
                f["location"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn fuzz_regressions_are_errors_not_crashes() {
    let run = scan_revealed(&fixtures().join("hostile"), &[]);
    run.assert_code(0);
    let mut errors = run.errors_by_name();
    errors.sort();
    let names: Vec<&str> = errors.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "fuzz_calamine_panic.xlsb",
            "fuzz_difat_16gib.xls",
            "fuzz_fat_len_6gib.xls",
            "fuzz_header_column_2gib.xlsb",
            "quine.zip",
        ]
    );
    // calamine 0.38 reads the truncated record's sheet as far as it goes
    // (0.34 panicked: the whole workbook was lost).
    assert_eq!(
        errors[0].1,
        "xlsb sheet \"Locataires\" not (fully) read: I/O error: File is larger than its declared uncompressed size"
    );
    assert!(
        errors[1..3].iter().all(|(_, e)| e.starts_with("corrupt")),
        "{errors:?}"
    );
    // A header cell at a column past 2^26 made the header row reserve
    // 2.4 GB of column roles: now only Excel's 16,384 columns are typed; the
    // damaged sheet is reported, the other one read.
    assert_eq!(
        errors[3].1,
        "xlsb sheet \"Locataires\" not (fully) read: I/O error: File is larger than its declared uncompressed size"
    );
    assert_eq!(run.findings_of("fuzz_header_column_2gib.xlsb").len(), 4);
    assert_eq!(errors[4].1, QUINE_REASON);
}

// ---------------------------------------------------------------------------
// The time budget (--max-file-time)
// ---------------------------------------------------------------------------

/// 100,000 lines (5 MB, several 1 MiB chunks) with an address on the first
/// and the last line.
fn long_text(d: &Dir) -> std::path::PathBuf {
    let mut s = String::from("premier : jean.dupont@example.fr\n");
    for i in 0..100_000 {
        s.push_str(&format!(
            "ligne de texte sans rien de personnel numero {i}\n"
        ));
    }
    s.push_str("dernier : marie.curie@example.fr\n");
    d.file("long.txt", s)
}

#[test]
fn a_file_over_its_time_budget_keeps_its_findings_and_says_where_it_stopped() {
    let d = Dir::new();
    long_text(&d);
    neighbour(&d);
    // A budget of 0 reads the first unit (1 MiB) of each file and no more.
    let run = scan_within(GUARD, d.path(), &["--max-file-time", "0"]);
    run.assert_code(0);
    let found = located(&run, "long.txt");
    assert_eq!(found, [("jean.dupont@example.fr".to_string(), 1, 11)]);
    let errors = run.errors_of("long.txt");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "time limit of 0 s per file reached (--max-file-time): not read from line "
        ) && errors[0].ends_with(" on, the findings before it are reported"),
        "{errors:?}"
    );
    // Where it stopped: after the first chunk, before the last line.
    let line: u64 = errors[0]
        .split("from line ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("a line number");
    assert!(line > 1000 && line < 100_002, "{line}");
    let summary = run.summary();
    assert_eq!(summary["not_covered"], 1);
    assert_eq!(summary["errors"], 1);
    assert_eq!(summary["files_scanned"], 2);
    assert_neighbour_found(&run);
    // The default budget reads it all.
    let run = scan_within(GUARD, d.path(), &[]);
    run.assert_code(0);
    assert_eq!(located(&run, "long.txt").len(), 2);
    assert!(run.of_type("error").is_empty());
}

#[test]
fn time_budget_in_csv_spreadsheet_and_pdf_says_line_row_or_page() {
    let d = Dir::new();
    let mut csv = String::from("Nom;Courriel\n");
    for i in 0..5000 {
        csv.push_str(&format!("Client {i};client{i}@example.fr\n"));
    }
    d.file("clients.csv", csv);
    let mut f = std::fs::File::create(d.path().join("clients.xlsx")).unwrap();
    xlsx_streamed(&mut f, "Feuil1", "", |w| {
        for r in 1..=5000 {
            write!(
                w,
                r#"<row r="{r}">{}</row>"#,
                xlsx_cell(&format!("A{r}"), &format!("client{r}@example.fr"))
            )
            .unwrap();
        }
    });
    drop(f);
    std::fs::copy(
        fixtures().join("pdf/bulletin_paie.pdf"),
        d.path().join("bulletin.pdf"),
    )
    .unwrap();
    let run = scan_within(GUARD, d.path(), &["--max-file-time", "0"]);
    run.assert_code(0);
    let reason = |name: &str| {
        let e = run.errors_of(name);
        assert_eq!(e.len(), 1, "{name}: {e:?}");
        e[0].clone()
    };
    let place = |name: &str| {
        reason(name)
            .split("not read from ")
            .nth(1)
            .and_then(|r| r.split(" on,").next())
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        place("clients.csv").starts_with("line "),
        "{}",
        reason("clients.csv")
    );
    assert!(
        place("clients.xlsx").starts_with("row "),
        "{}",
        reason("clients.xlsx")
    );
    assert_eq!(place("bulletin.pdf"), "page 2");
    // What came before is reported.
    assert!(!run.findings_of("clients.csv").is_empty());
    assert!(!run.findings_of("clients.xlsx").is_empty());
    let pages: Vec<u64> = run
        .findings_of("bulletin.pdf")
        .iter()
        .map(|f| f["location"]["page"].as_u64().unwrap())
        .collect();
    assert!(
        !pages.is_empty() && pages.iter().all(|&p| p == 1),
        "{pages:?}"
    );
    assert_eq!(run.summary()["not_covered"], 3);
}

#[test]
fn max_file_time_must_be_a_number_of_seconds() {
    let d = Dir::new();
    for bad in ["-1", "soixante", ""] {
        let run = crate::util::pdscout([
            "scan",
            &format!("--max-file-time={bad}"),
            d.path().to_str().unwrap(),
        ]);
        run.assert_code(2);
        assert!(run.stderr().contains("--max-file-time"), "{}", run.stderr());
    }
}

// ---------------------------------------------------------------------------
// Huge files
// ---------------------------------------------------------------------------

#[test]
fn two_gib_without_a_newline_is_streamed_and_its_last_value_found() {
    let d = Dir::new();
    neighbour(&d);
    let filler = b"lorem ipsum dolor sit amet, consectetur adipiscing elit 12 rue ";
    let len = 2u64 << 30;
    big_file(
        &d.path().join("ligne.txt"),
        b"",
        filler,
        len,
        b" contact : fin.de.ligne@example.fr ",
    );
    let size = std::fs::metadata(d.path().join("ligne.txt")).unwrap().len();
    assert!(size >= len - (1 << 20));
    // A budget that a slow machine cannot hit: the point is the streaming.
    let run = scan_within(GUARD, d.path(), &["--max-file-time", "3600"]);
    run.assert_code(0);
    let at = size - b" contact : fin.de.ligne@example.fr ".len() as u64 + 12;
    assert_eq!(
        located(&run, "ligne.txt"),
        [("fin.de.ligne@example.fr".to_string(), 1, at)]
    );
    assert!(
        run.of_type("error").is_empty(),
        "{:?}",
        run.errors_by_name()
    );
    assert_neighbour_found(&run);
}

#[cfg(unix)]
#[test]
fn sparse_files_finish_ten_gib_of_zeros_skipped_text_after_a_hole_found() {
    let d = Dir::new();
    neighbour(&d);
    const TEN_GIB: u64 = 10 << 30;
    // Zeros only: binary, skipped at once.
    std::fs::File::create(d.path().join("zeros.img"))
        .unwrap()
        .set_len(TEN_GIB)
        .unwrap();
    // Text, a 1 GiB hole (a preallocated log), text again: the hole is read
    // (the kernel gives zeros) but not decoded. 1 GiB, not 10: reading
    // holes costs about 2 s per GiB of system time here.
    let path = d.path().join("journal.log");
    let mut f = std::fs::File::create(&path).unwrap();
    let head = "démarrage du service\n".repeat(500) + "contact : avant.le.trou@example.fr\n";
    f.write_all(head.as_bytes()).unwrap();
    f.set_len(1 << 30).unwrap();
    use std::io::{Seek, SeekFrom};
    f.seek(SeekFrom::End(0)).unwrap();
    f.write_all(b"\ncontact : apres.le.trou@example.fr\n")
        .unwrap();
    drop(f);
    let run = scan_within(GUARD, d.path(), &["--max-file-time", "3600"]);
    run.assert_code(0);
    let s = run.summary();
    assert_eq!(s["files_skipped"], 1, "zeros.img is binary");
    let mut found: Vec<String> = located(&run, "journal.log")
        .into_iter()
        .map(|(v, _, _)| v)
        .collect();
    found.sort();
    assert_eq!(
        found,
        ["apres.le.trou@example.fr", "avant.le.trou@example.fr"]
    );
    assert!(
        run.of_type("error").is_empty(),
        "{:?}",
        run.errors_by_name()
    );
    assert_neighbour_found(&run);
}

/// Measured on the 2-core test machine: about 4 s in all (writing the
/// 1,000,000 rows included), peak RSS 27 MiB.
#[test]
fn a_million_row_workbook_in_bounded_memory_with_located_findings() {
    million_rows(1_000_000);
}

/// A workbook of `rows` rows (a header, then 3 cells a row), an address on
/// the last row: streamed, found at its cell, memory bounded.
fn million_rows(rows: u32) {
    let d = Dir::new();
    neighbour(&d);
    let path = d.path().join("clients.xlsx");
    let f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    xlsx_streamed(f, "Clients", "", |w| {
        write!(
            w,
            r#"<row r="1">{}{}{}</row>"#,
            xlsx_cell("A1", "Référence"),
            xlsx_cell("B1", "Libellé"),
            xlsx_cell("C1", "Courriel")
        )
        .unwrap();
        for r in 2..=rows {
            let mail = if r == rows {
                "dernier.client@example.fr"
            } else {
                "-"
            };
            write!(
                w,
                r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c>{}{}</row>"#,
                xlsx_cell(&format!("B{r}"), "commande livrée"),
                xlsx_cell(&format!("C{r}"), mail)
            )
            .unwrap();
        }
    });
    #[cfg(target_os = "linux")]
    {
        let (run, peak_kib) = crate::util::run_peak_rss(
            d.path(),
            GUARD,
            [
                "scan",
                "-q",
                "--reveal",
                "--max-file-time",
                "3600",
                path.to_str().unwrap(),
            ],
        );
        run.assert_code(0);
        let f = run.findings_of("clients.xlsx");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0]["location"]["sheet"], "Clients");
        assert_eq!(f[0]["location"]["cell"], format!("C{rows}"));
        assert!(
            run.of_type("error").is_empty(),
            "{:?}",
            run.errors_by_name()
        );
        // Streamed cell by cell: memory does not follow the row count.
        assert!(peak_kib < 400 << 10, "peak RSS {peak_kib} KiB");
        eprintln!("{rows} rows: peak RSS {} MiB", peak_kib >> 10);
    }
}

// ---------------------------------------------------------------------------
// Files that change while read, vanish, or are not files
// ---------------------------------------------------------------------------

#[test]
fn a_file_growing_or_shrinking_while_read_ends_or_is_cut_at_its_budget() {
    let d = Dir::new();
    neighbour(&d);
    let growing = d.path().join("grandit.log");
    let shrinking = d.path().join("retrecit.log");
    let line = "une ligne de journal sans rien de personnel\n".repeat(20_000);
    std::fs::write(&growing, &line).unwrap();
    std::fs::write(&shrinking, line.repeat(20)).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers = {
        let stop = stop.clone();
        let (growing, shrinking) = (growing.clone(), shrinking.clone());
        std::thread::spawn(move || {
            let mut g = std::fs::OpenOptions::new()
                .append(true)
                .open(&growing)
                .unwrap();
            let s = std::fs::OpenOptions::new()
                .write(true)
                .open(&shrinking)
                .unwrap();
            let mut len = s.metadata().unwrap().len();
            let mut grown = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // Appended while read (up to 256 MiB: the scan may catch up
                // and end the file, or be cut at its budget).
                if grown < 256 << 20 {
                    g.write_all(line.as_bytes()).unwrap();
                    grown += line.len();
                }
                len = if len < 1 << 20 { 20 << 20 } else { len / 2 };
                s.set_len(len).unwrap();
                std::thread::sleep(Duration::from_millis(1));
            }
        })
    };
    let run = scan_within(GUARD, d.path(), &["--max-file-time", "2"]);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writers.join().unwrap();
    run.assert_code(0);
    // The growing file is read until its budget, and reported; the
    // shrinking one ends early (a read at its end) or is cut the same way,
    // and is said to have changed while it was read.
    for (name, e) in run.errors_by_name() {
        assert!(
            e.starts_with("time limit of 2 s per file reached")
                || (name == "retrecit.log" && e.starts_with("changed while it was read (")),
            "{name}: {e}"
        );
    }
    assert_neighbour_found(&run);
}

#[test]
fn files_deleted_during_the_scan_are_reported_as_vanished_or_not_seen() {
    let d = Dir::new();
    neighbour(&d);
    let n = 3000;
    for i in 0..n {
        d.file(
            &format!("lot/f{i:05}.txt"),
            format!("client{i}@example.fr\n"),
        );
    }
    let dir = d.path().join("lot");
    let deleter = std::thread::spawn(move || {
        for i in (0..n).rev() {
            let _ = std::fs::remove_file(dir.join(format!("f{i:05}.txt")));
        }
    });
    let run = scan_within(GUARD, d.path(), &["-j", "1"]);
    deleter.join().unwrap();
    assert!(matches!(run.code(), 0 | 1));
    // Each file was read, reported as gone, or never listed.
    for (name, e) in run.errors_by_name() {
        assert!(
            e == "file vanished before it could be read"
                || e == "no such file or folder"
                || e.starts_with("cannot read metadata"),
            "{name}: {e}"
        );
    }
    assert_neighbour_found(&run);
}

#[cfg(unix)]
#[test]
fn sockets_and_devices_are_skipped_without_blocking() {
    let d = Dir::new();
    neighbour(&d);
    let _listener = std::os::unix::net::UnixListener::bind(d.path().join("service.sock")).unwrap();
    for dev in ["null", "zero", "urandom"] {
        std::os::unix::fs::symlink(format!("/dev/{dev}"), d.path().join(format!("{dev}.lnk")))
            .unwrap();
    }
    // Without --follow-links the links are not followed; with it, the devices
    // they lead to are reported and never opened (/dev/zero never ends).
    let run = scan_within(GUARD, d.path(), &[]);
    run.assert_code(0);
    assert_eq!(
        run.errors_by_name(),
        [(
            "service.sock".to_string(),
            "not a regular file (socket): not read".to_string()
        )]
    );
    assert_neighbour_found(&run);
    let run = scan_within(GUARD, d.path(), &["--follow-links"]);
    run.assert_code(0);
    let mut errors = run.errors_by_name();
    errors.sort();
    assert_eq!(
        errors,
        [
            ("null.lnk", "not a regular file (device): not read"),
            ("service.sock", "not a regular file (socket): not read"),
            ("urandom.lnk", "not a regular file (device): not read"),
            ("zero.lnk", "not a regular file (device): not read"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_neighbour_found(&run);
}

// ---------------------------------------------------------------------------
// Many files, long paths
// ---------------------------------------------------------------------------

#[test]
fn a_hundred_thousand_files_in_one_folder() {
    let d = Dir::new();
    neighbour(&d);
    let dir = d.path().join("dossier");
    std::fs::create_dir(&dir).unwrap();
    for i in 0..100_000 {
        let text: &[u8] = if i == 77_777 {
            b"contact : le.seul@example.fr\n"
        } else {
            b"rien\n"
        };
        std::fs::write(dir.join(format!("note_{i:06}.txt")), text).unwrap();
    }
    let run = scan_within(GUARD, d.path(), &[]);
    run.assert_code(0);
    assert_eq!(run.summary()["files_scanned"], 100_001);
    assert_eq!(
        located(&run, "note_077777.txt"),
        [("le.seul@example.fr".to_string(), 1, 11)]
    );
    assert!(run.of_type("error").is_empty());
    assert_neighbour_found(&run);
}

#[cfg(unix)]
#[test]
fn very_long_paths_are_read_or_reported_never_silently_dropped() {
    let d = Dir::new();
    neighbour(&d);
    // Folder names of 200 bytes (accented letters: 2 bytes each), nested
    // 30 deep: about 6,000 bytes, past PATH_MAX (4,096). Made with relative
    // steps, as a long-lived share grows them.
    let name = "é".repeat(100);
    let mut script = String::from("set -e; cd \"$1\"; ");
    for i in 0..30 {
        script.push_str(&format!("mkdir {name}; cd -P {name}; "));
        if i == 15 {
            script.push_str("printf 'contact : mi.chemin@example.fr\\n' > milieu.txt; ");
        }
    }
    script.push_str("printf 'contact : tout.au.fond@example.fr\\n' > fond.txt");
    let out = std::process::Command::new("sh")
        .args(["-c", &script, "sh"])
        .arg(d.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = scan_within(GUARD, d.path(), &[]);
    assert!(matches!(run.code(), 0 | 1), "{}", run.stderr());
    // Under PATH_MAX: read.
    assert_eq!(
        located(&run, "milieu.txt"),
        [("mi.chemin@example.fr".to_string(), 1, 11)]
    );
    // Past it: read, or reported with its path (the open fails with "File
    // name too long"): never missing from the report.
    let deep_found = !run.findings_of("fond.txt").is_empty();
    let deep_reported = run
        .of_type("error")
        .iter()
        .any(|e| e["path"].as_str().is_some_and(|p| p.len() > 4096));
    assert!(deep_found || deep_reported, "{:?}", run.errors_by_name());
    assert_neighbour_found(&run);
}

// ---------------------------------------------------------------------------
// Archives
// ---------------------------------------------------------------------------
