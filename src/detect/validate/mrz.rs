//! The machine-readable zone of identity documents (ICAO 9303): TD1 (3 lines
//! of 30: French identity card since 2021, residence permits), TD3 (2 of
//! 44: passports) and the French identity card before 2021 (2 of 36).
//!
//! OCR confuses 0/O, 1/I, 8/B…: each field is read as its type says (digits
//! in dates and check digits, letters in names and country codes), and the
//! document number, which mixes both, is tried with its ambiguous characters
//! swapped, fewest swaps first. A zone is accepted only when every check
//! digit (weights 7, 3, 1) holds, the composite one included.

mod lines;

use lines::{clean, optional, shapes, Layout, CNI, TD1, TD3};
pub use lines::{clean_line, folded, junk, near, zone_like};
use std::ops::Range;

/// What an identity document's zone says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mrz {
    /// `TD1`, `TD3` or `CNI` (French card before 2021).
    pub format: &'static str,
    /// The document number, without fillers.
    pub number: String,
    /// Surname and given names, space-separated.
    pub surname: String,
    pub given: String,
    /// Birth date as `YYMMDD`.
    pub birth: String,
    /// The zone's lines as accepted: fillers put back, every line its
    /// length, the document number as its check digit took it.
    pub lines: Vec<String>,
}

/// The value of a character in a check digit: digits, A = 10 … Z = 35, `<` = 0.
fn value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A'..=b'Z' => u32::from(c - b'A') + 10,
        _ => 0,
    }
}

/// The check digit of `field` (weights 7, 3, 1 repeated, modulo 10).
pub fn check_digit(field: &[u8]) -> u8 {
    let sum: u32 = field
        .iter()
        .zip([7, 3, 1].iter().cycle())
        .map(|(&c, w)| value(c) * w)
        .sum();
    b'0' + (sum % 10) as u8
}

/// A field that holds digits, with the letters OCR gives for them.
fn as_digits(f: &[u8]) -> Vec<u8> {
    f.iter()
        .map(|&c| match c {
            b'O' | b'Q' | b'D' | b'U' => b'0',
            b'I' | b'L' | b'T' => b'1',
            b'Z' => b'2',
            b'S' => b'5',
            b'G' => b'6',
            b'B' => b'8',
            b'A' => b'4',
            c => c,
        })
        .collect()
}

/// A field that holds letters, with the digits OCR gives for them.
fn as_letters(f: &[u8]) -> Vec<u8> {
    f.iter()
        .map(|&c| match c {
            b'0' => b'O',
            b'1' => b'I',
            b'2' => b'Z',
            b'5' => b'S',
            b'6' => b'G',
            b'8' => b'B',
            c => c,
        })
        .collect()
}

/// A date `YYMMDD` with a real month and day.
fn date_ok(d: &[u8]) -> bool {
    d.len() == 6
        && d.iter().all(u8::is_ascii_digit)
        && matches!((d[2] - b'0') * 10 + (d[3] - b'0'), 1..=12)
        && matches!((d[4] - b'0') * 10 + (d[5] - b'0'), 1..=31)
}

/// A sex field: `M`, `F`, `X` or unspecified. Like the dates' month and
/// day, it refuses zones read from garbage whose check digits hold by chance.
fn sex(c: u8) -> bool {
    matches!(c, b'M' | b'F' | b'X' | b'<')
}

/// `field` against its check digit `digit` (a `<` stands for 0 when the
/// field is empty).
fn holds(field: &[u8], digit: u8) -> bool {
    let d = as_digits(&[digit])[0];
    check_digit(field) == d || (digit == b'<' && field.iter().all(|c| *c == b'<'))
}

/// A composite check digit OCR did not read (a sign, put back as a
/// filler): [`read`] takes the zone on its other check digits, its number
/// as read. The composite adds nothing to the number's own check digit (the
/// number starts it, under the same weights), so little is lost.
fn unread(digit: u8) -> bool {
    digit == b'<'
}

