//! A large unit searched on several cores: one file (a 10 GB log, a database
//! dump) must not leave the other cores idle.
//!
//! A unit whose report range is larger than [`PIECE`] is always cut into
//! pieces at paragraph breaks (else line breaks) and searched piece by piece,
//! whether the pieces then run on one thread or several: the findings do not
//! depend on how busy the machine was. Pieces run on helper threads only
//! while some of the scan's cores are idle ([`Cores`]).

use super::engine::{Detector, Finding};
use crate::model::Unit;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Size of a piece: large enough that a helper thread's start (tens of
/// microseconds) is lost in the search (a third of a millisecond or more),
/// small enough that a 1 MB chunk of text is sixteen pieces, and the cores
/// that finish first wait for at most one small piece (on one large file
/// with every kind, 256 KB pieces were 7 % slower than 128 KB, 128 KB 5 %
/// slower than 64 KB; 32 KB gained nothing more).
pub const PIECE: usize = 64 << 10;

/// How far past a piece's nominal end its cut may move to reach a
/// paragraph break, then a line break; a text without either is not cut.
const PARAGRAPH_REACH: usize = 8 << 10;
const LINE_REACH: usize = 64 << 10;

/// The scan's cores and how many are busy reading files or searching pieces.
#[derive(Debug)]
pub struct Cores {
    threads: usize,
    busy: AtomicUsize,
}

impl Cores {
    /// `threads` cores, none busy.
    pub fn new(threads: usize) -> Self {
        Cores {
            threads: threads.max(1),
            busy: AtomicUsize::new(0),
        }
    }

    /// Marks one core busy until the guard is dropped (a worker reading a file).
    pub fn busy(&self) -> Busy<'_> {
        self.busy.fetch_add(1, Ordering::Relaxed);
        Busy { cores: self, n: 1 }
    }

    /// Whether a core is idle now.
    fn any_idle(&self) -> bool {
        self.busy.load(Ordering::Relaxed) < self.threads
    }

    /// Takes up to `want` idle cores, marked busy until the guard is dropped.
    fn take_idle(&self, want: usize) -> Busy<'_> {
        let mut busy = self.busy.load(Ordering::Relaxed);
        loop {
            let n = want.min(self.threads.saturating_sub(busy));
            if n == 0 {
                return Busy { cores: self, n: 0 };
            }
            match self.busy.compare_exchange_weak(
                busy,
                busy + n,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return Busy { cores: self, n },
                Err(now) => busy = now,
            }
        }
    }
}

/// Cores marked busy by [`Cores::busy`]; released when dropped.
#[derive(Debug)]
pub struct Busy<'c> {
    cores: &'c Cores,
    n: usize,
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        if self.n > 0 {
            self.cores.busy.fetch_sub(self.n, Ordering::Relaxed);
        }
    }
}

/// A worker's detector and the spare detectors its helper threads use.
pub struct Crew<'e> {
    main: Detector<'e>,
    spares: Vec<Detector<'e>>,
    cores: Option<&'e Cores>,
    pieces: Vec<Range<usize>>,
    /// The crews of the blocks of a file searched at once (see
    /// [`Crew::forks`]), each with its findings' buffer; kept for the
    /// worker's next large file.
    forks: Vec<ForkCrew<'e>>,
}

/// A block's crew, and the buffer of its findings.
pub type ForkCrew<'e> = (Crew<'e>, Vec<Finding>);

impl<'e> Crew<'e> {
    /// A crew around `main`; with `cores`, helpers run while cores are idle.
    pub fn new(main: Detector<'e>, cores: Option<&'e Cores>) -> Self {
        Crew {
            main,
            spares: Vec::new(),
            cores,
            pieces: Vec::new(),
            forks: Vec::new(),
        }
    }

    /// Whether [`Crew::forks`] may find a core idle (told before a block's
    /// sinks are readied: most blocks of a busy scan find none).
    pub fn may_fork(&self) -> bool {
        self.cores.is_some_and(Cores::any_idle)
    }

