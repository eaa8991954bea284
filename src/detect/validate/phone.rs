//! Phone numbers: French numbers in every usual written form, normalised to
//! E.164 and checked against the French numbering plan; other countries'
//! numbers (written with `+`) checked with the `phonenumber` crate's metadata.

/// E.164 form of a written phone number: `06 12 34 56 78`, `+33 (0)6…`,
/// `0033 6…` → `+33612345678`.
pub fn to_e164(text: &str) -> Option<String> {
    let plus = text.trim_start().starts_with('+');
    let digits = super::digits(text);
    let mut digits = digits.as_str();
    if !plus {
        if let Some(rest) = digits.strip_prefix("00") {
            digits = rest;
        } else if let Some(national) = digits.strip_prefix('0') {
            return (national.len() == 9).then(|| e164("33", national));
        } else {
            return None;
        }
    }
    // "+33 (0)1 23…": the trunk 0 after the country code is dropped.
    if let Some(national) = digits.strip_prefix("330") {
        if national.len() == 9 {
            return Some(e164("33", national));
        }
    }
    (digits.len() >= 7 && digits.len() <= 15).then(|| e164("", digits))
}

/// A French national number stored without its leading 0 (a number cell:
/// `612345678` in a "Téléphone" column).
pub fn bare_to_e164(text: &str) -> Option<String> {
    let digits = super::digits(text);
    match digits.len() {
        9 if !digits.starts_with('0') => Some(e164("33", &digits)),
        10 if digits.starts_with('0') => Some(e164("33", &digits[1..])),
        _ => None,
    }
}

/// `+`, the country code, the number (every phone found is written so:
/// built directly, not through `format!`).
fn e164(country: &str, number: &str) -> String {
    let mut s = String::with_capacity(1 + country.len() + number.len());
    s.push('+');
    s.push_str(country);
    s.push_str(number);
    s
}

/// True for an E.164 number that exists in its country's numbering plan.
pub fn valid(e164: &str) -> bool {
    if let Some(national) = e164.strip_prefix("+33") {
        return valid_french(national);
    }
    match phonenumber::parse(None, e164) {
        Ok(n) => phonenumber::is_valid(&n),
        Err(_) => false,
    }
}

/// Confidence factor of a French number outside the allocated ranges where
/// a phone is expected: above the default `--min-confidence`, below an
/// allocated number's confidence.
const UNALLOCATED_FACTOR: f32 = 0.65;

/// A French number of ten digits in a range not allocated today (`07 00` to
/// `07 29`), or an international one of its country's length outside its
/// plan (`+212 7 32…`, `+213 57…`): a typo or an invented number on a form,
/// reported only where a phone is expected (a `Tél :` label, a phone column
/// or key).
pub fn unallocated(e164: &str) -> bool {
    if let Some(n) = e164.strip_prefix("+33") {
        let b = n.as_bytes();
        return b.len() == 9 && b.iter().all(u8::is_ascii_digit) && b[0] == b'7' && b[1] < b'3';
    }
    let Ok(n) = phonenumber::parse(None, e164) else {
        return false;
    };
    if phonenumber::is_valid(&n) {
        return false;
    }
    let length = n.national().to_string().len();
    // The country's regions (not the one whose plan the number fits:
    // none), the lengths of a subscriber's line, fixed or mobile.
    phonenumber::metadata::DATABASE
        .by_code(&n.code().value())
        .is_some_and(|regions| {
            regions.iter().any(|m| {
                let d = m.descriptors();
                [Some(d.general()), d.fixed_line(), d.mobile()]
                    .into_iter()
                    .flatten()
                    .any(|d| {
                        d.possible_length()
                            .iter()
                            .any(|&l| usize::from(l) == length)
                    })
            })
        })
}

/// Confidence factor of an organisation's number (below the default
/// `--min-confidence`, shown with `--min-confidence 0`).
const ORGANISATION_FACTOR: f32 = 0.3;

