//! Markup read as text: HTML pages and newsletter exports, XML and JSON
//! exports of tenant or applicant databases.
//!
//! Locations are lines of the original file, so that a user can open it and
//! find the value:
//! - HTML becomes a text with exactly the source's lines: tags and
//!   `<script>`/`<style>` content are dropped but their newlines kept, entities
//!   are decoded (comments are kept: what they say is on the file share too),
//!   block elements (`p`, `td`, `br`…) separate text with a tab,
//!   and the address of a `mailto:`/`tel:` link is added when the link's text
//!   does not show it. That text is then read as plain text (columns count
//!   characters of the extracted text, so they are approximate).
//! - XML: each text node and attribute value is a unit; an element or
//!   attribute named like a known column (`date_naissance`, `telephone`)
//!   gives its kind, as a CSV header does. Custom entities are never expanded.
//! - JSON: each string and number is a unit; an object member's key gives
//!   its kind. Nesting is tracked on the heap: deep input cannot overflow
//!   the stack.
//!
//! A line break written as an escape inside a value (JSON `\n`) becomes
//! U+2028, as in office documents: a line for the detectors, not a line of
//! the file.

use super::office::{truncated, LINE_BREAK};
use super::{
    Cx, Deadline, ExtractError, Located, MarkupFormat, Origin, RowCell, UnitSink, SNIFF_LEN,
};
use crate::detect::Unit;
use crate::model::columns::{ColumnRole, ColumnTable};
use encoding_rs::{Encoding, UTF_8};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;
use std::collections::HashMap;

/// Extracts the text units of a markup document held in memory.
pub fn extract(
    kind: MarkupFormat,
    data: &[u8],
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let text = decode(data, kind == MarkupFormat::Html);
    match kind {
        MarkupFormat::Html => {
            let mut out = String::with_capacity(text.len());
            html_text(&text, &mut out);
            let bytes = out.as_bytes();
            let head = &bytes[..bytes.len().min(SNIFF_LEN)];
            let mut rest = &bytes[head.len()..];
            super::text::extract(
                head,
                &mut rest,
                UTF_8,
                0,
                &mut cx.bufs.text,
                cx.deadline,
                sink,
            )?;
            Ok(())
        }
        MarkupFormat::Xml => xml(&text, cx.columns, cx.deadline, sink),
        MarkupFormat::Json => json(&text, cx.columns, cx.deadline, sink),
    }
}

/// The text of `data`: a byte-order mark wins, then valid UTF-8, then (HTML)
/// a `<meta charset>` near the start, then Windows-1252.
fn decode(data: &[u8], html: bool) -> Cow<'_, str> {
    let head = &data[..data.len().min(SNIFF_LEN)];
    let (mut encoding, bom, wide) =
        super::text::sniff_encoding(head).map_or((UTF_8, 0, None), |c| (c.encoding, c.bom, c.wide));
    let body = &data[bom..];
    if let Some(wide) = wide {
        let mut text = String::new();
        // Reading memory cannot fail, and the reader gives UTF-8.
        let _ =
            std::io::Read::read_to_string(&mut super::text::WideReader::new(body, wide), &mut text);
        return Cow::Owned(text);
    }
    if bom == 0 {
        if let Ok(s) = std::str::from_utf8(body) {
            return Cow::Borrowed(s);
        }
        if html {
            encoding = meta_charset(&data[..data.len().min(1024)]).unwrap_or(encoding);
        }
    }
    encoding.decode_without_bom_handling(body).0
}

/// The encoding named by `charset=` in the first bytes of an HTML page.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let at = memchr::memmem::find(&lower, b"charset=")? + 8;
    let label: Vec<u8> = lower[at..]
        .iter()
        .skip_while(|b| matches!(b, b'"' | b'\'' | b' '))
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
        .copied()
        .collect();
    Encoding::for_label(&label)
}

