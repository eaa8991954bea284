//! Where the structural detectors should look: the positions where a word
//! starts with a capital letter (names) or a digit (postal codes), found 16
//! bytes at a time. Most of a text is neither, and skipping it fast is what
//! keeps the name and address detectors cheap next to the regex pass.

// Letters, digits and any byte of a non-ASCII character.
use super::context::is_word_byte as is_word;

/// Which word starts to mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// `A`..=`Z`, and the lead bytes of Latin capitals (`0xC3` for À-Þ, `0xC5` for Œ).
    Capitals,
    /// `0`..=`9`.
    Digits,
    /// Any byte of a word: every word start.
    Words,
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
            // The last block padded with zeros (neither marked nor a word
            // byte): a short text (a cell) is read 16 bytes at once too.
            let mut block = [0u8; 16];
            if n == 16 {
                // A copy of a known size, not a call to `memcpy`.
                block.copy_from_slice(&self.b[self.base..self.base + 16]);
            } else {
                block[..n].copy_from_slice(&self.b[self.base..self.base + n]);
            }
            let (marked, word) = block_masks(&block, self.which);
            let prev_word = (word << 1) | u32::from(self.carry);
            self.mask = marked & !prev_word;
            self.carry = word & (1 << (n - 1)) != 0;
            self.next_block = self.base + n;
        }
    }
}

#[cfg(any(test, not(target_arch = "x86_64")))]
fn is_marked(c: u8, which: Which) -> bool {
    match which {
        Which::Capitals => c.is_ascii_uppercase() || c == 0xC3 || c == 0xC5,
        Which::Digits => c.is_ascii_digit(),
        Which::Words => is_word(c),
    }
}

/// (marked bytes, word bytes) as bit masks.
#[cfg(not(target_arch = "x86_64"))]
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
        let ascii_word = _mm_or_si128(digit, _mm_or_si128(upper, lower));
        // Bytes >= 0x80 have their sign bit set: movemask picks them directly.
        let word = _mm_movemask_epi8(ascii_word) as u32 | _mm_movemask_epi8(v) as u32;
        let marked = match which {
            Which::Capitals => {
                let c3 = _mm_cmpeq_epi8(v, _mm_set1_epi8(0xC3u8 as i8));
                let c5 = _mm_cmpeq_epi8(v, _mm_set1_epi8(0xC5u8 as i8));
                _mm_movemask_epi8(_mm_or_si128(upper, _mm_or_si128(c3, c5))) as u32
            }
            Which::Digits => _mm_movemask_epi8(digit) as u32,
            Which::Words => word,
        };
        (marked, word)
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn block_masks(block: &[u8; 16], which: Which) -> (u32, u32) {
    scalar_masks(block, which)
}

/// The first position at or after `from` of a byte that may start a
/// built-in regex pattern's match or lie at most four bytes after its start
/// (a digit, `+`, `:`), 16 bytes at a time. See `detect::prefilter`.
pub fn next_trigger(b: &[u8], from: usize) -> Option<usize> {
    let mut base = from;
    while base + 16 <= b.len() {
        let mut block = [0u8; 16];
        block.copy_from_slice(&b[base..base + 16]);
        let (digits, _) = block_masks(&block, Which::Digits);
        let m = digits | byte_mask(&block, b'+') | byte_mask(&block, b':');
        if m != 0 {
            return Some(base + m.trailing_zeros() as usize);
        }
        base += 16;
    }
    b.get(base..)?
        .iter()
        .position(|&c| c.is_ascii_digit() || c == b'+' || c == b':')
        .map(|i| base + i)
}

/// The positions of `b[from..to]` where a word of exactly five digits
/// starts and is followed by a space or a tab (the shape of a postal code
/// before its commune, or before the next cell of a row), in order. The
/// five digits and the blank may lie beyond `to`.
/// Blocks with no such shape cost a few SIMD instructions: logs are full of
/// digits, prose has few, postal codes are rare in both.
pub fn postcode_shapes(b: &[u8], from: usize, to: usize) -> PostcodeShapes<'_> {
    PostcodeShapes {
        b,
        next_block: from,
        end: to.min(b.len()),
        base: from,
        mask: 0,
    }
}

/// Iterator of [`postcode_shapes`].
pub struct PostcodeShapes<'a> {
    b: &'a [u8],
    next_block: usize,
    end: usize,
    base: usize,
    mask: u32,
}

