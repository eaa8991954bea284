//! ToUnicode CMaps: code-space ranges, `bfchar` and `bfrange` mappings.

use super::lexer::{Lexer, Operand};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A ToUnicode CMap: code-space ranges and mappings (ranges kept as ranges).
#[derive(Default)]
pub(super) struct CMap {
    /// (length, low bytes, high bytes).
    spaces: Vec<(usize, [u8; 4], [u8; 4])>,
    /// (length, first code) → (last code, target).
    map: BTreeMap<(usize, u32), (u32, Target)>,
    /// Where codes this map leaves out are looked up (a composite font's
    /// character collection or font program: ToUnicode maps are often
    /// partial, and poppler and pdf.js fill them so).
    fallback: Option<Arc<CMap>>,
}

enum Target {
    /// UTF-16BE of the first code; the last unit is incremented along the range.
    Base(Vec<u16>),
    /// One destination per code.
    List(Vec<Vec<u16>>),
}

impl CMap {
    /// Parses the CMap syntax (`bfchar`, `bfrange`, `codespacerange`).
    pub(super) fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut lex = Lexer::new(data);
        let mut ops = Vec::new();
        let mut section: &[u8] = b"";
        let mut pending: Vec<Operand> = Vec::new();
        while let Some(op) = lex.operation(&mut ops) {
            if op.starts_with(b"begin") {
                section = op;
                pending.clear();
                continue;
            }
            if !op.starts_with(b"end") {
                continue;
            }
            // Operands of a section come before its `end…` operator.
            pending.append(&mut ops);
            match section {
                b"begincodespacerange" => {
                    for pair in pending.chunks_exact(2) {
                        if let [Operand::Str(lo), Operand::Str(hi)] = pair {
                            if (1..=4).contains(&lo.len()) && lo.len() == hi.len() {
                                let (mut l, mut h) = ([0; 4], [0; 4]);
                                l[..lo.len()].copy_from_slice(lo);
                                h[..hi.len()].copy_from_slice(hi);
                                cmap.spaces.push((lo.len(), l, h));
                            }
                        }
                    }
                }
                b"beginbfchar" => {
                    for pair in pending.chunks_exact(2) {
                        if let [Operand::Str(src), Operand::Str(dst)] = pair {
                            cmap.put(src, src, Target::Base(utf16(dst)));
                        }
                    }
                }
                b"beginbfrange" => {
                    for triple in pending.chunks_exact(3) {
                        match triple {
                            [Operand::Str(lo), Operand::Str(hi), Operand::Str(dst)] => {
                                cmap.put(lo, hi, Target::Base(utf16(dst)));
                            }
                            [Operand::Str(lo), Operand::Str(hi), Operand::Array(list)] => {
                                let list = list
                                    .iter()
                                    .map(|o| match o {
                                        Operand::Str(s) => utf16(s),
                                        _ => Vec::new(),
                                    })
                                    .collect();
                                cmap.put(lo, hi, Target::List(list));
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
            pending.clear();
            section = b"";
        }
        cmap
    }

    /// The map of a predefined Unicode encoding (`UniJIS-UCS2-H`, `UniGB-UTF16-H`…):
    /// each two-byte code is its own UTF-16 unit.
    pub(super) fn utf16_codes() -> CMap {
        let mut cmap = CMap::default();
        cmap.put(&[0, 0], &[0xFF, 0xFF], Target::Base(vec![0]));
        cmap
    }

    /// A map of two-byte codes to characters.
    pub(super) fn from_chars(pairs: impl IntoIterator<Item = (u16, char)>) -> CMap {
        let mut cmap = CMap::default();
        for (code, c) in pairs {
            let mut buf = [0u16; 2];
            let units = c.encode_utf16(&mut buf).to_vec();
            let code = code.to_be_bytes();
            cmap.put(&code, &code, Target::Base(units));
        }
        cmap
    }

    /// Maps the codes `lo..=hi` from the UTF-16BE text `dst` on.
    pub(super) fn put_bytes(&mut self, lo: &[u8], hi: &[u8], dst: &[u8]) {
        self.put(lo, hi, Target::Base(utf16(dst)));
    }

    fn put(&mut self, lo: &[u8], hi: &[u8], target: Target) {
        if !(1..=4).contains(&lo.len()) || lo.len() != hi.len() {
            return;
        }
        let (lo_code, hi_code) = (code_of(lo), code_of(hi));
        if lo_code <= hi_code {
            self.map.insert((lo.len(), lo_code), (hi_code, target));
        }
    }

    /// No code is mapped (a ToUnicode map with only its code space).
    pub(super) fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Codes this map leaves out are looked up in `other`.
    pub(super) fn with_fallback(mut self, other: Option<Arc<CMap>>) -> CMap {
        self.fallback = other;
        self
    }

    /// The length of the code starting `bytes`, per the code-space ranges.
    pub(super) fn code_len(&self, bytes: &[u8], default: usize) -> usize {
        self.spaces
            .iter()
            .find(|(n, lo, hi)| {
                bytes.len() >= *n && (0..*n).all(|k| lo[k] <= bytes[k] && bytes[k] <= hi[k])
            })
            .map_or(default, |s| s.0)
    }

    /// Appends the text of one code.
    pub(super) fn push(&self, len: usize, code: u32, out: &mut String) -> bool {
        // A code is also looked up by value under the other key lengths: a
        // simple font's one-byte codes often sit in a map keyed `<0041>`
        // (and the reverse), which poppler and pdf.js read the same way.
        std::iter::once(len)
            .chain((1..=4).filter(|l| *l != len && (*l == 4 || code < 1 << (8 * l))))
            .any(|l| self.push_exact(l, code, out))
            || self
                .fallback
                .as_ref()
                .is_some_and(|f| f.push(len, code, out))
    }

    /// Appends the text of one code of length `len` exactly.
    fn push_exact(&self, len: usize, code: u32, out: &mut String) -> bool {
        let Some((&(l, first), (last, target))) = self.map.range(..=(len, code)).next_back() else {
            return false;
        };
        if l != len || code > *last {
            return false;
        }
        let off = code - first;
        let units: Cow<'_, [u16]> = match target {
            Target::Base(base) => {
                let mut v = base.clone();
                if let Some(l) = v.last_mut() {
                    *l = l.wrapping_add(off as u16);
                }
                Cow::Owned(v)
            }
            Target::List(list) => match list.get(off as usize) {
                Some(v) => Cow::Borrowed(v.as_slice()),
                None => return false,
            },
        };
        out.extend(char::decode_utf16(units.iter().copied()).map(|c| c.unwrap_or('\u{FFFD}')));
        true
    }
}

pub(super) fn code_of(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |a, b| a << 8 | u32::from(*b))
}

fn utf16(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmap_ranges_and_lists() {
        let c = CMap::parse(
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange \
              2 beginbfchar <0003> <0020> <0004> <00660069> endbfchar \
              1 beginbfrange <0010> <0012> <00E9> endbfrange \
              1 beginbfrange <0020> <0021> [<0041> <0042>] endbfrange",
        );
        let mut s = String::new();
        for code in [0x10, 0x11, 3, 4, 0x21] {
            assert!(c.push(2, code, &mut s));
        }
        assert_eq!(s, "éê fiB");
        assert!(!c.push(2, 0x13, &mut s));
        // A one-byte code found in a map of two-byte keys, by its value.
        assert!(c.push(1, 0x10, &mut s));
        assert!(s.ends_with('é'));
        assert_eq!(c.code_len(&[0, 1], 1), 2);
        // Codes the map leaves out come from its fallback.
        let c = c.with_fallback(Some(Arc::new(CMap::utf16_codes())));
        assert!(c.push(2, 0x4E2D, &mut s));
        assert!(s.ends_with('中'));
        assert!(CMap::parse(b"1 begincodespacerange <00> <FF> endcodespacerange").is_empty());
    }
}
