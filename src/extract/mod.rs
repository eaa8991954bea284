//! Extraction: a file's bytes → text units with locations.
//!
//! Each format is one module that reads a file and hands [`Located`] units to
//! a [`UnitSink`]; extractors never know which detectors run, and detectors
//! never know the format. [`sniff`] picks the format from magic bytes first,
//! then the extension; [`extract_file`] and [`extract_member`] dispatch to the
//! format's module. Containers (archives, e-mails with attachments) hand each
//! member back to [`extract_member`], which tracks nesting depth and tells
//! the sink where each member starts and ends.

pub mod archive;
pub mod budget;
pub mod csv;
pub mod decrypt;
pub mod dump;
mod error;
pub mod format;
pub mod mail;
pub mod markup;
pub mod ocr;
pub mod office;
pub mod ole;
pub mod pdf;
pub mod query;
pub mod rtf;
pub mod spreadsheet;
pub mod text;

pub use crate::model::location::{Location, Origin};
pub use crate::model::RowCell;
pub use budget::{Deadline, Timed};
pub use error::{ChildError, ExtractError, Limit};
pub use format::{
    ArchiveFormat, DocFormat, Format, ImageFormat, LegacyFormat, MailFormat, MarkupFormat,
    SheetFormat,
};

use crate::model::columns::ColumnTable;
use crate::model::{Screen, Unit};
use std::any::Any;
use std::fs::File;
use std::io::{Read, Seek};

/// A text unit with where it sits in the file.
#[derive(Debug, Clone)]
pub struct Located<'a> {
    pub unit: Unit<'a>,
    pub origin: Origin<'a>,
}

