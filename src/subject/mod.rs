//! One person's identifiers (`pdscout subject`), matched however they are
//! written: each identifier is normalised like the findings of its kind, so
//! an IBAN in groups, a phone in any French form or an e-mail in capitals
//! compare equal; names compare by folded words in any order (`LEFEVRE
//! Élodie` is `Élodie Lefèvre`, `Jeanne Dupont` is not `Jean Dupont`); an
//! address by postal code, number and street words. Besides the findings,
//! each text is searched for the surname itself (one multi-literal pass), so
//! that `E. Lefèvre` or a surname the name detector left alone is found too.

pub mod group;
pub mod place;
pub mod record;

use crate::detect::Engine;
use crate::model::fold::{fold, fold_word};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// How sure a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// A surname alone, a birth date alone: someone else may share it.
    Weak,
    /// A full name or a unique identifier.
    Strong,
}

impl Strength {
    /// The name printed in records (`match`).
    pub fn name(self) -> &'static str {
        match self {
            Strength::Weak => "weak",
            Strength::Strong => "strong",
        }
    }
}

/// What the requester gave, as typed.
#[derive(Debug, Clone, Default)]
pub struct SubjectIds {
    pub names: Vec<String>,
    pub addresses: Vec<String>,
    /// (kind, value) of the identifiers compared exactly once normalised
    /// like the findings of their kind: `--email`, `--iban`… and `--id
    /// KIND=VALUE` for any kind of the registry.
    pub exact: Vec<(String, String)>,
}

impl SubjectIds {
    /// Adds the values of one kind.
    pub fn add(&mut self, kind: &str, values: Vec<String>) {
        match kind {
            "name" => self.names.extend(values),
            "address" => self.addresses.extend(values),
            _ => self
                .exact
                .extend(values.into_iter().map(|v| (kind.to_string(), v))),
        }
    }

    /// (kind, masked value) of each identifier, to show what was searched
    /// without printing it.
    pub fn masked(&self) -> Vec<(String, String)> {
        use crate::model::kind::{mask_style, MaskStyle};
        let named = self.names.iter().map(|v| ("name", v));
        let exact = self.exact.iter().map(|(k, v)| (k.as_str(), v));
        let addresses = self.addresses.iter().map(|v| ("address", v));
        named
            .chain(exact)
            .chain(addresses)
            .map(|(k, v)| {
                // Grouped identifiers are masked as the findings are, compact.
                let compact: String = if matches!(mask_style(k), MaskStyle::Iban | MaskStyle::Nir) {
                    v.chars()
                        .filter(|c| c.is_alphanumeric())
                        .collect::<String>()
                        .to_uppercase()
                } else {
                    v.clone()
                };
                (k.to_string(), crate::model::mask::mask(k, &compact))
            })
            .collect()
    }

    /// True when no identifier was given.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.addresses.is_empty() && self.exact.is_empty()
    }
}

#[derive(Debug, Clone)]
struct NameKey {
    /// Folded words of the first name(s) and of the surname.
    first: Vec<String>,
    last: Vec<String>,
}

#[derive(Debug, Clone)]
struct AddressKey {
    postcode: Option<String>,
    number: Option<String>,
    /// Folded street words (street types spelt out).
    words: Vec<String>,
}

/// The compiled identifiers of one person.
#[derive(Debug)]
pub struct Subject {
    /// (kind, normalised value) of the exact identifiers.
    exact: Vec<(String, String, Strength)>,
    names: Vec<NameKey>,
    addresses: Vec<AddressKey>,
    /// Surnames as written, accents or not, for the direct text search.
    surnames: Option<AhoCorasick>,
    /// For each automaton pattern, the index in `names`.
    surname_of: Vec<usize>,
    /// (kind, normalised value) of identifiers that fail their check
    /// (a phone in an unallocated range, an IBAN with a wrong key): the
    /// requester's all the same, searched as given.
    unchecked: Vec<(String, String)>,
}

