//! Tables written in plain text (a CSV pasted in a text file, an export
//! concatenated with logs): the header cell above a value, so that a
//! column's name can say what its values are, as a CSV header does.

use super::Candidate;
use std::cell::Cell;

/// How far up a table's first line is looked for.
const TABLE_REACH: usize = 1 << 20;

/// A table's lines seen on this thread: its text (address and length),
/// separator, separators per line, first line's start and the end of the
/// last line known to belong to it. The values of one table are checked in
/// order: each walks up only until it meets a line of a run a walk before
/// found, then jumps to that run's first line (an optimisation only: the
/// answer is the same without it). A walk cut short by [`TABLE_REACH`], or
/// from a line cut short by the candidate's reach, is not kept: its first
/// line is no table's.
#[derive(Clone, Copy)]
struct Seen {
    hay: (usize, usize),
    sep: u8,
    count: usize,
    first: usize,
    last_end: usize,
}

/// How many tables' runs are kept: a text's slices searched at once (see
/// `detect::engine::streams`) check values of up to three tables in turn.
const KEPT: usize = 4;

thread_local! {
    static SEEN: Cell<[Option<Seen>; KEPT]> = const { Cell::new([None; KEPT]) };
}

/// Whether the candidate's column, in a table written as text (`;`, tab or
/// `|` separated), has a header cell holding one of `words` (ASCII, lower
/// case): the first line of the run of lines with as many separators.
fn header_holds(c: &Candidate, words: &[&str]) -> bool {
    let b = c.hay.as_bytes();
    let own = c.line_range();
    let line = &b[own.clone()];
    let Some(sep) = [b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|&s| memchr::memchr_iter(s, line).count())
    else {
        return false;
    };
    let count = memchr::memchr_iter(sep, line).count();
    if count == 0 {
        return false;
    }
    let field = memchr::memchr_iter(sep, &b[own.start..c.start]).count();
    let key = (c.hay.as_ptr() as usize, c.hay.len());
    let kept = SEEN.get();
    let seen = kept
        .iter()
        .flatten()
        .filter(|s| s.hay == key && s.sep == sep && s.count == count);
    let mut first = own.start;
    loop {
        if first == 0 {
            break;
        }
        if own.start - first >= TABLE_REACH {
            break;
        }
        let end = first - 1;
        // The line above ends inside the known run (a SIRET every few rows
        // of a supplier table, not every row): every line up to the run's
        // first is one of the table's.
        if b[end] == b'\n' {
            // (Its first line is checked again: a text read later at the
            // same address and of the same length is another text.)
            let starts_run = |s: &&Seen| {
                let line_end =
                    memchr::memchr(b'\n', &b[s.first..]).map_or(b.len(), |i| s.first + i);
                (s.first == 0 || b[s.first - 1] == b'\n')
                    && memchr::memchr_iter(sep, &b[s.first..line_end]).count() == count
            };
            if let Some(s) = seen
                .clone()
                .find(|s| s.first <= end && end <= s.last_end)
                .filter(starts_run)
            {
                first = s.first;
                break;
            }
        }
        let start = memchr::memrchr(b'\n', &b[..end]).map_or(0, |i| i + 1);
        if memchr::memchr_iter(sep, &b[start..end]).count() != count {
            break;
        }
        first = start;
    }
    let cut = own.start - first >= TABLE_REACH;
    // A line cut by the candidate's reach (a line of kilobytes) starts no run.
    let whole = first == 0 || b[first - 1] == b'\n';
    if !cut && whole {
        // This run first, the others after it, the oldest dropped. A run
        // known before is one with this: every line from its first to the
        // farther of the two values' lines is the table's (slices searched
        // at once check values of one table in turn, far apart).
        let same = |s: &&Seen| s.hay == key && s.sep == sep && s.count == count && s.first == first;
        let known = kept.iter().flatten().find(same).map_or(0, |s| s.last_end);
        let run = Seen {
            hay: key,
            sep,
            count,
            first,
            last_end: own.end.max(known),
        };
        let mut next = [None; KEPT];
        next[0] = Some(run);
        let others = kept.iter().flatten().filter(|s| !same(s));
        for (slot, s) in next[1..].iter_mut().zip(others) {
            *slot = Some(*s);
        }
        SEEN.set(next);
    }
    let holds = |header: &[u8]| {
        header.split(|&d| d == sep).nth(field).is_some_and(|h| {
            let h = h.to_ascii_lowercase();
            words
                .iter()
                .any(|w| memchr::memmem::find(&h, w.as_bytes()).is_some())
        })
    };
    // The same answer whether the walk was cut short by a value above
    // (the cache) or not: the findings never depend on which values a
    // thread saw before. (A chunk of a large file that starts inside a
    // table takes its first line for the header: its SIRETs stay cards.)
    if first == own.start || cut {
        return false;
    }
    let header_end = memchr::memchr(b'\n', &b[first..]).map_or(b.len(), |i| first + i);
    let header = &b[first..header_end];
    holds(header)
}

/// The candidate sits in a text table's column whose header holds one of
/// `words` (ASCII, lower case).
pub(crate) fn column_says(c: &Candidate, words: &[&str]) -> bool {
    header_holds(c, words)
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
        assert!(column_says(&at(t, "86514235300420"), &["siret"]));
        assert!(column_says(&at(t, "30075249008315"), &["siret"]));
        assert!(!column_says(&at(t, "Urbaine"), &["siret"]));
        assert!(column_says(&at(t, "Urbaine"), &["fournisseur"]));
        // Not a table: no separator, or a row alone.
        assert!(!column_says(
            &at("a\nCarte 4111111111111111\n", "4111"),
            &["carte"]
        ));
        assert!(!column_says(
            &at("a b\nx;4111111111111111\n", "4111"),
            &["x"]
        ));
        // A chunk that starts inside the table (its first line cut) does
        // not see the header.
        let next = "0315;5,55\nCMD-3;Urbaine;36373690864581;5,55\n";
        assert!(!column_says(&at(next, "36373690864581"), &["siret"]));
    }

    #[test]
    fn values_of_two_tables_checked_in_turn_far_apart() {
        // Slices searched at once check rows far apart, of two tables with
        // as many separators, in turn: each answer is its own header's.
        let mut t = String::from("notes\nCommande;Client;SIRET;Montant\n");
        for i in 0..400usize {
            t.push_str(&format!("C{i};Client {i};{:014};1,00\n", 10_000_000 + i));
        }
        t.push_str("fin\nRef;Nom;Carte;Total\n");
        for i in 0..400usize {
            t.push_str(&format!("R{i};Nom {i};{:016};2,00\n", 4_000_000_000 + i));
        }
        let siret = |i: usize| format!("{:014}", 10_000_000 + i);
        let card = |i: usize| format!("{:016}", 4_000_000_000 + i);
        for round in 0..3 {
            for (a, b) in [(390, 5), (200, 395), (10, 100)] {
                let (a, b) = (a - round, b + round);
                assert!(column_says(&at(&t, &siret(a)), &["siret"]), "{a}");
                assert!(column_says(&at(&t, &card(b)), &["carte"]), "{b}");
                assert!(!column_says(&at(&t, &card(a)), &["siret"]), "{a}");
                assert!(column_says(&at(&t, &siret(b)), &["siret"]), "{b}");
            }
        }
    }
}
