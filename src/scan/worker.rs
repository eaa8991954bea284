//! One worker thread's state, and the reading of one file: open, extract
//! (through the format dispatch of [`crate::extract`]), detect, filter
//! (kinds, confidence, allow list) and turn findings into records. Members of
//! containers get their own `file` and `error` records, with `entry` set.

use super::{error_record, Msg};
use crate::config::{Detectors, ScanConfig};
use crate::detect::subject::record::{self, Member, Paragraphs, Place};
use crate::detect::subject::Strength;
use crate::detect::{Detector, Finding};
use crate::extract::location::Locator;
use crate::extract::{
    self, Buffers, Cx, Deadline, ExtractError, Format, Limits, Located, Origin, RowCell, UnitSink,
};
use crate::inventory::{Incremental, Prev, Stat, StoredFile, StoredFinding};
use crate::report::mask::mask_into;
use crate::report::printer::Outbox;
use crate::report::{FileRecord, FindingRecord, FindingView, Record};
use crate::supervise::{self, Supervisor};
use crossbeam_channel::Sender;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::SystemTime;

/// Findings of one file are sent to the writer in batches of this size, so
/// that a huge log does not pile up its findings in memory.
const BATCH: usize = 4096;

/// A file's records of at least this size become the batch's buffer
/// instead of being copied into it.
const LEND_BYTES: usize = 64 << 10;

/// What reading one file gave.
#[derive(Debug, Default)]
pub struct FileResult {
    /// Records still to print (the last findings, `file` and `error` records).
    pub records: Outbox,
    /// The format of the file and of each member read, in order.
    pub formats: Vec<&'static str>,
    /// Bytes of the file on disk that were read.
    pub bytes: u64,
    /// The `file` records (the file's and its members').
    pub files: Vec<FileRecord>,
    pub suppressed: u64,
    pub errors: u64,
    /// Files or members not read, or not read to the end.
    pub not_covered: u64,
    /// Skipped as binary.
    pub binary: bool,
    /// Why the file or some members were not fully read: (entry, reason).
    pub problems: Vec<(Option<String>, String)>,
    /// With `--db`: the findings not yet sent, for the inventory.
    pub stored_findings: Vec<StoredFinding>,
    /// With `--db`: what the inventory keeps of the file.
    pub stored: Option<Box<StoredFile>>,
}

/// An empty outbox for a run's records.
fn outbox_for(cfg: &ScanConfig) -> Outbox {
    let o = Outbox::new(cfg.format, cfg.reveal);
    if cfg.subject.is_some() {
        o.keeping_findings()
    } else {
        o
    }
}

/// The text of a path in reports (lossless: [`crate::inventory::path_text`]).
pub fn display(path: &Path) -> String {
    crate::inventory::path_text(path)
}

/// Per-thread state: a detector and reusable buffers.
pub struct Worker<'a> {
    detector: Detector<'a>,
    detectors: &'a Detectors,
    cfg: &'a ScanConfig,
    limits: Limits,
    bufs: Buffers,
    head: Vec<u8>,
    findings: Vec<Finding>,
    /// The masked-value buffer, lent to each file's sink.
    masked: String,
    /// Records of the files read since the lane last sent a batch: one
    /// buffer for many small files (no allocation a file, no buffer freed
    /// by the writer thread a file), sent whole.
    pending: Outbox,
    /// A file's record buffer, lent to each file read and kept for its
    /// capacity.
    scratch: Option<Outbox>,
    /// With `--db`: what the inventory knew before this run.
    inc: Option<&'a Incremental>,
    /// The reader process of the formats [`supervise::supervised`] names
    /// (`None`: every file is read in this thread).
    supervisor: Option<Supervisor>,
}

impl<'a> Worker<'a> {
    pub fn new(
        detectors: &'a Detectors,
        cfg: &'a ScanConfig,
        inc: Option<&'a Incremental>,
    ) -> Self {
        Worker {
            inc,
            detector: detectors.engine.detector(),
            detectors,
            cfg,
            limits: Limits {
                max_file_time: cfg.max_file_time,
                ..Limits::default()
            },
            bufs: Buffers::default(),
            head: Vec::with_capacity(extract::SNIFF_LEN),
            findings: Vec::new(),
            masked: String::new(),
            pending: outbox_for(cfg),
            scratch: None,
            supervisor: cfg.supervise.as_ref().and_then(|o| Supervisor::new(o, cfg)),
        }
    }

    /// An empty outbox in the run's output format.
    fn outbox(&self) -> Outbox {
        outbox_for(self.cfg)
    }

    /// Bytes of records waiting in [`Self::take_pending`].
    pub fn pending_bytes(&self) -> usize {
        self.pending.bytes.len()
    }