/// The character an entity reference names (`amp`, `#233`, `#xE9`, `eacute`
/// — XML's five and the common HTML ones), without the `&` and `;`.
/// Unknown names give `None`: nothing is ever expanded from a document type.
pub(crate) fn entity(name: &[u8]) -> Option<char> {
    if let Some(num) = name.strip_prefix(b"#") {
        let num = std::str::from_utf8(num).ok()?;
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    let s = std::str::from_utf8(name).ok()?;
    Some(match s {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" | "ldquo" | "rdquo" | "bdquo" => '"',
        "apos" | "rsquo" | "lsquo" => '\'',
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "laquo" => '«',
        "raquo" => '»',
        "ndash" | "mdash" | "minus" | "hyphen" => '-',
        "shy" => '\u{ad}',
        "hellip" => '…',
        "bull" | "middot" => '·',
        "euro" => '€',
        "copy" => '©',
        "reg" => '®',
        "deg" => '°',
        "ordm" => 'º',
        "sect" => '§',
        "commat" => '@',
        "oelig" => 'œ',
        "OElig" => 'Œ',
        "aelig" => 'æ',
        "AElig" => 'Æ',
        "szlig" => 'ß',
        _ => return accented(s),
    })
}

/// `eacute`, `Agrave`, `ccedil`…: a letter and an accent name.
fn accented(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let letter = chars.next()?;
    let lower = match (letter.to_ascii_lowercase(), chars.as_str()) {
        ('a', "grave") => 'à',
        ('a', "acute") => 'á',
        ('a', "circ") => 'â',
        ('a', "uml") => 'ä',
        ('c', "cedil") => 'ç',
        ('e', "grave") => 'è',
        ('e', "acute") => 'é',
        ('e', "circ") => 'ê',
        ('e', "uml") => 'ë',
        ('i', "acute") => 'í',
        ('i', "circ") => 'î',
        ('i', "uml") => 'ï',
        ('n', "tilde") => 'ñ',
        ('o', "acute") => 'ó',
        ('o', "circ") => 'ô',
        ('o', "uml") => 'ö',
        ('u', "grave") => 'ù',
        ('u', "acute") => 'ú',
        ('u', "circ") => 'û',
        ('u', "uml") => 'ü',
        ('y', "uml") => 'ÿ',
        _ => return None,
    };
    Some(if letter.is_ascii_uppercase() {
        lower.to_uppercase().next().unwrap_or(lower)
    } else {
        lower
    })
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

/// Elements that end a line of text when rendered.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
];

/// Appends to `out` the text of the HTML `src`, with the same lines.
fn html_text(src: &str, out: &mut String) {
    let b = src.as_bytes();
    let mut i = 0;
    // A mailto:/tel: link being read: its address and where its text starts in `out`.
    let mut link: Option<(String, usize)> = None;
    while i < b.len() {
        let Some(j) = memchr::memchr2(b'<', b'&', &b[i..]).map(|j| i + j) else {
            push_text(out, &src[i..]);
            break;
        };
        push_text(out, &src[i..j]);
        if b[j] == b'&' {
            i = match decode_entity(&b[j..]) {
                Some((c, len)) => {
                    out.push(if c == '\n' || c == '\r' { ' ' } else { c });
                    j + len
                }
                None => {
                    out.push('&');
                    j + 1
                }
            };
            continue;
        }
        let rest = &b[j..];
        if rest.starts_with(b"<!--") {
            // A comment is not shown, but what it says is on the file share.
            let end = find(b, j + 4, b"-->").unwrap_or(b.len());
            out.push('\t');
            push_text(out, &src[j + 4..end]);
            out.push('\t');
            i = (end + 3).min(b.len());
            continue;
        }
        let next = rest.get(1).copied().unwrap_or(0);
        if next == b'!' || next == b'?' {
            let end = memchr::memchr(b'>', rest).map_or(b.len(), |e| j + e + 1);
            skip(out, &src[j..end]);
            i = end;
            continue;
        }
        let closing = next == b'/';
        let name_start = j + 1 + usize::from(closing);
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            out.push('<');
            i = j + 1;
            continue;
        }
        let end = tag_end(b, name_start);
        let tag = &src[j..end];
        let name = tag_name(&b[name_start..end]);
        let newlines = skip(out, tag);
        if BLOCKS.iter().any(|n| name.eq_ignore_ascii_case(n))
            && newlines == 0
            && !out.ends_with(|c: char| c.is_whitespace())
        {
            out.push('\t');
        }
        i = end;
        if name.eq_ignore_ascii_case("a") {
            if closing {
                if let Some((addr, start)) = link.take() {
                    let shown = out.get(start..).unwrap_or("").to_lowercase();
                    if !shown.contains(&addr.to_lowercase()) {
                        out.push('\t');
                        out.push_str(&addr);
                        out.push('\t');
                    }
                }
            } else {
                link = attribute(tag, "href")
                    .and_then(|h| link_address(&h))
                    .map(|a| (a, out.len()));
            }
        } else if !closing
            && (name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style"))
            && !tag.ends_with("/>")
        {
            // Raw text up to the closing tag: not shown, never scanned.
            let close = find_close(b, i, name.as_bytes()).unwrap_or(b.len());
            skip(out, &src[i..close]);
            i = close;
        }
    }
    if let Some((addr, _)) = link {
        out.push('\t');
        out.push_str(&addr);
    }
}

/// Text as written, with non-breaking spaces made plain.
fn push_text(out: &mut String, s: &str) {
    out.extend(s.chars().map(|c| match c {
        '\u{a0}' | '\u{202f}' => ' ',
        c => c,
    }));
}

/// Drops `s` from the text but keeps its newlines; returns how many.
fn skip(out: &mut String, s: &str) -> usize {
    let n = memchr::memchr_iter(b'\n', s.as_bytes()).count();
    out.extend(std::iter::repeat_n('\n', n));
    n
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(b.get(from..)?, needle).map(|e| from + e)
}

/// Where `</name` starts, in any case, from `from`.
fn find_close(b: &[u8], mut from: usize, name: &[u8]) -> Option<usize> {
    while let Some(at) = find(b, from, b"</") {
        let tail = &b[at + 2..];
        if tail.len() >= name.len() && tail[..name.len()].eq_ignore_ascii_case(name) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// The end (after `>`) of a tag whose name starts at `from`; quoted
/// attribute values may hold `>`.
fn tag_end(b: &[u8], from: usize) -> usize {
    let (mut quote, mut after_eq) = (None, false);
    for (k, &c) in b.iter().enumerate().skip(from) {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if after_eq => quote = Some(c),
            (None, b'>') => return k + 1,
            _ => {}
        }
        if quote.is_none() && !c.is_ascii_whitespace() {
            after_eq = c == b'=';
        }
    }
    b.len()
}

fn tag_name(b: &[u8]) -> String {
    let n = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b':'))
        .count();
    String::from_utf8_lossy(&b[..n]).into_owned()
}

