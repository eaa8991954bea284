//! Two readings of one line of a zone, aligned character by character.
//!
//! The general reading and the zone-only one go wrong in different places:
//! one inserts a character (`F43ZESF4DH`), the other splits a digit or
//! misreads a letter. Aligned (an edit distance in which the characters OCR
//! confuses are nearly equal), they agree on most of the line; where they
//! differ, either may be right. [`consensus`] gives the lines made by
//! taking each disagreement from one reading or the other; the check
//! digits then choose (`zone.rs`).

use crate::detect::validate::mrz;

/// Costs of the alignment: a confusable pair (`8`/`B`, `<`/`K`) costs
/// less than another substitution, which costs less than a character
/// found in one reading only.
const CONFUSED: u32 = 1;
const OTHER: u32 = 3;
const GAP: u32 = 2;

/// At most this many disagreements are chosen among (2^N lines).
const MAX_CHOICES: usize = 3;

fn cost(a: u8, b: u8) -> u32 {
    if a == b {
        0
    } else if mrz::folded(std::str::from_utf8(&[a]).unwrap_or(""))
        == mrz::folded(std::str::from_utf8(&[b]).unwrap_or(""))
        || (filler(a) && filler(b))
    {
        CONFUSED
    } else {
        OTHER
    }
}

/// `<` and the letters OCR reads for it.
fn filler(c: u8) -> bool {
    matches!(c, b'<' | b'K' | b'X' | b'L' | b'E' | b'C')
}

/// The columns of the cheapest alignment of `a` and `b`: a character of
/// each, or of one (a gap in the other).
pub(super) fn align(a: &[u8], b: &[u8]) -> Vec<(Option<u8>, Option<u8>)> {
    let (n, m) = (a.len(), b.len());
    let w = m + 1;
    let mut d = vec![0u32; (n + 1) * w];
    for i in 0..=n {
        for j in 0..=m {
            d[i * w + j] = match (i, j) {
                (0, _) => j as u32 * GAP,
                (_, 0) => i as u32 * GAP,
                _ => (d[(i - 1) * w + j - 1] + cost(a[i - 1], b[j - 1]))
                    .min(d[(i - 1) * w + j] + GAP)
                    .min(d[i * w + j - 1] + GAP),
            };
        }
    }
    let (mut i, mut j) = (n, m);
    let mut cols = Vec::with_capacity(n.max(m));
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && d[i * w + j] == d[(i - 1) * w + j - 1] + cost(a[i - 1], b[j - 1]) {
            cols.push((Some(a[i - 1]), Some(b[j - 1])));
            (i, j) = (i - 1, j - 1);
        } else if i > 0 && d[i * w + j] == d[(i - 1) * w + j] + GAP {
            cols.push((Some(a[i - 1]), None));
            i -= 1;
        } else {
            cols.push((None, Some(b[j - 1])));
            j -= 1;
        }
    }
    cols.reverse();
    cols
}

/// How alike two readings of a line are: the share of their aligned
/// columns holding the same character or two OCR confuses, spaces left
/// out (0–1). A character inserted in one does not shift the rest.
pub(super) fn alike(a: &str, b: &str) -> f32 {
    let squeeze = |s: &str| {
        s.bytes()
            .filter(|c| !c.is_ascii_whitespace())
            .collect::<Vec<_>>()
    };
    let (a, b) = (squeeze(a), squeeze(b));
    let cols = align(&a, &b);
    let same = cols
        .iter()
        .filter(|(x, y)| matches!((x, y), (Some(x), Some(y)) if cost(*x, *y) <= CONFUSED))
        .count();
    same as f32 / a.len().max(b.len()).max(1) as f32
}

/// The lines made of `a` and `b` (two readings of one line, cleaned of
/// spaces and fillers put back: [`mrz::clean_line`]) where they agree, and
/// of either where they differ: `a` where they differ in a run of fillers
/// (the zone's layout puts them back), either elsewhere, for the first
/// [`MAX_CHOICES`] disagreements (`a` after them). `a` and `b` themselves
/// are not among them.
pub(super) fn consensus(a: &str, b: &str) -> Vec<String> {
    let cols = align(a.as_bytes(), b.as_bytes());
    // Runs of differing columns, each with its two sides.
    let mut parts: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let mut last_differed = None;
    for (x, y) in cols {
        let differ = x != y;
        if last_differed != Some(differ) {
            parts.push((Vec::new(), Vec::new()));
        }
        last_differed = Some(differ);
        let last = parts.last_mut().expect("pushed");
        last.0.extend(x);
        last.1.extend(y);
    }
    let choices: Vec<usize> = (0..parts.len())
        .filter(|&i| {
            let (x, y) = &parts[i];
            x != y && !(x.iter().chain(y).all(|c| filler(*c)))
        })
        .take(MAX_CHOICES)
        .collect();
    let mut out: Vec<String> = Vec::new();
    for mask in 1..(1u32 << choices.len()) {
        let mut line = Vec::with_capacity(a.len().max(b.len()));
        for (i, (x, y)) in parts.iter().enumerate() {
            let from_b = choices
                .iter()
                .position(|&c| c == i)
                .is_some_and(|k| mask & (1 << k) != 0);
            line.extend_from_slice(if from_b { y } else { x });
        }
        let line = String::from_utf8_lossy(&line).into_owned();
        if line != a && line != b && !out.contains(&line) {
            out.push(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_inserted_in_one_reading() {
        // The general reading inserts a `Z`; the zone-only one reads
        // `I` for the first character.
        let v = consensus(
            "LDFRAF43ESF4DH1<<<<<<<<<<<<<<<",
            "IDFRAF43ZESF4DHI<<<<<<<<<<<<<<",
        );
        assert!(
            v.contains(&"IDFRAF43ESF4DH1<<<<<<<<<<<<<<<".to_string()),
            "{v:?}"
        );
    }

    #[test]
    fn each_disagreement_from_either_reading() {
        // `9` read `7` in one reading, an `O` inserted in the other.
        let v = consensus(
            "900902068617OMANON<<<<<<<<<8407270F2",
            "7009020686176MANON<<<<<<<<<8407270F2",
        );
        assert!(
            v.contains(&"9009020686176MANON<<<<<<<<<8407270F2".to_string()),
            "{v:?}"
        );
        assert!(consensus("ABC", "ABC").is_empty());
    }
}