    /// The records of the files read since the last call, in order (each
    /// file's records together).
    pub fn take_pending(&mut self) -> Outbox {
        let taken = self.pending.take();
        // The next batch is likely as large (a batch is sent at 256 KB).
        self.pending
            .bytes
            .reserve(taken.bytes.len().min(LEND_BYTES << 2));
        taken
    }

    /// The result of a file that was not read, with the reason.
    pub fn skipped(&self, path: &Path, reason: String) -> FileResult {
        let shown = display(path);
        let mut records = self.outbox();
        records.push(error_record(&shown, None, reason.clone()));
        let stored = self.inc.map(|_| {
            Box::new(StoredFile {
                path: crate::inventory::absolute(&shown),
                status: "skipped",
                problems: vec![(None, reason.clone())],
                ..StoredFile::default()
            })
        });
        FileResult {
            records,
            errors: 1,
            not_covered: 1,
            problems: vec![(None, reason)],
            stored,
            ..FileResult::default()
        }
    }

    /// Reads one file found by the walk (`meta` as the walk saw it, if it
    /// looked). With an inventory, a file unchanged since the last run is not
    /// read: its findings are kept and its `file` record comes from the
    /// inventory.
    pub fn file(
        &mut self,
        path: &Path,
        meta: Option<&std::fs::Metadata>,
        tx: &Sender<Msg>,
    ) -> FileResult {
        let Some(inc) = self.inc else {
            return self.read(path, meta.map(Seen::of), None, tx);
        };
        // The inventory compares the file's size and date with the last
        // run's before opening it.
        let asked;
        let meta = match meta {
            Some(m) => m,
            None => match std::fs::symlink_metadata(path) {
                Ok(m) => {
                    asked = m;
                    &asked
                }
                Err(e) => return self.skipped(path, format!("cannot read metadata: {e}")),
            },
        };
        let shown = display(path);
        let abs = crate::inventory::absolute(&shown);
        let stat = Some(Stat::of(meta));
        if let Some(prev) = stat.as_ref().and_then(|st| inc.unchanged(&abs, st)) {
            return unchanged(&shown, prev);
        }
        let mut r = self.read(path, Some(Seen::of(meta)), Some(&abs), tx);
        let status = if meta.len() == 0 {
            "empty"
        } else if r.binary {
            "binary"
        } else if r
            .files
            .iter()
            .any(|f| f.entry.is_none() && f.status.as_deref() == Some("skipped"))
        {
            "skipped"
        } else if r.not_covered > 0 || stat.is_none() {
            if r.formats.is_empty() {
                "error"
            } else {
                "partial"
            }
        } else {
            "ok"
        };
        let mut kinds = BTreeMap::new();
        for f in &r.files {
            for (k, n) in &f.findings {
                *kinds.entry(k.clone()).or_default() += n;
            }
        }
        let hash = matches!(status, "ok" | "partial")
            .then(|| content_hash(path, &mut self.head, &inc.key))
            .flatten();
        r.stored = Some(Box::new(StoredFile {
            path: abs,
            stat,
            hash,
            format: r.formats.first().map(|f| f.to_string()),
            status,
            unchanged: None,
            findings: std::mem::take(&mut r.stored_findings),
            problems: r.problems.clone(),
            kinds,
            records: (!r.files.is_empty())
                .then(|| serde_json::to_string(&r.files).ok())
                .flatten(),
        }));
        r
    }

    /// Reads one file (`seen`: its size and date, when already known; else
    /// asked of the open file); never panics across the file boundary.
    fn read(
        &mut self,
        path: &Path,
        seen: Option<Seen>,
        abs: Option<&str>,
        tx: &Sender<Msg>,
    ) -> FileResult {
        // Nothing to read in an empty file; and /proc's pseudo files say
        // they are empty, some block forever when read (kmsg).
        if seen.is_some_and(|s| s.size == 0) {
            return empty_file();
        }
        let shown = display(path);
        match catch_unwind(AssertUnwindSafe(|| {
            self.scan_file(path, seen, &shown, abs, tx)
        })) {
            Ok(mut r) => {
                // A large file's records are not copied: its buffer is
                // lent to the batch, which it fills.
                if self.pending.is_empty() && r.records.bytes.len() >= LEND_BYTES {
                    std::mem::swap(&mut self.pending, &mut r.records);
                } else {
                    self.pending.append(&mut r.records);
                }
                self.scratch = Some(std::mem::take(&mut r.records));
                r
            }
            Err(_) => self.skipped(
                path,
                "internal error while reading this file (a bug in pdscout; the scan went on)"
                    .into(),
            ),
        }
    }