/// Characters OCR confuses, each with its twin.
fn twin(c: u8) -> Option<u8> {
    Some(match c {
        b'0' => b'O',
        b'O' => b'0',
        b'1' => b'I',
        b'I' => b'1',
        b'2' => b'Z',
        b'Z' => b'2',
        b'4' => b'A',
        b'A' => b'4',
        b'5' => b'S',
        b'S' => b'5',
        b'6' => b'G',
        b'G' => b'6',
        b'8' => b'B',
        b'B' => b'8',
        _ => return None,
    })
}

/// The document number read `n`, as the first of `typed` (its field's
/// layout, when known: a French passport's `DDLLDDDDD`) and `n` itself
/// that `holds`; failing that (`swaps`), with one confusable character
/// swapped, but only when a single such reading holds. The check digit is
/// one digit in ten: any reading passes it one time in ten, and the
/// composite adds nothing for a number at its start; so a repair must be
/// the only one that holds (a few readings keep the chance of a wrong
/// number near 1 %). `layout_only`: `n` as read is not tried (a French
/// passport number cannot be otherwise).
fn number(
    n: &[u8],
    typed: Option<Vec<u8>>,
    layout_only: bool,
    swaps: bool,
    holds: impl Fn(&[u8]) -> bool,
) -> Option<Vec<u8>> {
    // Repairs start from the `0` reading of every `O` and `Q` (see `zero`
    // below).
    let base = typed.clone().unwrap_or_else(|| zeros(n));
    let mut first: Vec<Vec<u8>> = typed.into_iter().collect();
    if !layout_only {
        first.push(n.to_vec());
    }
    // Issuers avoid the letters O and Q in numbers that mix letters and
    // digits: a reading with them whose `0` reading holds as well is the
    // `0` one (they differ by 24 and 26, and two such can cancel out in a
    // check digit).
    let zero = |r: Vec<u8>| {
        let digits = zeros(&r);
        if digits != r && holds(&digits) {
            digits
        } else {
            r
        }
    };
    if let Some(ok) = first.into_iter().find(|r| holds(r)) {
        return Some(zero(ok));
    }
    if !swaps {
        return None;
    }
    // The `0` reading itself is one of the repairs.
    let mut found: Option<Vec<u8>> = (base != n && holds(&base)).then(|| base.clone());
    for (i, &c) in base.iter().enumerate() {
        // A layout's letter read `1` (made `I`) may be a `T` or an `L`.
        let more: &[u8] = match c {
            b'I' if layout_only && n[i] == b'1' => b"TL",
            _ => b"",
        };
        for t in twin(c).into_iter().chain(more.iter().copied()) {
            // A layout keeps letters and digits where they are.
            if layout_only && t.is_ascii_digit() != c.is_ascii_digit() {
                continue;
            }
            let mut v = base.clone();
            v[i] = t;
            if holds(&v) {
                if found.is_some() {
                    return None;
                }
                found = Some(v);
            }
        }
    }
    found
}

/// `n` with every `O` and `Q` read `0`.
fn zeros(n: &[u8]) -> Vec<u8> {
    n.iter()
        .map(|&c| if matches!(c, b'O' | b'Q') { b'0' } else { c })
        .collect()
}

/// A French passport number (`18FV12345`) read by its layout.
fn french_passport(n: &[u8]) -> Vec<u8> {
    let mut v = as_digits(&n[..2]);
    v.extend(as_letters(&n[2..4]));
    v.extend(as_digits(&n[4..]));
    v
}

/// Whether a French passport number is digits, two letters, digits.
fn passport_layout(n: &[u8]) -> bool {
    n.iter().enumerate().all(|(i, c)| match i {
        2 | 3 => c.is_ascii_uppercase(),
        _ => c.is_ascii_digit(),
    })
}

/// Surname and given names of a name field (`DUPONT<<JEAN<PIERRE<<<`).
fn names(field: &[u8]) -> (String, String) {
    let letters = as_letters(field);
    let text = String::from_utf8_lossy(&letters).to_string();
    let (surname, given) = text.split_once("<<").unwrap_or((&text, ""));
    let words = |s: &str| {
        s.split('<')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    (words(surname), words(given))
}

fn filled(f: &[u8]) -> String {
    String::from_utf8_lossy(f)
        .trim_end_matches('<')
        .replace('<', "")
}

/// The lines of a zone, the document number (`range` of line `at`) put in.
fn lines_with(lines: &[&[u8]], at: usize, range: Range<usize>, number: &[u8]) -> Vec<String> {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut l = l.to_vec();
            if i == at {
                l[range.clone()].copy_from_slice(number);
            }
            String::from_utf8_lossy(&l).into_owned()
        })
        .collect()
}

