//! Which regexes the engine's prefilter may serve, decided from the regex
//! itself (so a new pattern file keeps the fast path when it can).
//!
//! The prefilter ([`super::engine`]) tries a regex, anchored, only at a few
//! places: a position `p` that starts a word (an ASCII letter, digit or `_`
//! after a byte that is none of these) or holds a `+` or a `:`, and that has
//! a *trigger* byte (a digit, `+` or `:`) at most four bytes on (`p..=p+4`);
//! or the first word start of the run of e-mail local-part bytes before an
//! `@` or its percent-encoded form `%40`. A regex is eligible when every
//! match it can make starts at such a place. [`eligible`] walks the regex's
//! syntax tree along every path of its first bytes and checks that each
//! path either begins at a word start (`\b` then a word byte) or with
//! `+`/`:`, and then either meets a trigger byte within its first five
//! bytes or reaches a mandatory `@` (or `%40`) after local-part bytes only.
//! The analysis is conservative: a regex it cannot prove eligible turns the
//! prefilter off (slower, never different).

use regex_automata::util::syntax;
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// A set of bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Bytes([u128; 2]);

impl Bytes {
    pub(super) fn of(f: impl Fn(u8) -> bool) -> Self {
        let mut s = Bytes([0; 2]);
        for b in 0..=255u8 {
            if f(b) {
                s.0[usize::from(b >> 7)] |= 1 << (b & 127);
            }
        }
        s
    }
    pub(super) fn within(self, other: Bytes) -> bool {
        self.0[0] & !other.0[0] == 0 && self.0[1] & !other.0[1] == 0
    }
}

/// What has been learnt along one path of a regex's first bytes.
#[derive(Clone, Copy)]
struct Path {
    /// The largest offset from the match's start of the next byte (`None`:
    /// unbounded).
    at: Option<usize>,
    /// A byte was consumed.
    started: bool,
    /// A word-boundary assertion comes before the first byte.
    boundary: bool,
    /// Every byte so far is an e-mail local-part byte.
    local: bool,
    /// How many bytes of `%40` (an `@` percent-encoded) were just consumed.
    encoded_at: u8,
}

/// One step left on a path: a node, or what is left of a repetition after
/// its first round (`rounds`: at most how many more; `None`: any number).
#[derive(Clone, Copy)]
enum Step<'h> {
    Node(&'h Hir),
    More(&'h Hir, Option<u32>),
}

/// How many paths are explored at most before giving up (a regex with many
/// alternations in its first bytes is not worth proving).
const BUDGET: usize = 10_000;

/// True when every match of `regex` starts where the prefilter looks.
pub fn eligible(regex: &str) -> bool {
    let Ok(hir) = syntax::parse(regex) else {
        return false;
    };
    let start = Path {
        at: Some(0),
        started: false,
        boundary: false,
        local: true,
        encoded_at: 0,
    };
    let mut budget = BUDGET;
    walk(&[Step::Node(&hir)], start, &mut budget)
}

/// Whether every path through `steps` (then the end of the match) from
/// `path` meets the prefilter's conditions.
fn walk<'h>(steps: &[Step<'h>], mut path: Path, budget: &mut usize) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let Some((first, rest)) = steps.split_first() else {
        return false; // the match may end before a trigger or an `@`
    };
    let then = |front: &[Step<'h>]| -> Vec<Step<'h>> {
        let mut v = front.to_vec();
        v.extend_from_slice(rest);
        v
    };
    let node = match *first {
        Step::Node(h) => h,
        Step::More(sub, rounds) => {
            if rounds == Some(0) {
                return walk(rest, path, budget);
            }
            // More rounds: their bytes are not counted on, only their length.
            let Some(bytes) = all_bytes(sub) else {
                return false;
            };
            let extra = match (rounds, sub.properties().maximum_len()) {
                (Some(r), Some(len)) => path.at.map(|a| a + len * r as usize),
                _ => None,
            };
            path.local &= bytes.within(local());
            path.at = extra;
            path.encoded_at = 0;
            return walk(rest, path, budget);
        }
    };
    match node.kind() {
        HirKind::Empty => walk(rest, path, budget),
        HirKind::Look(look) => {
            if !path.started
                && matches!(
                    look,
                    Look::WordAscii
                        | Look::WordUnicode
                        | Look::WordStartAscii
                        | Look::WordStartUnicode
                )
            {
                path.boundary = true;
            }
            walk(rest, path, budget)
        }
        HirKind::Literal(lit) => {
            for &b in lit.0.iter() {
                match consume(&mut path, Bytes::of(|x| x == b), 1) {
                    Some(done) => return done,
                    None => continue,
                }
            }
            walk(rest, path, budget)
        }
        HirKind::Class(class) => {
            let Some((bytes, width)) = class_bytes(class) else {
                return false;
            };
            match consume(&mut path, bytes, width) {
                Some(done) => done,
                None => walk(rest, path, budget),
            }
        }
        HirKind::Capture(c) => walk(&then(&[Step::Node(&c.sub)]), path, budget),
        HirKind::Concat(parts) => {
            let front: Vec<Step<'h>> = parts.iter().map(Step::Node).collect();
            walk(&then(&front), path, budget)
        }
        HirKind::Alternation(alts) => alts
            .iter()
            .all(|a| walk(&then(&[Step::Node(a)]), path, budget)),
        HirKind::Repetition(rep) => {
            let skip = rep.min == 0 && !walk(rest, path, budget);
            if skip {
                return false;
            }
            let more = rep.max.map(|m| m.saturating_sub(1));
            walk(
                &then(&[Step::Node(&rep.sub), Step::More(&rep.sub, more)]),
                path,
                budget,
            )
        }
    }
}

