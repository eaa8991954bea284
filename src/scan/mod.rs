//! A scan: walk → extract → detect → report, with one worker per walker
//! thread (each owning its detector state and buffers) and one writer.
//!
//! Workers send each file's records over a bounded channel; the writer (the
//! calling thread) prints them, keeps the totals and draws the progress bar.
//! A file's error never stops the scan; a panic inside an extractor is caught
//! at the file boundary and reported for that file.

mod lookup;
mod sink;
mod worker;

use crate::platform::{open_output, INTERRUPT};
pub use lookup::subject_from_index;
pub use worker::{FileResult, Worker};

use crate::config::{self, Detectors, ScanConfig};
use crate::detect::crew::Cores;
use crate::inventory::{Incremental, Inventory, InventoryError, Recorder, StoredFinding};
use crate::report::printer::{new_printer, Outbox, PrintOptions, Printer};
use crate::report::summary::SummaryTally;
use crate::report::{ErrorRecord, Record, Summary};
use crate::walk::{self, Item, WalkOptions};
use crossbeam_channel::{bounded, Receiver, Sender};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Fatal errors of a run (per-file errors are records, not these).
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Glob(#[from] walk::GlobError),
    #[error("cannot write the report to {path}: {source}")]
    Output { path: String, source: io::Error },
    #[error("cannot write the report: {0}")]
    Write(io::Error),
    #[error(transparent)]
    Inventory(#[from] InventoryError),
    #[error("{0}")]
    Usage(String),
    #[error("root {0}: {1}: nothing was scanned")]
    Root(String, String),
    #[error(
        "root {0} is empty, but the inventory's last run found files under it (a share not \
         mounted?): nothing was scanned and no file was marked removed. If it was emptied on \
         purpose, run again with --allow-empty-root (allow_empty_root = true in a sweep configuration)"
    )]
    EmptyRoot(String),
}

/// What a run ended with.
#[derive(Debug)]
pub struct Outcome {
    pub summary: Summary,
    /// The reader of the report went away (`pdscout scan … | head`).
    pub broken_pipe: bool,
}

/// Messages from workers to the writer.
pub enum Msg {
    /// Finding records of a file still being read (large files send batches),
    /// and with `--db` the same findings for the inventory, with the file's
    /// absolute path.
    Records(Outbox, Option<(String, Vec<StoredFinding>)>),
    /// Files that are done, and the records of the files a worker read
    /// (each file's together; those of a file not read are in its result).
    Done(Vec<FileResult>, Outbox),
}

/// Where the report of `cfg` goes (`-o FILE`, mode 0600, or stdout).
fn report_output(cfg: &ScanConfig) -> Result<Box<dyn io::Write + Send>, ScanError> {
    open_output(cfg.output.as_deref()).map_err(|source| ScanError::Output {
        path: cfg
            .output
            .as_ref()
            .map_or_else(|| "stdout".into(), |p| p.display().to_string()),
        source,
    })
}

/// Runs a scan as configured, writing the report; returns the totals. A
/// root that is missing or cannot be read is an error.
pub fn run(cfg: &ScanConfig) -> Result<Outcome, ScanError> {
    check_roots(cfg)?;
    run_roots(cfg)
}

/// [`run`] with roots unchecked: one that is gone becomes an error record.
fn run_roots(cfg: &ScanConfig) -> Result<Outcome, ScanError> {
    let detectors = config::detectors(cfg)?;
    let out = report_output(cfg)?;
    let title = cfg
        .roots
        .iter()
        .map(|r| worker::display(r))
        .collect::<Vec<_>>()
        .join(", ");
    let mut printer = new_printer(
        cfg.format,
        out,
        PrintOptions {
            title,
            reveal: cfg.reveal,
            subject: cfg.subject.as_ref().map(|s| s.masked()),
            roots: cfg.roots.iter().map(|r| worker::display(r)).collect(),
        },
    );
    let Some(db) = &cfg.db else {
        return run_with(cfg, &detectors, printer.as_mut(), None);
    };
    // Locked to the end of the run: sweeps on one inventory never overlap.
    let mut inventory = Inventory::open_writer(db, &cfg.inventory)?;
    let roots: Vec<String> = cfg.roots.iter().map(|r| worker::display(r)).collect();
    if !cfg.allow_empty_root {
        for (root, shown) in cfg.roots.iter().zip(&roots) {
            let empty = std::fs::read_dir(root).is_ok_and(|mut d| d.next().is_none());
            if empty && inventory.has_files_under(&crate::inventory::absolute(shown))? {
                return Err(ScanError::EmptyRoot(shown.clone()));
            }
        }
    }
    let settings = inventory
        .key()
        .settings_digest(&config::settings_text(cfg)?);
    let changed = inventory.settings_changed(&settings)?;
    if changed && !cfg.full {
        eprintln!(
            "pdscout: the settings that decide findings (allow list, kinds, patterns, \
             min_confidence or pdscout version) differ from the last run's: every file is read again"
        );
    }
    let full = cfg.full || changed;
    let incremental = Incremental {
        key: inventory.key().clone(),
        prev: inventory.previous(&roots)?,
        full,
    };
    let recorder = inventory.begin_run(&roots, full, &settings)?;
    run_with(
        cfg,
        &detectors,
        printer.as_mut(),
        Some((&incremental, recorder)),
    )
}

