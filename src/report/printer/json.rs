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
    let mut path = Vec::with_capacity(f.path.len() + 2);
    string(f.path, &mut path);
    finding_line_with_path(f, &path, out);
}

/// Appends a finding record as one JSON line, byte for byte what serde_json
/// writes for [`Record::Finding`] (fields in declaration order, `value` and
/// `match` only when set), without going through serde: a large scan has
/// millions of findings and this is their fixed shape. `path` is already
/// encoded as a JSON string (a file's findings all share it).
pub(super) fn finding_line_with_path(f: &FindingView<'_>, path: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"type\":\"finding\",\"path\":");
    out.extend_from_slice(path);
    out.extend_from_slice(b",\"entry\":");
    opt_string(f.entry, out);
    out.extend_from_slice(b",\"kind\":");
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
    out.extend_from_slice(b",\"sheet\":");
    opt_string(l.sheet.as_deref(), out);
    out.extend_from_slice(b",\"cell\":");
    opt_string(l.cell.as_deref(), out);
    out.extend_from_slice(b",\"page\":");
    opt_number(l.page.map(u64::from), out);
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

/// A JSON string, escaped as serde_json escapes it: `"` and `\`, and the
/// control characters below 0x20 (short forms for \b \t \n \f \r).
pub(super) fn string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let bytes = s.as_bytes();
    // Most strings need no escape: one branch-free pass tells.
    let plain = bytes.chunks(16).all(|chunk| {
        !chunk.iter().fold(false, |any, &b| {
            any | (b < 0x20) | (b == b'"') | (b == b'\\')
        })
    });
    if plain {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
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
    use crate::extract::Location;
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
                let f = FindingRecord {
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
                    },
                    confidence: *c,
                    pattern: s.to_string(),
                    matched: flip.then_some("record"),
                };
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
