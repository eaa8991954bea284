//! A JSON or XML file read as it streams, in parts that end between
//! records: not held whole in memory, and past its first part its parts are
//! read on the cores left idle, one each ([`UnitSink::fork`]). Each format
//! gives a [`Scanner`] that finds where a part may end (and the place in
//! the document a part starting there is in) and reads one part.

use crate::extract::{fill_block, run_forks, Deadline, ExtractError, Limit, UnitSink};
use crate::model::columns::ColumnTable;
use std::io::Read;

/// Where a part of a file starts: on its `line` (1-based), its first unit
/// located at `offset` (see [`super::rows::Emitter`]); inside the document
/// (`inside`, as the format's scanner tells it), or at its top level.
#[derive(Clone)]
pub(super) struct Start<I> {
    pub(super) line: u64,
    pub(super) offset: u64,
    pub(super) inside: Option<I>,
}

impl<I> Default for Start<I> {
    fn default() -> Self {
        Start {
            line: 1,
            offset: 0,
            inside: None,
        }
    }
}

/// A place where a part may end.
#[derive(Clone)]
pub(super) struct Cut<I> {
    /// Just after the line break it ends with.
    pub(super) end: usize,
    /// Where in the document the next part starts, unless at the top level.
    pub(super) inside: Option<I>,
}

/// How a format is cut into parts and how a part is read.
pub(super) trait Scanner: Default {
    /// A place inside the document, between two records.
    type Inside: Clone + Send + Sync;
    /// The format's name, for errors.
    const FORMAT: &'static str;

    /// Scans `b[from..]` (the bytes read since the last scan; those before
    /// were scanned), setting `last` to each place found where a part may
    /// end; returns how far it scanned (a construct cut short by the
    /// block's end is scanned again when more is read).
    fn scan(&mut self, b: &[u8], from: usize, last: &mut Option<Cut<Self::Inside>>) -> usize;

    /// The first `by` bytes of the block were dropped.
    fn shift(&mut self, by: usize) {
        let _ = by;
    }

    /// The number of elements (objects, arrays) open at `inside`.
    fn depth(inside: &Self::Inside) -> usize;

    /// Reads the part `text` starting at `start`, which ends at the top
    /// level or, with `open_end`, with that many elements open (then
    /// handing over the rows of those open); returns the offset the next
    /// part's first unit gets.
    fn read(
        text: &str,
        start: &Start<Self::Inside>,
        open_end: Option<usize>,
        columns: &ColumnTable,
        deadline: &Deadline,
        sink: &mut dyn UnitSink,
    ) -> Result<u64, ExtractError>;
}

/// The places found so far in the block being read.
struct Cuts<S: Scanner> {
    scanner: S,
    /// How far the block is scanned.
    pos: usize,
    /// The last place found.
    last: Option<Cut<S::Inside>>,
}

impl<S: Scanner> Cuts<S> {
    fn scan(&mut self, b: &[u8]) {
        self.pos = self.scanner.scan(b, self.pos, &mut self.last);
    }

    /// Drops `block[..end]` (up to a cut), the scan going on after it.
    fn drain(&mut self, block: &mut Vec<u8>, end: usize) {
        block.drain(..end);
        self.pos -= end;
        self.scanner.shift(end);
        self.last = self.last.take().filter(|l| l.end > end).map(|l| Cut {
            end: l.end - end,
            ..l
        });
    }
}