/// The value of attribute `name` in the tag `tag`, entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let b = tag.as_bytes();
    let mut k = 1 + b[1..]
        .iter()
        .position(|c| c.is_ascii_whitespace() || *c == b'>')?;
    loop {
        while b
            .get(k)
            .is_some_and(|c| c.is_ascii_whitespace() || *c == b'/')
        {
            k += 1;
        }
        let start = k;
        while b
            .get(k)
            .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'=' | b'>' | b'/'))
        {
            k += 1;
        }
        if k == start {
            return None;
        }
        let key = &tag[start..k];
        while b.get(k).is_some_and(u8::is_ascii_whitespace) {
            k += 1;
        }
        let mut value = "";
        if b.get(k) == Some(&b'=') {
            k += 1;
            while b.get(k).is_some_and(u8::is_ascii_whitespace) {
                k += 1;
            }
            let (from, to) = match b.get(k) {
                Some(&q @ (b'"' | b'\'')) => {
                    let to = memchr::memchr(q, &b[k + 1..]).map_or(b.len(), |e| k + 1 + e);
                    (k + 1, to)
                }
                _ => {
                    let n = b[k..]
                        .iter()
                        .take_while(|c| !c.is_ascii_whitespace() && **c != b'>')
                        .count();
                    (k, k + n)
                }
            };
            value = &tag[from..to];
            k = to + 1;
        }
        if key.eq_ignore_ascii_case(name) {
            let mut v = String::new();
            unescape_into(value, &mut v);
            return Some(v);
        }
    }
}

