//! Small text helpers shared by several stages: accent/case folding and
//! UTF-8 boundary arithmetic.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower-case, strip accents and turn every run of non-alphanumeric
/// characters into one space: `"N° Sécurité-Sociale"` → `"n securite sociale"`.
/// Used to compare column headers, context words, names and allow-list
/// entries however they are written. French text (ASCII and Latin-1) is
/// folded without Unicode normalisation tables; any other character sends
/// the whole text through [`fold_nfd`], which gives the same result.
pub fn fold(s: &str) -> String {
    let latin1 = s.chars().map(|c| {
        if c.is_ascii() {
            Some(c)
        } else if let Some(base) = latin1_base(c) {
            Some(base)
        } else if c <= '\u{FF}' && !c.is_alphanumeric() {
            // Latin-1 signs (`°`, no-break space, `«`): no decomposition.
            Some(' ')
        } else {
            None
        }
    });
    fold_chars(latin1, s.len()).unwrap_or_else(|| fold_nfd(s))
}

/// The lower-case ASCII letter a Latin-1 letter decomposes to (NFD), for
/// those that do (`Æ`, `Ø`, `ß`… do not).
fn latin1_base(c: char) -> Option<char> {
    Some(match c {
        'À'..='Å' | 'à'..='å' => 'a',
        'Ç' | 'ç' => 'c',
        'È'..='Ë' | 'è'..='ë' => 'e',
        'Ì'..='Ï' | 'ì'..='ï' => 'i',
        'Ñ' | 'ñ' => 'n',
        'Ò'..='Ö' | 'ò'..='ö' => 'o',
        'Ù'..='Ü' | 'ù'..='ü' => 'u',
        'Ý' | 'ý' | 'ÿ' => 'y',
        _ => return None,
    })
}

/// [`fold`] of any text, through Unicode canonical decomposition.
pub(crate) fn fold_nfd(s: &str) -> String {
    let base = s.nfd().filter(|c| !is_combining_mark(*c)).map(Some);
    fold_chars(base, s.len()).unwrap_or_default()
}

/// Lower-cased alphanumeric characters, every run of others as one space
/// (none at either end); `len` bytes are reserved. `None` as soon as a
/// character is `None`.
fn fold_chars(chars: impl Iterator<Item = Option<char>>, len: usize) -> Option<String> {
    let mut out = String::with_capacity(len);
    let mut pending_space = false;
    for c in chars {
        let c = c?;
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase().map(unmarked));
            }
        } else {
            pending_space = true;
        }
    }
    Some(out)
}

/// Strip accents and lower-case, keeping every other character as is.
pub fn strip_accents_lower(s: &str) -> String {
    // Each character decomposed on its own gives what the whole string's
    // NFD gives once its marks are dropped: NFD only reorders marks (every
    // character of a non-zero combining class is one), and those go. ASCII,
    // most of any text, is only lower-cased: the invoice check folds
    // kilobytes around each account.
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            unicode_normalization::char::decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase());
                }
            });
        }
    }
    out
}

/// Appends `word` lower-cased and without accents to `out`, fast for the
/// Latin letters of French (`Élodie` → `elodie`, `Œuvre` → `oeuvre`); other
/// letters are lower-cased as they are.
pub fn fold_word_into(word: &str, out: &mut String) {
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let base = match c {
            'À'..='Å' | 'à'..='å' => "a",
            'Ç' | 'ç' => "c",
            'È'..='Ë' | 'è'..='ë' => "e",
            'Ì'..='Ï' | 'ì'..='ï' => "i",
            'Ñ' | 'ñ' => "n",
            'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' => "o",
            'Ù'..='Ü' | 'ù'..='ü' => "u",
            'Ý' | 'ý' | 'ÿ' | 'Ÿ' => "y",
            'Œ' | 'œ' => "oe",
            'Æ' | 'æ' => "ae",
            '’' => "'",
            _ => {
                // Other Latin letters (`Ş`, `ć`, `ř`, `ı`, `ł`): their base
                // letter, as `fold` gives it, so `Şahin` is `Sahin` however
                // either is written.
                unicode_normalization::char::decompose_canonical(c, |d| {
                    if !is_combining_mark(d) {
                        out.extend(d.to_lowercase().map(unmarked));
                    }
                });
                continue;
            }
        };
        out.push_str(base);
    }
}

/// The base letter of a letter Unicode gives no decomposition to (a Turkish
/// dotless `ı`, a Polish `ł`, a Croatian `đ`, a Danish `ø`).
fn unmarked(c: char) -> char {
    match c {
        'ı' => 'i',
        'ł' => 'l',
        'đ' => 'd',
        'ø' => 'o',
        'ħ' => 'h',
        c => c,
    }
}

/// A folded word: on the stack when short (most words), so that the
/// structural detectors fold every capitalised word without allocating.
pub enum Folded {
    Inline([u8; 32], u8),
    Heap(String),
}

impl std::ops::Deref for Folded {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            // Only ASCII bytes are written inline (see `fold_word`).
            Folded::Inline(buf, n) => std::str::from_utf8(&buf[..usize::from(*n)]).unwrap_or(""),
            Folded::Heap(s) => s,
        }
    }
}

