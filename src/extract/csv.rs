//! Delimited text (CSV/TSV exports of tenant lists, payroll, applicants):
//! the delimiter is sniffed (`;` `,` tab `|`), quoting is honoured, a header
//! row is recognised and types its columns ("Téléphone", "Date de
//! naissance"…). Each field is one unit located by its record's first line
//! and its 1-based position. Records are streamed through `csv_core` (whose
//! parsers are built once per worker, not per file): memory does not grow
//! with the file, and a record larger than [`MAX_RECORD`] is an error.

use super::text::Stream;
use super::{Cx, ExtractError, Located, Origin, RowCell, UnitSink};
use crate::model::columns::{ColumnRole, ColumnTable};
use crate::model::Unit;
use csv_core::{ReadRecordResult, Reader, ReaderBuilder};
use encoding_rs::Encoding;
use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};
use std::ops::Range;

const DELIMITERS: [u8; 4] = [b';', b',', b'\t', b'|'];

/// A record (a row, with its quoted newlines) larger than this is not a
/// table: the file is reported as not fully read.
pub const MAX_RECORD: usize = 64 << 20;

/// The delimiter that splits the sample's lines most consistently.
pub fn sniff_delimiter(sample: &[u8]) -> u8 {
    let mut lines: Vec<[usize; DELIMITERS.len()]> = Vec::with_capacity(19);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', sample).take(19) {
        lines.push(count_outside_quotes(&sample[start..end]));
        start = end + 1;
    }
    // The sample's last line is probably cut short: left out unless alone.
    if lines.is_empty() {
        lines.push(count_outside_quotes(&sample[start..]));
    }
    let mut best = (b',', 0usize, false);
    for (k, d) in DELIMITERS.into_iter().enumerate() {
        let first = lines.first().map_or(0, |c| c[k]);
        if first == 0 {
            continue;
        }
        let consistent = lines.iter().all(|c| c[k] == first);
        if (consistent, first) > (best.2, best.1) {
            best = (d, first, consistent);
        }
    }
    best.0
}

/// How many of each of [`DELIMITERS`] stand outside quotes in `line`
/// (every CSV file is sniffed).
fn count_outside_quotes(line: &[u8]) -> [usize; DELIMITERS.len()] {
    if memchr::memchr(b'"', line).is_none() {
        // Most lines: no quote, a vectorised count of each delimiter.
        return DELIMITERS.map(|d| memchr::memchr_iter(d, line).count());
    }
    const INDEX: [u8; 256] = {
        let mut t = [u8::MAX; 256];
        let mut k = 0;
        while k < DELIMITERS.len() {
            t[DELIMITERS[k] as usize] = k as u8;
            k += 1;
        }
        t
    };
    let mut counts = [0; DELIMITERS.len()];
    let mut quoted = false;
    for &b in line {
        quoted ^= b == b'"';
        let k = INDEX[usize::from(b)];
        if !quoted && k != u8::MAX {
            counts[usize::from(k)] += 1;
        }
    }
    counts
}

/// Per-worker parsers (one per delimiter) and record buffers.
#[derive(Default)]
pub struct CsvBuffers {
    readers: Vec<(u8, Reader)>,
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl CsvBuffers {
    fn reader(&mut self, delimiter: u8) -> &mut Reader {
        let i = match self.readers.iter().position(|(d, _)| *d == delimiter) {
            Some(i) => i,
            None => {
                let r = ReaderBuilder::new().delimiter(delimiter).build();
                self.readers.push((delimiter, r));
                self.readers.len() - 1
            }
        };
        let r = &mut self.readers[i].1;
        r.reset();
        r
    }
}

/// Streams the records of a delimited file through `sink`, until its end or
/// the file's deadline. Returns the number of bytes read.
pub fn extract(
    stream: Stream<'_>,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<u64, ExtractError> {
    let Stream {
        head,
        rest: reader,
        encoding,
        bom,
    } = stream;
    let (columns, deadline, bufs) = (cx.columns, cx.deadline, &mut cx.bufs.csv);
    let delimiter = sniff_delimiter(&head[bom..]);
    // The parser counts a record's start on the "\n" of the CRLF before it,
    // one line too early.
    let crlf = memchr::memmem::find(head, b"\r\n").is_some();
    let mut input =
        BufReader::with_capacity(1 << 16, std::io::Cursor::new(&head[bom..]).chain(reader));
    let mut out = std::mem::take(&mut bufs.out);
    let mut ends = std::mem::take(&mut bufs.ends);
    out.resize(out.len().max(4096), 0);
    ends.resize(ends.len().max(64), 0);
    let rdr = bufs.reader(delimiter);
    let mut roles: Vec<Option<ColumnRole>> = Vec::new();
    let (mut decoded, mut spans) = (String::new(), Vec::new());
    let mut total = bom as u64;
    let mut first = true;
    let result = (|| loop {
        if deadline.is_over() {
            return Ok(total);
        }
        let line = rdr.line() + u64::from(crlf && !first);
        let (mut nout, mut nend) = (0, 0);
        loop {
            let chunk = input.fill_buf()?;
            let (res, nin, o, e) = rdr.read_record(chunk, &mut out[nout..], &mut ends[nend..]);
            input.consume(nin);
            total += nin as u64;
            nout += o;
            nend += e;
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    if out.len() >= MAX_RECORD {
                        return Err(ExtractError::Corrupt {
                            format: "csv",
                            message: format!(
                                "a record is larger than {} MiB: not read further",
                                MAX_RECORD >> 20
                            ),
                        });
                    }
                    out.resize(out.len() * 2, 0);
                }
                ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
                ReadRecordResult::Record => break,
                ReadRecordResult::End => return Ok(total),
            }
        }
        let fields = Fields {
            out: &out[..nout],
            ends: &ends[..nend],
        };
        // A header row types the columns, and is searched too (a report's
        // header cell can hold a name), as no column's.
        let mut header = false;
        if first {
            first = false;
            let texts: Vec<Cow<str>> = fields.iter().map(|f| decode(encoding, f)).collect();
            if let Some(r) = header_roles(&texts, columns) {
                roles = r;
                header = true;
            }
        }
        let row = decode_record(&fields, encoding, &mut decoded, &mut spans);
        let origin = |i: usize| Origin::Field {
            line,
            field: i as u64 + 1,
        };
        let role = |i: usize| roles.get(i).and_then(|r| r.as_ref()).filter(|_| !header);
        for (i, span) in &spans {
            let text = &row[span.clone()];
            sink.unit(&Located {
                unit: Unit {
                    text,
                    report: 0..text.len(),
                    column_kind: role(*i).map(|r| r.kind.as_str()),
                },
                origin: origin(*i),
            });
        }
        if !header && roles.iter().any(Option::is_some) {
            let cells: Vec<RowCell> = spans
                .iter()
                .map(|(i, span)| RowCell {
                    text: &row[span.clone()],
                    role: role(*i),
                    origin: origin(*i),
                })
                .collect();
            sink.row(&cells);
        }
    })();
    bufs.out = out;
    bufs.ends = ends;
    result
}

