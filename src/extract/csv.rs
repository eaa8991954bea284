//! Delimited text (CSV/TSV exports of tenant lists, payroll, applicants):
//! the delimiter is sniffed (`;` `,` tab `|`), quoting is honoured, a header
//! row is recognised and types its columns ("Téléphone", "Date de
//! naissance"…). Each field is one unit located by its record's first line
//! and its 1-based position. Records are streamed through `csv_core` (whose
//! parsers are built once per worker, not per file): memory does not grow
//! with the file, and a record larger than [`MAX_RECORD`] is an error.

use super::text::Stream;
use super::{
    fill_block, run_forks, Cx, ExtractError, Fork, Located, Origin, RowCell, UnitSink, BLOCK,
};
use crate::model::columns::{ColumnRole, ColumnTable};
use crate::model::{Screen, Unit};
use csv_core::{ReadRecordResult, Reader, ReaderBuilder};
use encoding_rs::Encoding;
use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};
use std::ops::Range;

const DELIMITERS: [u8; 4] = [b';', b',', b'\t', b'|'];

/// A record (a row, with its quoted newlines) larger than this is not a
/// table: the file is reported as not fully read.
pub const MAX_RECORD: usize = 64 << 20;

/// The delimiter that splits the sample's lines most consistently.
pub fn sniff_delimiter(sample: &[u8]) -> u8 {
    let mut lines: Vec<[usize; DELIMITERS.len()]> = Vec::with_capacity(19);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', sample).take(19) {
        lines.push(count_outside_quotes(&sample[start..end]));
        start = end + 1;
    }
    // The sample's last line is probably cut short: left out unless alone.
    if lines.is_empty() {
        lines.push(count_outside_quotes(&sample[start..]));
    }
    let mut best = (b',', 0usize, false);
    for (k, d) in DELIMITERS.into_iter().enumerate() {
        let first = lines.first().map_or(0, |c| c[k]);
        if first == 0 {
            continue;
        }
        let consistent = lines.iter().all(|c| c[k] == first);
        if (consistent, first) > (best.2, best.1) {
            best = (d, first, consistent);
        }
    }
    best.0
}

/// Lines of a text file's start looked at to tell an export.
const EXPORT_LINES: usize = 32;

/// True when a text file of another extension (`export.txt`, an extract
/// with none) starts as a delimited export does: a header of three fields or
/// more, all short labels and at least one of them a known column
/// (`Nom;Prénom;Adresse;CP;Ville`), separated by `;`, a tab or `|`; then at
/// least one line, and every whole line in `head` with as many fields. Read
/// as a table, its cells get their columns' kinds, as in a `.csv`.
pub fn is_export(head: &[u8], encoding: &'static Encoding, columns: &ColumnTable) -> bool {
    let Some(end) = memchr::memrchr(b'\n', head) else {
        return false;
    };
    let mut lines = head[..end]
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.is_empty())
        .take(EXPORT_LINES);
    let Some(header) = lines.next() else {
        return false;
    };
    // Most text files are told at once, before the delimiters of the start
    // are counted: a header's labels hold no digit and no `@` (a log line
    // does), and one delimiter stands twice in it at least.
    if header.iter().any(|b| b.is_ascii_digit() || *b == b'@') {
        return false;
    }
    let count = |d: u8| header.iter().filter(|&&b| b == d).count();
    if [b';', b'\t', b'|'].into_iter().all(|d| count(d) < 2) {
        return false;
    }
    let delimiter = sniff_delimiter(head);
    let Some(k) = DELIMITERS
        .iter()
        .position(|&d| d == delimiter && matches!(d, b';' | b'\t' | b'|'))
    else {
        return false;
    };
    let n = count_outside_quotes(header)[k];
    if n < 2 || header.contains(&b'"') {
        return false;
    }
    let text = decode(encoding, header);
    let fields: Vec<Cow<str>> = text
        .split(char::from(delimiter))
        .map(Cow::Borrowed)
        .collect();
    let known =
        header_roles(&fields, columns).is_some_and(|roles| roles.iter().any(Option::is_some));
    let labels = fields.iter().all(|f| is_label(f));
    let mut rows = 0;
    for l in lines {
        if count_outside_quotes(l)[k] != n {
            return false;
        }
        rows += 1;
    }
    known && labels && rows > 0
}