/// A mention of the subject's surname found directly in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    /// The words as written (`E. Lefèvre`, `LEFEVRE Élodie`).
    pub value: String,
    pub strength: Strength,
}

/// Errors in the identifiers (the value masked).
#[derive(Debug, thiserror::Error)]
pub enum SubjectError {
    #[error("{kind} '{value}' cannot be read as a {kind}")]
    Unreadable { kind: String, value: String },
    #[error("no pattern finds the kind '{kind}' (kinds: {known})")]
    UnknownKind { kind: String, known: String },
}

/// Whether a normalised value that fails its check still has the shape of
/// its kind (digits where digits go): `+33726783747` does, `06 12 ab` not.
fn plausible(kind: &str, n: &str) -> bool {
    let b = n.as_bytes();
    match kind {
        "phone" => {
            let d = n.strip_prefix('+').unwrap_or(n);
            (8..=15).contains(&d.len()) && d.bytes().all(|c| c.is_ascii_digit())
        }
        "iban" => {
            (15..=34).contains(&b.len())
                && b[..2].iter().all(u8::is_ascii_alphabetic)
                && b[2..4].iter().all(u8::is_ascii_digit)
                && b[4..].iter().all(u8::is_ascii_alphanumeric)
                && b[4..].iter().filter(|c| c.is_ascii_digit()).count() >= 6
        }
        "nir" => {
            b.len() == 15
                && b.iter()
                    .enumerate()
                    .all(|(i, c)| c.is_ascii_digit() || (i == 6 && matches!(c, b'A' | b'B')))
        }
        "email" => n
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.')),
        _ => false,
    }
}

impl Subject {
    /// Normalises the identifiers with the engine's normalisers.
    pub fn new(ids: &SubjectIds, engine: &Engine) -> Result<Self, SubjectError> {
        let mut exact = Vec::new();
        let mut unchecked = Vec::new();
        for (kind, v) in &ids.exact {
            let kind = kind.as_str();
            let strength = if crate::model::kind::shared(kind) {
                Strength::Weak
            } else {
                Strength::Strong
            };
            let patterns = || {
                engine
                    .patterns()
                    .iter()
                    .filter(move |p| p.kind == kind && p.regex_based())
            };
            let refused = || SubjectError::Unreadable {
                kind: kind.to_string(),
                value: crate::model::mask::mask(kind, v.trim()),
            };
            if patterns().next().is_none() {
                let mut known: Vec<&str> = engine
                    .patterns()
                    .iter()
                    .filter(|p| p.regex_based())
                    .map(|p| p.kind.as_str())
                    .collect();
                known.dedup();
                return Err(SubjectError::UnknownKind {
                    kind: kind.to_string(),
                    known: known.join(", "),
                });
            }
            let valid = patterns()
                .filter_map(|p| p.normalise_valid(v))
                .find(|n| !n.is_empty());
            let n = match valid {
                Some(n) => n,
                None => {
                    // What the requester gives is theirs, checked or not:
                    // only a value that is no identifier of the kind at all
                    // is refused.
                    let n = patterns()
                        .filter_map(|p| p.normalise(v.trim()))
                        .find(|n| plausible(kind, n))
                        .ok_or_else(refused)?;
                    unchecked.push((kind.to_string(), n.clone()));
                    n
                }
            };
            exact.push((kind.to_string(), n, strength));
        }
        let names: Vec<NameKey> = ids.names.iter().filter_map(|n| name_key(n)).collect();
        let mut variants = Vec::new();
        let mut surname_of = Vec::new();
        for (i, n) in ids.names.iter().enumerate() {
            let Some(last) = n.split_whitespace().last() else {
                continue;
            };
            let plain = crate::model::fold::strip_accents_lower(last);
            for v in [last.to_string(), plain, last.to_uppercase()] {
                if !variants.contains(&v) {
                    variants.push(v);
                    surname_of.push(i);
                }
            }
        }
        let surnames = (!variants.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&variants)
                    .ok()
            })
            .flatten();
        Ok(Subject {
            exact,
            names,
            addresses: ids.addresses.iter().map(|a| address_key(a)).collect(),
            surnames,
            surname_of,
            unchecked,
        })
    }

    /// The identifiers that fail their kind's check, (kind, normalised
    /// value): the engine is to accept them as they are
    /// ([`crate::detect::Engine::accept_given`]).
    pub fn unchecked(&self) -> &[(String, String)] {
        &self.unchecked
    }

    /// Whether the requester gave an identifier of `kind`.
    pub fn gave(&self, kind: &str) -> bool {
        match kind {
            "name" => !self.names.is_empty(),
            "address" => !self.addresses.is_empty(),
            _ => self.exact.iter().any(|(k, _, _)| k == kind),
        }
    }

    /// Whether a finding of `kind` with normalised `value` is the subject's.
    pub fn matches(&self, kind: &str, value: &str) -> Option<Strength> {
        match kind {
            "name" => self.names.iter().filter_map(|k| match_name(k, value)).max(),
            "address" => self
                .addresses
                .iter()
                .any(|k| match_address(k, value))
                .then_some(Strength::Strong),
            _ => self
                .exact
                .iter()
                .find(|(k, v, _)| k == kind && v.eq_ignore_ascii_case(value))
                .map(|(_, _, s)| *s),
        }
    }

    /// Mentions of the subject's surnames in `text[range]`, with the words
    /// around them: a full name (either order, `Lefèvre, Élodie`), an initial
    /// (`E. Lefèvre`) or the surname alone (weak).
    pub fn mentions(&self, text: &str, range: std::ops::Range<usize>, out: &mut Vec<Mention>) {
        let Some(ac) = &self.surnames else {
            return;
        };
        let hay = &text.as_bytes()[..range.end.min(text.len())];
        let input = aho_corasick::Input::new(hay).range(range.start..hay.len());
        for m in ac.find_iter(input) {
            let (s, e) = (m.start(), m.end());
            let word_edge = |i: usize| {
                text[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
            };
            if !word_edge(s) || text[e..].chars().next().is_some_and(char::is_alphanumeric) {
                continue;
            }
            let key =
                &self.names[self.surname_of[m.pattern().as_usize()].min(self.names.len() - 1)];
            let mention = classify_mention(text, s, e, key);
            if !not_a_person(text, mention.start, mention.end) {
                out.push(mention);
            }
        }
    }
}

