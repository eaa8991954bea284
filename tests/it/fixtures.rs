//! The hand-checked fixtures: every expected finding with its exact location,
//! and nothing else (decoys: wrong-key NIRs, bad-checksum IBANs, SIRETs,
//! version strings, dates without birth context…).

use crate::util::{fixtures, pdscout, scan_revealed};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

type Found = BTreeSet<(String, String, u64, u64)>;

fn expected() -> (Value, Vec<String>) {
    let text = std::fs::read_to_string(fixtures().join("expected.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let kinds = v["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    (v, kinds)
}

#[test]
fn text_and_csv_fixtures_give_exactly_the_expected_findings() {
    let (exp, kinds) = expected();
    let kinds = kinds.join(",");
    let run = scan_revealed(&fixtures(), &["--kinds", &kinds]);
    run.assert_code(0);
    let root = fixtures().display().to_string();
    let mut got: BTreeMap<String, Found> = BTreeMap::new();
    for f in run.of_type("finding") {
        let path = f["path"].as_str().unwrap();
        let rel = path.strip_prefix(&root).unwrap().trim_start_matches('/');
        // Other fixtures (spreadsheets, PDFs…) have their own tests and locations.
        if exp["files"].get(rel).is_none() {
            continue;
        }
        got.entry(rel.to_string()).or_default().insert((
            f["kind"].as_str().unwrap().into(),
            f["value"].as_str().unwrap().into(),
            f["location"]["line"].as_u64().unwrap(),
            f["location"]["column"].as_u64().unwrap(),
        ));
    }
    for (file, spec) in exp["files"].as_object().unwrap() {
        let want: Found = spec["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["kind"].as_str().unwrap().into(),
                    f["value"].as_str().unwrap().into(),
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64().unwrap(),
                )
            })
            .collect();
        let have = got.get(file.as_str()).cloned().unwrap_or_default();
        let missing: Vec<_> = want.difference(&have).collect();
        let extra: Vec<_> = have.difference(&want).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{file}: missing {missing:?}, extra {extra:?}"
        );
    }
}

#[test]
fn decoys_give_nothing_with_every_detector() {
    let run = scan_revealed(&fixtures().join("text/decoys.txt"), &[]);
    run.assert_code(1);
    assert!(run.of_type("finding").is_empty(), "{:?}", run.kind_values());
}

#[test]
fn binary_file_is_skipped_and_counted() {
    let run = scan_revealed(&fixtures().join("text/binary.bin"), &[]);
    run.assert_code(1);
    assert_eq!(run.summary()["files_skipped"], 1);
    assert_eq!(run.summary()["files_scanned"], 0);
}

#[test]
fn no_raw_value_leaks_without_reveal() {
    let (exp, _) = expected();
    let run = pdscout(
        ["scan", "--format", "jsonl"]
            .map(String::from)
            .into_iter()
            .chain([fixtures().display().to_string()]),
    );
    let table = pdscout([
        "scan".to_string(),
        "--format".into(),
        "table".into(),
        fixtures().display().to_string(),
    ]);
    let all = format!(
        "{}{}{}{}",
        run.stdout(),
        run.stderr(),
        table.stdout(),
        table.stderr()
    );
    assert!(!run.stdout().contains("\"value\""));
    for spec in exp["files"].as_object().unwrap().values() {
        for f in spec["findings"].as_array().unwrap() {
            let v = f["value"].as_str().unwrap();
            assert!(!all.contains(v), "raw value {v} printed without --reveal");
        }
    }
}