/// How many of each of [`DELIMITERS`] stand outside quotes in `line`
/// (every CSV file is sniffed).
fn count_outside_quotes(line: &[u8]) -> [usize; DELIMITERS.len()] {
    if memchr::memchr(b'"', line).is_none() {
        // Most lines: no quote, a vectorised count of each delimiter.
        return DELIMITERS.map(|d| memchr::memchr_iter(d, line).count());
    }
    const INDEX: [u8; 256] = {
        let mut t = [u8::MAX; 256];
        let mut k = 0;
        while k < DELIMITERS.len() {
            t[DELIMITERS[k] as usize] = k as u8;
            k += 1;
        }
        t
    };
    let mut counts = [0; DELIMITERS.len()];
    let mut quoted = false;
    for &b in line {
        quoted ^= b == b'"';
        let k = INDEX[usize::from(b)];
        if !quoted && k != u8::MAX {
            counts[usize::from(k)] += 1;
        }
    }
    counts
}

/// Per-worker parsers (one per delimiter) and record buffers.
#[derive(Default)]
pub struct CsvBuffers {
    readers: Vec<(u8, Reader)>,
    out: Vec<u8>,
    ends: Vec<usize>,
    /// The block of whole lines read by [`lines`].
    block: Vec<u8>,
    /// Where the sink's matches are in the block (see [`UnitSink::may_find`]).
    hits: Vec<usize>,
}

impl CsvBuffers {
    fn reader(&mut self, delimiter: u8) -> &mut Reader {
        let i = match self.readers.iter().position(|(d, _)| *d == delimiter) {
            Some(i) => i,
            None => {
                let r = ReaderBuilder::new().delimiter(delimiter).build();
                self.readers.push((delimiter, r));
                self.readers.len() - 1
            }
        };
        let r = &mut self.readers[i].1;
        r.reset();
        r
    }
}

/// What is known of a file while its records are read.
#[derive(Clone)]
struct Table<'c> {
    delimiter: u8,
    encoding: &'static Encoding,
    columns: &'c ColumnTable,
    /// The columns' roles, from the header row.
    roles: Vec<Option<ColumnRole>>,
    /// The next record is the file's first (perhaps its header).
    first: bool,
    /// The 1-based line the next record starts on.
    line: u64,
    /// Bytes read so far.
    total: u64,
}

impl Table<'_> {
    /// Gives `sink` the non-blank fields of one record starting on line
    /// `line`, as `row` and `spans` say (see [`decode_record`]), then the
    /// row; `raw` are its raw fields (read for the header only). With
    /// `hits` (offsets, and the offset of `row` among them, and the screen
    /// they come from), only the fields that may give something (see
    /// [`gives_nothing`]), and the row only if one of them is given.
    fn record<'r>(
        &mut self,
        line: u64,
        raw: impl Iterator<Item = &'r [u8]>,
        row: &str,
        spans: &[(usize, Range<usize>)],
        hits: Option<(&[usize], usize, Screen)>,
        sink: &mut dyn UnitSink,
    ) {
        // A header row types the columns, and is searched too (a report's
        // header cell can hold a name), as no column's.
        let mut header = false;
        if self.first {
            self.first = false;
            let texts: Vec<Cow<str>> = raw.map(|f| decode(self.encoding, f)).collect();
            if let Some(r) = header_roles(&texts, self.columns) {
                self.roles = r;
                header = true;
            }
        }
        let hits = hits.filter(|_| !header);
        // Whether a match of the sink's regexes is in the cell (`true` when
        // nothing is known).
        let hit = |span: &Range<usize>| {
            hits.is_none_or(|(hits, at, _)| {
                hits.iter()
                    .any(|h| (at + span.start..at + span.end).contains(h))
            })
        };
        let screen = hits.map(|(_, _, screen)| screen);
        let roles = &self.roles;
        let origin = |i: usize| Origin::Field {
            line,
            field: i as u64 + 1,
        };
        let role = |i: usize| roles.get(i).and_then(|r| r.as_ref()).filter(|_| !header);
        let mut given = false;
        for (i, span) in spans {
            let regex_free = !hit(span);
            let text = &row[span.clone()];
            if regex_free && gives_nothing(screen, text) {
                continue;
            }
            given = true;
            sink.unit(&Located {
                unit: Unit {
                    text,
                    report: 0..text.len(),
                    column_kind: role(*i).map(|r| r.kind.as_str()),
                    regex_free,
                },
                origin: origin(*i),
            });
        }
        if !header && given && roles.iter().any(Option::is_some) {
            let cells: Vec<RowCell> = spans
                .iter()
                .map(|(i, span)| RowCell {
                    text: &row[span.clone()],
                    role: role(*i),
                    origin: origin(*i),
                })
                .collect();
            sink.row(&cells);
        }
    }
}

