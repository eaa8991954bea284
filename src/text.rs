//! Small text helpers shared by several stages: accent/case folding and
//! UTF-8 boundary arithmetic.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower-case, strip accents and turn every run of non-alphanumeric
/// characters into one space: `"N° Sécurité-Sociale"` → `"n securite sociale"`.
/// Used to compare column headers, context words and allow-list entries
/// however they are written.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// Strip accents and lower-case, keeping every other character as is.
pub fn strip_accents_lower(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_headers() {
        assert_eq!(fold("N° Sécurité-Sociale"), "n securite sociale");
        assert_eq!(fold("  Téléphone  "), "telephone");
        assert_eq!(fold("E-MAIL"), "e mail");
        assert_eq!(fold("Date d'entrée"), "date d entree");
    }

    #[test]
    fn boundaries() {
        let s = "aé";
        assert_eq!(floor_boundary(s, 2), 1);
        assert_eq!(ceil_boundary(s, 2), 3);
    }
}