/// The fields of one parsed record.
struct Fields<'a> {
    out: &'a [u8],
    ends: &'a [usize],
}

impl<'a> Fields<'a> {
    fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        let out = self.out;
        self.ends.iter().scan(0usize, move |start, &end| {
            let f = &out[*start..end];
            *start = end;
            Some(f)
        })
    }
}

/// The record's non-blank fields as text: `spans` gets each one's index and
/// its range in the returned text. A record in valid UTF-8 (most of them) is
/// its own text, checked once; other records are decoded field by field into
/// `decoded`, as each field alone would be.
fn decode_record<'r>(
    fields: &Fields<'r>,
    encoding: &'static Encoding,
    decoded: &'r mut String,
    spans: &mut Vec<(usize, Range<usize>)>,
) -> &'r str {
    spans.clear();
    let blank = |raw: &[u8]| raw.iter().all(u8::is_ascii_whitespace);
    if encoding == encoding_rs::UTF_8 {
        if let Ok(all) = simdutf8::basic::from_utf8(fields.out) {
            let mut start = 0;
            let mut whole = true;
            for (i, &end) in fields.ends.iter().enumerate() {
                // A character split by a delimiter is valid only once the
                // fields are joined: then decode field by field.
                whole &= all.is_char_boundary(end);
                if !blank(&fields.out[start..end]) {
                    spans.push((i, start..end));
                }
                start = end;
            }
            if whole {
                return all;
            }
            spans.clear();
        }
    }
    decoded.clear();
    for (i, raw) in fields.iter().enumerate() {
        if !blank(raw) {
            let start = decoded.len();
            decoded.push_str(&decode(encoding, raw));
            spans.push((i, start..decoded.len()));
        }
    }
    decoded
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

    /// Each field decoded alone, as the record decoder must give it.
    fn one_by_one(fields: &[&[u8]], encoding: &'static Encoding) -> Vec<(usize, String)> {
        fields
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.iter().all(u8::is_ascii_whitespace))
            .map(|(i, f)| (i, decode(encoding, f).into_owned()))
            .collect()
    }

    #[test]
    fn records_decode_as_their_fields_alone() {
        let records: [&[&[u8]]; 6] = [
            &[b"Dupont", b"Zo\xc3\xa9", b"  ", b"", b"06 12 34 56 78"],
            &[b"\xc3", b"\xa9x"], // one character split by a delimiter
            &[b"ok", b"bad \xff byte", b"\xe2\x82\xac"],
            &[b"\xf0\x9f", b"\x98\x80"],
            &[b"caf\xe9", b"\x80uro"], // Windows-1252
            &[],
        ];
        for encoding in [encoding_rs::UTF_8, encoding_rs::WINDOWS_1252] {
            for fields in records {
                let out: Vec<u8> = fields.concat();
                let ends: Vec<usize> = fields
                    .iter()
                    .scan(0, |end, f| {
                        *end += f.len();
                        Some(*end)
                    })
                    .collect();
                let record = Fields {
                    out: &out,
                    ends: &ends,
                };
                let (mut decoded, mut spans) = (String::new(), Vec::new());
                let row = decode_record(&record, encoding, &mut decoded, &mut spans);
                let got: Vec<(usize, String)> = spans
                    .iter()
                    .map(|(i, r)| (*i, row[r.clone()].to_string()))
                    .collect();
                assert_eq!(got, one_by_one(fields, encoding), "{fields:?}");
            }
        }
    }

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
