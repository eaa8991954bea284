//! Context words near a candidate ("né le", "sécurité sociale", "version"),
//! matched whole-word, ignoring case and accents.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// A compiled list of context words.
#[derive(Debug, Clone)]
pub struct Words {
    ac: AhoCorasick,
    /// For each automaton pattern: does the word start / end with a letter or
    /// digit (then the text must not continue the word there)?
    edges: Vec<(bool, bool)>,
}

impl Words {
    /// Compiles `words`; `None` when the list is empty.
    pub fn new(words: &[String]) -> Option<Self> {
        let mut variants: Vec<String> = Vec::new();
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
                if !variants.contains(&v) {
                    variants.push(v);
                }
            }
        }
        if variants.is_empty() {
            return None;
        }
        let edges = variants
            .iter()
            .map(|v| {
                (
                    v.chars().next().is_some_and(char::is_alphanumeric),
                    v.chars().last().is_some_and(char::is_alphanumeric),
                )
            })
            .collect();
        // Windows are a few dozen bytes: a DFA without a prefilter costs
        // least per call.
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&variants)
            .ok()?;
        Some(Words { ac, edges })
    }

    /// True when one of the words stands whole in `hay[from..to]`.
    pub fn found_in(&self, hay: &[u8], from: usize, to: usize) -> bool {
        if from >= to {
            return false;
        }
        let window = &hay[from..to];
        self.ac.find_overlapping_iter(window).any(|m| {
            let (check_start, check_end) = self.edges[m.pattern().as_usize()];
            let s = from + m.start();
            let e = from + m.end();
            (!check_start || s == 0 || !is_word_byte(hay[s - 1]))
                && (!check_end || e == hay.len() || !is_word_byte(hay[e]))
        })
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
}