/// The address of a `mailto:` or `tel:` link (percent-decoded, without the
/// query), if it is one.
fn link_address(href: &str) -> Option<String> {
    let h = href.trim();
    let lower = h.get(..7)?.to_ascii_lowercase();
    let rest = if lower == "mailto:" {
        &h[7..]
    } else if lower.starts_with("tel:") {
        &h[4..]
    } else {
        return None;
    };
    let rest = rest.split('?').next().unwrap_or("");
    let mut bytes = Vec::with_capacity(rest.len());
    let r = rest.as_bytes();
    let mut k = 0;
    while k < r.len() {
        let hex = r
            .get(k + 1..k + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (r[k], hex) {
            (b'%', Some(v)) => {
                bytes.push(v);
                k += 3;
            }
            (c, _) => {
                bytes.push(c);
                k += 1;
            }
        }
    }
    let addr = String::from_utf8_lossy(&bytes).replace(',', "\t");
    (!addr.trim().is_empty() && !addr.chars().any(|c| c.is_control() && c != '\t')).then_some(addr)
}

/// An entity reference at the start of `b` (`&…;`): the character and the
/// length of the reference.
fn decode_entity(b: &[u8]) -> Option<(char, usize)> {
    let end = b.iter().take(34).position(|&c| c == b';')?;
    let name = b.get(1..end)?;
    if name.is_empty() || !name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'#') {
        return None;
    }
    Some((entity(name)?, end + 1))
}

/// `s` with its entity references decoded (unknown ones kept as written).
fn unescape_into(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(j) = memchr::memchr(b'&', &b[i..]).map(|j| i + j) {
        out.push_str(&s[i..j]);
        match decode_entity(&b[j..]) {
            Some((c, len)) => {
                out.push(c);
                i = j + len;
            }
            None => {
                out.push('&');
                i = j + 1;
            }
        }
    }
    out.push_str(&s[i..]);
}

// ---------------------------------------------------------------------------
// Units with source lines (XML, JSON)
// ---------------------------------------------------------------------------

/// Hands units to the sink located by their byte position in the source;
/// lines and columns are counted once, forwards.
struct Emitter<'s> {
    src: &'s str,
    /// Position up to which lines are counted, its line (1-based) and column
    /// (0-based, in characters).
    pos: usize,
    line: u64,
    column: u64,
    /// Offset of the next unit: increasing, units never overlap.
    offset: u64,
}

impl<'s> Emitter<'s> {
    fn new(src: &'s str) -> Self {
        Emitter {
            src,
            pos: 0,
            line: 1,
            column: 0,
            offset: 0,
        }
    }

    /// Emits `text`, which starts at byte `at` of the source; returns where
    /// it was located (`None` for blank text, not emitted).
    fn emit(
        &mut self,
        text: &str,
        at: usize,
        kind: Option<&str>,
        sink: &mut dyn UnitSink,
    ) -> Option<Origin<'static>> {
        if text.trim().is_empty() {
            return None;
        }
        let at = crate::model::fold::floor_boundary(self.src, at.min(self.src.len()));
        if at > self.pos {
            let seg = &self.src[self.pos..at];
            match memchr::memrchr(b'\n', seg.as_bytes()) {
                Some(last) => {
                    self.line += memchr::memchr_iter(b'\n', seg.as_bytes()).count() as u64;
                    self.column = seg[last + 1..].chars().count() as u64;
                }
                None => self.column += seg.chars().count() as u64,
            }
            self.pos = at;
        }
        let origin = Origin::Text {
            line: self.line,
            column: self.column,
            offset: self.offset,
        };
        sink.unit(&Located {
            unit: Unit {
                text,
                report: 0..text.len(),
                column_kind: kind,
            },
            origin,
        });
        self.offset += text.len() as u64 + 1;
        Some(origin)
    }
}

