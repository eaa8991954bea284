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
    let ascii = b
        .get(pos..)?
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if ascii > 0 {
        let end = pos + ascii;
        if b.get(end)
            .is_none_or(|&c| c < 0x80 && !matches!(c, b'-' | b'\''))
        {
            let w = &text[pos..end];
            return Some(Word {
                start: pos,
                end,
                text: w,
                shape: ascii_shape(w.as_bytes()),
            });
        }
    }
    let rest = text.get(pos..)?;
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
    let text_w = &rest[..end];
    Some(Word {
        start: pos,
        end: pos + end,
        text: text_w,
        shape: shape(text_w),
    })
}

fn ascii_shape(w: &[u8]) -> Shape {
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

/// The case shape of a word (`d'` / `l'` prefixes skipped).
pub fn shape(w: &str) -> Shape {
    let core = ["d'", "d’", "l'", "l’"]
        .iter()
        .find_map(|p| w.strip_prefix(p))
        .filter(|c| c.chars().next().is_some_and(char::is_uppercase))
        .unwrap_or(w);
    let mut letters = core.chars().filter(|c| is_letter(*c));
    let Some(first) = letters.next() else {
        return Shape::Mixed;
    };
    let (mut rest_upper, mut rest_lower) = (true, true);
    for c in letters {
        rest_upper &= c.is_uppercase();
        rest_lower &= c.is_lowercase();
    }
    match (first.is_uppercase(), rest_upper, rest_lower) {
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
        cs.next().is_some_and(char::is_uppercase) && cs.all(char::is_lowercase)
    });
    if all {
        Shape::Cap
    } else {
        Shape::Mixed
    }
}

/// The next word after `pos`, and what separates it from `pos`; `None` at
/// the end of the text or beyond `limit` bytes.
pub fn next_word(text: &str, pos: usize, limit: usize) -> Option<(Gap, Word<'_>)> {
    let mut gap = Gap::default();
    let rest = text.get(pos..)?;
    for (i, c) in rest.char_indices() {
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