/// Consumes one character of `bytes` (`width`: its length in bytes at most);
/// `Some(verdict)` when the path is decided here.
fn consume(path: &mut Path, bytes: Bytes, width: usize) -> Option<bool> {
    if !path.started {
        path.started = true;
        let word_start = path.boundary && bytes.within(Bytes::of(word_byte));
        if !word_start && !bytes.within(Bytes::of(|b| b == b'+' || b == b':')) {
            return Some(false);
        }
    }
    let trigger = Bytes::of(|b| b.is_ascii_digit() || b == b'+' || b == b':');
    if bytes.within(trigger) && path.at.is_some_and(|a| a <= 4) {
        return Some(true);
    }
    if bytes == Bytes::of(|b| b == b'@') && path.local {
        return Some(true);
    }
    // `%40` after local-part bytes: `%` and the digits are local-part
    // bytes too, so `local` still holds at its `0`.
    let step = usize::from(path.encoded_at);
    path.encoded_at = if step < 3 && bytes == Bytes::of(|b| b == b"%40"[step]) {
        path.encoded_at + 1
    } else {
        u8::from(bytes == Bytes::of(|b| b == b'%'))
    };
    if path.encoded_at == 3 && path.local {
        return Some(true);
    }
    path.local &= bytes.within(local());
    path.at = path.at.map(|a| a + width);
    None
}

/// The bytes of an e-mail address's local part, as the prefilter runs over them.
fn local() -> Bytes {
    Bytes::of(super::validate::email_local)
}

/// The first bytes a class matches, and its characters' largest width.
pub(super) fn class_bytes(class: &Class) -> Option<(Bytes, usize)> {
    match class {
        Class::Bytes(c) => {
            let mut s = Bytes([0; 2]);
            for r in c.iter() {
                for b in r.start()..=r.end() {
                    s.0[usize::from(b >> 7)] |= 1 << (b & 127);
                }
            }
            Some((s, 1))
        }
        Class::Unicode(c) => {
            let mut s = Bytes([0; 2]);
            let mut width = 1;
            for r in c.iter() {
                let (lo, hi) = (u32::from(r.start()), u32::from(r.end()));
                if hi >= 0x80 {
                    // Any non-ASCII character: its lead bytes, up to 4 bytes.
                    width = 4;
                    for b in 0xC0..=0xFFu8 {
                        s.0[1] |= 1 << (b & 127);
                    }
                }
                for b in lo..=hi.min(0x7F) {
                    s.0[0] |= 1 << b;
                }
            }
            Some((s, width))
        }
    }
}

/// Every byte `hir` may match, if it is made of classes and literals only.
fn all_bytes(hir: &Hir) -> Option<Bytes> {
    let union = |a: Bytes, b: Bytes| Bytes([a.0[0] | b.0[0], a.0[1] | b.0[1]]);
    Some(match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Bytes([0; 2]),
        HirKind::Literal(lit) => lit
            .0
            .iter()
            .fold(Bytes([0; 2]), |s, &b| union(s, Bytes::of(|x| x == b))),
        HirKind::Class(c) => class_bytes(c)?.0,
        HirKind::Capture(c) => all_bytes(&c.sub)?,
        HirKind::Repetition(r) => all_bytes(&r.sub)?,
        HirKind::Concat(v) | HirKind::Alternation(v) => {
            let mut s = Bytes([0; 2]);
            for h in v {
                s = union(s, all_bytes(h)?);
            }
            s
        }
    })
}

