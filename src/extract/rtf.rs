//! Rich Text Format (`.rtf`, and the bodies of Outlook messages): letters
//! saved from WordPad or Word, exported reports.
//!
//! A single pass over the control words (RTF 1.9.1): groups are a stack of
//! states; text is decoded with the code page in force (`\ansicpg`, or the
//! current font's `\fcharset`) for `\'hh` bytes, and from UTF-16 for `\uN`
//! (whose `\ucN` fallback characters are skipped). Destinations that hold no
//! text people wrote are skipped with their groups: font, colour and style
//! tables, document information, pictures, embedded objects' data, and
//! every `\*` destination this reader does not know; `\binN` data is jumped
//! over. A field's instructions are read before its result (a `mailto:`
//! address may be only there), and comments (`\annotation`) after the
//! document's text, so that a comment inside a word does not split it. Each paragraph
//! (`\par`, a table cell or row, a section or page break) is one unit,
//! located by its number (`line`), as in `.docx`; `\line` is a line break
//! inside it.

use super::markup::common::LINE_BREAK;
use super::ole::paragraphs::Paragraphs;
use super::{Cx, ExtractError, UnitSink};
use encoding_rs::Encoding;

/// Groups nested deeper than this are read as if they were one level (no
/// state is pushed): a hostile file cannot grow the stack.
const MAX_DEPTH: usize = 1024;

/// Fonts remembered from the font table, at most.
const MAX_FONTS: usize = 4096;

/// Destinations skipped with their group, besides unknown `\*` ones.
const SKIPPED: &[&str] = &[
    "author",
    "bkmkend",
    "bkmkstart",
    "blipuid",
    "colortbl",
    "colorschememapping",
    "comment",
    "company",
    "datafield",
    "datastore",
    "docvar",
    "doccomm",
    "fchars",
    "filetbl",
    "generator",
    "info",
    "keywords",
    "atnauthor",
    "atnid",
    "atndate",
    "latentstyles",
    "lchars",
    "listoverridetable",
    "listtable",
    "mmathPr",
    "nonshppict",
    "objdata",
    "operator",
    "passwordhash",
    "pgdsctbl",
    "pict",
    "protusertbl",
    "revtbl",
    "rsidtbl",
    "sn",
    "sp",
    "stylesheet",
    "sv",
    "template",
    "themedata",
    "title",
    "userprops",
    "wgrffmtfilter",
    "xmlnstbl",
];

/// `\*` destinations whose text is read.
const KEPT_STARRED: &[&str] = &["shpinst", "ud", "shptxt", "annotation", "fldinst"];

/// Extracts the paragraphs of an RTF document held in memory.
pub fn extract(data: &[u8], cx: &mut Cx<'_>, sink: &mut dyn UnitSink) -> Result<(), ExtractError> {
    if !data.starts_with(b"{\\rtf") {
        return Err(ExtractError::Corrupt {
            format: "rtf",
            message: "does not start with {\\rtf".into(),
        });
    }
    let mut p = Paragraphs::default();
    read(data, cx, &mut p, sink);
    p.finish(sink);
    Ok(())
}

/// What a group is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dest {
    Text,
    /// Skipped with everything inside.
    Skip,
    /// The font table: read for the fonts' character sets.
    Fonts,
}

/// The state of one group.
#[derive(Clone, Copy)]
struct Group {
    dest: Dest,
    /// Fallback characters after `\uN` (`\ucN`).
    uc: u32,
    encoding: &'static Encoding,
    /// The group has no control word yet (a destination is its first word).
    fresh: bool,
    /// `\*` was met: an unknown destination that follows is skipped.
    starred: bool,
    /// A comment's text, read after the document's.
    aside: bool,
}

/// The parser's state beyond the group stack.
struct State<'p> {
    out: &'p mut Paragraphs,
    ansi: &'static Encoding,
    fonts: Vec<(i32, &'static Encoding)>,
    /// Font being defined in the font table.
    font: Option<i32>,
    /// Bytes of the current code page not yet decoded (a multi-byte
    /// character may come as several `\'hh`).
    bytes: Vec<u8>,
    /// Fallback characters still to skip after `\uN`.
    skip: u32,
    high_surrogate: Option<u16>,
    /// Whether text goes to `asides` (the current group's `aside`).
    in_aside: bool,
    /// Comments' text, a line per paragraph, at most [`MAX_ASIDE`] bytes.
    asides: String,
}

