//! One worker thread's state, and the reading of one file: open it (or find
//! it unchanged in the inventory), extract it (through the format dispatch of
//! [`crate::extract`], or a reader process) into its [`FindingSink`], and
//! summarise what was read in a [`FileResult`].

use super::sink::{iso_day, FindingSink, Finished};
use super::{error_record, Msg};
use crate::config::{Detectors, ScanConfig};
use crate::detect::crew::{Cores, Crew};
use crate::detect::Finding;
use crate::extract::{self, Buffers, Cx, Deadline, Format, Limits};
use crate::inventory::{Incremental, Prev, Stat, StoredFile, StoredFinding};
use crate::model::record::FileStatus;
use crate::report::printer::Outbox;
use crate::report::FileRecord;
use crate::supervise::{self, Supervisor};
use crossbeam_channel::Sender;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::SystemTime;

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
    if let Some(name) = crate::walk::stdin::shown(path) {
        return name.to_string();
    }
    crate::inventory::path_text(path)
}

/// Per-thread state: a detector and reusable buffers.
pub struct Worker<'a> {
    /// The detector, and the spares that search a large unit's pieces on
    /// idle cores.
    crew: Crew<'a>,
    cores: &'a Cores,
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
        cores: &'a Cores,
    ) -> Self {
        Worker {
            inc,
            crew: Crew::new(detectors.engine.detector(), Some(cores)),
            cores,
            detectors,
            cfg,
            limits: Limits {
                max_file_time: extract::ocr::Settings::file_time(
                    cfg.ocr.as_ref(),
                    cfg.max_file_time,
                ),
                ocr: cfg.ocr.clone(),
                ..Limits::default()
            },
            bufs: Buffers::default(),
            head: Vec::with_capacity(extract::SNIFF_LEN),
            findings: Vec::new(),
            masked: String::new(),
            pending: outbox_for(cfg),
            scratch: None,
            supervisor: cfg.supervise.as_ref().and_then(|o| {
                let time = extract::ocr::Settings::file_time(cfg.ocr.as_ref(), cfg.max_file_time);
                Supervisor::new(o, time, &cfg.pattern_dirs, cfg.ocr.as_ref())
            }),
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
                status: FileStatus::Skipped,
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
        let _busy = self.cores.busy();
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
            FileStatus::Empty
        } else if r.binary {
            FileStatus::Binary
        } else if r
            .files
            .iter()
            .any(|f| f.entry.is_none() && f.status == Some(FileStatus::Skipped))
        {
            FileStatus::Skipped
        } else if r.not_covered > 0 || stat.is_none() {
            if r.formats.is_empty() {
                FileStatus::Error
            } else {
                FileStatus::Partial
            }
        } else {
            FileStatus::Ok
        };
        let mut kinds = BTreeMap::new();
        for f in &r.files {
            for (k, n) in &f.findings {
                *kinds.entry(k.clone()).or_default() += n;
            }
        }
        let hash = matches!(status, FileStatus::Ok | FileStatus::Partial)
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
        if let Err(e) = extract::read_head(&mut file, size, &mut self.head) {
            return self.skipped(path, format!("read error: {e}"));
        }
        // All of a small file is in the head: no read is needed to learn
        // where it ends (bytes appended since the walk saw its size are left
        // for the next scan, as if it had been read a moment earlier).
        let whole = (self.head.len() as u64) == size && self.head.len() < extract::SNIFF_LEN;
        // A file read in more than one piece may change in between.
        let opened = if whole {
            None
        } else {
            file.metadata().ok().map(|m| Seen::of(&m))
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let records = self.scratch.take().unwrap_or_else(|| self.outbox());
        let masked = std::mem::take(&mut self.masked);
        let result = FileResult {
            records,
            ..FileResult::default()
        };
        let mut sink = FindingSink::new(
            shown,
            modified,
            &mut self.crew,
            self.detectors,
            self.cfg,
            &mut self.findings,
            self.inc.zip(abs),
            result,
            masked,
            tx,
        );
        sink.read_path();
        let supervisor = self
            .supervisor
            .as_mut()
            .filter(|_| supervise::supervised(extract::sniff(&name, &self.head).format));
        let in_child = supervisor.is_some();
        let read = if let Some(supervisor) = supervisor {
            // Read by the worker's reader process, replayed into the sink.
            supervisor.extract(path, &self.detectors.columns, &mut sink)
        } else {
            let deadline = Deadline::start(self.limits.max_file_time)
                .interruptible(&crate::platform::INTERRUPT);
            let mut cx = Cx::new(
                &self.detectors.columns,
                &mut self.bufs,
                &self.limits,
                &deadline,
            );
            extract::extract_file(&name, &self.head, &mut file, whole, &mut cx, &mut sink)
        };
        if let Some(change) = opened.and_then(|before| changed_since(&file, before)) {
            extract::UnitSink::not_covered(&mut sink, &change);
        }
        let sink_modified = sink.modified();
        let Finished {
            counts,
            masked,
            unlisted,
            problem,
            mut result,
        } = sink.finish();
        self.masked = masked;
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
            Err(e) if e.as_skipped().is_some() => {
                let (format, reason) = e.as_skipped().unwrap_or_default();
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
                let format = extract::sniff(&name, &self.head).format.name();
                if !counts.is_empty() {
                    // Read up to the error: scanned, partly. A document is
                    // read whole before it is parsed (and a reader process
                    // reads it all), a stream as far as the file's offset.
                    result.formats.insert(0, format);
                    let offset = file.stream_position().unwrap_or(size);
                    result.bytes = if in_child { size } else { offset.min(size) };
                }
                format
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
                status: problem.is_some().then_some(FileStatus::Partial),
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

/// How a file changed since `before` (taken when it was opened), if it
/// shrank or was rewritten while it was read: what was read may mix two
/// versions. A file that only grew (a log being written) is not: what was
/// read is the file as it was a moment earlier.
fn changed_since(file: &File, before: Seen) -> Option<String> {
    let now = Seen::of(&file.metadata().ok()?);
    let reason = if now.size < before.size {
        format!("{} bytes to {}", before.size, now.size)
    } else if now.size == before.size && now.modified != before.modified {
        "rewritten".to_string()
    } else {
        return None;
    };
    Some(format!(
        "changed while it was read ({reason}): what was read is reported, the next scan reads it again"
    ))
}

/// The result of an empty file: nothing read.
fn empty_file() -> FileResult {
    FileResult {
        formats: vec!["empty"],
        ..FileResult::default()
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_file_shrunk_or_rewritten_while_read_has_changed_one_grown_has_not() -> std::io::Result<()>
    {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("journal.log");
        std::fs::write(&path, "x".repeat(4096))?;
        let opened = || -> std::io::Result<(File, Seen)> {
            let f = File::open(&path)?;
            let seen = Seen::of(&f.metadata()?);
            Ok((f, seen))
        };
        let writer = || std::fs::OpenOptions::new().write(true).open(&path);
        // Appended to: not changed.
        let (f, before) = opened()?;
        writer()?.set_len(8192)?;
        assert_eq!(changed_since(&f, before), None);
        // Cut short.
        let (f, before) = opened()?;
        writer()?.set_len(100)?;
        let said = changed_since(&f, before).unwrap_or_default();
        assert!(
            said.starts_with("changed while it was read (8192 bytes to 100)"),
            "{said}"
        );
        // Rewritten in place, same size, another date.
        let (f, before) = opened()?;
        let mut w = writer()?;
        w.write_all(&[b'y'; 100])?;
        w.set_modified(SystemTime::UNIX_EPOCH)?;
        let said = changed_since(&f, before).unwrap_or_default();
        assert!(
            said.starts_with("changed while it was read (rewritten)"),
            "{said}"
        );
        Ok(())
    }
}
