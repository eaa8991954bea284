//! Tables written in plain text (a CSV pasted in a text file, an export
//! concatenated with logs): the header cell above a value, so that a
//! column's name can say what its values are, as a CSV header does.

use super::Candidate;
use std::cell::Cell;

/// How far up a table's first line is looked for.
const TABLE_REACH: usize = 256 * 1024;

/// A table's lines seen last on this thread: its text (address and
/// length), separator, separators per line, first line's start and the end
/// of the last line known to belong to it. The values of one table are
/// checked in order: each walks up only to the line the one before reached.
#[derive(Clone, Copy)]
struct Seen {
    hay: (usize, usize),
    sep: u8,
    count: usize,
    first: usize,
    last_end: usize,
}

thread_local! {
    static SEEN: Cell<Option<Seen>> = const { Cell::new(None) };
}

/// The header cell of the candidate's column, when its line is a row of a
/// table (`;`, tab or `|` separated) whose first line is above it: the
/// first line of the run of lines with as many separators.
pub(crate) fn header_cell<'a>(c: &Candidate<'a>) -> Option<&'a [u8]> {
    let b = c.hay.as_bytes();
    let own = c.line_range();
    let line = &b[own.clone()];
    let sep = [b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|&s| memchr::memchr_iter(s, line).count())?;
    let count = memchr::memchr_iter(sep, line).count();
    if count == 0 {
        return None;
    }
    let field = memchr::memchr_iter(sep, &b[own.start..c.start]).count();
    let key = (c.hay.as_ptr() as usize, c.hay.len());
    let seen = SEEN
        .get()
        .filter(|s| s.hay == key && s.sep == sep && s.count == count);
    let mut first = own.start;
    while first > 0 && own.start - first < TABLE_REACH {
        let end = first - 1;
        if let Some(s) = seen.filter(|s| s.last_end == end) {
            first = s.first;
            break;
        }
        let start = memchr::memrchr(b'\n', &b[..end]).map_or(0, |i| i + 1);
        if memchr::memchr_iter(sep, &b[start..end]).count() != count {
            break;
        }
        first = start;
    }
    SEEN.set(Some(Seen {
        hay: key,
        sep,
        count,
        first,
        last_end: own.end,
    }));
    if first == own.start {
        return None;
    }
    let header_end = memchr::memchr(b'\n', &b[first..]).map_or(b.len(), |i| first + i);
    b[first..header_end].split(|&d| d == sep).nth(field)
}

/// The candidate sits in a text table's column whose header holds one of
/// `words` (ASCII, lower case).
pub(crate) fn column_says(c: &Candidate, words: &[&str]) -> bool {
    header_cell(c).is_some_and(|h| {
        let h = h.to_ascii_lowercase();
        words
            .iter()
            .any(|w| memchr::memmem::find(&h, w.as_bytes()).is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(hay: &'a str, value: &str) -> Candidate<'a> {
        let start = hay.find(value).unwrap();
        Candidate {
            hay,
            start,
            end: start + value.len(),
        }
    }

    #[test]
    fn header_of_a_column() {
        let t = "log line\nN° commande;Fournisseur;SIRET;Montant\nCMD-1;Léonard;86514235300420;8,92\nCMD-2;Urbaine;30075249008315;5,55\n";
        assert_eq!(header_cell(&at(t, "86514235300420")), Some(&b"SIRET"[..]));
        assert_eq!(header_cell(&at(t, "30075249008315")), Some(&b"SIRET"[..]));
        assert!(column_says(&at(t, "30075249008315"), &["siret"]));
        assert_eq!(header_cell(&at(t, "Urbaine")), Some(&b"Fournisseur"[..]));
        // Not a table: no separator, or a row alone.
        assert_eq!(
            header_cell(&at("a\nCarte 4111111111111111\n", "4111")),
            None
        );
        assert_eq!(header_cell(&at("a b\nx;4111111111111111\n", "4111")), None);
    }
}
