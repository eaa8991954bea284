//! One worker thread's state, and the reading of one file: open, sniff the
//! format, extract, detect, filter (kinds, confidence, allow list) and turn
//! findings into records.

use super::{error_record, Msg};
use crate::config::{Detectors, ScanConfig};
use crate::detect::{Detector, Finding};
use crate::extract::csv::CsvBuffers;
use crate::extract::location::Locator;
use crate::extract::text::TextBuffers;
use crate::extract::{self, ExtractError, Format, Located, Origin, UnitSink};
use crate::report::mask::mask;
use crate::report::printer::Outbox;
use crate::report::{FileRecord, FindingRecord, Record};
use crossbeam_channel::Sender;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// Findings of one file are sent to the writer in batches of this size, so
/// that a huge log does not pile up its findings in memory.
const BATCH: usize = 4096;

/// What reading one file gave.
#[derive(Debug, Default)]
pub struct FileResult {
    /// Records still to print (the last findings, the `file` or `error` record).
    pub records: Outbox,
    /// The format read, `None` when the file was not read.
    pub format: Option<&'static str>,
    pub bytes: u64,
    /// The `file` record, when the file holds personal data.
    pub file: Option<FileRecord>,
    pub suppressed: u64,
    pub errors: u64,
    /// Not read, or not read to the end.
    pub not_covered: bool,
    /// Skipped as binary.
    pub binary: bool,
}

/// The text of a path in reports.
pub fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Per-thread state: a detector and reusable buffers.
pub struct Worker<'a> {
    detector: Detector<'a>,
    detectors: &'a Detectors,
    cfg: &'a ScanConfig,
    text_bufs: TextBuffers,
    csv_bufs: CsvBuffers,
    head: Vec<u8>,
    findings: Vec<Finding>,
}

impl<'a> Worker<'a> {
    pub fn new(detectors: &'a Detectors, cfg: &'a ScanConfig) -> Self {
        Worker {
            detector: detectors.engine.detector(),
            detectors,
            cfg,
            text_bufs: TextBuffers::default(),
            csv_bufs: CsvBuffers::default(),
            head: Vec::with_capacity(extract::SNIFF_LEN),
            findings: Vec::new(),
        }
    }

    /// An empty outbox in the run's output format.
    fn outbox(&self) -> Outbox {
        Outbox::new(self.cfg.format, self.cfg.reveal)
    }

    /// The result of a file that was not read, with the reason.
    pub fn skipped(&self, path: &Path, reason: String) -> FileResult {
        let mut records = self.outbox();
        records.push(error_record(&display(path), None, reason));
        FileResult {
            records,
            errors: 1,
            not_covered: true,
            ..FileResult::default()
        }
    }

    /// Reads one file; never panics across the file boundary.
    pub fn scan_path(&mut self, path: &Path, size: u64, tx: &Sender<Msg>) -> FileResult {
        let shown = display(path);
        match catch_unwind(AssertUnwindSafe(|| self.scan_file(path, &shown, size, tx))) {
            Ok(r) => r,
            Err(_) => self.skipped(
                path,
                "internal error while reading this file (a bug in pdscout; the scan went on)"
                    .into(),
            ),
        }
    }

