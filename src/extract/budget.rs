//! The time budget of one file (`--max-file-time`): a file that takes
//! longer is not read further, what was found so far is kept, and the file
//! is reported as partly read with where reading stopped.
//!
//! Every unit of text goes through [`Timed`], which looks at the clock
//! cheaply (for a large unit every time, for small ones such as cells every
//! [`EVERY`] units) and, once the time is up, drops the units that follow and
//! reports the first one it dropped: "not read from line 1234 on". The
//! extractors' own loops (text chunks, CSV records, cells, PDF pages, archive
//! members, XML events) test [`Deadline::is_over`], a flag, to stop without
//! parsing the rest; the loops that can run a long time without a unit (PDF
//! content streams, archive members) also look at the clock themselves.
//! The first unit of a file is always read, so a budget of 0 reads the
//! first unit of a file (a 1 MiB chunk of a text, a PDF page; for small
//! units, such as cells, the first [`EVERY`]) and reports the rest: what
//! tests rely on.
//!
//! An interrupt (SIGINT/SIGTERM) stops the file being read the same way, so
//! that a worker in the middle of a huge file stops at once; the file is
//! reported as interrupted from where it stopped.

use super::{ExtractError, Format, Limit, Located, Origin, RowCell, UnitSink};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Default time budget per file: a file share's largest ordinary files (a
/// 500 MB log, a 1,000,000-row workbook) take seconds; a minute means
/// something is pathological.
pub const DEFAULT_MAX_FILE_TIME: Duration = Duration::from_secs(60);

/// Small units between two looks at the clock.
pub const EVERY: u32 = 64;

/// Units of at least this many bytes look at the clock each time.
const LARGE_UNIT: usize = 16 << 10;

/// When the current file's time is up. Shared by reference between the
/// extractors (through [`super::Cx`]) and [`Timed`]; not thread-safe (the
/// PDF reader thread gets [`Deadline::instant`] and checks it itself).
#[derive(Debug)]
pub struct Deadline {
    at: Option<Instant>,
    limit: Option<Duration>,
    /// Set when the run is interrupted (SIGINT/SIGTERM): the file stops as
    /// at its deadline, with its own reason.
    interrupt: Option<&'static AtomicBool>,
    interrupted: Cell<bool>,
    /// Small units since the clock was last read.
    ticks: Cell<u32>,
    over: Cell<bool>,
    reported: Cell<bool>,
}

impl Deadline {
    /// A budget of `limit` from now (`None`: no limit).
    pub fn start(limit: Option<Duration>) -> Self {
        Deadline {
            at: limit.map(|l| Instant::now() + l),
            limit,
            interrupt: None,
            interrupted: Cell::new(false),
            ticks: Cell::new(0),
            over: Cell::new(false),
            reported: Cell::new(false),
        }
    }

    /// No time limit.
    pub fn unlimited() -> Self {
        Self::start(None)
    }

    /// Also stops when `flag` is set (the run's interrupt flag).
    pub fn interruptible(mut self, flag: &'static AtomicBool) -> Self {
        self.interrupt = Some(flag);
        self
    }

    /// The instant the time is up, for a thread that checks it itself.
    pub fn instant(&self) -> Option<Instant> {
        self.at
    }

    /// The time is up and was noticed (no clock read: free in any loop).
    pub fn is_over(&self) -> bool {
        self.over.get()
    }

    /// Looks at the clock: the time is up.
    pub fn expired(&self) -> bool {
        if self.over.get() {
            return true;
        }
        if self.interrupt.is_some_and(|f| f.load(Ordering::Relaxed)) {
            self.interrupted.set(true);
            self.over.set(true);
        } else if self.at.is_some_and(|at| Instant::now() >= at) {
            self.over.set(true);
        }
        self.over.get()
    }