/// Roles of keys whose values make one name or one address together (`nom`
/// and `prenom`; `voie`, `code_postal` and `ville`), as a table row's cells
/// do; `company` says the object is a company's.
const ROW_ROLES: &[&str] = &[
    "last_name",
    "first_name",
    "address",
    "address_extra",
    "postcode",
    "city",
    "company",
];

/// The values of an object's keyed members, kept until the object ends to
/// be handed over as a row.
#[derive(Default)]
struct RowCells<'c> {
    cells: Vec<(String, &'c ColumnRole, Origin<'static>)>,
}

impl<'c> RowCells<'c> {
    /// Keeps `text` when its key's role assembles with others.
    fn keep(&mut self, role: Option<&'c ColumnRole>, text: &str, origin: Option<Origin<'static>>) {
        if let (Some(role), Some(origin)) = (role, origin) {
            if ROW_ROLES.contains(&role.role.as_str()) && self.cells.len() < 64 {
                self.cells.push((text.trim().to_string(), role, origin));
            }
        }
    }

    /// Hands the kept values to the sink as one row.
    fn flush(&mut self, sink: &mut dyn UnitSink) {
        if self.cells.is_empty() {
            return;
        }
        let row: Vec<RowCell<'_>> = self
            .cells
            .iter()
            .map(|(text, role, origin)| RowCell {
                text,
                role: Some(role),
                origin: *origin,
            })
            .collect();
        sink.row(&row);
        self.cells.clear();
    }
}

/// Kinds of element, attribute or key names, remembered (exports repeat the
/// same few names millions of times).
struct Names<'c> {
    columns: &'c ColumnTable,
    seen: HashMap<Vec<u8>, Option<&'c ColumnRole>>,
}

impl<'c> Names<'c> {
    const MAX: usize = 4096;

    fn new(columns: &'c ColumnTable) -> Self {
        Names {
            columns,
            seen: HashMap::new(),
        }
    }

    /// The column role a key or element name gives (`code_postal`,
    /// `dateNaissance`, `last-name`: words split at `_`, `-` and case
    /// changes).
    fn role(&mut self, name: &[u8]) -> Option<&'c ColumnRole> {
        if let Some(k) = self.seen.get(name) {
            return *k;
        }
        let text = String::from_utf8_lossy(name);
        let mut words = String::with_capacity(text.len() + 4);
        let mut prev_lower = false;
        for c in text.chars() {
            if c.is_uppercase() && prev_lower {
                words.push(' ');
            }
            prev_lower = c.is_lowercase();
            words.push(c);
        }
        let k = self.columns.recognize(&words);
        if self.seen.len() < Self::MAX {
            self.seen.insert(name.to_vec(), k);
        }
        k
    }
}

// ---------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------

