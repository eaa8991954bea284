//! Context words near a candidate ("né le", "sécurité sociale", "version"),
//! matched whole-word, ignoring case and accents.
//!
//! A window is a few dozen bytes and most hold no word (the line before a
//! date in a log, an accounting row): each pair of bytes is looked up in a
//! table of the words' first two bytes, and only where a word may start are
//! its bytes compared. A general automaton cost about 1,000 instructions a
//! window, most of them in setting up its search.

use super::marks::{marks, Which};

/// A compiled list of context words.
#[derive(Debug, Clone)]
pub struct Words {
    /// The variants (as written, lower case, accent-free, upper case),
    /// ASCII-lower-cased, sorted by their first two bytes.
    variants: Vec<Variant>,
    /// Bit `(a << 8) | b` is set when a variant of two bytes or more starts
    /// with the folded bytes `a`, `b`.
    pairs: Box<[u64; 1024]>,
    /// Bytes that are, in either case, a variant of one byte.
    singles: [bool; 256],
    has_singles: bool,
    /// Every variant starts with a letter or a digit (and so at a word start).
    word_starts_only: bool,
}

#[derive(Debug, Clone)]
struct Variant {
    bytes: Vec<u8>,
    /// Does the word start / end with a letter or digit (then the text must
    /// not continue the word there)?
    check_start: bool,
    check_end: bool,
}

impl Variant {
    fn key(&self) -> u16 {
        pair(self.bytes[0], self.bytes.get(1).copied().unwrap_or(0))
    }
}

/// The two bytes, folded, as a key of the pair table.
fn pair(a: u8, b: u8) -> u16 {
    u16::from(FOLD[usize::from(a)]) << 8 | u16::from(FOLD[usize::from(b)])
}

/// Each byte ASCII-lower-cased, looked up (a table costs less per byte of a
/// window than the comparisons).
const FOLD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).to_ascii_lowercase();
        i += 1;
    }
    t
};

impl Words {
    /// Compiles `words`; `None` when the list is empty.
    pub fn new(words: &[String]) -> Option<Self> {
        let mut spelt: Vec<String> = Vec::new();
        for w in words {
            let w = w.trim();
            if w.is_empty() {
                continue;
            }
            let stripped = crate::model::fold::strip_accents_lower(w);
            // "né" without its accent is "ne", a common word: only longer
            // words get an accent-free variant.
            let stripped = (stripped.chars().count() >= 4).then_some(stripped);
            for v in [Some(w.to_lowercase()), stripped, Some(w.to_uppercase())]
                .into_iter()
                .flatten()
            {
                let v = v.to_ascii_lowercase();
                if !spelt.contains(&v) {
                    spelt.push(v);
                }
            }
        }
        if spelt.is_empty() {
            return None;
        }
        let mut variants: Vec<Variant> = spelt
            .into_iter()
            .map(|v| Variant {
                check_start: v.chars().next().is_some_and(char::is_alphanumeric),
                check_end: v.chars().last().is_some_and(char::is_alphanumeric),
                bytes: v.into_bytes(),
            })
            .collect();
        variants.sort_by_key(Variant::key);
        let mut pairs = Box::new([0u64; 1024]);
        let mut singles = [false; 256];
        for v in &variants {
            if v.bytes.len() == 1 {
                singles[usize::from(v.bytes[0])] = true;
                singles[usize::from(v.bytes[0].to_ascii_uppercase())] = true;
            } else {
                let k = usize::from(v.key());
                pairs[k >> 6] |= 1 << (k & 63);
            }
        }
        Some(Words {
            has_singles: variants.iter().any(|v| v.bytes.len() == 1),
            word_starts_only: variants.iter().all(|v| v.check_start),
            variants,
            pairs,
            singles,
        })
    }