    /// Looks at the clock every [`EVERY`] calls: for loops over small things.
    pub fn tick(&self) -> bool {
        if self.at.is_none() && self.interrupt.is_none() {
            return false;
        }
        let t = self.ticks.get() + 1;
        if t < EVERY {
            self.ticks.set(t);
            return self.over.get();
        }
        self.ticks.set(0);
        self.expired()
    }

    /// Marks the time as up now (the PDF thread found it so).
    pub fn set_over(&self) {
        self.over.set(true);
    }

    /// Reports, once per file, that reading stopped at `place` ("line 12",
    /// "page 3", "member 4 of 9").
    pub fn report(&self, sink: &mut dyn UnitSink, place: &str) {
        self.over.set(true);
        if !self.reported.replace(true) {
            sink.not_covered(&self.message(place).to_string());
        }
    }

    /// The reason given for a file cut short at `place`.
    pub fn message(&self, place: &str) -> Limit {
        let place = place.to_string();
        if self.interrupted.get() {
            return Limit::Interrupted { place };
        }
        let limit = self.limit.unwrap_or_default();
        let secs = if limit.subsec_millis() == 0 {
            format!("{}", limit.as_secs())
        } else {
            format!("{:.3}", limit.as_secs_f64())
        };
        Limit::FileTime { secs, place }
    }

    /// A partial read as an error, for extractors that stop with an error.
    pub fn error(&self, place: &str) -> ExtractError {
        self.over.set(true);
        self.reported.set(true);
        self.message(place).into()
    }
}

/// The sink an extractor writes to: forwards everything to `inner` until
/// the deadline, then drops units and rows, having reported where it stopped.
pub struct Timed<'s> {
    pub deadline: &'s Deadline,
    pub inner: &'s mut dyn UnitSink,
    /// Units forwarded so far (the first one always is).
    units: u64,
}

impl<'s> Timed<'s> {
    pub fn new(deadline: &'s Deadline, inner: &'s mut dyn UnitSink) -> Self {
        Timed {
            deadline,
            inner,
            units: 0,
        }
    }
}

/// Where a unit starts, in words ("line 12", "page 3", "cell B7").
pub fn place(l: &Located<'_>) -> String {
    match l.origin {
        Origin::Text { line, .. } => {
            let before = &l.unit.text.as_bytes()[..l.unit.report.start.min(l.unit.text.len())];
            let line = line.max(1) + memchr::memchr_iter(b'\n', before).count() as u64;
            format!("line {line}")
        }
        Origin::Field { line, .. } => format!("line {line}"),
        Origin::Cell { cell, .. } => format!("cell {cell}"),
        Origin::Page { page } => format!("page {page}"),
    }
}