/// Streams the records of a delimited file through `sink`, until its end or
/// the file's deadline. Returns the number of bytes read.
pub fn extract(
    stream: Stream<'_>,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<u64, ExtractError> {
    let Stream {
        head,
        rest: reader,
        encoding,
        bom,
    } = stream;
    let (columns, deadline, bufs) = (cx.columns, cx.deadline, &mut cx.bufs.csv);
    let mut table = Table {
        delimiter: sniff_delimiter(&head[bom..]),
        encoding,
        columns,
        roles: Vec::new(),
        first: true,
        line: 1,
        total: bom as u64,
    };
    let mut input = std::io::Cursor::new(&head[bom..]).chain(reader);
    // Exports without quotes (most of them) go the fast way, in UTF-8.
    let rest = if encoding == encoding_rs::UTF_8 && memchr::memchr(b'"', head).is_none() {
        match lines(&mut input, &mut table, deadline, bufs, sink)? {
            None => return Ok(table.total),
            Some(rest) => rest,
        }
    } else {
        Vec::new()
    };
    let crlf = memchr::memmem::find(head, b"\r\n").is_some();
    let mut input = BufReader::with_capacity(1 << 16, std::io::Cursor::new(rest).chain(input));
    records(&mut input, crlf, &mut table, deadline, bufs, sink)?;
    Ok(table.total)
}

/// Reads whole lines of a file whose records are its lines (no quote, no
/// lone carriage return) and splits them at the delimiter. Where the sink
/// tells which cells may give anything ([`UnitSink::may_find`]), only those
/// are given. Returns `None` at the file's end or deadline; else the bytes
/// from the first line that needs the parser on, read but not handled.
fn lines(
    input: &mut dyn Read,
    table: &mut Table<'_>,
    deadline: &super::Deadline,
    bufs: &mut CsvBuffers,
    sink: &mut dyn UnitSink,
) -> Result<Option<Vec<u8>>, ExtractError> {
    let mut block = std::mem::take(&mut bufs.block);
    let mut hits = std::mem::take(&mut bufs.hits);
    block.clear();
    let result = (|| loop {
        if deadline.is_over() {
            return Ok(None);
        }
        // Whole lines: up to the last line break, or the file's last line.
        let read = fill_block(input, &mut block)?;
        let end = match memchr::memrchr(b'\n', &block) {
            Some(i) if read > 0 => i + 1,
            _ if read > 0 => {
                if block.len() > MAX_RECORD {
                    return Err(too_large());
                }
                continue;
            }
            _ if block.is_empty() => return Ok(None),
            _ => block.len(),
        };
        let clean = plain_lines(&block[..end]);
        // Past the header, a large file's blocks are searched on the
        // cores left idle, one block each.
        if !table.first && clean == end && read > 0 {
            let forks = sink.fork(usize::MAX);
            if !forks.is_empty() {
                let done = in_forks(input, table, &mut block, end, forks)?;
                sink.join(done);
                continue;
            }
        }
        let text = simdutf8::basic::from_utf8(&block[..clean]).unwrap_or_default();
        block_lines(table, text, &mut hits, sink);
        table.total += clean as u64;
        if clean < end {
            return Ok(Some(block.split_off(clean)));
        }
        block.drain(..end);
    })();
    block.clear();
    bufs.block = block;
    bufs.hits = hits;
    result
}