fn td1(l1: &[u8], l2: &[u8], l3: &[u8], swaps: bool, unread_ok: bool) -> Option<Mrz> {
    // The document's type is in no check digit: OCR's `L`, `T` or `1` for
    // an `I` is taken for it.
    if !matches!(l1[0], b'I' | b'A' | b'C' | b'L' | b'T' | b'1') {
        return None;
    }
    let birth = as_digits(&l2[0..6]);
    let expiry = as_digits(&l2[8..14]);
    if !sex(l2[7]) || !date_ok(&birth) || !date_ok(&expiry) {
        return None;
    }
    if !holds(&birth, l2[6]) || !holds(&expiry, l2[14]) {
        return None;
    }
    let (first, second) = (optional(&l1[15..30]), optional(&l2[18..29]));
    let valid = |number: &[u8]| {
        if !holds(number, l1[14]) {
            return false;
        }
        let composite = |k: usize| {
            let mut c = number.to_vec();
            c.push(as_digits(&[l1[14]])[0]);
            c.extend_from_slice(&first[k]);
            c.extend_from_slice(&birth);
            c.push(as_digits(&[l2[6]])[0]);
            c.extend_from_slice(&expiry);
            c.push(as_digits(&[l2[14]])[0]);
            c.extend_from_slice(&second[k]);
            c
        };
        unread_ok && unread(l2[29]) || (0..2).any(|k| holds(&composite(k), l2[29]))
    };
    let number = number(&l1[5..14], None, false, swaps && !unread(l2[29]), valid)?;
    let (surname, given) = names(l3);
    Some(Mrz {
        format: "TD1",
        number: filled(&number),
        surname,
        given,
        birth: String::from_utf8_lossy(&birth).into(),
        lines: lines_with(&[l1, l2, l3], 0, 5..14, &number),
    })
}

fn td3(l1: &[u8], l2: &[u8], swaps: bool, unread_ok: bool) -> Option<Mrz> {
    if l1[0] != b'P' {
        return None;
    }
    let birth = as_digits(&l2[13..19]);
    let expiry = as_digits(&l2[21..27]);
    if !sex(l2[20]) || !date_ok(&birth) || !date_ok(&expiry) {
        return None;
    }
    if !holds(&birth, l2[19]) || !holds(&expiry, l2[27]) {
        return None;
    }
    let french = as_letters(&l1[2..5]) == b"FRA";
    let personal = optional(&l2[28..43]);
    // Letters and digits must end where the layout puts them: `C` and `2`
    // differ by 10, which no check digit sees.
    let typed = french.then(|| french_passport(&l2[0..9]));
    if typed.as_ref().is_some_and(|t| !passport_layout(t)) {
        return None;
    }
    let valid = |number: &[u8]| {
        if !holds(number, l2[9]) {
            return false;
        }
        let composite = |k: usize| {
            let mut c = number.to_vec();
            c.push(as_digits(&[l2[9]])[0]);
            c.extend_from_slice(&birth);
            c.push(as_digits(&[l2[19]])[0]);
            c.extend_from_slice(&expiry);
            c.push(as_digits(&[l2[27]])[0]);
            c.extend_from_slice(&personal[k]);
            c
        };
        unread_ok && unread(l2[43]) || (0..2).any(|k| holds(&composite(k), l2[43]))
    };
    // A French passport number is its layout: read otherwise, it is wrong.
    let number = number(&l2[0..9], typed, french, swaps && !unread(l2[43]), valid)?;
    let (surname, given) = names(&l1[5..44]);
    Some(Mrz {
        format: "TD3",
        number: filled(&number),
        surname,
        given,
        birth: String::from_utf8_lossy(&birth).into(),
        lines: lines_with(&[l1, l2], 1, 0..9, &number),
    })
}