/// Bytes of comments kept for the end, at most.
const MAX_ASIDE: usize = 1 << 20;

impl State<'_> {
    /// Decodes the pending bytes.
    fn flush(&mut self, encoding: &'static Encoding, sink: &mut dyn UnitSink) {
        if self.bytes.is_empty() {
            return;
        }
        let (text, _) = encoding.decode_without_bom_handling(&self.bytes);
        let text = text.into_owned();
        self.bytes.clear();
        self.text(&text, sink);
    }

    /// A paragraph mark (a line of its own in a comment).
    fn end(&mut self, sink: &mut dyn UnitSink) {
        if self.in_aside {
            self.char('\n', sink);
        } else {
            self.out.end(sink);
        }
    }

    fn text(&mut self, s: &str, sink: &mut dyn UnitSink) {
        for c in s.chars() {
            self.char(c, sink);
        }
    }

    fn char(&mut self, c: char, sink: &mut dyn UnitSink) {
        self.high_surrogate = None;
        if self.in_aside {
            if self.asides.len() < MAX_ASIDE && (!c.is_control() || c == '\t' || c == '\n') {
                self.asides.push(c);
            }
            return;
        }
        match c {
            '\u{a0}' | '\n' | '\r' => self.out.push(' ', sink),
            c if c.is_control() && c != '\t' => {}
            c => self.out.push(c, sink),
        }
    }

    /// One UTF-16 unit of `\uN`.
    fn unit(&mut self, u: u16, sink: &mut dyn UnitSink) {
        match (self.high_surrogate.take(), u) {
            (_, 0xD800..=0xDBFF) => self.high_surrogate = Some(u),
            (Some(h), 0xDC00..=0xDFFF) => {
                let c = 0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                if let Some(c) = char::from_u32(c) {
                    self.char(c, sink);
                }
            }
            (_, u) => {
                if let Some(c) = char::from_u32(u32::from(u)) {
                    self.char(c, sink);
                }
            }
        }
    }
}

