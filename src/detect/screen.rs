//! A quick test of a short unit before the regexes search it: which bytes
//! every match of a regex needs at least, counted by class.
//!
//! A table cell of an accounting export (`108 066,13`, `VE000412`) cannot
//! hold a phone (ten digits), an IBAN (letters and digits), a date (two
//! separators) or an e-mail (an `@`): counting its digits, letters and a
//! few punctuation bytes once tells so for every pattern at a time, where
//! the search would run the automaton at each of its word starts. The
//! needs are read from each regex's syntax tree (a concatenation adds its
//! parts' needs, an alternation keeps the least of its branches', a
//! repetition multiplies by its least count), so a pattern file added with
//! `--patterns` is screened as well; a regex that cannot be read needs
//! nothing, and the screen then lets every unit through.

use super::prefilter::{class_bytes, Bytes};
use regex_automata::util::syntax;
use regex_syntax::hir::{Hir, HirKind};

/// The byte classes counted: ASCII digits, ASCII letters, `@`, the date and
/// address separators `. / -`, `:` and `+`.
const CLASSES: usize = 6;
/// Needs besides the classes': ASCII letters or digits (a class of both,
/// `[0-9A-Z]`), and the match's length.
const ALNUM: usize = CLASSES;
const LEN: usize = CLASSES + 1;
const NEEDS: usize = CLASSES + 2;
const _: () = assert!(NEEDS <= 8);

fn class_sets() -> [Bytes; CLASSES] {
    [
        Bytes::of(|b| b.is_ascii_digit()),
        Bytes::of(|b| b.is_ascii_alphabetic()),
        Bytes::of(|b| b == b'@'),
        Bytes::of(|b| matches!(b, b'.' | b'/' | b'-')),
        Bytes::of(|b| b == b':'),
        Bytes::of(|b| b == b'+'),
    ]
}

/// How many bytes of each class a match needs at least, then of letters or
/// digits, then in all.
type Needs = [u32; NEEDS];

/// The needs of a set of regexes; a unit passes when it meets one's.
///
/// Counts are packed one byte each in a `u64` (a class per byte, then
/// letters-or-digits, then the length), so that a unit of at most
/// [`Screen::MAX_LEN`] bytes is counted with one addition a byte and
/// compared with a pattern's needs in three operations.
#[derive(Debug, Clone)]
pub struct Screen {
    /// The least needs: one that another's imply is left out.
    needs: Vec<u64>,
    /// What each byte adds to the packed counts.
    adds: [u64; 256],
}

/// The high bit of each packed count.
const HIGH: u64 = 0x8080_8080_8080_8080;

impl Screen {
    /// Longest unit screened: its counts must fit in 7 bits.
    pub const MAX_LEN: usize = 127;

    /// The screen of `regexes` (their syntax as the engine compiles them).
    pub fn new<'a>(regexes: impl IntoIterator<Item = &'a str>) -> Self {
        let sets = class_sets();
        let mut adds = [1u64 << (8 * LEN); 256];
        for (b, add) in adds.iter_mut().enumerate() {
            let byte = Bytes::of(|x| usize::from(x) == b);
            if let Some(c) = sets.iter().position(|s| byte.within(*s)) {
                *add |= 1 << (8 * c);
            }
            if (b as u8).is_ascii_alphanumeric() {
                *add |= 1 << (8 * ALNUM);
            }
        }
        let mut needs: Vec<u64> = Vec::new();
        for r in regexes {
            let n = match syntax::parse_with(r, &super::compiled::syntax_config()) {
                Ok(hir) => {
                    let mut n = needs_of(&hir, &sets);
                    n[LEN] = hir.properties().minimum_len().unwrap_or(0) as u32;
                    n
                }
                Err(_) => [0; NEEDS],
            };
            // A need above what a screened unit can hold is capped: still
            // a lower bound.
            let packed = n
                .iter()
                .enumerate()
                .fold(0u64, |p, (i, &c)| p | u64::from(c.min(127)) << (8 * i));
            let implied = |a: u64, b: u64| (((a | HIGH) - b) & HIGH) == HIGH;
            if !needs.iter().any(|&m| implied(packed, m)) {
                needs.retain(|&m| !implied(m, packed));
                needs.push(packed);
            }
        }
        Screen { needs, adds }
    }

    /// False when no regex can match anywhere in `bytes` (at most
    /// [`Screen::MAX_LEN`] long: a longer one always passes).
    pub fn may_match(&self, bytes: &[u8]) -> bool {
        if bytes.len() > Self::MAX_LEN {
            return true;
        }
        let have = bytes
            .iter()
            .fold(0u64, |h, &b| h + self.adds[usize::from(b)]);
        // Each byte of `have | HIGH` minus the need keeps its high bit when
        // the count is at least the need.
        self.needs
            .iter()
            .any(|&n| ((have | HIGH) - n) & HIGH == HIGH)
    }
}