/// `Some(factor)` for a number of the numbering plan standing alone; an
/// organisation's number (see [`organisation_number`]) gets a low factor.
pub fn check(c: &super::Candidate, e164: &str) -> Option<f32> {
    if !super::stands_alone(c) || c.text() == "0123456789" {
        return None;
    }
    if !valid(e164) {
        return unallocated(e164).then_some(UNALLOCATED_FACTOR);
    }
    Some(if organisation_number(c, e164) {
        ORGANISATION_FACTOR
    } else {
        1.0
    })
}

/// An organisation's number, not a person's: a French special-rate number
/// (`08…`: services, never a subscriber's line); a landline (`01`-`05`,
/// `09`) on a line that gives the organisation's website or role mailbox (a
/// letterhead, a footer) or in a sentence that speaks of an office
/// (`Accueil du lundi au vendredi de 9h à 12h – 04 72 …`, `contactez votre
/// agence au 04 …`). A mobile is a person's line
/// wherever it stands (a staff member's signature beside the website, a
/// tenant saying when to call).
fn organisation_number(c: &super::Candidate, e164: &str) -> bool {
    let Some(national) = e164.strip_prefix("+33") else {
        return false;
    };
    match national.as_bytes().first() {
        Some(b'8') => true,
        Some(b'1'..=b'5' | b'9') => {
            super::email::organisation_contact_line(c.line())
                || office_sentence(c.sentence())
                || beside_own_name(c)
                || office_sentence(&block_above(c))
        }
        _ => false,
    }
}

/// How far around a number the e-mail addresses that name its organisation
/// are looked for (a message's headers, a letter's footer).
const DOMAIN_REACH: usize = 8 * 1024;

/// The number stands beside the organisation's name alone, and the name is
/// spelt by the domain of an e-mail address nearby (`Habitat Exemple – 04
/// 72 …` in a signature quoted in a reply from `…@habitat-exemple.fr`): the
/// organisation's switchboard, which every reply quotes, not a person's.
fn beside_own_name(c: &super::Candidate) -> bool {
    let Some(line) = whole_line(c) else {
        return false;
    };
    // The words of the line around the number (or, when it has none, of the
    // line above: a signature's name over its number); any other digit
    // means the lines say more than a name and a number.
    let above = {
        let end = line.start.saturating_sub(1);
        memchr::memrchr(b'\n', &c.hay.as_bytes()[..end]).map_or(0, |i| i + 1)..end
    };
    let b = c.hay.as_bytes();
    let own = [&c.hay[line.start..c.start], &c.hay[c.end..line.end]];
    if own.iter().any(|p| p.bytes().any(|d| d.is_ascii_digit())) {
        return false;
    }
    // An address or a website on the line is no name written beside the
    // number (its domain would spell itself).
    let words_of = |part: &str| -> Vec<String> {
        part.split_whitespace()
            .filter(|t| !t.contains('@') && !t.contains("www.") && !t.contains("://"))
            .flat_map(|t| t.split(|ch: char| !ch.is_alphabetic()))
            .filter(|w| !w.is_empty())
            .map(crate::model::fold::strip_accents_lower)
            .collect()
    };
    let mut words = [words_of(own[0]), words_of(own[1])].concat();
    if words.is_empty() && !b[above.clone()].iter().any(u8::is_ascii_digit) {
        words = words_of(&c.hay[above]);
    }
    if words.is_empty() || words.len() > 6 {
        return false;
    }
    let from = c.start.saturating_sub(DOMAIN_REACH);
    let to = (c.end + DOMAIN_REACH).min(b.len());
    // Only an address whose domain label starts as one of the words can
    // spell them: most are passed over without building anything.
    let firsts: Vec<u8> = words.iter().filter_map(|w| w.bytes().next()).collect();
    memchr::memchr_iter(b'@', &b[from..to]).any(|at| {
        let host = &b[from + at + 1..to];
        let host = &host[..host
            .iter()
            .position(|d| !(d.is_ascii_alphanumeric() || matches!(d, b'.' | b'-')))
            .unwrap_or(host.len())];
        // The label before the top-level one: `habitat-exemple` in
        // `mail.habitat-exemple.fr`, its hyphens dropped.
        let mut labels = host.rsplit(|&d| d == b'.').filter(|l| !l.is_empty());
        let (Some(_tld), Some(label)) = (labels.next(), labels.next()) else {
            return false;
        };
        if label.len() < 4 || !firsts.contains(&label[0].to_ascii_lowercase()) {
            return false;
        }
        let label: String = label
            .iter()
            .filter(|&&d| d != b'-')
            .map(|&d| d.to_ascii_lowercase() as char)
            .collect();
        spells(&words, &label)
    })
}

