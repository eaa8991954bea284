//! The picture of a scanned page: a page without text whose resources hold
//! an image is a scan, and its largest image is handed to OCR in a form the
//! engine reads: a JPEG (`DCTDecode`) or JPEG 2000 (`JPXDecode`) as stored,
//! CCITT fax data wrapped in a one-strip TIFF header, raw or Flate samples
//! (8-bit grey or RGB, 1-bit) as a PNM. JBIG2 and other encodings are
//! reported as not covered.
//!
//! The images looked at are the page's image XObjects (and those of the
//! forms it draws, one level down) and its inline images (`BI … ID … EI`,
//! the largest kept while the page is read: [`keep_inline`]). A page with
//! a thin text layer (fewer than [`THIN_TEXT`] letters and digits: a
//! scanner's header, a stamp over a scanned body) is a scan too when its
//! largest image is a page's worth ([`SCAN_SIDE`] pixels or more on each
//! side): with `--ocr` that image is read besides its text.

use super::lexer::Operand;
use super::page::inherited;
use super::stream::decode;
use crate::extract::ExtractError;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// The image of a scanned page.
pub(super) enum Scan {
    /// An image file the OCR engine reads.
    Image(Vec<u8>),
    /// An image in an encoding not handed to OCR (its name).
    Unsupported(&'static str),
}

/// Filters that encode pictures (the rest only compress bytes).
const IMAGE_CODECS: &[&[u8]] = &[
    b"DCTDecode",
    b"DCT",
    b"JPXDecode",
    b"CCITTFaxDecode",
    b"CCF",
    b"JBIG2Decode",
    b"RunLengthDecode",
    b"RL",
];

/// Images of the page's resources, and of the forms it draws, one level down.
fn images<'d>(
    doc: &'d Document,
    resources: Option<&'d Dictionary>,
    out: &mut Vec<&'d Stream>,
    depth: u8,
) {
    let Some(xobjects) = resources
        .and_then(|r| r.get_deref(b"XObject", doc).ok())
        .and_then(|o| o.as_dict().ok())
    else {
        return;
    };
    for (_, o) in xobjects.iter() {
        let Ok((_, Object::Stream(s))) = doc.dereference(o) else {
            continue;
        };
        match s.dict.get_deref(b"Subtype", doc).and_then(Object::as_name) {
            Ok(b"Image") => out.push(s),
            Ok(b"Form") if depth == 0 => {
                let inner = s
                    .dict
                    .get_deref(b"Resources", doc)
                    .and_then(Object::as_dict)
                    .ok();
                images(doc, inner, out, 1);
            }
            _ => {}
        }
    }
}

