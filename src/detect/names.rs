//! Person names in French text, without any model: civility titles
//! (`Mme Élodie Lefèvre`, `Madame LEFEVRE`), first names from the lexicon
//! followed by a surname (`Jean-Pierre Martin`), `SURNAME Firstname`, form
//! labels (`Nom : DUPONT  Prénom : Jean`, `Locataire : …`), full-name columns
//! and Nom/Prénom cells of one table row. What is not a person: a name after
//! a street or place word (`rue Victor Hugo`, `lycée Jean Moulin`), next to a
//! company marker (`SARL Martin Frères`), job titles (`Madame la Directrice`).
//!
//! The value is "Firstname Lastname" in the text's letters.

use super::lexicon::{self, Lexicons};
use super::marks::{marks, Which};
use super::words::{
    ascii_shape, fold_latin, next_word, prev_word, with_folded, word_at, Shape, TextMatch, Word,
};
use crate::model::fold::{fold_small, fold_word};
use rustc_hash::FxHashSet as HashSet;
use std::collections::BTreeMap;
use std::ops::Range;

#[path = "names_written.rs"]
mod written;

/// The name detector, configured by the `[words]` of `patterns/name.toml`.
#[derive(Debug)]
pub struct NameDetector {
    titles: HashSet<String>,
    /// Folded word → what it may start (`TITLE`, `LABEL`, `FIRST_NAME`): one
    /// lookup per capitalised word.
    starts: rustc_hash::FxHashMap<String, u8>,
    labels: Vec<Vec<String>>,
    surname_labels: Vec<Vec<String>>,
    first_name_labels: Vec<Vec<String>>,
    place_words: HashSet<String>,
    not_surnames: HashSet<String>,
    acronyms: HashSet<String>,
    particles: HashSet<String>,
    company: HashSet<String>,
    /// Famous people whose names are those of streets and schools.
    eponyms: HashSet<String>,
    /// Job titles that follow a staff member's name on a signature.
    roles: HashSet<String>,
    /// Document types in file names (`CV`, `CNI`, `bail`): the words beside
    /// them name the document's person.
    path_documents: HashSet<String>,
    lex: &'static Lexicons,
}

const TITLE: u8 = 1;
const LABEL: u8 = 2;
const FIRST_NAME: u8 = 4;

/// How far (bytes) a label's partner ("Prénom" after "Nom") is looked for.
const PARTNER_WINDOW: usize = 160;
/// How far (bytes) a form label's value may be padded away from it.
const LABEL_PAD: usize = 48;
/// Longest run of surname words.
const MAX_WORDS: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Label {
    Person,
    Surname,
    FirstName,
}

/// True when digits follow `w` with no break: a reference's letters
/// (`PC2023-10151`, `F64887`), never a surname (a supplier's `Menuiseries
/// Léonard;PC2023-10151` in a pasted journal is no `Léonard PC`).
fn glued_to_digits(text: &str, w: Word<'_>) -> bool {
    text.as_bytes().get(w.end).is_some_and(u8::is_ascii_digit)
}

fn set(words: &BTreeMap<String, Vec<String>>, key: &str) -> HashSet<String> {
    words
        .get(key)
        .into_iter()
        .flatten()
        .map(|w| fold_word(w))
        .collect()
}

fn phrases(words: &BTreeMap<String, Vec<String>>, key: &str) -> Vec<Vec<String>> {
    let mut v: Vec<Vec<String>> = words
        .get(key)
        .into_iter()
        .flatten()
        .map(|p| p.split(' ').map(fold_word).collect())
        .collect();
    v.sort_by_key(|p| std::cmp::Reverse(p.len()));
    v
}

