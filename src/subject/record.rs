//! Which findings around a strong match are the requester's own record.
//!
//! An access request answered with a neighbour's IBAN is itself a breach, so
//! a record is drawn by the structure of the data, never by distance alone:
//!
//! - a table row (CSV, sheet) is a record;
//! - a JSON or XML object is one: the innermost object holding the match,
//!   with the objects nested in it;
//! - in flowing text (a letter, a PDF page, a mail message) the whole
//!   document, else the paragraph (a block between blank lines), else the
//!   line holding the match — the largest of these that holds no other
//!   person's full name and no identifier that could be someone else's
//!   ([`clean`]);
//! - a log line is its own record, nothing around it.
//!
//! The same function decides for a plain `subject` search (values at hand)
//! and for `subject --db` (keyed fingerprints): both describe each finding
//! as a [`Member`].

use super::Strength;

/// Where a finding sits, as far as records are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A table row: the caller groups one row at a time.
    Row,
    /// Inside JSON/XML objects: the ids of the open objects, outermost
    /// first, joined with `/` (`3/7/9`).
    Object(String),
    /// Flowing text: the line, and the paragraph (`None` on a log line,
    /// whose record is the line alone).
    Flow { line: u64, block: Option<u64> },
}

impl Place {
    /// The text kept in the inventory (`places` column).
    pub fn encode(&self) -> String {
        match self {
            Place::Row => "r".into(),
            Place::Object(path) => format!("o:{path}"),
            Place::Flow { line, block: None } => format!("l:{line}"),
            Place::Flow {
                line,
                block: Some(b),
            } => format!("f:{b}:{line}"),
        }
    }

    /// The place kept by [`Place::encode`]; a missing or unknown one is a
    /// line of its own (the narrowest record).
    pub fn decode(s: Option<&str>) -> Place {
        let line_only = Place::Flow {
            line: u64::MAX,
            block: None,
        };
        let Some(s) = s else { return line_only };
        let num = |t: &str| t.parse::<u64>().ok();
        match s.split_once(':') {
            None if s == "r" => Place::Row,
            Some(("o", path)) => Place::Object(path.to_string()),
            Some(("l", line)) => Place::Flow {
                line: num(line).unwrap_or(u64::MAX),
                block: None,
            },
            Some(("f", rest)) => match rest.split_once(':').map(|(b, l)| (num(b), num(l))) {
                Some((Some(block), Some(line))) => Place::Flow {
                    line,
                    block: Some(block),
                },
                _ => line_only,
            },
            _ => line_only,
        }
    }
}

/// One finding of a document, as record selection sees it.
#[derive(Debug, Clone)]
pub struct Member {
    pub place: Place,
    pub kind: String,
    /// How the finding matches the requester, if it does.
    pub strength: Option<Strength>,
    /// Equal for equal values (a hash of the value or of its fingerprint).
    pub value: u64,
    /// A name of two words or more (someone's full name).
    pub full_name: bool,
}

/// Identifier kinds one person usually has one value of (two phones: a
/// mobile and a landline); more distinct values in a block than this, or
/// one that differs from the requester's own, may be someone else's.
fn per_person(kind: &str) -> Option<usize> {
    crate::model::kind::per_person(kind)
}

/// True when the findings `ms` hold no other person's full name and no
/// identifier that could be someone else's (`given`: whether the requester
/// gave a value of a kind).
pub fn clean<'m>(
    ms: impl Iterator<Item = &'m Member> + Clone,
    given: &dyn Fn(&str) -> bool,
) -> bool {
    let mut others: Vec<(&str, u64)> = Vec::new();
    for m in ms {
        if m.strength.is_some() {
            continue;
        }
        if m.kind == "name" && m.full_name {
            return false;
        }
        let Some(limit) = per_person(&m.kind) else {
            continue;
        };
        if given(&m.kind) {
            // The requester gave theirs: a different one is not theirs.
            return false;
        }
        if !others.contains(&(m.kind.as_str(), m.value)) {
            others.push((m.kind.as_str(), m.value));
            if others.iter().filter(|(k, _)| *k == m.kind).count() > limit {
                return false;
            }
        }
    }
    true
}

