//! `pdscout subject --db`: one person's data from the inventory, by the
//! fingerprints of their identifiers, without reading the share; with
//! `--verify`, the files it points to are read again as by `subject`.

use super::{worker, Outcome, ScanError};
use crate::config::{self, ScanConfig};
use crate::inventory::{absolute, path_of, Inventory};
use crate::report::printer::{new_printer, PrintOptions};
use crate::report::summary::SummaryTally;
use crate::report::{FileRecord, FindingRecord, Record};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Answers `cfg.subject` from the inventory `db` (only files under
/// `cfg.roots`, when given); with `verify`, re-reads the files found.
pub fn subject_from_index(cfg: &ScanConfig, db: &Path, verify: bool) -> Result<Outcome, ScanError> {
    let detectors = config::detectors(cfg)?;
    let Some(subject) = &detectors.subject else {
        return Err(ScanError::Usage("subject: no identifier given".into()));
    };
    let inv = Inventory::open_reader(db, &cfg.inventory)?;
    let under: Vec<String> = cfg
        .roots
        .iter()
        .map(|r| absolute(&worker::display(r)))
        .collect();
    let hits = inv.subject_hits(&subject.canonical_ids(), &under)?;
    if verify {
        let mut paths: Vec<PathBuf> = hits
            .iter()
            .filter(|h| h.matched != "record")
            // Another host's files are verified there.
            .filter(|h| h.source.as_deref().is_none_or(|s| s == inv.source()))
            .map(|h| path_of(&h.path))
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            // A file gone since the last run gets an error record ("no such
            // file or folder"), never the inventory's stale findings.
            let scan = ScanConfig {
                roots: paths,
                db: None,
                ..cfg.clone()
            };
            return super::run_roots(&scan);
        }
    }
    let out = super::report_output(cfg)?;
    let mut printer = new_printer(
        cfg.format,
        out,
        PrintOptions {
            title: db.display().to_string(),
            reveal: false,
            subject: cfg.subject.as_ref().map(|s| s.masked()),
            roots: if under.is_empty() {
                vec![format!("{} (every root of the inventory)", db.display())]
            } else {
                under.clone()
            },
        },
    );
    let mut totals = SummaryTally::default();
    // (path, entry) → (format, size, modified, findings per kind)
    type PerFile = BTreeMap<
        (String, Option<String>),
        (
            Option<String>,
            Option<u64>,
            Option<String>,
            BTreeMap<String, u64>,
        ),
    >;
    let mut files = PerFile::new();
    let write = |r: Record, p: &mut dyn crate::report::printer::Printer| {
        p.record(&r).map_err(ScanError::Write)
    };
    for h in &hits {
        let f = files
            .entry((h.shown_path(), h.entry.clone()))
            .or_insert_with(|| {
                (
                    h.format.clone(),
                    h.bytes,
                    h.modified.clone(),
                    BTreeMap::new(),
                )
            });
        *f.3.entry(h.kind.clone()).or_default() += 1;
        write(
            Record::Finding(FindingRecord {
                path: h.shown_path(),
                entry: h.entry.clone(),
                kind: h.kind.clone(),
                // The inventory keeps no value: `--verify --reveal` reads them.
                value: None,
                masked: h.masked.clone(),
                location: h.location.clone(),
                confidence: h.confidence,
                pattern: h.pattern.clone(),
                matched: Some(h.matched),
            }),
            printer.as_mut(),
        )?;
    }
    for ((path, entry), (format, bytes, modified, findings)) in files {
        let file = FileRecord {
            path,
            entry,
            format: format.unwrap_or_default(),
            bytes: bytes.unwrap_or(0),
            findings,
            modified,
            status: None,
            reason: None,
        };
        totals.file_with_findings(&file);
        write(Record::File(file), printer.as_mut())?;
    }
    let summary = totals.finish();
    write(Record::Summary(summary.clone()), printer.as_mut())?;
    printer.finish().map_err(ScanError::Write)?;
    Ok(Outcome {
        summary,
        broken_pipe: false,
    })
}