fn xml(
    src: &str,
    columns: &ColumnTable,
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let mut reader = Reader::from_str(src);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_dangling_amp = true;
    let mut em = Emitter::new(src);
    let mut names = Names::new(columns);
    // Kinds of the open elements, innermost last, and whether each is an
    // object (a subject's record): an element with attributes or child
    // elements, not a leaf holding one value.
    let mut open: Vec<Option<&ColumnRole>> = Vec::new();
    let mut objects: Vec<bool> = Vec::new();
    // The keyed values of each open element's attributes and leaf
    // children (`<nom>`, `<code_postal>`): a row when it ends.
    let mut rows: Vec<RowCells> = Vec::new();
    // The text node being read (split by references and CDATA) and where it starts.
    let mut text = String::new();
    let mut text_at = None;
    let mut value = String::new();
    loop {
        if deadline.is_over() {
            return Ok(());
        }
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(_) => {
                let at = reader.error_position() as usize;
                let line =
                    1 + memchr::memchr_iter(b'\n', &src.as_bytes()[..at.min(src.len())]).count();
                return Err(ExtractError::Corrupt {
                    format: "xml",
                    message: format!("malformed at line {line}: not read further"),
                });
            }
        };
        let piece = match &event {
            Event::Text(t) => Some((String::from_utf8_lossy(t), before)),
            Event::CData(t) => Some((String::from_utf8_lossy(t), before + 9)),
            Event::GeneralRef(r) => Some(match entity(r) {
                Some(c) => (Cow::Owned(c.to_string()), before),
                None => (
                    Cow::Owned(format!("&{};", String::from_utf8_lossy(r))),
                    before,
                ),
            }),
            _ => None,
        };
        if let Some((s, at)) = piece {
            text_at.get_or_insert(at);
            text.push_str(&s);
            continue;
        }
        if let Some(at) = text_at.take() {
            let role = open.last().copied().flatten();
            let origin = em.emit(&text, at, role.map(|r| r.kind.as_str()), sink);
            if let Some(parent) = rows.len().checked_sub(2).and_then(|i| rows.get_mut(i)) {
                parent.keep(role, &text, origin);
            }
            text.clear();
        }
        match event {
            Event::Start(e) => {
                if let Some(parent) = objects.last_mut().filter(|o| !**o) {
                    *parent = true;
                    sink.begin_object();
                }
                let (object, row) =
                    open_element(&e, before, src, &mut names, &mut em, &mut value, sink);
                open.push(names.role(e.local_name().as_ref()));
                objects.push(object);
                rows.push(row);
            }
            Event::Empty(e) => {
                let (object, mut row) =
                    open_element(&e, before, src, &mut names, &mut em, &mut value, sink);
                row.flush(sink);
                if object {
                    sink.end_object();
                }
            }
            Event::End(_) => {
                open.pop();
                if let Some(mut row) = rows.pop() {
                    row.flush(sink);
                }
                if objects.pop() == Some(true) {
                    sink.end_object();
                }
            }
            Event::Eof if open.is_empty() => return Ok(()),
            Event::Eof => return Err(truncated("xml")),
            _ => {}
        }
    }
}

/// An element starts: an object (a subject's record) when it has
/// attributes, whose values are emitted, typed by their names, and kept as
/// the element's row.
fn open_element<'c>(
    e: &BytesStart<'_>,
    tag_at: usize,
    src: &str,
    names: &mut Names<'c>,
    em: &mut Emitter<'_>,
    value: &mut String,
    sink: &mut dyn UnitSink,
) -> (bool, RowCells<'c>) {
    let object = e.attributes().next().is_some();
    if object {
        sink.begin_object();
    }
    let mut row = RowCells::default();
    for a in e.attributes().with_checks(false).flatten() {
        let key = a.key.as_ref();
        if key == b"xmlns" || key.starts_with(b"xmlns:") {
            continue;
        }
        // The value borrows from the source: its address gives its line.
        let at = (a.value.as_ptr() as usize)
            .checked_sub(src.as_ptr() as usize)
            .filter(|&at| at < src.len())
            .unwrap_or(tag_at);
        value.clear();
        unescape_into(&String::from_utf8_lossy(&a.value), value);
        let role = names.role(a.key.local_name().as_ref());
        let origin = em.emit(value, at, role.map(|r| r.kind.as_str()), sink);
        row.keep(role, value, origin);
    }
    (object, row)
}

// ---------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------

/// An open object or array.
struct Frame<'c> {
    array: bool,
    /// Object: the kind of the current member's key; array: the kind of its
    /// values (inherited from the key it is the value of).
    kind: Option<&'c str>,
    /// Object: a `:` was read, the next string is the member's value.
    value: bool,
    /// Object: the role of the current member's key.
    role: Option<&'c ColumnRole>,
    /// Object: its keyed values, a row when it ends.
    row: RowCells<'c>,
}