impl Iterator for PostcodeShapes<'_> {
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
            self.next_block = self.base + n;
            // The block and the next 16 bytes (a shape may end there), as
            // zeros past the text's end: no digit, space or word byte, so a
            // short text (a cell) goes the same way as a long one.
            let (mut lo, mut hi) = ([0u8; 16], [0u8; 16]);
            if self.base + 32 <= self.b.len() {
                lo.copy_from_slice(&self.b[self.base..self.base + 16]);
                hi.copy_from_slice(&self.b[self.base + 16..self.base + 32]);
            } else {
                let ahead = &self.b[self.base..];
                let k = ahead.len().min(16);
                lo[..k].copy_from_slice(&ahead[..k]);
                hi[..ahead.len() - k].copy_from_slice(&ahead[k..]);
            }
            let (d0, w0) = block_masks(&lo, Which::Digits);
            if d0 == 0 {
                // A shape starts with a digit.
                continue;
            }
            let (d1, w1) = block_masks(&hi, Which::Digits);
            let blank = |block: &[u8; 16]| byte_mask(block, b' ') | byte_mask(block, b'\t');
            let (s0, s1) = (blank(&lo), blank(&hi));
            let d = d0 | d1 << 16;
            let w = w0 | w1 << 16;
            let sp = s0 | s1 << 16;
            let carry = self.base > 0 && is_word(self.b[self.base - 1]);
            let word_before = (w << 1) | u32::from(carry);
            let shape = d & (d >> 1) & (d >> 2) & (d >> 3) & (d >> 4) & (sp >> 5) & !word_before;
            self.mask = shape & ((1u32 << n) - 1);
        }
    }
}

/// The bytes of `block` equal to `byte`, as a bit mask.
#[cfg(target_arch = "x86_64")]
#[inline]
fn byte_mask(block: &[u8; 16], byte: u8) -> u32 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86_64 baseline; the load is unaligned
    // and reads exactly the 16 bytes of `block`.
    unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
        _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(byte as i8))) as u32
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn byte_mask(block: &[u8; 16], byte: u8) -> u32 {
    block
        .iter()
        .enumerate()
        .fold(0, |m, (i, &c)| m | (u32::from(c == byte) << i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_scalar() {
        // Every byte after every byte (word edges and the range ends of
        // each comparison), then text.
        let mut text: Vec<u8> = Vec::new();
        for a in 0u8..=255 {
            text.extend([b' ', a, a, b' ']);
        }
        text.extend((0u8..=255).chain(
            b"Jean DUPONT 75002 Paris KHTML x9 \xc3\x89lodie AppleWebKit Zo\xc3\xa9 @Z [Z `z {Z"
                .iter()
                .copied(),
        ));
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

    #[test]
    fn triggers() {
        let t = b"abcdefghijklmnopqrstuvwxyz abcdefghij+x:y 7 abcdefghijklmnopqrstuvwxyz";
        for from in 0..t.len() + 2 {
            let want = (from..t.len()).find(|&i| matches!(t[i], b'0'..=b'9' | b'+' | b':'));
            assert_eq!(next_trigger(t, from), want, "from {from}");
        }
    }

    /// True when a five-digit word followed by a space starts at `i`.
    fn is_postcode_shape(b: &[u8], i: usize) -> bool {
        (i == 0 || !is_word(b[i - 1]))
            && b.len() >= i + 6
            && b[i..i + 5].iter().all(u8::is_ascii_digit)
            && matches!(b[i + 5], b' ' | b'\t')
    }

    #[test]
    fn postcode_shapes_same_as_scalar() {
        let mut text: Vec<u8> = Vec::new();
        for (i, piece) in [
            &b"75002 Paris "[..],
            b"x75002 Lyon ",
            b"123456 Nice ",
            b"1234 Metz ",
            b"\xc3\xa975002 Caen",
            b"(33000 BORDEAUX)",
            b"12/03 42000 Saint-\xc3\x89tienne\n",
            b"00000 ",
            b"69003\tLyon",
            b"99999",
        ]
        .iter()
        .cycle()
        .take(60)
        .enumerate()
        {
            text.extend_from_slice(piece);
            text.extend(std::iter::repeat_n(b'a' + (i % 3) as u8, i % 17));
            if i % 5 == 0 {
                text.push(b' ');
            }
        }
        for from in 0..40 {
            for to in [text.len(), text.len() - 3, text.len() / 2, from] {
                let got: Vec<usize> = postcode_shapes(&text, from, to).collect();
                let want: Vec<usize> = (from..to.min(text.len()))
                    .filter(|&i| is_postcode_shape(&text, i))
                    .collect();
                assert_eq!(got, want, "from {from} to {to}");
            }
        }
    }
}