/// Gives `sink` the records of `text`, whole plain lines (see [`lines`]),
/// the first on `table.line`.
fn block_lines(table: &mut Table<'_>, text: &str, hits: &mut Vec<usize>, sink: &mut dyn UnitSink) {
    hits.clear();
    let screen = sink.may_find(text.as_bytes(), hits);
    let (mut at, mut hit) = (0, 0);
    let mut spans = Vec::new();
    while at < text.len() {
        let stop = memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i);
        let line = text[at..stop].strip_suffix('\r').unwrap_or(&text[at..stop]);
        let (from, to) = (at, at + line.len());
        at = stop + 1;
        let n = table.line;
        table.line += 1;
        while hit < hits.len() && hits[hit] < from {
            hit += 1;
        }
        let first_hit = hit;
        while hit < hits.len() && hits[hit] < to {
            hit += 1;
        }
        let no_hit = hit == first_hit && !table.first;
        if line.is_empty() || (no_hit && gives_nothing(Some(screen), line)) {
            continue;
        }
        let (hits, d) = (&hits[first_hit..hit], table.delimiter);
        split(line, d, &mut spans);
        let raw = line.split(char::from(d)).map(str::as_bytes);
        let screened = (screen != Screen::Off).then_some((hits, from, screen));
        table.record(n, raw, line, &spans, screened, sink);
    }
}

/// Searches the whole plain lines `block[..end]`, and as many more blocks
/// read from `input` as there are `forks`, each block by its fork on a
/// thread of its own; returns what they found, in block order. `block` is
/// left holding what was read past them: a line not yet whole, or a block
/// not plain (see [`plain_lines`]), for [`lines`] to go on with.
fn in_forks(
    input: &mut dyn Read,
    table: &mut Table<'_>,
    block: &mut Vec<u8>,
    end: usize,
    forks: Vec<Box<dyn Fork + '_>>,
) -> Result<Vec<Box<dyn std::any::Any + Send>>, ExtractError> {
    let mut tail = block.split_off(end);
    let mut blocks = vec![std::mem::take(block)];
    while blocks.len() < forks.len() {
        let mut next = std::mem::take(&mut tail);
        let read = fill_block(input, &mut next)?;
        let end = match memchr::memrchr(b'\n', &next) {
            Some(i) if read > 0 => i + 1,
            _ => {
                // The file's last line, or a long one: read on one thread.
                tail = next;
                break;
            }
        };
        if plain_lines(&next[..end]) < end {
            tail = next;
            break;
        }
        tail = next.split_off(end);
        blocks.push(next);
    }
    *block = tail;
    // Each block's first line, and its table as read so far.
    let mut parts = Vec::with_capacity(blocks.len());
    for b in &blocks {
        let text = simdutf8::basic::from_utf8(b).unwrap_or_default();
        parts.push((table.clone(), text));
        table.line += memchr::memchr_iter(b'\n', b).count() as u64;
        table.total += b.len() as u64;
    }
    Ok(run_forks(forks, parts, |(mut table, text), sink| {
        block_lines(&mut table, text, &mut Vec::new(), sink);
    }))
}

/// Whether a cell (or a whole line) holding none of the sink's matches
/// gives nothing, as `screen` says (see [`Screen`]).
fn gives_nothing(screen: Option<Screen>, text: &str) -> bool {
    match screen {
        Some(Screen::Cells) => true,
        Some(Screen::Regexes) => !crate::model::has_letters(text),
        Some(Screen::Off) | None => false,
    }
}

