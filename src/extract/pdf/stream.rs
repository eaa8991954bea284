//! Stream bodies decoded under the document's decompression cap.

use super::too_big;
use crate::extract::ExtractError;
use flate2::read::{DeflateDecoder, ZlibDecoder};
use lopdf::{Document, Object, Stream};
use std::borrow::Cow;
use std::io::Read;

/// The decoded bytes of a stream, counted against `budget`. A `/Filter` or
/// `/DecodeParms` given by reference (which lopdf does not follow) is
/// resolved first, on a copy of the stream.
pub(super) fn decode<'s>(
    doc: &Document,
    s: &'s Stream,
    budget: &mut u64,
    cap: u64,
) -> Result<Option<Cow<'s, [u8]>>, ExtractError> {
    let indirect = |o: &Object| match o {
        Object::Reference(_) => true,
        Object::Array(a) => a.iter().any(|i| matches!(i, Object::Reference(_))),
        _ => false,
    };
    let keys = [&b"Filter"[..], b"DecodeParms"];
    if !keys.iter().any(|k| s.dict.get(k).is_ok_and(indirect)) {
        return decode_direct(s, budget, cap);
    }
    let mut copy = s.clone();
    for key in keys {
        if let Ok(o) = copy.dict.get(key) {
            let resolved = resolve(doc, o);
            copy.dict.set(key, resolved);
        }
    }
    Ok(decode_direct(&copy, budget, cap)?.map(|d| Cow::Owned(d.into_owned())))
}

/// `o` with a reference, or the references in an array, replaced by their objects.
fn resolve(doc: &Document, o: &Object) -> Object {
    let deref = |o: &Object| doc.dereference(o).map_or(Object::Null, |(_, o)| o.clone());
    match deref(o) {
        Object::Array(a) => Object::Array(a.iter().map(deref).collect()),
        other => other,
    }
}

/// [`decode`] for a stream whose filters are direct objects. Flate chains are
/// inflated here with the cap; other filters (rare in content streams: LZW,
/// ASCII85, predictors) by lopdf, checked afterwards. `None` when the stream
/// cannot be decoded (an image filter, bad data).
fn decode_direct<'s>(
    s: &'s Stream,
    budget: &mut u64,
    cap: u64,
) -> Result<Option<Cow<'s, [u8]>>, ExtractError> {
    let filters = match s.dict.get(b"Filter") {
        Err(_) => return Ok(Some(Cow::Borrowed(&s.content))),
        Ok(_) => s.filters().unwrap_or_default(),
    };
    let flate = |f: &&[u8]| *f == b"FlateDecode" || *f == b"Fl";
    let text = |f: &&&[u8]| matches!(**f, b"ASCIIHexDecode" | b"AHx" | b"ASCII85Decode" | b"A85");
    // ASCII filters (lopdf reads no `ASCIIHexDecode`), then Flate: decoded here.
    let ascii = filters.iter().take_while(text).count();
    let own = !filters.is_empty()
        && filters[ascii..].iter().all(flate)
        && s.dict.get(b"DecodeParms").is_err();
    let out = if own {
        let mut data = Cow::Borrowed(&s.content[..]);
        for f in &filters[..ascii] {
            data = Cow::Owned(match *f {
                b"ASCIIHexDecode" | b"AHx" => ascii_hex(&data),
                _ => ascii85(&data),
            });
        }
        let layers = filters.len() - ascii;
        if layers == 0 {
            data.into_owned()
        } else {
            let mut out = Vec::new();
            let limit = *budget + 1;
            let failed = inflater(&data, layers)
                .take(limit)
                .read_to_end(&mut out)
                .is_err();
            if failed && layers == 1 && data.len() > 2 {
                // A bad zlib header or checksum (which loses the last
                // chunk read): raw deflate, as lopdf and pdf.js do.
                let mut raw = Vec::new();
                let _ = DeflateDecoder::new(&data[2..])
                    .take(limit)
                    .read_to_end(&mut raw);
                if raw.len() > out.len() {
                    out = raw;
                }
            }
            out
        }
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

/// `layers` zlib decoders one inside the other.
pub(super) fn inflater(data: &[u8], layers: usize) -> Box<dyn Read + '_> {
    let mut r: Box<dyn Read> = Box::new(data);
    for _ in 0..layers.min(8) {
        r = Box::new(ZlibDecoder::new(r));
    }
    r
}

/// `ASCIIHexDecode`: hex digit pairs up to `>`, whitespace ignored, an odd
/// last digit followed by 0.
fn ascii_hex(data: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = data
        .iter()
        .take_while(|b| **b != b'>')
        .filter_map(|b| (*b as char).to_digit(16))
        .map(|d| d as u8)
        .collect();
    digits
        .chunks(2)
        .map(|p| p[0] << 4 | p.get(1).copied().unwrap_or(0))
        .collect()
}

/// `ASCII85Decode`: groups of five base-85 digits (`!`..`u`) to four bytes,
/// `z` for four zeros, up to `~>`; a short last group gives fewer bytes.
fn ascii85(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() * 4 / 5);
    let (mut group, mut n) = (0u64, 0);
    for &b in data {
        match b {
            b'~' => break,
            b'z' if n == 0 => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group = group * 85 + u64::from(b - b'!');
                n += 1;
                if n == 5 {
                    out.extend_from_slice(&(group as u32).to_be_bytes());
                    (group, n) = (0, 0);
                }
            }
            _ => {}
        }
    }
    if n > 1 {
        for _ in n..5 {
            group = group * 85 + 84;
        }
        out.extend_from_slice(&(group as u32).to_be_bytes()[..n - 1]);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn ascii_filters() {
        assert_eq!(super::ascii_hex(b"48 65 6C6c6F 2>"), b"Hello ");
        assert_eq!(super::ascii85(b"87cURD]i,\"Ebo7~>"), b"Hello World");
        assert_eq!(super::ascii85(b"z87cURDZ~>"), b"\0\0\0\0Hello");
    }

    #[test]
    fn a_bad_zlib_checksum_loses_nothing() {
        use flate2::{write::ZlibEncoder, Compression};
        use std::io::Write;
        let text: Vec<u8> = (0..20_000u32)
            .flat_map(|i| i.to_string().into_bytes())
            .collect();
        let mut z = ZlibEncoder::new(Vec::new(), Compression::fast());
        z.write_all(&text).unwrap();
        let mut data = z.finish().unwrap();
        let n = data.len();
        data[n - 1] ^= 0xFF; // the Adler-32 checksum
        let mut dict = lopdf::Dictionary::new();
        dict.set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
        let s = lopdf::Stream::new(dict, data);
        let mut budget = 1 << 30;
        let out = super::decode_direct(&s, &mut budget, 1 << 30)
            .unwrap()
            .unwrap();
        assert_eq!(out.as_ref(), &text[..]);
    }
}