/// Reads the whole document into `out`.
fn read(data: &[u8], cx: &Cx<'_>, out: &mut Paragraphs, sink: &mut dyn UnitSink) {
    let mut st = State {
        out,
        ansi: encoding_rs::WINDOWS_1252,
        fonts: Vec::new(),
        font: None,
        bytes: Vec::new(),
        skip: 0,
        high_surrogate: None,
        in_aside: false,
        asides: String::new(),
    };
    let mut cur = Group {
        dest: Dest::Text,
        uc: 1,
        encoding: encoding_rs::WINDOWS_1252,
        fresh: true,
        starred: false,
        aside: false,
    };
    let mut stack: Vec<Group> = Vec::new();
    // Groups opened beyond MAX_DEPTH, whose closing braces pop nothing.
    let mut overflow = 0usize;
    let mut i = 0;
    let mut steps = 0u32;
    while i < data.len() {
        steps = steps.wrapping_add(1);
        if steps.is_multiple_of(4096) && cx.deadline.expired() {
            return;
        }
        let b = data[i];
        match b {
            b'{' | b'}' => {
                st.flush(cur.encoding, sink);
                st.skip = 0;
                i += 1;
                if b == b'{' {
                    if stack.len() >= MAX_DEPTH {
                        overflow += 1;
                    } else {
                        stack.push(cur);
                        cur.fresh = true;
                        cur.starred = false;
                    }
                } else if overflow > 0 {
                    overflow -= 1;
                } else if let Some(outer) = stack.pop() {
                    if cur.dest == Dest::Fonts {
                        st.font = None;
                    }
                    cur = outer;
                }
                st.in_aside = cur.aside;
            }
            b'\\' => {
                let (word, param, next) = control(data, i + 1);
                i = next;
                let text = cur.dest == Dest::Text;
                if word.first().is_some_and(u8::is_ascii_alphabetic) {
                    let word = std::str::from_utf8(word).unwrap_or("");
                    if word != "u" && word != "bin" {
                        st.flush(cur.encoding, sink);
                    }
                    i = control_word(word, param, data, i, &mut cur, &mut st, sink);
                } else {
                    let Some(&sym) = word.first() else { break };
                    if sym == b'\'' {
                        // `\'hh`: a byte of the current code page.
                        let hex = data.get(i..i + 2).and_then(|h| {
                            u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
                        });
                        if let Some(byte) = hex {
                            i += 2;
                            if st.skip > 0 {
                                st.skip -= 1;
                            } else if text {
                                st.bytes.push(byte);
                            }
                        }
                        continue;
                    }
                    st.flush(cur.encoding, sink);
                    if st.skip > 0 {
                        st.skip -= 1;
                        continue;
                    }
                    cur.fresh = false;
                    match sym {
                        b'*' => {
                            cur.starred = true;
                            cur.fresh = true;
                        }
                        b'\r' | b'\n' if text => st.end(sink),
                        b'~' if text => st.char(' ', sink),
                        b'_' if text => st.char('-', sink),
                        b'\\' | b'{' | b'}' if text => st.char(char::from(sym), sink),
                        b'\t' if text => st.char('\t', sink),
                        _ => {}
                    }
                }
            }
            b'\r' | b'\n' => i += 1,
            _ => {
                // Plain text up to the next special byte.
                let end = data[i..]
                    .iter()
                    .position(|b| matches!(b, b'{' | b'}' | b'\\' | b'\r' | b'\n'))
                    .map_or(data.len(), |p| i + p);
                let mut run = &data[i..end];
                i = end;
                cur.fresh = false;
                if st.skip > 0 {
                    let n = run.len().min(st.skip as usize);
                    st.skip -= n as u32;
                    run = &run[n..];
                }
                if cur.dest == Dest::Text {
                    st.bytes.extend_from_slice(run);
                }
            }
        }
    }
    st.flush(cur.encoding, sink);
    // Comments, a paragraph each line, after the text.
    st.in_aside = false;
    let asides = std::mem::take(&mut st.asides);
    for line in asides.lines().filter(|l| !l.trim().is_empty()) {
        if !st.out.is_empty() {
            st.out.end(sink);
        }
        st.text(line, sink);
    }
}