/// Reads a file whose first bytes are `head` and the rest `rest`, part by
/// part as `S` cuts it; a part is at most `limit` bytes. A part not in
/// UTF-8 is read as Windows-1252. Returns the bytes read.
pub(super) fn stream<S: Scanner>(
    head: &[u8],
    rest: &mut dyn Read,
    limit: u64,
    columns: &ColumnTable,
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> Result<u64, ExtractError> {
    let mut block = head.to_vec();
    let mut cuts = Cuts {
        scanner: S::default(),
        pos: 0,
        last: None,
    };
    let mut start = Start::default();
    let mut total = 0u64;
    let mut first = true;
    let mut ended = head.is_empty();
    let open_end = |c: &Option<S::Inside>| c.as_ref().map(S::depth);
    loop {
        if deadline.is_over() {
            return Ok(total);
        }
        if !ended {
            ended = fill_block(rest, &mut block)? == 0;
        }
        cuts.scan(&block);
        let cut = match cuts.last.clone() {
            _ if ended => Cut {
                end: block.len(),
                inside: None,
            },
            Some(cut) => cut,
            None if block.len() as u64 > limit => {
                return Err(Limit::DocumentSize {
                    format: S::FORMAT,
                    mib: limit >> 20,
                }
                .into())
            }
            None => continue,
        };
        // Past the first part (read here: an error there is the file's
        // first), the parts go to idle cores.
        let forks = if first || ended {
            Vec::new()
        } else {
            sink.fork(usize::MAX)
        };
        first = false;
        if forks.is_empty() {
            drop(forks);
            let text = decoded(&block[..cut.end]);
            let end = open_end(&cut.inside);
            start.offset = S::read(&text, &start, end, columns, deadline, sink)?;
            start.line += lines(&block[..cut.end]);
            start.inside = cut.inside;
            total += cut.end as u64;
            cuts.drain(&mut block, cut.end);
            if ended {
                return Ok(total);
            }
            continue;
        }
        let mut parts = vec![(block[..cut.end].to_vec(), cut.inside)];
        cuts.drain(&mut block, cut.end);
        while parts.len() < forks.len() && !ended {
            ended = fill_block(rest, &mut block)? == 0;
            cuts.scan(&block);
            let Some(cut) = cuts.last.clone().filter(|_| !ended) else {
                break;
            };
            parts.push((block[..cut.end].to_vec(), cut.inside));
            cuts.drain(&mut block, cut.end);
        }
        // Each part's start; a fork's units are offset from its own
        // (offsets only keep chunks of one text from reporting a value twice).
        let mut starts = Vec::with_capacity(parts.len());
        for (p, inside) in &parts {
            starts.push(Start {
                offset: 0,
                ..start.clone()
            });
            start.line += lines(p);
            start.inside.clone_from(inside);
            total += p.len() as u64;
        }
        let results: Vec<Option<Result<(), ExtractError>>> =
            (0..parts.len()).map(|_| None).collect();
        let results = std::sync::Mutex::new(results);
        let work: Vec<_> = parts.iter().zip(starts).enumerate().collect();
        // The file's deadline is told between the groups of parts (a part
        // is read in milliseconds).
        let mut done = run_forks(forks, work, |(i, ((p, inside), at)), sink| {
            let text = decoded(p);
            let unlimited = Deadline::unlimited();
            let r = S::read(&text, &at, open_end(inside), columns, &unlimited, sink);
            if let Ok(mut results) = results.lock() {
                results[i] = Some(r.map(|_| ()));
            }
        });
        // A part that stops reading stops the file: the parts after it
        // were read for nothing.
        let mut results = results.into_inner().unwrap_or_default();
        let failed = results.iter().position(|r| matches!(r, Some(Err(_))));
        if let Some(k) = failed {
            done.truncate(k + 1);
        }
        sink.join(done);
        if let Some(Some(Err(e))) = failed.map(|k| results.swap_remove(k)) {
            return Err(e);
        }
        // The next units' offsets follow every offset the forks gave (a
        // unit's text is at most three bytes a byte read, in Windows-1252).
        let read: usize = parts.iter().map(|(p, _)| p.len()).sum();
        start.offset += 4 * read as u64 + parts.len() as u64;
        if ended && block.is_empty() {
            return Ok(total);
        }
    }
}

fn lines(b: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', b).count() as u64
}

/// `b` as text: UTF-8, else Windows-1252.
pub(super) fn decoded(b: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(s) => s.into(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(b).0,
    }
}