/// Receives the units of one file, in order.
pub trait UnitSink {
    /// One unit of text.
    fn unit(&mut self, located: &Located<'_>);
    /// A table row, after the units of its cells.
    fn row(&mut self, cells: &[RowCell<'_>]) {
        let _ = cells;
    }
    /// Which cells of `text` (whole lines of a delimited file, in UTF-8)
    /// could give anything: `ends` gets, in order, a byte offset inside
    /// every match the sink's regexes make in `text` (none of them can
    /// cross a delimiter, a quote or a line break), and the answer says
    /// what a cell holding none of these offsets is worth ([`Screen`]).
    fn may_find(&mut self, text: &[u8], ends: &mut Vec<usize>) -> Screen {
        let _ = (text, ends);
        Screen::Off
    }
    /// Sinks for the next blocks of a delimited file's lines (after its
    /// header) or of a JSON file's values, each given one block's units and rows on a core of its
    /// own, up to `helpers` besides this thread; what they found is handed
    /// back, in block order, to [`UnitSink::join`]. None where the sink's
    /// work follows the units in order (a subject's records, the
    /// inventory's places) or no core is idle: the blocks are given to
    /// this sink, one after the other.
    fn fork(&mut self, helpers: usize) -> Vec<Box<dyn Fork + '_>> {
        let _ = helpers;
        Vec::new()
    }
    /// Takes what the sinks of [`UnitSink::fork`] found, in block order,
    /// as if their blocks had been given to this sink.
    fn join(&mut self, done: Vec<Box<dyn Any + Send>>) {
        let _ = done;
    }
    /// A container member (archive entry, attachment) starts: the units
    /// until the matching [`UnitSink::leave`] belong to it.
    fn enter(&mut self, name: &str) {
        let _ = name;
    }
    /// The member ends: the format it was read as and its size, or why it
    /// could not be (fully) read.
    fn leave(&mut self, result: &Result<(Format, u64), ExtractError>) {
        let _ = result;
    }
    /// A part of the current document starts (a docx footer, a slide): its
    /// units are located in it (`entry`), but it is not a file of its own.
    fn enter_part(&mut self, name: &str) {
        let _ = name;
    }
    /// The part started by [`UnitSink::enter_part`] ends.
    fn leave_part(&mut self) {}
    /// Something in the current file or member was not covered (an encrypted
    /// member, a PDF page without text layer…), though the rest was read.
    fn not_covered(&mut self, reason: &str) {
        let _ = reason;
    }
    /// The next unit was read by OCR: its words' places and confidences
    /// (the findings in them are lowered by it).
    fn recognised(&mut self, words: &ocr::Recognised) {
        let _ = words;
    }
    /// `pages` pages are about to be read with OCR (the progress bar's
    /// pages seen; [`UnitSink::recognised`] counts them done).
    fn ocr_pages(&mut self, pages: u32) {
        let _ = pages;
    }
    /// A JSON or XML object starts: the units until the matching
    /// [`UnitSink::end_object`] are its members (a subject's record).
    fn begin_object(&mut self) {}
    /// The object started by [`UnitSink::begin_object`] ends.
    fn end_object(&mut self) {}
    /// The next units and rows are values at `path` of a JSON, YAML or XML
    /// document ([`crate::model::location::Location::path`]); `None`: no
    /// longer inside one.
    fn record_path(&mut self, path: Option<&str>) {
        let _ = path;
    }
}

/// How much of a streamed table or JSON file is read at a time: a block
/// searched on a core of its own ([`UnitSink::fork`]).
pub(crate) const BLOCK: usize = 256 << 10;

/// Reads `input` onto `block` until [`BLOCK`] more bytes or the input
/// ends; the number of bytes read (0: the end).
pub(crate) fn fill_block(input: &mut dyn Read, block: &mut Vec<u8>) -> Result<usize, ExtractError> {
    // Read into the block's spare room as it is, not zeroed first: a 2 KB
    // file must not cost the clearing of a whole block.
    Ok(input.take(BLOCK as u64).read_to_end(block)?)
}

/// Runs `give` on each of `parts` with its fork, the first on this thread
/// and the others on threads of their own; what the forks found, in order
/// (a fork without a part finds nothing).
pub(crate) fn run_forks<P: Send>(
    forks: Vec<Box<dyn Fork + '_>>,
    parts: Vec<P>,
    give: impl Fn(P, &mut dyn UnitSink) + Sync,
) -> Vec<Box<dyn Any + Send>> {
    let mut parts: Vec<Option<P>> = parts.into_iter().map(Some).collect();
    parts.resize_with(forks.len().max(parts.len()), || None);
    let run = |mut fork: Box<dyn Fork + '_>, part: Option<P>| {
        if let Some(part) = part {
            give(part, &mut *fork);
        }
        fork.done()
    };
    std::thread::scope(|s| {
        let mut pairs = forks.into_iter().zip(parts);
        let first = pairs.next();
        let helpers: Vec<_> = pairs
            .map(|(fork, part)| s.spawn(|| run(fork, part)))
            .collect();
        let mut done = Vec::new();
        done.extend(first.map(|(fork, part)| run(fork, part)));
        for h in helpers {
            // A helper's panic is the file's: the worker catches it at the
            // file boundary.
            match h.join() {
                Ok(d) => done.push(d),
                Err(e) => std::panic::resume_unwind(e),
            }
        }
        done
    })
}

/// A sink given one block of a file by [`UnitSink::fork`], on a thread of
/// its own.
pub trait Fork: UnitSink + Send {
    /// What it found, for [`UnitSink::join`].
    fn done(self: Box<Self>) -> Box<dyn Any + Send>;
}

/// How many leading bytes [`sniff`] needs.
pub const SNIFF_LEN: usize = 8192;

/// What [`sniff`] learnt of a file.
#[derive(Debug, Clone, Copy)]
pub struct Sniffed {
    pub format: Format,
    /// The text encoding (text formats).
    pub encoding: &'static encoding_rs::Encoding,
    /// Length of the byte-order mark to skip.
    pub bom: usize,
    /// UTF-16 or UTF-32 text, read as UTF-8 through [`text::WideReader`].
    pub wide: Option<text::Wide>,
}

