//! Words in running text, for the structural detectors (names, addresses):
//! a word is a run of letters, with inner hyphens and apostrophes
//! (`Jean-Pierre`, `d'Ormesson`); what separates two words is summarised in
//! a [`Gap`].

/// What a structural detector (names, addresses) found: byte offsets in
/// the text, the normalised value and its confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct TextMatch {
    pub start: usize,
    pub end: usize,
    pub value: String,
    pub confidence: f32,
}

/// The letter case of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `Dupont`, `Élodie`, `d'Ormesson`.
    Cap,
    /// `DUPONT`, `J`.
    Upper,
    /// `rue`, `de`.
    Lower,
    /// `McDonald`… or anything else with letters.
    Mixed,
}

/// A word and where it is.
#[derive(Debug, Clone, Copy)]
pub struct Word<'t> {
    pub start: usize,
    pub end: usize,
    pub text: &'t str,
    pub shape: Shape,
}

/// What lies between two words on the way to the next one.
#[derive(Debug, Clone, Copy, Default)]
pub struct Gap {
    /// Line breaks crossed.
    pub newlines: u32,
    /// Any character other than spaces, tabs and line breaks.
    pub punct: bool,
    /// The first such character.
    pub first_punct: Option<char>,
}

/// `char::is_alphabetic` with a fast path for the Latin letters of French
/// (Unicode's table look-up is slow and this runs for every character
/// around a capital).
#[inline]
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    if ('\u{c0}'..='\u{ff}').contains(&c) {
        return c != '\u{d7}' && c != '\u{f7}';
    }
    c.is_alphabetic()
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’')
}

/// The word starting exactly at `pos`, if a letter starts there.
pub fn word_at(text: &str, pos: usize) -> Option<Word<'_>> {
    // Fast path: a word of ASCII letters ended by an ASCII non-joiner.
    let b = text.as_bytes();
    let rest = b.get(pos..)?;
    let ascii = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    // Then Latin-1 letters (`é` is C3 A9; `×` C3 97 and `÷` C3 B7 are not letters).
    let mut len = ascii;
    while let Some(&c) = rest.get(len) {
        if c.is_ascii_alphabetic() {
            len += 1;
        } else if c == 0xC3
            && rest
                .get(len + 1)
                .is_some_and(|&n| (0x80..=0xBF).contains(&n) && n != 0x97 && n != 0xB7)
        {
            len += 2;
        } else {
            break;
        }
    }
    if len > 0 {
        let end = pos + len;
        if b.get(end)
            .is_none_or(|&c| c < 0x80 && !matches!(c, b'-' | b'\''))
        {
            let w = &text[pos..end];
            let shape = if len == ascii {
                ascii_shape(w.as_bytes())
            } else {
                latin_shape(w.as_bytes())
            };
            return Some(Word {
                start: pos,
                end,
                text: w,
                shape,
            });
        }
    }
    let rest = text.get(pos..)?;
    let end = word_len(rest)?;
    let text_w = &rest[..end];
    Some(Word {
        start: pos,
        end: pos + end,
        text: text_w,
        shape: shape(text_w),
    })
}

/// The length of the word at the start of `rest` (letters, and joiners
/// between letters), by the general Unicode path; `None` if no letter.
fn word_len(rest: &str) -> Option<usize> {
    let mut chars = rest.char_indices().peekable();
    let (_, first) = *chars.peek()?;
    if !is_letter(first) {
        return None;
    }
    let mut end = 0;
    while let Some((i, c)) = chars.next() {
        if is_letter(c) {
            end = i + c.len_utf8();
        } else if is_joiner(c) && chars.peek().is_some_and(|(_, n)| is_letter(*n)) {
            continue;
        } else {
            break;
        }
    }
    Some(end)
}

