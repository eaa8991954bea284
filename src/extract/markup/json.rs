//! JSON: each string and number is a unit, typed by its object member's
//! key; nesting is tracked on the heap, so deep input cannot overflow the
//! stack.

use super::common::{truncated, LINE_BREAK};
use super::rows::{Emitter, Names, RowCells};
use crate::extract::{Deadline, ExtractError, UnitSink};
use crate::model::columns::{ColumnRole, ColumnTable};

/// An open object or array.
pub(super) struct Frame<'c> {
    array: bool,
    /// Object: the kind of the current member's key; array: the kind of its
    /// values (inherited from the key it is the value of).
    kind: Option<&'c str>,
    /// Object: a `:` was read, the next string is the member's value.
    value: bool,
    /// Object: the role of the current member's key.
    role: Option<&'c ColumnRole>,
    /// Object: its keyed values, a row when it ends.
    row: RowCells<'c>,
}

pub(super) fn json(
    src: &str,
    columns: &ColumnTable,
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let b = src.as_bytes();
    let mut em = Emitter::new(src);
    let mut names = Names::new(columns);
    let mut stack: Vec<Frame> = Vec::new();
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
        // The kind a value here takes.
        let value_kind = match stack.last() {
            Some(f) if f.array || f.value => f.kind,
            _ => None,
        };
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'{' | b'[' => {
                if c == b'{' {
                    sink.begin_object();
                }
                stack.push(Frame {
                    array: c == b'[',
                    kind: if c == b'[' { value_kind } else { None },
                    value: false,
                    role: None,
                    row: RowCells::default(),
                });
                i += 1;
            }
            b'}' | b']' => {
                match stack.pop() {
                    Some(f) if f.array == (c == b']') => {
                        if !f.array {
                            let mut row = f.row;
                            row.flush(sink);
                            sink.end_object();
                        }
                    }
                    _ => return Err(corrupt(i, "unbalanced brackets")),
                }
                i += 1;
            }
            b':' | b',' => {
                if let Some(f) = stack.last_mut().filter(|f| !f.array) {
                    f.value = c == b':';
                }
                i += 1;
            }
            b'"' => {
                let end = json_string(b, i + 1, &mut buf)
                    .ok_or_else(|| corrupt(i, "unterminated string"))?;
                match stack.last_mut() {
                    Some(f) if !f.array && !f.value => {
                        f.role = names.role(buf.as_bytes());
                        f.kind = f.role.map(|r| r.kind.as_str());
                        em.emit(&buf, i + 1, None, sink);
                    }
                    Some(f) if !f.array => {
                        let at = em.emit(&buf, i + 1, value_kind, sink);
                        f.row.keep(f.role, &buf, at);
                    }
                    _ => {
                        em.emit(&buf, i + 1, value_kind, sink);
                    }
                }
                i = end;
            }
            b'-' | b'0'..=b'9' => {
                let n = b[i..]
                    .iter()
                    .take_while(|c| {
                        c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E')
                    })
                    .count();
                let at = em.emit(&src[i..i + n], i, value_kind, sink);
                if let Some(f) = stack.last_mut().filter(|f| !f.array) {
                    f.row.keep(f.role, &src[i..i + n], at);
                }
                i += n;
            }
            b't' | b'f' | b'n' => {
                i += b[i..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count();
            }
            _ => return Err(corrupt(i, "unexpected character")),
        }
    }
    if stack.is_empty() {
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
