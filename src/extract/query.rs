//! Records written inside a text: the query strings of its URLs (a web
//! server's log lines, a link in a message), what a form sent,
//! `?nom=Van+den+Broeck&prenom=Marin` or `?adresse=14+rue+Jules+Verne&cp=44600
//! &ville=Saint-Nazaire`, decoded; and the rows of its SQL `INSERT`
//! statements (a database dump: `INSERT INTO locataires (nom, prenom, …)
//! VALUES ('NGUYEN','Mai',…),(…);`). Each is handed over as one record's
//! cells, as a JSON object's keyed members are.
//!
//! The text itself is searched as usual; only what its search cannot see is
//! handed over again: values under a name or address key (the name and
//! address detectors leave log lines out, and read no `+` or `%20` as a
//! space, nor a quoted SQL value as a record's), a SQL row's birth date
//! (its column's name is far from it), and identifiers whose encoding hides
//! them in a URL (`ddn=14%2F05%2F1991`, `tel=%2B33612345678`,
//! `iban=FR76+3000+…`). An e-mail address and a phone written with `+` or
//! `%20` are found in the text itself (patterns `email-url-encoded`,
//! `phone-fr-url`), as is any identifier in a SQL row, and are not handed
//! over twice.

use super::markup::rows::ROW_ROLES;
use super::{Located, UnitSink};
use crate::model::columns::{ColumnRole, ColumnTable};
use crate::model::location::Origin;
use crate::model::{RowCell, Unit};

/// Keyed values of one query string at most (a longer one is no form's).
const MAX_PAIRS: usize = 32;

/// Hands over the query strings of `text[range]` (whole lines of a text
/// unit whose first byte is at `origin`: line and 0-based column).
pub fn hand_over(
    text: &str,
    range: std::ops::Range<usize>,
    origin: (u64, u64),
    columns: &ColumnTable,
    sink: &mut dyn UnitSink,
) {
    let b = text.as_bytes();
    let mut cursor = Cursor::new(origin);
    let mut at = range.start;
    // Logs repeat a few keys on every line: each is looked up once.
    let mut known: Vec<(&str, Option<&ColumnRole>)> = Vec::new();
    while let Some(q) = memchr::memchr(b'?', &b[at..range.end]).map(|i| at + i) {
        at = q + 1;
        // A URL's query follows its path, with no blank before the `?`.
        if q == 0 || b[q - 1].is_ascii_whitespace() {
            continue;
        }
        let end = b[q + 1..]
            .iter()
            .position(|&c| {
                matches!(
                    c,
                    b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\'' | b'<' | b'>' | b'#'
                )
            })
            .map_or(b.len(), |i| q + 1 + i);
        let pairs = pairs(text, q + 1, end, columns, &mut known);
        if !pairs.is_empty() {
            record(text, &pairs, &mut cursor, sink);
        }
        at = at.max(end);
    }
    inserts(text, range, origin, columns, sink);
}

/// Columns of one `INSERT` statement at most.
const MAX_COLUMNS: usize = 256;

/// Hands over the rows of the SQL `INSERT … (columns) VALUES (…), (…);`
/// statements of `text[range]` whose columns name a name, an address or a
/// birth date.
fn inserts(
    text: &str,
    range: std::ops::Range<usize>,
    origin: (u64, u64),
    columns: &ColumnTable,
    sink: &mut dyn UnitSink,
) {
    let b = text.as_bytes();
    let mut cursor = Cursor::new(origin);
    let mut at = range.start;
    while let Some(i) = memchr::memmem::find(&b[at..range.end], b"INSERT INTO").map(|i| at + i) {
        at = i + 11;
        let head_end = (at + 4096).min(b.len());
        let Some(v) = memchr::memmem::find(&b[at..head_end], b"VALUES").map(|v| at + v) else {
            continue;
        };
        let (Some(open), Some(close)) = (
            memchr::memchr(b'(', &b[at..v]).map(|o| at + o),
            memchr::memrchr(b')', &b[at..v]).map(|c| at + c),
        ) else {
            continue;
        };
        if close < open {
            continue;
        }
        let roles: Vec<Option<&ColumnRole>> = text[open + 1..close]
            .split(',')
            .take(MAX_COLUMNS)
            .map(|c| columns.recognize(c.trim().trim_matches(['`', '"', '[', ']'])))
            .collect();
        let wanted = |r: &ColumnRole| {
            matches!(r.kind.as_str(), "name" | "address" | "birthdate")
                || ROW_ROLES.contains(&r.role.as_str())
        };
        if !roles.iter().flatten().any(|r| wanted(r)) {
            continue;
        }
        let mut p = v + 6;
        while let Some((values, end)) = tuple(text, p) {
            let pairs: Vec<Pair<'_>> = values
                .into_iter()
                .zip(&roles)
                .filter_map(|((value, at), role)| {
                    let role = (*role).filter(|r| wanted(r))?;
                    let searched = matches!(role.kind.as_str(), "name" | "address" | "birthdate");
                    Some(Pair {
                        role,
                        at,
                        value,
                        searched,
                    })
                })
                .collect();
            record(text, &pairs, &mut cursor, sink);
            p = end;
            match b[p..].iter().position(|c| !c.is_ascii_whitespace()) {
                Some(k) if b[p + k] == b',' => p += k + 1,
                _ => break,
            }
        }
        at = at.max(p);
    }
}