/// [`shape`] of a word of ASCII letters and two-byte Latin-1 letters
/// (`C3 80`..`C3 BF` but `×` and `÷`), read from its bytes: no joiner, no
/// `d'` prefix, so the shape is that of its first letter and the rest.
fn latin_shape(w: &[u8]) -> Shape {
    let mut i = 0;
    let mut first_upper = None;
    let (mut rest_upper, mut rest_lower) = (true, true);
    while i < w.len() {
        let (upper, lower) = if w[i] < 0x80 {
            i += 1;
            (w[i - 1].is_ascii_uppercase(), w[i - 1].is_ascii_lowercase())
        } else {
            i += 2;
            // À..Þ are capitals, ß..ÿ small letters.
            (w[i - 1] <= 0x9E, w[i - 1] >= 0x9F)
        };
        if first_upper.is_none() {
            first_upper = Some(upper);
        } else {
            rest_upper &= upper;
            rest_lower &= lower;
        }
    }
    match (first_upper, rest_upper, rest_lower) {
        (Some(true), true, _) => Shape::Upper,
        (Some(true), _, true) => Shape::Cap,
        (Some(false), _, true) => Shape::Lower,
        _ => Shape::Mixed,
    }
}

pub(crate) fn ascii_shape(w: &[u8]) -> Shape {
    let first_upper = w[0].is_ascii_uppercase();
    let rest = &w[1..];
    match (
        first_upper,
        rest.iter().all(u8::is_ascii_uppercase),
        rest.iter().all(u8::is_ascii_lowercase),
    ) {
        (true, true, _) => Shape::Upper,
        (true, _, true) => Shape::Cap,
        (false, _, true) => Shape::Lower,
        _ => Shape::Mixed,
    }
}

/// `char::is_uppercase`, without a table look-up for ASCII and Latin-1.
#[inline]
fn is_upper(c: char) -> bool {
    match c {
        'A'..='Z' | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{de}' => true,
        '\0'..='\u{ff}' => false,
        _ => c.is_uppercase(),
    }
}

/// `char::is_lowercase`, without a table look-up for ASCII and Latin-1
/// letters (`ª`, `º` and `µ` go to the table).
#[inline]
fn is_lower(c: char) -> bool {
    match c {
        'a'..='z' | '\u{df}'..='\u{f6}' | '\u{f8}'..='\u{ff}' => true,
        '\0'..='\u{7f}' | '\u{c0}'..='\u{de}' | '\u{f7}' => false,
        _ => c.is_lowercase(),
    }
}

/// The case shape of a word (`d'` / `l'` prefixes skipped).
pub fn shape(w: &str) -> Shape {
    let core = ["d'", "d’", "l'", "l’"]
        .iter()
        .find_map(|p| w.strip_prefix(p))
        .filter(|c| c.chars().next().is_some_and(is_upper))
        .unwrap_or(w);
    let mut letters = core.chars().filter(|c| is_letter(*c));
    let Some(first) = letters.next() else {
        return Shape::Mixed;
    };
    let (mut rest_upper, mut rest_lower) = (true, true);
    for c in letters {
        rest_upper &= is_upper(c);
        rest_lower &= is_lower(c);
    }
    match (is_upper(first), rest_upper, rest_lower) {
        (true, true, _) => Shape::Upper,
        (true, _, true) => Shape::Cap,
        (false, _, true) => Shape::Lower,
        (true, false, false) => capitalised_parts(core),
        _ => Shape::Mixed,
    }
}

/// `Jean-Pierre`, `Le-Gall`: every hyphenated part capitalised.
fn capitalised_parts(w: &str) -> Shape {
    let all = w.split(['-', '\'', '’']).all(|p| {
        let mut cs = p.chars();
        cs.next().is_some_and(is_upper) && cs.all(is_lower)
    });
    if all {
        Shape::Cap
    } else {
        Shape::Mixed
    }
}

