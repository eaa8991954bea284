//! The crate's layers point one way (ARCHITECTURE.md): a module may use the
//! modules below it, never one above it or beside it at its own rank. This
//! reads every source file's `crate::` and `super::super::` paths and the
//! binary's `pdscout::` paths. `cargo test --test it layers -- --nocapture`
//! prints the graph it found.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules, lowest first; a module may use only the modules of a
/// lower rank (same line = same rank, not allowed to use each other).
const LAYERS: &[&[&str]] = &[
    &["model", "platform", "exit_codes"],
    &["walk", "detect"],
    &["extract"],
    &["subject"],
    &["inventory"],
    &["report"],
    &["supervise"],
    &["config"],
    &["scan"],
    &["app"],
];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src readable").flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file belongs to (`src/detect/engine.rs` → detect).
fn owner(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src");
    let first = rel.components().next().expect("a component");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

/// The modules named after `prefix` in `text` (`crate::detect::…` → detect).
fn uses(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (i, _) in text.match_indices(prefix) {
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &text[i + prefix.len()..];
        // `crate::{a::X, b}`: every first name in the group.
        let group = match rest.strip_prefix('{') {
            Some(g) => &g[..g.find('}').unwrap_or(g.len())],
            None => rest,
        };
        for item in group.split(',') {
            let name: String = item
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
            if !rest.starts_with('{') {
                break;
            }
        }
    }
    found
}

#[test]
fn layers_point_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("source readable");
        let mut from = owner(&src, f);
        if from == "main" || from == "cli" {
            from = "app".into();
        }
        if from == "lib" {
            continue;
        }
        let mut used = uses(&text, "crate::");
        used.extend(uses(&text, "pdscout::"));
        for to in used {
            if to == from || to == "TestRng" {
                continue;
            }
            let (Some(a), Some(b)) = (rank(&from), rank(&to)) else {
                wrong.push(format!(
                    "{}: module {from} or {to} has no layer",
                    f.display()
                ));
                continue;
            };
            if b >= a {
                wrong.push(format!("{}: {from} uses {to}", f.display()));
            }
            graph.entry(from.clone()).or_default().insert(to);
        }
    }
    for (from, to) in &graph {
        println!(
            "{from} -> {}",
            to.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}
