//! `--format json`: the jsonl records as one JSON array, streamed.

use super::Printer;
use crate::report::{FindingView, Record};
use std::io::{self, Write};

pub struct Json {
    out: Box<dyn Write + Send>,
    first: bool,
}

impl Json {
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        Json { out, first: true }
    }
}

impl Printer for Json {
    fn record(&mut self, r: &Record) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"[\n" } else { b",\n" })?;
        self.first = false;
        serde_json::to_writer(&mut self.out, r)?;
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

/// [`finding_line_with_path`], the path encoded here.
#[cfg(test)]
pub(super) fn finding_line(f: &FindingView<'_>, out: &mut Vec<u8>) {
    let mut head = Vec::new();
    finding_head(f.path, &mut head);
    finding_line_with_path(f, &head, out);
}

/// The start of every finding line of the file at `path`, up to its
/// `entry`: `{"type":"finding","path":"…","entry":`.
pub(super) fn finding_head(path: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"type\":\"finding\",\"path\":");
    string(path, out);
    out.extend_from_slice(b",\"entry\":");
}

/// Appends a finding record as one JSON line, byte for byte what serde_json
/// writes for [`Record::Finding`] (fields in declaration order, `value` and
/// `match` only when set), without going through serde: a large scan has
/// millions of findings and this is their fixed shape. `head` is
/// [`finding_head`] of the finding's path (a file's findings all share it).
/// Fixed pieces are written together: each write is a copy call.
pub(super) fn finding_line_with_path(f: &FindingView<'_>, head: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(head);
    match f.entry {
        Some(e) => {
            string(e, out);
            out.extend_from_slice(b",\"kind\":");
        }
        None => out.extend_from_slice(b"null,\"kind\":"),
    }
    string(f.kind, out);
    if let Some(v) = f.value {
        out.extend_from_slice(b",\"value\":");
        string(v, out);
    }
    out.extend_from_slice(b",\"masked\":");
    string(f.masked, out);
    let l = f.location;
    out.extend_from_slice(b",\"location\":{\"line\":");
    opt_number(l.line, out);
    out.extend_from_slice(b",\"column\":");
    opt_number(l.column, out);
    if let Some(n) = l.path_component {
        // A file or folder name.
        out.extend_from_slice(b",\"sheet\":null,\"cell\":null,\"page\":null,\"path_component\":");
        opt_number(Some(u64::from(n)), out);
    } else if l.sheet.is_none() && l.cell.is_none() && l.page.is_none() {
        // Text and CSV files.
        out.extend_from_slice(b",\"sheet\":null,\"cell\":null,\"page\":null");
    } else {
        out.extend_from_slice(b",\"sheet\":");
        opt_string(l.sheet.as_deref(), out);
        out.extend_from_slice(b",\"cell\":");
        opt_string(l.cell.as_deref(), out);
        out.extend_from_slice(b",\"page\":");
        opt_number(l.page.map(u64::from), out);
    }
    if let Some(p) = &l.json_path {
        // A value of a JSON, YAML or XML record.
        out.extend_from_slice(b",\"json_path\":");
        string(p, out);
    }
    out.extend_from_slice(b"},\"confidence\":");
    confidence(f.confidence, out);
    out.extend_from_slice(b",\"pattern\":");
    string(f.pattern, out);
    if let Some(m) = f.matched {
        out.extend_from_slice(b",\"match\":");
        string(m, out);
    }
    out.extend_from_slice(b"}\n");
}

fn opt_string(s: Option<&str>, out: &mut Vec<u8>) {
    match s {
        Some(s) => string(s, out),
        None => out.extend_from_slice(b"null"),
    }
}

