//! `pdscout patterns`: the detectors in force, tried on a text, checked
//! against their own examples.

use super::cli::PatternsCommand;
use crate::config::{self, ScanConfig};
use crate::detect::{examples, Unit};
use crate::exit_codes;
use anyhow::Result;

/// `pdscout patterns`.
pub(super) fn run(cmd: PatternsCommand) -> Result<i32> {
    let dirs = match &cmd {
        PatternsCommand::List { patterns }
        | PatternsCommand::Test { patterns, .. }
        | PatternsCommand::Check { patterns } => patterns.clone(),
    };
    let cfg = ScanConfig {
        pattern_dirs: dirs,
        ..ScanConfig::default()
    };
    let d = config::detectors(&cfg)?;
    match cmd {
        PatternsCommand::List { .. } => {
            println!(
                "{:<20} {:<10} {:<12} {:<12} {:>5}  source",
                "pattern", "kind", "normaliser", "validator", "conf"
            );
            for p in d.engine.patterns() {
                println!(
                    "{:<20} {:<10} {:<12} {:<12} {:>5.2}  {}",
                    p.def.id, p.kind, p.def.normaliser, p.def.validator, p.def.confidence, p.source
                );
            }
            // A regex whose matches may start anywhere turns the fast path off.
            println!(
                "prefilter: {}",
                if d.engine.prefiltered() {
                    "on (every regex starts where the prefilter looks)"
                } else {
                    "off (a regex may match where the prefilter does not look: slower, same findings)"
                }
            );
            Ok(exit_codes::FOUND)
        }
        PatternsCommand::Test { text, column, .. } => {
            let role = column.as_deref().and_then(|c| d.columns.recognize(c));
            let unit = Unit {
                column_kind: role.map(|r| r.kind.as_str()),
                regex_free: false,
                ..Unit::whole(&text)
            };
            let mut found = Vec::new();
            d.engine.detector().detect(&unit, &mut found);
            for f in &found {
                let p = &d.engine.patterns()[f.pattern];
                let col = text[..f.start].chars().count() + 1;
                println!(
                    "{:<10} {:<32} col {:<4} conf {:.2}  [{}]",
                    p.kind, f.value, col, f.confidence, p.def.id
                );
            }
            if found.is_empty() {
                println!("nothing found");
            }
            Ok(if found.is_empty() {
                exit_codes::NOT_FOUND
            } else {
                exit_codes::FOUND
            })
        }
        PatternsCommand::Check { .. } => {
            let failures = examples::check(&d.engine, &d.columns);
            let n: usize = d
                .engine
                .patterns()
                .iter()
                .map(|p| p.def.examples.len() + p.def.negative_examples.len())
                .sum();
            for f in &failures {
                println!("FAIL {f}");
            }
            println!(
                "{} patterns, {} examples: {} passed, {} failed",
                d.engine.patterns().len(),
                n,
                n - failures.len(),
                failures.len()
            );
            Ok(if failures.is_empty() {
                exit_codes::FOUND
            } else {
                exit_codes::NOT_FOUND
            })
        }
    }
}