/// The forms of a normalised value compared by the inventory's
/// fingerprints: the whole value, and for a name its surname with the
/// first name's initial (a weaker key, so that `J. Dupont` is a candidate
/// for Jean Dupont). Names
/// compare by folded words in any order, addresses by number, postal code
/// and spelt-out street words; other kinds by their value in lower case.
pub fn canonical_forms(kind: &str, value: &str) -> (String, Option<String>) {
    match kind {
        "name" => {
            // "Firstname Lastname": the surname and the first name's initial.
            let ws = words(value);
            let part = match (ws.first(), ws.last()) {
                (Some(first), Some(last)) if ws.len() > 1 => Some(surname_key(last, first)),
                _ => None,
            };
            (sorted_words(ws), part)
        }
        "address" => (address_key(value).canonical(), None),
        _ => (value.to_lowercase(), None),
    }
}

/// The weaker key of a name: the surname and the first name's initial,
/// marked `+` when the first name is written out. `J. Dupont` is a
/// candidate for Jean Dupont (`dupont|j`), Jeanne Dupont (`dupont|j+`) is
/// not; a requester known only as `J. Dupont` asks for both.
fn surname_key(last: &str, first: &str) -> String {
    let initial: String = first.chars().take(1).collect();
    let more = if first.chars().nth(1).is_some() {
        "+"
    } else {
        ""
    };
    format!("{last}|{initial}{more}")
}

/// Whether a first name is only an initial (`J`, from `J.`).
fn is_initial(first: &str) -> bool {
    first.chars().nth(1).is_none()
}