/// The format of a file from its first bytes and its name.
pub fn sniff(name: &str, head: &[u8]) -> Sniffed {
    let ext = extension(name);
    let sniffed = |format, c: text::Charset| Sniffed {
        format,
        encoding: c.encoding,
        bom: c.bom,
        wide: c.wide,
    };
    let utf8 = text::Charset {
        encoding: encoding_rs::UTF_8,
        bom: 0,
        wide: None,
    };
    if let Some(f) = magic(head, &ext) {
        return sniffed(f, utf8);
    }
    let Some(enc) = text::sniff_encoding(head) else {
        return sniffed(Format::Binary, utf8);
    };
    let format = match ext.as_str() {
        "csv" | "tsv" | "tab" => Format::Csv,
        "html" | "htm" | "xhtml" => Format::Markup(MarkupFormat::Html),
        "xml" => Format::Markup(MarkupFormat::Xml),
        // One JSON value after another (NDJSON, JSON Lines): the same reader.
        "json" | "geojson" | "ndjson" | "jsonl" => Format::Markup(MarkupFormat::Json),
        "yaml" | "yml" => Format::Markup(MarkupFormat::Yaml),
        "vcf" | "vcard" => Format::Markup(MarkupFormat::Vcard),
        "ics" | "ical" | "icalendar" => Format::Markup(MarkupFormat::Calendar),
        "eml" => Format::Mail(MailFormat::Eml),
        "mbox" | "mbx" | "box" => Format::Mail(MailFormat::Mbox),
        _ => text_content_format(head),
    };
    sniffed(format, enc)
}

/// The extension of `name`, in lower case (`""`: none).
fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Text whose content says what it is (an e-mail saved without extension,
/// an HTML page named `.txt`).
fn text_content_format(head: &[u8]) -> Format {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF)
        .unwrap_or(0);
    let h = &head[start..head.len().min(start + 512)];
    if starts_with_ignore_case(h, b"<!doctype html") || starts_with_ignore_case(h, b"<html") {
        Format::Markup(MarkupFormat::Html)
    } else if starts_with_ignore_case(h, b"<?xml") {
        Format::Markup(MarkupFormat::Xml)
    } else if markup::vcard::looks_like_vcard(h) {
        Format::Markup(MarkupFormat::Vcard)
    } else if markup::vcard::looks_like_calendar(h) {
        Format::Markup(MarkupFormat::Calendar)
    } else if h.starts_with(b"From ")
        && memchr::memmem::find(h, b"\n").is_some()
        && looks_like_headers(h)
    {
        Format::Mail(MailFormat::Mbox)
    } else if looks_like_headers(h) {
        Format::Mail(MailFormat::Eml)
    } else {
        Format::Text
    }
}

/// Typical mail header names, with their colon.
const MAIL_HEADERS: &[&[u8]] = &[
    b"received:",
    b"return-path:",
    b"from:",
    b"to:",
    b"subject:",
    b"date:",
    b"message-id:",
    b"mime-version:",
    b"delivered-to:",
    b"x-mailer:",
];

/// Bytes at a line's start in which a header's colon is looked for (no
/// name in [`MAIL_HEADERS`] is longer).
const MAIL_HEADER_LONGEST: usize = 14;

/// At least two RFC 5322 header lines among the first ones, one of them a
/// typical mail header; or one typical header among three or more, with
/// every line header-shaped (a header or its folded continuation: a
/// message whose first `Received:` is followed by long trace headers).
fn looks_like_headers(h: &[u8]) -> bool {
    let (mut known, mut lines, mut start) = (0, 0, 0);
    let (mut envelope, mut shaped, mut starts) = (true, true, 0);
    // The first 12 lines after any mbox `From ` lines (every text file's
    // head is tested: lines found by memchr, and only a line with a colon
    // near its start compared with the names).
    while start <= h.len() && lines < 12 {
        let end = memchr::memchr(b'\n', &h[start..]).map_or(h.len(), |i| start + i);
        let line = &h[start..end];
        let whole = end < h.len();
        start = end + 1;
        if envelope && line.starts_with(b"From ") {
            continue;
        }
        envelope = false;
        lines += 1;
        if is_header_start(line) {
            starts += 1;
        } else if whole && !matches!(line.first(), Some(b' ' | b'\t')) {
            shaped = false;
        }
        if memchr::memchr(b':', &line[..line.len().min(MAIL_HEADER_LONGEST)]).is_some()
            && MAIL_HEADERS
                .iter()
                .any(|n| starts_with_ignore_case(line, n))
        {
            known += 1;
            if known >= 2 {
                return true;
            }
        }
    }
    known == 1 && shaped && starts >= 3
}

/// `Name:` at the line's start, the name of RFC 5322 field characters.
fn is_header_start(line: &[u8]) -> bool {
    let name = line
        .iter()
        .take_while(|&&b| b > b' ' && b < 127 && b != b':')
        .count();
    name > 0 && line.get(name) == Some(&b':')
}

