//! Names as people write them in letters: an initial and a surname (`T.
//! Schmitt`, `Mme A. Leduc`, `J.-P. Durand`) in a salutation, after a title
//! or on a signature line, and a staff signature whose first name the
//! lexicon may not know (`Noémi Carre / Comptable`, a name line above a job
//! line). Part of [`super::names`].

use super::NameDetector;
use crate::detect::words::{next_word, prev_word, with_folded, word_at, Shape, TextMatch, Word};

/// Greetings a name may follow on its line (`Bonjour T. Schmitt,`).
const GREETINGS: &[&str] = &[
    "bonjour", "bonsoir", "cher", "chere", "salut", "merci", "signe",
];

impl NameDetector {
    /// `X.`, `X.-Y.`, `X.Y.` at `pos`: where the initials end.
    pub(super) fn initials_at(text: &str, pos: usize) -> Option<usize> {
        let b = text.as_bytes();
        let mut p = pos;
        let mut n = 0;
        while n < 3 && b.get(p).is_some_and(u8::is_ascii_uppercase) && b.get(p + 1) == Some(&b'.') {
            p += 2;
            n += 1;
            if b.get(p) == Some(&b'-') {
                p += 1;
            }
        }
        (n > 0 && b.get(p - 1) == Some(&b'.')).then_some(p)
    }

    /// Initials at `pos` then a surname on the same line: the words' span
    /// and the value as written (`T. Schmitt`).
    pub(super) fn initial_name(&self, text: &str, pos: usize) -> Option<TextMatch> {
        let end = Self::initials_at(text, pos)?;
        let (gap, first) = next_word(text, end, 2)?;
        if gap.newlines > 0 || gap.punct || first.text.chars().count() < 2 {
            return None;
        }
        let words = self.surname_words(text, first.start);
        let last = words.last()?;
        if words.iter().any(|w| w.text.chars().count() < 2) || self.company_follows(text, last.end)
        {
            return None;
        }
        let value = format!(
            "{} {}",
            &text[pos..end],
            words.iter().map(|w| w.text).collect::<Vec<_>>().join(" ")
        );
        Some(TextMatch {
            start: pos,
            end: last.end,
            value,
            confidence: 0.85,
        })
    }

    /// An initial's name without a title: only where a letter puts a
    /// person's name (a greeting before it on its line, or the name alone
    /// on its line, a signature), never in running text (`les travaux de
    /// S. Freud`).
    pub(super) fn initial_at(&self, text: &str, w: Word<'_>) -> Option<TextMatch> {
        if w.text.len() != 1 || self.in_place_name(text, w) {
            return None;
        }
        let m = self.initial_name(text, w.start)?;
        let line_start = text[..w.start].rfind('\n').map_or(0, |i| i + 1);
        let lead = text[line_start..w.start].trim();
        let greeted = prev_word(text, w.start).is_some_and(|p| {
            p.start >= line_start && with_folded(p.text, |f| GREETINGS.contains(&f))
        });
        let alone = lead.is_empty() || lead.ends_with([':', ',']);
        (greeted || (alone && self.ends_signature_line(text, m.end))).then_some(m)
    }

    /// True when the text after `end` ends the line, or gives a job after
    /// a separator (`/ Comptable`, `, gardien`, `– Chargée de clientèle`).
    fn ends_signature_line(&self, text: &str, end: usize) -> bool {
        let rest = text[end..].split('\n').next().unwrap_or("");
        let rest = rest.trim();
        if rest.is_empty() || rest == "," || rest == "." {
            return true;
        }
        let Some(job) = rest
            .strip_prefix(['/', '|', ',', '-'])
            .or_else(|| rest.strip_prefix('–'))
        else {
            return false;
        };
        self.is_role(job)
    }

    /// True when `text` starts with a job title (`Comptable`, `chargée de…`).
    fn is_role(&self, text: &str) -> bool {
        let text = text.trim_start();
        word_at(text, 0).is_some_and(|w| with_folded(w.text, |f| self.roles.contains(f)))
    }

    /// A staff signature: two or three capitalised words alone on their
    /// line, followed by a job (`Noémi Carre / Comptable`) or above a line
    /// that starts with one (`Noémi Carre` / `Comptable`).
    pub(super) fn signature(&self, text: &str, w: Word<'_>) -> Option<TextMatch> {
        // Runs for most capitalised words: the blanks before the word are
        // all that is looked at to tell a line's start.
        let before = text[..w.start].trim_end_matches([' ', '\t', '\r']);
        if !(before.is_empty() || before.ends_with(['\n', ':', ','])) {
            return None;
        }
        // The surname's words, which must follow on the line, are all
        // capitalised: told on one byte, before the word is looked up (most
        // cells of a table are a capitalised word and lower-case ones).
        if !capital_may_follow(text, w.end) || !self.can_be_surname(w) {
            return None;
        }
        let rest = self.surname_words(text, w.end);
        if rest.is_empty()
            || rest.len() > 2
            || rest
                .iter()
                .any(|r| r.shape != Shape::Cap && r.shape != Shape::Upper)
        {
            return None;
        }
        let end = rest[rest.len() - 1].end;
        let tail = text[end..].split('\n').next().unwrap_or("").trim();
        let role = if tail.is_empty() {
            let next = text[end..].split('\n').nth(1).unwrap_or("");
            self.is_role(next)
        } else {
            self.ends_signature_line(text, end) && !tail.is_empty()
        };
        if !role || self.is_role(w.text) || rest.iter().any(|r| self.is_role(r.text)) {
            return None;
        }
        let mut words = vec![w];
        words.extend(rest);
        self.matched(&words, 0.8)
    }
}

