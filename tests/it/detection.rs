//! Detection wherever people write personal data (issue 20, points 3–7):
//! results that never depend on `--kinds`, address blocks beside a
//! letterhead, initials and signatures, names in file and folder names,
//! phones as forms hold them, and the decoys that look like identifiers.

use crate::util::{fixtures, scan_revealed, Dir, Run};
use std::collections::BTreeSet;

/// (file, location, value) of every finding of `kind`.
fn of_kind(run: &Run, kind: &str) -> BTreeSet<String> {
    run.of_type("finding")
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| format!("{} {} {}", f["path"], f["location"], f["value"]))
        .collect()
}

/// The values of `kind`, sorted.
fn values(run: &Run, kind: &str) -> Vec<String> {
    let mut v: Vec<String> = run
        .of_type("finding")
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| f["value"].as_str().unwrap_or_default().to_string())
        .collect();
    v.sort();
    v
}

/// (value, confidence) of the findings of `kind`.
fn weighed(run: &Run, kind: &str) -> Vec<(String, f64)> {
    run.of_type("finding")
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| {
            (
                f["value"].as_str().unwrap_or_default().to_string(),
                f["confidence"].as_f64().unwrap_or_default(),
            )
        })
        .collect()
}

fn scan_text(name: &str, text: &str, extra: &[&str]) -> Run {
    let dir = Dir::new();
    dir.file(name, text);
    let run = scan_revealed(dir.path(), extra);
    run.assert_code(0);
    run
}

#[test]
fn a_kind_finds_the_same_whatever_else_kinds_asks_for() {
    let root = fixtures();
    let all = scan_revealed(&root, &["--min-confidence", "0"]);
    let kinds: BTreeSet<String> = all
        .of_type("finding")
        .iter()
        .filter_map(|f| f["kind"].as_str().map(str::to_string))
        .collect();
    assert!(kinds.contains("name") && kinds.contains("address") && kinds.contains("phone"));
    for kind in &kinds {
        let alone = scan_revealed(&root, &["--min-confidence", "0", "--kinds", kind]);
        assert_eq!(of_kind(&alone, kind), of_kind(&all, kind), "--kinds {kind}");
    }
    let pair = scan_revealed(&root, &["--min-confidence", "0", "--kinds", "name,address"]);
    for kind in ["name", "address"] {
        assert_eq!(of_kind(&pair, kind), of_kind(&all, kind), "--kinds name,address");
    }
}

#[test]
fn an_address_after_a_phone_on_its_line_is_found_with_every_kind() {
    // A short number runs into the street's number: the phone pattern saw
    // `04 78 12 34 14`, and the address was lost with every kind asked.
    let text = "Tél : 04 78 12 34 14 avenue Jean Jaurès 69007 Lyon\n\
                Mobile 0612345678 - 5 rue Paul Bert, 69003 Lyon\n";
    for kinds in [None, Some("address"), Some("name,address")] {
        let mut extra = vec!["--min-confidence", "0"];
        if let Some(k) = kinds {
            extra.extend(["--kinds", k]);
        }
        let run = scan_text("fiche.txt", text, &extra);
        assert_eq!(
            values(&run, "address"),
            ["14 avenue Jean Jaurès, 69007 Lyon", "5 rue Paul Bert, 69003 Lyon"],
            "{kinds:?}"
        );
    }
}
