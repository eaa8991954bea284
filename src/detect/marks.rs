//! Where the structural detectors should look: the positions where a word
//! starts with a capital letter (names) or a digit (postal codes), found 16
//! bytes at a time. Most of a text is neither, and skipping it fast is what
//! keeps the name and address detectors cheap next to the regex pass.

/// Which word starts to mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// `A`..=`Z`, and the lead bytes of Latin capitals (`0xC3` for À-Þ, `0xC5` for Œ).
    Capitals,
    /// `0`..=`9`.
    Digits,
}

/// Iterator over the marked positions of `b[from..to]`, in order.
pub struct Marks<'a> {
    b: &'a [u8],
    next_block: usize,
    end: usize,
    base: usize,
    mask: u32,
    /// The byte before the next block continues a word.
    carry: bool,
    which: Which,
}

/// The positions of `b[from..to]` where a word starts with a `which` byte
/// (the byte before is not a letter, a digit or part of a non-ASCII letter).
pub fn marks(b: &[u8], from: usize, to: usize, which: Which) -> Marks<'_> {
    Marks {
        b,
        next_block: from,
        end: to.min(b.len()),
        base: from,
        mask: 0,
        carry: from > 0 && b.get(from - 1).is_some_and(|&c| is_word(c)),
        which,
    }
}

impl Iterator for Marks<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        loop {
            if self.mask != 0 {
                let i = self.mask.trailing_zeros() as usize;
                self.mask &= self.mask - 1;
                return Some(self.base + i);
            }
            if self.next_block >= self.end {
                return None;
            }
            self.base = self.next_block;
            let n = (self.end - self.base).min(16);
            let (marked, word) = if n == 16 {
                let mut block = [0u8; 16];
                block.copy_from_slice(&self.b[self.base..self.base + 16]);
                block_masks(&block, self.which)
            } else {
                scalar_masks(&self.b[self.base..self.base + n], self.which)
            };
            let prev_word = (word << 1) | u32::from(self.carry);
            self.mask = marked & !prev_word;
            self.carry = word & (1 << (n - 1)) != 0;
            self.next_block = self.base + n;
        }
    }
}

fn is_marked(c: u8, which: Which) -> bool {
    match which {
        Which::Capitals => c.is_ascii_uppercase() || c == 0xC3 || c == 0xC5,
        Which::Digits => c.is_ascii_digit(),
    }
}

/// Letters, digits and any byte of a non-ASCII character.
fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c >= 0x80
}

/// (marked bytes, word bytes) as bit masks.
fn scalar_masks(bytes: &[u8], which: Which) -> (u32, u32) {
    bytes.iter().enumerate().fold((0, 0), |(m, w), (i, &c)| {
        (
            m | (u32::from(is_marked(c, which)) << i),
            w | (u32::from(is_word(c)) << i),
        )
    })
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn block_masks(block: &[u8; 16], which: Which) -> (u32, u32) {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86_64 baseline, so these intrinsics are
    // always available; `_mm_loadu_si128` reads 16 bytes with no alignment
    // requirement, and `block` is exactly 16 bytes.
    unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
        // (v - lo) <= span, unsigned, is lo <= v <= lo + span.
        let in_range = |lo: i8, span: i8| {
            let x = _mm_sub_epi8(v, _mm_set1_epi8(lo));
            _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(span)), x)
        };
        let digit = in_range(0x30, 9);
        let upper = in_range(0x41, 25);
        let lower = in_range(0x61, 25);
        let marked = match which {
            Which::Capitals => {
                let c3 = _mm_cmpeq_epi8(v, _mm_set1_epi8(0xC3u8 as i8));
                let c5 = _mm_cmpeq_epi8(v, _mm_set1_epi8(0xC5u8 as i8));
                _mm_or_si128(upper, _mm_or_si128(c3, c5))
            }
            Which::Digits => digit,
        };
        let ascii_word = _mm_or_si128(digit, _mm_or_si128(upper, lower));
        // Bytes >= 0x80 have their sign bit set: movemask picks them directly.
        let word = _mm_movemask_epi8(ascii_word) as u32 | _mm_movemask_epi8(v) as u32;
        (_mm_movemask_epi8(marked) as u32, word)
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn block_masks(block: &[u8; 16], which: Which) -> (u32, u32) {
    scalar_masks(block, which)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_scalar() {
        let text: Vec<u8> = (0u8..=255)
            .chain(
                b"Jean DUPONT 75002 Paris KHTML x9 \xc3\x89lodie AppleWebKit"
                    .iter()
                    .copied(),
            )
            .collect();
        for which in [Which::Capitals, Which::Digits] {
            for from in 0..20 {
                let got: Vec<usize> = marks(&text, from, text.len(), which).collect();
                let want: Vec<usize> = (from..text.len())
                    .filter(|&i| is_marked(text[i], which) && (i == 0 || !is_word(text[i - 1])))
                    .collect();
                assert_eq!(got, want, "{which:?} from {from}");
            }
        }
    }
}
