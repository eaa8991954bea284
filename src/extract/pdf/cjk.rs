//! Chinese, Japanese and Korean text of composite fonts without a ToUnicode
//! map: the predefined CMaps (PDF 32000 §9.7.5.2).
//!
//! - A legacy-charset CMap (`90ms-RKSJ-H`, `EUC-H`, `GBK-EUC-H`,
//!   `B5pc-H`, `KSC-EUC-H`…) gives codes of that charset: they are split
//!   by its lead bytes and decoded with `encoding_rs`.
//! - `Identity-H`/`-V` gives CIDs of the font's character collection
//!   (`/CIDSystemInfo` Adobe-Japan1, -GB1, -CNS1, -Korea1): they become text
//!   through Adobe's CID → UCS-2 tables, vendored from pdf.js's binary
//!   CMaps (`cmaps/`, BSD-3-Clause, see `cmaps/PROVENANCE.md`), read once.

use super::cmap::CMap;
use encoding_rs::Encoding;
use std::sync::{Arc, OnceLock};

/// A legacy charset and the byte ranges of its codes: (length, low, high).
pub(super) struct Charset {
    pub(super) encoding: &'static Encoding,
    pub(super) spaces: &'static [(usize, [u8; 2], [u8; 2])],
    /// 7-bit two-byte codes (JIS X 0208 `H`, `GB-H`, `KSC-H`): the EUC form
    /// is the code with the high bits set.
    pub(super) seven_bit: bool,
}

const SJIS: &[(usize, [u8; 2], [u8; 2])] = &[
    (1, [0x00, 0], [0x80, 0]),
    (1, [0xA0, 0], [0xDF, 0]),
    (1, [0xFD, 0], [0xFF, 0]),
    (2, [0x81, 0x40], [0x9F, 0xFC]),
    (2, [0xE0, 0x40], [0xFC, 0xFC]),
];
const EUC_JP: &[(usize, [u8; 2], [u8; 2])] = &[
    (1, [0x00, 0], [0x80, 0]),
    (2, [0x8E, 0xA0], [0x8E, 0xDF]),
    (2, [0xA1, 0xA1], [0xFE, 0xFE]),
];
const SEVEN_BIT: &[(usize, [u8; 2], [u8; 2])] = &[(2, [0x21, 0x21], [0x7E, 0x7E])];
const GBK: &[(usize, [u8; 2], [u8; 2])] =
    &[(1, [0x00, 0], [0x80, 0]), (2, [0x81, 0x40], [0xFE, 0xFE])];
const BIG5: &[(usize, [u8; 2], [u8; 2])] =
    &[(1, [0x00, 0], [0x80, 0]), (2, [0x81, 0x40], [0xFE, 0xFE])];
const EUC_KR: &[(usize, [u8; 2], [u8; 2])] =
    &[(1, [0x00, 0], [0x80, 0]), (2, [0x81, 0x41], [0xFE, 0xFE])];

/// The charset of a predefined CMap named `name` (`-H`/`-V` stripped).
pub(super) fn charset(name: &str) -> Option<Charset> {
    // `H` and `V` themselves are JIS X 0208 in 7 bits.
    let base = match name {
        "H" | "V" => "",
        _ => name
            .strip_suffix("-H")
            .or_else(|| name.strip_suffix("-V"))?,
    };
    let (encoding, spaces, seven_bit) = if base.ends_with("RKSJ") {
        (encoding_rs::SHIFT_JIS, SJIS, false)
    } else if matches!(base, "EUC" | "78-EUC" | "Hojo-EUC") {
        (encoding_rs::EUC_JP, EUC_JP, false)
    } else if matches!(base, "" | "78" | "Hojo") {
        (encoding_rs::EUC_JP, SEVEN_BIT, true)
    } else if base.starts_with("GB") && base != "GB" {
        (encoding_rs::GBK, GBK, false)
    } else if base == "GB" {
        (encoding_rs::GBK, SEVEN_BIT, true)
    } else if base.contains("B5") {
        (encoding_rs::BIG5, BIG5, false)
    } else if base.starts_with("KSC") && base != "KSC" {
        (encoding_rs::EUC_KR, EUC_KR, false)
    } else if base == "KSC" {
        (encoding_rs::EUC_KR, SEVEN_BIT, true)
    } else {
        return None;
    };
    Some(Charset {
        encoding,
        spaces,
        seven_bit,
    })
}

impl Charset {
    /// The length of the code that starts `bytes`.
    pub(super) fn code_len(&self, bytes: &[u8]) -> usize {
        self.spaces
            .iter()
            .find(|(n, lo, hi)| {
                bytes.len() >= *n && (0..*n).all(|k| lo[k] <= bytes[k] && bytes[k] <= hi[k])
            })
            .map_or(1, |s| s.0)
    }

