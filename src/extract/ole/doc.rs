//! Word 97–2003 documents ([MS-DOC]), and Word 6/95 ones.
//!
//! The File Information Block at the start of the `WordDocument` stream says
//! where the piece table is (`fcClx` in the `0Table` or `1Table` stream) and
//! how many characters each sub-document has (`ccpText`, `ccpFtn`…). The
//! piece table maps character positions to bytes of `WordDocument`: 8-bit
//! pieces (Windows-1252) and UTF-16 pieces. The characters are read in
//! order; the main text has no `entry`, and each other sub-document
//! (footnotes, headers and footers, comments, endnotes, text boxes) is a
//! part named after it. A paragraph mark, a table cell's end or a page
//! break ends a paragraph (one unit, located by its number in the part, as
//! in `.docx`); a manual line break is a line break inside it. A field's
//! instructions (`HYPERLINK "mailto:…"`) are read as well as its result,
//! a space apart: an address may be only in them.
//!
//! `fEncrypted` in the FIB (RC4 or XOR obfuscation) makes the document
//! reported as encrypted.

use super::paragraphs::Paragraphs;
use super::{corrupt, encrypted, stream, u16_at, u32_at, Ole};
use crate::extract::markup::common::LINE_BREAK;
use crate::extract::{Cx, ExtractError, UnitSink};

/// The sub-documents in the order of their characters, with their part
/// names (`None`: the main text). [MS-DOC] 2.5.3 `FibRgLw97`, from `ccpText`.
const PARTS: [Option<&str>; 8] = [
    None,
    Some("footnotes"),
    Some("headers"),
    Some("macros"),
    Some("comments"),
    Some("endnotes"),
    Some("text boxes"),
    Some("header text boxes"),
];

/// One piece of the piece table: characters `[cp, cp + len)` at byte `fc`.
#[derive(Debug, Clone, Copy)]
struct Piece {
    cp: u32,
    len: u32,
    fc: u32,
    compressed: bool,
}

/// Extracts the text of a Word document.
pub fn extract(
    ole: &mut Ole<'_>,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let limit = cx.limits.max_document_bytes as usize;
    let word = stream(ole, "/WordDocument", limit, "doc")?;
    let bad = |m: &str| corrupt("doc", &m);
    let ident = u16_at(&word, 0).ok_or_else(|| bad("no File Information Block"))?;
    let flags = u16_at(&word, 0x0A).ok_or_else(|| bad("no File Information Block"))?;
    if flags & 0x0100 != 0 {
        return Err(encrypted("doc"));
    }
    let (counts, pieces) = match ident {
        0xA5EC => word97(ole, &word, flags, limit)?,
        0xA5DC => word6(&word)?,
        _ => return Err(bad("not a Word 6–2003 document")),
    };
    read_pieces(&word, &counts, &pieces, cx, sink);
    Ok(())
}

/// The sub-documents' character counts and the pieces of a Word 97–2003
/// document.
fn word97(
    ole: &mut Ole<'_>,
    word: &[u8],
    flags: u16,
    limit: usize,
) -> Result<([u32; 8], Vec<Piece>), ExtractError> {
    let bad = |m: &str| corrupt("doc", &m);
    let csw = usize::from(u16_at(word, 32).ok_or_else(|| bad("FIB cut short"))?);
    let lw = 34 + csw * 2; // cslw
    let cslw = usize::from(u16_at(word, lw).ok_or_else(|| bad("FIB cut short"))?);
    let rglw = lw + 2;
    let mut counts = [0u32; 8];
    for (k, c) in counts.iter_mut().enumerate() {
        // ccpText is the fourth long; the "reserved3" before ccpAtn is
        // ccpMcr in older FIBs.
        if 3 + k < cslw {
            *c = u32_at(word, rglw + (3 + k) * 4).unwrap_or(0);
        }
    }
    let blob = rglw + cslw * 4 + 2;
    let fc_clx = u32_at(word, blob + 33 * 8).ok_or_else(|| bad("FIB cut short"))? as usize;
    let lcb_clx = u32_at(word, blob + 33 * 8 + 4).ok_or_else(|| bad("FIB cut short"))? as usize;
    let table_name = if flags & 0x0200 != 0 {
        "/1Table"
    } else {
        "/0Table"
    };
    if lcb_clx == 0 {
        return Err(bad("no piece table"));
    }
    let table = stream(ole, table_name, limit, "doc")?;
    let clx = table
        .get(fc_clx..fc_clx.saturating_add(lcb_clx).min(table.len()))
        .ok_or_else(|| bad("piece table outside the table stream"))?;
    Ok((counts, pieces(clx)?))
}

/// Word 6/95: the text is at `fcMin`, 8-bit (a fast-saved document's later
/// edits are not applied).
fn word6(word: &[u8]) -> Result<([u32; 8], Vec<Piece>), ExtractError> {
    let bad = || corrupt("doc", &"FIB cut short");
    let fc_min = u32_at(word, 0x18).ok_or_else(bad)?;
    let mut counts = [0u32; 8];
    for (k, c) in counts.iter_mut().enumerate() {
        *c = u32_at(word, 0x4C + k * 4).ok_or_else(bad)?;
    }
    let total = counts.iter().fold(0u32, |a, c| a.saturating_add(*c));
    Ok((
        counts,
        vec![Piece {
            cp: 0,
            len: total,
            fc: fc_min.saturating_mul(2),
            compressed: true,
        }],
    ))
}