/// For each member of one document (one table row, or one file, member,
/// page or message), whether it is part of the requester's record: a
/// member that is not itself a match, in a record of a strong match. When
/// the requester gave a name, another name is not part of it: theirs are
/// matches, so it is someone else's (the technician in a tenant's row, the
/// neighbour `M. Koç` in the tenant's own mail).
pub fn select(members: &[Member], given: &dyn Fn(&str) -> bool) -> Vec<bool> {
    let mut record = vec![false; members.len()];
    let named = given("name");
    let mark = |keep: &dyn Fn(&Member) -> bool, record: &mut Vec<bool>| {
        for (i, m) in members.iter().enumerate() {
            if m.strength.is_none() && !(named && m.kind == "name") && keep(m) {
                record[i] = true;
            }
        }
    };
    let flow = |m: &Member| matches!(m.place, Place::Flow { .. });
    let whole_clean = std::cell::OnceCell::new();
    for strong in members
        .iter()
        .filter(|m| m.strength == Some(Strength::Strong))
    {
        match &strong.place {
            Place::Row => mark(&|m| m.place == Place::Row, &mut record),
            Place::Object(path) => {
                let inside = |m: &Member| match &m.place {
                    Place::Object(p) => {
                        p == path
                            || (p.len() > path.len()
                                && p.starts_with(path.as_str())
                                && p.as_bytes()[path.len()] == b'/')
                    }
                    _ => false,
                };
                mark(&inside, &mut record);
            }
            Place::Flow { line, block } => {
                let same_line =
                    |m: &Member| matches!(m.place, Place::Flow { line: l, .. } if l == *line);
                let Some(block) = block else {
                    // A log line: the line alone, if it names no one else.
                    if clean(members.iter().filter(|m| same_line(m)), given) {
                        mark(&same_line, &mut record);
                    }
                    continue;
                };
                let same_block = |m: &Member| matches!(m.place, Place::Flow { block: Some(b), .. } if b == *block);
                // A document with a log line in it is no one's letter.
                let whole = *whole_clean.get_or_init(|| {
                    let all = members.iter().filter(|m| flow(m));
                    !all.clone()
                        .any(|m| matches!(m.place, Place::Flow { block: None, .. }))
                        && clean(all, given)
                });
                if whole {
                    mark(&|m| flow(m), &mut record);
                } else if clean(members.iter().filter(|m| same_block(m)), given) {
                    mark(&same_block, &mut record);
                } else if clean(members.iter().filter(|m| same_line(m)), given) {
                    mark(&same_line, &mut record);
                }
            }
        }
    }
    record
}

/// The blank lines of a document of flowing text, noted as its units come,
/// to tell its paragraphs apart.
#[derive(Debug, Default)]
pub struct Paragraphs {
    /// Blank lines, increasing (a gap between units counts as one).
    blanks: Vec<u64>,
    /// The last line seen.
    last: u64,
}

impl Paragraphs {
    /// Forgets the document (a new file, member, part or page).
    pub fn reset(&mut self) {
        self.blanks.clear();
        self.last = 0;
    }

    /// Notes the blank lines of a unit whose first line is `first` (units
    /// may overlap: lines already seen are not noted twice). A unit that
    /// starts past the line after the last one seen (a document reader that
    /// skips empty paragraphs) leaves a blank line between.
    pub fn note(&mut self, text: &str, first: u64) {
        if self.last > 0 && first > self.last + 1 {
            self.push(self.last + 1);
        }
        let b = text.as_bytes();
        let mut line = first;
        let mut start = 0;
        loop {
            let end = memchr::memchr(b'\n', &b[start..]).map_or(b.len(), |i| start + i);
            if b[start..end].iter().all(u8::is_ascii_whitespace) && end < b.len() {
                self.push(line);
            }
            if end == b.len() {
                break;
            }
            start = end + 1;
            line += 1;
        }
        self.last = self.last.max(line);
    }

    fn push(&mut self, line: u64) {
        if self.blanks.last().is_none_or(|&l| l < line) {
            self.blanks.push(line);
        }
    }