/// How many of `lines`' first bytes are lines the parser would read as
/// they are split: up to the start of the first line holding a quote, a
/// carriage return not before its line break, or bytes not in UTF-8.
fn plain_lines(lines: &[u8]) -> usize {
    let mut clean = lines.len();
    if let Some(q) = memchr::memchr(b'"', lines) {
        clean = q;
    }
    for r in memchr::memchr_iter(b'\r', &lines[..clean]) {
        if lines.get(r + 1) != Some(&b'\n') && r + 1 != lines.len() {
            clean = r;
            break;
        }
    }
    if let Err(e) = simdutf8::compat::from_utf8(&lines[..clean]) {
        clean = e.valid_up_to();
    }
    if clean == lines.len() {
        return clean;
    }
    memchr::memrchr(b'\n', &lines[..clean]).map_or(0, |i| i + 1)
}

/// The non-blank fields of `line` split at `delimiter`: each one's index
/// and range, as [`decode_record`] gives them.
fn split(line: &str, delimiter: u8, spans: &mut Vec<(usize, Range<usize>)>) {
    spans.clear();
    let mut start = 0;
    let ends = memchr::memchr_iter(delimiter, line.as_bytes()).chain([line.len()]);
    for (i, end) in ends.enumerate() {
        if !line.as_bytes()[start..end]
            .iter()
            .all(u8::is_ascii_whitespace)
        {
            spans.push((i, start..end));
        }
        start = end + 1;
    }
}

fn too_large() -> ExtractError {
    ExtractError::Corrupt {
        format: "csv",
        message: format!(
            "a record is larger than {} MiB: not read further",
            MAX_RECORD >> 20
        ),
    }
}

/// Reads the records of `input` with the parser, from a record's start on
/// line `table.line`, until the input's end or the deadline.
fn records(
    input: &mut dyn BufRead,
    crlf: bool,
    table: &mut Table<'_>,
    deadline: &super::Deadline,
    bufs: &mut CsvBuffers,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let mut out = std::mem::take(&mut bufs.out);
    let mut ends = std::mem::take(&mut bufs.ends);
    out.resize(out.len().max(4096), 0);
    ends.resize(ends.len().max(64), 0);
    let rdr = bufs.reader(table.delimiter);
    let (mut decoded, mut spans) = (String::new(), Vec::new());
    let base = table.line - 1;
    let mut parser_first = true;
    let result = (|| loop {
        if deadline.is_over() {
            return Ok(());
        }
        // Past the header, a large file's records are parsed here and given
        // on the cores left idle, a batch of them each.
        if !table.first {
            let forks = sink.fork(usize::MAX);
            if !forks.is_empty() {
                let mut batches = Vec::new();
                let mut last = Ok(true);
                while batches.len() < forks.len() && matches!(last, Ok(true)) {
                    let mut batch = Batch::default();
                    while batch.read < BLOCK && matches!(last, Ok(true)) && !deadline.is_over() {
                        last = batch.parse(rdr, input, table, base, crlf && !parser_first);
                        parser_first = false;
                    }
                    batches.push(batch);
                }
                let parts = batches.into_iter().map(|b| (table.clone(), b)).collect();
                let done = run_forks(forks, parts, |(mut table, batch), sink| {
                    batch.give(&mut table, sink);
                });
                sink.join(done);
                match last {
                    Ok(true) => continue,
                    Ok(false) => return Ok(()),
                    Err(e) => return Err(e),
                }
            }
        }
        // The parser counts a record's start on the "\n" of the CRLF before
        // it, one line too early.
        let line = base + rdr.line() + u64::from(crlf && !parser_first);
        let (mut nout, mut nend) = (0, 0);
        if !parse(rdr, input, table, &mut out, &mut ends, &mut nout, &mut nend)? {
            return Ok(());
        }
        parser_first = false;
        let fields = Fields {
            out: &out[..nout],
            ends: &ends[..nend],
        };
        let row = decode_record(&fields, table.encoding, &mut decoded, &mut spans);
        table.record(line, fields.iter(), row, &spans, None, sink);
    })();
    bufs.out = out;
    bufs.ends = ends;
    result
}