/// [`crate::model::fold::fold_word_into`] of a word of ASCII and Latin-1 letters
/// that fold to ASCII, on the stack; `None` for any other word (`Œuvre`,
/// `Þór`, a long one), which goes the general way.
pub fn fold_latin<'b>(word: &str, buf: &'b mut [u8; 48]) -> Option<&'b str> {
    let b = word.as_bytes();
    if b.len() <= buf.len() && b.is_ascii() {
        // Most words: lower case is the whole fold.
        let out = &mut buf[..b.len()];
        for (d, s) in out.iter_mut().zip(b) {
            *d = s.to_ascii_lowercase();
        }
        return std::str::from_utf8(out).ok();
    }
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let out: &[u8] = if c < 0x80 {
            i += 1;
            buf.get_mut(n)?.clone_from(&c.to_ascii_lowercase());
            n += 1;
            continue;
        } else if c == 0xC3 {
            let x = *b.get(i + 1)?;
            i += 2;
            match x | 0x20 {
                // À..Å, à..å
                0xA0..=0xA5 => b"a",
                0xA7 => b"c",
                0xA8..=0xAB => b"e",
                0xAC..=0xAF => b"i",
                0xB1 => b"n",
                // Ò..Ö, Ø (and ò..ö, ø)
                0xB2..=0xB6 | 0xB8 => b"o",
                0xB9..=0xBC => b"u",
                0xBD => b"y",
                0xA6 => b"ae",
                _ if x == 0xBF => b"y",
                _ => return None,
            }
        } else {
            return None;
        };
        buf.get_mut(n..n + out.len())?.copy_from_slice(out);
        n += out.len();
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// Calls `f` with [`crate::model::fold::fold_word`] of `word`, folded on the
/// stack when it can be.
#[inline]
pub fn with_folded<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 48];
    match fold_latin(word, &mut buf) {
        Some(s) => f(s),
        None => f(&crate::model::fold::fold_word(word)),
    }
}

/// The next word after `pos`, and what separates it from `pos`; `None` at
/// the end of the text or beyond `limit` bytes.
pub fn next_word(text: &str, pos: usize, limit: usize) -> Option<(Gap, Word<'_>)> {
    let mut gap = Gap::default();
    let rest = text.get(pos..)?;
    // ASCII bytes one at a time, the rest of the text as characters.
    let rb = rest.as_bytes();
    let mut ascii = 0;
    while let Some(&c) = rb.get(ascii) {
        if c >= 0x80 {
            break;
        }
        if ascii > limit {
            return None;
        }
        if c.is_ascii_alphabetic() {
            return word_at(text, pos + ascii).map(|w| (gap, w));
        }
        match c {
            b'\n' => gap.newlines += 1,
            b' ' | b'\t' | b'\r' => {}
            c => {
                if !gap.punct {
                    gap.first_punct = Some(char::from(c));
                }
                gap.punct = true;
            }
        }
        ascii += 1;
    }
    for (i, c) in rest[ascii..].char_indices() {
        let i = ascii + i;
        if i > limit {
            return None;
        }
        if is_letter(c) {
            return word_at(text, pos + i).map(|w| (gap, w));
        }
        match c {
            '\n' => gap.newlines += 1,
            ' ' | '\t' | '\r' | '\u{a0}' | '\u{202f}' => {}
            c => {
                if !gap.punct {
                    gap.first_punct = Some(c);
                }
                gap.punct = true;
            }
        }
    }
    None
}