    /// The paragraph of `line` (the number of blank lines before it).
    pub fn block_of(&self, line: u64) -> u64 {
        self.blanks.partition_point(|&b| b < line) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(place: Place, kind: &str, strength: Option<Strength>, value: u64) -> Member {
        Member {
            place,
            kind: kind.into(),
            strength,
            value,
            full_name: kind == "name",
        }
    }

    fn flow(line: u64, block: u64) -> Place {
        Place::Flow {
            line,
            block: Some(block),
        }
    }

    const NONE: &dyn Fn(&str) -> bool = &|_| false;

    #[test]
    fn a_letter_block_is_a_record_only_without_anyone_else() {
        let strong = Some(Strength::Strong);
        // The addressee's block, then a paragraph naming a colleague.
        let doc = [
            m(flow(4, 1), "name", strong, 1),
            m(flow(5, 1), "address", None, 2),
            m(flow(13, 3), "nir", None, 3),
            m(flow(26, 5), "name", None, 4),
        ];
        assert_eq!(select(&doc, NONE), [false, true, false, false]);
        // Alone in the letter: the whole letter is theirs.
        assert_eq!(select(&doc[..3], NONE), [false, true, true]);
        // Someone else in the same block: only the line.
        let crowded = [
            m(flow(3, 1), "name", None, 9),
            m(flow(4, 1), "name", strong, 1),
            m(flow(4, 1), "phone", None, 5),
            m(flow(5, 1), "address", None, 2),
        ];
        assert_eq!(select(&crowded, NONE), [false, false, true, false]);
    }

    #[test]
    fn a_log_line_and_an_object_are_records_of_their_own() {
        let strong = Some(Strength::Strong);
        let log = |line| Place::Flow { line, block: None };
        let doc = [
            m(log(1), "ip", None, 1),
            m(log(2), "ip", None, 2),
            m(log(2), "email", strong, 3),
            m(log(3), "ip", None, 4),
        ];
        assert_eq!(select(&doc, NONE), [false, true, false, false]);
        let obj = |p: &str| Place::Object(p.into());
        let doc = [
            m(obj("1/2"), "iban", None, 1),
            m(obj("1/3"), "email", strong, 2),
            m(obj("1/3/4"), "address", None, 3),
            m(obj("1/30"), "phone", None, 4),
        ];
        assert_eq!(select(&doc, NONE), [false, false, true, false]);
    }

    #[test]
    fn another_name_in_the_record_is_someone_elses() {
        let strong = Some(Strength::Strong);
        // A tenant's row with the technician's name; the tenant's mail
        // naming a neighbour by civility and surname.
        let row = [
            m(Place::Row, "name", None, 1),
            m(Place::Row, "name", strong, 2),
            m(Place::Row, "phone", None, 3),
        ];
        let named: &dyn Fn(&str) -> bool = &|k| k == "name";
        assert_eq!(select(&row, named), [false, false, true]);
        // Known by an e-mail only: the name in the row is theirs.
        assert_eq!(select(&row, NONE), [true, false, true]);
        let mut neighbour = m(flow(2, 0), "name", None, 4);
        neighbour.full_name = false;
        let mail = [
            m(flow(1, 0), "name", strong, 1),
            neighbour,
            m(flow(3, 0), "phone", None, 5),
        ];
        assert_eq!(select(&mail, named), [false, false, true]);
    }

    #[test]
    fn identifiers_that_may_be_someone_elses() {
        let strong = Some(Strength::Strong);
        let doc = [
            m(flow(1, 0), "email", strong, 1),
            m(flow(2, 0), "email", None, 2),
            m(flow(3, 0), "phone", None, 3),
        ];
        // The requester gave their e-mail: another one is someone else's.
        assert_eq!(select(&doc, &|k| k == "email"), [false, false, false]);
        // They did not: one more e-mail may be theirs.
        assert_eq!(select(&doc, NONE), [false, true, true]);
        let two_ibans = [
            m(flow(1, 0), "name", strong, 1),
            m(flow(2, 0), "iban", None, 2),
            m(flow(3, 0), "iban", None, 3),
        ];
        assert_eq!(select(&two_ibans, NONE), [false, false, false]);
    }

    #[test]
    fn places_round_trip_and_paragraphs_count_blank_lines() {
        for p in [Place::Row, Place::Object("1/2".into()), flow(7, 2)] {
            assert_eq!(Place::decode(Some(&p.encode())), p);
        }
        let mut ps = Paragraphs::default();
        ps.note("a\nb\n\nc\n  \nd", 1);
        assert_eq!(
            (1..=6).map(|l| ps.block_of(l)).collect::<Vec<_>>(),
            [0, 0, 0, 1, 1, 2]
        );
        // A reader that skips empty paragraphs: a gap is a blank line.
        let mut ps = Paragraphs::default();
        ps.note("x", 1);
        ps.note("y", 2);
        ps.note("z", 4);
        assert_eq!([ps.block_of(1), ps.block_of(2), ps.block_of(4)], [0, 0, 1]);
    }
}
