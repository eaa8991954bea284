//! Fonts: how codes become text (ToUnicode CMap, simple encodings with
//! `Differences`, glyph names) and how wide glyphs are.

use super::cjk::{self, Charset};
use super::cmap::CMap;
use super::glyphs;
use super::program;
use super::standard;
use super::stream::decode;
use super::truetype;
use crate::extract::ExtractError;
use lopdf::{Dictionary, Document, Object};
use std::collections::HashMap;
use std::sync::Arc;

/// Glyph width assumed when a font gives none (the standard 14 fonts).
const DEFAULT_WIDTH: f64 = 500.0;

/// How a font's codes become text and how wide its glyphs are.
pub(super) struct Font {
    /// ToUnicode CMap, when the font has one (or the CID → Unicode table of
    /// its character collection, shared).
    pub(super) cmap: Option<Arc<CMap>>,
    /// The legacy charset of a composite font's predefined CMap, when it
    /// has no ToUnicode map.
    pub(super) charset: Option<Charset>,
    /// Vertical writing (a composite font's `…-V` CMap): glyphs advance down.
    pub(super) vertical: bool,
    /// Byte → text for simple fonts without a CMap (`None`: Type0 without CMap).
    pub(super) table: Option<Vec<String>>,
    /// Code length when the CMap does not say: 2 for Type0 fonts.
    pub(super) code_len: usize,
    /// Codes are two bytes whatever the ToUnicode map's code space says
    /// (`Identity-H`/`-V`: the encoding, not the ToUnicode map, splits codes).
    pub(super) identity: bool,
    pub(super) widths: Widths,
    /// Glyph space → text space (1/1000, or a Type3 font's matrix).
    pub(super) scale: f64,
    /// The font size → the size of its letters: 1, or a Type 3 font's guess.
    pub(super) em: f64,
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
        // A ToUnicode map that maps nothing is no map (pdf.js reads the
        // font then as if it had none).
        let mut to_unicode = match dict
            .get_deref(b"ToUnicode", doc)
            .and_then(Object::as_stream)
        {
            Ok(s) => decode(doc, s, budget, cap)?
                .map(|d| CMap::parse(&d))
                .filter(|c| !c.is_empty()),
            Err(_) => None,
        };
        let mut cmap = None;
        let table = match type0 {
            true => None,
            false => Some(byte_table(
                doc,
                dict,
                &program::builtin(doc, dict, budget, cap)?,
            )),
        };
        let encoding = match dict.get(b"Encoding").and_then(Object::as_name) {
            Ok(n) if type0 => String::from_utf8_lossy(n).into_owned(),
            _ => String::new(),
        };
        let mut charset = None;
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
            charset = cjk::charset(&encoding).filter(|_| to_unicode.is_none());
            if charset.is_none() {
                // Without a ToUnicode map, the composite font's own; with
                // one, the same fills the codes it leaves out.
                let guess = to_unicode.is_none();
                let own = composite_map(doc, &encoding, cid_font, guess, budget, cap)?;
                cmap = match to_unicode.take() {
                    Some(t) => Some(Arc::new(t.with_fallback(own))),
                    None => own,
                };
            }
            if let Some(cf) = cid_font {
                widths.default = cf.get(b"DW").ok().and_then(num).unwrap_or(1000.0);
                // `W` is by CID, which a charset's codes are not.
                let by_cid = charset.is_none();
                if let (true, Ok(w)) = (by_cid, cf.get_deref(b"W", doc).and_then(Object::as_array))
                {
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
            let base = dict.get(b"BaseFont").and_then(Object::as_name);
            if let (true, Some(t), Ok(base)) = (widths.list.is_empty(), &table, base) {
                if let Some(list) = standard::widths(base, t).filter(|_| subtype != b"Type3") {
                    (widths.first, widths.list) = (0, list);
                }
            }
        }
        if let Some(t) = to_unicode {
            cmap = Some(Arc::new(t));
        }
        let matrix = match dict.get(b"FontMatrix").and_then(Object::as_array) {
            Ok(m) if subtype == b"Type3" => m.iter().map(|o| num(o).unwrap_or(0.0)).collect(),
            _ => Vec::new(),
        };
        let scale = matrix.first().copied().unwrap_or(0.001);
        let em = match (&table, matrix.get(3)) {
            (Some(t), Some(d)) => type3_em(t, &widths, d.abs()),
            _ => 1.0,
        };
        Ok(Font {
            cmap,
            charset,
            vertical: type0 && (encoding.ends_with("-V") || encoding == "V"),
            table,
            code_len: if type0 { 2 } else { 1 },
            identity: type0 && encoding.starts_with("Identity"),
            widths,
            scale,
            em,
        })
    }
}