    fn scan_file(
        &mut self,
        path: &Path,
        seen: Option<Seen>,
        shown: &str,
        abs: Option<&str>,
        tx: &Sender<Msg>,
    ) -> FileResult {
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return self.skipped(path, open_error(&e)),
        };
        // Asking the open file spares a second lookup of its path.
        let Seen { size, modified } = match seen {
            Some(s) => s,
            None => match file.metadata() {
                Ok(m) => Seen::of(&m),
                Err(e) => return self.skipped(path, format!("cannot read metadata: {e}")),
            },
        };
        if size == 0 {
            return empty_file(); // as above, known only now
        }
        if let Err(e) = read_head(&mut file, size, &mut self.head) {
            return self.skipped(path, format!("read error: {e}"));
        }
        // All of a small file is in the head: no read is needed to learn
        // where it ends (bytes appended since the walk saw its size are left
        // for the next scan, as if it had been read a moment earlier).
        let whole = (self.head.len() as u64) == size && self.head.len() < extract::SNIFF_LEN;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let records = self.scratch.take().unwrap_or_else(|| self.outbox());
        let mut sink = FindingSink {
            modified,
            detector: &mut self.detector,
            detectors: self.detectors,
            cfg: self.cfg,
            findings: &mut self.findings,
            path: shown,
            inc: self.inc.zip(abs),
            entries: Vec::new(),
            entry: None,
            counts: BTreeMap::new(),
            result: FileResult {
                records,
                ..FileResult::default()
            },
            last_end: 0,
            tx,
            held: Vec::new(),
            held_key: None,
            masked: std::mem::take(&mut self.masked),
            problem: None,
            listed: 0,
            unlisted: 0,
            paragraphs: Paragraphs::default(),
            objects: Vec::new(),
            next_object: 0,
            object_path: String::new(),
        };
        let supervisor = self
            .supervisor
            .as_mut()
            .filter(|_| supervise::supervised(extract::sniff(&name, &self.head).format));
        let read = if let Some(supervisor) = supervisor {
            // Read by the worker's reader process, replayed into the sink.
            supervisor.extract(path, &self.detectors.columns, &mut sink)
        } else {
            let deadline =
                Deadline::start(self.limits.max_file_time).interruptible(&super::INTERRUPT);
            let mut cx = Cx {
                columns: &self.detectors.columns,
                bufs: &mut self.bufs,
                limits: &self.limits,
                depth: 0,
                expanded: 0,
                deadline: &deadline,
            };
            extract::extract_file(&name, &self.head, &mut file, whole, &mut cx, &mut sink)
        };
        // Members left open by an extractor that stopped early.
        sink.flush_held();
        while let Some(top) = sink.entries.last() {
            if top.outer_counts.is_none() {
                sink.leave_part();
            } else {
                sink.leave(&Err(ExtractError::Limit("not read to the end".into())));
            }
        }
        let counts = std::mem::take(&mut sink.counts);
        self.masked = std::mem::take(&mut sink.masked);
        let sink_modified = sink.modified;
        let unlisted = sink.unlisted;
        let problem = sink.problem.take();
        let mut result = std::mem::take(&mut sink.result);
        if unlisted > 0 {
            // An error flood (a 42.zip) is summarised in one record.
            let more = format!("… and {unlisted} more errors in this file");
            result.records.push(error_record(shown, None, more.clone()));
            result.problems.push((None, more));
            result.errors += 1;
        }
        let format = match &read {
            Ok((Format::Binary, _)) => {
                // Listed, never skipped in silence: "nothing found" must not
                // mean "not looked at".
                result.binary = true;
                let file = FileRecord::skipped(shown, None, "binary", "binary");
                result.records.push_file(&file);
                result.files.push(file);
                return result;
            }
            Err(ExtractError::Skipped { format, reason }) => {
                result.not_covered += 1;
                result.problems.push((None, reason.to_string()));
                let file = FileRecord::skipped(shown, None, format, reason);
                result.records.push_file(&file);
                result.files.push(file);
                return result;
            }
            Ok((format, bytes)) => {
                result.formats.insert(0, format.name());
                result.bytes = *bytes;
                format.name()
            }
            Err(e) => {
                // Findings made before the error are kept.
                result
                    .records
                    .push(error_record(shown, None, e.to_string()));
                result.problems.push((None, e.to_string()));
                result.errors += 1;
                result.not_covered += 1;
                extract::sniff(&name, &self.head).format.name()
            }
        };
        // A file partly read is listed even without findings.
        let problem = problem.or_else(|| read.as_ref().err().map(ToString::to_string));
        if !counts.is_empty() || (problem.is_some() && read.is_ok()) {
            let file = FileRecord {
                path: shown.to_string(),
                entry: None,
                format: format.to_string(),
                bytes: result.bytes,
                findings: counts,
                modified: iso_day(sink_modified),
                status: problem.is_some().then(|| "partial".to_string()),
                reason: problem,
            };
            result.records.push_file(&file);
            result.files.push(file);
        }
        result
    }
}

