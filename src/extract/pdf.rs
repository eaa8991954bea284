//! PDF: the text of every page, one unit per page (`Origin::Page`).
//!
//! lopdf parses the file structure (cross-reference tables, object streams,
//! decryption with the empty user password, the page tree). The text is read
//! here rather than with lopdf's `extract_text`, which glues runs placed apart
//! ("N° SS :" and its value, an IBAN drawn in 4-character boxes), ignores line
//! moves inside a text block, prefers a named encoding over the font's
//! ToUnicode map, ignores `Differences` (Ghostscript writes accents that way)
//! and form XObjects, and decompresses without limit. So this module has its
//! own non-recursive content-stream lexer, follows the text position to put
//! spaces and newlines where the page shows gaps and line changes, decodes
//! through the ToUnicode CMap or the byte encoding with `Differences`, and
//! caps decompressed bytes.
//!
//! Hostile files: decompression is capped per document ([`MAX_DECODED`]),
//! including object and cross-reference streams that lopdf inflates while
//! loading (checked beforehand); pages are visited once each and at most
//! [`MAX_PAGES`]; forms nest at most [`MAX_FORM_DEPTH`] deep without cycles;
//! lopdf's recursive parser runs on a thread with a large stack after a check
//! that nothing nests deeper than [`MAX_NESTING`]. A file with no text at all
//! is reported as not covered (a scan without OCR).

use super::{Cx, Deadline, ExtractError, Located, Origin, UnitSink};
use crate::detect::Unit;
use flate2::read::{DeflateDecoder, ZlibDecoder};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Instant;

/// Decompressed bytes per document, at most (content streams, forms, CMaps;
/// structural streams are counted separately, against the same cap).
pub const MAX_DECODED: u64 = 256 << 20;
/// Pages read per document, at most.
pub const MAX_PAGES: usize = 100_000;
/// Form XObjects drawn inside forms, at most.
pub const MAX_FORM_DEPTH: usize = 8;
/// Arrays and dictionaries nested inside each other, at most: lopdf's parser
/// recurses with a stack use that grows faster than the depth (measured:
/// 100 levels overflow 256 MiB in a debug build; real files nest < 10).
pub const MAX_NESTING: usize = 32;
/// Stack of the thread that runs lopdf (reserved, used only as needed).
const STACK: usize = 64 << 20;

/// Content-stream operators between two looks at the clock.
const OPS_PER_CHECK: u32 = 4096;

/// What the reading thread hands back.
enum Msg {
    Page(u32, String),
    NotCovered(String),
    /// The file's time was up before this page, or (`true`) while reading it.
    TimeUp(u32, bool),
}

/// Extracts the text units of a PDF document held in memory.
pub fn extract(data: &[u8], cx: &mut Cx<'_>, sink: &mut dyn UnitSink) -> Result<(), ExtractError> {
    extract_capped(data, MAX_DECODED, cx.deadline, sink)
}

/// [`extract`] with a decompression cap (smaller in tests).
fn extract_capped(
    data: &[u8],
    cap: u64,
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let (tx, rx) = mpsc::sync_channel(4);
    let at = deadline.instant();
    std::thread::scope(|s| {
        let reader = std::thread::Builder::new()
            .name("pdf".into())
            .stack_size(STACK)
            .spawn_scoped(s, move || read(data, cap, at, &tx))
            .map_err(ExtractError::Io)?;
        // Leaving the loop drops the receiver: the reader stops at its next page.
        for msg in rx {
            match msg {
                Msg::Page(page, text) => sink.unit(&Located {
                    unit: Unit::whole(&text),
                    origin: Origin::Page { page },
                }),
                Msg::NotCovered(reason) => sink.not_covered(&reason),
                Msg::TimeUp(page, partly) => {
                    deadline.set_over();
                    let place = if partly {
                        format!("page {page} (part of it read)")
                    } else {
                        format!("page {page}")
                    };
                    deadline.report(sink, &place);
                }
            }
            if deadline.is_over() {
                break;
            }
        }
        reader
            .join()
            .unwrap_or_else(|_| Err(corrupt("the PDF parser failed on this file")))
    })
}

fn corrupt(message: &str) -> ExtractError {
    ExtractError::Corrupt {
        format: "pdf",
        message: message.into(),
    }
}

fn too_big(cap: u64) -> ExtractError {
    ExtractError::Limit(format!(
        "pdf decompresses to more than {} MiB: not read to the end",
        cap >> 20
    ))
}

/// Loads the document and sends the text of its pages (runs on the big-stack thread).
fn read(
    data: &[u8],
    cap: u64,
    at: Option<Instant>,
    tx: &mpsc::SyncSender<Msg>,
) -> Result<(), ExtractError> {
    prescan(data, cap)?;
    let doc = load(data)?;
    let mut reader = PageReader {
        doc: &doc,
        budget: cap,
        cap,
        at,
        ops: 0,
        timed_out: false,
        fonts: HashMap::new(),
        forms: Vec::new(),
        text: String::new(),
        last: None,
        any_text: false,
        undecodable: false,
    };
    let mut seen = HashSet::new();
    for id in doc.page_iter() {
        if !seen.insert(id) {
            continue; // a page tree that lists a page twice or loops
        }
        if seen.len() > MAX_PAGES {
            return Err(ExtractError::Limit(format!(
                "pdf with more than {MAX_PAGES} pages: the rest not read"
            )));
        }
        let page = seen.len() as u32;
        // The first page is always read (see `budget`).
        if page > 1 && reader.out_of_time() {
            let _ = tx.send(Msg::TimeUp(page, false));
            return Ok(());
        }
        reader.page(id)?;
        if !reader.text.trim().is_empty() {
            let text = std::mem::take(&mut reader.text);
            if tx.send(Msg::Page(page, text)).is_err() {
                return Ok(());
            }
        }
        if reader.timed_out {
            let _ = tx.send(Msg::TimeUp(page, true));
            return Ok(());
        }
    }
    if seen.is_empty() {
        return Err(corrupt("no pages found"));
    }
    let note = match (reader.any_text, reader.undecodable) {
        (false, false) => Some("no text layer (scanned image?): not checked"),
        (false, true) => Some("text in fonts without a Unicode map: not checked"),
        (true, true) => Some("some text in fonts without a Unicode map: not checked"),
        (true, false) => None,
    };
    if let Some(note) = note {
        let _ = tx.send(Msg::NotCovered(note.into()));
    }
    Ok(())
}

