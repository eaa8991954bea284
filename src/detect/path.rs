//! Names and identifiers in file and folder names: `CV_Caron_Monique.docx`,
//! `CNI_DUPONT_Jean.pdf`, `Locataires/LEMAITRE Christelle/bail.pdf` name a
//! person — for a scanned document, often the only clue. Each component of
//! a path is searched once per file (and per archive member), its findings
//! located as `{"path_component": N}`.

use super::engine::{Detector, Finding};
use crate::model::Unit;

/// Confidence of a name read from a file or folder name.
const PATH_NAME_CONFIDENCE: f32 = 0.8;

/// The findings of `components` (the folder and file names of a path), as
/// (component index, finding); a finding's offsets are meaningless.
pub fn find(detector: &mut Detector<'_>, components: &[&str]) -> Vec<(usize, Finding)> {
    let engine = detector.engine();
    let mut out: Vec<(usize, Finding)> = Vec::new();
    let mut found = Vec::new();
    for (n, component) in components.iter().enumerate() {
        let stem = if n + 1 == components.len() {
            strip_extension(component)
        } else {
            component
        };
        // Identifiers: `_` joins words in file names, where `\b` sees none.
        let text = stem.replace('_', " ");
        found.clear();
        detector.detect(
            &Unit {
                text: &text,
                report: 0..text.len(),
                column_kind: None,
                regex_free: false,
            },
            &mut found,
        );
        let push = |f: Finding, out: &mut Vec<(usize, Finding)>| {
            let dup = out.iter().any(|(m, g)| {
                *m == n
                    && g.value == f.value
                    && engine.patterns()[g.pattern].kind == engine.patterns()[f.pattern].kind
            });
            if !dup {
                out.push((n, f));
            }
        };
        for f in found.drain(..) {
            if engine.patterns()[f.pattern].regex_based() {
                push(f, &mut out);
            }
        }
        if let Some((pid, names)) = engine.names() {
            let words = words(stem);
            for value in names.names_in_words(&words) {
                let f = Finding {
                    pattern: pid,
                    start: 0,
                    end: 0,
                    value,
                    confidence: PATH_NAME_CONFIDENCE,
                };
                push(f, &mut out);
            }
        }
    }
    out
}

/// A file name without its extension (`bail.pdf` → `bail`; `archive.tar.gz`
/// → `archive.tar`, enough for names).
fn strip_extension(name: &str) -> &str {
    match name.rfind('.') {
        Some(i)
            if i > 0 && name.len() - i <= 6 && name[i + 1..].chars().all(char::is_alphanumeric) =>
        {
            &name[..i]
        }
        _ => name,
    }
}

/// The words of a file or folder name: split at `_`, `.`, spaces, digits
/// and punctuation, and between a lower-case and a capital letter
/// (`CaronMonique`); hyphens kept (`Jean-Pierre`).
fn words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for piece in name.split(|c: char| !(c.is_alphabetic() || c == '-' || c == '\'')) {
        let piece = piece.trim_matches(['-', '\'']);
        if piece.is_empty() {
            continue;
        }
        // "Jean-Pierre" stays whole (`names_in_words` splits the others).
        split_camel(piece, &mut out);
    }
    out
}

/// `CaronMonique` → `Caron`, `Monique`; `DUPONT`, `Dupont`, `dupont` whole.
fn split_camel<'t>(word: &'t str, out: &mut Vec<&'t str>) {
    let mut start = 0;
    let mut prev_lower = false;
    for (i, c) in word.char_indices() {
        if c.is_uppercase() && prev_lower && word[start..i].chars().count() > 1 {
            out.push(&word[start..i]);
            start = i;
        }
        prev_lower = c.is_lowercase();
    }
    out.push(&word[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_file_names() {
        assert_eq!(words("CV_Caron_Monique"), ["CV", "Caron", "Monique"]);
        assert_eq!(words("CaronMonique 2023"), ["Caron", "Monique"]);
        assert_eq!(words("LEMAITRE Christelle"), ["LEMAITRE", "Christelle"]);
        assert_eq!(words("Jean-Pierre_DUPONT"), ["Jean-Pierre", "DUPONT"]);
        assert_eq!(strip_extension("CNI_DUPONT_Jean.pdf"), "CNI_DUPONT_Jean");
        assert_eq!(strip_extension("Locataires"), "Locataires");
    }
}