    /// True when one of the words stands whole in `hay[from..to]`.
    pub fn found_in(&self, hay: &[u8], from: usize, to: usize) -> bool {
        let to = to.min(hay.len());
        if from >= to {
            return false;
        }
        if self.word_starts_only {
            // Every word starts with a letter or digit and must stand whole:
            // only the text's word starts, found 16 bytes at a time, are tried.
            return marks(hay, from, to, Which::Words).any(|i| {
                let k = usize::from(pair(hay[i], hay.get(i + 1).copied().unwrap_or(0)));
                (self.pairs[k >> 6] >> (k & 63) & 1 != 0 || self.singles[usize::from(hay[i])])
                    && self.starts_at(hay, i, to)
            });
        }
        let window = &hay[from..to];
        let mut prev = usize::from(FOLD[usize::from(window[0])]);
        for (i, &b) in window[1..].iter().enumerate() {
            let next = usize::from(FOLD[usize::from(b)]);
            let k = prev << 8 | next;
            if self.pairs[k >> 6] >> (k & 63) & 1 != 0 && self.starts_at(hay, from + i, to) {
                return true;
            }
            prev = next;
        }
        // A word of one byte may also stand at the window's last byte.
        self.has_singles
            && window
                .iter()
                .enumerate()
                .any(|(i, &b)| self.singles[usize::from(b)] && self.starts_at(hay, from + i, to))
    }

    /// True when a variant stands whole at `hay[s..]`, ending by `to`.
    fn starts_at(&self, hay: &[u8], s: usize, to: usize) -> bool {
        let stands = |v: &Variant| {
            let e = s + v.bytes.len();
            e <= to
                && hay[s..e].eq_ignore_ascii_case(&v.bytes)
                && (!v.check_start || s == 0 || !is_word_byte(hay[s - 1]))
                && (!v.check_end || e == hay.len() || !is_word_byte(hay[e]))
        };
        let starting = |key: u16| {
            let first = self.variants.partition_point(|v| v.key() < key);
            self.variants[first..]
                .iter()
                .take_while(move |v| v.key() == key)
        };
        let next = hay.get(s + 1).copied().unwrap_or(0);
        starting(pair(hay[s], next)).any(stands)
            || (self.singles[usize::from(hay[s])] && starting(pair(hay[s], 0)).any(stands))
    }
}

/// Letters, digits and any byte of a non-ASCII character (accented letters).
pub(super) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_any_case_and_accents() {
        let w = Words::new(&["sécurité sociale".into(), "NIR".into()]).expect("test data");
        let t = b"Num\xc3\xa9ro de SECURITE SOCIALE :";
        assert!(w.found_in(t, 0, t.len()));
        let t = "SÉCURITÉ SOCIALE".as_bytes();
        assert!(w.found_in(t, 0, t.len()));
        let t = b"pour fournir le dossier";
        assert!(!w.found_in(t, 0, t.len()));
        let t = b"NIR : 1";
        assert!(w.found_in(t, 0, t.len()));
    }

    #[test]
    fn a_word_must_lie_whole_in_the_window_and_stand_alone() {
        let w = Words::new(&["né".into(), "née".into(), "dob".into()]).expect("test data");
        let t = "Claire, née le 3".as_bytes();
        // `né` is followed by a letter, `née` is whole: the longer one stands.
        assert!(w.found_in(t, 0, t.len()));
        let at = t.iter().position(|&b| b == b'n').unwrap_or(0);
        // The window ends inside `née`: only `né` fits, and it is not whole.
        assert!(!w.found_in(t, 0, at + 3));
        assert!(w.found_in(t, at, at + 4));
        assert!(!w.found_in(t, at + 1, t.len()));
        let t = b"DOB: 1985, adobe";
        assert!(w.found_in(t, 0, 3));
        assert!(!w.found_in(t, 5, t.len()), "inside another word");
        assert!(!w.found_in(t, 0, 2));
    }

    #[test]
    fn one_byte_words_are_found_up_to_the_windows_end() {
        let w = Words::new(&["n".into(), "x".into()]).expect("test data");
        let t = b"abc N";
        assert!(w.found_in(t, 0, t.len()));
        assert!(!w.found_in(t, 0, t.len() - 1));
        assert!(!w.found_in(b"ann", 0, 3));
    }

    #[test]
    fn a_word_that_starts_with_a_sign_is_found_inside_a_word_too() {
        // `°c` need not start a word: every position is tried, not only
        // word starts.
        let w = Words::new(&["°c".into()]).expect("test data");
        let t = "chauffe à 20°C ici".as_bytes();
        assert!(w.found_in(t, 0, t.len()));
        assert!(!w.found_in(t, 0, 13));
        let w = Words::new(&["nss".into()]).expect("test data");
        let t = b"abc nssx 1nss nss";
        assert!(!w.found_in(t, 0, 13), "glued to letters or digits");
        assert!(w.found_in(t, 13, t.len()));
    }
}