impl UnitSink for Timed<'_> {
    fn unit(&mut self, located: &Located<'_>) {
        let d = self.deadline;
        if d.is_over() {
            // Noticed by an extractor's own check: this is the first unit not read.
            d.report(self.inner, &place(located));
            return;
        }
        if self.units > 0 {
            let up = if located.unit.report.len() >= LARGE_UNIT {
                d.expired()
            } else {
                d.tick()
            };
            if up {
                d.report(self.inner, &place(located));
                return;
            }
        }
        self.units += 1;
        self.inner.unit(located);
    }
    fn row(&mut self, cells: &[RowCell<'_>]) {
        if !self.deadline.is_over() {
            self.inner.row(cells);
        }
    }
    fn may_find(&mut self, text: &[u8], ends: &mut Vec<usize>) -> crate::model::Screen {
        self.inner.may_find(text, ends)
    }
    // The forks' blocks are timed by the extractor's own check between
    // them (a block is searched in milliseconds).
    fn fork(&mut self, helpers: usize) -> Vec<Box<dyn super::Fork + '_>> {
        if self.deadline.is_over() {
            return Vec::new();
        }
        self.inner.fork(helpers)
    }
    fn join(&mut self, done: Vec<Box<dyn std::any::Any + Send>>) {
        self.inner.join(done);
    }
    fn enter(&mut self, name: &str) {
        self.inner.enter(name);
    }
    fn leave(&mut self, result: &Result<(Format, u64), ExtractError>) {
        self.inner.leave(result);
    }
    fn enter_part(&mut self, name: &str) {
        self.inner.enter_part(name);
    }
    fn leave_part(&mut self) {
        self.inner.leave_part();
    }
    fn not_covered(&mut self, reason: &str) {
        self.inner.not_covered(reason);
    }
    fn recognised(&mut self, words: &super::ocr::Recognised) {
        self.inner.recognised(words);
    }
    fn ocr_pages(&mut self, pages: u32) {
        self.inner.ocr_pages(pages);
    }
    fn begin_object(&mut self) {
        self.inner.begin_object();
    }
    fn end_object(&mut self) {
        self.inner.end_object();
    }
    fn record_path(&mut self, path: Option<&str>) {
        self.inner.record_path(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Unit;

    #[derive(Default)]
    struct Collect {
        units: Vec<String>,
        notes: Vec<String>,
    }
    impl UnitSink for Collect {
        fn unit(&mut self, l: &Located<'_>) {
            self.units.push(l.unit.text.to_string());
        }
        fn not_covered(&mut self, reason: &str) {
            self.notes.push(reason.to_string());
        }
    }

    fn cell(sink: &mut dyn UnitSink, text: &str, cell: &str) {
        sink.unit(&Located {
            unit: Unit::whole(text),
            origin: Origin::Cell { sheet: "S", cell },
        });
    }

    #[test]
    fn a_spent_budget_reads_the_first_units_then_reports_the_next_once() {
        let d = Deadline::start(Some(Duration::ZERO));
        let mut c = Collect::default();
        let mut t = Timed::new(&d, &mut c);
        cell(&mut t, "a", "A1");
        for _ in 0..EVERY {
            cell(&mut t, "b", "A2");
        }
        cell(&mut t, "c", "A3");
        assert!(d.is_over());
        // Small units look at the clock every EVERY units.
        assert_eq!(c.units.len(), EVERY as usize);
        assert_eq!(c.units[0], "a");
        assert_eq!(c.notes.len(), 1);
        assert!(
            c.notes[0].starts_with("time limit of 0 s per file reached")
                && c.notes[0].contains("from cell A2 on"),
            "{:?}",
            c.notes
        );
    }

    #[test]
    fn no_limit_never_expires() {
        let d = Deadline::unlimited();
        let mut c = Collect::default();
        let mut t = Timed::new(&d, &mut c);
        for _ in 0..1000 {
            cell(&mut t, "a", "A1");
        }
        assert!(!d.expired());
        assert_eq!(c.units.len(), 1000);
        assert!(c.notes.is_empty());
    }

    #[test]
    fn text_place_counts_lines_before_the_report_range() {
        let text = "a\nb\nc\nd";
        let l = Located {
            unit: Unit {
                text,
                report: 4..7,
                column_kind: None,
                regex_free: false,
            },
            origin: Origin::Text {
                line: 10,
                column: 0,
                offset: 0,
            },
        };
        assert_eq!(place(&l), "line 12");
    }

    #[test]
    fn an_interrupt_stops_like_the_deadline_with_its_own_reason() {
        static FLAG: AtomicBool = AtomicBool::new(false);
        let d = Deadline::unlimited().interruptible(&FLAG);
        assert!(!d.expired());
        FLAG.store(true, Ordering::Relaxed);
        assert!(d.expired());
        assert!(d
            .message("line 3")
            .to_string()
            .starts_with("scan interrupted"));
    }

    #[test]
    fn fractional_limits_are_written_in_full() {
        let d = Deadline::start(Some(Duration::from_millis(1500)));
        assert!(d
            .message("page 2")
            .to_string()
            .starts_with("time limit of 1.500 s"));
    }
}