/// The text of a composite font without a ToUnicode map: its codes are
/// UTF-16 under a predefined Unicode encoding, or (`Identity-H`/`-V`) CIDs
/// of an Adobe character collection ([`cjk::collection`]: the table wins,
/// as in pdf.js) or whose glyphs the embedded TrueType font maps to
/// characters. `guess`: CIDs of no known collection are read as Unicode
/// (poppler's last resort).
fn composite_map(
    doc: &Document,
    encoding: &str,
    cid_font: Option<&Dictionary>,
    guess: bool,
    budget: &mut u64,
    cap: u64,
) -> Result<Option<Arc<CMap>>, ExtractError> {
    if encoding.starts_with("Uni") && (encoding.contains("UCS2") || encoding.contains("UTF16")) {
        return Ok(Some(Arc::new(CMap::utf16_codes())));
    }
    if !encoding.starts_with("Identity-") {
        return Ok(None);
    }
    let ordering = cid_font
        .and_then(|cf| cf.get_deref(b"CIDSystemInfo", doc).ok())
        .and_then(|i| i.as_dict().ok())
        .and_then(|i| i.get_deref(b"Ordering", doc).ok())
        .and_then(|o| o.as_str().ok());
    if let Some(map) = ordering.and_then(cjk::collection) {
        return Ok(Some(map));
    }
    // Poppler's last resort for the Adobe-Identity and -UCS collections:
    // CIDs are Unicode (fonts not embedded, or embedded without a `cmap`).
    let identity = match ordering {
        None | Some(b"Identity" | b"UCS") if guess => Some(Arc::new(CMap::utf16_codes())),
        _ => None,
    };
    let Some(cf) = cid_font else {
        return Ok(identity);
    };
    let file = cf
        .get_deref(b"FontDescriptor", doc)
        .and_then(Object::as_dict)
        .and_then(|d| d.get_deref(b"FontFile2", doc))
        .and_then(Object::as_stream);
    let Ok(file) = file else {
        return Ok(identity);
    };
    let Some(data) = decode(doc, file, budget, cap)? else {
        return Ok(identity);
    };
    let chars = truetype::glyph_chars(&data);
    if chars.is_empty() {
        return Ok(identity);
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
    Ok(Some(Arc::new(map)))
}

/// The size of a Type 3 font's letters for a font size of 1: its glyph
/// space is the font's own, so the size is guessed from a letter's width as
/// poppler does (an `m` is 0.6 em wide, another letter or any glyph 0.5),
/// with `height` the matrix's vertical scale.
fn type3_em(table: &[String], widths: &Widths, height: f64) -> f64 {
    let width = |pick: &dyn Fn(&str) -> bool| {
        (0..256u32)
            .filter(|c| pick(&table[*c as usize]) && widths.given(*c))
            .map(|c| widths.of(c))
            .next()
    };
    let one_letter = |t: &str| t.len() == 1 && t.as_bytes()[0].is_ascii_alphabetic();
    let guess = match width(&|t| t == "m") {
        Some(w) => w / 0.6,
        None => match width(&one_letter).or_else(|| width(&|_| true)) {
            Some(w) => w / 0.5,
            None => return 1.0,
        },
    };
    let em = guess * height;
    if em.is_finite() && em > 0.0 {
        em
    } else {
        1.0
    }
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

/// Byte → text of a simple font: its base encoding (or the font program's
/// own, `builtin`) with `Differences`.
fn byte_table(doc: &Document, font: &Dictionary, builtin: &[(u8, String)]) -> Vec<String> {
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
    for (code, text) in builtin {
        table[usize::from(*code)].clone_from(text);
    }
    let mut code = 0usize;
    for d in diffs.into_iter().flatten() {
        match d {
            Object::Integer(i) => code = (*i).clamp(0, 256) as usize,
            Object::Name(n) => {
                if let (Some(slot), Some(t)) = (table.get_mut(code), glyphs::text(n)) {
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
