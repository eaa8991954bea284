//! French postal addresses. The anchor is a postal code followed by its
//! commune, both checked against the official list (`codes_postaux.tsv`):
//! a bare "75002 Paris" is no address, but with a street before it (same
//! line, or one to three lines above, with complement lines between) it is.
//! The street is a number (bis/ter…) and a street type (`rue`, `av.`,
//! `lieu-dit`…). An address under a company's name gets a low confidence.
//! Value on one line: `12 rue de la Paix, 75002 Paris`.

use super::lexicon::{self, commune_key, Lexicons};
use super::marks::postcode_shapes;
use super::words::{next_word, with_folded, word_at, TextMatch};
use crate::model::fold::{collapse_spaces, fold_word};
use rustc_hash::FxHashSet as HashSet;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

/// The address detector, configured by the `[words]` of `patterns/address.toml`.
#[derive(Debug)]
pub struct AddressDetector {
    /// Street types, as folded word sequences, longest first.
    street_types: Vec<Vec<String>>,
    complements: HashSet<String>,
    company: HashSet<String>,
    legal_forms: HashSet<String>,
    /// Bytes of the longest company word (folded): longer words need no lookup.
    longest_company_word: usize,
    /// The shapes of the company words and legal forms, and of the legal
    /// forms alone: most words of a row need no fold and no look-up.
    company_shapes: Shapes,
    legal_shapes: Shapes,
    lex: &'static Lexicons,
}

/// The (first letter, length) pairs of a set of folded words: an ASCII word
/// of another shape is not in the set, told without folding or hashing it.
#[derive(Debug)]
struct Shapes {
    /// For each letter, bit `n` set when a word of `n` bytes starts with it.
    by_letter: [u64; 26],
    /// False when a word of the set has no such shape (not ASCII, too long,
    /// not starting with a letter): every word may then be in it.
    exact: bool,
}

impl Shapes {
    fn of<'w>(words: impl IntoIterator<Item = &'w String>) -> Self {
        let mut shapes = Shapes {
            by_letter: [0; 26],
            exact: true,
        };
        for w in words {
            match w.as_bytes().first() {
                Some(c @ b'a'..=b'z') if w.is_ascii() && w.len() < 64 => {
                    shapes.by_letter[usize::from(c - b'a')] |= 1 << w.len();
                }
                _ => shapes.exact = false,
            }
        }
        shapes
    }

    /// False when the fold of `w` (a word of letters and digits) is surely
    /// not in the set.
    fn may_hold(&self, w: &str) -> bool {
        if !self.exact || !w.is_ascii() || w.len() >= 64 {
            return true;
        }
        // The fold of an ASCII word is its lower case: same first letter
        // (in lower case), same length.
        let c = w.as_bytes()[0].to_ascii_lowercase();
        c.is_ascii_lowercase() && self.by_letter[usize::from(c - b'a')] & (1 << w.len()) != 0
    }
}

/// Street types a street line may start with without a number.
const NUMBERLESS: &[&str] = &[
    "lieu-dit",
    "lieudit",
    "ld",
    "hameau",
    "residence",
    "lotissement",
    "domaine",
];
const NUMBER_SUFFIXES: &[&str] = &["bis", "ter", "quater", "b", "t", "a", "c"];
/// Lines above a postal-code line searched for the street.
const LINES_UP: usize = 3;
const MAX_COMMUNE_WORDS: usize = 6;

impl AddressDetector {
    /// Builds the detector from a pattern file's word lists.
    pub fn new(words: &BTreeMap<String, Vec<String>>) -> Self {
        let list = |k: &str| words.get(k).into_iter().flatten();
        let mut street_types: Vec<Vec<String>> = list("street_types")
            .map(|p| p.split(' ').map(fold_word).collect())
            .collect();
        street_types.sort_by_key(|p| std::cmp::Reverse(p.len()));
        let company: HashSet<String> = list("company").map(|w| fold_word(w)).collect();
        let legal_forms: HashSet<String> = list("legal_forms").map(|w| fold_word(w)).collect();
        let longest_company_word = company.iter().chain(&legal_forms).map(String::len).max();
        let company_shapes = Shapes::of(company.iter().chain(&legal_forms));
        let legal_shapes = Shapes::of(&legal_forms);
        AddressDetector {
            company_shapes,
            legal_shapes,
            street_types,
            complements: list("complements").map(|w| fold_word(w)).collect(),
            company,
            legal_forms,
            longest_company_word: longest_company_word.unwrap_or(0),
            lex: lexicon::get(),
        }
    }