impl PartialEq<str> for Folded {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

/// [`fold_word_into`] into a new string.
pub fn fold_word(word: &str) -> String {
    let mut s = String::with_capacity(word.len());
    fold_word_into(word, &mut s);
    s
}

/// [`fold_word_into`], on the stack for short ASCII words.
pub fn fold_small(word: &str) -> Folded {
    if word.len() <= 32 && word.is_ascii() {
        let mut buf = [0u8; 32];
        for (d, s) in buf.iter_mut().zip(word.bytes()) {
            *d = s.to_ascii_lowercase();
        }
        return Folded::Inline(buf, word.len() as u8);
    }
    let mut s = String::with_capacity(word.len());
    fold_word_into(word, &mut s);
    Folded::Heap(s)
}

/// `s`'s words separated by single spaces (runs of whitespace collapsed,
/// none at either end), in one allocation.
pub fn collapse_spaces(s: &str) -> String {
    // Most cells and values are already so: single ASCII spaces between
    // words, and no byte that may start a Unicode space (U+0085, U+00A0 from
    // 0xC2; U+1680, U+2000-U+205F, U+3000 from 0xE1-0xE3).
    let b = s.as_bytes();
    let plain = b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && !b.windows(2).any(|w| w == b"  ")
        && !b
            .iter()
            .any(|&c| (c != b' ' && c.is_ascii_whitespace()) || matches!(c, 0xC2 | 0xE1..=0xE3));
    if plain {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// `YYYY-MM-DD`, as chrono's `%Y-%m-%d` writes it, without parsing a format
/// string (every file record carries its date).
pub fn iso_date(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let y = date.year();
    if !(0..=9999).contains(&y) {
        return date.format("%Y-%m-%d").to_string();
    }
    let mut s = String::with_capacity(10);
    for (n, width) in [(y as u32, 4), (date.month(), 2), (date.day(), 2)] {
        if !s.is_empty() {
            s.push('-');
        }
        for p in (0..width).rev() {
            s.push(char::from(b'0' + (n / 10u32.pow(p) % 10) as u8));
        }
    }
    s
}

/// The largest char boundary of `s` at or below `i`.
pub fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary of `s` at or above `i`.
pub fn ceil_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// `raw` with each `escape` followed by two hex digits as that byte (`%C3%A9`
/// in a URL, `=C3=A9` in quoted-printable) and, when `plus_is_space`, each
/// `+` as a space (a form's value); invalid UTF-8 replaced.
pub fn hex_unescape(raw: &str, escape: u8, plus_is_space: bool) -> String {
    let b = raw.as_bytes();
    let hex = |c: Option<&u8>| c.and_then(|c| (*c as char).to_digit(16));
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i], hex(b.get(i + 1)), hex(b.get(i + 2))) {
            (c, Some(h), Some(l)) if c == escape => {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            (b'+', _, _) if plus_is_space => out.push(b' '),
            (c, _, _) => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_stripped_char_by_char_as_the_whole_string_s_nfd() {
        let reference = |s: &str| -> String {
            s.nfd()
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase)
                .collect()
        };
        // Every character of the first planes, alone, after a letter and
        // before a run of marks (where NFD reorders).
        for c in (0u32..0x3400)
            .chain(0xAC00..0xAC40)
            .filter_map(char::from_u32)
        {
            for s in [
                c.to_string(),
                format!("É{c}\u{0323}\u{0301}x"),
                format!("{c}\u{0301}\u{0323}Œ"),
            ] {
                assert_eq!(strip_accents_lower(&s), reference(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn folds_headers() {
        assert_eq!(fold("N° Sécurité-Sociale"), "n securite sociale");
        assert_eq!(fold("  Téléphone  "), "telephone");
        assert_eq!(fold("E-MAIL"), "e mail");
        assert_eq!(fold("Date d'entrée"), "date d entree");
    }

    #[test]
    fn folds_words() {
        assert_eq!(fold_word("Élodie"), "elodie");
        assert_eq!(fold_word("LEFÈVRE"), "lefevre");
        assert_eq!(fold_word("Œuvre"), "oeuvre");
        // Letters outside Latin-1, with or without a decomposition.
        assert_eq!(fold_word("Yılmaz"), "yilmaz");
        assert_eq!(fold_word("ŞAHİN"), "sahin");
        assert_eq!(fold_word("Łukasz"), "lukasz");
        assert_eq!(fold_word("Dvořák"), "dvorak");
        assert_eq!(fold("Yılmaz Łukasz Søren"), "yilmaz lukasz soren");
        assert_eq!(fold_word("Ольга"), "ольга");
        assert_eq!(&*fold_small("DUPONT"), "dupont");
        assert_eq!(&*fold_small("Élodie"), "elodie");
    }

    #[test]
    fn boundaries() {
        let s = "aé";
        assert_eq!(floor_boundary(s, 2), 1);
        assert_eq!(ceil_boundary(s, 2), 3);
    }

    #[test]
    fn collapse_spaces_same_as_split_whitespace() {
        for s in [
            "",
            " ",
            "a",
            " a ",
            "a  b",
            "a\tb",
            "a\u{a0}b",
            "Château d'Eau",
            "x\u{2009}y\u{3000}",
            "Cœur  ",
            "\u{85}z",
            "é b c",
        ] {
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(super::collapse_spaces(s), want, "{s:?}");
        }
    }

    #[test]
    fn iso_date_as_chrono() {
        for (y, m, d) in [
            (1985, 3, 12),
            (2024, 12, 31),
            (7, 1, 2),
            (9999, 9, 9),
            (-5, 1, 1),
            (12345, 6, 7),
        ] {
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
            assert_eq!(iso_date(date), date.format("%Y-%m-%d").to_string());
        }
    }
}