/// A file's size and date, as the walk or the open file told them.
#[derive(Clone, Copy)]
struct Seen {
    size: u64,
    modified: Option<SystemTime>,
}

impl Seen {
    fn of(m: &std::fs::Metadata) -> Self {
        Seen {
            size: m.len(),
            modified: m.modified().ok(),
        }
    }
}

/// The result of an empty file: nothing read.
fn empty_file() -> FileResult {
    FileResult {
        formats: vec!["empty"],
        ..FileResult::default()
    }
}

/// Reads the first [`extract::SNIFF_LEN`] bytes of `file` into `head`; of a
/// file of `size` bytes (as the walk saw it), no more than those: one read
/// call, where reading to the end takes a second one to find it.
pub(crate) fn read_head(file: &mut File, size: u64, head: &mut Vec<u8>) -> std::io::Result<()> {
    head.clear();
    let want = size.clamp(1, extract::SNIFF_LEN as u64);
    file.take(want).read_to_end(head).map(|_| ())
}

/// A file the inventory knows unchanged: its `file` record as last read.
/// (The writer prints its records, read from the inventory.)
fn unchanged(shown: &str, prev: &Prev) -> FileResult {
    let stored = StoredFile {
        path: shown.to_string(),
        unchanged: Some(prev.id),
        ..StoredFile::default()
    };
    FileResult {
        stored: Some(Box::new(stored)),
        ..FileResult::default()
    }
}

/// The keyed digest of a file's content, to recognise copies and moved
/// files: xxh3-128 (fast), then its MAC under the inventory's key, so that
/// the database alone cannot confirm a guessed content.
fn content_hash(path: &Path, buf: &mut Vec<u8>, key: &crate::inventory::Key) -> Option<String> {
    let mut f = File::open(path).ok()?;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    buf.resize(1 << 16, 0);
    loop {
        match f.read(buf) {
            Ok(0) => break,
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(key.content_digest(h.digest128()))
}

fn open_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "file vanished before it could be read".into(),
        _ => format!("cannot open: {e}"),
    }
}

/// A container member (or a document part) being read.
struct OpenEntry {
    name: String,
    /// The counts of the enclosing file or member, set aside (`None` for a
    /// part, whose findings count for the enclosing document).
    outer_counts: Option<BTreeMap<String, u64>>,
    /// The enclosing file's or member's first problem, set aside.
    outer_problem: Option<String>,
}

/// A modification time as the `file` records' `modified` date (`YYYY-MM-DD`,
/// local time).
fn iso_day(t: Option<SystemTime>) -> Option<String> {
    t.map(|t| crate::text::iso_date(chrono::DateTime::<chrono::Local>::from(t).date_naive()))
}

/// Receives a file's units, runs the detector, filters and records findings.
struct FindingSink<'s, 'a> {
    /// The file's modification time (shown as a date in `file` records,
    /// formatted only for files with findings).
    modified: Option<SystemTime>,
    detector: &'s mut Detector<'a>,
    detectors: &'a Detectors,
    cfg: &'a ScanConfig,
    findings: &'s mut Vec<Finding>,
    path: &'s str,
    /// With `--db`: the inventory's side, and the file's absolute path.
    inc: Option<(&'a Incremental, &'s str)>,
    /// Members being read, outermost first.
    entries: Vec<OpenEntry>,
    /// Their names joined with `/` (the records' `entry`).
    entry: Option<String>,
    /// Findings per kind of the current file or member.
    counts: BTreeMap<String, u64>,
    result: FileResult,
    /// End (absolute offset in the decoded text) of the last finding, so that
    /// overlapping chunks never report a value twice.
    last_end: u64,
    tx: &'s Sender<Msg>,
    /// `subject`: the findings of the current document or row, with their
    /// match and place.
    held: Vec<Held>,
    held_key: Option<RecordKey>,
    /// The masked value being recorded (the worker's buffer, reused).
    masked: String,
    /// The first reason the current file or member was not fully read.
    problem: Option<String>,
    /// Error and skipped records of members listed for this file so far,
    /// and those left out past [`MAX_LISTED`].
    listed: usize,
    unlisted: u64,
    /// With `subject` or `--db`: the paragraphs of the current document.
    paragraphs: Paragraphs,
    /// The JSON/XML objects open, innermost last; the next one's id; their
    /// path (`3/7/9`).
    objects: Vec<u32>,
    next_object: u32,
    object_path: String,
}