    /// Crews for as many blocks of a file as can be searched at once: one
    /// for this thread and one per idle core taken, up to `helpers` (the
    /// cores are busy until the guard is dropped). `None` when no core is
    /// idle: the file is read on this thread alone.
    pub fn forks(&mut self, helpers: usize) -> Option<(Busy<'e>, &mut [ForkCrew<'e>])> {
        let busy = self.cores?.take_idle(helpers);
        if busy.n == 0 {
            return None;
        }
        let n = busy.n + 1;
        let engine = self.main.engine();
        while self.forks.len() < n {
            self.forks
                .push((Crew::new(engine.detector(), None), Vec::new()));
        }
        Some((busy, &mut self.forks[..n]))
    }

    /// The main detector.
    pub fn detector(&mut self) -> &mut Detector<'e> {
        &mut self.main
    }

    /// Appends to `out` the findings of `unit`, in text order, without
    /// overlaps: those [`Detector::detect`] gives for each of its pieces.
    pub fn detect(&mut self, unit: &Unit<'_>, out: &mut Vec<Finding>) {
        // A cell, a line, a page: one piece (told before anything is cut).
        if unit.report.len() < 2 * PIECE {
            self.main.detect(unit, out);
            return;
        }
        let mut pieces = std::mem::take(&mut self.pieces);
        cut(unit.text, unit.report.clone(), &mut pieces);
        let from = out.len();
        if pieces.len() <= 1 {
            self.main.detect(unit, out);
        } else {
            let helpers = self.cores.map(|c| c.take_idle(pieces.len() - 1));
            let n = helpers.as_ref().map_or(0, |b| b.n);
            // The marks of the text are told once for all its pieces.
            let unmarked = self.main.unmarked(unit.text, n > 0);
            let unmarked = unmarked.as_deref();
            match n {
                0 => {
                    for p in &pieces {
                        self.main.detect_piece(&piece(unit, p), unmarked, out);
                    }
                }
                n => self.detect_parallel(unit, unmarked, &pieces, n, out),
            }
            join_pieces(out, from);
        }
        self.pieces = pieces;
    }

    /// The pieces searched by this thread and `n` helpers, each taking the
    /// next piece not yet taken; their findings appended in piece order.
    fn detect_parallel(
        &mut self,
        unit: &Unit<'_>,
        unmarked: Option<&str>,
        pieces: &[Range<usize>],
        n: usize,
        out: &mut Vec<Finding>,
    ) {
        let engine = self.main.engine();
        while self.spares.len() < n {
            self.spares.push(engine.detector());
        }
        let next = AtomicUsize::new(0);
        let run = |d: &mut Detector<'_>| {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(p) = pieces.get(i) else {
                    return done;
                };
                let mut found = Vec::new();
                d.detect_piece(&piece(unit, p), unmarked, &mut found);
                done.push((i, found));
            }
        };
        let mut slots: Vec<Vec<Finding>> = vec![Vec::new(); pieces.len()];
        std::thread::scope(|s| {
            let handles: Vec<_> = self.spares[..n]
                .iter_mut()
                .map(|d| s.spawn(|| run(d)))
                .collect();
            let mut all = run(&mut self.main);
            for h in handles {
                // A helper's panic is the file's panic: the worker catches it
                // at the file boundary.
                match h.join() {
                    Ok(done) => all.extend(done),
                    Err(e) => std::panic::resume_unwind(e),
                }
            }
            for (i, found) in all {
                slots[i] = found;
            }
        });
        for found in slots {
            out.extend(found);
        }
    }
}

/// `unit` with its report range narrowed to `p` (the text around it stays
/// context, as for the chunks of a large file).
fn piece<'a>(unit: &Unit<'a>, p: &Range<usize>) -> Unit<'a> {
    Unit {
        text: unit.text,
        report: p.clone(),
        column_kind: unit.column_kind,
        regex_free: unit.regex_free,
    }
}

/// Cuts `report` into pieces of about [`PIECE`] bytes at paragraph breaks,
/// else line breaks. The pieces are of even size (not pieces of `PIECE`
/// and a last one of up to twice that, which one core searches alone while
/// the others wait).
fn cut(text: &str, report: Range<usize>, pieces: &mut Vec<Range<usize>>) {
    pieces.clear();
    let bytes = text.as_bytes();
    let size = report.len() / (report.len() / PIECE).max(1);
    let mut start = report.start;
    while report.end - start >= size + size / 2 {
        let at = start + size;
        let para =
            memchr::memmem::find(&bytes[at..(at + PARAGRAPH_REACH).min(report.end)], b"\n\n")
                .map(|k| at + k + 2);
        let line = || {
            memchr::memchr(b'\n', &bytes[at..(at + LINE_REACH).min(report.end)]).map(|k| at + k + 1)
        };
        let Some(end) = para.or_else(line) else {
            break;
        };
        pieces.push(start..end);
        start = end;
    }
    pieces.push(start..report.end);
}

/// Drops what the pieces' findings from `out[from..]` overlap at the cuts
/// (a structure whose start lies in the piece before), keeping the first
/// in text order.
fn join_pieces(out: &mut Vec<Finding>, from: usize) {
    out[from..].sort_by_key(|f| f.start);
    let mut end = 0;
    let mut keep = from;
    for i in from..out.len() {
        if out[i].start >= end || i == from {
            end = out[i].end;
            out.swap(keep, i);
            keep += 1;
        }
    }
    out.truncate(keep);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_paragraphs_then_lines_and_never_inside_a_line() {
        let para = "a".repeat(1000) + "\n\n";
        let text = para.repeat(2 * PIECE / para.len() + 10);
        let mut pieces = Vec::new();
        cut(&text, 0..text.len(), &mut pieces);
        assert_eq!(pieces.len(), 2);
        assert!(text[..pieces[0].end].ends_with("\n\n"));
        assert_eq!(pieces[1].end, text.len());

        let line = "b".repeat(99) + "\n";
        let text = line.repeat(5 * PIECE / line.len() + 100);
        cut(&text, 0..text.len(), &mut pieces);
        assert_eq!(pieces.len(), 5);
        for p in &pieces {
            assert!(p.start == 0 || text.as_bytes()[p.start - 1] == b'\n');
        }
        assert_eq!(pieces.last().map(|p| p.end), Some(text.len()));

        let text = "c".repeat(3 * PIECE);
        cut(&text, 0..text.len(), &mut pieces);
        assert_eq!(pieces, vec![0..text.len()]);
    }

    #[test]
    fn cores_lend_only_idle_ones() {
        let cores = Cores::new(2);
        let worker = cores.busy();
        {
            let helpers = cores.take_idle(3);
            assert_eq!(helpers.n, 1);
            assert_eq!(cores.take_idle(1).n, 0);
        }
        assert_eq!(cores.take_idle(1).n, 1);
        drop(worker);
        assert_eq!(cores.take_idle(5).n, 2);
    }
}
