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

/// `layers` zlib decoders one inside the other.
pub(super) fn inflater(data: &[u8], layers: usize) -> Box<dyn Read + '_> {
    let mut r: Box<dyn Read> = Box::new(data);
    for _ in 0..layers.min(8) {
        r = Box::new(ZlibDecoder::new(r));
    }
    r
}