fn json(
    src: &str,
    columns: &ColumnTable,
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let b = src.as_bytes();
    let mut em = Emitter::new(src);
    let mut names = Names::new(columns);
    let mut stack: Vec<Frame> = Vec::new();
    let mut buf = String::new();
    let mut i = 0;
    let corrupt = |at: usize, what: &str| {
        let line = 1 + memchr::memchr_iter(b'\n', &b[..at.min(b.len())]).count();
        ExtractError::Corrupt {
            format: "json",
            message: format!("{what} at line {line}: not read further"),
        }
    };
    while i < b.len() {
        if deadline.is_over() {
            return Ok(());
        }
        let c = b[i];
        // The kind a value here takes.
        let value_kind = match stack.last() {
            Some(f) if f.array || f.value => f.kind,
            _ => None,
        };
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'{' | b'[' => {
                if c == b'{' {
                    sink.begin_object();
                }
                stack.push(Frame {
                    array: c == b'[',
                    kind: if c == b'[' { value_kind } else { None },
                    value: false,
                    role: None,
                    row: RowCells::default(),
                });
                i += 1;
            }
            b'}' | b']' => {
                match stack.pop() {
                    Some(f) if f.array == (c == b']') => {
                        if !f.array {
                            let mut row = f.row;
                            row.flush(sink);
                            sink.end_object();
                        }
                    }
                    _ => return Err(corrupt(i, "unbalanced brackets")),
                }
                i += 1;
            }
            b':' | b',' => {
                if let Some(f) = stack.last_mut().filter(|f| !f.array) {
                    f.value = c == b':';
                }
                i += 1;
            }
            b'"' => {
                let end = json_string(b, i + 1, &mut buf)
                    .ok_or_else(|| corrupt(i, "unterminated string"))?;
                match stack.last_mut() {
                    Some(f) if !f.array && !f.value => {
                        f.role = names.role(buf.as_bytes());
                        f.kind = f.role.map(|r| r.kind.as_str());
                        em.emit(&buf, i + 1, None, sink);
                    }
                    Some(f) if !f.array => {
                        let at = em.emit(&buf, i + 1, value_kind, sink);
                        f.row.keep(f.role, &buf, at);
                    }
                    _ => {
                        em.emit(&buf, i + 1, value_kind, sink);
                    }
                }
                i = end;
            }
            b'-' | b'0'..=b'9' => {
                let n = b[i..]
                    .iter()
                    .take_while(|c| {
                        c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E')
                    })
                    .count();
                let at = em.emit(&src[i..i + n], i, value_kind, sink);
                if let Some(f) = stack.last_mut().filter(|f| !f.array) {
                    f.row.keep(f.role, &src[i..i + n], at);
                }
                i += n;
            }
            b't' | b'f' | b'n' => {
                i += b[i..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count();
            }
            _ => return Err(corrupt(i, "unexpected character")),
        }
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(truncated("json"))
    }
}

/// Decodes the JSON string whose content starts at `from` into `out`;
/// returns the position after its closing quote, or `None` if it has none.
fn json_string(b: &[u8], from: usize, out: &mut String) -> Option<usize> {
    out.clear();
    let mut i = from;
    loop {
        let j = i + memchr::memchr2(b'"', b'\\', b.get(i..)?)?;
        out.push_str(&String::from_utf8_lossy(&b[i..j]));
        if b[j] == b'"' {
            return Some(j + 1);
        }
        let esc = *b.get(j + 1)?;
        i = j + 2;
        let c = match esc {
            b'n' | b'r' => LINE_BREAK,
            b't' => '\t',
            b'b' | b'f' => ' ',
            b'u' => {
                let hex = |k: usize| {
                    b.get(k..k + 4)
                        .and_then(|h| std::str::from_utf8(h).ok())
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                };
                let hi = hex(i).unwrap_or(0xFFFD);
                i += 4;
                if (0xD800..0xDC00).contains(&hi) && b.get(i..i + 2) == Some(b"\\u") {
                    match hex(i + 2) {
                        Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                            i += 6;
                            char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                .unwrap_or('\u{FFFD}')
                        }
                        _ => '\u{FFFD}',
                    }
                } else {
                    char::from_u32(hi).unwrap_or('\u{FFFD}')
                }
            }
            other => other as char,
        };
        out.push(c);
    }
}