fn sorted_words(mut ws: Vec<String>) -> String {
    ws.sort();
    ws.join(" ")
}

impl Subject {
    /// The subject's identifiers as the inventory compares them: (kind,
    /// canonical form, strength, whether it is the weaker surname key).
    pub fn canonical_ids(&self) -> Vec<(String, String, Strength, bool)> {
        let mut out: Vec<(String, String, Strength, bool)> = self
            .exact
            .iter()
            .map(|(k, v, s)| (k.clone(), v.to_lowercase(), *s, false))
            .collect();
        for n in &self.names {
            // A requester known by an initial only has no full name to match.
            let initial_only = n.first.iter().all(|f| is_initial(f));
            if !initial_only {
                let all: Vec<String> = n.first.iter().chain(&n.last).cloned().collect();
                out.push(("name".into(), sorted_words(all), Strength::Strong, false));
            }
            if let (Some(last), Some(first)) = (n.last.last(), n.first.first()) {
                let initial: String = first.chars().take(1).collect();
                let mut keys = vec![surname_key(last, &initial)];
                if initial_only {
                    keys.push(format!("{last}|{initial}+"));
                }
                for key in keys {
                    out.push(("name".into(), key, Strength::Weak, true));
                }
            }
        }
        for a in &self.addresses {
            out.push(("address".into(), a.canonical(), Strength::Strong, false));
        }
        out
    }
}

impl AddressKey {
    fn canonical(&self) -> String {
        format!(
            "{}|{}|{}",
            self.number.as_deref().unwrap_or(""),
            self.postcode.as_deref().unwrap_or(""),
            self.words.join(" ")
        )
    }
}

fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn name_key(n: &str) -> Option<NameKey> {
    // "DUPONT Jean" or "Dupont, Jean": the surname is the capitals or comes first.
    let raw: Vec<&str> = n.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    if raw.is_empty() {
        return None;
    }
    // A surname in capitals (`DUPONT`), not an initial (`C.`).
    let upper = |w: &str| {
        w.chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
            && w.chars().filter(|c| c.is_alphabetic()).count() > 1
    };
    let split = if n.contains(',') {
        let (l, f) = n.split_once(',')?;
        return Some(NameKey {
            first: words(f),
            last: words(l),
        });
    } else if upper(raw[0]) && raw.len() > 1 && !raw.iter().all(|w| upper(w)) {
        raw.iter().take_while(|w| upper(w)).count()
    } else {
        0
    };
    let (last_raw, first_raw): (Vec<&str>, Vec<&str>) = if split > 0 {
        (raw[..split].to_vec(), raw[split..].to_vec())
    } else {
        (raw[raw.len() - 1..].to_vec(), raw[..raw.len() - 1].to_vec())
    };
    Some(NameKey {
        first: words(&first_raw.join(" ")),
        last: words(&last_raw.join(" ")),
    })
}

/// Does a name finding's value name the subject?
fn match_name(k: &NameKey, value: &str) -> Option<Strength> {
    let v = words(value);
    let has_all = |ws: &[String]| !ws.is_empty() && ws.iter().all(|w| v.contains(w));
    if !has_all(&k.last) {
        return None;
    }
    let rest: Vec<&String> = v.iter().filter(|w| !k.last.contains(w)).collect();
    if rest.is_empty() {
        return Some(Strength::Weak); // the surname alone
    }
    if k.first.is_empty() {
        return Some(Strength::Weak);
    }
    // Every other word is one of the first names, or its initial; or,
    // for a requester known by initials (`C. Lemaître`), a first name with
    // that initial (a candidate, never more).
    let initial_only = k.first.iter().all(|f| is_initial(f));
    let fits = rest.iter().all(|w| {
        k.first.contains(w)
            || (is_initial(w) && k.first.iter().any(|f| f.starts_with(w.as_str())))
            || (initial_only && k.first.iter().any(|f| w.starts_with(f.as_str())))
    });
    if !fits {
        return None; // Jeanne Dupont is not Jean Dupont
    }
    // A requester with several first names (`Thi Lan`, `Jean-Pierre`) is
    // named in full only with all of them: `Lan Nguyen` is another woman.
    let full = if k.first.len() > 1 && !initial_only {
        k.first.iter().all(|f| rest.contains(&f))
    } else {
        rest.iter().any(|w| !is_initial(w) && k.first.contains(w))
    };
    Some(if full {
        Strength::Strong
    } else {
        Strength::Weak
    })
}