/// A finding held until its document ends (`subject`).
struct Held {
    rec: FindingRecord,
    member: Member,
}

/// A hash of a finding's kind and normalised value, to tell values apart.
fn value_hash(kind: &str, value: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    kind.hash(&mut h);
    value.hash(&mut h);
    h.finish()
}

/// Error records (and records of skipped members) of one file on disk, at
/// most: the rest are counted in one last record, so that a nested zip bomb
/// (42.zip) gives a hundred records, not 600,000.
pub const MAX_LISTED: usize = 100;

/// Findings held for a subject search at most, per record.
const MAX_HELD: usize = 20_000;

/// The record a finding belongs to, for `subject`: a table row, else the
/// whole document (file, member or message).
#[derive(Debug, Clone, PartialEq, Eq)]
enum RecordKey {
    Row(Option<String>, u64),
    Cell(Option<String>, String, u64),
    Page(Option<String>, u32),
    Document(Option<String>),
}

impl RecordKey {
    fn of(entry: Option<&str>, origin: &Origin<'_>) -> Self {
        let entry = entry.map(str::to_string);
        match origin {
            Origin::Field { line, .. } => RecordKey::Row(entry, *line),
            Origin::Cell { sheet, cell } => {
                let row = cell
                    .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                    .parse()
                    .unwrap_or(0);
                RecordKey::Cell(entry, sheet.to_string(), row)
            }
            Origin::Page { page } => RecordKey::Page(entry, *page),
            Origin::Text { .. } => RecordKey::Document(entry),
        }
    }
}

impl FindingSink<'_, '_> {
    /// Filters one finding (confidence, allow list) and records it; for
    /// `subject`, holds it with the others of its record until the record
    /// ends (`forced`: the strength of a direct mention of the subject).
    fn record(
        &mut self,
        pattern: usize,
        value: &str,
        confidence: f32,
        key: Option<&RecordKey>,
        forced: Option<Strength>,
        (locate, place): (
            impl FnOnce() -> crate::extract::Location,
            impl FnOnce(&Self, &crate::extract::Location) -> Place,
        ),
    ) {
        let p = &self.detectors.engine.patterns()[pattern];
        if confidence < self.cfg.min_confidence {
            return;
        }
        if self.detectors.allow.allows(&p.kind, value) {
            self.result.suppressed += 1;
            return;
        }
        // The view borrows these two while `self` records it.
        let mut masked = std::mem::take(&mut self.masked);
        let entry = self.entry.take();
        masked.clear();
        mask_into(&p.kind, value, &mut masked);
        let location = locate();
        let place = self.tracks_places().then(|| place(self, &location));
        let view = FindingView {
            path: self.path,
            entry: entry.as_deref(),
            kind: &p.kind,
            value: self.cfg.reveal.then_some(value),
            masked: &masked,
            location: &location,
            confidence,
            pattern: &p.def.id,
            matched: None,
        };
        let (Some(subject), Some(key)) = (&self.detectors.subject, key) else {
            // A plain scan: the record is encoded from these borrowed fields.
            self.store(&view, value, place.as_ref());
            self.count(view.kind);
            self.result.records.push_finding(&view);
            (self.masked, self.entry) = (masked, entry);
            return self.send_full_batch();
        };
        let rec = view.to_record();
        (self.masked, self.entry) = (masked, entry);
        let strength = forced.or_else(|| subject.matches(&p.kind, value));
        if self.held_key.as_ref() != Some(key) {
            self.flush_held();
            self.held_key = Some(key.clone());
        }
        let member = Member {
            place: place.unwrap_or(Place::Row),
            kind: p.kind.clone(),
            strength,
            value: value_hash(&p.kind, value),
            full_name: p.kind == "name" && value.split_whitespace().nth(1).is_some(),
        };
        self.held.push(Held { rec, member });
        if self.held.len() > MAX_HELD {
            // A huge record: keep only what names the subject.
            self.held.retain(|h| h.member.strength.is_some());
        }
    }

    /// Whether findings need their place (paragraph, object, row): for a
    /// subject's records, and for the inventory, which answers `subject --db`.
    fn tracks_places(&self) -> bool {
        self.detectors.subject.is_some() || self.inc.is_some()
    }

    /// Records a value assembled from a row's cells (a name from Nom and
    /// Prénom), located at the cell at `origin`.
    fn record_assembled(&mut self, pid: usize, value: &str, conf: f32, origin: Origin<'_>) {
        let key = self.record_key(&origin);
        self.record(
            pid,
            value,
            conf,
            key.as_ref(),
            None,
            (
                || Locator::new("", origin).locate(0),
                |s: &Self, _: &_| s.row_place(),
            ),
        );
    }