fn opt_number(n: Option<u64>, out: &mut Vec<u8>) {
    match n {
        Some(mut n) => {
            let mut buf = [0u8; 20];
            let mut i = buf.len();
            loop {
                i -= 1;
                buf[i] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            out.extend_from_slice(&buf[i..]);
        }
        None => out.extend_from_slice(b"null"),
    }
}

/// The confidence as `record::two_decimals` serialises it. The few values
/// a scan produces are formatted once each and remembered.
fn confidence(c: f32, out: &mut Vec<u8>) {
    thread_local! {
        static SEEN: std::cell::RefCell<Vec<(u32, Vec<u8>)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        let bits = c.to_bits();
        if let Some((_, text)) = seen.iter().find(|(b, _)| *b == bits) {
            out.extend_from_slice(text);
            return;
        }
        let rounded = (f64::from(c) * 100.0).round() / 100.0;
        let text = serde_json::to_vec(&rounded).unwrap_or_else(|_| b"null".to_vec());
        out.extend_from_slice(&text);
        if seen.len() < 64 {
            seen.push((bits, text));
        }
    });
}

/// The bytes a JSON string cannot hold as they are: `"`, `\\` and the
/// control characters below 0x20.
const ESCAPED: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// A JSON string, escaped as serde_json escapes it: `"` and `\`, and the
/// control characters below 0x20 (short forms for \b \t \n \f \r).
pub(super) fn string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let bytes = s.as_bytes();
    // Most strings need no escape (and are short: kinds, masked values).
    if !bytes.iter().any(|&b| ESCAPED[usize::from(b)]) {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !ESCAPED[usize::from(b)] {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xF)]);
            }
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::location::Location;
    use crate::report::FindingRecord;

    fn serde_line(r: &Record) -> Vec<u8> {
        let mut v = serde_json::to_vec(r).expect("plain data");
        v.push(b'\n');
        v
    }

    #[test]
    fn finding_lines_are_serde_json_lines() {
        let strings = [
            "",
            "plain/path.txt",
            "quote\" back\\slash",
            "ctrl \u{0}\u{1}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1f}\u{7f} end",
            "accents é ü 漢字 😀",
            "</script>&<>'",
        ];
        let confidences = [
            0.0f32, 0.3, 0.35, 0.6, 0.85, 0.9, 0.95, 0.97, 0.99, 1.0, 0.123_456, 0.305,
        ];
        for (i, s) in strings.iter().enumerate() {
            for (j, c) in confidences.iter().enumerate() {
                let flip = (i + j) % 2 == 0;
                let mut f = FindingRecord {
                    path: s.to_string(),
                    entry: flip.then(|| format!("{s}/member")),
                    kind: "email".into(),
                    value: (!flip).then(|| s.to_string()),
                    masked: format!("m{s}"),
                    location: Location {
                        line: flip.then_some(u64::MAX),
                        column: (!flip).then_some(7),
                        sheet: (!flip).then(|| s.to_string()),
                        cell: flip.then(|| "B7".to_string()),
                        page: flip.then_some(u32::MAX),
                        json_path: (j % 3 == 1).then(|| format!("$.a['{s}']")),
                        ..Location::default()
                    },
                    confidence: *c,
                    pattern: s.to_string(),
                    matched: flip.then_some("record"),
                };
                if (i + j) % 3 == 0 {
                    // A text file's finding: no entry, sheet, cell or page.
                    f.entry = None;
                    f.location = Location {
                        line: Some(12),
                        column: Some(3),
                        json_path: (j % 2 == 0).then(|| format!("/r/{s}[2]")),
                        ..Location::default()
                    };
                }
                let mut ours = Vec::new();
                finding_line(&f.view(), &mut ours);
                let r = Record::Finding(f);
                assert_eq!(
                    String::from_utf8_lossy(&ours),
                    String::from_utf8_lossy(&serde_line(&r))
                );
                // Twice: the second time from the remembered confidence.
                let Record::Finding(f) = r else {
                    unreachable!()
                };
                let mut again = Vec::new();
                finding_line(&f.view(), &mut again);
                assert_eq!(again, ours);
            }
        }
    }
}