/// `prefix` (lower case) starts `b`, ignoring ASCII case; every file's
/// first lines are tested this way.
fn starts_with_ignore_case(b: &[u8], prefix: &[u8]) -> bool {
    b.get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
}

/// Known binary formats by magic bytes.
fn magic(head: &[u8], ext: &str) -> Option<Format> {
    Some(if pdf::starts_like_pdf(head) {
        Format::Pdf
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        match ext {
            "xlsx" => Format::Spreadsheet(SheetFormat::Xlsx),
            "xlsm" => Format::Spreadsheet(SheetFormat::Xlsm),
            "xlsb" => Format::Spreadsheet(SheetFormat::Xlsb),
            "ods" => Format::Spreadsheet(SheetFormat::Ods),
            "docx" | "docm" | "dotx" => Format::Office(DocFormat::Docx),
            "pptx" => Format::Office(DocFormat::Pptx),
            "odt" => Format::Office(DocFormat::Odt),
            "odp" => Format::Office(DocFormat::Odp),
            _ => zip_content_format(head),
        }
    } else if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // Word, PowerPoint, Excel, Outlook, encrypted OOXML: its streams
        // say which, whatever its name (`ole::extract`).
        Format::Legacy(LegacyFormat::Ole)
    } else if head.starts_with(&[0x1F, 0x8B]) {
        Format::Archive(ArchiveFormat::Gzip)
    } else if head.len() >= 10
        && head.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&head[3])
        && (head[4..10] == [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]
            || head[4..10] == [0x17, 0x72, 0x45, 0x38, 0x50, 0x90])
    {
        Format::Archive(ArchiveFormat::Bzip2)
    } else if head.starts_with(&[0xFD, b'7', b'z', b'X', b'Z', 0]) {
        Format::Archive(ArchiveFormat::Xz)
    } else if head.starts_with(&[b'7', b'z', 0xBC, 0xAF, 0x27, 0x1C]) {
        Format::Archive(ArchiveFormat::SevenZip)
    } else if head.starts_with(b"Rar!\x1A\x07") {
        Format::Archive(ArchiveFormat::Rar)
    } else if head.len() > 262 && &head[257..262] == b"ustar" {
        Format::Archive(ArchiveFormat::Tar)
    } else if spreadsheet::is_biff(head) {
        // An Excel 2.x–4.0 worksheet: a bare record stream, no OLE container.
        Format::Spreadsheet(SheetFormat::Xls)
    } else if head.starts_with(b"{\\rtf") {
        Format::Legacy(LegacyFormat::Rtf)
    } else if let Some(image) = ocr::image::magic(head) {
        Format::Image(image)
    } else {
        return None;
    })
}

/// A zip whose name does not say what it is: office documents name their
/// parts in the first local headers.
fn zip_content_format(head: &[u8]) -> Format {
    let has = |s: &[u8]| memchr::memmem::find(head, s).is_some();
    if has(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet") {
        Format::Spreadsheet(SheetFormat::Ods)
    } else if has(b"mimetypeapplication/vnd.oasis.opendocument.text") {
        Format::Office(DocFormat::Odt)
    } else if has(b"mimetypeapplication/vnd.oasis.opendocument.presentation") {
        Format::Office(DocFormat::Odp)
    } else if has(b"xl/workbook") || has(b"xl/_rels") {
        Format::Spreadsheet(SheetFormat::Xlsx)
    } else if has(b"word/") {
        Format::Office(DocFormat::Docx)
    } else if has(b"ppt/") {
        Format::Office(DocFormat::Pptx)
    } else {
        Format::Archive(ArchiveFormat::Zip)
    }
}

