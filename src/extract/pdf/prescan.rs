//! Before lopdf: what it would inflate or recurse into while loading
//! (structural streams, nesting), checked with caps.

use super::stream::inflater;
use super::{corrupt, too_big, MAX_NESTING};
use crate::extract::ExtractError;
use std::io::Read;

/// The most bytes one encoded byte decodes to: 1032 for deflate, 4096 for
/// LZW (a 9-bit code for a string of up to 4096 bytes: over-counted), 4
/// for ASCII85 (`z`: four zero bytes).
const FLATE_RATIO: u64 = 1032;
const LZW_RATIO: u64 = 4096;
const A85_RATIO: u64 = 4;

/// Checks what lopdf would expand or recurse into while loading: object and
/// cross-reference streams (inflated without limit) must stay under `cap`
/// bytes, and arrays/dictionaries (parsed recursively, with a large stack
/// frame per level) under [`MAX_NESTING`] levels, in the object syntax
/// (stream bodies skipped) and in object streams. Streams that cannot be
/// inflated here (encrypted ones, which lopdf inflates after decrypting them,
/// or under LZW or ASCII85) are counted at the most their filters can
/// expand to: `Ok(false)` when that may pass the cap (lopdf must not load
/// the file as it is).
pub(super) fn prescan(data: &[u8], cap: u64) -> Result<bool, ExtractError> {
    let mut nesting = Nesting::default();
    let mut left = cap;
    let mut unmeasured = 0u64;
    // Looked up once, when a stream does not inflate (a search from the end
    // of the whole file).
    let mut encrypted = None;
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
        let count = |name: &[u8]| memchr::memmem::find_iter(dict, name).count() as u32;
        let layers = count(b"FlateDecode");
        let (short, lzw, a85) = (
            count(b"/Fl"),
            count(b"LZW"),
            count(b"A85") + count(b"ASCII85"),
        );
        if !structural || short + lzw == 0 {
            continue;
        }
        let mut inflated = 0u64;
        if lzw + a85 == 0 && short == layers {
            let mut r = inflater(&data[body..], layers as usize);
            let mut buf = vec![0u8; 64 << 10];
            let mut inner = Nesting::default();
            loop {
                let n = match r.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                inflated += n as u64;
                left = left.checked_sub(n as u64).ok_or_else(|| too_big(cap))?;
                inner.feed(&buf[..n])?;
            }
        }
        // A Flate stream that does not inflate here is damaged (lopdf fails
        // on it too) unless the file is encrypted.
        if inflated == 0
            && (lzw + a85 > 0
                || *encrypted.get_or_insert_with(|| super::repair::encrypt_ref(data).is_some()))
        {
            let most = FLATE_RATIO
                .saturating_pow(short)
                .saturating_mul(LZW_RATIO.saturating_pow(lzw))
                .saturating_mul(A85_RATIO.saturating_pow(a85));
            unmeasured = unmeasured.saturating_add(((cursor - body) as u64).saturating_mul(most));
        }
    }
    nesting.feed(&data[cursor.min(data.len())..])?;
    Ok(unmeasured <= left)
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
