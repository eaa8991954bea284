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

    /// Reads a part (see [`PartReader`]).
    const READ: PartReader<Self::Inside>;
}

/// Reads the part `text` of a file starting at `start`, which ends at the
/// top level or, with `open_end`, with that many elements open (then
/// handing over the rows of those open); returns the offset the next
/// part's first unit gets.
pub(super) type PartReader<I> = fn(
    &str,
    &Start<I>,
    Option<usize>,
    &ColumnTable,
    &Deadline,
    &mut dyn UnitSink,
) -> Result<u64, ExtractError>;

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
            start.offset = (S::READ)(&text, &start, end, columns, deadline, sink)?;
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
            let r = (S::READ)(&text, &at, open_end(inside), columns, &unlimited, sink);
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

/// What the formats' tests of their streams share: a sink that keeps what
/// it is given, and a file read whole or streamed.
#[cfg(test)]
pub(super) mod testing {
    use super::{stream, Scanner};
    use crate::extract::{Deadline, ExtractError, Fork, Located, Origin, RowCell, UnitSink};
    use crate::model::columns::ColumnTable;

    /// A unit's line, column, text, column kind and path.
    pub(in crate::extract::markup) type Seen = (u64, u64, String, Option<String>, Option<String>);

    /// What a sink is given; with `forks`, it forks that many sinks.
    #[derive(Default)]
    pub(in crate::extract::markup) struct Given {
        pub(in crate::extract::markup) units: Vec<Seen>,
        pub(in crate::extract::markup) offsets: Vec<u64>,
        /// Each row's cells and its path.
        pub(in crate::extract::markup) rows: Vec<(Vec<String>, Option<String>)>,
        path: Option<String>,
        forks: usize,
        /// The forks that were given units.
        pub(in crate::extract::markup) forked: usize,
    }

    impl Given {
        /// The rows, sorted (the rows of the elements open at a part's end
        /// are handed over when it ends).
        pub(in crate::extract::markup) fn sorted_rows(&self) -> Vec<(Vec<String>, Option<String>)> {
            let mut rows = self.rows.clone();
            rows.sort();
            rows
        }
    }

    impl UnitSink for Given {
        fn unit(&mut self, l: &Located<'_>) {
            let Origin::Text {
                line,
                column,
                offset,
            } = l.origin
            else {
                panic!("a markup unit is located in the text");
            };
            let kind = l.unit.column_kind.map(str::to_string);
            let text = l.unit.text.to_string();
            self.units
                .push((line, column, text, kind, self.path.clone()));
            self.offsets.push(offset);
        }
        fn record_path(&mut self, path: Option<&str>) {
            self.path = path.map(str::to_string);
        }
        fn row(&mut self, cells: &[RowCell<'_>]) {
            let cells = cells.iter().map(|c| c.text.to_string()).collect();
            self.rows.push((cells, self.path.clone()));
        }
        fn fork(&mut self, _helpers: usize) -> Vec<Box<dyn Fork + '_>> {
            (0..self.forks)
                .map(|_| Box::new(Given::default()) as Box<dyn Fork>)
                .collect()
        }
        fn join(&mut self, done: Vec<Box<dyn std::any::Any + Send>>) {
            for d in done {
                let mut d = d.downcast::<Given>().expect("a fork of this sink");
                self.forked += usize::from(!d.units.is_empty());
                self.units.append(&mut d.units);
                self.rows.append(&mut d.rows);
            }
        }
    }

    impl Fork for Given {
        fn done(self: Box<Self>) -> Box<dyn std::any::Any + Send> {
            self
        }
    }

    /// A format's reader of a whole document.
    pub(in crate::extract::markup) type Whole =
        fn(&str, &ColumnTable, &Deadline, &mut dyn UnitSink) -> Result<(), ExtractError>;

    /// `src` read whole by `read`.
    pub(in crate::extract::markup) fn whole(read: Whole, src: &str) -> (Given, Result<(), String>) {
        let mut given = Given::default();
        let r = read(
            src,
            &ColumnTable::builtin(),
            &Deadline::unlimited(),
            &mut given,
        );
        (given, r.map_err(|e| e.to_string()))
    }

    /// `src` streamed as `S` cuts it, with `forks` forks.
    pub(in crate::extract::markup) fn streamed<S: Scanner>(
        src: &str,
        forks: usize,
    ) -> (Given, Result<(), String>) {
        let mut given = Given {
            forks,
            ..Given::default()
        };
        let b = src.as_bytes();
        let head = &b[..b.len().min(1000)];
        let mut rest = &b[head.len()..];
        let r = stream::<S>(
            head,
            &mut rest,
            u64::MAX,
            &ColumnTable::builtin(),
            &Deadline::unlimited(),
            &mut given,
        );
        if let Ok(n) = r {
            assert_eq!(n, b.len() as u64);
        }
        (given, r.map(|_| ()).map_err(|e| e.to_string()))
    }

    /// `src` gives the same units and rows streamed (alone and with one to
    /// three forks, which are given parts) as read whole.
    pub(in crate::extract::markup) fn same_streamed<S: Scanner>(read: Whole, src: &str) -> Given {
        let (one, r) = whole(read, src);
        assert_eq!(r, Ok(()));
        for forks in [0, 1, 3] {
            let (many, r) = streamed::<S>(src, forks);
            assert_eq!(r, Ok(()), "{forks} forks");
            assert_eq!(many.units, one.units, "{forks} forks");
            if forks == 0 {
                // A fork's offsets are its own.
                assert_eq!(many.offsets, one.offsets);
            }
            assert_eq!(many.sorted_rows(), one.sorted_rows(), "{forks} forks");
            if forks > 0 {
                assert!(many.forked > 1, "{forks} forks");
            }
        }
        one
    }

    /// `bad` stops with the same error, after the same units, read whole or
    /// streamed (alone or with forks).
    pub(in crate::extract::markup) fn stops_where_it_stops_whole<S: Scanner>(
        read: Whole,
        bad: &str,
    ) {
        let (one, r) = whole(read, bad);
        assert!(r.is_err());
        for forks in [0, 2] {
            let (many, e) = streamed::<S>(bad, forks);
            assert_eq!(e, r, "{forks} forks");
            assert_eq!(many.units, one.units, "{forks} forks");
        }
    }
}