    fn scan_file(&mut self, path: &Path, shown: &str, _size: u64, tx: &Sender<Msg>) -> FileResult {
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return self.skipped(path, open_error(&e)),
        };
        self.head.clear();
        if let Err(e) = (&mut file)
            .take(extract::SNIFF_LEN as u64)
            .read_to_end(&mut self.head)
        {
            return self.skipped(path, format!("read error: {e}"));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let sniffed = extract::sniff(&name, &self.head);
        let format = sniffed.format;
        let mut sink = FindingSink {
            detector: &mut self.detector,
            detectors: self.detectors,
            cfg: self.cfg,
            findings: &mut self.findings,
            path: shown,
            entry: None,
            records: Outbox::new(self.cfg.format, self.cfg.reveal),
            counts: BTreeMap::new(),
            suppressed: 0,
            last_end: 0,
            tx,
        };
        let read = match format {
            Format::Text => extract::text::extract(
                &self.head,
                &mut file,
                sniffed.encoding,
                sniffed.bom,
                &mut self.text_bufs,
                &mut sink,
            ),
            Format::Csv => extract::csv::extract(
                &self.head,
                &mut file,
                sniffed.encoding,
                sniffed.bom,
                &self.detectors.columns,
                &mut self.csv_bufs,
                &mut sink,
            ),
            Format::Binary => {
                return FileResult {
                    binary: true,
                    ..FileResult::default()
                }
            }
            Format::Unsupported(name) => Err(ExtractError::Unsupported(name)),
        };
        let mut result = FileResult {
            suppressed: sink.suppressed,
            ..FileResult::default()
        };
        let mut records = sink.records.take();
        let counts = std::mem::take(&mut sink.counts);
        match read {
            Ok(bytes) => {
                result.format = Some(format.name());
                result.bytes = bytes;
            }
            Err(e) => {
                // Findings made before the error are kept.
                records.push(error_record(shown, None, e.to_string()));
                result.errors = 1;
                result.not_covered = true;
            }
        }
        if !counts.is_empty() {
            let file = FileRecord {
                path: shown.to_string(),
                entry: None,
                format: format.name().to_string(),
                bytes: result.bytes,
                findings: counts,
            };
            records.push(Record::File(file.clone()));
            result.file = Some(file);
        }
        result.records = records;
        result
    }
}

fn open_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "file vanished before it could be read".into(),
        _ => format!("cannot open: {e}"),
    }
}

/// Receives a file's units, runs the detector, filters and records findings.
struct FindingSink<'s, 'a> {
    detector: &'s mut Detector<'a>,
    detectors: &'a Detectors,
    cfg: &'a ScanConfig,
    findings: &'s mut Vec<Finding>,
    path: &'s str,
    entry: Option<&'s str>,
    records: Outbox,
    counts: BTreeMap<String, u64>,
    suppressed: u64,
    /// End (absolute offset in the decoded text) of the last finding, so that
    /// overlapping chunks never report a value twice.
    last_end: u64,
    tx: &'s Sender<Msg>,
}

impl UnitSink for FindingSink<'_, '_> {
    fn unit(&mut self, located: &Located<'_>) {
        self.findings.clear();
        self.detector.detect(&located.unit, self.findings);
        if self.findings.is_empty() {
            return;
        }
        let engine = self.detectors.engine.patterns();
        let mut locator = Locator::new(located.unit.text, located.origin);
        let base = match located.origin {
            Origin::Text { offset, .. } => Some(offset),
            _ => None,
        };
        for f in self.findings.iter() {
            if let Some(base) = base {
                if base + (f.start as u64) < self.last_end {
                    continue;
                }
                self.last_end = base + f.end as u64;
            }
            let p = &engine[f.pattern];
            if f.confidence < self.cfg.min_confidence {
                continue;
            }
            if self.detectors.allow.allows(&p.kind, &f.value) {
                self.suppressed += 1;
                continue;
            }
            *self.counts.entry(p.kind.clone()).or_default() += 1;
            self.records.push(Record::Finding(FindingRecord {
                path: self.path.to_string(),
                entry: self.entry.map(str::to_string),
                kind: p.kind.clone(),
                value: self.cfg.reveal.then(|| f.value.clone()),
                masked: mask(&p.kind, &f.value),
                location: locator.locate(f.start),
                confidence: f.confidence,
                pattern: p.def.id.clone(),
            }));
        }
        if self.records.len() >= BATCH {
            let batch = self.records.take();
            // A closed channel means the writer stopped; the walk ends soon.
            let _ = self.tx.send(Msg::Records(batch));
        }
    }
}
