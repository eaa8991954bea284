//! Objects lopdf cannot parse, read leniently when a file shows no page
//! otherwise, as poppler and pdf.js do: a dictionary key that is not a name
//! is skipped with its value, garbage tokens are dropped, a stray `]` is
//! ignored, a `>>` closes the arrays left open inside its dictionary, and
//! comments are skipped everywhere (also before an object inside an object
//! stream, where lopdf stops: pdf.js's `bug1539074`). What cannot be read
//! is left out; what can is kept, so that a page whose `/MediaBox` is
//! garbage still gives its `/Contents`.

use super::lexer::{Lexer, Operand, Token};
use super::repair;
use super::MAX_NESTING;
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

/// Objects read per object stream, at most (its header is untrusted).
const MAX_IN_STREAM: usize = 1 << 16;

/// Adds to `doc` the objects of `data` (and of its unfiltered object
/// streams) that lopdf could not parse, read by [`object`].
pub(super) fn add_unparsed(data: &[u8], doc: &mut Document) {
    let mut found: Vec<(ObjectId, Object)> = Vec::new();
    for (id, (start, end)) in repair::objects(data) {
        if doc.objects.contains_key(&id) {
            continue;
        }
        let body = &data[start..end];
        let Some(at) = memchr::memmem::find(body, b"obj") else {
            continue;
        };
        // A stream's data is not parsed here: its dictionary alone is of
        // no use to a page.
        if memchr::memmem::find(&body[at..], b"stream").is_some() {
            continue;
        }
        if let Some(o) = object(&body[at + 3..]) {
            found.push((id, o));
        }
    }
    for s in doc.objects.values().filter_map(|o| o.as_stream().ok()) {
        // lopdf leaves an object stream inflated after reading it.
        if s.dict.has_type(b"ObjStm") && s.dict.get(b"Filter").is_err() {
            found.extend(in_stream(s, doc));
        }
    }
    for (id, o) in found {
        doc.objects.entry(id).or_insert(o);
    }
}

/// The objects of an (inflated) object stream that `doc` lacks.
fn in_stream(s: &lopdf::Stream, doc: &Document) -> Vec<(ObjectId, Object)> {
    let first = s.dict.get(b"First").and_then(Object::as_i64).unwrap_or(-1);
    let Some(head) = usize::try_from(first).ok().and_then(|f| s.content.get(..f)) else {
        return Vec::new();
    };
    let numbers: Vec<usize> = String::from_utf8_lossy(head)
        .split_ascii_whitespace()
        .map_while(|w| w.parse().ok())
        .take(2 * MAX_IN_STREAM)
        .collect();
    let body = &s.content[head.len()..];
    numbers
        .chunks_exact(2)
        .filter_map(|pair| {
            let id = (u32::try_from(pair[0]).ok()?, 0);
            let text = body.get(pair[1]..)?;
            (!doc.objects.contains_key(&id)).then_some(())?;
            Some((id, object(text)?))
        })
        .collect()
}

/// A container being read.
enum Open {
    Array(Vec<Object>),
    /// A dictionary and the key waiting for its value.
    Dict(Dictionary, Option<Vec<u8>>),
}