/// The values of the SQL row `( … )` starting at `from` (after blanks), with
/// where each starts, and where the row ends; `NULL` is an empty value.
fn tuple(text: &str, from: usize) -> Option<(Vec<(String, usize)>, usize)> {
    let b = text.as_bytes();
    let mut p = from + b[from..].iter().position(|c| !c.is_ascii_whitespace())?;
    if b[p] != b'(' {
        return None;
    }
    p += 1;
    let mut values = Vec::new();
    loop {
        p += b[p..].iter().position(|c| !c.is_ascii_whitespace())?;
        let start = p;
        let mut value = String::new();
        if b[p] == b'\'' {
            p += 1;
            let mut run = p;
            loop {
                match b.get(p)? {
                    b'\'' if b.get(p + 1) == Some(&b'\'') => {
                        value.push_str(&text[run..=p]);
                        p += 2;
                        run = p;
                    }
                    b'\'' => break,
                    b'\\' => {
                        value.push_str(&text[run..p]);
                        let escaped = *b.get(p + 1)?;
                        value.push(if escaped == b'n' {
                            ' '
                        } else {
                            escaped as char
                        });
                        p += 2;
                        run = p;
                    }
                    _ => p += 1,
                }
            }
            value.push_str(&text[run..p]);
            p += 1;
        } else {
            let len = b[p..].iter().position(|&c| c == b',' || c == b')')?;
            let raw = text[p..p + len].trim();
            if !raw.eq_ignore_ascii_case("null") {
                value.push_str(raw);
            }
            p += len;
        }
        values.push((value, start + usize::from(b[start] == b'\'')));
        p += b[p..].iter().position(|c| !c.is_ascii_whitespace())?;
        match b[p] {
            b',' => p += 1,
            b')' => return Some((values, p + 1)),
            _ => return None,
        }
        if values.len() > MAX_COLUMNS {
            return None;
        }
    }
}

/// One `key=value` of a query string whose key names a column.
struct Pair<'c> {
    role: &'c ColumnRole,
    /// Where the raw value starts in the text.
    at: usize,
    value: String,
    /// Handed over as a unit of its own (else only as a row's cell).
    searched: bool,
}

/// The recognised pairs of the query string `text[from..to]`.
fn pairs<'t, 'c>(
    text: &'t str,
    from: usize,
    to: usize,
    columns: &'c ColumnTable,
    known: &mut Vec<(&'t str, Option<&'c ColumnRole>)>,
) -> Vec<Pair<'c>> {
    let mut out = Vec::new();
    let mut start = from;
    for (n, part) in text[from..to].split('&').enumerate() {
        let part_at = start;
        start += part.len() + 1;
        if n >= MAX_PAIRS {
            break;
        }
        let Some((key, raw)) = part.split_once('=') else {
            continue;
        };
        if raw.is_empty() || key.is_empty() || key.len() > 40 {
            continue;
        }
        let role = match known.iter().find(|(k, _)| *k == key) {
            Some(&(_, role)) => role,
            None => {
                let role = columns.recognize(&decode(key));
                if known.len() < 64 {
                    known.push((key, role));
                }
                role
            }
        };
        let Some(role) = role else {
            continue;
        };
        let searched = match role.kind.as_str() {
            // An e-mail address as the value (`adresse=jean%40…`) is found
            // in the line itself.
            "name" | "address" => !raw.contains("%40") && !raw.contains('@'),
            // Found in the text itself (see the module's comment).
            "email" => false,
            "phone" => raw.contains("%2B") || raw.contains("%2b"),
            _ => raw.contains('%') || raw.contains('+'),
        };
        if !searched && !ROW_ROLES.contains(&role.role.as_str()) {
            continue;
        }
        out.push(Pair {
            role,
            at: part_at + key.len() + 1,
            value: decode(raw),
            searched,
        });
    }
    out
}