/// The candidate's line when it is whole (a line longer than the reach of
/// [`super::Candidate::line_range`] is cut anywhere, even inside a
/// character): the rules that read words and lines above need it whole.
fn whole_line(c: &super::Candidate) -> Option<std::ops::Range<usize>> {
    let b = c.hay.as_bytes();
    let line = c.line_range();
    let starts = line.start == 0 || b[line.start - 1] == b'\n';
    let ends = line.end == b.len() || b[line.end] == b'\n';
    (starts && ends).then_some(line)
}

/// The block of lines above the number in its column, up to a blank (a
/// letterhead: `HABITAT EXEMPLE` / `Agence Est` / street / commune above
/// `Tél. 04 72 …`, left of the recipient's block): where an office names
/// itself.
fn block_above(c: &super::Candidate) -> Vec<u8> {
    const LINES: usize = 4;
    let b = c.hay.as_bytes();
    let Some(line) = whole_line(c) else {
        return Vec::new();
    };
    // The number's column starts after the last gap of three blanks (or a
    // tab) before it on its line.
    let lead = &c.hay[line.start..c.start];
    let col_start = ["   ", "\t"]
        .iter()
        .filter_map(|g| lead.rfind(g).map(|i| i + g.len()))
        .max()
        .map_or(0, |i| lead[..i].chars().count());
    let mut block = Vec::new();
    let mut end = line.start;
    for _ in 0..LINES {
        if end == 0 {
            break;
        }
        let start = memchr::memrchr(b'\n', &b[..end - 1]).map_or(0, |i| i + 1);
        let text = &c.hay[start..end - 1];
        let from = text
            .char_indices()
            .nth(col_start)
            .map_or(text.len(), |(i, _)| i);
        let cell = text[from..].split("   ").next().unwrap_or("").trim();
        if cell.is_empty() {
            break;
        }
        block.extend_from_slice(cell.as_bytes());
        block.push(b'\n');
        end = start;
    }
    block
}

/// Some run of consecutive `words` written together is `label` (short
/// words inside the run may be left out).
fn spells(words: &[String], label: &str) -> bool {
    (0..words.len()).any(|i| {
        let mut rest = label;
        for w in &words[i..] {
            match rest.strip_prefix(w.as_str()) {
                Some("") => return true,
                Some(r) => rest = r,
                // `Mairie de Villeurbanne` is `mairie-villeurbanne.fr`.
                None if w.len() <= 3 && rest.len() < label.len() => {}
                None => return false,
            }
        }
        false
    })
}

/// `text` speaks of an office: opening hours (a week span, `lundi` …
/// `vendredi`, or `horaires`), or a place that answers (`agence`,
/// `accueil`, `secrétariat`, `siège`, `entreprise`, `société`).
fn office_sentence(text: &[u8]) -> bool {
    use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
    use std::sync::LazyLock;
    const WEEK: [&str; 3] = ["lundi", "vendredi", "samedi"];
    const OFFICE: [&str; 7] = [
        "horaires",
        "agence",
        "accueil",
        "secrétariat",
        "siège",
        "entreprise",
        "société",
    ];
    // Built once: building an automaton costs more than a sentence's search.
    static WORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(WEEK.iter().chain(&OFFICE))
            .ok()
    });
    let Some(ac) = WORDS.as_ref() else {
        return false;
    };
    let (mut monday, mut end_of_week) = (false, false);
    for m in ac.find_overlapping_iter(text) {
        match m.pattern().as_usize() {
            0 => monday = true,
            1 | 2 => end_of_week = true,
            _ => return true,
        }
    }
    monday && end_of_week
}