    /// Where a value assembled from a row's cells sits: the row, or the
    /// JSON/XML object whose members they are.
    fn row_place(&self) -> Place {
        if self.objects.is_empty() {
            Place::Row
        } else {
            Place::Object(self.object_path.clone())
        }
    }

    /// Where the finding at byte `at` of `located` sits (`loc`: its location).
    fn place_in(&self, located: &Located<'_>, at: usize, loc: &crate::extract::Location) -> Place {
        let text = located.unit.text;
        let line = match located.origin {
            Origin::Field { .. } | Origin::Cell { .. } => return Place::Row,
            Origin::Text { .. } if !self.objects.is_empty() => {
                return Place::Object(self.object_path.clone())
            }
            Origin::Text { .. } => loc.line.unwrap_or(0),
            // Lines counted from the page's start, as its paragraphs were.
            Origin::Page { .. } => {
                1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..at.min(text.len())]).count()
                    as u64
            }
        };
        let at = crate::text::floor_boundary(text, at.min(text.len()));
        let start = memchr::memrchr(b'\n', &text.as_bytes()[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i);
        let block = (!crate::detect::logline::starts_like_log(&text[start..end]))
            .then(|| self.paragraphs.block_of(line));
        Place::Flow { line, block }
    }

    /// Notes the paragraphs of a unit of flowing text.
    fn note_paragraphs(&mut self, located: &Located<'_>) {
        match located.origin {
            Origin::Text { line, .. } if self.objects.is_empty() => {
                self.paragraphs.note(located.unit.text, line)
            }
            Origin::Page { .. } => {
                self.paragraphs.reset();
                self.paragraphs.note(located.unit.text, 1);
            }
            _ => {}
        }
    }

    /// Ends the current document or row (`subject`): its matches are
    /// printed, and the findings of their records as `record`
    /// ([`record::select`]).
    fn flush_held(&mut self) {
        let held = std::mem::take(&mut self.held);
        self.held_key = None;
        let Some(subject) = &self.detectors.subject else {
            return;
        };
        let members: Vec<Member> = held.iter().map(|h| h.member.clone()).collect();
        let in_record = record::select(&members, &|kind| subject.gave(kind));
        for (mut h, in_record) in held.into_iter().zip(in_record) {
            h.rec.matched = match h.member.strength {
                Some(s) => Some(s.name()),
                None if in_record => Some("record"),
                None => continue,
            };
            self.emit(h.rec);
        }
    }

    /// The subject's surname written directly in the unit (`subject` only):
    /// as name findings, unless a name finding already covers it.
    fn subject_mentions(&self, located: &Located<'_>) -> Vec<(Finding, Option<Strength>)> {
        let (Some(subject), Some((pid, _))) =
            (&self.detectors.subject, self.detectors.engine.names())
        else {
            return Vec::new();
        };
        // A Nom or Prénom cell: the row gives the whole name.
        if located.unit.column_kind == Some("name-part") {
            return Vec::new();
        }
        let mut found = Vec::new();
        subject.mentions(located.unit.text, located.unit.report.clone(), &mut found);
        found
            .into_iter()
            // Inside a finding (a name, an e-mail address) it is that finding.
            .filter(|m| {
                !self
                    .findings
                    .iter()
                    .any(|f| f.start < m.end && m.start < f.end)
            })
            .map(|m| {
                let confidence = if m.strength == Strength::Strong {
                    0.9
                } else {
                    0.5
                };
                let f = Finding {
                    pattern: pid,
                    start: m.start,
                    end: m.end,
                    value: m.value,
                    confidence,
                };
                (f, Some(m.strength))
            })
            .collect()
    }

    /// With `--db`: keeps the finding for the inventory, fingerprinted.
    fn store(&mut self, rec: &FindingView<'_>, value: &str, place: Option<&Place>) {
        let Some((inc, _)) = self.inc else {
            return;
        };
        let (fingerprint, fingerprint_part) = inc.fingerprints(rec.kind, value);
        self.result.stored_findings.push(StoredFinding {
            entry: rec.entry.map(str::to_string),
            kind: rec.kind.to_string(),
            location: rec.location.clone(),
            masked: rec.masked.to_string(),
            confidence: rec.confidence,
            pattern: rec.pattern.to_string(),
            fingerprint,
            fingerprint_part,
            place: place.map(Place::encode),
        });
    }

    /// Counts one finding of `kind`.
    fn count(&mut self, kind: &str) {
        // A map key is allocated once per kind, not once per finding.
        match self.counts.get_mut(kind) {
            Some(n) => *n += 1,
            None => {
                self.counts.insert(kind.to_string(), 1);
            }
        }
    }

    /// Counts and queues one finding record for printing.
    fn emit(&mut self, rec: FindingRecord) {
        self.count(&rec.kind);
        self.result.records.push(Record::Finding(rec));
        self.send_full_batch();
    }

    /// Hands a full batch of records to the writer.
    fn send_full_batch(&mut self) {
        if self.result.records.len() >= BATCH {
            let batch = self.result.records.take();
            let stored = self.inc.map(|(_, abs)| {
                (
                    abs.to_string(),
                    std::mem::take(&mut self.result.stored_findings),
                )
            });
            // A closed channel means the writer stopped; the walk ends soon.
            let _ = self.tx.send(Msg::Records(batch, stored));
        }
    }

    /// The record of a finding at `origin`, for a subject search only.
    fn record_key(&self, origin: &Origin<'_>) -> Option<RecordKey> {
        self.detectors
            .subject
            .is_some()
            .then(|| RecordKey::of(self.entry.as_deref(), origin))
    }

    fn push_entry(&mut self, name: &str, outer_counts: Option<BTreeMap<String, u64>>) {
        // A part's problems are its document's.
        let outer_problem = if outer_counts.is_some() {
            self.problem.take()
        } else {
            None
        };
        self.entries.push(OpenEntry {
            name: name.to_string(),
            outer_counts,
            outer_problem,
        });
        self.set_entry();
    }

    /// The records' `entry`: the open members and parts joined with `/`.
    fn set_entry(&mut self) {
        self.entry = (!self.entries.is_empty()).then(|| {
            self.entries
                .iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>()
                .join("/")
        });
        self.last_end = 0;
        self.paragraphs.reset();
        self.objects.clear();
        self.object_path.clear();
    }

    /// Whether one more error or skipped record fits under [`MAX_LISTED`]
    /// (else it is counted for the last record).
    fn room(&mut self) -> bool {
        if self.listed < MAX_LISTED {
            self.listed += 1;
            true
        } else {
            self.unlisted += 1;
            false
        }
    }

    fn error(&mut self, message: String) {
        self.result.not_covered += 1;
        if !self.room() {
            self.problem.get_or_insert(message);
            return;
        }
        self.result
            .problems
            .push((self.entry.clone(), message.clone()));
        let rec = error_record(self.path, self.entry.clone(), message.clone());
        self.result.records.push(rec);
        self.result.errors += 1;
        self.problem.get_or_insert(message);
    }

    /// Lists the current member as not read (binary, an unsupported
    /// archive), with a `file` record.
    fn skipped_member(&mut self, format: &str, reason: &str) {
        self.result.not_covered += 1;
        if !self.room() {
            return;
        }
        self.result
            .problems
            .push((self.entry.clone(), reason.to_string()));
        let file = FileRecord::skipped(self.path, self.entry.clone(), format, reason);
        self.result.records.push_file(&file);
        self.result.files.push(file);
    }
}