/// Parses the file with lopdf, decrypting with the empty user password.
fn load(data: &[u8]) -> Result<Document, ExtractError> {
    use lopdf::Error as E;
    let doc = Document::load_mem(data).map_err(|e| match e {
        E::InvalidPassword | E::Decryption(_) | E::UnsupportedSecurityHandler(_) => {
            ExtractError::Encrypted("pdf")
        }
        E::Parse(e) => corrupt(&e.to_string()),
        E::Xref(e) => corrupt(&format!("cross-reference table: {e}")),
        _ => corrupt("cannot parse the document structure"),
    })?;
    if doc.is_encrypted() {
        return Err(ExtractError::Encrypted("pdf"));
    }
    Ok(doc)
}

// ---------------------------------------------------------------------------
// Before lopdf: structural streams and nesting
// ---------------------------------------------------------------------------

/// Checks what lopdf would expand or recurse into while loading: object and
/// cross-reference streams (inflated without limit) must stay under `cap`
/// bytes, and arrays/dictionaries (parsed recursively, with a large stack
/// frame per level) under [`MAX_NESTING`] levels, in the object syntax
/// (stream bodies skipped) and in object streams. Encrypted streams cannot be
/// inflated before decryption and are not counted.
fn prescan(data: &[u8], cap: u64) -> Result<(), ExtractError> {
    let mut nesting = Nesting::default();
    let mut left = cap;
    let mut cursor = 0;
    for pos in memchr::memmem::find_iter(data, b"stream") {
        if pos < cursor || data[..pos].ends_with(b"end") {
            continue;
        }
        let body = match data.get(pos + 6..pos + 8) {
            Some(b"\r\n") => pos + 8,
            Some([b'\n' | b'\r', ..]) => pos + 7,
            _ => continue,
        };
        nesting.feed(&data[cursor..body])?;
        cursor = memchr::memmem::find(&data[body..], b"endstream").map_or(data.len(), |i| body + i);
        let before = &data[pos.saturating_sub(4096)..pos];
        let dict = match memchr::memmem::rfind(before, b"obj") {
            Some(i) => &before[i..],
            None => before,
        };
        let has = |s: &[u8]| memchr::memmem::find(dict, s).is_some();
        let structural = has(b"ObjStm") || has(b"XRef") || has(b"#") || dict.len() == before.len();
        let layers = memchr::memmem::find_iter(dict, b"FlateDecode").count();
        if !structural || layers == 0 {
            continue;
        }
        let mut r = inflater(&data[body..], layers);
        let mut buf = vec![0u8; 64 << 10];
        let mut inner = Nesting::default();
        loop {
            let n = match r.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            left = left.checked_sub(n as u64).ok_or_else(|| too_big(cap))?;
            inner.feed(&buf[..n])?;
        }
    }
    nesting.feed(&data[cursor.min(data.len())..])
}

/// `layers` zlib decoders one inside the other.
fn inflater(data: &[u8], layers: usize) -> Box<dyn Read + '_> {
    let mut r: Box<dyn Read> = Box::new(data);
    for _ in 0..layers.min(8) {
        r = Box::new(ZlibDecoder::new(r));
    }
    r
}

/// Counts `[`/`<<` nesting over bytes, restarting at each `obj` keyword (an
/// over-estimate: strings and binary data are counted too).
#[derive(Default)]
struct Nesting {
    depth: usize,
    prev: u8,
    matched: usize,
}