/// Hands one query string's pairs over: each searched value as a unit under
/// its key's kind, then the name and address parts as one row.
fn record(text: &str, pairs: &[Pair<'_>], cursor: &mut Cursor, sink: &mut dyn UnitSink) {
    let mut cells: Vec<(usize, Origin<'static>)> = Vec::new();
    for (i, p) in pairs.iter().enumerate() {
        let origin = cursor.origin_at(text, p.at);
        if p.searched {
            sink.unit(&Located {
                unit: Unit {
                    text: &p.value,
                    report: 0..p.value.len(),
                    column_kind: Some(&p.role.kind),
                    regex_free: false,
                },
                origin,
            });
        }
        if ROW_ROLES.contains(&p.role.role.as_str()) {
            cells.push((i, origin));
        }
    }
    // Even an empty row: the sink holds a row's phone and address cells
    // until it comes.
    let row: Vec<RowCell<'_>> = cells
        .iter()
        .map(|&(i, origin)| RowCell {
            text: pairs[i].value.trim(),
            role: Some(pairs[i].role),
            origin,
        })
        .collect();
    sink.row(&row);
}

/// `+` as a space, `%XX` as its byte; invalid UTF-8 replaced.
pub(crate) fn decode(raw: &str) -> String {
    crate::model::fold::hex_unescape(raw, b'%', true)
}

/// Line and column of offsets of one text, asked in increasing order.
struct Cursor {
    pos: usize,
    line: u64,
    column: u64,
}

impl Cursor {
    fn new((line, column): (u64, u64)) -> Self {
        Cursor {
            pos: 0,
            line,
            column,
        }
    }

    fn origin_at(&mut self, text: &str, at: usize) -> Origin<'static> {
        let at = crate::model::fold::floor_boundary(text, at);
        if at > self.pos {
            let seg = &text[self.pos..at];
            match memchr::memrchr(b'\n', seg.as_bytes()) {
                Some(last) => {
                    self.line += memchr::memchr_iter(b'\n', seg.as_bytes()).count() as u64;
                    self.column = seg[last + 1..].chars().count() as u64;
                }
                None => self.column += seg.chars().count() as u64,
            }
            self.pos = at;
        }
        // A field of the line: located at its line and (1-based) column,
        // outside the chunk's own findings (which a text origin would
        // compare it with, as a later chunk's).
        Origin::Field {
            line: self.line,
            field: self.column + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_value_is_decoded() {
        assert_eq!(decode("Van+den+Broeck"), "Van den Broeck");
        assert_eq!(decode("all%C3%A9e+des+Tanneurs"), "allée des Tanneurs");
        assert_eq!(decode("14%2F05%2F1991"), "14/05/1991");
        // A `%` not followed by two hex digits stays as written.
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("50%+off"), "50% off");
        assert_eq!(decode("%zz"), "%zz");
    }

    #[test]
    fn a_sql_row_gives_its_values_and_where_they_start() {
        let text = "(1003,'N''GUESSAN', 'l\\'Honneur' ,NULL, 44200),(1)";
        let (values, end) = tuple(text, 0).expect("a row");
        let got: Vec<(&str, usize)> = values.iter().map(|(v, a)| (v.as_str(), *a)).collect();
        assert_eq!(
            got,
            [
                ("1003", 1),
                ("N'GUESSAN", 7),
                ("l'Honneur", 21),
                ("", 34),
                ("44200", 40)
            ]
        );
        assert_eq!(&text[end..], ",(1)");
        assert!(tuple("(1,'open", 0).is_none());
    }
}