impl UnitSink for FindingSink<'_, '_> {
    fn unit(&mut self, located: &Located<'_>) {
        if self.tracks_places() {
            self.note_paragraphs(located);
        }
        self.findings.clear();
        self.detector.detect(&located.unit, self.findings);
        let mentions = self.subject_mentions(located);
        if self.findings.is_empty() && mentions.is_empty() {
            return;
        }
        let mut locator = Locator::new(located.unit.text, located.origin);
        let base = match located.origin {
            Origin::Text { offset, .. } => Some(offset),
            _ => None,
        };
        // Only a subject search groups findings into records or has mentions:
        // a plain scan allocates nothing more per unit.
        let key = self.record_key(&located.origin);
        let mut findings = std::mem::take(self.findings);
        let forced: Vec<(usize, usize, Strength)> = mentions
            .iter()
            .filter_map(|(f, s)| s.map(|s| (f.start, f.end, s)))
            .collect();
        if !mentions.is_empty() {
            findings.extend(mentions.into_iter().map(|(f, _)| f));
            findings.sort_by_key(|f| f.start);
        }
        for f in &findings {
            if let Some(base) = base {
                if base + (f.start as u64) < self.last_end {
                    continue;
                }
                self.last_end = base + f.end as u64;
            }
            let strength = forced
                .iter()
                .find(|(s, e, _)| *s == f.start && *e == f.end)
                .map(|(_, _, st)| *st);
            self.record(
                f.pattern,
                &f.value,
                f.confidence,
                key.as_ref(),
                strength,
                (
                    || locator.locate(f.start),
                    |s: &Self, loc: &_| s.place_in(located, f.start, loc),
                ),
            );
        }
        *self.findings = findings;
    }

