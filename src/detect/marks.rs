//! Where the structural detectors should look: the positions of capital
//! letters (names) or digits (postal codes) in a text, found 16 bytes at a
//! time. Most of a text is neither, and skipping it fast is what keeps the
//! name and address detectors cheap next to the regex pass.

/// Which bytes to mark.
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
    which: Which,
}

/// The marked positions of `b[from..to]`.
pub fn marks(b: &[u8], from: usize, to: usize, which: Which) -> Marks<'_> {
    Marks {
        b,
        next_block: from,
        end: to.min(b.len()),
        base: from,
        mask: 0,
        which,
    }
}

impl Iterator for Marks<'_> {
    type Item = usize;

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
            self.mask = if n == 16 {
                let mut block = [0u8; 16];
                block.copy_from_slice(&self.b[self.base..self.base + 16]);
                block_mask(&block, self.which)
            } else {
                scalar_mask(&self.b[self.base..self.base + n], self.which)
            };
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

fn scalar_mask(bytes: &[u8], which: Which) -> u32 {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, c)| is_marked(**c, which))
        .fold(0, |m, (i, _)| m | (1 << i))
}

#[cfg(target_arch = "x86_64")]
fn block_mask(block: &[u8; 16], which: Which) -> u32 {
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
        let m = match which {
            Which::Capitals => {
                let c3 = _mm_cmpeq_epi8(v, _mm_set1_epi8(0xC3u8 as i8));
                let c5 = _mm_cmpeq_epi8(v, _mm_set1_epi8(0xC5u8 as i8));
                _mm_or_si128(in_range(0x41, 25), _mm_or_si128(c3, c5))
            }
            Which::Digits => in_range(0x30, 9),
        };
        _mm_movemask_epi8(m) as u32
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn block_mask(block: &[u8; 16], which: Which) -> u32 {
    scalar_mask(block, which)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_scalar() {
        let text: Vec<u8> = (0u8..=255)
            .chain(b"Jean DUPONT 75002 Paris \xc3\x89lodie".iter().copied())
            .collect();
        for which in [Which::Capitals, Which::Digits] {
            for from in 0..20 {
                let got: Vec<usize> = marks(&text, from, text.len(), which).collect();
                let want: Vec<usize> = (from..text.len())
                    .filter(|&i| is_marked(text[i], which))
                    .collect();
                assert_eq!(got, want);
            }
        }
    }
}