/// The word ending just before `pos` on the same line (spaces and an
/// abbreviation's dot skipped: `av. Victor Hugo`).
pub fn prev_word(text: &str, pos: usize) -> Option<Word<'_>> {
    let before = text.get(..pos)?;
    let trimmed = before.trim_end_matches([' ', '\t']);
    let trimmed = trimmed.strip_suffix('.').unwrap_or(trimmed);
    let end = trimmed.len();
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_letter(*c) || is_joiner(*c))
        .last()
        .map(|(i, _)| i)?;
    let w = word_at(text, start)?;
    (w.end == end).then_some(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(shape("Dupont"), Shape::Cap);
        assert_eq!(shape("DUPONT"), Shape::Upper);
        assert_eq!(shape("Élodie"), Shape::Cap);
        assert_eq!(shape("LEFÈVRE"), Shape::Upper);
        assert_eq!(shape("Jean-Pierre"), Shape::Cap);
        assert_eq!(shape("d'Ormesson"), Shape::Cap);
        assert_eq!(shape("rue"), Shape::Lower);
    }

    #[test]
    fn case_tests_agree_with_std() {
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            assert_eq!(is_upper(c), c.is_uppercase(), "{c:?}");
            assert_eq!(is_lower(c), c.is_lowercase(), "{c:?}");
        }
    }

    /// The general path of `word_at`, to check the fast ones against.
    fn slow_word_at(text: &str, pos: usize) -> Option<(usize, Shape)> {
        let rest = text.get(pos..)?;
        let end = word_len(rest)?;
        Some((pos + end, shape(&rest[..end])))
    }

    #[test]
    fn word_at_fast_paths() {
        let t = "Élodie LEFÈVRE, l'Été d'Ormesson Jean-Pierre ÀÉ× É÷ x×y Œuvre ÆSOP naïve Noël. \
                 AppleWebKit/537 Win64 McDo São-Tomé Ça’va É Dupont-Élodie aé";
        for pos in 0..=t.len() {
            if !t.is_char_boundary(pos) {
                continue;
            }
            let fast = word_at(t, pos).map(|w| (w.end, w.shape));
            assert_eq!(fast, slow_word_at(t, pos), "at {pos}: {:?}", &t[pos..]);
        }
    }

    #[test]
    fn fold_latin_is_fold_word() {
        let words: Vec<String> = (0x20u32..0x250)
            .filter_map(char::from_u32)
            .map(|c| format!("X{c}y{c}"))
            .chain(
                [
                    "Élodie", "LEFÈVRE", "Œuvre", "ÆSOP", "Ÿvonne", "naïve", "Noël", "Þór", "Ø",
                ]
                .map(String::from),
            )
            .chain(std::iter::once("A".repeat(60)))
            .collect();
        for w in &words {
            let mut buf = [0u8; 48];
            if let Some(f) = fold_latin(w, &mut buf) {
                assert_eq!(f, crate::model::fold::fold_word(w), "{w:?}");
            }
        }
        let mut buf = [0u8; 48];
        assert_eq!(fold_latin("Élodie", &mut buf), Some("elodie"));
    }

    /// The general path of `next_word`, to check the ASCII one against.
    fn slow_next_word(
        text: &str,
        pos: usize,
        limit: usize,
    ) -> Option<(u32, bool, Option<char>, usize)> {
        let mut gap = Gap::default();
        let rest = text.get(pos..)?;
        for (i, c) in rest.char_indices() {
            if i > limit {
                return None;
            }
            if is_letter(c) {
                return word_at(text, pos + i)
                    .map(|w| (gap.newlines, gap.punct, gap.first_punct, w.start));
            }
            match c {
                '\n' => gap.newlines += 1,
                ' ' | '\t' | '\r' | '\u{a0}' | '\u{202f}' => {}
                c => {
                    if !gap.punct {
                        gap.first_punct = Some(c);
                    }
                    gap.punct = true;
                }
            }
        }
        None
    }

    #[test]
    fn next_word_fast_path() {
        let t = "M. Jean, \n\t rue\u{a0}de la Paix ; 12  x  — É/é: «Nom» :\r\nfin \u{202f}! ";
        for pos in 0..=t.len() {
            for limit in [0, 1, 2, 3, 4, 8, 48, 160] {
                if !t.is_char_boundary(pos) {
                    continue;
                }
                let fast = next_word(t, pos, limit)
                    .map(|(g, w)| (g.newlines, g.punct, g.first_punct, w.start));
                assert_eq!(fast, slow_next_word(t, pos, limit), "{pos} {limit}");
            }
        }
    }

    #[test]
    fn walking() {
        let t = "M. Jean-Pierre Martin, rue";
        let w = word_at(t, 3).expect("test data");
        assert_eq!(w.text, "Jean-Pierre");
        let (g, n) = next_word(t, w.end, 100).expect("test data");
        assert_eq!(n.text, "Martin");
        assert!(!g.punct);
        let (g, n) = next_word(t, n.end, 100).expect("test data");
        assert_eq!(n.text, "rue");
        assert_eq!(g.first_punct, Some(','));
        assert_eq!(prev_word(t, 14).expect("test data").text, "Jean-Pierre");
    }
}