    fn row(&mut self, cells: &[RowCell<'_>]) {
        let engine = &self.detectors.engine;
        let cell = |role: &str| {
            cells
                .iter()
                .find(|c| c.role.is_some_and(|r| r.role == role))
        };
        let text = |role: &str| cell(role).map(|c| c.text);
        if let (Some((pid, names)), Some(last)) = (engine.names(), cell("last_name")) {
            if let Some((value, conf)) = names.from_cells(last.text, text("first_name")) {
                self.record_assembled(pid, &value, conf, last.origin);
            }
        }
        if let (Some((pid, addresses)), Some(street)) = (engine.addresses(), cell("address")) {
            // A full address in one cell was found in the cell itself.
            let has_postcode = street
                .text
                .as_bytes()
                .windows(5)
                .any(|w| w.iter().all(u8::is_ascii_digit));
            let others = cells
                .iter()
                .filter(|c| {
                    c.role
                        .is_none_or(|r| r.kind != "address" && r.kind != "address-part")
                })
                .map(|c| c.text);
            if !has_postcode {
                let found = addresses.from_cells(
                    street.text,
                    text("address_extra"),
                    text("postcode"),
                    text("city"),
                );
                if let Some((value, conf)) = found {
                    // A supplier list (a SIRET column, and no Nom or Prénom
                    // column: an employee table may give its establishment's
                    // SIRET) or a row naming a legal form holds a company's
                    // address.
                    let has = |roles: &[&str]| {
                        cells
                            .iter()
                            .any(|c| c.role.is_some_and(|r| roles.contains(&r.role.as_str())))
                    };
                    let company_table = has(&["company"]) && !has(&["last_name", "first_name"]);
                    let conf = if company_table || addresses.row_is_company(others) {
                        conf.min(0.3)
                    } else {
                        conf
                    };
                    self.record_assembled(pid, &value, conf, street.origin);
                }
            }
        }
    }

    fn enter(&mut self, name: &str) {
        self.flush_held();
        let outer = std::mem::take(&mut self.counts);
        self.push_entry(name, Some(outer));
    }

    fn enter_part(&mut self, name: &str) {
        self.push_entry(name, None);
    }

    fn leave_part(&mut self) {
        if self
            .entries
            .last()
            .is_some_and(|e| e.outer_counts.is_none())
        {
            self.entries.pop();
            self.set_entry();
        }
    }

    fn leave(&mut self, result: &Result<(Format, u64), ExtractError>) {
        self.flush_held();
        let counts = std::mem::take(&mut self.counts);
        let (format, bytes) = match result {
            Ok((Format::Binary, _)) => {
                self.skipped_member("binary", "binary");
                (None, 0)
            }
            Err(ExtractError::Skipped { format, reason }) => {
                self.skipped_member(format, reason);
                (None, 0)
            }
            Ok((f, b)) => (Some(f.name()), *b),
            Err(e) => {
                self.error(e.to_string());
                (None, 0)
            }
        };
        if let Some(f) = format {
            self.result.formats.push(f);
        }
        let problem = self.problem.take();
        // A member partly read is listed even without findings.
        if !counts.is_empty() || (problem.is_some() && format.is_some() && self.room()) {
            let file = FileRecord {
                path: self.path.to_string(),
                entry: self.entry.clone(),
                format: format.unwrap_or("unknown").to_string(),
                bytes,
                findings: counts,
                modified: iso_day(self.modified),
                status: problem.is_some().then(|| "partial".to_string()),
                reason: problem,
            };
            self.result.records.push_file(&file);
            self.result.files.push(file);
        }
        if let Some(e) = self.entries.pop() {
            if let Some(outer) = e.outer_counts {
                self.counts = outer;
                self.problem = e.outer_problem;
            }
        }
        self.set_entry();
    }

    fn not_covered(&mut self, reason: &str) {
        self.error(reason.to_string());
    }

    fn begin_object(&mut self) {
        self.next_object += 1;
        self.objects.push(self.next_object);
        self.object_path_changed();
    }

    fn end_object(&mut self) {
        self.objects.pop();
        self.object_path_changed();
    }
}

impl FindingSink<'_, '_> {
    /// Writes the open objects' path, when places are tracked.
    fn object_path_changed(&mut self) {
        if !self.tracks_places() {
            return;
        }
        use std::fmt::Write;
        self.object_path.clear();
        for (i, id) in self.objects.iter().enumerate() {
            let sep = if i == 0 { "" } else { "/" };
            let _ = write!(self.object_path, "{sep}{id}");
        }
    }
}
