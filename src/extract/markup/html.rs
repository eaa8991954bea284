//! HTML as text with the source's lines: tags and `<script>`/`<style>`
//! content dropped (their newlines kept), entities decoded, comments kept,
//! block elements separating text with a tab, and a `mailto:`/`tel:` link's
//! address added when its text does not show it.

use super::common::{decode_entity, unescape_into};

/// Elements that end a line of text when rendered.
pub(super) const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
];

/// An HTML comment: not shown, but what it says is on the file share.
pub(super) struct Comment {
    /// Where it starts in the text: line (1-based) and column (0-based, in
    /// characters).
    pub(super) line: u64,
    pub(super) column: u64,
    pub(super) text: String,
}

/// Appends to `out` the text of the HTML `src`, with the same lines, and
/// to `comments` its comments (blanked in `out`, newlines kept).
pub(super) fn html_text(src: &str, out: &mut String, comments: &mut Vec<Comment>) {
    let b = src.as_bytes();
    // Lines of `out` counted up to `counted` (for the comments' lines).
    let (mut counted, mut line) = (0, 1u64);
    let mut i = 0;
    // A mailto:/tel: link being read: its address and where its text starts in `out`.
    let mut link: Option<(String, usize)> = None;
    while i < b.len() {
        let Some(j) = memchr::memchr2(b'<', b'&', &b[i..]).map(|j| i + j) else {
            push_text(out, &src[i..]);
            break;
        };
        push_text(out, &src[i..j]);
        if b[j] == b'&' {
            i = match decode_entity(&b[j..]) {
                Some((c, len)) => {
                    out.push(if c == '\n' || c == '\r' { ' ' } else { c });
                    j + len
                }
                None => {
                    out.push('&');
                    j + 1
                }
            };
            continue;
        }
        let rest = &b[j..];
        if rest.starts_with(b"<!--") {
            // A comment is not shown, but what it says is on the file share:
            // read on its own, at a lower confidence.
            let end = find(b, j + 4, b"-->").unwrap_or(b.len());
            out.push('\t');
            let seen = &out.as_bytes()[counted..];
            line += memchr::memchr_iter(b'\n', seen).count() as u64;
            counted = out.len();
            let line_start = memchr::memrchr(b'\n', out.as_bytes()).map_or(0, |i| i + 1);
            let mut text = String::new();
            push_text(&mut text, &src[j + 4..end]);
            comments.push(Comment {
                line,
                column: out[line_start..].chars().count() as u64,
                text,
            });
            skip(out, &src[j + 4..end]);
            out.push('\t');
            i = (end + 3).min(b.len());
            continue;
        }
        let next = rest.get(1).copied().unwrap_or(0);
        if next == b'!' || next == b'?' {
            let end = memchr::memchr(b'>', rest).map_or(b.len(), |e| j + e + 1);
            skip(out, &src[j..end]);
            i = end;
            continue;
        }
        let closing = next == b'/';
        let name_start = j + 1 + usize::from(closing);
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            out.push('<');
            i = j + 1;
            continue;
        }
        let end = tag_end(b, name_start);
        let tag = &src[j..end];
        let name = tag_name(&b[name_start..end]);
        let newlines = skip(out, tag);
        if BLOCKS.iter().any(|n| name.eq_ignore_ascii_case(n))
            && newlines == 0
            && !out.ends_with(|c: char| c.is_whitespace())
        {
            out.push('\t');
        }
        i = end;
        if !closing && name.eq_ignore_ascii_case("input") {
            // A filled form saved as a page: what was typed is the input's
            // value (a button's value is its caption, a radio button's or a
            // check box's a code for its choice).
            let kind = attribute(tag, "type").unwrap_or_default();
            let caption = ["submit", "button", "reset", "image", "radio", "checkbox"]
                .iter()
                .any(|t| kind.eq_ignore_ascii_case(t));
            if let Some(v) = attribute(tag, "value").filter(|v| !caption && !v.trim().is_empty()) {
                out.push('\t');
                push_text(out, &v.replace(['\n', '\r'], " "));
                out.push('\t');
            }
        } else if name.eq_ignore_ascii_case("a") {
            if closing {
                if let Some((addr, start)) = link.take() {
                    let shown = out.get(start..).unwrap_or("").to_lowercase();
                    if !shown.contains(&addr.to_lowercase()) {
                        out.push('\t');
                        out.push_str(&addr);
                        out.push('\t');
                    }
                }
            } else {
                link = attribute(tag, "href")
                    .and_then(|h| link_address(&h))
                    .map(|a| (a, out.len()));
            }
        } else if !closing
            && (name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style"))
            && !tag.ends_with("/>")
        {
            // Raw text up to the closing tag: not shown, never scanned.
            let close = find_close(b, i, name.as_bytes()).unwrap_or(b.len());
            skip(out, &src[i..close]);
            i = close;
        }
    }
    if let Some((addr, _)) = link {
        out.push('\t');
        out.push_str(&addr);
    }
}