/// The first object of `text`, read leniently (without recursion), or
/// `None` when it starts with no value.
pub(super) fn object(text: &[u8]) -> Option<Object> {
    let mut lx = Lexer::new(text);
    let mut stack: Vec<Open> = Vec::new();
    loop {
        let Some(tok) = lx.token() else {
            // The end of the text closes what is open.
            return close_all(stack);
        };
        let value = match tok {
            Token::DictStart if stack.len() < MAX_NESTING => {
                stack.push(Open::Dict(Dictionary::new(), None));
                continue;
            }
            Token::ArrayStart if stack.len() < MAX_NESTING => {
                stack.push(Open::Array(Vec::new()));
                continue;
            }
            Token::DictStart | Token::ArrayStart => return close_all(stack),
            Token::DictEnd => {
                // Arrays left open inside the dictionary end with it.
                let Some(at) = stack.iter().rposition(|o| matches!(o, Open::Dict(..))) else {
                    continue;
                };
                while stack.len() > at + 1 {
                    let inner = finish(stack.pop()?);
                    put(stack.last_mut(), inner);
                }
                finish(stack.pop()?)
            }
            Token::ArrayEnd => match stack.last() {
                Some(Open::Array(_)) => finish(stack.pop()?),
                _ => continue, // a stray `]`
            },
            Token::Operand(Operand::Num(n)) => number(n, &mut lx),
            Token::Operand(Operand::Name(n)) => Object::Name(n),
            Token::Operand(Operand::Str(s)) => Object::String(s, StringFormat::Literal),
            Token::Operand(_) => continue,
            Token::Operator(b"true") => Object::Boolean(true),
            Token::Operator(b"false") => Object::Boolean(false),
            Token::Operator(b"null") => Object::Null,
            Token::Operator(b"endobj" | b"stream" | b"obj") => return close_all(stack),
            Token::Operator(_) => continue, // garbage
        };
        if let Some(value) = put(stack.last_mut(), value) {
            return Some(value);
        }
    }
}

/// A number, or a reference when `G R` follow it.
fn number(n: f64, lx: &mut Lexer<'_>) -> Object {
    let whole = |v: f64| (v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX)).then_some(v);
    if let Some(num) = whole(n) {
        let mut ahead = lx.clone();
        if let Some(Token::Operand(Operand::Num(g))) = ahead.token() {
            if let (Some(g), Some(Token::Operator(b"R"))) = (whole(g), ahead.token()) {
                if g <= f64::from(u16::MAX) {
                    *lx = ahead;
                    return Object::Reference((num as u32, g as u16));
                }
            }
        }
    }
    if n.fract() == 0.0 && n.abs() < 9e15 {
        Object::Integer(n as i64)
    } else {
        Object::Real(n as f32)
    }
}

/// Puts `value` into the open container: an array's next element, a
/// dictionary's key or the value of its waiting key (a value where a key
/// is due is dropped). Returns the value when nothing is open.
fn put(open: Option<&mut Open>, value: Object) -> Option<Object> {
    match open {
        None => Some(value),
        Some(Open::Array(a)) => {
            a.push(value);
            None
        }
        Some(Open::Dict(d, key)) => {
            match (key.take(), value) {
                (Some(k), v) => d.set(k, v),
                (None, Object::Name(n)) => *key = Some(n),
                (None, _) => {} // "Dictionary key must be a name object"
            }
            None
        }
    }
}

fn finish(open: Open) -> Object {
    match open {
        Open::Array(a) => Object::Array(a),
        Open::Dict(d, _) => Object::Dictionary(d),
    }
}

/// Closes every open container, innermost first; the outermost is the value.
fn close_all(mut stack: Vec<Open>) -> Option<Object> {
    while stack.len() > 1 {
        let inner = finish(stack.pop()?);
        put(stack.last_mut(), inner);
    }
    stack.pop().map(finish)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_dictionaries_keep_what_can_be_read() {
        let o = object(b"% 2 0 obj\n<< /A 1 (junk) 2 /B [1 2 X:X ] ] /C 3 0 R /D [4 <</E /F>> >>")
            .expect("object");
        let d = o.as_dict().expect("dictionary");
        assert_eq!(d.get(b"A").and_then(Object::as_i64).ok(), Some(1));
        assert_eq!(
            d.get(b"C").and_then(Object::as_reference).ok(),
            Some((3, 0))
        );
        let b = d.get(b"B").and_then(Object::as_array).expect("array");
        assert_eq!(b.len(), 2, "{b:?}");
        // The array left open ends with its dictionary.
        let dd = d.get(b"D").and_then(Object::as_array).expect("array");
        assert_eq!(dd.len(), 2, "{dd:?}");
        assert!(d.get(b"E").is_err());
        assert!(object(b"  endobj").is_none());
        // Deep nesting stops at the limit instead of recursing.
        assert!(object(&[b'['; 100_000]).is_some());
    }
}