fn int(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<i64> {
    d.get_deref(key, doc).ok()?.as_i64().ok()
}

fn boolean(doc: &Document, d: Option<&Dictionary>, key: &[u8]) -> bool {
    d.and_then(|d| d.get_deref(key, doc).ok())
        .and_then(|o| o.as_bool().ok())
        .unwrap_or(false)
}

/// A page with fewer letters and digits than this in its text layer may
/// be a scan with a header: see [`SCAN_SIDE`].
pub(super) const THIN_TEXT: usize = 200;

/// On a page with a thin text layer, an image at least this many pixels
/// wide and high (a third of an A4 page at 150 dpi) is a scanned body;
/// smaller ones are logos and signatures.
const SCAN_SIDE: i64 = 600;

/// Whether the page's text is thin ([`THIN_TEXT`]).
pub(super) fn thin(text: &str) -> bool {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .take(THIN_TEXT)
        .count()
        < THIN_TEXT
}

/// An inline image: its dictionary (abbreviations expanded) and data.
pub(super) struct Inline(Stream);

/// Inline image data smaller than this is no scanned page.
const MIN_INLINE: usize = 4096;

/// Keeps in `slot` the inline image of the operands `ops` of `ID` (its
/// dictionary's keys and values) and `data`, when larger than the one
/// kept.
pub(super) fn keep_inline(slot: &mut Option<Inline>, ops: &[Operand], data: &[u8]) {
    if data.len() < MIN_INLINE
        || slot
            .as_ref()
            .is_some_and(|s| s.0.content.len() >= data.len())
    {
        return;
    }
    let full = |n: &[u8]| -> Vec<u8> {
        match n {
            b"W" => b"Width".to_vec(),
            b"H" => b"Height".to_vec(),
            b"BPC" => b"BitsPerComponent".to_vec(),
            b"CS" => b"ColorSpace".to_vec(),
            b"F" => b"Filter".to_vec(),
            b"DP" => b"DecodeParms".to_vec(),
            b"IM" => b"ImageMask".to_vec(),
            b"D" => b"Decode".to_vec(),
            b"G" => b"DeviceGray".to_vec(),
            b"RGB" => b"DeviceRGB".to_vec(),
            b"CMYK" => b"DeviceCMYK".to_vec(),
            b"AHx" => b"ASCIIHexDecode".to_vec(),
            b"A85" => b"ASCII85Decode".to_vec(),
            b"LZW" => b"LZWDecode".to_vec(),
            b"Fl" => b"FlateDecode".to_vec(),
            b"RL" => b"RunLengthDecode".to_vec(),
            b"CCF" => b"CCITTFaxDecode".to_vec(),
            b"DCT" => b"DCTDecode".to_vec(),
            n => n.to_vec(),
        }
    };
    let value = |o: &Operand| -> Option<Object> {
        Some(match o {
            Operand::Num(n) if n.fract() == 0.0 => Object::Integer(*n as i64),
            Operand::Num(n) => Object::Real(*n as f32),
            Operand::Name(n) => Object::Name(full(n)),
            Operand::Array(a) => Object::Array(
                a.iter()
                    .filter_map(|o| match o {
                        Operand::Name(n) => Some(Object::Name(full(n))),
                        Operand::Num(n) => Some(Object::Real(*n as f32)),
                        _ => None,
                    })
                    .collect(),
            ),
            Operand::Str(_) => return None,
            Operand::Bool(b) => Object::Boolean(*b),
            // `DecodeParms`: numbers, names and flags.
            Operand::Dict(items) => Object::Dictionary(
                items
                    .chunks(2)
                    .filter_map(|p| match p {
                        [Operand::Name(k), Operand::Num(n)] => {
                            Some((full(k), Object::Integer(*n as i64)))
                        }
                        [Operand::Name(k), Operand::Bool(b)] => {
                            Some((full(k), Object::Boolean(*b)))
                        }
                        [Operand::Name(k), Operand::Name(n)] => {
                            Some((full(k), Object::Name(full(n))))
                        }
                        _ => None,
                    })
                    .collect(),
            ),
        })
    };
    let mut dict = Dictionary::new();
    dict.set("Subtype", Object::Name(b"Image".to_vec()));
    for pair in ops.chunks(2) {
        if let [Operand::Name(k), v] = pair {
            if let Some(v) = value(v) {
                dict.set(full(k), v);
            }
        }
    }
    *slot = Some(Inline(Stream::new(dict, data.to_vec())));
}

/// The largest image of the page `id` (its image XObjects and `inline`),
/// as OCR input; `None` when it draws none, or, when its text is `thin`
/// but not empty, none of a page's size ([`SCAN_SIDE`]).
pub(super) fn page_image(
    doc: &Document,
    id: ObjectId,
    inline: Option<&Inline>,
    has_text: bool,
    budget: &mut u64,
    cap: u64,
) -> Result<Option<Scan>, ExtractError> {
    let Ok(dict) = doc.get_dictionary(id) else {
        return Ok(None);
    };
    let resources = inherited(doc, dict, b"Resources").and_then(|o| o.as_dict().ok());
    let mut found = Vec::new();
    images(doc, resources, &mut found, 0);
    found.extend(inline.map(|i| &i.0));
    let side = |s: &Stream, key: &[u8]| int(doc, &s.dict, key).unwrap_or(0).max(0);
    let area = |s: &&Stream| side(s, b"Width") * side(s, b"Height");
    let Some(s) = found.into_iter().max_by_key(area) else {
        return Ok(None);
    };
    if has_text && side(s, b"Width").min(side(s, b"Height")) < SCAN_SIDE {
        return Ok(None);
    }
    let (w, h) = (
        int(doc, &s.dict, b"Width").unwrap_or(0),
        int(doc, &s.dict, b"Height").unwrap_or(0),
    );
    if !(1..=100_000).contains(&w) || !(1..=100_000).contains(&h) {
        return Ok(Some(Scan::Unsupported("image of bad size")));
    }
    let (w, h) = (w as u32, h as u32);
    let filters: Vec<Vec<u8>> = match s.dict.get_deref(b"Filter", doc) {
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a
            .iter()
            .filter_map(|o| {
                doc.dereference(o)
                    .ok()?
                    .1
                    .as_name()
                    .ok()
                    .map(<[u8]>::to_vec)
            })
            .collect(),
        _ => Vec::new(),
    };
    let params = match s.dict.get_deref(b"DecodeParms", doc) {
        Ok(Object::Dictionary(d)) => Some(d),
        Ok(Object::Array(a)) => a
            .last()
            .and_then(|o| doc.dereference(o).ok()?.1.as_dict().ok()),
        _ => None,
    };
    // A Decode array [1 0] draws the samples inverted.
    let flipped = match s.dict.get_deref(b"Decode", doc) {
        Ok(Object::Array(a)) => a
            .first()
            .and_then(|o| o.as_float().ok())
            .is_some_and(|v| v > 0.5),
        _ => false,
    };
    let names: Vec<&[u8]> = filters.iter().map(Vec::as_slice).collect();
    Ok(Some(match names.as_slice() {
        [b"DCTDecode" | b"DCT"] => Scan::Image(s.content.clone()),
        [b"JPXDecode"] => Scan::Image(s.content.clone()),
        [b"CCITTFaxDecode" | b"CCF"] => {
            let k = params.and_then(|p| int(doc, p, b"K")).unwrap_or(0);
            let columns = params
                .and_then(|p| int(doc, p, b"Columns"))
                .map_or(w, |c| c.clamp(1, 100_000) as u32);
            let rows = params
                .and_then(|p| int(doc, p, b"Rows"))
                .map_or(h, |r| r.clamp(1, 100_000) as u32);
            let inverted = boolean(doc, params, b"BlackIs1") != flipped;
            let aligned = boolean(doc, params, b"EncodedByteAlign");
            Scan::Image(ccitt_tiff(&s.content, columns, rows, k, inverted, aligned))
        }
        [.., b"JBIG2Decode"] => Scan::Unsupported("JBIG2"),
        // Samples behind general filters (Flate, ASCII85, LZW…).
        f if !f.iter().any(|n| IMAGE_CODECS.contains(n)) => match decode(doc, s, budget, cap)? {
            Some(samples) => pnm(doc, &s.dict, w, h, &samples, flipped)
                .map_or(Scan::Unsupported("image colour space"), Scan::Image),
            None => Scan::Unsupported("damaged image"),
        },
        _ => Scan::Unsupported("image encoding"),
    }))
}

/// Raw samples as a PNM file: 8-bit grey (P5) or RGB (P6), or 1-bit (P4,
/// where 1 is black: PDF's grey has 0 black).
fn pnm(
    doc: &Document,
    d: &Dictionary,
    w: u32,
    h: u32,
    samples: &[u8],
    flipped: bool,
) -> Option<Vec<u8>> {
    let mask = d
        .get_deref(b"ImageMask", doc)
        .and_then(Object::as_bool)
        .unwrap_or(false);
    let bits = if mask {
        1
    } else {
        int(doc, d, b"BitsPerComponent").unwrap_or(8)
    };
    let components = if mask {
        1
    } else {
        match d.get_deref(b"ColorSpace", doc).ok()? {
            Object::Name(n) if n == b"DeviceGray" || n == b"CalGray" || n == b"G" => 1,
            Object::Name(n) if n == b"DeviceRGB" || n == b"CalRGB" || n == b"RGB" => 3,
            Object::Array(a) => {
                let icc = a
                    .get(1)
                    .and_then(|o| doc.dereference(o).ok())
                    .and_then(|(_, o)| o.as_stream().ok());
                match (a.first().and_then(|o| o.as_name().ok()), icc) {
                    (Some(b"ICCBased"), Some(s)) => int(doc, &s.dict, b"N")?,
                    _ => return None,
                }
            }
            _ => return None,
        }
    };
    let (w64, h64) = (u64::from(w), u64::from(h));
    let (magic, row, max) = match (bits, components) {
        (1, 1) => ("P4", w64.div_ceil(8), ""),
        (8, 1) => ("P5", w64, " 255"),
        (8, 3) => ("P6", w64 * 3, " 255"),
        _ => return None,
    };
    let size = usize::try_from(row * h64).ok()?;
    let body = samples.get(..size)?;
    let mut out = format!("{magic}\n{w} {h}{max}\n").into_bytes();
    out.reserve(size);
    if bits == 1 {
        // PBM's 1 is black, PDF's 0 (unless its Decode array inverts it).
        out.extend(body.iter().map(|b| if flipped { *b } else { !b }));
    } else {
        out.extend_from_slice(body);
    }
    Some(out)
}

/// CCITT fax data (`K` < 0: group 4, else group 3) of `w` × `h` pixels as
/// a one-strip TIFF file (`inverted`: black runs drawn as 1 bits).
pub(super) fn ccitt_tiff(
    data: &[u8],
    w: u32,
    h: u32,
    k: i64,
    inverted: bool,
    aligned: bool,
) -> Vec<u8> {
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    let options = if k < 0 {
        (293, 0) // T6Options
    } else {
        (292, u32::from(k > 0) | if aligned { 4 } else { 0 }) // T4Options
    };
    let mut entries: Vec<(u16, u16, u32)> = vec![
        (256, LONG, w),
        (257, LONG, h),
        (258, SHORT, 1),
        (259, SHORT, if k < 0 { 4 } else { 3 }),
        (262, SHORT, u32::from(inverted)),
        (273, LONG, 0), // the strip's offset, set below
        (277, SHORT, 1),
        (278, LONG, h),
        (279, LONG, data.len() as u32),
        (options.0, LONG, options.1),
    ];
    let data_at = 8 + 2 + entries.len() as u32 * 12 + 4;
    entries[5].2 = data_at;
    let mut out = Vec::with_capacity(data_at as usize + data.len());
    out.extend_from_slice(b"II*\0");
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        if kind == SHORT {
            out.extend_from_slice(&(value as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(data);
    out
}