/// The control word or symbol after a backslash at `i`: its letters (or the
/// one symbol byte), its numeric parameter, and where the text after it
/// starts (the space that ends a control word is part of it).
fn control(data: &[u8], i: usize) -> (&[u8], Option<i32>, usize) {
    let letters = data[i.min(data.len())..]
        .iter()
        .take(32)
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    if letters == 0 {
        let end = (i + 1).min(data.len());
        return (&data[i.min(data.len())..end], None, end);
    }
    let word = &data[i..i + letters];
    let mut j = i + letters;
    let start = j;
    if data.get(j) == Some(&b'-') {
        j += 1;
    }
    let digits = data[j..]
        .iter()
        .take(10)
        .take_while(|b| b.is_ascii_digit())
        .count();
    let param = if digits > 0 {
        j += digits;
        std::str::from_utf8(&data[start..j])
            .ok()
            .and_then(|s| s.parse::<i64>().ok())
            .map(|n| n.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
    } else {
        j = start;
        None
    };
    if data.get(j) == Some(&b' ') {
        j += 1;
    }
    (word, param, j)
}

/// Applies a control word; returns where reading goes on.
fn control_word(
    word: &str,
    param: Option<i32>,
    data: &[u8],
    i: usize,
    cur: &mut Group,
    st: &mut State<'_>,
    sink: &mut dyn UnitSink,
) -> usize {
    if word == "bin" {
        // Binary data: jumped over, whatever it holds.
        let n = param.unwrap_or(0).max(0) as usize;
        return i.saturating_add(n).min(data.len());
    }
    let text = cur.dest == Dest::Text;
    if st.skip > 0 && word != "u" {
        st.skip -= 1;
        return i;
    }
    let fresh = std::mem::replace(&mut cur.fresh, false);
    if fresh && cur.dest != Dest::Skip {
        if word == "fonttbl" {
            cur.dest = Dest::Fonts;
            return i;
        }
        if SKIPPED.contains(&word) || (cur.starred && !KEPT_STARRED.contains(&word)) {
            cur.dest = Dest::Skip;
            return i;
        }
        if word == "annotation" {
            cur.aside = true;
            st.in_aside = true;
            st.char('\n', sink);
            return i;
        }
    }
    if cur.dest == Dest::Skip {
        return i;
    }
    if cur.dest == Dest::Fonts {
        match (word, param) {
            ("f", Some(n)) => st.font = Some(n),
            ("fcharset", Some(c)) => {
                if let (Some(f), Some(enc)) = (st.font, charset(c, st.ansi)) {
                    if st.fonts.len() < MAX_FONTS {
                        st.fonts.push((f, enc));
                    }
                }
            }
            _ => {}
        }
        return i;
    }
    match (word, param) {
        ("u", Some(n)) => {
            if st.skip > 0 {
                // A `\u` inside another's fallback: part of the fallback.
                st.skip -= 1;
                return i;
            }
            st.flush(cur.encoding, sink);
            if text {
                st.unit(n as u16, sink);
            }
            st.skip = cur.uc;
        }
        ("uc", Some(n)) => cur.uc = n.clamp(0, 16) as u32,
        ("ansicpg", Some(n)) => {
            if let Some(e) = codepage(n.max(0) as u32) {
                st.ansi = e;
                cur.encoding = e;
            }
        }
        ("mac", _) => {
            st.ansi = encoding_rs::MACINTOSH;
            cur.encoding = st.ansi;
        }
        ("f", Some(n)) => {
            cur.encoding = st
                .fonts
                .iter()
                .rev()
                .find(|(f, _)| *f == n)
                .map_or(st.ansi, |(_, e)| *e);
        }
        ("par" | "sect" | "page" | "row" | "cell" | "nestcell" | "nestrow", _) if text => {
            st.end(sink)
        }
        // Instructions and result apart.
        ("fldinst" | "fldrslt", _) if text => st.char(' ', sink),
        ("line", _) if text => st.char(LINE_BREAK, sink),
        ("tab", _) if text => st.char('\t', sink),
        ("emdash", _) if text => st.char('—', sink),
        ("endash", _) if text => st.char('–', sink),
        ("bullet", _) if text => st.char('•', sink),
        ("lquote", _) if text => st.char('‘', sink),
        ("rquote", _) if text => st.char('’', sink),
        ("ldblquote", _) if text => st.char('“', sink),
        ("rdblquote", _) if text => st.char('”', sink),
        ("emspace" | "enspace" | "qmspace", _) if text => st.char(' ', sink),
        _ => {}
    }
    i
}

/// The code page of an RTF font character set (`\fcharsetN`).
fn charset(c: i32, ansi: &'static Encoding) -> Option<&'static Encoding> {
    Some(match c {
        0..=2 => ansi,
        77 => encoding_rs::MACINTOSH,
        128 => encoding_rs::SHIFT_JIS,
        129 => encoding_rs::EUC_KR,
        134 => encoding_rs::GBK,
        136 => encoding_rs::BIG5,
        161 => encoding_rs::WINDOWS_1253,
        162 => encoding_rs::WINDOWS_1254,
        163 => encoding_rs::WINDOWS_1258,
        177 => encoding_rs::WINDOWS_1255,
        178 => encoding_rs::WINDOWS_1256,
        186 => encoding_rs::WINDOWS_1257,
        204 => encoding_rs::WINDOWS_1251,
        222 => encoding_rs::WINDOWS_874,
        238 => encoding_rs::WINDOWS_1250,
        _ => return None,
    })
}

/// The encoding of a Windows code page number (RTF `\ansicpg`, Outlook's
/// `PR_INTERNET_CPID`, Word's `lid`-free 8-bit text).
pub(crate) fn codepage(cp: u32) -> Option<&'static Encoding> {
    Some(match cp {
        1250 => encoding_rs::WINDOWS_1250,
        1251 => encoding_rs::WINDOWS_1251,
        1252 => encoding_rs::WINDOWS_1252,
        1253 => encoding_rs::WINDOWS_1253,
        1254 => encoding_rs::WINDOWS_1254,
        1255 => encoding_rs::WINDOWS_1255,
        1256 => encoding_rs::WINDOWS_1256,
        1257 => encoding_rs::WINDOWS_1257,
        1258 => encoding_rs::WINDOWS_1258,
        874 => encoding_rs::WINDOWS_874,
        932 => encoding_rs::SHIFT_JIS,
        936 | 54936 => encoding_rs::GB18030,
        949 => encoding_rs::EUC_KR,
        950 => encoding_rs::BIG5,
        866 => encoding_rs::IBM866,
        10000 => encoding_rs::MACINTOSH,
        20866 => encoding_rs::KOI8_R,
        21866 => encoding_rs::KOI8_U,
        28591 => encoding_rs::WINDOWS_1252,
        28592 => encoding_rs::ISO_8859_2,
        28595 => encoding_rs::ISO_8859_5,
        28605 => encoding_rs::ISO_8859_15,
        50220..=50222 => encoding_rs::ISO_2022_JP,
        51932 => encoding_rs::EUC_JP,
        65001 => encoding_rs::UTF_8,
        // OEM pages (437, 850) have no decoder here: Latin-1 letters stay
        // readable through 1252 more often than not.
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Located;

    #[derive(Default)]
    struct Lines(Vec<(u64, String)>);
    impl UnitSink for Lines {
        fn unit(&mut self, l: &Located<'_>) {
            if let crate::extract::Origin::Text { line, .. } = l.origin {
                self.0.push((line, l.unit.text.to_string()));
            }
        }
    }

    fn paragraphs(rtf: &[u8]) -> Vec<(u64, String)> {
        let mut owned = crate::extract::TestCx::default();
        let mut cx = owned.cx();
        let mut sink = Lines::default();
        extract(rtf, &mut cx, &mut sink).expect("rtf");
        sink.0
    }

    #[test]
    fn text_code_pages_unicode_and_skipped_groups() {
        let rtf =
            br#"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}{\f1\fcharset204 Times;}}
{\colortbl;\red0\green0\blue0;}{\info{\author Secret Author}}
\pard Ma\'eft\'e9 Lef\u232?vre\par
{\f1 \'cf\'f0\'e8\'e2\'e5\'f2}\par
{\*\generator Riched20}{\pict\pngblip 0a0b0c}
{\field{\*\fldinst HYPERLINK "mailto:x@y.fr"}{\fldrslt jean@example.fr}}\line suite\par
\u-10179?\u-8704?\par
\bin3 {}}end\tab x\par
super{\*\atnid AB}{\*\annotation un avis}cali\par}"#;
        let p = paragraphs(rtf);
        assert_eq!(
            p,
            vec![
                (1, "Maïté Lefèvre".to_string()),
                (2, "Привет".to_string()),
                (
                    3,
                    " HYPERLINK \"mailto:x@y.fr\" jean@example.fr\u{2028}suite".to_string()
                ),
                (4, "\u{1F600}".to_string()),
                (5, "end\tx".to_string()),
                // The comment after the text: the word is whole.
                (6, "supercali".to_string()),
                (7, "un avis".to_string()),
            ]
        );
    }

    #[test]
    fn hostile_nesting_and_truncation() {
        let mut rtf = b"{\\rtf1 ".to_vec();
        rtf.extend(std::iter::repeat_n(b'{', 100_000));
        rtf.extend_from_slice(b"deep text\\u");
        assert_eq!(paragraphs(&rtf), vec![(1, "deep text".to_string())]);
        assert!(paragraphs(b"{\\rtf1 \\bin999999999").is_empty());
        assert!(paragraphs(b"{\\rtf1 \\'").is_empty());
    }
}
