//! Delimited text (CSV/TSV exports of tenant lists, payroll, applicants):
//! the delimiter is sniffed (`;` `,` tab `|`), quoting is honoured, a header
//! row is recognised and types its columns ("Téléphone", "Date de
//! naissance"…). Each field is one unit located by its record's first line
//! and its 1-based position. Records are streamed: memory does not grow
//! with the file.

use super::text::sniff_encoding;
use super::{ExtractError, Located, Origin, UnitSink};
use crate::detect::columns::{ColumnRole, ColumnTable};
use crate::detect::Unit;
use encoding_rs::{Encoding, UTF_8};
use std::borrow::Cow;
use std::io::Read;

const DELIMITERS: [u8; 4] = [b';', b',', b'\t', b'|'];

/// The delimiter that splits the sample's lines most consistently.
pub fn sniff_delimiter(sample: &[u8]) -> u8 {
    let mut lines: Vec<&[u8]> = sample.split(|&b| b == b'\n').take(20).collect();
    if lines.len() > 1 {
        lines.pop(); // probably cut short
    }
    let mut best = (b',', 0usize, false);
    for d in DELIMITERS {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        let first = counts.first().copied().unwrap_or(0);
        if first == 0 {
            continue;
        }
        let consistent = counts.iter().all(|&c| c == first);
        if (consistent, first) > (best.2, best.1) {
            best = (d, first, consistent);
        }
    }
    best.0
}

fn count_outside_quotes(line: &[u8], d: u8) -> usize {
    let mut quoted = false;
    line.iter()
        .filter(|&&b| {
            if b == b'"' {
                quoted = !quoted;
            }
            b == d && !quoted
        })
        .count()
}

/// Streams the records of a delimited file through `sink`.
/// Returns the number of bytes read.
pub fn extract(
    head: &[u8],
    reader: &mut dyn Read,
    columns: &ColumnTable,
    sink: &mut dyn UnitSink,
) -> Result<u64, ExtractError> {
    let (encoding, bom) = sniff_encoding(head).unwrap_or((UTF_8, 0));
    let delimiter = sniff_delimiter(&head[bom..]);
    // The csv reader puts a record's start on the "\n" of the CRLF before
    // it, one line too early.
    let crlf = memchr::memmem::find(head, b"\r\n").is_some();
    let mut input = std::io::Cursor::new(&head[bom..]).chain(reader);
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(&mut input);
    let mut record = ::csv::ByteRecord::new();
    let mut roles: Vec<Option<ColumnRole>> = Vec::new();
    let mut first = true;
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(match e.into_kind() {
                    ::csv::ErrorKind::Io(io) => ExtractError::Io(io),
                    other => ExtractError::Corrupt {
                        format: "csv",
                        message: format!("{other:?}"),
                    },
                })
            }
        }
        let mut line = record.position().map_or(0, |p| p.line());
        if crlf && !first {
            line += 1;
        }
        if first {
            first = false;
            let fields: Vec<Cow<str>> = record.iter().map(|f| decode(encoding, f)).collect();
            if let Some(r) = header_roles(&fields, columns) {
                roles = r;
                continue;
            }
        }
        for (i, raw) in record.iter().enumerate() {
            if raw.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let text = decode(encoding, raw);
            let kind = roles
                .get(i)
                .and_then(|r| r.as_ref())
                .map(|r| r.kind.as_str());
            sink.unit(&Located {
                unit: Unit {
                    text: &text,
                    report: 0..text.len(),
                    column_kind: kind,
                },
                origin: Origin::Field {
                    line,
                    field: i as u64 + 1,
                },
            });
        }
    }
    Ok(rdr.position().byte() + bom as u64)
}

/// The roles of a header row's columns, or `None` if the row is data.
fn header_roles(fields: &[Cow<str>], columns: &ColumnTable) -> Option<Vec<Option<ColumnRole>>> {
    let roles: Vec<Option<ColumnRole>> = fields
        .iter()
        .map(|f| columns.recognize(f).cloned())
        .collect();
    let known = roles.iter().filter(|r| r.is_some()).count();
    // A row of short labels without digits or '@' is a header even when no
    // label is known.
    let labels = fields.len() > 1
        && fields.iter().all(|f| {
            let t = f.trim();
            !t.is_empty()
                && t.len() < 40
                && !t.contains('@')
                && !t.chars().any(|c| c.is_ascii_digit())
        });
    (known > 0 || labels).then_some(roles)
}

fn decode<'b>(encoding: &'static Encoding, raw: &'b [u8]) -> Cow<'b, str> {
    encoding.decode_without_bom_handling(raw).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2;3\n"), b';');
        assert_eq!(sniff_delimiter(b"a,b\n\"x;y\",2\n"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter(b"a|b\n1|2\n"), b'|');
        assert_eq!(
            sniff_delimiter(b"Nom;Adresse\nDupont;12, rue de la Paix\n"),
            b';'
        );
    }
}