fn old_cni(l1: &[u8], l2: &[u8], swaps: bool, unread_ok: bool) -> Option<Mrz> {
    // `IDFRA` is in the composite: an `I` read as `L`, `T` or `1`, an `F`
    // as `E` or `P`, are put back.
    let f = as_letters(&l1[1..5]);
    if !(matches!(l1[0], b'I' | b'L' | b'T' | b'1')
        && f[0] == b'D'
        && matches!(f[1], b'F' | b'E' | b'P')
        && &f[2..] == b"RA")
    {
        return None;
    }
    let mut l1 = l1.to_vec();
    l1[..5].copy_from_slice(b"IDFRA");
    let birth = as_digits(&l2[27..33]);
    if !sex(l2[34]) || !date_ok(&birth) || !holds(&birth, l2[33]) {
        return None;
    }
    let valid = |number: &[u8]| {
        if !holds(number, l2[12]) {
            return false;
        }
        // The office code ending the first line is digits.
        let mut composite = l1[..30].to_vec();
        composite.extend(as_digits(&l1[30..36]));
        composite.extend_from_slice(number);
        composite.push(as_digits(&[l2[12]])[0]);
        composite.extend_from_slice(&l2[13..27]);
        composite.extend_from_slice(&birth);
        composite.push(as_digits(&[l2[33]])[0]);
        composite.push(l2[34]);
        unread_ok && unread(l2[35]) || holds(&composite, l2[35])
    };
    // The number is digits (a letter read in it is a misread digit).
    let typed = as_digits(&l2[0..12]);
    if !typed.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let typed = Some(typed);
    let number = number(&l2[0..12], typed, true, swaps && !unread(l2[35]), valid)?;
    let (surname, _) = names(&l1[5..30]);
    // Given names are separated by `<<` here.
    let (first, more) = names(&l2[13..27]);
    let given = if more.is_empty() {
        first
    } else {
        format!("{first} {more}")
    };
    Some(Mrz {
        format: "CNI",
        number: filled(&number),
        surname,
        given,
        birth: String::from_utf8_lossy(&birth).into(),
        lines: lines_with(&[&l1, l2], 1, 0..12, &number),
    })
}

/// The zone around a match of its line that starts with digits (the
/// second line of every format; the pattern's regex finds it): four lines
/// before it and four after are read (OCR may put blank lines between).
pub fn read_around(c: &super::Candidate) -> Option<Mrz> {
    if prose(&c.hay[c.start..c.end]) {
        return None;
    }
    let b = c.hay.as_bytes();
    let mut from = c.start;
    for _ in 0..5 {
        from = memchr::memrchr(b'\n', &b[..from]).unwrap_or(0);
    }
    let mut to = c.end;
    for _ in 0..4 {
        to = match memchr::memchr(b'\n', &b[(to + 1).min(b.len())..]) {
            Some(i) => to + 1 + i,
            None => b.len(),
        };
    }
    read(&c.hay[from..to.min(b.len())])
}

/// Whether a line that matched a zone line's pattern is words: a run of
/// three lower-case letters or more with two letters or more that OCR
/// does not usually read for a filler (`c`, `e`, `k`, `l`, `x` it does; one
/// other stray letter is allowed). A zone has no lower case but misread
/// fillers; a log line (`40001 could not serialize access`) is refused
/// before the zone is looked for around it, which costs far more.
fn prose(line: &str) -> bool {
    line.as_bytes()
        .split(|b| !b.is_ascii_lowercase())
        .any(|run| {
            run.len() >= 3
                && run
                    .iter()
                    .filter(|b| !matches!(b, b'c' | b'e' | b'k' | b'l' | b'x'))
                    .count()
                    >= 2
        })
}

/// The first valid zone in `text` (lines of the zone, maybe with other
/// lines around them).
pub fn read(text: &str) -> Option<Mrz> {
    read_checked(text).or_else(|| read_with(text, false, true))
}

/// [`read`], every check digit read: a zone whose composite check digit
/// OCR did not read is not taken.
pub fn read_checked(text: &str) -> Option<Mrz> {
    read_with(text, true, false)
}

/// [`read`], the document number taken only as read or as its layout says
/// (`swaps` false): what OCR gives when it read the zone right. Used to
/// choose between two readings of a zone before either is repaired.
pub fn read_as_is(text: &str) -> Option<Mrz> {
    read_with(text, false, false)
}

