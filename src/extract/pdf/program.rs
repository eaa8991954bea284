//! The encodings built into embedded font programs, for simple fonts whose
//! dictionary names no base encoding: a Type 1 program's `dup 12 /fi put`
//! lines (TeX fonts put ligatures and dashes there) and a CFF (`Type1C`)
//! program's encoding and charset (code → glyph → glyph name).

use super::glyphs;
use super::stream::decode;
use crate::extract::ExtractError;
use lopdf::{Dictionary, Document, Object};

/// Code → text of the font's own program; empty when the font names a base
/// encoding, embeds no Type 1 or CFF program, or the program says nothing.
pub(super) fn builtin(
    doc: &Document,
    font: &Dictionary,
    budget: &mut u64,
    cap: u64,
) -> Result<Vec<(u8, String)>, ExtractError> {
    let named = match font.get_deref(b"Encoding", doc) {
        Ok(Object::Name(_)) => true,
        Ok(Object::Dictionary(d)) => d.has(b"BaseEncoding"),
        _ => false,
    };
    let Ok(descriptor) = font
        .get_deref(b"FontDescriptor", doc)
        .and_then(Object::as_dict)
    else {
        return Ok(Vec::new());
    };
    if named {
        return Ok(Vec::new());
    }
    let file = |key: &[u8]| descriptor.get_deref(key, doc).and_then(Object::as_stream);
    if let Ok(f) = file(b"FontFile") {
        return Ok(decode(doc, f, budget, cap)?.map_or_else(Vec::new, |d| type1(&d)));
    }
    match file(b"FontFile3") {
        Ok(f) if f.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type1C") => {
            Ok(decode(doc, f, budget, cap)?.map_or_else(Vec::new, |d| cff(&d)))
        }
        _ => Ok(Vec::new()),
    }
}

/// The clear-text part of a Type 1 program: `dup CODE /NAME put`.
fn type1(data: &[u8]) -> Vec<(u8, String)> {
    // The clear-text part ends where the encrypted one starts.
    let clear = &data[..memchr::memmem::find(data, b"eexec").unwrap_or(data.len())];
    let mut out = Vec::new();
    let mut words = clear
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty());
    while let Some(w) = words.next() {
        if w != b"dup" {
            continue;
        }
        let (Some(code), Some(name)) = (words.next(), words.next()) else {
            break;
        };
        let code = std::str::from_utf8(code)
            .ok()
            .and_then(|c| c.parse::<u8>().ok());
        let text = name.strip_prefix(b"/").and_then(glyphs::text);
        if let (Some(code), Some(text)) = (code, text) {
            out.push((code, text));
        }
    }
    out
}

/// A CFF program's codes, through its encoding (or the standard one) to
/// glyphs and through its charset to glyph names.
fn cff(data: &[u8]) -> Vec<(u8, String)> {
    let Some(table) = ttf_parser::cff::Table::parse(data) else {
        return Vec::new();
    };
    (0..=255u8)
        .filter_map(|code| {
            let glyph = table.glyph_index(code).filter(|g| g.0 != 0)?;
            let text = glyphs::text(table.glyph_name(glyph)?.as_bytes())?;
            Some((code, text))
        })
        .collect()
}