    /// Appends the text of one code (false when the charset has none).
    pub(super) fn push(&self, code: &[u8], out: &mut String) -> bool {
        let buf: [u8; 2];
        let bytes = match (self.seven_bit, code) {
            (true, [a, b]) => {
                buf = [a | 0x80, b | 0x80];
                &buf[..]
            }
            _ => code,
        };
        match self
            .encoding
            .decode_without_bom_handling_and_without_replacement(bytes)
        {
            Some(text) if !text.is_empty() => {
                out.push_str(&text);
                true
            }
            _ => false,
        }
    }
}

/// The vendored CID → UCS-2 table of a character collection (`Japan1`…).
pub(super) fn collection(ordering: &[u8]) -> Option<Arc<CMap>> {
    static MAPS: [OnceLock<Arc<CMap>>; 4] = [const { OnceLock::new() }; 4];
    let (slot, data): (usize, &'static [u8]) = match ordering {
        b"Japan1" => (0, include_bytes!("cmaps/Adobe-Japan1-UCS2.bcmap")),
        b"GB1" => (1, include_bytes!("cmaps/Adobe-GB1-UCS2.bcmap")),
        b"CNS1" => (2, include_bytes!("cmaps/Adobe-CNS1-UCS2.bcmap")),
        b"Korea1" => (3, include_bytes!("cmaps/Adobe-Korea1-UCS2.bcmap")),
        _ => return None,
    };
    Some(
        MAPS[slot]
            .get_or_init(|| Arc::new(read_bcmap(data)))
            .clone(),
    )
}

/// Reads pdf.js's binary CMap format (its `BinaryCMapReader`): records of
/// code-space ranges, undefined ranges, CID and Unicode mappings, numbers in
/// 7-bit groups, each code given as the difference from the previous one.
/// Only the Unicode mappings are kept; a damaged table ends the reading.
fn read_bcmap(data: &[u8]) -> CMap {
    let mut cmap = CMap::default();
    let mut r = Bin { data, pos: 1 }; // the header byte: vertical or not
    let _ = r.records(&mut cmap);
    cmap
}

/// Bytes of a number at most (pdf.js's `MAX_NUM_SIZE`).
const NUM: usize = 16;

struct Bin<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Bin<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn number(&mut self) -> Option<u32> {
        let mut n = 0u32;
        loop {
            let b = self.byte()?;
            n = n.checked_mul(128)? | u32::from(b & 0x7F);
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
    }

    fn signed(&mut self) -> Option<i64> {
        let n = i64::from(self.number()?);
        Some(if n & 1 == 1 { !(n >> 1) } else { n >> 1 })
    }

    /// `size + 1` raw bytes.
    fn hex(&mut self, out: &mut [u8; NUM], size: usize) -> Option<()> {
        let b = self.data.get(self.pos..self.pos + size + 1)?;
        out[..=size].copy_from_slice(b);
        self.pos += size + 1;
        Some(())
    }

    /// A `size + 1`-byte number written in 7-bit groups.
    fn hex_number(&mut self, out: &mut [u8; NUM], size: usize) -> Option<()> {
        let mut stack = Vec::new();
        loop {
            let b = self.byte()?;
            stack.push(b & 0x7F);
            if b & 0x80 == 0 || stack.len() > NUM + 3 {
                break;
            }
        }
        let (mut buffer, mut bits) = (0u32, 0u32);
        for i in (0..=size).rev() {
            while bits < 8 {
                buffer |= u32::from(stack.pop().unwrap_or(0)) << bits;
                bits += 7;
            }
            out[i] = buffer as u8;
            buffer >>= 8;
            bits -= 8;
        }
        Some(())
    }

    fn hex_signed(&mut self, out: &mut [u8; NUM], size: usize) -> Option<()> {
        self.hex_number(out, size)?;
        let sign = if out[size] & 1 == 1 { 0xFF } else { 0 };
        let mut c = 0u32;
        for b in out.iter_mut().take(size + 1) {
            c = (c & 1) << 8 | u32::from(*b);
            *b = (c >> 1) as u8 ^ sign;
        }
        Some(())
    }

    fn skip_string(&mut self) -> Option<()> {
        for _ in 0..self.number()? {
            self.number()?;
        }
        Some(())
    }