fn read_with(text: &str, swaps: bool, unread_ok: bool) -> Option<Mrz> {
    let lines: Vec<Vec<u8>> = text.lines().map(clean).filter(|l| l.len() >= 20).collect();
    let shaped = |i: usize, n: usize, layout: Layout| {
        lines.get(i).map_or_else(Vec::new, |l| shapes(l, n, layout))
    };
    for i in 0..lines.len() {
        let (a, b) = (shaped(i, 30, TD1[0]), shaped(i + 1, 30, TD1[1]));
        let c = shaped(i + 2, 30, TD1[2]);
        for (a, b) in a.iter().flat_map(|a| b.iter().map(move |b| (a, b))) {
            // The name line is under no check digit: the first shape.
            if let Some(m) = c.first().and_then(|c| td1(a, b, c, swaps, unread_ok)) {
                return Some(m);
            }
        }
        let (a, b) = (shaped(i, 44, TD3[0]), shaped(i + 1, 44, TD3[1]));
        for (a, b) in a.iter().flat_map(|a| b.iter().map(move |b| (a, b))) {
            if let Some(m) = td3(a, b, swaps, unread_ok) {
                return Some(m);
            }
        }
        let (a, b) = (shaped(i, 36, CNI[0]), shaped(i + 1, 36, CNI[1]));
        for (a, b) in a.iter().flat_map(|a| b.iter().map(move |b| (a, b))) {
            if let Some(m) = old_cni(a, b, swaps, unread_ok) {
                return Some(m);
            }
        }
    }
    None
}

/// What a zone says besides its number, reported as a finding of the
/// kind whose pattern names it (`normaliser = "mrz-name"` or
/// `"mrz-birthdate"`, `detector = "mrz"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `Given Names SURNAME`, as names are reported.
    Name,
    /// The birth date, `YYYY-MM-DD`.
    Birthdate,
}

impl Mrz {
    /// The value of `field`, when the zone has it.
    pub fn field(&self, field: Field) -> Option<String> {
        match field {
            Field::Name => {
                let given: Vec<String> = self
                    .given
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .map(title)
                    .collect();
                let name = [given.join(" "), self.surname.clone()].join(" ");
                let name = name.trim();
                (!self.surname.is_empty()).then(|| name.to_string())
            }
            Field::Birthdate => {
                let b = &self.birth;
                // A two-digit year: this century unless that is in the future.
                let iso =
                    |century: &str| format!("{century}{}-{}-{}", &b[0..2], &b[2..4], &b[4..6]);
                let recent = iso("20");
                Some(if super::date::plausible_birthdate(&recent) {
                    recent
                } else {
                    iso("19")
                })
                .filter(|d| super::date::plausible_birthdate(d))
            }
        }
    }
}

/// `JEAN-PIERRE` as `Jean-Pierre`.
fn title(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut start = true;
    for c in word.chars() {
        out.extend(if start {
            c.to_uppercase().collect::<Vec<_>>()
        } else {
            c.to_lowercase().collect()
        });
        start = !c.is_alphanumeric();
    }
    out
}