/// Parses the next record onto `out[*nout..]` and `ends[*nend..]` (grown
/// as needed), its fields' ends counted from its start; false at the end of
/// `input`.
fn parse(
    rdr: &mut Reader,
    input: &mut dyn BufRead,
    table: &mut Table<'_>,
    out: &mut Vec<u8>,
    ends: &mut Vec<usize>,
    nout: &mut usize,
    nend: &mut usize,
) -> Result<bool, ExtractError> {
    let start = *nout;
    loop {
        let chunk = input.fill_buf()?;
        let (res, nin, o, e) = rdr.read_record(chunk, &mut out[*nout..], &mut ends[*nend..]);
        input.consume(nin);
        table.total += nin as u64;
        *nout += o;
        *nend += e;
        match res {
            ReadRecordResult::InputEmpty => {}
            ReadRecordResult::OutputFull => {
                if out.len() - start >= MAX_RECORD {
                    return Err(too_large());
                }
                out.resize(out.len() * 2, 0);
            }
            ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            ReadRecordResult::Record => return Ok(true),
            ReadRecordResult::End => return Ok(false),
        }
    }
}

/// Records parsed for a fork to give (see [`records`]).
#[derive(Default)]
struct Batch {
    /// The records' fields, one record after the other, and their ends.
    out: Vec<u8>,
    ends: Vec<usize>,
    /// Each record's line and the ends of its bytes and field ends.
    records: Vec<(u64, usize, usize)>,
    /// Bytes of the file parsed.
    read: usize,
}

impl Batch {
    /// Parses one more record (see [`parse`]); `late`: the parser counts
    /// its line one too early (see [`records`]).
    fn parse(
        &mut self,
        rdr: &mut Reader,
        input: &mut dyn BufRead,
        table: &mut Table<'_>,
        base: u64,
        late: bool,
    ) -> Result<bool, ExtractError> {
        let line = base + rdr.line() + u64::from(late);
        let (mut nout, mut nend) = (self.out_end(), self.ends_end());
        if self.out.len() < nout + 4096 {
            self.out.resize(nout + 4096, 0);
        }
        if self.ends.len() < nend + 64 {
            self.ends.resize(nend + 64, 0);
        }
        let before = table.total;
        let more = parse(
            rdr,
            input,
            table,
            &mut self.out,
            &mut self.ends,
            &mut nout,
            &mut nend,
        );
        self.read += (table.total - before) as usize;
        if matches!(more, Ok(true)) {
            self.records.push((line, nout, nend));
        }
        more
    }

    fn out_end(&self) -> usize {
        self.records.last().map_or(0, |r| r.1)
    }

    fn ends_end(&self) -> usize {
        self.records.last().map_or(0, |r| r.2)
    }

    /// Gives `sink` the records, as [`records`] gives them.
    fn give(&self, table: &mut Table<'_>, sink: &mut dyn UnitSink) {
        let (mut decoded, mut spans) = (String::new(), Vec::new());
        let (mut out_start, mut ends_start) = (0, 0);
        for &(line, out_end, ends_end) in &self.records {
            let fields = Fields {
                out: &self.out[out_start..out_end],
                ends: &self.ends[ends_start..ends_end],
            };
            let row = decode_record(&fields, table.encoding, &mut decoded, &mut spans);
            table.record(line, fields.iter(), row, &spans, None, sink);
            (out_start, ends_start) = (out_end, ends_end);
        }
    }
}

/// The fields of one parsed record.
struct Fields<'a> {
    out: &'a [u8],
    ends: &'a [usize],
}

impl<'a> Fields<'a> {
    fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        let out = self.out;
        self.ends.iter().scan(0usize, move |start, &end| {
            let f = &out[*start..end];
            *start = end;
            Some(f)
        })
    }
}