    /// Finds the addresses whose postal code lies in `range` of `text`.
    pub fn find(&self, text: &str, range: Range<usize>, out: &mut Vec<TextMatch>) {
        let b = text.as_bytes();
        let mut resume = range.start;
        // A postal code is a word of five digits, a space and a letter.
        for i in postcode_shapes(b, range.start, range.end) {
            if i < resume {
                continue;
            }
            // After one space, or more where a form pads its fields, or a
            // cell's tab.
            let spaces = b[i + 5..]
                .iter()
                .take_while(|c| matches!(**c, b' ' | b'\t'))
                .count();
            let letter_follows = spaces > 0
                && b.get(i + 5 + spaces)
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c >= 0xC3);
            if letter_follows {
                if let Some(m) = self.at_postcode(text, i) {
                    resume = m.end;
                    out.push(m);
                }
            }
        }
    }

    /// The commune after the postal code at `pos`, if it is one of the code's:
    /// where it ends and how it is written.
    fn commune(&self, text: &str, pos: usize) -> Option<(usize, String, bool)> {
        let code: u32 = text.get(pos..pos + 5)?.parse().ok()?;
        let after = &text[pos + 5..];
        let mut gap = after.len() - after.trim_start_matches([' ', '\u{a0}']).len();
        // The commune in the next cell of a row (`69003;Lyon`, whose `;`
        // reads as a tab).
        if gap == 0 && after.starts_with('\t') && !after[1..].starts_with(['\t', ' ']) {
            gap = 1;
        }
        if gap == 0 {
            return None;
        }
        // A form's commune field after the code: `69100    Commune : Bron`.
        if let Some(w) = word_at(text, pos + 5 + gap) {
            let rest = text[w.end..].trim_start_matches([' ', '\u{a0}']);
            if with_folded(w.text, |f| matches!(f, "commune" | "ville" | "localite"))
                && rest.starts_with(':')
            {
                let value = &rest[1..];
                let value = value.trim_start_matches([' ', '\u{a0}']);
                gap = text.len() - value.len() - (pos + 5);
            }
        }
        let mut words = Vec::new();
        let mut p = pos + 5 + gap;
        while words.len() < MAX_COMMUNE_WORDS {
            match next_word(text, p, 3) {
                Some((g, w)) if g.newlines == 0 && (!g.punct || g.first_punct == Some('-')) => {
                    words.push(w);
                    p = w.end;
                }
                _ => break,
            }
        }
        let first = words.first()?;
        if first.start != pos + 5 + gap {
            return None;
        }
        // A code no commune has (most five-digit numbers: `processed=15273
        // skipped=2` in a log) can only be a CEDEX's.
        let known = self.lex.postcodes.get(code).unwrap_or_default();
        for n in (1..=words.len()).rev().filter(|_| !known.is_empty()) {
            let written = &text[first.start..words[n - 1].end];
            let key = commune_key(written);
            if known.contains(&key) {
                let mut end = words[n - 1].end;
                // "Cedex 02" belongs to the address.
                if let Some((g, w)) = next_word(text, end, 2) {
                    if g.newlines == 0 && !g.punct && fold_word(w.text) == "cedex" {
                        end = w.end;
                        let digits = text[end..].trim_start_matches(' ');
                        let n = digits.bytes().take_while(u8::is_ascii_digit).count();
                        if n > 0 {
                            end = text.len() - digits.len() + n;
                        }
                    }
                }
                return Some((end, text[first.start..end].to_string(), true));
            }
        }
        // A CEDEX code is not in the list of communes' codes.
        let cedex = words
            .iter()
            .position(|w| with_folded(w.text, |f| f == "cedex"))?;
        let end = words[cedex].end;
        Some((end, text[first.start..end].to_string(), false))
    }

    fn at_postcode(&self, text: &str, pos: usize) -> Option<TextMatch> {
        let (end, commune, verified) = self.commune(text, pos)?;
        let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
        // Lines of two columns (a tenant's block beside the letterhead, as a
        // PDF's text comes out): only the postal code's column is read.
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let seg_start = segments(text, line_start, line_end)
            .map(|r| r.start)
            .take_while(|&s| s <= pos)
            .last()
            .unwrap_or(line_start);
        let code_column = text[line_start..seg_start].chars().count();
        let columns = Some(code_column);
        let code = &text[pos..pos + 5];
        // The street on the same line, before the code: in its stretch, or
        // in the cell before it on a table row (`12 rue des Lilas;69003
        // Lyon`, a row pasted in a note, whose `;` read as tabs).
        let in_stretch = self.street_in(text, seg_start, pos);
        let in_cell = in_stretch
            .is_none()
            .then(|| self.street_in_cell_before(text, line_start, line_end, seg_start))
            .flatten();
        let same_line = in_stretch.is_some() || in_cell.is_some();
        let (street_start, street, complements, above) = match (in_stretch, in_cell) {
            (_, Some((s, street))) => (s, street, Vec::new(), Cow::Borrowed(&text[line_start..s])),
            (Some(s), None) => {
                let line =
                    text[s..pos].trim_end_matches([' ', ',', ';', '-', '\t', '–', '—', '|', '·']);
                // Only the clause just before the street qualifies it; an
                // address alone on its line is a block's, qualified by the
                // lines above it as well (`Habitat …` / `27 rue … – 69400
                // Villefranche`).
                let clause = if text[seg_start..s].trim().is_empty() {
                    block_above(text, line_start)
                } else {
                    text[line_start..s]
                        .rfind(['.', ';', '!', '?'])
                        .map_or(line_start, |i| line_start + i + 1)
                };
                (
                    s,
                    line.to_string(),
                    Vec::new(),
                    Cow::Borrowed(&text[clause..s]),
                )
            }
            (None, None) => self.street_above(text, line_start, columns)?,
        };
        let mut value = normalise_street(&street);
        for c in &complements {
            value.push_str(", ");
            value.push_str(c);
        }
        value.push_str(&format!(", {code} {}", collapse_spaces(&commune)));
        // CEDEX, CS, BP and TSA are postal services for organisations.
        let business = value
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| matches!(fold_word(w).as_str(), "cedex" | "cs" | "bp" | "tsa"));
        // A long line above is prose, not a letterhead: legal forms only.
        let block = !same_line || above.contains('\n');
        let prose = !block || above.lines().any(|l| l.chars().count() > 60);
        // A company's identifiers on the line after (`SIRET …`, `RCS …`).
        let after = text[end..]
            .strip_prefix('\n')
            .or_else(|| text[end..].strip_prefix("\r\n"));
        // On lines of two columns, the line after in the code's column only
        // (a payslip's employer's SIRET under its address, left of the
        // employee's).
        let next_column = segments(text, line_start, line_end)
            .find(|r| r.start > pos)
            .map(|r| text[line_start..r.start].chars().count());
        let ids_after = block
            && after.is_some_and(|a| {
                let line = &a[..a.find('\n').unwrap_or(a.len())];
                self.mentions_company(columns_of(line, code_column, next_column), true)
            });
        let company = business
            || ids_after
            || self.mentions_company(&above, prose)
            || match columns {
                None => letterhead(text, street_start, end),
                Some(c) => column_letterhead(text, street_start, end, c),
            };
        let confidence = match (verified, company) {
            (_, true) => 0.3,
            (false, false) => 0.3,
            (true, false) => 0.9,
        };
        Some(TextMatch {
            start: street_start,
            end,
            value,
            confidence,
        })
    }

    /// The start of the first street (number + street type) in `text[from..to]`.
    fn street_in(&self, text: &str, from: usize, to: usize) -> Option<usize> {
        let seg = &text.as_bytes()[from..to];
        let mut i = 0;
        while i < seg.len() {
            let at_word_start =
                i == 0 || !(seg[i - 1].is_ascii_alphanumeric() || seg[i - 1] >= 0x80);
            if at_word_start
                && (seg[i].is_ascii_digit() || seg[i].is_ascii_alphabetic())
                && self.street_at(text, from + i, to)
            {
                return Some(from + i);
            }
            i += 1;
        }
        None
    }

    /// True when a street line starts at `pos`: `12`, `12 bis`, `12bis`,
    /// then an optional comma, then a street type; or a numberless type
    /// (`Lieu-dit`, `Résidence`…).
    fn street_at(&self, text: &str, pos: usize, limit: usize) -> bool {
        let b = text.as_bytes();
        let digits = b[pos..limit]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 {
            let Some(w) = word_at(text, pos) else {
                return false;
            };
            let (lieu, numberless) =
                with_folded(w.text, |f| (f == "lieu", NUMBERLESS.contains(&f)));
            let lieu_dit = lieu
                && next_word(text, w.end, 2)
                    .is_some_and(|(_, n)| with_folded(n.text, |f| f == "dit"));
            return (lieu_dit || numberless) && w.end < limit;
        }
        if digits > 4 {
            return false;
        }
        let mut p = pos + digits;
        // "12bis" or "12 bis"
        if let Some(w) = word_at(text, p).or_else(|| next_word(text, p, 2).map(|(_, w)| w)) {
            if with_folded(w.text, |f| NUMBER_SUFFIXES.contains(&f)) && w.start <= p + 1 {
                p = w.end;
            }
        }
        let Some((gap, w)) = next_word(text, p, 3) else {
            return false;
        };
        if gap.newlines > 0 || (gap.punct && gap.first_punct != Some(',')) || w.start >= limit {
            return false;
        }
        self.street_type_at(text, w.start)
    }

    /// True when a street type starts at `pos` (abbreviations with a dot too).
    fn street_type_at(&self, text: &str, pos: usize) -> bool {
        // Folded on the stack: this runs for every number in a text and
        // every street cell of a table.
        let (mut b1, mut b2) = ([0u8; 48], [0u8; 48]);
        let (mut s1, mut s2) = (String::new(), String::new());
        let mut seq: [&str; 8] = [""; 8];
        let mut n = 0;
        let mut p = pos;
        if let Some(w) = word_at(text, pos) {
            for part in folded(w.text, &mut b1, &mut s1).split(['-', '\'']) {
                if n == seq.len() {
                    break;
                }
                seq[n] = part;
                n += 1;
            }
            p = w.end;
        }
        if let Some((g, w)) = next_word(text, p, 2) {
            if g.newlines == 0 && !g.punct && n < seq.len() {
                seq[n] = folded(w.text, &mut b2, &mut s2);
                n += 1;
            }
        }
        let seq = &seq[..n];
        self.street_types
            .iter()
            .any(|t| t.len() <= seq.len() && t.iter().zip(seq).all(|(a, b)| a == b))
    }

    /// On a row of cells (tab-separated, two tabs or more, no wider gap),
    /// the street filling the cell just before the one at `cell_start`:
    /// where it starts, and its text.
    fn street_in_cell_before(
        &self,
        text: &str,
        line_start: usize,
        line_end: usize,
        cell_start: usize,
    ) -> Option<(usize, String)> {
        let line = &text[line_start..line_end];
        let row = line.bytes().filter(|&b| b == b'\t').count() >= 2 && !line.contains("   ");
        if !row || cell_start == 0 || text.as_bytes()[cell_start - 1] != b'\t' {
            return None;
        }
        let before = &text[line_start..cell_start - 1];
        let cell = line_start + before.rfind('\t').map_or(0, |i| i + 1);
        let cell = cell
            + (text[cell..cell_start - 1].len() - text[cell..cell_start - 1].trim_start().len());
        let end = cell_start - 1;
        (self.street_in(text, cell, end) == Some(cell))
            .then(|| (cell, text[cell..end].trim_end().to_string()))
    }

    /// The street line among the lines above `line_start`, with the
    /// complement lines between it and the postal-code line.
    fn street_above<'t>(
        &self,
        text: &'t str,
        line_start: usize,
        columns: Option<usize>,
    ) -> Option<(usize, String, Vec<String>, Cow<'t, str>)> {
        let mut end = line_start.checked_sub(1)?;
        let mut complements: Vec<String> = Vec::new();
        for _ in 0..LINES_UP {
            let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
            let raw = match columns {
                None => &text[start..end],
                Some(c) => {
                    let r = column_at(text, start, end, c)?;
                    &text[r]
                }
            };
            // Where the line (or its column) starts in `text`.
            let start = raw.as_ptr() as usize - text.as_ptr() as usize;
            let line = raw.trim();
            let lead = start + (raw.len() - raw.trim_start().len());
            if line.is_empty() {
                return None;
            }
            if let Some(s) = self.street_in(text, lead, lead + line.len()) {
                // A form's street line: `N° et voie : 12 rue …`.
                let labelled = s > lead && form_label(&text[lead..s]);
                if s == lead || labelled {
                    let line = &text[s..lead + line.len()];
                    complements.reverse();
                    // The block of (at most two) lines above: "EMPLOYEUR" /
                    // "Carrefour Market"; a blank line ends the block.
                    let above_start = block_above(text, start);
                    let above = match columns {
                        // At most two lines above, in this column.
                        Some(c) => {
                            let mut ls = text[..start].rfind('\n').map_or(0, |i| i + 1);
                            let mut lines: Vec<&str> = Vec::new();
                            for _ in 0..2 {
                                if ls == 0 {
                                    break;
                                }
                                let prev = text[..ls - 1].rfind('\n').map_or(0, |i| i + 1);
                                match column_at(text, prev, ls - 1, c) {
                                    Some(r) if !attribution(&text[r.clone()]) => {
                                        lines.insert(0, &text[r])
                                    }
                                    _ => break,
                                }
                                ls = prev;
                            }
                            Cow::Owned(lines.join("\n"))
                        }
                        None => Cow::Borrowed(&text[above_start..start]),
                    };
                    return Some((s, line.to_string(), complements, from_addressee(above)));
                }
            }
            // A form's label between the street and the code (`Adresse` /
            // `137 rue …` / `Code postal / Ville` / `44200 Nantes`, a table's
            // cells one a line).
            if complements.is_empty() && end + 1 == line_start && postcode_label(line) {
                end = text[..start].rfind('\n')?;
                continue;
            }
            if !self.is_complement(line) {
                return None;
            }
            complements.push(collapse_spaces(line.trim_end_matches(',')));
            end = text[..start].rfind('\n')?;
        }
        None
    }

    fn is_complement(&self, line: &str) -> bool {
        let first = line
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .map(fold_word)
            .unwrap_or_default();
        self.complements.contains(&first)
    }

    /// True when `text` names a company: any marker on the lines above a
    /// street; only legal forms and explicit labels before a street on its
    /// own line of prose ("… de notre logement situé 12 rue …" is a tenant's).
    fn mentions_company(&self, text: &str, prose: bool) -> bool {
        // Folding never shortens a word to less than half its bytes (`é` → `e`),
        // and no company word starts with a digit (most words of a table row do).
        let longest = 2 * self.longest_company_word;
        let shapes = if prose {
            &self.legal_shapes
        } else {
            &self.company_shapes
        };
        any_word(text, |w| {
            !w.is_empty()
                && w.len() <= longest
                && !w.as_bytes()[0].is_ascii_digit()
                && shapes.may_hold(w)
                && with_folded(w, |w| {
                    if prose {
                        self.legal_forms.contains(w)
                    } else {
                        self.company.contains(w) || self.legal_forms.contains(w)
                    }
                })
        })
    }

    /// True when one of the cells (other than the address's own) names a
    /// company by its legal form: a supplier list, not tenants.
    pub fn row_is_company<'c>(&self, cells: impl IntoIterator<Item = &'c str>) -> bool {
        cells.into_iter().any(|c| self.mentions_company(c, true))
    }

    /// True when `line` (one cell) starts with a street: a number and a
    /// street type (`85 rue des Glycines`), not a complement (`Bât. B`).
    pub fn is_street(&self, line: &str) -> bool {
        let lead = line.len() - line.trim_start().len();
        self.street_in(line, lead, line.len()) == Some(lead)
    }

    /// An address from the cells of one table row.
    pub fn from_cells(
        &self,
        street: &str,
        extra: Option<&str>,
        postcode: Option<&str>,
        city: Option<&str>,
    ) -> Option<(String, f32)> {
        let street = collapse_spaces(street);
        if street.is_empty() || !street.chars().any(char::is_alphabetic) {
            return None;
        }
        let mut value = normalise_street(&street);
        if let Some(e) = extra.map(collapse_spaces).filter(|e| !e.is_empty()) {
            value.push_str(", ");
            value.push_str(&e);
        }
        // A postal code stored as a number lost its leading zero (`1000`).
        let code = postcode
            .map(|c| match c.trim() {
                c if c.len() == 4 && c.bytes().all(|b| b.is_ascii_digit()) => format!("0{c}"),
                c => c.to_string(),
            })
            .filter(|c| !c.is_empty());
        let city = city.map(collapse_spaces).filter(|c| !c.is_empty());
        let verified = match (&code, &city) {
            (Some(c), Some(v)) => c
                .parse::<u32>()
                .ok()
                .and_then(|c| self.lex.postcodes.get(c))
                .is_some_and(|names| names.contains(&commune_key(v))),
            _ => false,
        };
        let tail: Vec<&str> = [code.as_deref(), city.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !tail.is_empty() {
            value.push_str(", ");
            value.push_str(&tail.join(" "));
        }
        Some((value, if verified { 0.95 } else { 0.6 }))
    }
}