fn classify_mention(text: &str, s: usize, e: usize, k: &NameKey) -> Mention {
    use crate::detect::words::{next_word, prev_word};
    let mut start = s;
    let mut end = e;
    let mut strength = Strength::Weak;
    // A first name of the requester's, or a hyphenated run of them
    // (`Jean-Pierre`), as its folded words.
    let firsts = |w: &str| -> Option<Vec<String>> {
        let ws = words(w);
        (!ws.is_empty() && ws.iter().all(|f| !is_initial(f) && k.first.contains(f))).then_some(ws)
    };
    let is_first = |w: &str| firsts(w).is_some();
    let initial_only = k.first.iter().all(|f| is_initial(f));
    // `E.` for Élodie; `Claire` for a requester known as `C. Lemaître`.
    let initial_of = |w: &str| {
        let f = fold_word(w);
        (is_initial(&f) && k.first.iter().any(|x| x.starts_with(&f)))
            || (initial_only && k.first.iter().any(|x| f.starts_with(x.as_str())))
    };
    // Several first names (`Thi Lan`): all of them, in the written order's
    // words, make a full name; some of them only a candidate.
    let all_first = |ws: &[String]| k.first.iter().all(|f| ws.contains(f));
    // Before: "Élodie Lefèvre", "E. Lefèvre", "Thi Lan Nguyen".
    if let Some(p) = prev_word(text, s) {
        let dot = text[p.end..s].trim() == ".";
        if is_first(p.text) && text[p.end..s].trim().is_empty() {
            start = p.start;
            let mut seen = firsts(p.text).unwrap_or_default();
            while seen.len() < k.first.len() {
                match prev_word(text, start) {
                    Some(q) if is_first(q.text) && text[q.end..start].trim().is_empty() => {
                        seen.extend(firsts(q.text).unwrap_or_default());
                        start = q.start;
                    }
                    _ => break,
                }
            }
            if all_first(&seen) {
                strength = Strength::Strong;
            }
        } else if initial_of(p.text) && (dot || initial_only) {
            start = p.start;
        }
    }
    // After: "LEFEVRE Élodie", "Lefèvre, Élodie".
    if strength == Strength::Weak {
        if let Some((gap, n)) = next_word(text, e, 4) {
            let sep_ok = gap.newlines == 0 && (!gap.punct || gap.first_punct == Some(','));
            if sep_ok && is_first(n.text) {
                end = n.end;
                let mut seen = firsts(n.text).unwrap_or_default();
                while seen.len() < k.first.len() {
                    match next_word(text, end, 4) {
                        Some((g, m)) if g.newlines == 0 && !g.punct && is_first(m.text) => {
                            seen.extend(firsts(m.text).unwrap_or_default());
                            end = m.end;
                        }
                        _ => break,
                    }
                }
                if all_first(&seen) {
                    strength = Strength::Strong;
                }
            }
        }
    }
    Mention {
        start,
        end,
        value: text[start..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        strength,
    }
}

/// Words before a name that make it a street's (`rue Jean Dupont`, `place
/// du Général Leclerc`).
const STREET_WORDS: &[&str] = &[
    "rue",
    "avenue",
    "av",
    "bd",
    "boulevard",
    "place",
    "allee",
    "impasse",
    "chemin",
    "quai",
    "square",
    "cours",
    "route",
    "residence",
    "passage",
    "villa",
    "cite",
    "lotissement",
    "hameau",
    "voie",
    "sentier",
    "esplanade",
    "promenade",
    "parvis",
    "ruelle",
    "faubourg",
    "college",
    "lycee",
    "ecole",
    "stade",
    "gymnase",
    "hopital",
];

/// Words beside a name that make it a company's (`Dupont Immobilier SARL`,
/// `SCI Dupont`, `Ets Dupont & Fils`).
const COMPANY_WORDS: &[&str] = &[
    "sarl",
    "sas",
    "sasu",
    "eurl",
    "sci",
    "snc",
    "scp",
    "selarl",
    "scm",
    "immobilier",
    "immobiliere",
    "associes",
    "cie",
    "groupe",
    "holding",
    "transports",
    "batiment",
    "btp",
    "conseil",
    "consulting",
    "services",
    "freres",
    "fils",
    "notaires",
    "avocats",
    "expertise",
    "ets",
    "etablissements",
    "entreprise",
    "societe",
    "cabinet",
    "pharmacie",
    "garage",
    "assurances",
    "syndic",
    "&",
];

/// Whether the name at `start..end` of `text` is a street's or a company's,
/// not a person's: a street word up to three words before it on its line,
/// or a company word just before or up to two words after it.
pub fn not_a_person(text: &str, start: usize, end: usize) -> bool {
    use crate::detect::words::{next_word, prev_word};
    let is = |list: &[&str], w: &str| list.contains(&fold_word(w).as_str());
    let mut pos = start;
    for i in 0..3 {
        let Some(p) = prev_word(text, pos) else {
            break;
        };
        if text[p.end..pos].contains(['\n', ',', ';', ':', '(']) {
            break;
        }
        if is(STREET_WORDS, p.text) || (i == 0 && is(COMPANY_WORDS, p.text)) {
            return true;
        }
        pos = p.start;
    }
    // `&` is no word: look at what follows directly.
    if text[end..].trim_start_matches([' ', '\t']).starts_with('&') {
        return true;
    }
    let mut pos = end;
    for _ in 0..2 {
        let Some((gap, n)) = next_word(text, pos, 4) else {
            break;
        };
        if gap.newlines > 0 || (gap.punct && gap.first_punct != Some('-')) {
            break;
        }
        if is(COMPANY_WORDS, n.text) {
            return true;
        }
        pos = n.end;
    }
    false
}

fn address_key(a: &str) -> AddressKey {
    let ws = words(a);
    let postcode = ws
        .iter()
        .find(|w| w.len() == 5 && w.chars().all(|c| c.is_ascii_digit()))
        .cloned();
    let number = ws
        .iter()
        .find(|w| w.len() <= 4 && w.chars().all(|c| c.is_ascii_digit()))
        .cloned();
    let words = ws
        .into_iter()
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .map(|w| spell_out(&w).to_string())
        .collect();
    AddressKey {
        postcode,
        number,
        words,
    }
}

/// Street-type abbreviations spelt out, so that `bd` meets `boulevard`.
fn spell_out(w: &str) -> &str {
    match w {
        "bd" | "bld" | "blvd" => "boulevard",
        "av" | "ave" => "avenue",
        "st" => "saint",
        "ste" => "sainte",
        "pl" => "place",
        "imp" => "impasse",
        "che" | "ch" | "chem" => "chemin",
        "rte" => "route",
        "all" => "allee",
        "sq" => "square",
        "res" => "residence",
        other => other,
    }
}

/// Same postal code (when both have one), same number, and the subject's
/// street words present.
fn match_address(k: &AddressKey, value: &str) -> bool {
    let other = address_key(value);
    if k.postcode.is_some() && other.postcode.is_some() && k.postcode != other.postcode {
        return false;
    }
    if k.number.is_some() && k.number != other.number {
        return false;
    }
    let street: Vec<&String> = k
        .words
        .iter()
        .filter(|w| w.len() > 2 && !matches!(w.as_str(), "rue" | "des" | "les" | "bis" | "ter"))
        .collect();
    !street.is_empty() && street.iter().all(|w| other.words.contains(w))
}

#[cfg(test)]
mod tests;