/// Refuses a run whose root is missing or cannot be read: such a root is
/// an error (exit 2), never "nothing found", and with an inventory never
/// "every file was removed".
fn check_roots(cfg: &ScanConfig) -> Result<(), ScanError> {
    for root in &cfg.roots {
        let shown = worker::display(root);
        let reason = |e: io::Error| match e.kind() {
            io::ErrorKind::NotFound => "no such file or folder".to_string(),
            io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        let meta =
            std::fs::metadata(root).map_err(|e| ScanError::Root(shown.clone(), reason(e)))?;
        // Only folders and regular files are opened: a fifo would block
        // (the walk reports special files without opening them).
        let readable = if meta.is_dir() {
            std::fs::read_dir(root).map(drop)
        } else if meta.is_file() {
            std::fs::File::open(root).map(drop)
        } else {
            Ok(())
        };
        readable.map_err(|e| ScanError::Root(shown.clone(), reason(e)))?;
    }
    Ok(())
}

/// Runs a scan with ready detectors into `printer`, recording it in an
/// inventory when one is given.
pub fn run_with(
    cfg: &ScanConfig,
    detectors: &Detectors,
    printer: &mut dyn Printer,
    inventory: Option<(&Incremental, Recorder<'_>)>,
) -> Result<Outcome, ScanError> {
    let (incremental, mut recorder) = match inventory {
        Some((i, r)) => (Some(i), Some(r)),
        None => (None, None),
    };
    let walk_opts = WalkOptions {
        roots: cfg.roots.clone(),
        include: cfg.include.clone(),
        exclude: cfg.exclude.clone(),
        follow_links: cfg.follow_links,
        threads: cfg.threads.max(1),
        max_file_size: cfg.max_file_size,
    };
    // Workers wait when the writer lags (a slow disk, the inventory):
    // memory stays bounded by what the channel holds.
    let (tx, rx) = bounded::<Msg>(if recorder.is_some() { 16 } else { 64 });
    let stop = AtomicBool::new(false);
    let stop = &stop;
    let cores = &Cores::new(cfg.threads);
    let walk_opts = &walk_opts;
    let mut totals = SummaryTally::default();
    let mut write_error = None;
    let mut broken_pipe = false;
    std::thread::scope(|s| -> Result<(), ScanError> {
        // The walker owns the sender: the channel closes when the walk ends.
        let walker = s.spawn(move || {
            walk::walk(walk_opts, || {
                let mut lane = Lane {
                    worker: Worker::new(detectors, cfg, incremental, cores),
                    tx: tx.clone(),
                    done: Vec::new(),
                    done_bytes: 0,
                };
                Box::new(move |item: Item| {
                    if stop.load(Ordering::Relaxed) || INTERRUPT.load(Ordering::Relaxed) {
                        return false;
                    }
                    // `--shard K/N`: the other parts' files are other workers'.
                    if let (Some(shard), Item::File { path, .. } | Item::Skipped { path, .. }) =
                        (&cfg.inventory.shard, &item)
                    {
                        if !shard.holds_under(&cfg.roots, path) {
                            return true;
                        }
                    }
                    let result = match item {
                        Item::File { path, meta } => {
                            lane.worker.file(&path, meta.as_ref(), &lane.tx)
                        }
                        Item::Skipped { path, reason } => lane.worker.skipped(&path, reason),
                    };
                    lane.push(result)
                })
            })
        });
        let progress = progress_bar(cfg.progress && !cfg.quiet);
        match write_all(&rx, printer, &mut totals, &progress, recorder.as_mut()) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => broken_pipe = true,
            Err(e) => write_error = Some(e),
        }
        // Unblock and stop the workers if the writer gave up early.
        stop.store(true, Ordering::Relaxed);
        drop(rx);
        progress.finish_and_clear();
        walker.join().unwrap_or(Ok(())).map_err(ScanError::Glob)?;
        Ok(())
    })?;
    totals.summary.interrupted = INTERRUPT.load(Ordering::Relaxed);
    if let Some(r) = recorder {
        let complete = !totals.summary.interrupted && !broken_pipe && write_error.is_none();
        totals.summary.inventory = Some(r.finish(complete)?);
    }
    let summary = totals.finish();
    if let Some(e) = write_error {
        return Err(ScanError::Write(e));
    }
    if !broken_pipe {
        let end = printer
            .record(&Record::Summary(summary.clone()))
            .and_then(|()| printer.finish());
        match end {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => broken_pipe = true,
            Err(e) => return Err(ScanError::Write(e)),
        }
    }
    Ok(Outcome {
        summary,
        broken_pipe,
    })
}

/// The writer loop: prints every record as it arrives and keeps the totals.
fn write_all(
    rx: &Receiver<Msg>,
    printer: &mut dyn Printer,
    totals: &mut SummaryTally,
    progress: &ProgressBar,
    mut recorder: Option<&mut Recorder<'_>>,
) -> io::Result<()> {
    for msg in rx {
        // Interrupted: the bar goes at once, not when the workers are done.
        if INTERRUPT.load(Ordering::Relaxed) && !progress.is_finished() {
            progress.finish_and_clear();
        }
        match msg {
            Msg::Records(batch, stored) => {
                batch.deliver(printer)?;
                if let (Some(rec), Some((path, findings))) = (recorder.as_deref_mut(), stored) {
                    rec.findings(&path, &findings);
                }
            }
            Msg::Done(results, records) => {
                records.deliver(printer)?;
                for res in results {
                    done(&res, printer, totals)?;
                    if let (Some(rec), Some(stored)) = (recorder.as_deref_mut(), &res.stored) {
                        for file in rec.file(stored) {
                            totals.file_with_findings(&file);
                            printer.record(&Record::File(file))?;
                        }
                    }
                }
                if !progress.is_hidden() && !progress.is_finished() {
                    let s = &totals.summary;
                    progress.set_message(format!(
                        "{}, {}, {} findings",
                        crate::report::printer::plural(s.files_scanned, "file", "files"),
                        crate::report::printer::human_bytes(s.bytes_scanned),
                        s.total_findings()
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Prints a finished file's records and counts it.
fn done(res: &FileResult, printer: &mut dyn Printer, totals: &mut SummaryTally) -> io::Result<()> {
    res.records.deliver(printer)?;
    totals.scanned(&res.formats);
    for f in &res.files {
        totals.file_with_findings(f);
    }
    let s = &mut totals.summary;
    s.bytes_scanned += res.bytes;
    s.suppressed += res.suppressed;
    s.errors += res.errors;
    s.not_covered += res.not_covered;
    s.files_skipped += u64::from(res.binary);
    Ok(())
}

/// A worker and its way to the writer. Finished files are sent in batches
/// (one channel message, one wake-up of the writer, per batch); what is
/// left is sent when the walk drops the lane.
struct Lane<'a> {
    worker: Worker<'a>,
    tx: Sender<Msg>,
    done: Vec<FileResult>,
    done_bytes: usize,
}

impl Lane<'_> {
    const MAX_FILES: usize = 64;
    const MAX_BYTES: usize = 256 << 10;

    /// Queues a finished file; `false` when the writer is gone.
    fn push(&mut self, r: FileResult) -> bool {
        self.done_bytes += r.records.bytes.len();
        self.done.push(r);
        if self.done.len() >= Self::MAX_FILES
            || self.done_bytes + self.worker.pending_bytes() >= Self::MAX_BYTES
        {
            return self.flush();
        }
        true
    }

    fn flush(&mut self) -> bool {
        self.done_bytes = 0;
        if self.done.is_empty() {
            return true;
        }
        let records = self.worker.take_pending();
        self.tx
            .send(Msg::Done(std::mem::take(&mut self.done), records))
            .is_ok()
    }
}

impl Drop for Lane<'_> {
    fn drop(&mut self) {
        self.flush();
    }
}

fn progress_bar(show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(8));
    pb.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg}{ocr}")
            .map(|s| {
                // Read at each tick: an OCR'd page takes seconds, a file many.
                s.with_key(
                    "ocr",
                    |_: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        if let Some(pages) = crate::extract::ocr::progress() {
                            let _ = w.write_fmt(format_args!(", {pages}"));
                        }
                    },
                )
            })
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.enable_steady_tick(Duration::from_millis(125));
    pb
}

/// An `error` record for a path.
pub fn error_record(path: &str, entry: Option<String>, error: String) -> Record {
    Record::Error(ErrorRecord {
        path: path.to_string(),
        entry,
        error,
    })
}