impl NameDetector {
    /// Builds the detector from a pattern file's word lists.
    pub fn new(words: &BTreeMap<String, Vec<String>>) -> Self {
        let labels = phrases(words, "labels");
        let surname_labels = phrases(words, "surname_labels");
        let first_name_labels = phrases(words, "first_name_labels");
        let lex = lexicon::get();
        let titles = set(words, "titles");
        let mut starts: rustc_hash::FxHashMap<String, u8> = Default::default();
        let label_starts = [&labels, &surname_labels, &first_name_labels]
            .into_iter()
            .flatten()
            .filter_map(|p| p.first());
        for (w, flag) in titles
            .iter()
            .map(|t| (t, TITLE))
            .chain(label_starts.map(|l| (l, LABEL)))
            .chain(lex.first_names.iter().map(|f| (f, FIRST_NAME)))
        {
            *starts.entry(w.clone()).or_default() |= flag;
        }
        NameDetector {
            titles,
            starts,
            labels,
            surname_labels,
            first_name_labels,
            place_words: set(words, "place_words"),
            not_surnames: set(words, "not_surnames"),
            acronyms: words
                .get("acronyms")
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
            particles: set(words, "particles"),
            roles: set(words, "roles"),
            path_documents: set(words, "path_documents"),
            company: set(words, "company"),
            eponyms: words
                .get("eponyms")
                .into_iter()
                .flatten()
                .map(|e| crate::model::fold::fold(e))
                .collect(),
            lex,
        }
    }

