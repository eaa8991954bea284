//! Fonts: how codes become text (ToUnicode CMap, simple encodings with
//! `Differences`, glyph names) and how wide glyphs are.

use super::cmap::CMap;
use super::stream::decode;
use super::truetype;
use crate::extract::ExtractError;
use lopdf::{Dictionary, Document, Object};
use std::collections::HashMap;

/// Glyph width assumed when a font gives none (the standard 14 fonts).
const DEFAULT_WIDTH: f64 = 500.0;

/// How a font's codes become text and how wide its glyphs are.
pub(super) struct Font {
    /// ToUnicode CMap, when the font has one.
    pub(super) cmap: Option<CMap>,
    /// Byte → text for simple fonts without a CMap (`None`: Type0 without CMap).
    pub(super) table: Option<Vec<String>>,
    /// Code length when the CMap does not say: 2 for Type0 fonts.
    pub(super) code_len: usize,
    pub(super) widths: Widths,
    /// Glyph space → text space (1/1000, or a Type3 font's matrix).
    pub(super) scale: f64,
}

impl Font {
    /// Reads a font dictionary: its ToUnicode CMap (decoded against `budget`),
    /// byte encoding and widths.
    pub(super) fn read(
        doc: &Document,
        dict: &Dictionary,
        budget: &mut u64,
        cap: u64,
    ) -> Result<Font, ExtractError> {
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let type0 = subtype == b"Type0";
        let mut cmap = match dict
            .get_deref(b"ToUnicode", doc)
            .and_then(Object::as_stream)
        {
            Ok(s) => decode(doc, s, budget, cap)?.map(|d| CMap::parse(&d)),
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
            if cmap.is_none() {
                cmap = composite_map(doc, dict, cid_font, budget, cap)?;
            }
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

/// The text of a composite font without a ToUnicode map: its codes are
/// UTF-16 under a predefined Unicode encoding, or (`Identity-H`/`-V`) CIDs
/// whose glyphs the embedded TrueType font maps to characters.
fn composite_map(
    doc: &Document,
    font: &Dictionary,
    cid_font: Option<&Dictionary>,
    budget: &mut u64,
    cap: u64,
) -> Result<Option<CMap>, ExtractError> {
    let encoding = font
        .get(b"Encoding")
        .and_then(Object::as_name)
        .unwrap_or(b"");
    let encoding = String::from_utf8_lossy(encoding);
    if encoding.starts_with("Uni") && (encoding.contains("UCS2") || encoding.contains("UTF16")) {
        return Ok(Some(CMap::utf16_codes()));
    }
    if !encoding.starts_with("Identity-") {
        return Ok(None);
    }
    let Some(cf) = cid_font else {
        return Ok(None);
    };
    let file = cf
        .get_deref(b"FontDescriptor", doc)
        .and_then(Object::as_dict)
        .and_then(|d| d.get_deref(b"FontFile2", doc))
        .and_then(Object::as_stream);
    let Ok(file) = file else {
        return Ok(None);
    };
    let Some(data) = decode(doc, file, budget, cap)? else {
        return Ok(None);
    };
    let chars = truetype::glyph_chars(&data);
    if chars.is_empty() {
        return Ok(None);
    }
    // CID → glyph: the identity, or a table of two-byte glyph numbers.
    let map = match cf
        .get_deref(b"CIDToGIDMap", doc)
        .and_then(Object::as_stream)
    {
        Ok(s) => {
            let Some(table) = decode(doc, s, budget, cap)? else {
                return Ok(None);
            };
            let by_glyph = &chars;
            CMap::from_chars(table.chunks_exact(2).take(1 << 16).enumerate().filter_map(
                |(cid, g)| {
                    Some((
                        cid as u16,
                        *by_glyph.get(&u16::from_be_bytes([g[0], g[1]]))?,
                    ))
                },
            ))
        }
        Err(_) => CMap::from_chars(chars),
    };
    Ok(Some(map))
}

/// Glyph widths of a font, in glyph space.
pub(super) struct Widths {
    pub(super) first: u32,
    pub(super) list: Vec<f64>,
    /// For codes outside `list`.
    pub(super) default: f64,
    /// CIDFont `W` entries.
    pub(super) cid: HashMap<u32, f64>,
}

impl Widths {
    /// The font gives this code a width of its own (not the default).
    pub(super) fn given(&self, code: u32) -> bool {
        self.cid.contains_key(&code)
            || code
                .checked_sub(self.first)
                .and_then(|i| self.list.get(i as usize))
                .is_some_and(|w| *w > 0.0)
    }

    pub(super) fn of(&self, code: u32) -> f64 {
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

pub(super) fn num(o: &Object) -> Option<f64> {
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

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_text(b"eacute").as_deref(), Some("é"));
        assert_eq!(glyph_text(b"OE").as_deref(), Some("Œ"));
        assert_eq!(glyph_text(b"uni00E0").as_deref(), Some("à"));
        assert_eq!(glyph_text(b"zero").as_deref(), Some("0"));
        assert_eq!(glyph_text(b"g123"), None);
    }
}