/// The pieces of a `Clx`: property runs (`Prc`) to skip, then the piece
/// table (`Pcdt`).
fn pieces(clx: &[u8]) -> Result<Vec<Piece>, ExtractError> {
    let bad = |m: &str| corrupt("doc", &m);
    let mut i = 0usize;
    loop {
        match clx.get(i) {
            Some(1) => {
                let cb =
                    usize::from(u16_at(clx, i + 1).ok_or_else(|| bad("piece table cut short"))?);
                i = i + 3 + cb;
            }
            Some(2) => break,
            _ => return Err(bad("no piece table")),
        }
    }
    let lcb = u32_at(clx, i + 1).ok_or_else(|| bad("piece table cut short"))? as usize;
    let plc = clx
        .get(i + 5..(i + 5).saturating_add(lcb).min(clx.len()))
        .unwrap_or_default();
    let n = plc.len().saturating_sub(4) / 12;
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let (Some(cp), Some(end), Some(fc)) = (
            u32_at(plc, k * 4),
            u32_at(plc, (k + 1) * 4),
            u32_at(plc, (n + 1) * 4 + k * 8 + 2),
        ) else {
            break;
        };
        if end <= cp {
            continue; // out of order or empty: the file is damaged here
        }
        let compressed = fc & 0x4000_0000 != 0;
        out.push(Piece {
            cp,
            len: end - cp,
            fc: fc & 0x3FFF_FFFF,
            compressed,
        });
    }
    if out.is_empty() {
        return Err(bad("empty piece table"));
    }
    Ok(out)
}

/// Where the characters are going: the part being read and its paragraphs.
struct Reader<'s> {
    sink: &'s mut dyn UnitSink,
    /// Sub-document boundaries (character positions where each ends).
    ends: [u64; 8],
    part: usize,
    entered: bool,
    p: Paragraphs,
}

impl Reader<'_> {
    /// Moves to the part of character `cp`.
    fn at(&mut self, cp: u64) {
        while self.part < 7 && cp >= self.ends[self.part] {
            self.finish_part();
            self.part += 1;
        }
        if !self.entered && self.part > 0 {
            if let Some(name) = PARTS[self.part] {
                self.sink.enter_part(name);
            }
            self.entered = true;
        }
    }

    fn finish_part(&mut self) {
        self.p.finish(self.sink);
        self.p = Paragraphs::default();
        if self.entered && self.part > 0 {
            self.sink.leave_part();
        }
        self.entered = false;
    }

    fn char(&mut self, c: char) {
        match c {
            // A field's start and its result's: instructions apart.
            '\u{13}' | '\u{14}' => self.p.push(' ', self.sink),
            '\r' | '\u{7}' | '\u{c}' => self.p.end(self.sink),
            '\u{b}' => self.p.push(LINE_BREAK, self.sink),
            '\t' => self.p.push('\t', self.sink),
            '\u{1e}' => self.p.push('-', self.sink),
            '\u{a0}' => self.p.push(' ', self.sink),
            c if c.is_control() => {}
            c => self.p.push(c, self.sink),
        }
    }
}

/// Reads the characters of every piece, in order of position.
fn read_pieces(
    word: &[u8],
    counts: &[u32; 8],
    pieces: &[Piece],
    cx: &Cx<'_>,
    sink: &mut dyn UnitSink,
) {
    let mut ends = [0u64; 8];
    let mut at = 0u64;
    for (k, c) in counts.iter().enumerate() {
        at += u64::from(*c);
        ends[k] = at;
    }
    // A document with sub-documents has one more paragraph mark at the end,
    // counted in none of them: it belongs to the last part.
    ends[7] = u64::MAX;
    let mut r = Reader {
        sink,
        ends,
        part: 0,
        entered: false,
        p: Paragraphs::default(),
    };
    let mut order: Vec<&Piece> = pieces.iter().collect();
    order.sort_by_key(|p| p.cp);
    let total = at;
    for piece in order {
        if cx.deadline.is_over() {
            break;
        }
        let start = u64::from(piece.cp);
        if start >= total.max(1) {
            break;
        }
        let len = u64::from(piece.len).min(total.max(1) - start) as usize;
        if piece.compressed {
            let from = piece.fc as usize / 2;
            let bytes = word
                .get(from..from.saturating_add(len).min(word.len()))
                .unwrap_or_default();
            for (k, &b) in bytes.iter().enumerate() {
                if k % 65536 == 65535 && cx.deadline.is_over() {
                    break;
                }
                r.at(start + k as u64);
                r.char(cp1252(b));
            }
        } else {
            let from = piece.fc as usize;
            let bytes = word
                .get(from..from.saturating_add(len.saturating_mul(2)).min(word.len()))
                .unwrap_or_default();
            let units = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]));
            for (k, c) in char::decode_utf16(units).enumerate() {
                if k % 65536 == 65535 && cx.deadline.is_over() {
                    break;
                }
                r.at(start + k as u64);
                r.char(c.unwrap_or('\u{fffd}'));
            }
        }
    }
    r.finish_part();
}

/// A byte of an 8-bit piece ([MS-DOC] 2.4.1: Windows-1252).
fn cp1252(b: u8) -> char {
    if b < 0x80 {
        return char::from(b);
    }
    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(std::slice::from_ref(&b));
    s.chars().next().unwrap_or('\u{fffd}')
}