/// The record's non-blank fields as text: `spans` gets each one's index and
/// its range in the returned text. A record in valid UTF-8 (most of them) is
/// its own text, checked once; other records are decoded field by field into
/// `decoded`, as each field alone would be.
fn decode_record<'r>(
    fields: &Fields<'r>,
    encoding: &'static Encoding,
    decoded: &'r mut String,
    spans: &mut Vec<(usize, Range<usize>)>,
) -> &'r str {
    spans.clear();
    let blank = |raw: &[u8]| raw.iter().all(u8::is_ascii_whitespace);
    if encoding == encoding_rs::UTF_8 {
        if let Ok(all) = simdutf8::basic::from_utf8(fields.out) {
            let mut start = 0;
            let mut whole = true;
            for (i, &end) in fields.ends.iter().enumerate() {
                // A character split by a delimiter is valid only once the
                // fields are joined: then decode field by field.
                whole &= all.is_char_boundary(end);
                if !blank(&fields.out[start..end]) {
                    spans.push((i, start..end));
                }
                start = end;
            }
            if whole {
                return all;
            }
            spans.clear();
        }
    }
    decoded.clear();
    for (i, raw) in fields.iter().enumerate() {
        if !blank(raw) {
            let start = decoded.len();
            decoded.push_str(&decode(encoding, raw));
            spans.push((i, start..decoded.len()));
        }
    }
    decoded
}

/// The roles of a header row's columns, or `None` if the row is data.
fn header_roles(fields: &[Cow<str>], columns: &ColumnTable) -> Option<Vec<Option<ColumnRole>>> {
    let roles: Vec<Option<ColumnRole>> = fields
        .iter()
        .map(|f| columns.recognize(f).cloned())
        .collect();
    let known = roles.iter().filter(|r| r.is_some()).count();
    // A row of short labels is a header even when no label is known.
    let labels = fields.len() > 1 && fields.iter().all(|f| is_label(f));
    (known > 0 || labels).then_some(roles)
}

/// A header's label: short, without digits or '@'.
fn is_label(field: &str) -> bool {
    let t = field.trim();
    !t.is_empty() && t.len() < 40 && !t.contains('@') && !t.chars().any(|c| c.is_ascii_digit())
}

fn decode<'b>(encoding: &'static Encoding, raw: &'b [u8]) -> Cow<'b, str> {
    encoding.decode_without_bom_handling(raw).0
}

#[cfg(test)]
mod lines_tests;

#[cfg(test)]
mod tests {
    use super::*;

    /// Each field decoded alone, as the record decoder must give it.
    fn one_by_one(fields: &[&[u8]], encoding: &'static Encoding) -> Vec<(usize, String)> {
        fields
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.iter().all(u8::is_ascii_whitespace))
            .map(|(i, f)| (i, decode(encoding, f).into_owned()))
            .collect()
    }

    #[test]
    fn records_decode_as_their_fields_alone() {
        let records: [&[&[u8]]; 6] = [
            &[b"Dupont", b"Zo\xc3\xa9", b"  ", b"", b"06 12 34 56 78"],
            &[b"\xc3", b"\xa9x"], // one character split by a delimiter
            &[b"ok", b"bad \xff byte", b"\xe2\x82\xac"],
            &[b"\xf0\x9f", b"\x98\x80"],
            &[b"caf\xe9", b"\x80uro"], // Windows-1252
            &[],
        ];
        for encoding in [encoding_rs::UTF_8, encoding_rs::WINDOWS_1252] {
            for fields in records {
                let out: Vec<u8> = fields.concat();
                let ends: Vec<usize> = fields
                    .iter()
                    .scan(0, |end, f| {
                        *end += f.len();
                        Some(*end)
                    })
                    .collect();
                let record = Fields {
                    out: &out,
                    ends: &ends,
                };
                let (mut decoded, mut spans) = (String::new(), Vec::new());
                let row = decode_record(&record, encoding, &mut decoded, &mut spans);
                let got: Vec<(usize, String)> = spans
                    .iter()
                    .map(|(i, r)| (*i, row[r.clone()].to_string()))
                    .collect();
                assert_eq!(got, one_by_one(fields, encoding), "{fields:?}");
            }
        }
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2;3\n"), b';');
        assert_eq!(sniff_delimiter(b"a,b\n\"x;y\",2\n"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter(b"a|b\n1|2\n"), b'|');
        assert_eq!(
            sniff_delimiter(b"Nom;Adresse\nDupont;12, rue de la Paix\n"),
            b';'
        );
    }
}