/// Limits against hostile input (zip bombs, deep nesting, huge documents).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Containers inside containers, at most.
    pub max_depth: u32,
    /// Uncompressed bytes read from one top-level archive, at most.
    pub max_archive_bytes: u64,
    /// Uncompressed size of one member, at most.
    pub max_member_bytes: u64,
    /// Uncompressed ÷ compressed size of a member, at most.
    pub max_ratio: u64,
    /// Size of a document parsed in memory (spreadsheet, PDF, office, e-mail), at most.
    pub max_document_bytes: u64,
    /// Time spent on one file, at most (`None`: no limit); see [`budget`].
    pub max_file_time: Option<std::time::Duration>,
    /// Pictures and image-only PDF pages are read with this OCR engine
    /// (`None`: listed as needing `--ocr`).
    pub ocr: Option<ocr::Settings>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 8,
            max_archive_bytes: 4 << 30,
            max_member_bytes: 512 << 20,
            max_ratio: 250,
            max_document_bytes: 512 << 20,
            max_file_time: Some(budget::DEFAULT_MAX_FILE_TIME),
            ocr: None,
        }
    }
}

/// Reusable buffers of one worker thread.
#[derive(Default)]
pub struct Buffers {
    pub text: text::TextBuffers,
    pub csv: csv::CsvBuffers,
}

/// What extractors share: the column table, the worker's buffers, the limits
/// and how deep in containers we are.
pub struct Cx<'a> {
    pub columns: &'a ColumnTable,
    pub bufs: &'a mut Buffers,
    pub limits: &'a Limits,
    /// 0 for a file on disk, 1 for a member of it, …
    pub depth: u32,
    /// Uncompressed bytes read so far from the top-level container.
    pub expanded: u64,
    /// When the file's time is up ([`Limits::max_file_time`]).
    pub deadline: &'a Deadline,
}

/// What a reader needs outside a scan, owned, with default settings and
/// no deadline (the readers' unit tests).
#[cfg(test)]
pub(crate) struct TestCx {
    pub columns: ColumnTable,
    pub bufs: Buffers,
    pub limits: Limits,
    pub deadline: Deadline,
}

#[cfg(test)]
impl TestCx {
    pub fn new(columns: ColumnTable, limits: Limits) -> Self {
        TestCx {
            columns,
            bufs: Buffers::default(),
            limits,
            deadline: Deadline::unlimited(),
        }
    }

    /// The context the readers take.
    pub fn cx(&mut self) -> Cx<'_> {
        Cx::new(&self.columns, &mut self.bufs, &self.limits, &self.deadline)
    }
}

#[cfg(test)]
impl Default for TestCx {
    fn default() -> Self {
        TestCx::new(ColumnTable::default(), Limits::default())
    }
}

impl<'a> Cx<'a> {
    /// The context of a file on disk (depth 0, nothing expanded yet).
    pub fn new(
        columns: &'a ColumnTable,
        bufs: &'a mut Buffers,
        limits: &'a Limits,
        deadline: &'a Deadline,
    ) -> Self {
        Cx {
            columns,
            bufs,
            limits,
            depth: 0,
            expanded: 0,
            deadline,
        }
    }
}

/// A source that can be read and sought (a file, or bytes in memory).
pub trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// Reads the first [`SNIFF_LEN`] bytes of `file` into `head`; of a
/// file of `size` bytes (as the walk saw it), no more than those: one read
/// call, where reading to the end takes a second one to find it.
pub fn read_head(file: &mut File, size: u64, head: &mut Vec<u8>) -> std::io::Result<()> {
    head.clear();
    let want = size.clamp(1, SNIFF_LEN as u64);
    file.take(want).read_to_end(head).map(|_| ())
}

