//! `--format csv`: one row per finding, for spreadsheets and IT checklists.

use super::Printer;
use crate::report::{FindingView, Record};
use std::io::{self, Write};

pub struct Csv {
    out: Box<dyn Write + Send>,
    reveal: bool,
    /// `pdscout subject`: a `match` column.
    subject: bool,
    header_done: bool,
}

impl Csv {
    pub fn new(out: Box<dyn Write + Send>, reveal: bool, subject: bool) -> Self {
        Csv {
            out,
            reveal,
            subject,
            header_done: false,
        }
    }

    fn header(&mut self) -> io::Result<()> {
        if self.header_done {
            return Ok(());
        }
        self.header_done = true;
        let mut h = vec!["path", "entry", "kind"];
        if self.reveal {
            h.push("value");
        }
        h.extend([
            "masked",
            "line",
            "column",
            "sheet",
            "cell",
            "page",
            "confidence",
            "pattern",
        ]);
        if self.subject {
            h.push("match");
        }
        let mut buf = Vec::new();
        row(&h, &mut buf);
        self.out.write_all(&buf)
    }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// Appends one CSV row (RFC 4180 quoting) to `out`. A field that a
/// spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`,
/// tab or CR: a file or member name is chosen by whoever wrote the share)
/// is prefixed with `'`, OWASP's rule against CSV injection.
pub(crate) fn row<S: AsRef<str>>(fields: &[S], out: &mut Vec<u8>) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let f = f.as_ref();
        let formula = f.starts_with(['=', '+', '-', '@', '\t', '\r']);
        let quoted = f.contains([',', '"', '\n', '\r']);
        if quoted {
            out.push(b'"');
        }
        if formula {
            out.push(b'\'');
        }
        if quoted {
            out.extend_from_slice(f.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(f.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends the row of a finding record (other records have none).
pub fn encode(r: &Record, reveal: bool, out: &mut Vec<u8>) {
    if let Record::Finding(f) = r {
        encode_finding(&f.view(), reveal, out);
    }
}

/// One finding's CSV row.
pub fn encode_finding(f: &FindingView<'_>, reveal: bool, out: &mut Vec<u8>) {
    let l = f.location;
    let mut fields = vec![f.path.to_string(), opt(&f.entry), f.kind.to_string()];
    if reveal {
        fields.push(opt(&f.value));
    }
    fields.extend([
        f.masked.to_string(),
        opt(&l.line),
        opt(&l.column),
        opt(&l.sheet),
        opt(&l.cell),
        opt(&l.page),
        format!("{:.2}", f.confidence),
        f.pattern.to_string(),
    ]);
    if let Some(m) = f.matched {
        fields.push(m.to_string());
    }
    row(&fields, out);
}

impl Printer for Csv {
    fn record(&mut self, r: &Record) -> io::Result<()> {
        self.header()?;
        let mut buf = Vec::new();
        encode(r, self.reveal, &mut buf);
        self.out.write_all(&buf)
    }
    fn encoded(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.header()?;
        self.out.write_all(bytes)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.header()?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::row;

    fn line(fields: &[&str]) -> String {
        let mut out = Vec::new();
        row(fields, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn formula_fields_are_prefixed_and_still_quoted() {
        assert_eq!(
            line(&["=HYPERLINK(\"x\")", "+33", "-1", "@SUM(A1)", "a=b"]),
            "\"'=HYPERLINK(\"\"x\"\")\",'+33,'-1,'@SUM(A1),a=b\r\n"
        );
        assert_eq!(line(&["\tx", "\rcmd"]), "'\tx,\"'\rcmd\"\r\n");
        assert_eq!(line(&["plain", ""]), "plain,\r\n");
    }
}