/// The bytes of each class every match of `hir` holds at least.
fn needs_of(hir: &Hir, sets: &[Bytes; CLASSES]) -> Needs {
    let one = |bytes: Bytes| {
        let mut n = [0; NEEDS];
        if let Some(c) = sets.iter().position(|s| bytes.within(*s)) {
            n[c] = 1;
        }
        if bytes.within(Bytes::of(|b| b.is_ascii_alphanumeric())) {
            n[ALNUM] = 1;
        }
        n
    };
    let add = |mut a: Needs, b: Needs| {
        for (x, y) in a.iter_mut().zip(b) {
            *x = x.saturating_add(y);
        }
        a
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => [0; NEEDS],
        HirKind::Literal(lit) => lit
            .0
            .iter()
            .map(|&b| one(Bytes::of(|x| x == b)))
            .fold([0; NEEDS], add),
        HirKind::Class(class) => match class_bytes(class) {
            Some((bytes, _)) => one(bytes),
            None => [0; NEEDS],
        },
        HirKind::Capture(c) => needs_of(&c.sub, sets),
        HirKind::Repetition(r) => needs_of(&r.sub, sets).map(|n| n.saturating_mul(r.min)),
        HirKind::Concat(parts) => parts
            .iter()
            .map(|p| needs_of(p, sets))
            .fold([0; NEEDS], add),
        HirKind::Alternation(alts) => alts
            .iter()
            .map(|a| needs_of(a, sets))
            .reduce(|a, b| {
                let mut m = a;
                for (x, y) in m.iter_mut().zip(b) {
                    *x = (*x).min(y);
                }
                m
            })
            .unwrap_or([0; NEEDS]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(n: [u64; NEEDS]) -> u64 {
        n.iter().enumerate().fold(0, |p, (i, c)| p | c << (8 * i))
    }

    #[test]
    fn a_need_another_implies_is_left_out() {
        let s = Screen::new([r"[0-9]{10}", r"[0-9]{4}", r"[0-9]{2}[a-z]"]);
        assert_eq!(
            s.needs,
            [
                pack([4, 0, 0, 0, 0, 0, 4, 4]),
                pack([2, 1, 0, 0, 0, 0, 3, 3])
            ]
        );
        assert!(s.may_match(b"1234"));
        assert!(s.may_match(&[b' '; 200]));
        assert!(!s.may_match(b"1 a"));
        assert!(s.may_match(b"12a"));
    }

    #[test]
    fn needs_are_read_from_the_regex() {
        let s = Screen::new([r"\b0[1-9](?:[ .-]?[0-9]{2}){4}\b"]);
        assert_eq!(s.needs, [pack([10, 0, 0, 0, 0, 0, 10, 10])]);
        assert!(s.may_match(b"06 12 34 56 78"));
        assert!(!s.may_match(b"108 066,13"));
        let s = Screen::new([
            r"[a-z]+@[a-z]+\.(?:fr|com)",
            r"(?:[0-9]{1,3}\.){3}[0-9]{1,3}",
        ]);
        assert_eq!(
            s.needs,
            [
                pack([0, 4, 1, 1, 0, 0, 4, 6]),
                pack([4, 0, 0, 3, 0, 0, 4, 7])
            ]
        );
        assert!(s.may_match(b"a@b.fr"));
        assert!(s.may_match(b"10.0.0.1"));
        assert!(!s.may_match(b"10.0.1"));
        assert!(!s.may_match(b"ab@cd"));
        let s = Screen::new([r"\b[0-9]{2}(?:[ ]?[0-9A-Z]){11}\b", r"\+[0-9]{8}"]);
        assert_eq!(s.needs[0], pack([2, 0, 0, 0, 0, 0, 13, 13]));
        assert!(s.may_match(b"12AB3CD4EF5GH"));
        assert!(!s.may_match(b"12AB3CD4EF5G"));
        assert!(s.may_match(b"+33612345678"));
        assert!(!s.may_match(b"33612345678"));
    }

    #[test]
    fn what_cannot_be_read_lets_everything_through() {
        let s = Screen::new(["(unclosed", r"\d+"]);
        assert!(s.may_match(b""));
        let s = Screen::new([r"(?i)x|[0-9]"]);
        assert_eq!(s.needs, [pack([0, 0, 0, 0, 0, 0, 1, 1])]);
    }
}
