//! SIGINT/SIGTERM: the real binary, interrupted in the middle of a large
//! tree, stops its workers (the file being read included), prints a
//! complete, well-formed report of what was scanned whose summary says
//! `"interrupted": true`, and exits 130.

use crate::util::Dir;
use serde_json::Value;
use std::io::Write;
use std::time::{Duration, Instant};

/// A tree that takes a while: small files with findings, and an 8 GiB
/// sparse log (a text head, a hole) that takes many seconds to read.
fn large_tree() -> Dir {
    let d = Dir::new();
    for i in 0..400 {
        d.file(
            &format!("lettres/l{i:03}.txt"),
            format!("Madame, contact : client{i}@example.fr\n").repeat(20),
        );
    }
    let mut f = std::fs::File::create(d.path().join("gros.log")).unwrap();
    f.write_all(&b"demarrage du service, rien de personnel\n".repeat(300))
        .unwrap();
    f.set_len(8 << 30).unwrap();
    d
}

#[cfg(unix)]
fn interrupted_by(signal: &str) {
    let d = large_tree();
    // The report and stderr are written outside the scanned tree (else the
    // scan may read them too, and the counts below are off).
    let outside = Dir::new();
    let out_path = outside.path().join("rapport.jsonl");
    let err_path = outside.path().join("stderr.txt");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pdscout"))
        .args([
            "scan",
            "--no-progress",
            "--format",
            "jsonl",
            "-j",
            "2",
            "--max-file-time",
            "3600",
        ])
        .arg(d.path())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    // Records on stdout: the run is under way (its signal handler installed).
    let started = Instant::now();
    while std::fs::metadata(&out_path).map_or(0, |m| m.len()) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no output after 60 s"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "ended before the signal"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let kill = std::process::Command::new("kill")
        .args([format!("-{signal}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    // Hang guard: the run stops promptly (the 8 GiB file is cut short).
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("pdscout did not stop within 120 s of {signal}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = std::fs::read_to_string(&err_path).unwrap();
    assert_eq!(status.code(), Some(130), "{signal}: stderr {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("INTERRUPTED"), "{stderr}");
    let report = std::fs::read_to_string(&out_path).unwrap();
    assert!(report.ends_with('\n'), "the last record is complete");
    let records: Vec<Value> = report
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad jsonl {l:?}: {e}")))
        .collect();
    let summary = records.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["interrupted"], true);
    assert_eq!(records.iter().filter(|r| r["type"] == "summary").count(), 1);
    // What was reported adds up: each finding's file was counted.
    let findings = records.iter().filter(|r| r["type"] == "finding").count() as u64;
    let total: u64 = summary["findings"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(findings, total);
    // The large file was stopped where it was, and says so (unless the
    // signal came before a worker opened it: then it is not counted).
    let errors: Vec<&Value> = records.iter().filter(|r| r["type"] == "error").collect();
    let scanned = summary["files_scanned"].as_u64().unwrap();
    assert!(
        (errors.len() == 1 && scanned <= 401) || (errors.is_empty() && scanned <= 400),
        "{scanned} files, {errors:?}"
    );
    for e in errors {
        let reason = e["error"].as_str().unwrap();
        assert!(
            reason.starts_with("scan interrupted (SIGINT/SIGTERM): not read from byte "),
            "{reason}"
        );
        assert!(e["path"].as_str().unwrap().ends_with("gros.log"));
    }
}

#[cfg(unix)]
#[test]
fn sigterm_gives_a_complete_report_and_exit_130() {
    interrupted_by("TERM");
}

#[cfg(unix)]
#[test]
fn sigint_gives_a_complete_report_and_exit_130() {
    interrupted_by("INT");
}
