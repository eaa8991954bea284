//! No personal data leaks out of a scan without `--reveal`: every output
//! channel of a scan of the fixtures (stdout in each format, the `-o` report
//! in each format, stderr with its summary, error records and a parser's
//! panic message, the progress bar on a terminal) is searched for the
//! fixtures' values, and none may appear. Reports written with `-o` are
//! mode 0600.
//!
//! The values are what a `--reveal --min-confidence 0` scan of the fixtures
//! finds (every kind, every format), plus those of `fixtures/expected.json`,
//! each also in the forms people write it (a phone with spaces, an IBAN or
//! NIR in groups). Values shorter than 6 characters (`::`, a lone surname
//! such as `Roux`) are left out: they would match ordinary words.

use crate::util::{fixtures, pdscout, Dir};
use serde_json::Value;
use std::collections::BTreeSet;

/// The fixtures' raw values, in the forms they may be written in.
fn raw_values() -> BTreeSet<String> {
    let mut values = BTreeSet::new();
    let run = pdscout([
        "scan".as_ref(),
        "-q".as_ref(),
        "--reveal".as_ref(),
        "--min-confidence".as_ref(),
        "0".as_ref(),
        fixtures().as_os_str(),
    ]);
    let mut found: Vec<(String, String)> = run
        .of_type("finding")
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("expected.json")).unwrap())
            .unwrap();
    for spec in expected["files"].as_object().unwrap().values() {
        for f in spec["findings"].as_array().unwrap() {
            found.push((
                f["kind"].as_str().unwrap().to_string(),
                f["value"].as_str().unwrap().to_string(),
            ));
        }
    }
    assert!(
        found.len() > 100,
        "the fixtures give {} values",
        found.len()
    );
    let group = |s: &str, n: usize| -> String {
        s.as_bytes()
            .chunks(n)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    };
    for (kind, v) in found {
        match kind.as_str() {
            "phone" => {
                if let Some(national) = v.strip_prefix("+33") {
                    let local = format!("0{national}");
                    values.insert(group(&local, 2));
                    values.insert(local);
                }
            }
            "iban" => {
                values.insert(group(&v, 4));
            }
            "nir" if v.len() == 15 => {
                values.insert(format!(
                    "{} {} {} {} {} {} {}",
                    &v[0..1],
                    &v[1..3],
                    &v[3..5],
                    &v[5..7],
                    &v[7..10],
                    &v[10..13],
                    &v[13..15]
                ));
                values.insert(v[..13].to_string());
            }
            "birthdate" if v.len() == 10 => {
                // 1985-03-12 → 12/03/1985
                values.insert(format!("{}/{}/{}", &v[8..10], &v[5..7], &v[0..4]));
            }
            _ => {}
        }
        values.insert(v);
    }
    values.retain(|v| v.chars().count() >= 6);
    values
}

/// Fails on the first value of `values` found in `text` (from `channel`).
fn assert_clean(channel: &str, text: &str, values: &BTreeSet<String>) {
    assert!(!text.is_empty(), "{channel}: nothing written");
    for v in values {
        assert!(
            !text.contains(v.as_str()),
            "{channel}: the raw value {v:?} appears without --reveal"
        );
    }
}

#[test]
fn no_raw_value_in_any_output_channel_without_reveal() {
    let values = raw_values();
    let root = fixtures();
    let d = Dir::new();
    for format in ["table", "jsonl", "json", "csv", "html"] {
        // stdout, and stderr with its one-line summary (and, for the damaged
        // xlsb fixture, the panic hook's message).
        let run = pdscout([
            "scan".as_ref(),
            "--format".as_ref(),
            format.as_ref(),
            root.as_os_str(),
        ]);
        run.assert_code(0);
        assert_clean(&format!("stdout --format {format}"), &run.stdout(), &values);
        if format != "table" {
            assert_clean(&format!("stderr --format {format}"), &run.stderr(), &values);
        }
        assert!(!run.stdout().contains("\"value\""));
        // The report file, private.
        let out = d.path().join(format!("rapport.{format}"));
        let run = pdscout([
            "scan".as_ref(),
            "--format".as_ref(),
            format.as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
            root.as_os_str(),
        ]);
        run.assert_code(0);
        assert!(run.stdout().is_empty());
        assert_clean(
            &format!("stderr -o --format {format}"),
            &run.stderr(),
            &values,
        );
        let report = std::fs::read_to_string(&out).unwrap();
        assert_clean(&format!("-o {format} report"), &report, &values);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{format} report mode");
        }
    }
    // Error records name the file and the reason only.
    let run = pdscout(["scan".as_ref(), "-q".as_ref(), root.as_os_str()]);
    let errors: Vec<String> = run
        .of_type("error")
        .iter()
        .map(|e| e["error"].as_str().unwrap().to_string())
        .collect();
    assert!(errors.len() >= 10, "{errors:?}");
    assert_clean("error records", &errors.join("\n"), &values);
}

/// On a terminal: the table on stdout and the progress bar on stderr (run
/// under `script`, which gives the scan a pseudo-terminal).
#[cfg(target_os = "linux")]
#[test]
fn no_raw_value_on_a_terminal_progress_bar_included() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("no `script` command: terminal channel not checked");
        return;
    }
    let values = raw_values();
    let d = Dir::new();
    let log = d.path().join("terminal.log");
    let bin = assert_cmd::cargo::cargo_bin("pdscout");
    // The progress bar is drawn while files are read: many of them, so that
    // it is drawn at least once (8 times a second).
    for i in 0..3 {
        std::fs::create_dir_all(d.path().join(format!("copie{i}"))).unwrap();
        let out = std::process::Command::new("cp")
            .args(["-r"])
            .arg(fixtures())
            .arg(d.path().join(format!("copie{i}")))
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    let command = format!(
        "'{}' scan '{}'; '{}' scan --format jsonl -o '{}' '{}'",
        bin.display(),
        d.path().display(),
        bin.display(),
        d.path().join("r.jsonl").display(),
        d.path().display()
    );
    let out = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command])
        .arg(&log)
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0)), "{out:?}");
    let terminal = String::from_utf8_lossy(&std::fs::read(&log).unwrap()).into_owned();
    assert!(terminal.contains("files scanned"), "{terminal}");
    assert_clean("terminal (table, progress, summary)", &terminal, &values);
}