/// The French plan (ARCEP): 01-05 geographic, 06 and 073-079 mobile,
/// 08 special rates, 09 non-geographic.
fn valid_french(n: &str) -> bool {
    let b = n.as_bytes();
    if b.len() != 9 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    match b[0] {
        b'1'..=b'6' | b'8' | b'9' => true,
        b'7' => b[1] >= b'3',
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_forms() {
        for t in [
            "06 12 34 56 78",
            "06.12.34.56.78",
            "0612345678",
            "+33 6 12 34 56 78",
            "+33 (0)6 12 34 56 78",
            "0033 6 12 34 56 78",
            "06-12-34-56-78",
        ] {
            assert_eq!(to_e164(t).as_deref(), Some("+33612345678"), "{t}");
        }
        assert!(valid("+33612345678"));
        assert!(valid("+33123456789"));
        assert!(!valid("+33712345678")); // 071 is not allocated
        assert!(valid("+33756345678"));
        assert!(!valid("+3361234567"));
    }

    #[test]
    fn foreign_outside_the_plan() {
        for n in ["+213573828120", "+212732906174"] {
            assert!(!valid(n) && unallocated(n), "{n}");
        }
        // Valid, not of the country's length, or no country.
        for n in ["+213551234567", "+2135738281", "+999123456789", "+2125"] {
            assert!(!unallocated(n), "{n}");
        }
    }

    #[test]
    fn foreign() {
        assert!(valid("+3225551212"));
        assert!(valid("+442079460958"));
        assert!(!valid("+999123456789"));
    }

    #[test]
    fn organisation_numbers() {
        let factor = |line: &str, number: &str| {
            let start = line.find(number).expect("test data");
            let c = super::super::Candidate {
                hay: line,
                start,
                end: start + number.len(),
            };
            check(&c, &to_e164(number).expect("test data"))
        };
        let org = Some(ORGANISATION_FACTOR);
        let n = "04 72 10 20 30";
        assert_eq!(
            factor(
                &format!("Accueil du lundi au vendredi de 9h à 12h – {n}"),
                n
            ),
            org
        );
        assert_eq!(factor(&format!("Horaires d'accueil : 9h-12h, {n}"), n), org);
        assert_eq!(
            factor(&format!("Tél. {n} – contact@habitat-exemple.fr"), n),
            org
        );
        assert_eq!(factor(&format!("{n} – www.habitat-exemple.fr"), n), org);
        assert_eq!(
            factor("Service client : 08 10 20 30 40", "08 10 20 30 40"),
            org
        );
        let para =
            format!("Le bureau est ouvert du lundi au vendredi. Le technicien appellera au {n}.");
        assert_eq!(factor(&para, n), Some(1.0));
        let m = "06 12 34 56 78";
        assert_eq!(
            factor(&format!("Joignable du lundi au vendredi au {m}"), m),
            Some(1.0)
        );
        assert_eq!(factor(&format!("{m} – j.dupont@free.fr"), m), Some(1.0));
        let signature = format!("Jean Martin, gardien – {m} – www.habitat-exemple.fr");
        assert_eq!(factor(&signature, m), Some(1.0));
        assert_eq!(factor(&format!("Tél. {n}"), n), Some(1.0));
        let url = "https://www.habitat-exemple.fr/contact/?tel=0612345678";
        assert_eq!(factor(url, "0612345678"), Some(1.0));
    }

    #[test]
    fn bare() {
        assert_eq!(bare_to_e164("612345678").as_deref(), Some("+33612345678"));
        assert_eq!(bare_to_e164("12345678"), None);
    }
}