    fn records(&mut self, cmap: &mut CMap) -> Option<()> {
        let (mut start, mut end, mut tmp, mut dst) =
            ([0u8; NUM], [0u8; NUM], [0u8; NUM], [0u8; NUM]);
        while let Some(b) = self.byte() {
            let kind = b >> 5;
            if kind == 7 {
                // A comment or `usecmap` name (the UCS-2 tables use none).
                self.skip_string()?;
                continue;
            }
            let sequence = b & 0x10 != 0;
            let size = usize::from(b & 0x0F);
            if size + 1 > NUM {
                return None;
            }
            let items = self.number()?;
            match kind {
                // Code-space and undefined ranges: nothing to keep.
                0 | 1 => {
                    self.hex(&mut start, size)?;
                    self.hex_number(&mut end, size)?;
                    if kind == 1 {
                        self.number()?;
                    }
                    for _ in 1..items {
                        self.hex_number(&mut start, size)?;
                        self.hex_number(&mut end, size)?;
                        if kind == 1 {
                            self.number()?;
                        }
                    }
                }
                // CID mappings (encoding CMaps, not vendored): skipped.
                2 => {
                    self.hex(&mut start, size)?;
                    self.number()?;
                    for _ in 1..items {
                        if !sequence {
                            self.hex_number(&mut tmp, size)?;
                        }
                        self.signed()?;
                    }
                }
                3 => {
                    self.hex(&mut start, size)?;
                    self.hex_number(&mut end, size)?;
                    self.number()?;
                    for _ in 1..items {
                        if !sequence {
                            self.hex_number(&mut start, size)?;
                        }
                        self.hex_number(&mut end, size)?;
                        self.number()?;
                    }
                }
                // bfchar: two-byte source codes, `size + 1`-byte UTF-16BE text.
                4 => {
                    self.hex(&mut start, 1)?;
                    self.hex(&mut dst, size)?;
                    cmap.put_bytes(&start[..2], &start[..2], &dst[..=size]);
                    for _ in 1..items {
                        inc(&mut start, 1);
                        if !sequence {
                            self.hex_number(&mut tmp, 1)?;
                            add(&mut start, &tmp, 1);
                        }
                        inc(&mut dst, size);
                        self.hex_signed(&mut tmp, size)?;
                        add(&mut dst, &tmp, size);
                        cmap.put_bytes(&start[..2], &start[..2], &dst[..=size]);
                    }
                }
                // bfrange: a range of source codes from a first text.
                5 => {
                    self.hex(&mut start, 1)?;
                    self.hex_number(&mut end, 1)?;
                    add(&mut end, &start, 1);
                    self.hex(&mut dst, size)?;
                    cmap.put_bytes(&start[..2], &end[..2], &dst[..=size]);
                    for _ in 1..items {
                        inc(&mut end, 1);
                        if !sequence {
                            self.hex_number(&mut start, 1)?;
                            add(&mut start, &end, 1);
                        } else {
                            start = end;
                        }
                        self.hex_number(&mut end, 1)?;
                        add(&mut end, &start, 1);
                        self.hex(&mut dst, size)?;
                        cmap.put_bytes(&start[..2], &end[..2], &dst[..=size]);
                    }
                }
                _ => return None,
            }
        }
        Some(())
    }
}

/// `a += b` over `size + 1` big-endian bytes.
fn add(a: &mut [u8; NUM], b: &[u8; NUM], size: usize) {
    let mut c = 0u32;
    for i in (0..=size).rev() {
        c += u32::from(a[i]) + u32::from(b[i]);
        a[i] = c as u8;
        c >>= 8;
    }
}

/// `a += 1` over `size + 1` big-endian bytes.
fn inc(a: &mut [u8; NUM], size: usize) {
    let mut c = 1u32;
    for i in (0..=size).rev() {
        if c == 0 {
            break;
        }
        c += u32::from(a[i]);
        a[i] = c as u8;
        c >>= 8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collections_map_cids_to_text() {
        let mut s = String::new();
        // Adobe-Japan1 CID 843 is あ, CID 34 is A; Adobe-GB1 CID 34 is A too.
        let japan = collection(b"Japan1").unwrap();
        assert!(japan.push(2, 843, &mut s));
        assert!(japan.push(2, 34, &mut s));
        assert!(collection(b"Korea1").unwrap().push(2, 34, &mut s));
        assert_eq!(s, "あAA");
        assert!(collection(b"Other").is_none());
    }

    #[test]
    fn legacy_charsets() {
        let sjis = charset("90ms-RKSJ-H").unwrap();
        assert_eq!(sjis.code_len(&[0x82, 0xA0]), 2);
        assert_eq!(sjis.code_len(b"A"), 1);
        let mut s = String::new();
        assert!(sjis.push(&[0x82, 0xA0], &mut s));
        let jis = charset("H").unwrap();
        assert!(jis.push(&[0x24, 0x22], &mut s));
        assert!(charset("GBK-EUC-H").unwrap().push(&[0xC4, 0xE3], &mut s));
        assert_eq!(s, "ああ你");
        assert!(charset("Identity-H").is_none());
    }
}