/// Text as written, with non-breaking spaces made plain.
pub(super) fn push_text(out: &mut String, s: &str) {
    out.extend(s.chars().map(|c| match c {
        '\u{a0}' | '\u{202f}' => ' ',
        c => c,
    }));
}

/// Drops `s` from the text but keeps its newlines; returns how many.
pub(super) fn skip(out: &mut String, s: &str) -> usize {
    let n = memchr::memchr_iter(b'\n', s.as_bytes()).count();
    out.extend(std::iter::repeat_n('\n', n));
    n
}

pub(super) fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(b.get(from..)?, needle).map(|e| from + e)
}

/// Where `</name` starts, in any case, from `from`.
pub(super) fn find_close(b: &[u8], mut from: usize, name: &[u8]) -> Option<usize> {
    while let Some(at) = find(b, from, b"</") {
        let tail = &b[at + 2..];
        if tail.len() >= name.len() && tail[..name.len()].eq_ignore_ascii_case(name) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// The end (after `>`) of a tag whose name starts at `from`; quoted
/// attribute values may hold `>`.
pub(super) fn tag_end(b: &[u8], from: usize) -> usize {
    let (mut quote, mut after_eq) = (None, false);
    for (k, &c) in b.iter().enumerate().skip(from) {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if after_eq => quote = Some(c),
            (None, b'>') => return k + 1,
            _ => {}
        }
        if quote.is_none() && !c.is_ascii_whitespace() {
            after_eq = c == b'=';
        }
    }
    b.len()
}

pub(super) fn tag_name(b: &[u8]) -> String {
    let n = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b':'))
        .count();
    String::from_utf8_lossy(&b[..n]).into_owned()
}

/// The value of attribute `name` in the tag `tag`, entities decoded.
pub(super) fn attribute(tag: &str, name: &str) -> Option<String> {
    let b = tag.as_bytes();
    let mut k = 1 + b[1..]
        .iter()
        .position(|c| c.is_ascii_whitespace() || *c == b'>')?;
    loop {
        while b
            .get(k)
            .is_some_and(|c| c.is_ascii_whitespace() || *c == b'/')
        {
            k += 1;
        }
        let start = k;
        while b
            .get(k)
            .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'=' | b'>' | b'/'))
        {
            k += 1;
        }
        if k == start {
            return None;
        }
        let key = &tag[start..k];
        while b.get(k).is_some_and(u8::is_ascii_whitespace) {
            k += 1;
        }
        let mut value = "";
        if b.get(k) == Some(&b'=') {
            k += 1;
            while b.get(k).is_some_and(u8::is_ascii_whitespace) {
                k += 1;
            }
            let (from, to) = match b.get(k) {
                Some(&q @ (b'"' | b'\'')) => {
                    let to = memchr::memchr(q, &b[k + 1..]).map_or(b.len(), |e| k + 1 + e);
                    (k + 1, to)
                }
                _ => {
                    let n = b[k..]
                        .iter()
                        .take_while(|c| !c.is_ascii_whitespace() && **c != b'>')
                        .count();
                    (k, k + n)
                }
            };
            value = &tag[from..to];
            k = to + 1;
        }
        if key.eq_ignore_ascii_case(name) {
            let mut v = String::new();
            unescape_into(value, &mut v);
            return Some(v);
        }
    }
}

/// The address of a `mailto:` or `tel:` link (percent-decoded, without the
/// query), if it is one.
pub(super) fn link_address(href: &str) -> Option<String> {
    let h = href.trim();
    let lower = h.get(..7)?.to_ascii_lowercase();
    let rest = if lower == "mailto:" {
        &h[7..]
    } else if lower.starts_with("tel:") {
        &h[4..]
    } else {
        return None;
    };
    let rest = rest.split('?').next().unwrap_or("");
    let mut bytes = Vec::with_capacity(rest.len());
    let r = rest.as_bytes();
    let mut k = 0;
    while k < r.len() {
        let hex = r
            .get(k + 1..k + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (r[k], hex) {
            (b'%', Some(v)) => {
                bytes.push(v);
                k += 3;
            }
            (c, _) => {
                bytes.push(c);
                k += 1;
            }
        }
    }
    let addr = String::from_utf8_lossy(&bytes).replace(',', "\t");
    (!addr.trim().is_empty() && !addr.chars().any(|c| c.is_control() && c != '\t')).then_some(addr)
}