/// Where the zone found at the match `c` puts what it says besides its
/// number, outside the matched line: the name on its name line (the third
/// of a TD1 zone; the first of the others, after its first five
/// characters), the birth date on the first five characters of the first
/// line (the document's type and country). Spans are byte ranges of
/// `c.hay`; `None` when the zone is not valid or its lines not found.
pub fn spans(c: &super::Candidate) -> Option<(Mrz, Range<usize>, Range<usize>)> {
    let zone = read_around(c)?;
    let b = c.hay.as_bytes();
    let line_start = memchr::memrchr(b'\n', &b[..c.start]).map_or(0, |i| i + 1);
    // The nearest line of at least 20 signs before `at` (a byte offset of
    // a line start), or after the line ending at `at`.
    let long = |r: &Range<usize>| {
        c.hay[r.clone()]
            .chars()
            .filter(|c| !c.is_whitespace())
            .count()
            >= 20
    };
    let mut before = None;
    let mut end = line_start;
    while end > 0 {
        let start = memchr::memrchr(b'\n', &b[..end - 1]).map_or(0, |i| i + 1);
        let r = start..end - 1;
        if long(&r) {
            before = Some(r);
            break;
        }
        end = start;
    }
    let first = before?;
    let skip5 = |r: &Range<usize>| {
        let cut = c.hay[r.clone()]
            .char_indices()
            .nth(5)
            .map_or(r.end, |(i, _)| r.start + i);
        (r.start..cut, cut..r.end)
    };
    let (head, rest) = skip5(&first);
    let name = if zone.format == "TD1" {
        let mut from = memchr::memchr(b'\n', &b[c.end..]).map(|i| c.end + i + 1)?;
        loop {
            let to = memchr::memchr(b'\n', &b[from..]).map_or(b.len(), |i| from + i);
            if long(&(from..to)) {
                break from..to;
            }
            if to >= b.len() {
                return None;
            }
            from = to + 1;
        }
    } else {
        rest
    };
    Some((zone, name, head))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ICAO 9303 part 4 and 5 specimens.
    const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    const TD1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";

    /// An old French card's zone, its check digits computed.
    fn old_card() -> String {
        let l1 = b"IDFRADUPONT<<<<<<<<<<<<<<<<<<<750123".to_vec();
        let mut l2 = b"880692300146".to_vec();
        l2.push(check_digit(&l2.clone()));
        l2.extend_from_slice(b"JEAN<<PIERRE<<");
        l2.extend_from_slice(b"800101");
        l2.push(check_digit(b"800101"));
        l2.push(b'M');
        let mut all = l1.clone();
        all.extend_from_slice(&l2);
        l2.push(check_digit(&all));
        format!(
            "{}\n{}",
            String::from_utf8_lossy(&l1),
            String::from_utf8_lossy(&l2)
        )
    }

    #[test]
    fn specimens() {
        let p = read(TD3).expect("the zone reads");
        assert_eq!(
            (p.format, p.number.as_str(), p.birth.as_str()),
            ("TD3", "L898902C3", "740812")
        );
        assert_eq!(
            (p.surname.as_str(), p.given.as_str()),
            ("ERIKSSON", "ANNA MARIA")
        );
        let i = read(TD1).expect("the zone reads");
        assert_eq!((i.format, i.number.as_str()), ("TD1", "D23145890"));
        let c = read(&old_card()).expect("the zone reads");
        assert_eq!(
            (c.format, c.number.as_str(), c.given.as_str()),
            ("CNI", "880692300146", "JEAN PIERRE")
        );
    }

    #[test]
    fn around_a_match() {
        let text = format!("CARTE NATIONALE\n\n{TD1}\nfin");
        let at = text.find("7408122F").expect("the date is in the zone");
        let c = crate::detect::validate::Candidate {
            hay: &text,
            start: at,
            end: at + 30,
        };
        assert_eq!(read_around(&c).expect("the zone reads").number, "D23145890");
    }

    #[test]
    fn words_are_no_zone_line_but_misread_fillers_are() {
        assert!(prose("40001 could not serialize access"));
        assert!(prose("10612a79e55089bfe97a7486 200 in 165 ms (rows"));
        assert!(!prose("7408122F1204159UTO<<<<<<<<<<<6"));
        assert!(!prose("7408122F1204159UTOccceccckcec6"));
        assert!(!prose("7408122F1204159UTOcccrcccckce6"));
    }

    #[test]
    fn check_digits_fail() {
        // One digit of the number changed: its check digit fails.
        assert_eq!(read(&TD3.replace("L898902C3", "L898903C3")), None);
        // The composite digit changed.
        assert_eq!(read(&TD1.replace("<<<6", "<<<7")), None);
        assert_eq!(read(&old_card().replacen("DUPONT", "DUPONS", 1)), None);
    }

    #[test]
    fn ocr_confusions_and_fillers() {
        // 0 read as O in dates and in the number, a filler lost, spaces.
        let ocr = TD3
            .replace("<<<<<<<<<<<<<<<<<<<", "<<<<<<<<<cccccccee")
            .replace("7408122", "74O8122")
            .replace("L898902C3", "L8989O2C3")
            .replace("<<<<<10", "<<<<10")
            .replace("P<UTO", "P< UTO");
        let p = read(&format!("RÉPUBLIQUE\n{ocr}\n")).expect("the zone reads");
        assert_eq!(p.number, "L898902C3");
        assert_eq!(check_digit(b"L898902C3"), b'6');
        // `8` read as `B`: `LB9B902C3` holds too, so no repair is taken.
        assert_eq!(read(&TD3.replace("L898902C3", "L89B902C3")), None);
    }

    #[test]
    fn q_is_read_0_and_a_layout_letter_1_may_be_t() {
        // `0` read `Q` and `4` read `A` cancel out: repairs start from `0`.
        let l1 = "IDFRA04B2PFD352<<<<<<<<<<<<<<<";
        let l2 = "9205211F3007170FRA<<<<<<<<<<<";
        let mut all = l1[5..30].to_string();
        all.push_str(&l2[0..7]);
        all.push_str(&l2[8..15]);
        all.push_str(&l2[18..29]);
        let l2 = format!("{l2}{}", check_digit(all.as_bytes()) as char);
        let zone = format!(
            "{}\n{l2}\nGIRARD<<NADIA<<<<<<<<<<<<<<<<<",
            l1.replace("A04B", "AQ4B")
        );
        assert_eq!(read(&zone).expect("the zone reads").number, "04B2PFD35");
        // A French passport's `T` read `1`.
        let mut l2 = b"18TX263428FRA6501107M2606130<<<<<<<<<<<<<<<".to_vec();
        let mut c = l2[0..10].to_vec();
        c.extend_from_slice(&l2[13..20]);
        c.extend_from_slice(&l2[21..43]);
        l2.push(check_digit(&c));
        let l2 = String::from_utf8(l2).expect("the line is ASCII");
        assert_eq!(check_digit(b"18TX26342"), b'8');
        let zone = format!(
            "P<FRAHENRY<<CAMILLE<<<<<<<<<<<<<<<<<<<<<<<<<\n{}",
            l2.replacen("18T", "181", 1)
        );
        assert_eq!(read(&zone).expect("the zone reads").number, "18TX26342");
    }

    #[test]
    fn a_french_passport_number_read_by_its_layout() {
        // `G` read as `6`: no check digit tells, the layout (DDLLDDDDD) does.
        let zone = "P<FRAFONTAINE<<SAMIR<<<<<<<<<<<<<<<<<<<<<<<<\n176Y578594FRA0002130M2803135<<<<<<<<<<<<<<<2";
        assert_eq!(read(zone).expect("the zone reads").number, "17GY57859");
        assert_eq!(
            read_as_is(zone).expect("the zone reads").number,
            "17GY57859"
        );
        // `2` read as `C` (10 apart: every check digit holds) is no number.
        assert_eq!(read(&zone.replacen("176Y", "C76Y", 1)), None);
    }

    #[test]
    fn fillers_read_as_letters_and_signs() {
        // OCR-B's `<` read as `K`, `£`, `L`, `E`; a check digit `2` as `Z`,
        // a `4` as `A`.
        let zone = "IDFRA5X9F4JYUFZ<<<<<<<<<<<<<<<\n52020Z7M3009211FRA<<<<<<<<<<<A\nPERRIN<<JEAN<K<<<<<<<<<<LLEL£<";
        let m = read(zone).expect("the zone reads");
        assert_eq!((m.number.as_str(), m.given.as_str()), ("5X9F4JYUF", "JEAN"));
        assert_eq!(m.field(Field::Name).as_deref(), Some("Jean PERRIN"));
        assert_eq!(m.field(Field::Birthdate).as_deref(), Some("1952-02-02"));
        // Letters that are a name stay (`LE<GALL` starts no run of fillers).
        assert_eq!(clean_line("LE<GALL<<NADIA<K<<<<"), "LE<GALL<<NADIA<<<<<<");
        assert_eq!(junk("P<FRALEXGALL<<THOMAS<<<<K<<K<<<<KKKKKKKKKESS"), 12);
        assert_eq!(junk("P<FRALE<GALL<<THOMAS<<<<<<<<L£LLLLLLLLLELLELELE"), 1);
    }
}
