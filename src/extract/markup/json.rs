//! JSON: each string and number is a unit, typed by its object member's
//! key and located by its JSONPath too (the record walk of `rows.rs`,
//! shared with YAML).

use super::common::{truncated, LINE_BREAK};
use super::rows::Walk;
use crate::extract::{Deadline, ExtractError, UnitSink};
use crate::model::columns::ColumnTable;

pub(super) fn json(
    src: &str,
    columns: &ColumnTable,
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let b = src.as_bytes();
    let mut walk = Walk::new(src, columns);
    let mut buf = String::new();
    let mut i = 0;
    let corrupt = |at: usize, what: &str| {
        let line = 1 + memchr::memchr_iter(b'\n', &b[..at.min(b.len())]).count();
        ExtractError::Corrupt {
            format: "json",
            message: format!("{what} at line {line}: not read further"),
        }
    };
    while i < b.len() {
        if deadline.is_over() {
            return Ok(());
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
        Ok(())
    } else {
        Err(truncated("json"))
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