/// Reads a file on disk whose first bytes, already read, are `head`.
/// Returns the format and the number of bytes read.
pub fn extract_file(
    name: &str,
    head: &[u8],
    file: &mut File,
    whole: bool,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(Format, u64), ExtractError> {
    let sink = &mut Timed::new(cx.deadline, sink);
    read_file(name, head, file, whole, cx, sink)
}

/// [`extract_file`] without the clock's sink (a spilled member's sink has
/// it already).
fn read_file(
    name: &str,
    head: &[u8],
    file: &mut File,
    whole: bool,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(Format, u64), ExtractError> {
    let s = sniff(name, head);
    if let Format::Archive(kind) = s.format {
        // Read again from its start, as a seekable file.
        file.seek(std::io::SeekFrom::Start(0))?;
        let bytes = archive::extract(kind, name, file, cx, sink)?;
        return Ok((s.format, bytes));
    }
    // A small file is all in `head` (`whole`): not one more read to learn
    // that it ends there.
    let mut nothing = std::io::empty();
    let rest: &mut dyn Read = if whole { &mut nothing } else { file };
    let bytes = match s.format {
        Format::Text | Format::Csv => return read_text(&s, head, rest, cx, sink),
        // A JSON Lines export is not held whole in memory, nor is a large
        // XML export (in UTF-8, with or without a byte-order mark, as
        // Windows tools write one).
        Format::Markup(kind @ (MarkupFormat::Json | MarkupFormat::Xml)) if streamable(&s) => {
            let n = markup::stream(kind, &head[s.bom..], rest, cx, sink)?;
            return Ok((s.format, n + s.bom as u64));
        }
        Format::Binary => 0,
        other => {
            let mut data = head.to_vec();
            let limit = cx.limits.max_document_bytes;
            rest.take(limit.saturating_sub(data.len() as u64) + 1)
                .read_to_end(&mut data)?;
            if data.len() as u64 > limit {
                return Err(Limit::DocumentSize {
                    format: other.name(),
                    mib: limit >> 20,
                }
                .into());
            }
            let read_as = extract_document(other, name, &data, cx, sink)?;
            return Ok((read_as, data.len() as u64));
        }
    };
    Ok((s.format, bytes))
}

/// A markup file read as it streams ([`markup::stream`]): 8-bit
/// text, UTF-8 when it has a byte-order mark.
fn streamable(s: &Sniffed) -> bool {
    s.wide.is_none() && (s.bom == 0 || s.encoding == encoding_rs::UTF_8)
}

/// Streams a text or CSV file as [`sniff`] found it (`s`), whose first
/// bytes are `head` and the rest `rest`; returns the format it was read as
/// (a text file that is a delimited export is read as CSV) and the number
/// of bytes read.
fn read_text(
    s: &Sniffed,
    head: &[u8],
    rest: &mut dyn Read,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(Format, u64), ExtractError> {
    let Some(wide) = s.wide else {
        // An export saved as `.txt` (or with no extension) is a table all
        // the same.
        let table = s.format == Format::Csv
            || (s.format == Format::Text && csv::is_export(&head[s.bom..], s.encoding, cx.columns));
        let stream = text::Stream {
            head,
            rest,
            encoding: s.encoding,
            bom: s.bom,
        };
        return if table {
            csv::extract(stream, cx, sink).map(|n| (Format::Csv, n))
        } else {
            text::extract(stream, cx, sink).map(|n| (s.format, n))
        };
    };
    // UTF-16 and UTF-32 are read as the UTF-8 they decode to (a CSV's
    // delimiters are then single bytes).
    let mut reader = text::WideReader::new(std::io::Cursor::new(&head[s.bom..]).chain(rest), wide);
    let mut utf8 = Vec::with_capacity(SNIFF_LEN);
    (&mut reader)
        .take(SNIFF_LEN as u64)
        .read_to_end(&mut utf8)?;
    let plain = Sniffed {
        encoding: encoding_rs::UTF_8,
        bom: 0,
        wide: None,
        ..*s
    };
    let (format, _) = read_text(&plain, &utf8, &mut reader, cx, sink)?;
    Ok((format, reader.bytes_read() + s.bom as u64))
}

/// Reads a document held in memory, named `name`; returns the format it
/// was read as (an OLE file's streams say which it is).
fn extract_document(
    format: Format,
    name: &str,
    data: &[u8],
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<Format, ExtractError> {
    if let Format::Legacy(kind) = format {
        return match kind {
            LegacyFormat::Rtf => rtf::extract(data, cx, sink).map(|()| format),
            _ => ole::extract(data, &extension(name), cx, sink),
        };
    }
    match format {
        Format::Spreadsheet(kind) => spreadsheet::extract(kind, data, cx, sink),
        Format::Pdf => pdf::extract(data, cx, sink),
        Format::Office(kind) => office::extract(kind, data, cx, sink),
        Format::Markup(kind) => markup::extract(kind, data, cx, sink),
        Format::Mail(kind) => mail::extract(kind, data, cx, sink),
        Format::Image(kind) => ocr::extract(kind, data, cx, sink),
        Format::Archive(kind) => {
            archive::extract(kind, name, &mut std::io::Cursor::new(data), cx, sink).map(|_| ())
        }
        Format::Text | Format::Csv => {
            let head = &data[..data.len().min(SNIFF_LEN)];
            let s = Sniffed {
                format,
                ..sniff("", head)
            };
            let mut rest = &data[head.len()..];
            return read_text(&s, head, &mut rest, cx, sink).map(|(f, _)| f);
        }
        Format::Binary | Format::Legacy(_) => Ok(()),
    }
    .map(|()| format)
}

/// Reads a member of a container (archive entry, e-mail attachment) held in
/// memory, named `name` (its path inside the container). The sink is told
/// where it starts and ends; a member that cannot be read is reported and
/// the container goes on.
pub fn extract_member(name: &str, data: &[u8], cx: &mut Cx<'_>, sink: &mut dyn UnitSink) {
    in_member(name, cx, sink, |cx, sink| {
        let head = &data[..data.len().min(SNIFF_LEN)];
        let format = sniff(name, head).format;
        extract_document(format, name, data, cx, sink).map(|f| (f, data.len() as u64))
    });
}

/// Reads a container member spilled to a (temporary) file, as
/// [`extract_member`] reads one held in memory: an archive or a text is
/// streamed from the file, a document read into memory.
pub fn extract_spilled(name: &str, file: &mut File, cx: &mut Cx<'_>, sink: &mut dyn UnitSink) {
    in_member(name, cx, sink, |cx, sink| {
        file.seek(std::io::SeekFrom::Start(0))?;
        let mut head = Vec::with_capacity(SNIFF_LEN);
        (&mut *file).take(SNIFF_LEN as u64).read_to_end(&mut head)?;
        read_file(name, &head, file, false, cx, sink)
    });
}

/// Tells the sink where member `name` starts and ends, and reads it with
/// `read` one container deeper, unless the time is up or the depth limit
/// reached.
pub(crate) fn in_member(
    name: &str,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
    read: impl FnOnce(&mut Cx<'_>, &mut dyn UnitSink) -> Result<(Format, u64), ExtractError>,
) {
    if cx.deadline.is_over() {
        return; // the time is up and was reported: nothing more is read
    }
    sink.enter(name);
    let result = if cx.deadline.expired() {
        // Containers stop at the next member once the time is up.
        Err(cx.deadline.error("this member"))
    } else if cx.depth >= cx.limits.max_depth {
        Err(Limit::Depth(cx.limits.max_depth).into())
    } else {
        cx.depth += 1;
        let r = read(cx, sink);
        cx.depth -= 1;
        r
    };
    sink.leave(&result);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first form of [`looks_like_headers`], kept to check the faster one.
    fn headers_by_split(h: &[u8]) -> bool {
        let names = MAIL_HEADERS;
        let known = h
            .split(|&b| b == b'\n')
            .skip_while(|l| l.starts_with(b"From "))
            .take(12)
            .filter(|line| names.iter().any(|n| starts_with_ignore_case(line, n)))
            .count();
        known >= 2
    }

    #[test]
    fn mail_header_names_fit_the_colon_window() {
        // `looks_like_headers` looks for the colon in a line's first bytes.
        assert!(MAIL_HEADERS
            .iter()
            .all(|n| n.len() <= MAIL_HEADER_LONGEST && n.ends_with(b":")));
    }

    #[test]
    fn mail_headers_as_before() {
        let lines: &[&[u8]] = &[
            b"From jean@example.fr Mon Mar 11 10:00:00 2024",
            b"From: Jean <jean@example.fr>",
            b"To: x@example.fr",
            b"SUBJECT: loyer",
            b"Delivered-To: a@b.fr",
            b"MIME-Version: 1.0",
            b"Date: Mon, 11 Mar 2024",
            b"Madame, Monsieur,",
            b"Objet : demande",
            b"",
            b"to:",
            b"x-mailer",
            b"Received: from mx",
        ];
        let mut rng = crate::TestRng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..5000 {
            let mut h = Vec::new();
            for _ in 0..(rng.0 % 17) {
                let r = rng.next();
                h.extend_from_slice(lines[(r % lines.len() as u64) as usize]);
                if !r.is_multiple_of(11) {
                    h.push(b'\n');
                }
            }
            assert_eq!(
                looks_like_headers(&h),
                headers_by_split(&h),
                "{:?}",
                String::from_utf8_lossy(&h)
            );
        }
    }
}
