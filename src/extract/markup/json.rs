//! JSON: each string and number is a unit, typed by its object member's
//! key and located by its JSONPath too (the record walk of `rows.rs`,
//! shared with YAML).

use super::common::{truncated, LINE_BREAK};
use super::parts::{decoded, Cut, PartReader, Scanner, Start};
use super::rows::{Emitter, Walk};
use crate::extract::{Deadline, ExtractError, UnitSink};
use crate::model::columns::ColumnTable;

pub(super) fn json(
    src: &str,
    columns: &ColumnTable,
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    part(src, &Start::default(), None, columns, deadline, sink).map(|_| ())
}

/// A place inside an array of a JSON file, between two of its elements:
/// the objects the array is nested in, each in its member of key
/// `keys[i]` (raw bytes up to the closing quote, escapes unread; none when
/// the top-level value is the array), and the index of the next element.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Inside {
    keys: std::sync::Arc<[Vec<u8>]>,
    next: u64,
}

/// Reads `src`, whole values of a JSON file starting at `start` (or whole
/// elements of the array it starts inside, and then the part may end inside
/// the array `open_end` says: the objects and arrays open there); returns
/// the offset the next part's first unit gets.
fn part(
    src: &str,
    start: &Start<Inside>,
    open_end: Option<usize>,
    columns: &ColumnTable,
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> Result<u64, ExtractError> {
    let b = src.as_bytes();
    let em = Emitter::at(src, start.line, start.offset);
    let mut walk = match &start.inside {
        Some(inside) => {
            let mut keys = Vec::with_capacity(inside.keys.len());
            let mut key = String::new();
            for raw in inside.keys.iter() {
                json_string(decoded(raw).as_bytes(), 0, &mut key);
                keys.push(std::mem::take(&mut key));
            }
            Walk::inside(em, columns, &keys, inside.next)
        }
        None => Walk::with(em, columns),
    };
    let mut buf = String::new();
    let mut i = 0;
    let corrupt = |at: usize, what: &str| {
        let line = start.line + memchr::memchr_iter(b'\n', &b[..at.min(b.len())]).count() as u64;
        ExtractError::Corrupt {
            format: "json",
            message: format!("{what} at line {line}: not read further"),
        }
    };
    while i < b.len() {
        if deadline.is_over() {
            return Ok(walk.next_offset());
        }
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'{' | b'[' => {
                walk.open(c == b'[', sink);
                i += 1;
            }
            b'}' | b']' => {
                if !walk.close(c == b']', sink) {
                    return Err(corrupt(i, "unbalanced brackets"));
                }
                i += 1;
            }
            b':' | b',' => {
                walk.expect_value(c == b':');
                i += 1;
            }
            b'"' => {
                let end = json_string(b, i + 1, &mut buf)
                    .ok_or_else(|| corrupt(i, "unterminated string"))?;
                walk.string(&buf, i + 1, sink);
                i = end;
            }
            b'-' | b'0'..=b'9' => {
                let n = b[i..]
                    .iter()
                    .take_while(|c| {
                        c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E')
                    })
                    .count();
                walk.value(&src[i..i + n], i, sink);
                i += n;
            }
            b't' | b'f' | b'n' => {
                walk.skipped();
                i += b[i..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count();
            }
            _ => return Err(corrupt(i, "unexpected character")),
        }
    }
    if walk.is_closed() {
        Ok(walk.next_offset())
    } else if open_end.is_some_and(|depth| walk.in_array_at(depth)) {
        walk.flush_open_rows(sink);
        Ok(walk.next_offset())
    } else {
        Err(truncated("json"))
    }
}

/// Where a part of a JSON file may end, found forwards as bytes are read:
/// on a line break after a value at the top level (a JSON Lines record),
/// or after an element of an array of records and its comma (an export
/// written as one array, or as an object holding one, one record on
/// several lines). The array is the first one met down the top-level
/// value's objects; unless it is the top-level value, it holds only
/// objects and arrays (an array of strings inside a record is no place to
/// cut a record's members apart).
#[derive(Default)]
pub(super) struct Cuts {
    depth: usize,
    /// The objects and arrays the bytes are in from the top-level value's
    /// down, while they are objects, and the first array: how the reader
    /// sees them. At most [`Cuts::SPINE`].
    spine: Vec<Frame>,
    /// The keys of the spine's objects, as a cut gives them (kept between
    /// changes: a cut is found on every record).
    keys: Option<std::sync::Arc<[Vec<u8>]>>,
    string: bool,
    escaped: bool,
    /// The string being read is a key of the spine's innermost object, and
    /// starts at this byte.
    key_from: Option<usize>,
    /// In the spine's array, the bare value being read (a number or a
    /// literal such as `null`), as the reader tells where one ends.
    token: Option<Token>,
    /// In that array, the last byte that is not a blank is a comma.
    after_comma: bool,
}

/// An object or array of the spine of [`Cuts`].
#[derive(Default)]
struct Frame {
    array: bool,
    /// Object: the key of its member being read, raw, with its closing quote.
    key: Vec<u8>,
    /// Object: a key was followed by `:` (the next string is a value), as
    /// the reader tells keys from values.
    value: bool,
    /// Array: the values begun in it so far (the index of the next one),
    /// counted as the reader counts them (a value after another with no
    /// comma between is one more; two commas in a row make none).
    values: u64,
    /// Array: a value in it is neither an object nor an array.
    scalars: bool,
}

/// A bare JSON value: a number, or a word (`true`, `null`).
#[derive(Clone, Copy, PartialEq)]
enum Token {
    Number,
    Word,
}

impl Cuts {
    /// How deep an array of records may be nested in objects, and more.
    const SPINE: usize = 8;
}

impl Scanner for Cuts {
    type Inside = Inside;
    const FORMAT: &'static str = "json";

    fn depth(inside: &Inside) -> usize {
        inside.keys.len() + 1
    }

    const READ: PartReader<Inside> = part;

    fn scan(&mut self, b: &[u8], from: usize, last: &mut Option<Cut<Inside>>) -> usize {
        for (i, &c) in b.iter().enumerate().skip(from) {
            if self.string {
                if self.escaped {
                    self.escaped = false;
                } else if c == b'\\' {
                    self.escaped = true;
                } else if c == b'"' {
                    self.string = false;
                    if let Some(from) = self.key_from.take() {
                        if let Some(f) = self.spine.last_mut() {
                            f.key = b[from..=i].to_vec();
                            self.keys = None;
                        }
                    }
                }
                continue;
            }
            // Directly in the spine's innermost object or array.
            let here = self.depth == self.spine.len();
            let frame = self.spine.last_mut().filter(|_| here);
            let in_array = frame.as_ref().is_some_and(|f| f.array);
            // A bare value goes on (the reader takes number bytes after a
            // digit, letters after a letter).
            let goes_on = match self.token {
                Some(Token::Number) => {
                    c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E')
                }
                Some(Token::Word) => c.is_ascii_alphabetic(),
                None => false,
            };
            if goes_on {
                continue;
            }
            self.token = None;
            match c {
                b' ' | b'\t' | b'\r' => continue,
                b'\n' => {
                    if self.depth == 0 {
                        *last = Some(Cut {
                            end: i + 1,
                            inside: None,
                        });
                    } else if self.after_comma {
                        if let Some(f) =
                            frame.filter(|f| f.array && (self.depth == 1 || !f.scalars))
                        {
                            let next = f.values;
                            let spine = &self.spine;
                            let keys = self.keys.get_or_insert_with(|| {
                                spine[..spine.len() - 1]
                                    .iter()
                                    .map(|f| f.key.clone())
                                    .collect()
                            });
                            *last = Some(Cut {
                                end: i + 1,
                                inside: Some(Inside {
                                    keys: keys.clone(),
                                    next,
                                }),
                            });
                        }
                    }
                    continue;
                }
                b',' => {
                    if let Some(f) = frame {
                        f.value = false;
                    }
                    self.after_comma = in_array;
                    continue;
                }
                b':' => {
                    if let Some(f) = frame {
                        f.value = true;
                    }
                }
                b'{' | b'[' => {
                    if let Some(f) = frame.filter(|f| f.array) {
                        f.values += 1;
                    }
                    // The spine goes down objects to the first array.
                    if here && !in_array && self.spine.len() < Self::SPINE {
                        self.spine.push(Frame {
                            array: c == b'[',
                            ..Frame::default()
                        });
                        self.keys = None;
                    }
                    self.depth += 1;
                }
                b'"' => {
                    match frame {
                        Some(f) if f.array => {
                            f.values += 1;
                            f.scalars = true;
                        }
                        Some(f) if !f.value => self.key_from = Some(i + 1),
                        _ => {}
                    }
                    self.string = true;
                }
                b'}' | b']' => {
                    if here && self.spine.pop().is_some() {
                        self.keys = None;
                    }
                    self.depth = self.depth.saturating_sub(1);
                }
                b'-' | b'0'..=b'9' | b't' | b'f' | b'n' if in_array => {
                    if let Some(f) = frame {
                        f.values += 1;
                        f.scalars = true;
                    }
                    self.token = Some(if c.is_ascii_alphabetic() {
                        Token::Word
                    } else {
                        Token::Number
                    });
                }
                _ => {}
            }
            self.after_comma = false;
        }
        b.len()
    }

    fn shift(&mut self, by: usize) {
        self.key_from = self.key_from.map(|k| k - by);
    }
}

/// Decodes the JSON string whose content starts at `from` into `out`;
/// returns the position after its closing quote, or `None` if it has none.
pub(super) fn json_string(b: &[u8], from: usize, out: &mut String) -> Option<usize> {
    out.clear();
    let mut i = from;
    loop {
        let j = i + memchr::memchr2(b'"', b'\\', b.get(i..)?)?;
        out.push_str(&String::from_utf8_lossy(&b[i..j]));
        if b[j] == b'"' {
            return Some(j + 1);
        }
        let esc = *b.get(j + 1)?;
        i = j + 2;
        let c = match esc {
            b'n' | b'r' => LINE_BREAK,
            b't' => '\t',
            b'b' | b'f' => ' ',
            b'u' => {
                let hex = |k: usize| {
                    b.get(k..k + 4)
                        .and_then(|h| std::str::from_utf8(h).ok())
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                };
                let hi = hex(i).unwrap_or(0xFFFD);
                i += 4;
                if (0xD800..0xDC00).contains(&hi) && b.get(i..i + 2) == Some(b"\\u") {
                    match hex(i + 2) {
                        Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                            i += 6;
                            char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                .unwrap_or('\u{FFFD}')
                        }
                        _ => '\u{FFFD}',
                    }
                } else {
                    char::from_u32(hi).unwrap_or('\u{FFFD}')
                }
            }
            other => other as char,
        };
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::markup::parts::testing::{self, Given};
    use crate::extract::BLOCK;

    fn whole(src: &str) -> (Given, Result<(), String>) {
        testing::whole(json, src)
    }

    fn streamed(src: &str, forks: usize) -> (Given, Result<(), String>) {
        testing::streamed::<Cuts>(src, forks)
    }

    /// A JSON Lines export of `n` records, with strings holding brackets,
    /// quotes and line breaks, and a record written over several lines.
    fn export(n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            s.push_str(&format!(
                "{{\"nom\": \"NOM{i} {{[\\\"x\\\"]}}\", \"telephone\": \"06 12 34 {:02} {:02}\", \"note\": \"a\\nb\"}}\n",
                i % 100,
                i / 100 % 100
            ));
            if i == n / 2 {
                s.push_str("[\n  {\"courriel\": \"a@example.fr\"},\n  \"}\"\n]\n\n");
            }
        }
        s
    }

    #[test]
    fn a_json_file_read_part_by_part_gives_what_it_gives_whole() {
        let src = export(20_000);
        assert!(src.len() > 4 * BLOCK);
        testing::same_streamed::<Cuts>(json, &src);
    }

    #[test]
    fn an_array_of_records_is_read_element_by_element_as_whole() {
        // Records one per line, or over several lines, between them blank
        // lines, a value skipped (`null`), a comma with no value before it
        // and an array with none after it (as the reader reads them: none,
        // one more), strings holding brackets, commas and breaks.
        let records = export(20_000)
            .replace("}\n{", "},\n{")
            .replace("]\n\n{", "],\n null,\n,\n{");
        let array = format!("[\n{}]\n", records.trim_end());
        assert!(array.len() > 4 * BLOCK);
        let one = testing::same_streamed::<Cuts>(json, &array);
        let last = one.units.last().and_then(|u| u.4.as_deref());
        assert_eq!(last, Some("$[20001].note"));
        // An array on one line is one part; a bad element stops the file
        // where it stops it whole.
        let line = array.replace(",\n", ",");
        assert_eq!(streamed(&line, 2).0.units, whole(&line).0.units);
        let at = array.len() * 3 / 4;
        let cut = at + array[at..].find(",\n").expect("an element") + 2;
        stops_where_it_stops_whole(&format!(
            "{}{{\"nom\": }}]\n{}",
            &array[..cut],
            &array[cut..]
        ));
    }

    #[test]
    fn an_array_of_records_inside_objects_is_read_element_by_element_as_whole() {
        // `{"données": {"locataires": [...]}}`, with members before and
        // after the array, a key written with an escape, and an array of
        // strings after it (no place to cut: it is no array of records).
        let records = export(20_000).replace("}\n{", "},\n{");
        let doc = format!(
            "{{\"date\": \"2026-01-01\",\n \"gestion\": {{\"nom\": \"MARTIN\",\n \"prenom\": \"Luc\"}},\n \
             \"nom\": \"DURAND\", \"prenom\": \"Anne\",\n \"donn\\u00e9es\": {{\"locataires\": [\n{}],\n \
             \"telephones\": [\n\"06 12 34 56 78\",\n\"06 12 34 56 79\"\n]}},\n \"total\": 20001\n}}\n",
            records.trim_end()
        );
        assert!(doc.len() > 4 * BLOCK);
        let one = testing::same_streamed::<Cuts>(json, &doc);
        let path = |i: usize| one.units.get(i).and_then(|u| u.4.clone());
        assert_eq!(
            path(one.units.len() - 3).as_deref(),
            Some("$['données'].telephones[1]")
        );
        assert!(one
            .units
            .iter()
            .any(|u| u.4.as_deref() == Some("$['données'].locataires[19999].note")));
        assert!(one
            .rows
            .contains(&(vec!["DURAND".into(), "Anne".into()], Some("$".into()))));
        // A record's members on both sides of the cut array make two rows.
        let split = doc
            .replace(" \"prenom\": \"Anne\",\n", "\n")
            .replace("\"total\": 20001", "\"total\": 20001, \"prenom\": \"Anne\"");
        let (many, _) = streamed(&split, 0);
        assert_eq!(many.units, whole(&split).0.units);
        assert!(many
            .rows
            .contains(&(vec!["DURAND".into()], Some("$".into()))));
        assert!(many.rows.contains(&(vec!["Anne".into()], Some("$".into()))));
        let at = doc.len() * 3 / 4;
        let cut = at + doc[at..].find(",\n").expect("an element") + 2;
        stops_where_it_stops_whole(&format!("{}{{\"nom\": }}]\n{}", &doc[..cut], &doc[cut..]));
    }

    fn stops_where_it_stops_whole(bad: &str) {
        testing::stops_where_it_stops_whole::<Cuts>(json, bad);
    }

    #[test]
    fn a_bad_part_stops_the_file_where_it_stops_it_whole() {
        let good = export(20_000);
        let at = good.len() * 3 / 4;
        let cut = at + good[at..].find('\n').expect("a line") + 1;
        stops_where_it_stops_whole(&format!("{}{{\"nom\": ]\n{}", &good[..cut], &good[cut..]));
        stops_where_it_stops_whole(&good[..good.len() - 3]);
    }
}