/// True when `pred` holds for one of the pieces of `text` split at every
/// character neither a letter nor a digit (empty pieces too, as
/// `str::split` gives them); an ASCII text is split byte by byte, its
/// characters being its bytes.
fn any_word(text: &str, mut pred: impl FnMut(&str) -> bool) -> bool {
    if !text.is_ascii() {
        return text.split(|c: char| !c.is_alphanumeric()).any(pred);
    }
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if !b.is_ascii_alphanumeric() {
            if pred(&text[start..i]) {
                return true;
            }
            start = i + 1;
        }
    }
    pred(&text[start..])
}

/// The stretches of `text[from..to]` (one line) between column gaps (a tab,
/// or three spaces or more), leading blanks left out.
fn segments(text: &str, from: usize, to: usize) -> impl Iterator<Item = Range<usize>> + '_ {
    let b = &text.as_bytes()[..to];
    let mut p = from;
    std::iter::from_fn(move || {
        while p < to && matches!(b[p], b' ' | b'\t') {
            p += 1;
        }
        if p >= to {
            return None;
        }
        let start = p;
        while p < to {
            if b[p] == b'\t' || (b[p] == b' ' && b[p..].starts_with(b"   ")) {
                break;
            }
            p += 1;
        }
        let end = start + text[start..p].trim_end().len();
        Some(start..end)
    })
}