impl Nesting {
    fn feed(&mut self, bytes: &[u8]) -> Result<(), ExtractError> {
        for &b in bytes {
            match b {
                b'[' => self.depth += 1,
                b']' => self.depth = self.depth.saturating_sub(1),
                b'<' if self.prev == b'<' => self.depth += 1,
                b'>' if self.prev == b'>' => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
            // "obj" resets the count; `<<<` or `>>>` count once.
            self.matched = match (self.matched, b) {
                (_, b'o') => 1,
                (1, b'b') => 2,
                (2, b'j') => {
                    self.depth = 0;
                    0
                }
                _ => 0,
            };
            self.prev = if (b == b'<' || b == b'>') && self.prev == b {
                0
            } else {
                b
            };
            if self.depth > MAX_NESTING {
                return Err(corrupt("arrays or dictionaries nested too deep"));
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Streams
// ---------------------------------------------------------------------------

/// The decoded bytes of a stream, counted against `budget`. Flate chains are
/// inflated here with the cap; other filters (rare in content streams: LZW,
/// ASCII85, predictors) by lopdf, checked afterwards. `None` when the stream
/// cannot be decoded (an image filter, bad data).
fn decode<'s>(
    s: &'s Stream,
    budget: &mut u64,
    cap: u64,
) -> Result<Option<Cow<'s, [u8]>>, ExtractError> {
    let filters = match s.dict.get(b"Filter") {
        Err(_) => return Ok(Some(Cow::Borrowed(&s.content))),
        Ok(_) => s.filters().unwrap_or_default(),
    };
    let flate_only = !filters.is_empty()
        && filters.iter().all(|f| *f == b"FlateDecode" || *f == b"Fl")
        && s.dict.get(b"DecodeParms").is_err();
    let out = if flate_only {
        let mut out = Vec::new();
        let limit = *budget + 1;
        let _ = inflater(&s.content, filters.len())
            .take(limit)
            .read_to_end(&mut out);
        if out.is_empty() && filters.len() == 1 && s.content.len() > 2 {
            // A bad zlib header or checksum: raw deflate, as lopdf does.
            let _ = DeflateDecoder::new(&s.content[2..])
                .take(limit)
                .read_to_end(&mut out);
        }
        out
    } else {
        match s.decompressed_content() {
            Ok(out) => out,
            Err(_) => return Ok(None),
        }
    };
    *budget = budget
        .checked_sub(out.len() as u64)
        .ok_or_else(|| too_big(cap))?;
    Ok(Some(Cow::Owned(out)))
}

// ---------------------------------------------------------------------------
// Content-stream lexer (no recursion; arrays flattened, dictionaries skipped)
// ---------------------------------------------------------------------------

/// One operand of a content-stream operator.
#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Num(f64),
    Name(Vec<u8>),
    Str(Vec<u8>),
    /// A `[...]` array (nested arrays flattened).
    Array(Vec<Operand>),
}

/// A token of PostScript-like syntax (content streams, CMaps).
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Operand(Operand),
    ArrayStart,
    ArrayEnd,
    DictStart,
    DictEnd,
    Operator(&'a [u8]),
}

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_white(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    fn new(data: &'a [u8]) -> Self {
        Lexer { data, pos: 0 }
    }

    fn peek(&self, off: usize) -> Option<u8> {
        self.data.get(self.pos + off).copied()
    }

    /// The next token, or `None` at the end.
    fn token(&mut self) -> Option<Token<'a>> {
        loop {
            let b = self.peek(0)?;
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while self.peek(0).is_some_and(|b| b != b'\n' && b != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
        let b = self.peek(0)?;
        let start = self.pos;
        self.pos += 1;
        Some(match b {
            b'(' => Token::Operand(Operand::Str(self.literal())),
            b'<' if self.peek(0) == Some(b'<') => {
                self.pos += 1;
                Token::DictStart
            }
            b'<' => Token::Operand(Operand::Str(self.hex())),
            b'>' if self.peek(0) == Some(b'>') => {
                self.pos += 1;
                Token::DictEnd
            }
            b'[' => Token::ArrayStart,
            b']' => Token::ArrayEnd,
            b'/' => {
                let raw = self.regular();
                Token::Operand(Operand::Name(unescape_name(raw)))
            }
            b')' | b'>' | b'{' | b'}' => Token::Operator(&self.data[start..self.pos]),
            _ => {
                self.pos = start;
                let raw = self.regular();
                let num = (b.is_ascii_digit() || b == b'-' || b == b'+' || b == b'.')
                    .then(|| std::str::from_utf8(raw).ok()?.parse::<f64>().ok())
                    .flatten();
                match num {
                    Some(n) if n.is_finite() => Token::Operand(Operand::Num(n)),
                    _ => Token::Operator(raw),
                }
            }
        })
    }

    /// Regular characters from the current position.
    fn regular(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek(0).is_some_and(|b| !is_white(b) && !is_delim(b)) {
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    /// A literal string after its `(`.
    fn literal(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        while let Some(b) = self.peek(0) {
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' if depth == 0 => break,
                b')' => {
                    depth -= 1;
                    out.push(b);
                }
                b'\\' => {
                    let Some(e) = self.peek(0) else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek(0) {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        b'\r' => {
                            if self.peek(0) == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        out
    }

    /// A hexadecimal string after its `<`.
    fn hex(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(b) = self.peek(0) {
            self.pos += 1;
            let v = match b {
                b'>' => break,
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => continue,
            };
            match high.take() {
                Some(h) => out.push(h << 4 | v),
                None => high = Some(v),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        out
    }

    /// Skips inline image data after the `ID` operator, up to `EI`.
    fn skip_inline_image(&mut self) {
        let rest = &self.data[self.pos.min(self.data.len())..];
        let end = rest
            .windows(4)
            .position(|w| is_white(w[0]) && &w[1..3] == b"EI" && (is_white(w[3]) || is_delim(w[3])))
            .map(|i| i + 3)
            .or_else(|| rest.ends_with(b"EI").then_some(rest.len()))
            .unwrap_or(rest.len());
        self.pos += end;
    }

    /// The next operator with its operands; arrays collected (flattened),
    /// dictionaries skipped. `None` at the end.
    fn operation(&mut self, operands: &mut Vec<Operand>) -> Option<&'a [u8]> {
        operands.clear();
        let mut array: Option<Vec<Operand>> = None;
        let mut depth = 0usize; // arrays inside the current one
        let mut dicts = 0usize;
        loop {
            let tok = self.token()?;
            if dicts > 0 {
                match tok {
                    Token::DictStart => dicts += 1,
                    Token::DictEnd => dicts -= 1,
                    _ => {}
                }
                continue;
            }
            match tok {
                Token::DictStart => dicts = 1,
                Token::DictEnd => {}
                Token::ArrayStart => match array {
                    Some(_) => depth += 1,
                    None => array = Some(Vec::new()),
                },
                Token::ArrayEnd => {
                    if depth > 0 {
                        depth -= 1;
                    } else if let Some(a) = array.take() {
                        push_capped(operands, Operand::Array(a));
                    }
                }
                Token::Operand(o) => match array.as_mut() {
                    Some(a) => push_capped(a, o),
                    None => push_capped(operands, o),
                },
                Token::Operator(op) => {
                    if array.is_none() {
                        return Some(op);
                    }
                    // An operator inside an array: a broken stream; keep going.
                }
            }
        }
    }
}

/// Operands kept per operator (and elements per array), at most.
const MAX_OPERANDS: usize = 1 << 16;

fn push_capped(v: &mut Vec<Operand>, o: Operand) {
    if v.len() < MAX_OPERANDS {
        v.push(o);
    }
}

/// A name with its `#xx` escapes decoded.
fn unescape_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = raw
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (raw[i], hex) {
            (b'#', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Fonts
// ---------------------------------------------------------------------------

/// How a font's codes become text and how wide its glyphs are.
struct Font {
    /// ToUnicode CMap, when the font has one.
    cmap: Option<CMap>,
    /// Byte → text for simple fonts without a CMap (`None`: Type0 without CMap).
    table: Option<Vec<String>>,
    /// Code length when the CMap does not say: 2 for Type0 fonts.
    code_len: usize,
    widths: Widths,
    /// Glyph space → text space (1/1000, or a Type3 font's matrix).
    scale: f64,
}

/// Glyph widths of a font, in glyph space.
struct Widths {
    first: u32,
    list: Vec<f64>,
    /// For codes outside `list`.
    default: f64,
    /// CIDFont `W` entries.
    cid: HashMap<u32, f64>,
}

impl Widths {
    fn of(&self, code: u32) -> f64 {
        if let Some(w) = self.cid.get(&code) {
            return *w;
        }
        code.checked_sub(self.first)
            .and_then(|i| self.list.get(i as usize))
            .copied()
            .filter(|w| *w > 0.0)
            .unwrap_or(self.default)
    }
}

/// A ToUnicode CMap: code-space ranges and mappings (ranges kept as ranges).
#[derive(Default)]
struct CMap {
    /// (length, low bytes, high bytes).
    spaces: Vec<(usize, [u8; 4], [u8; 4])>,
    /// (length, first code) → (last code, target).
    map: BTreeMap<(usize, u32), (u32, Target)>,
}

enum Target {
    /// UTF-16BE of the first code; the last unit is incremented along the range.
    Base(Vec<u16>),
    /// One destination per code.
    List(Vec<Vec<u16>>),
}

impl CMap {
    /// Parses the CMap syntax (`bfchar`, `bfrange`, `codespacerange`).
    fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut lex = Lexer::new(data);
        let mut ops = Vec::new();
        let mut section: &[u8] = b"";
        let mut pending: Vec<Operand> = Vec::new();
        while let Some(op) = lex.operation(&mut ops) {
            if op.starts_with(b"begin") {
                section = op;
                pending.clear();
                continue;
            }
            if !op.starts_with(b"end") {
                continue;
            }
            // Operands of a section come before its `end…` operator.
            pending.append(&mut ops);
            match section {
                b"begincodespacerange" => {
                    for pair in pending.chunks_exact(2) {
                        if let [Operand::Str(lo), Operand::Str(hi)] = pair {
                            if (1..=4).contains(&lo.len()) && lo.len() == hi.len() {
                                let (mut l, mut h) = ([0; 4], [0; 4]);
                                l[..lo.len()].copy_from_slice(lo);
                                h[..hi.len()].copy_from_slice(hi);
                                cmap.spaces.push((lo.len(), l, h));
                            }
                        }
                    }
                }
                b"beginbfchar" => {
                    for pair in pending.chunks_exact(2) {
                        if let [Operand::Str(src), Operand::Str(dst)] = pair {
                            cmap.put(src, src, Target::Base(utf16(dst)));
                        }
                    }
                }
                b"beginbfrange" => {
                    for triple in pending.chunks_exact(3) {
                        match triple {
                            [Operand::Str(lo), Operand::Str(hi), Operand::Str(dst)] => {
                                cmap.put(lo, hi, Target::Base(utf16(dst)));
                            }
                            [Operand::Str(lo), Operand::Str(hi), Operand::Array(list)] => {
                                let list = list
                                    .iter()
                                    .map(|o| match o {
                                        Operand::Str(s) => utf16(s),
                                        _ => Vec::new(),
                                    })
                                    .collect();
                                cmap.put(lo, hi, Target::List(list));
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
            pending.clear();
            section = b"";
        }
        cmap
    }

    fn put(&mut self, lo: &[u8], hi: &[u8], target: Target) {
        if !(1..=4).contains(&lo.len()) || lo.len() != hi.len() {
            return;
        }
        let (lo_code, hi_code) = (code_of(lo), code_of(hi));
        if lo_code <= hi_code {
            self.map.insert((lo.len(), lo_code), (hi_code, target));
        }
    }

    /// The length of the code starting `bytes`, per the code-space ranges.
    fn code_len(&self, bytes: &[u8], default: usize) -> usize {
        self.spaces
            .iter()
            .find(|(n, lo, hi)| {
                bytes.len() >= *n && (0..*n).all(|k| lo[k] <= bytes[k] && bytes[k] <= hi[k])
            })
            .map_or(default, |s| s.0)
    }

    /// Appends the text of one code.
    fn push(&self, len: usize, code: u32, out: &mut String) -> bool {
        let Some((&(l, first), (last, target))) = self.map.range(..=(len, code)).next_back() else {
            return false;
        };
        if l != len || code > *last {
            return false;
        }
        let off = code - first;
        let units: Cow<'_, [u16]> = match target {
            Target::Base(base) => {
                let mut v = base.clone();
                if let Some(l) = v.last_mut() {
                    *l = l.wrapping_add(off as u16);
                }
                Cow::Owned(v)
            }
            Target::List(list) => match list.get(off as usize) {
                Some(v) => Cow::Borrowed(v.as_slice()),
                None => return false,
            },
        };
        out.extend(char::decode_utf16(units.iter().copied()).map(|c| c.unwrap_or('\u{FFFD}')));
        true
    }
}

fn code_of(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |a, b| a << 8 | u32::from(*b))
}

fn utf16(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
        .collect()
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// Glyph names of Windows-1252 bytes 0x20..=0xFF (`-` where undefined).
const GLYPH_NAMES: &str = "space exclam quotedbl numbersign dollar percent ampersand quotesingle \
parenleft parenright asterisk plus comma hyphen period slash zero one two three four five six \
seven eight nine colon semicolon less equal greater question at A B C D E F G H I J K L M N O P \
Q R S T U V W X Y Z bracketleft backslash bracketright asciicircum underscore grave a b c d e f \
g h i j k l m n o p q r s t u v w x y z braceleft bar braceright asciitilde - Euro - \
quotesinglbase florin quotedblbase ellipsis dagger daggerdbl circumflex perthousand Scaron \
guilsinglleft OE - Zcaron - - quoteleft quoteright quotedblleft quotedblright bullet endash \
emdash tilde trademark scaron guilsinglright oe - zcaron Ydieresis nbspace exclamdown cent \
sterling currency yen brokenbar section dieresis copyright ordfeminine guillemotleft logicalnot \
sfthyphen registered macron degree plusminus twosuperior threesuperior acute mu paragraph \
periodcentered cedilla onesuperior ordmasculine guillemotright onequarter onehalf threequarters \
questiondown Agrave Aacute Acircumflex Atilde Adieresis Aring AE Ccedilla Egrave Eacute \
Ecircumflex Edieresis Igrave Iacute Icircumflex Idieresis Eth Ntilde Ograve Oacute Ocircumflex \
Otilde Odieresis multiply Oslash Ugrave Uacute Ucircumflex Udieresis Yacute Thorn germandbls \
agrave aacute acircumflex atilde adieresis aring ae ccedilla egrave eacute ecircumflex edieresis \
igrave iacute icircumflex idieresis eth ntilde ograve oacute ocircumflex otilde odieresis divide \
oslash ugrave uacute ucircumflex udieresis yacute thorn ydieresis";

/// The text of a glyph name (Adobe names of Latin text, `uniXXXX`, `uXXXX`, ligatures).
fn glyph_text(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    let name = name.split('.').next().unwrap_or(name); // "eacute.sc"
    let extra = match name {
        "minus" | "hyphenminus" => Some("-"),
        "fi" => Some("fi"),
        "fl" => Some("fl"),
        "ff" => Some("ff"),
        "ffi" => Some("ffi"),
        "ffl" => Some("ffl"),
        "dotlessi" => Some("ı"),
        _ => None,
    };
    if let Some(t) = extra {
        return Some(t.into());
    }
    if let Some(i) = GLYPH_NAMES.split_whitespace().position(|n| n == name) {
        return Some(byte_char(0x20 + i as u8));
    }
    let hex = name
        .strip_prefix("uni")
        .filter(|h| h.len() == 4)
        .or_else(|| {
            name.strip_prefix('u')
                .filter(|h| (4..=6).contains(&h.len()))
        })?;
    let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
    Some(c.to_string())
}

fn byte_char(b: u8) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(&[b])
        .0
        .into_owned()
}

// ---------------------------------------------------------------------------
// Page reader: follows the text state and writes the page text
// ---------------------------------------------------------------------------

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn translate(tx: f64, ty: f64, m: &Matrix) -> Matrix {
    mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], m)
}

/// Graphics state parameters that matter for text (saved by `q`).
#[derive(Clone)]
struct State {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    hscale: f64,
    leading: f64,
}

/// Where the previous text run ended on the page (device space).
#[derive(Clone, Copy)]
struct RunEnd {
    x: f64,
    y: f64,
    /// Unit vector of the baseline.
    dir: (f64, f64),
    size: f64,
}

struct PageReader<'d> {
    doc: &'d Document,
    /// Decompressed bytes still allowed.
    budget: u64,
    cap: u64,
    /// When the file's time is up, operators since the last look at the
    /// clock, and whether it was found up (the page is then left unfinished).
    at: Option<Instant>,
    ops: u32,
    timed_out: bool,
    /// Fonts already read, by dictionary address.
    fonts: HashMap<usize, Rc<Font>>,
    /// Forms being drawn (against cycles).
    forms: Vec<ObjectId>,
    text: String,
    last: Option<RunEnd>,
    any_text: bool,
    undecodable: bool,
}

/// Gap (in font sizes) after which two runs on a line are separate words.
const WORD_GAP: f64 = 0.15;
/// Baseline shift (in font sizes) that starts a new line.
const LINE_SHIFT: f64 = 0.5;
/// Glyph width assumed when a font gives none (the standard 14 fonts).
const DEFAULT_WIDTH: f64 = 500.0;

impl<'d> PageReader<'d> {
    /// Looks at the clock: the file's time is up.
    fn out_of_time(&mut self) -> bool {
        self.ops = 0;
        self.timed_out = self.timed_out || self.at.is_some_and(|at| Instant::now() >= at);
        self.timed_out
    }

    /// Reads the text of one page into `self.text`.
    fn page(&mut self, id: ObjectId) -> Result<(), ExtractError> {
        self.text.clear();
        self.last = None;
        let doc = self.doc;
        let Ok(dict) = doc.get_dictionary(id) else {
            return Ok(());
        };
        let resources = inherited(doc, dict, b"Resources").and_then(|o| o.as_dict().ok());
        let mut content = Vec::new();
        for sid in doc.get_page_contents(id) {
            if let Ok(s) = doc.get_object(sid).and_then(Object::as_stream) {
                if let Some(bytes) = decode(s, &mut self.budget, self.cap)? {
                    content.extend_from_slice(&bytes);
                    content.push(b'\n');
                }
            }
        }
        let state = State {
            ctm: IDENTITY,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
        };
        self.run(&content, resources, state)
    }

    /// Interprets a content stream (a page's or a form's).
    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'d Dictionary>,
        state: State,
    ) -> Result<(), ExtractError> {
        let mut lex = Lexer::new(content);
        let mut ops = Vec::new();
        let mut st = state;
        let mut saved: Vec<State> = Vec::new();
        let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
        while let Some(op) = lex.operation(&mut ops) {
            self.ops += 1;
            if self.timed_out || (self.ops >= OPS_PER_CHECK && self.out_of_time()) {
                break;
            }
            let n = |i: usize| match ops.get(i) {
                Some(Operand::Num(v)) => *v,
                _ => 0.0,
            };
            match op {
                b"q" if saved.len() < 64 => saved.push(st.clone()),
                b"Q" => {
                    if let Some(s) = saved.pop() {
                        st = s;
                    }
                }
                b"cm" => st.ctm = mul(&[n(0), n(1), n(2), n(3), n(4), n(5)], &st.ctm),
                b"BT" => (tm, tlm) = (IDENTITY, IDENTITY),
                b"Tf" => {
                    st.size = n(1);
                    st.font = match ops.first() {
                        Some(Operand::Name(name)) => self.font(resources, name)?,
                        _ => None,
                    };
                }
                b"Tc" => st.char_spacing = n(0),
                b"Tw" => st.word_spacing = n(0),
                b"Tz" => st.hscale = n(0) / 100.0,
                b"TL" => st.leading = n(0),
                b"Td" => {
                    tlm = translate(n(0), n(1), &tlm);
                    tm = tlm;
                }
                b"TD" => {
                    st.leading = -n(1);
                    tlm = translate(n(0), n(1), &tlm);
                    tm = tlm;
                }
                b"Tm" => {
                    tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    tm = tlm;
                }
                b"T*" => {
                    tlm = translate(0.0, -st.leading, &tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" => {
                    if op == b"\"" {
                        st.word_spacing = n(0);
                        st.char_spacing = n(1);
                    }
                    if op != b"Tj" {
                        tlm = translate(0.0, -st.leading, &tlm);
                        tm = tlm;
                    }
                    if let Some(Operand::Str(s)) = ops.last() {
                        self.show(s, &st, &mut tm);
                    }
                }
                b"TJ" => {
                    if let Some(Operand::Array(items)) = ops.first() {
                        for item in items {
                            match item {
                                Operand::Str(s) => self.show(s, &st, &mut tm),
                                Operand::Num(k) => {
                                    let tx = -k / 1000.0 * st.size * st.hscale;
                                    tm = translate(tx, 0.0, &tm);
                                }
                                _ => {}
                            }
                        }
                    }
                }
                b"Do" => {
                    if let Some(Operand::Name(name)) = ops.first() {
                        self.form(resources, name, &st)?;
                    }
                }
                b"ID" => lex.skip_inline_image(),
                _ => {}
            }
        }
        Ok(())
    }

    /// Draws a form XObject (text inside forms: letterheads, filled fields).
    fn form(
        &mut self,
        resources: Option<&'d Dictionary>,
        name: &[u8],
        st: &State,
    ) -> Result<(), ExtractError> {
        let doc = self.doc;
        let Some(obj) = resources
            .and_then(|r| r.get_deref(b"XObject", doc).ok())
            .and_then(|x| x.as_dict().ok())
            .and_then(|x| x.get(name).ok())
        else {
            return Ok(());
        };
        let Ok((Some(id), Object::Stream(s))) = doc.dereference(obj) else {
            return Ok(());
        };
        let is_form = s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form");
        if !is_form || self.forms.len() >= MAX_FORM_DEPTH || self.forms.contains(&id) {
            return Ok(());
        }
        let Some(content) = decode(s, &mut self.budget, self.cap)? else {
            return Ok(());
        };
        let matrix = match s.dict.get(b"Matrix").and_then(Object::as_array) {
            Ok(a) if a.len() == 6 => {
                let v: Vec<f64> = a.iter().map(|o| num(o).unwrap_or(0.0)).collect();
                [v[0], v[1], v[2], v[3], v[4], v[5]]
            }
            _ => IDENTITY,
        };
        let own = s
            .dict
            .get_deref(b"Resources", doc)
            .and_then(Object::as_dict)
            .ok();
        let mut inner = st.clone();
        inner.ctm = mul(&matrix, &st.ctm);
        self.forms.push(id);
        let r = self.run(&content, own.or(resources), inner);
        self.forms.pop();
        r
    }

    /// Shows a string: separates it from the previous run, appends its text
    /// and advances the text matrix.
    fn show(&mut self, bytes: &[u8], st: &State, tm: &mut Matrix) {
        let Some(font) = st.font.clone() else {
            if !bytes.is_empty() {
                self.undecodable = true;
            }
            return;
        };
        let trm = mul(tm, &st.ctm);
        let size = st.size.abs() * trm[2].hypot(trm[3]);
        let len = trm[0].hypot(trm[1]);
        let dir = if len > 0.0 {
            (trm[0] / len, trm[1] / len)
        } else {
            (1.0, 0.0)
        };
        let mut run = String::new();
        let mut advance = 0.0;
        let mut i = 0;
        let mut decoded = true;
        while i < bytes.len() {
            let n = match &font.cmap {
                Some(c) => c.code_len(&bytes[i..], font.code_len),
                None => font.code_len,
            }
            .min(bytes.len() - i);
            let code = code_of(&bytes[i..i + n]);
            let mapped = match (&font.cmap, &font.table) {
                (Some(c), _) if c.push(n, code, &mut run) => true,
                (_, Some(t)) => {
                    run.push_str(&t[bytes[i] as usize]);
                    true
                }
                (Some(_), None) => {
                    run.push('\u{FFFD}');
                    true
                }
                (None, None) => false,
            };
            decoded &= mapped;
            let spacing = if n == 1 && code == 32 {
                st.word_spacing
            } else {
                0.0
            };
            advance += (font.widths.of(code) * font.scale * st.size + st.char_spacing + spacing)
                * st.hscale;
            i += n;
        }
        if !decoded {
            self.undecodable = true;
        }
        run.retain(|c| !c.is_control() || c == '\t');
        if !run.trim().is_empty() {
            self.any_text = true;
            self.separate(trm[4], trm[5], size, run.starts_with(char::is_whitespace));
            self.text.push_str(&run);
        }
        *tm = translate(advance, 0.0, tm);
        let end = mul(tm, &st.ctm);
        if !run.is_empty() {
            self.last = Some(RunEnd {
                x: end[4],
                y: end[5],
                dir,
                size,
            });
        }
    }

    /// A newline or a space before a run starting at (x, y), when the page
    /// shows a line change or a gap since the previous run.
    fn separate(&mut self, x: f64, y: f64, size: f64, starts_blank: bool) {
        let Some(last) = self.last else {
            return;
        };
        let (dx, dy) = (x - last.x, y - last.y);
        let along = dx * last.dir.0 + dy * last.dir.1;
        let across = dy * last.dir.0 - dx * last.dir.1;
        let em = last.size.max(size).max(1e-6);
        if across.abs() > LINE_SHIFT * em {
            if !self.text.ends_with('\n') {
                let trimmed = self.text.trim_end_matches([' ', '\t']).len();
                self.text.truncate(trimmed);
                self.text.push('\n');
            }
        } else if (along > WORD_GAP * em || along < -em)
            && !starts_blank
            && !self.text.ends_with(char::is_whitespace)
        {
            self.text.push(' ');
        }
    }

    /// The font named `name` in `resources`, read once.
    fn font(
        &mut self,
        resources: Option<&'d Dictionary>,
        name: &[u8],
    ) -> Result<Option<Rc<Font>>, ExtractError> {
        let doc = self.doc;
        let Some(dict) = resources
            .and_then(|r| r.get_deref(b"Font", doc).ok())
            .and_then(|f| f.as_dict().ok())
            .and_then(|f| f.get_deref(name, doc).ok())
            .and_then(|f| f.as_dict().ok())
        else {
            return Ok(None);
        };
        let key = dict as *const Dictionary as usize;
        if let Some(f) = self.fonts.get(&key) {
            return Ok(Some(f.clone()));
        }
        let font = Rc::new(self.read_font(dict)?);
        self.fonts.insert(key, font.clone());
        Ok(Some(font))
    }

    fn read_font(&mut self, dict: &Dictionary) -> Result<Font, ExtractError> {
        let doc = self.doc;
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let type0 = subtype == b"Type0";
        let cmap = match dict
            .get_deref(b"ToUnicode", doc)
            .and_then(Object::as_stream)
        {
            Ok(s) => decode(s, &mut self.budget, self.cap)?.map(|d| CMap::parse(&d)),
            Err(_) => None,
        };
        let table = (!type0).then(|| byte_table(doc, dict));
        let mut widths = Widths {
            first: 0,
            list: Vec::new(),
            default: DEFAULT_WIDTH,
            cid: HashMap::new(),
        };
        if type0 {
            let cid_font = dict
                .get_deref(b"DescendantFonts", doc)
                .and_then(Object::as_array)
                .ok()
                .and_then(|a| a.first())
                .and_then(|f| doc.dereference(f).ok())
                .and_then(|(_, f)| f.as_dict().ok());
            if let Some(cf) = cid_font {
                widths.default = cf.get(b"DW").ok().and_then(num).unwrap_or(1000.0);
                if let Ok(w) = cf.get_deref(b"W", doc).and_then(Object::as_array) {
                    widths.cid = cid_widths(doc, w);
                }
            }
        } else {
            widths.first = dict
                .get(b"FirstChar")
                .ok()
                .and_then(num)
                .map_or(0, |v| v.clamp(0.0, 255.0) as u32);
            if let Ok(list) = dict.get_deref(b"Widths", doc).and_then(Object::as_array) {
                widths.list = list
                    .iter()
                    .take(256)
                    .map(|o| {
                        doc.dereference(o)
                            .ok()
                            .and_then(|(_, o)| num(o))
                            .unwrap_or(0.0)
                    })
                    .collect();
            }
            let missing = dict
                .get_deref(b"FontDescriptor", doc)
                .and_then(Object::as_dict)
                .and_then(|d| d.get(b"MissingWidth"))
                .ok()
                .and_then(num);
            if let Some(m) = missing.filter(|m| *m > 0.0) {
                widths.default = m;
            }
        }
        let scale = match dict.get(b"FontMatrix").and_then(Object::as_array) {
            Ok(m) if subtype == b"Type3" => m.first().and_then(num).unwrap_or(0.001),
            _ => 0.001,
        };
        Ok(Font {
            cmap,
            table,
            code_len: if type0 { 2 } else { 1 },
            widths,
            scale,
        })
    }
}

/// A key of a page dictionary, inherited from the page tree when absent.
fn inherited<'d>(doc: &'d Document, mut dict: &'d Dictionary, key: &[u8]) -> Option<&'d Object> {
    for _ in 0..64 {
        if let Ok(o) = dict.get_deref(key, doc) {
            return Some(o);
        }
        dict = dict
            .get_deref(b"Parent", doc)
            .and_then(Object::as_dict)
            .ok()?;
    }
    None
}

/// Byte → text of a simple font: its base encoding with `Differences`.
fn byte_table(doc: &Document, font: &Dictionary) -> Vec<String> {
    let enc = font.get_deref(b"Encoding", doc).ok();
    let (base, diffs) = match enc {
        Some(Object::Name(n)) => (n.as_slice(), None),
        Some(Object::Dictionary(d)) => (
            d.get(b"BaseEncoding")
                .and_then(Object::as_name)
                .unwrap_or(b""),
            d.get_deref(b"Differences", doc)
                .and_then(Object::as_array)
                .ok(),
        ),
        _ => (&b""[..], None),
    };
    let charset = if base == b"MacRomanEncoding" {
        encoding_rs::MACINTOSH
    } else {
        encoding_rs::WINDOWS_1252
    };
    let mut table: Vec<String> = (0..=255u8)
        .map(|b| {
            if b < 0x20 {
                String::new()
            } else {
                charset.decode_without_bom_handling(&[b]).0.into_owned()
            }
        })
        .collect();
    let mut code = 0usize;
    for d in diffs.into_iter().flatten() {
        match d {
            Object::Integer(i) => code = (*i).clamp(0, 256) as usize,
            Object::Name(n) => {
                if let (Some(slot), Some(t)) = (table.get_mut(code), glyph_text(n)) {
                    *slot = t;
                }
                code += 1;
            }
            _ => {}
        }
    }
    table
}

/// A CIDFont's `W` array: `c [w1 w2 …]` or `c_first c_last w` entries.
fn cid_widths(doc: &Document, w: &[Object]) -> HashMap<u32, f64> {
    const MAX: usize = 1 << 16;
    let mut out = HashMap::new();
    let mut i = 0;
    let val = |o: &Object| doc.dereference(o).ok().and_then(|(_, o)| num(o));
    while i < w.len() && out.len() < MAX {
        let Some(first) = val(&w[i]) else { break };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).map(|o| doc.dereference(o).map(|(_, o)| o)) {
            Some(Ok(Object::Array(list))) => {
                for (k, o) in list.iter().take(MAX).enumerate() {
                    if let Some(v) = val(o) {
                        out.insert(first.saturating_add(k as u32), v);
                    }
                }
                i += 2;
            }
            Some(Ok(o)) => {
                let (Some(last), Some(v)) = (num(o), w.get(i + 2).and_then(val)) else {
                    break;
                };
                let last = (last.max(0.0) as u32).min(first.saturating_add(MAX as u32));
                for c in first..=last {
                    if out.len() >= MAX {
                        break;
                    }
                    out.insert(c, v);
                }
                i += 3;
            }
            _ => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect {
        pages: Vec<(u32, String)>,
        notes: Vec<String>,
    }

    impl UnitSink for Collect {
        fn unit(&mut self, l: &Located<'_>) {
            let Origin::Page { page } = l.origin else {
                panic!("not a page origin")
            };
            self.pages.push((page, l.unit.text.to_string()));
        }
        fn not_covered(&mut self, reason: &str) {
            self.notes.push(reason.into());
        }
    }

    fn fixture(name: &str) -> Vec<u8> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/pdf")
            .join(name);
        std::fs::read(p).expect("test data")
    }

    fn run(data: &[u8], cap: u64) -> (Collect, Result<(), ExtractError>) {
        let mut c = Collect::default();
        let r = extract_capped(data, cap, &Deadline::unlimited(), &mut c);
        (c, r)
    }

    /// A PDF with the given objects (1: catalog, 2: pages) and a correct xref table.
    fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut v = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        v.extend_from_slice(data);
        v.extend_from_slice(b"\nendstream");
        v
    }

    /// One page showing `content` with Helvetica as /F1.
    fn one_page(content: &[u8]) -> Vec<u8> {
        one_page_with(content, "")
    }

    /// [`one_page`] with more catalog entries.
    fn one_page_with(content: &[u8], catalog: &str) -> Vec<u8> {
        pdf(&[
            format!("<< /Type /Catalog /Pages 2 0 R {catalog} >>").into_bytes(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
                .to_vec(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
            stream("", content),
        ])
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(data).expect("test data");
        z.finish().expect("test data")
    }

    #[test]
    fn spaces_and_newlines_follow_the_layout() {
        let c = b"BT /F1 10 Tf 50 700 Td (IBAN) Tj 40 0 Td (FR76) Tj 25 0 Td (3000) Tj \
                  0 -14 Td [(jean.du) 20 (pont) -30 (@example.fr)] TJ \
                  0 -14 Td [(N\\260) -300 (SS)] TJ 12 TL T* (caf\\351) Tj ET";
        let (c, r) = run(&one_page(c), MAX_DECODED);
        r.expect("test data");
        assert_eq!(
            c.pages,
            vec![(
                1,
                "IBAN FR76 3000\njean.dupont@example.fr\nN° SS\ncafé".to_string()
            )]
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let text = b"BT /F1 10 Tf (x@example.fr) Tj ET";
        let deep = format!("/X {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let (_, r) = run(&one_page_with(text, &deep), MAX_DECODED);
        assert!(
            matches!(&r, Err(ExtractError::Corrupt { message, .. }) if message.contains("nested")),
            "{r:?}"
        );
        // Just under the limit, lopdf's recursion fits in the thread's stack.
        let n = MAX_NESTING / 2 - 1;
        let nested = format!("/X {}{}", "<< /A [".repeat(n), "] >>".repeat(n));
        let (c, r) = run(&one_page_with(text, &nested), MAX_DECODED);
        r.expect("test data");
        assert_eq!(c.pages, vec![(1, "x@example.fr".to_string())]);
        // Deep arrays inside a content stream are the lexer's business (flattened).
        let content = format!(
            "BT /F1 10 Tf {}(a@example.fr){} TJ ET",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        let (c, r) = run(&one_page(content.as_bytes()), MAX_DECODED);
        r.expect("test data");
        assert_eq!(c.pages, vec![(1, "a@example.fr".to_string())]);
    }

    #[test]
    fn decompression_is_capped() {
        // A content stream: the page before it is read, then the limit.
        let (c, r) = run(&fixture("bombe_flate.pdf"), 4 << 20);
        assert!(matches!(r, Err(ExtractError::Limit(_))), "{r:?}");
        assert_eq!(
            c.pages,
            vec![(1, "Contact : avant.la.bombe@example.fr".to_string())]
        );
        // An object stream, which lopdf would inflate while loading.
        let big = zlib(&vec![b' '; 8 << 20]);
        let mut objs = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
        ];
        objs.push(stream(
            "/Type /ObjStm /N 0 /First 0 /Filter /FlateDecode",
            &big,
        ));
        let (_, r) = run(&pdf(&objs), 4 << 20);
        assert!(matches!(r, Err(ExtractError::Limit(_))), "{r:?}");
    }

    #[test]
    fn fonts_type0_with_cmap_and_differences() {
        let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap \
            1 begincodespacerange <0000> <FFFF> endcodespacerange \
            2 beginbfchar <0001> <00E9> <0002> <0040> endbfchar \
            1 beginbfrange <0010> <0019> <0030> endbfrange endcmap end end";
        let doc = pdf(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /T0 4 0 R /G 7 0 R >> >> /Contents 5 0 R >>"
                .to_vec(),
            b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /ToUnicode 6 0 R \
               /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /DW 600 /W [1 [500] 16 25 550] >>] >>"
                .to_vec(),
            stream(
                "",
                b"BT /T0 10 Tf 10 10 Td <0001 0011 0012> Tj ET BT /G 10 Tf 10 30 Td <41E9C3> Tj ET",
            ),
            stream("/Filter /FlateDecode", &zlib(cmap)),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica \
               /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [195 /Eacute 233 /uni00E0] >> >>"
                .to_vec(),
        ]);
        let (c, r) = run(&doc, MAX_DECODED);
        r.expect("test data");
        assert_eq!(c.pages, vec![(1, "é12\nAàÉ".to_string())]);
    }

    #[test]
    fn page_without_text_and_broken_files() {
        let (c, r) = run(&one_page(b"0 0 1 rg 10 10 100 100 re f"), MAX_DECODED);
        r.expect("test data");
        assert!(c.pages.is_empty());
        assert_eq!(c.notes, vec!["no text layer (scanned image?): not checked"]);
        let (_, r) = run(b"%PDF-1.4\n1 0 obj <<", MAX_DECODED);
        assert!(matches!(r, Err(ExtractError::Corrupt { .. })), "{r:?}");
    }

    #[test]
    fn lexer_tokens() {
        let mut l = Lexer::new(b"[(a\\(b\\051) -250 <4142>] TJ /F#31 12 Tf << /A [1 2] >> BDC");
        let mut ops = Vec::new();
        assert_eq!(l.operation(&mut ops), Some(&b"TJ"[..]));
        assert_eq!(
            ops,
            vec![Operand::Array(vec![
                Operand::Str(b"a(b)".to_vec()),
                Operand::Num(-250.0),
                Operand::Str(b"AB".to_vec()),
            ])]
        );
        assert_eq!(l.operation(&mut ops), Some(&b"Tf"[..]));
        assert_eq!(ops[0], Operand::Name(b"F1".to_vec()));
        assert_eq!(l.operation(&mut ops), Some(&b"BDC"[..]));
        assert!(ops.is_empty());
        assert_eq!(l.operation(&mut ops), None);
    }

    #[test]
    fn cmap_ranges_and_lists() {
        let c = CMap::parse(
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange \
              2 beginbfchar <0003> <0020> <0004> <00660069> endbfchar \
              1 beginbfrange <0010> <0012> <00E9> endbfrange \
              1 beginbfrange <0020> <0021> [<0041> <0042>] endbfrange",
        );
        let mut s = String::new();
        for code in [0x10, 0x11, 3, 4, 0x21] {
            assert!(c.push(2, code, &mut s));
        }
        assert_eq!(s, "éê fiB");
        assert!(!c.push(2, 0x13, &mut s));
        assert!(!c.push(1, 0x10, &mut s));
        assert_eq!(c.code_len(&[0, 1], 1), 2);
    }

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_text(b"eacute").as_deref(), Some("é"));
        assert_eq!(glyph_text(b"OE").as_deref(), Some("Œ"));
        assert_eq!(glyph_text(b"uni00E0").as_deref(), Some("à"));
        assert_eq!(glyph_text(b"zero").as_deref(), Some("0"));
        assert_eq!(glyph_text(b"g123"), None);
    }
}