    /// Finds the names starting in `range` of `text`. `column` is the kind
    /// named by the column header the text sits under.
    pub fn find(
        &self,
        text: &str,
        range: Range<usize>,
        column: Option<&str>,
        out: &mut Vec<TextMatch>,
    ) {
        if column == Some("name") {
            if let Some(m) = self.whole_cell(text) {
                out.push(m);
            }
            return;
        }
        // A Nom or Prénom cell of first names only is a part of its row's
        // name, which the row gives (`Thi Lan` under Prénom is no name
        // beside `Thi Lan NGUYEN`). A whole name written under a lone `Nom`
        // column (`Hélène Garnier`) is still searched.
        if column == Some(crate::model::columns::roles::NAME_PART_KIND)
            && text[range.clone()]
                .split_whitespace()
                .all(|w| self.is_first_name(w.trim_matches(|c: char| !c.is_alphanumeric())))
        {
            return;
        }
        let b = text.as_bytes();
        let mut folded = String::new();
        let mut resume = range.start;
        for i in marks(b, range.start, range.end, Which::Capitals) {
            if i < resume || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] >= 0x80)) {
                continue;
            }
            // The lead byte 0xC3 also starts the lower-case Latin-1 letters
            // (à-ÿ, 0xC3 0xA0-0xBF: "à", "été"): no name starts with one.
            if b[i] == 0xC3 && b.get(i + 1).is_some_and(|&n| n >= 0xA0) {
                continue;
            }
            // "Mozilla/5.0", "HTTP/1.1": a word glued to a slash is no name
            // (the common case in logs, told before the word is taken apart).
            let ascii = b[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            if ascii > 0 && b.get(i + ascii) == Some(&b'/') {
                resume = i + ascii;
                continue;
            }
            // Most words are ASCII letters ended by a space or punctuation:
            // the word is known without taking it apart again.
            let plain_end = b
                .get(i + ascii)
                .is_none_or(|&c| c < 0x80 && c != b'-' && c != b'\'');
            let w = if ascii > 0 && plain_end {
                Word {
                    start: i,
                    end: i + ascii,
                    text: &text[i..i + ascii],
                    shape: ascii_shape(&b[i..i + ascii]),
                }
            } else {
                match word_at(text, i) {
                    Some(w) => w,
                    None => continue,
                }
            };
            if b.get(w.end) == Some(&b'/') {
                resume = w.end;
                continue;
            }
            let mut small = [0u8; 48];
            let f = if w.text.is_ascii() {
                // The fold of an ASCII word is its lower case (in a buffer
                // kept from word to word: a log line's `INFO`, `GET` cost
                // no allocation, nor a check of their bytes).
                folded.clear();
                folded.push_str(w.text);
                folded.make_ascii_lowercase();
                &folded
            } else {
                match fold_latin(w.text, &mut small) {
                    Some(f) => f,
                    None => {
                        folded.clear();
                        crate::model::fold::fold_word_into(w.text, &mut folded);
                        &folded
                    }
                }
            };
            resume = match self.at(text, w, f) {
                Some((m, next)) => {
                    if !self.eponyms.contains(&crate::model::fold::fold(&m.value)) {
                        out.push(m);
                    }
                    next.max(w.end)
                }
                None => w.end,
            };
        }
    }

    /// The name (if any) that the capitalised word `w` starts or announces,
    /// and where to resume.
    fn at(&self, text: &str, w: Word<'_>, folded: &str) -> Option<(TextMatch, usize)> {
        let with_end = |m: TextMatch| {
            let e = m.end;
            (m, e)
        };
        let flags = self.starts.get(folded).copied().unwrap_or(0);
        if flags & TITLE != 0 {
            return self.after_title(text, w, folded).map(with_end);
        }
        if flags & LABEL != 0 {
            if let Some((label, colon_end)) = self.label_at(text, w) {
                return self.after_label(text, label, colon_end);
            }
        }
        let first_name = flags & FIRST_NAME != 0
            || (folded.as_bytes().contains(&b'-') && self.is_first_name_folded(folded));
        let weak = !first_name && w.shape == Shape::Cap && self.is_weak_first_name(w.text);
        if (matches!(w.shape, Shape::Cap | Shape::Upper) && first_name) || weak {
            if let Some(m) = self.first_then_surname(text, w, weak) {
                return Some(with_end(m));
            }
        }
        if w.shape == Shape::Upper && w.text.len() == 1 {
            return self.initial_at(text, w).map(with_end);
        }
        if w.shape == Shape::Upper && w.text.len() >= 2 {
            return self.surname_then_first(text, w).map(with_end);
        }
        if w.shape == Shape::Cap {
            return self
                .listed_name(text, w)
                .or_else(|| self.signature(text, w))
                .map(with_end);
        }
        None
    }

    fn is_first_name(&self, w: &str) -> bool {
        with_folded(w, |f| self.is_first_name_folded(f))
    }

    /// A first name that is also a word or a common surname (`Olive`,
    /// `Abdou`): one only beside a surname in capitals.
    fn is_weak_first_name(&self, w: &str) -> bool {
        with_folded(w, |f| self.lex.weak_first_names.contains(f))
    }

    fn is_first_name_folded(&self, f: &str) -> bool {
        self.lex.first_names.contains(f)
            || (f.as_bytes().contains(&b'-')
                && f.split('-').all(|p| self.lex.first_names.contains(p)))
    }

    fn can_be_surname(&self, w: Word<'_>) -> bool {
        with_folded(w.text, |f| {
            !(self.not_surnames.contains(f)
                || self.company.contains(f)
                || self.titles.contains(f)
                || (w.shape == Shape::Upper && self.acronyms.contains(w.text)))
        })
    }

    /// A name written after another word on a street sign or a building.
    fn in_place_name(&self, text: &str, w: Word<'_>) -> bool {
        let Some(p) = prev_word(text, w.start) else {
            return false;
        };
        let (place, particle) = with_folded(p.text, |f| {
            // After an elided article: "l'espace Frida Kahlo".
            let f = f.rsplit(['\'', '\u{2019}']).next().unwrap_or(f);
            // Or the last part of a compound: "la halte-garderie Louise Weiss".
            let last = f.rsplit('-').next().unwrap_or(f);
            (
                self.place_words.contains(f)
                    || self.company.contains(f)
                    || (last != f && self.place_words.contains(last)),
                self.particles.contains(f),
            )
        });
        if place {
            return true;
        }
        if particle {
            if let Some(pp) = prev_word(text, p.start) {
                return with_folded(pp.text, |f| self.place_words.contains(f));
            }
        }
        false
    }

    /// Surname words after `pos` on the same line: capitalised words and
    /// particles followed by one (`de La Fontaine`, `Van den Berg`).
    fn surname_words<'t>(&self, text: &'t str, pos: usize) -> Vec<Word<'t>> {
        let mut words: Vec<Word<'t>> = Vec::new();
        let mut p = pos;
        // Particles do not count: "DE LA TOUR Thi Lan" is three name words.
        while words
            .iter()
            .filter(|w| !with_folded(w.text, |f| self.particles.contains(f)))
            .count()
            < MAX_WORDS
        {
            let Some((gap, w)) = next_word(text, p, 8) else {
                break;
            };
            if gap.newlines > 0 || gap.punct {
                break;
            }
            if with_folded(w.text, |f| self.particles.contains(f)) {
                // "de La Fontaine", "van den Berg": particles, then a surname word.
                let mut run = vec![w];
                let mut q = w.end;
                let mut complete = false;
                while let Some((g, n)) = next_word(text, q, 4) {
                    if g.newlines > 0 || g.punct {
                        break;
                    }
                    if with_folded(n.text, |f| self.particles.contains(f)) && run.len() < 3 {
                        run.push(n);
                        q = n.end;
                        continue;
                    }
                    if matches!(n.shape, Shape::Cap | Shape::Upper)
                        && self.can_be_surname(n)
                        && !glued_to_digits(text, n)
                    {
                        run.push(n);
                        complete = true;
                    }
                    break;
                }
                if !complete {
                    break;
                }
                p = run[run.len() - 1].end;
                words.extend(run);
                continue;
            }
            if matches!(w.shape, Shape::Cap | Shape::Upper)
                && (self.can_be_surname(w) || self.first_name_among_names(text, w, &words))
                && !glued_to_digits(text, w)
            {
                words.push(w);
                p = w.end;
                continue;
            }
            break;
        }
        words
    }

    /// A first name that is also a common word (`Mai`, a month) inside a
    /// run of name words: after another first name (`Nguyen Thi Mai`) or
    /// before a surname (`Mme Thi Mai NGUYEN`).
    fn first_name_among_names(&self, text: &str, w: Word<'_>, before: &[Word<'_>]) -> bool {
        if !self.is_first_name(w.text) {
            return false;
        }
        if before.last().is_some_and(|b| self.is_first_name(b.text)) {
            return true;
        }
        matches!(next_word(text, w.end, 4), Some((g, n)) if g.newlines == 0
            && !g.punct
            && matches!(n.shape, Shape::Cap | Shape::Upper)
            && self.can_be_surname(n))
    }

    /// True when a company marker stands right after the name.
    fn company_follows(&self, text: &str, end: usize) -> bool {
        let mut p = end;
        for _ in 0..2 {
            match next_word(text, p, 6) {
                Some((g, w)) if g.newlines == 0 && !g.punct => {
                    if with_folded(w.text, |f| self.company.contains(f)) {
                        return true;
                    }
                    p = w.end;
                }
                _ => break,
            }
        }
        false
    }

    /// `Firstname Lastname` from words: first names first.
    fn value(&self, words: &[Word<'_>]) -> String {
        let texts: Vec<&str> = words.iter().map(|w| w.text).collect();
        // "DUPONT Jean", "VAN DAMME Nadia": the French administrative order,
        // an all-capital surname run, then the first names.
        let upper = words
            .iter()
            .take_while(|w| w.shape == Shape::Upper && w.text.chars().count() > 1)
            .count();
        let split = if upper > 0
            && upper < words.len()
            && words[upper..].iter().all(|w| w.shape == Shape::Cap)
        {
            upper
        } else {
            // "Bouvier Monique": trailing first names after a word that is not one.
            let trailing = words
                .iter()
                .rev()
                .take_while(|w| self.is_first_name(w.text))
                .count();
            // A particle binds the word after it: "Ould Ahmed", "Ben Amor"
            // are surnames whatever the lexicon says of "Ahmed".
            let cut = words.len() - trailing;
            let after_particle =
                cut > 0 && with_folded(words[cut - 1].text, |f| self.particles.contains(f));
            if trailing > 0 && cut > 0 && !after_particle && !self.is_first_name(words[0].text) {
                cut
            } else {
                0
            }
        };
        let mut v: Vec<&str> = texts[split..].to_vec();
        v.extend_from_slice(&texts[..split]);
        v.join(" ")
    }

    fn matched(&self, words: &[Word<'_>], confidence: f32) -> Option<TextMatch> {
        let (first, last) = (words.first()?, words.last()?);
        Some(TextMatch {
            start: first.start,
            end: last.end,
            value: self.value(words),
            confidence,
        })
    }

    fn after_title(&self, text: &str, t: Word<'_>, folded: &str) -> Option<TextMatch> {
        if self.in_place_name(text, t) {
            return None;
        }
        let rest = &text[t.end..];
        let mut pos = t.end;
        if folded == "m" {
            if !rest.starts_with('.') || t.text != "M" {
                return None;
            }
            pos += 1;
        } else if rest.starts_with('.') {
            pos += 1;
        }
        // "Madame, Monsieur," and "Madame la Directrice" name nobody.
        let (gap, first) = next_word(text, pos, 4)?;
        if gap.newlines > 0 || gap.punct {
            return None;
        }
        // "Mme A. Leduc", "M. J.-P. Durand"
        if Self::initials_at(text, first.start).is_some() {
            return self.initial_name(text, first.start).map(|mut m| {
                m.confidence = 0.9;
                m
            });
        }
        let words = self.surname_words(text, pos);
        if words.is_empty() || self.company_follows(text, words[words.len() - 1].end) {
            return None;
        }
        let has_first = words.iter().any(|w| self.is_first_name(w.text));
        let conf = if words.len() >= 2 && has_first {
            0.95
        } else {
            0.85
        };
        self.matched(&words, conf)
    }

    /// A form label starting at `w` and followed by a colon: its type and
    /// where the colon ends.
    fn label_at(&self, text: &str, w: Word<'_>) -> Option<(Label, usize)> {
        let mut seq: Vec<(String, usize)> = vec![(fold_word(w.text), w.end)];
        let mut p = w.end;
        for _ in 0..3 {
            match next_word(text, p, 3) {
                Some((g, n)) if g.newlines == 0 && (!g.punct || g.first_punct == Some('\'')) => {
                    // "Nom d'usage": the apostrophe joins, fold splits.
                    for part in fold_word(n.text).split(['\'', '-']) {
                        seq.push((part.to_string(), n.end));
                    }
                    p = n.end;
                }
                _ => break,
            }
        }
        let groups = [
            (&self.labels, Label::Person),
            (&self.surname_labels, Label::Surname),
            (&self.first_name_labels, Label::FirstName),
        ];
        let mut best: Option<(usize, Label, usize)> = None;
        for (list, label) in groups {
            for phrase in list.iter() {
                let n = phrase.len();
                if n <= seq.len()
                    && phrase.iter().zip(&seq).all(|(a, (b, _))| a == b)
                    && best.is_none_or(|(len, _, _)| n > len)
                {
                    best = Some((n, label, seq[n - 1].1));
                }
            }
        }
        let (n, label, mut end) = best?;
        // "Prénom(s) :", "Salarié(e) :"
        for suffix in ["(s)", "(e)", "(e)s", "(es)"] {
            if text[end..].starts_with(suffix) {
                end += suffix.len();
                break;
            }
        }
        let after = &text[end..];
        let skipped = after.len() - after.trim_start_matches([' ', '\t', '\u{a0}']).len();
        let colon = after[skipped..].chars().next()?;
        // "Je soussignée, Chloé Le Gall" introduces a name with a comma.
        let soussigne = seq[n - 1].0.starts_with("soussign");
        let sep = matches!(colon, ':' | '：') || (soussigne && colon == ',');
        if soussigne && colon != ',' && colon.is_alphabetic() {
            return Some((label, end));
        }
        sep.then_some((label, end + skipped + colon.len_utf8()))
    }

    /// The words of a label's value, a title in front skipped.
    fn label_value<'t>(&self, text: &'t str, pos: usize) -> Vec<Word<'t>> {
        let mut p = pos;
        if let Some((g, w)) = next_word(text, p, LABEL_PAD) {
            let f = fold_small(w.text);
            if g.newlines == 0 && !g.punct && self.titles.contains(&*f) {
                p = w.end + usize::from(text[w.end..].starts_with('.'));
            }
        }
        match next_word(text, p, LABEL_PAD) {
            Some((g, w)) if g.newlines == 0 && !g.punct => self.surname_words(text, w.start),
            _ => Vec::new(),
        }
    }

    fn after_label(
        &self,
        text: &str,
        label: Label,
        colon_end: usize,
    ) -> Option<(TextMatch, usize)> {
        let words = self.label_value(text, colon_end);
        let last_end = words.last()?.end;
        match label {
            Label::Person => {
                if words.len() < 2 && !words.iter().any(|w| self.is_first_name(w.text)) {
                    return None;
                }
                self.matched(&words, 0.95).map(|m| (m, last_end))
            }
            Label::Surname | Label::FirstName => {
                let wanted = if label == Label::Surname {
                    Label::FirstName
                } else {
                    Label::Surname
                };
                let partner = self.find_label(text, last_end, wanted);
                match partner {
                    Some((other, other_end)) => {
                        let (first, last) = if label == Label::Surname {
                            (&other, &words)
                        } else {
                            (&words, &other)
                        };
                        let value = format!(
                            "{} {}",
                            first.iter().map(|w| w.text).collect::<Vec<_>>().join(" "),
                            last.iter().map(|w| w.text).collect::<Vec<_>>().join(" ")
                        );
                        let m = TextMatch {
                            start: words[0].start,
                            end: last_end,
                            value,
                            confidence: 0.95,
                        };
                        Some((m, other_end))
                    }
                    None if label == Label::Surname => {
                        self.matched(&words, 0.6).map(|m| (m, last_end))
                    }
                    None => None,
                }
            }
        }
    }

    /// The value of a `wanted` label within [`PARTNER_WINDOW`] after `pos`.
    fn find_label<'t>(
        &self,
        text: &'t str,
        pos: usize,
        wanted: Label,
    ) -> Option<(Vec<Word<'t>>, usize)> {
        let mut p = pos;
        let limit = pos + PARTNER_WINDOW;
        while let Some((gap, w)) = next_word(text, p, PARTNER_WINDOW) {
            if w.start > limit || gap.newlines > 1 {
                return None;
            }
            if let Some((label, colon_end)) = self.label_at(text, w) {
                let words = self.label_value(text, colon_end);
                if label != wanted {
                    // A label left blank between the two ("Nom d'usage :" on a
                    // form between Nom and Prénom) is passed over.
                    if words.is_empty() {
                        p = colon_end;
                        continue;
                    }
                    return None;
                }
                let end = words.last()?.end;
                return Some((words, end));
            }
            p = w.end;
        }
        None
    }

    /// A first name, then a surname. A `weak` first name (also a word or a
    /// common surname: `Olive`, `Abdou`) takes only the words in capitals
    /// after it (`Olive MARCHAIS Gestionnaire`), at 0.8: the way a
    /// directory or a signature writes a person.
    fn first_then_surname(&self, text: &str, w: Word<'_>, weak: bool) -> Option<TextMatch> {
        if self.in_place_name(text, w) {
            return None;
        }
        let capitals = |r: &Word<'_>| r.shape == Shape::Upper && r.text.chars().count() >= 2;
        let mut rest = self.surname_words(text, w.end);
        if weak {
            rest.truncate(rest.iter().take_while(|r| capitals(r)).count());
        }
        if rest.is_empty() || self.company_follows(text, rest[rest.len() - 1].end) {
            return None;
        }
        // "Jean Pierre" alone: a surname that is only a first name is weak.
        let strong = rest
            .iter()
            .any(|r| !self.is_first_name(r.text) || r.shape == Shape::Upper);
        let known = rest
            .iter()
            .any(|r| with_folded(r.text, |f| self.lex.surnames.contains(f)));
        let conf = match (strong, known) {
            _ if weak => 0.8,
            (_, true) => 0.9,
            (true, false) => 0.85,
            (false, false) => 0.6,
        };
        let mut words = vec![w];
        words.extend(rest);
        self.matched(&words, conf)
    }

    /// `- Mariama LEMOINE, née le …`: a capitalised word the lexicon does not
    /// know, then a surname in capitals, ending a list item or a line.
    fn listed_name(&self, text: &str, w: Word<'_>) -> Option<TextMatch> {
        // Cheap test first (this runs for every capitalised word): a space,
        // then two capitals.
        let upper = |b: Option<&u8>| b.is_some_and(|c| c.is_ascii_uppercase() || *c == 0xC3);
        let b = text.as_bytes();
        if b.get(w.end) != Some(&b' ') || !upper(b.get(w.end + 1)) || !upper(b.get(w.end + 2)) {
            return None;
        }
        if !self.can_be_surname(w) || self.in_place_name(text, w) {
            return None;
        }
        let (gap, s) = next_word(text, w.end, 2)?;
        if gap.newlines > 0 || gap.punct || s.shape != Shape::Upper || s.text.chars().count() < 3 {
            return None;
        }
        if !self.can_be_surname(s) {
            return None;
        }
        let rest = text[s.end..].trim_start_matches([' ', '\t']);
        let ends_item = rest.is_empty() || rest.starts_with([',', '\n', '\r', '(']);
        if !ends_item || self.company_follows(text, s.end) {
            return None;
        }
        self.matched(&[w, s], 0.75)
    }

    fn surname_then_first(&self, text: &str, w: Word<'_>) -> Option<TextMatch> {
        // Cheap test first (this runs for every word in capitals: "GET",
        // "CPU", "KHTML," in logs): the next word must follow after blanks
        // only, and a digit, a punctuation mark or a line break before it
        // ends the search below anyway.
        let after = text.as_bytes()[w.end..]
            .iter()
            .find(|&&c| !matches!(c, b' ' | b'\t' | b'\r'));
        if after.is_none_or(|&c| c < 0x80 && !c.is_ascii_alphabetic()) {
            return None;
        }
        // "VAN DAMME Nadia", "LE GALL Chloé": a run of capitals first.
        let mut last = w;
        let (gap, mut n) = next_word(text, w.end, 4)?;
        let mut gap = gap;
        while n.shape == Shape::Upper && !gap.punct && gap.newlines == 0 && last.end - w.start < 40
        {
            if !self.can_be_surname(n) && !self.particles.contains(&*fold_small(last.text)) {
                return None;
            }
            last = n;
            (gap, n) = next_word(text, n.end, 4)?;
        }
        // `MARCHAIS Olive`: a weak first name after a surname in capitals.
        let weak =
            n.shape == Shape::Cap && !self.is_first_name(n.text) && self.is_weak_first_name(n.text);
        if gap.newlines > 0
            || gap.punct
            || !(weak || self.is_first_name(n.text))
            || !self.can_be_surname(last)
        {
            return None;
        }
        if n.shape == Shape::Upper && !self.lex.first_names.contains(&*fold_small(n.text)) {
            return None;
        }
        if self.in_place_name(text, w) {
            return None;
        }
        let mut words = vec![last, n];
        // A compound first name: "DUPONT Jean Marc".
        if let Some((g, m)) = next_word(text, n.end, 4) {
            if g.newlines == 0 && !g.punct && m.shape == Shape::Cap && self.is_first_name(m.text) {
                words.push(m);
            }
        }
        if self.company_follows(text, words[words.len() - 1].end) {
            return None;
        }
        let firsts: Vec<&str> = words[1..].iter().map(|w| w.text).collect();
        Some(TextMatch {
            start: w.start,
            end: words[words.len() - 1].end,
            value: format!("{} {}", firsts.join(" "), &text[w.start..last.end]),
            confidence: if weak { 0.8 } else { 0.9 },
        })
    }

    /// A cell of a full-name column ("Locataire", "Nom complet"): a name,
    /// or a title and a surname (`Mme DUPONT`, `M. et Mme Martin`: the
    /// surname, as in a sentence).
    fn whole_cell(&self, text: &str) -> Option<TextMatch> {
        let start = text.len() - text.trim_start().len();
        let mut p = start;
        let mut titled = false;
        let title_at = |p: usize| {
            next_word(text, p, 4)
                .filter(|(_, w)| self.titles.contains(&*fold_small(w.text)))
                .map(|(_, w)| w.end + usize::from(text[w.end..].starts_with('.')))
        };
        if let Some(end) = title_at(p) {
            p = end;
            titled = true;
            // A couple: `M. et Mme`, `M. & Mme`.
            let joined = next_word(text, p, 4)
                .filter(|(_, w)| w.text == "et")
                .map(|(_, w)| w.end)
                .or_else(|| {
                    text[p..]
                        .trim_start()
                        .strip_prefix('&')
                        .map(|r| text.len() - r.len())
                });
            if let Some(end) = joined.and_then(title_at) {
                p = end;
            }
        }
        let words = self.label_value(text, p);
        let trailing = text[words.last()?.end..].trim();
        if !trailing.is_empty() {
            return None;
        }
        match words.len() {
            1 if titled => self.matched(&words, 0.85),
            n if n >= 2 => self.matched(&words, 0.9),
            _ => None,
        }
    }

    /// A name from the Nom and Prénom cells of one table row (`first` may be
    /// absent: a surname alone is a weak finding).
    pub fn from_cells(&self, last: &str, first: Option<&str>) -> Option<(String, f32)> {
        let clean = crate::model::fold::collapse_spaces;
        let last = clean(last);
        if last.is_empty()
            || !last.chars().any(char::is_alphabetic)
            || last.chars().any(|c| c.is_ascii_digit())
        {
            return None;
        }
        match first
            .map(clean)
            .filter(|f| f.chars().any(char::is_alphabetic))
        {
            Some(mut f) => {
                f.reserve(1 + last.len());
                f.push(' ');
                f.push_str(&last);
                Some((f, 0.95))
            }
            None => Some((last, 0.6)),
        }
    }
}