/// True when no match of `regex` can hold a byte of `bytes` or depend on
/// where a line or the text starts or ends (`^`, `$`): with a table's
/// delimiter, quote and line breaks as `bytes`, its matches in a cell are
/// those it makes in the cell's line, cell by cell (see `Detector::prescreen`).
pub fn within_cells(regex: &str, bytes: &[u8]) -> bool {
    fn word_looks_only(hir: &Hir) -> bool {
        match hir.kind() {
            HirKind::Look(look) => matches!(
                look,
                Look::WordAscii
                    | Look::WordAsciiNegate
                    | Look::WordUnicode
                    | Look::WordUnicodeNegate
                    | Look::WordStartAscii
                    | Look::WordEndAscii
                    | Look::WordStartUnicode
                    | Look::WordEndUnicode
                    | Look::WordStartHalfAscii
                    | Look::WordEndHalfAscii
                    | Look::WordStartHalfUnicode
                    | Look::WordEndHalfUnicode
            ),
            HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => true,
            HirKind::Capture(c) => word_looks_only(&c.sub),
            HirKind::Repetition(r) => word_looks_only(&r.sub),
            HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().all(word_looks_only),
        }
    }
    let Ok(hir) = syntax::parse(regex) else {
        return false;
    };
    let Some(matched) = all_bytes(&hir) else {
        return false;
    };
    let avoided = Bytes::of(|b| bytes.contains(&b));
    matched.0[0] & avoided.0[0] == 0 && matched.0[1] & avoided.0[1] == 0 && word_looks_only(&hir)
}

// ---- At run time: where the prefilter looks.

/// A byte `\b` counts as part of a word (the regexes are ASCII-only).
fn word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// May a prefiltered match start at `p`: a word's first byte, a `+`
/// or a `:`.
fn may_start(b: &[u8], p: usize) -> bool {
    match b[p] {
        b'+' | b':' => true,
        c => word_byte(c) && (p == 0 || !word_byte(b[p - 1])),
    }
}

/// Where the prefilter looks for an e-mail address next: the next `@` at or
/// after some position and the start of the run of local-part bytes before it.
#[derive(Default)]
pub(super) struct NextAt {
    at: Option<usize>,
    run_start: usize,
    searched_from: usize,
}

impl NextAt {
    /// Nothing searched yet.
    pub(super) fn new() -> Self {
        NextAt {
            searched_from: usize::MAX,
            ..NextAt::default()
        }
    }

    /// The first position at or after `pos` where an e-mail address may
    /// start: the first word start in the local-part run before an `@`.
    fn start(&mut self, b: &[u8], mut pos: usize) -> Option<usize> {
        loop {
            let stale = match self.at {
                Some(at) => at < pos,
                None => self.searched_from > pos,
            };
            if stale {
                self.searched_from = pos;
                self.at = next_at_sign(b, pos);
                if let Some(at) = self.at {
                    let mut r = at;
                    while r > 0 && super::validate::email_local(b[r - 1]) {
                        r -= 1;
                    }
                    self.run_start = r;
                }
            }
            let at = self.at?;
            let from = self.run_start.max(pos);
            if let Some(w) = (from..at).find(|&p| word_byte(b[p]) && may_start(b, p)) {
                return Some(w);
            }
            // No address ends at this `@` after `pos`.
            pos = at + 1;
        }
    }
}

/// The next `@` at or after `pos`, or the `%` of a `%40` (an `@`
/// percent-encoded in a URL).
fn next_at_sign(b: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        let at = pos + memchr::memchr2(b'@', b'%', &b[pos..])?;
        if b[at] == b'@' || b[at + 1..].starts_with(b"40") {
            return Some(at);
        }
        pos = at + 1;
    }
}

/// The next position at or after `pos` where a prefiltered match may
/// start (see there), if any.
pub(super) fn next_start(b: &[u8], pos: usize, next_at: &mut NextAt) -> Option<usize> {
    let email = next_at.start(b, pos);
    let mut from = pos;
    let trigger = loop {
        let Some(t) = super::marks::next_trigger(b, from) else {
            break None;
        };
        let lo = t.saturating_sub(4).max(from);
        if email.is_some_and(|e| e < lo) {
            break None;
        }
        if let Some(p) = (lo..=t).find(|&p| may_start(b, p)) {
            break Some(p);
        }
        // No place after `t` in its word can start a match (each follows a
        // word byte): a run of digits is passed in one step, not digit by
        // digit.
        from = t + 1;
        while b.get(from).is_some_and(|&c| word_byte(c)) {
            from += 1;
        }
    };
    match (trigger, email) {
        (Some(t), Some(e)) => Some(t.min(e)),
        (t, e) => t.or(e),
    }
}