/// The stretch of the line `text[from..to]` that starts at character
/// column `col` (the line's only stretch when it has no gap).
fn column_at(text: &str, from: usize, to: usize, col: usize) -> Option<Range<usize>> {
    let segs: Vec<Range<usize>> = segments(text, from, to).collect();
    let col_of = |r: &Range<usize>| text[from..r.start].chars().count();
    // A line of one stretch may be indented a little differently.
    if let [only] = segs.as_slice() {
        return (col_of(only).abs_diff(col) <= 2).then(|| only.clone());
    }
    segs.into_iter().find(|r| col_of(r) == col)
}

/// True for a form's label of a postal code and a commune (`Code postal /
/// Ville`, `CP :`).
fn postcode_label(line: &str) -> bool {
    let mut words = line
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .peekable();
    words.peek().is_some()
        && words.all(|w| {
            matches!(
                fold_word(w).as_str(),
                "code" | "postal" | "postale" | "cp" | "ville" | "commune" | "localite"
            )
        })
}

/// The block above an address from its addressee's line on (`Madame Nour
/// Haddou` under a letterhead's `SIRET …`): what stands above the addressee
/// is the sender's, and says nothing of the address.
fn from_addressee(above: Cow<'_, str>) -> Cow<'_, str> {
    let civility = |l: &str| {
        l.split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .is_some_and(|w| {
                matches!(
                    fold_word(w).as_str(),
                    "madame" | "monsieur" | "mme" | "mlle" | "mademoiselle"
                ) || (w == "M" && l.trim_start().starts_with("M."))
            })
    };
    let mut at = 0;
    let mut found = None;
    for l in above.split_inclusive('\n') {
        if civility(l) {
            found = Some(at);
        }
        at += l.len();
    }
    match (found, above) {
        (Some(i), Cow::Borrowed(b)) if i > 0 => Cow::Borrowed(&b[i..]),
        (Some(i), Cow::Owned(o)) if i > 0 => Cow::Owned(o[i..].to_string()),
        (_, a) => a,
    }
}

/// The characters of `line` from column `from` to column `to` (or its end).
fn columns_of(line: &str, from: usize, to: Option<usize>) -> &str {
    let at = |col: usize| line.char_indices().nth(col).map_or(line.len(), |(i, _)| i);
    let start = at(from);
    let end = to.map_or(line.len(), at).max(start);
    &line[start..end]
}

/// [`letterhead`] for an address in a column: the address's lines and the
/// next one, that column only.
fn column_letterhead(text: &str, start: usize, end: usize, col: usize) -> bool {
    let first = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut joined = Vec::new();
    let mut ls = first;
    let mut after_end = 0;
    while ls <= text.len() && after_end < 2 {
        let le = text[ls..].find('\n').map_or(text.len(), |i| ls + i);
        if let Some(r) = column_at(text, ls, le, col) {
            joined.extend_from_slice(&text.as_bytes()[r]);
            joined.push(b'\n');
        }
        if le >= end {
            after_end += 1;
        }
        if le >= text.len() {
            break;
        }
        ls = le + 1;
    }
    super::validate::organisation_contact_line(&joined)
}

/// Whitespace collapsed, and no comma between the number and the street
/// type (`12 bis, avenue` → `12 bis avenue`).
fn normalise_street(s: &str) -> String {
    let s = collapse_spaces(s.trim_end_matches([',', ' ']));
    let Some(comma) = s.find(',') else {
        return s;
    };
    let head = &s[..comma];
    let is_number = head.split(' ').all(|w| {
        w.chars().all(|c| c.is_ascii_digit())
            || NUMBER_SUFFIXES.contains(&fold_word(w).as_str())
            || w.starts_with(|c: char| c.is_ascii_digit())
    });
    if is_number && !head.is_empty() {
        format!("{}{}", head, &s[comma + 1..])
    } else {
        s
    }
}

/// True when the address's lines or the next one give an organisation's
/// website or role mailbox: a letterhead or a footer (`Habitat Exemple – 1
/// place … – 69001 LYON` above `Standard : … – www.habitat-exemple.fr`),
/// whose address is the organisation's. The line before is left out: a
/// tenant's address often follows the organisation's header.
fn letterhead(text: &str, start: usize, end: usize) -> bool {
    use super::validate::Candidate;
    let own = Candidate {
        hay: text,
        start,
        end,
    }
    .line_range();
    // The next line, within the same reach after the address.
    let next_end = if own.end < text.len() {
        let at = own.end + 1;
        let next = Candidate {
            hay: text,
            start: at,
            end: at,
        };
        next.line_range().end.min(end + super::validate::LINE_REACH)
    } else {
        own.end
    };
    super::validate::organisation_contact_line(&text.as_bytes()[own.start..next_end.max(own.end)])
}

/// Where the block of (at most two) lines above the line starting at
/// `line_start` begins: "EMPLOYEUR" / "Carrefour Market"; a blank line or a
/// reply's attribution line ends the block.
fn block_above(text: &str, line_start: usize) -> usize {
    let mut above_start = line_start;
    for _ in 0..2 {
        let prev = text[..above_start.saturating_sub(1)]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let prev_line = text[prev..above_start].trim();
        if prev >= above_start || prev_line.is_empty() || attribution(prev_line) {
            break;
        }
        above_start = prev;
    }
    above_start
}

/// A reply's attribution line (`Le 5 mars, Habitat Exemple a écrit :`,
/// `… wrote:`): it introduces the quoted text, it is no part of the block
/// of lines above an address (the company it names is not the address's).
fn attribution(line: &str) -> bool {
    let line = line.trim_end();
    line.ends_with(':') && (line.contains("écrit") || line.contains("wrote"))
}

/// True when `f`, a value inside the lines of the address starting at
/// `start`, stands in another column than the address (a two-column
/// letter: `Tél. 04 72 …` left of the tenant's postcode, the tenant's name
/// right of the letterhead's street): on one line, with a gap of two blanks
/// or a tab between it and the address's column.
pub(crate) fn beside_column(text: &str, start: usize, f: Range<usize>) -> bool {
    let b = text.as_bytes();
    if f.end > b.len() || memchr::memchr(b'\n', &b[f.clone()]).is_some() {
        return false;
    }
    let line = memchr::memrchr(b'\n', &b[..f.start]).map_or(0, |i| i + 1);
    let first_line = memchr::memrchr(b'\n', &b[..start]).map_or(0, |i| i + 1);
    // Where the address's column is on `f`'s line.
    let at = if line == first_line {
        start
    } else {
        let col = text[first_line..start].chars().count();
        let Some((at, _)) = text[line..].char_indices().nth(col) else {
            return false;
        };
        line + at
    };
    if memchr::memchr(b'\n', &b[line..at]).is_some() {
        return false;
    }
    let gap = |s: &[u8]| s.windows(2).any(|w| w == b"  ") || s.contains(&b'\t');
    if f.end <= at {
        let between = &b[f.end..at];
        between.len() >= 2 && between.iter().all(|&c| c == b' ' || c == b'\t')
    } else {
        f.start >= at && gap(&b[at..f.start])
    }
}

/// True when `prefix` is a short form label before a value (`N° et voie :`).
fn form_label(prefix: &str) -> bool {
    let p = prefix.trim_end();
    p.ends_with(':') && p.chars().count() <= 32 && !p.chars().any(|c| c.is_ascii_digit())
}

/// The fold of `word` ([`fold_word`]), on the stack in `buf` when it can
/// be, else in `spill`.
fn folded<'b>(word: &str, buf: &'b mut [u8; 48], spill: &'b mut String) -> &'b str {
    match crate::detect::words::fold_latin(word, buf) {
        Some(f) => f,
        None => {
            *spill = fold_word(word);
            spill
        }
    }
}

#[cfg(test)]
mod tests {
    use super::any_word;

    #[test]
    fn words_of_ascii_text_are_split_as_str_split_splits_them() {
        for text in [
            "",
            "a",
            " SARL  Dupont-Frères ",
            "12, rue X",
            "SAS",
            "-",
            "Café Élan",
        ] {
            let mut seen = Vec::new();
            assert!(!any_word(text, |w| {
                seen.push(w.to_string());
                false
            }));
            let split: Vec<String> = text
                .split(|c: char| !c.is_alphanumeric())
                .map(str::to_string)
                .collect();
            assert_eq!(seen, split, "{text:?}");
        }
        assert!(any_word("Boulangerie Martin SARL", |w| w == "SARL"));
    }
}