/// Whether the word after `end`, past blanks on its line, may be a
/// capitalised one ([`Shape::Cap`] or [`Shape::Upper`]), as
/// [`next_word`] would find it: not when the next byte is the line's end, a
/// digit, a punctuation mark or a lower-case ASCII letter (but `d'` and
/// `l'`, which start `d'Ormesson`). Beyond ASCII, the word is taken apart.
fn capital_may_follow(text: &str, end: usize) -> bool {
    let b = text.as_bytes();
    let next = b[end.min(b.len())..]
        .iter()
        .find(|c| !matches!(c, b' ' | b'\t' | b'\r'));
    match next {
        Some(c) => c.is_ascii_uppercase() || matches!(c, b'd' | b'l') || *c >= 0x80,
        None => false,
    }
}

impl NameDetector {
    /// The person named by two neighbouring words of a file or folder name
    /// (`CV_Caron_Monique`, `LEMAITRE Christelle`, `jean-pierre.dupont`): a
    /// first name from the lexicon beside a surname in capitals or from the
    /// surname lexicon. `Factures_2023`, `Rapport_Final` name nobody.
    /// Values are `Firstname Lastname`.
    pub fn names_in_words(&self, words: &[&str]) -> Vec<String> {
        // A hyphen joins a compound first name, or two words.
        let words: Vec<&str> = words
            .iter()
            .flat_map(|w| {
                let whole = !w.contains('-') || self.is_first_name(w);
                let parts: Vec<&str> = if whole {
                    vec![*w]
                } else {
                    w.split('-').collect()
                };
                parts
            })
            .filter(|w| !w.is_empty())
            .collect();
        // A document's type beside the words (`CV_Caron_Monique`), or the
        // two words alone (a person's folder): a surname the lexicon does
        // not know is taken.
        let documents = words.len() == 2
            || words
                .iter()
                .any(|w| with_folded(w, |f| self.path_documents.contains(f)));
        let mut out: Vec<String> = Vec::new();
        let mut i = 0;
        while i + 1 < words.len() {
            let (a, b) = (words[i], words[i + 1]);
            let pair = |first: &str, last: &str| self.given_then_surname(first, last, documents);
            let value = pair(a, b)
                .then(|| format!("{a} {b}"))
                .or_else(|| pair(b, a).then(|| format!("{b} {a}")));
            match value {
                Some(v) if !self.eponyms.contains(&crate::model::fold::fold(&v)) => {
                    if !out.contains(&v) {
                        out.push(v);
                    }
                    i += 2;
                }
                _ => i += 1,
            }
        }
        out
    }

    /// True when `first` is a first name and `last` a surname (see
    /// [`Self::names_in_words`]).
    fn given_then_surname(&self, first: &str, last: &str, documents: bool) -> bool {
        let shape = |w: &str| {
            if w.chars().all(|c| !c.is_lowercase()) {
                Shape::Upper
            } else if w.chars().next().is_some_and(char::is_uppercase) {
                Shape::Cap
            } else {
                Shape::Lower
            }
        };
        let letters = |w: &str| {
            w.chars().count() >= 2
                && w.chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        };
        if !letters(first) || !letters(last) || !self.is_first_name(first) {
            return false;
        }
        let known = with_folded(last, |f| self.lex.surnames.contains(f));
        let (fs, ls) = (shape(first), shape(last));
        let last_word = Word {
            start: 0,
            end: last.len(),
            text: last,
            shape: ls,
        };
        if !self.can_be_surname(last_word) || with_folded(last, |f| self.place_words.contains(f)) {
            return false;
        }
        match (fs, ls) {
            // "DUPONT_Jean", "Jean_DUPONT"
            (Shape::Cap, Shape::Upper) => !self.acronyms.contains(last),
            // "Caron_Monique" (the order told by the lexicons)
            (Shape::Cap, Shape::Cap) => (known || documents) && !self.is_first_name(last),
            // "monique.caron", "MONIQUE CARON": both lexicons must agree.
            (Shape::Lower, Shape::Lower) | (Shape::Upper, Shape::Upper) => {
                known && !self.is_first_name(last)
            }
            _ => false,
        }
    }
}