/// Where a search of a text stands in the prefilter's candidates: `None`
/// once they fail too densely to be worth it (see [`Density`]), or where
/// the prefilter does not serve.
pub(super) struct Walk {
    pub(super) next_at: NextAt,
    pub(super) candidates: Option<Density>,
}

impl Walk {
    /// A walk from `pos`, through the candidates when `prefilter` serves.
    pub(super) fn new(prefilter: bool, pos: usize) -> Self {
        Walk {
            next_at: NextAt::new(),
            candidates: prefilter.then(|| Density::new(pos)),
        }
    }
}

/// How densely the prefilter's candidates fail: past [`Density::MISSES`]
/// misses closer than [`Density::SPACING`] bytes apart on average, one
/// unanchored pass over the rest of the unit is cheaper than an anchored
/// search at each candidate.
pub(super) struct Density {
    since: usize,
    misses: usize,
}

impl Density {
    const MISSES: usize = 256;
    const SPACING: usize = 24;

    pub(super) fn new(pos: usize) -> Self {
        Density {
            since: pos,
            misses: 0,
        }
    }

    /// Counts a candidate at `c` that matched nothing; true when the
    /// candidates have been dense enough to stop using them.
    pub(super) fn missed(&mut self, c: usize) -> bool {
        self.misses += 1;
        if self.misses < Self::MISSES {
            return false;
        }
        let dense = c - self.since < Self::MISSES * Self::SPACING;
        *self = Density::new(c);
        dense
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_regex_is_eligible() {
        for f in super::super::pattern::builtin().expect("built-in patterns") {
            for p in f.file.patterns.iter().filter(|p| p.detector.is_none()) {
                assert!(eligible(&p.regex), "{}: {}", p.id, p.regex);
            }
        }
    }

    #[test]
    fn every_builtin_regex_stays_within_a_cell() {
        let breaks = b";,\t|\"\n\r";
        for f in super::super::pattern::builtin().expect("built-in patterns") {
            for p in f.file.patterns.iter().filter(|p| !p.regex.is_empty()) {
                assert!(within_cells(&p.regex, breaks), "{}: {}", p.id, p.regex);
            }
        }
        // A class or a dot that takes a delimiter or a line break, an anchor.
        assert!(!within_cells(r"[^x]+@", breaks));
        assert!(!within_cells(r"a\sb", breaks));
        assert!(!within_cells(r"(?s)a.b", breaks));
        assert!(!within_cells(r"^[0-9]{5}$", breaks));
        assert!(within_cells(r"\b[0-9]{5}\B", breaks));
    }

    #[test]
    fn a_match_that_may_start_elsewhere_is_not() {
        // No word boundary: a match may start inside a word.
        assert!(!eligible(r"[0-9]{6}"));
        // The digit may come too late.
        assert!(!eligible(r"\b[A-Z]{5,}[0-9]{2}\b"));
        // Letters only: no trigger at all.
        assert!(!eligible(r"\bMatricule\b"));
        // An optional start that begins with a letter and no boundary.
        assert!(!eligible(r"(?:x)?[0-9]{4}"));
        // A local part that may contain a byte the prefilter stops at.
        assert!(!eligible(r"\b[a-z ]+@example\.fr"));
        // Another escape than `%40`.
        assert!(!eligible(r"\b[a-z]+%41example\.fr"));
        assert!(!eligible(r"\b[a-z]+%4example\.fr"));
    }

    #[test]
    fn new_kinds_shaped_like_identifiers_are() {
        assert!(eligible(r"\bMAT-[0-9]{6}\b"));
        assert!(eligible(r"\b[0-9]{2}[A-Z]{2}[0-9]{5}\b"));
        assert!(eligible(r"\+[0-9]{6,}"));
        assert!(eligible(r"\b[a-z0-9_][a-z0-9._-]*@[a-z0-9.-]+\.fr\b"));
        assert!(eligible(
            r"\b[a-z0-9_](?:[a-z0-9._-]|%2B)*%40[a-z0-9.-]+\.fr\b"
        ));
    }
}
