//! An mbox store split into its messages. The variants differ in how a
//! body line starting with `From ` is kept apart from the next message's
//! envelope line: mboxo and mboxrd quote it (`>From `, unquoted here by one
//! `>`), mboxcl and mboxcl2 give each message's length in a
//! `Content-Length:` header, and many writers do neither. So a `From ` line
//! starts a message only when it looks like an envelope line (`From -`,
//! `From address`, or with a time of day) and a header line follows it
//! ("From Russia with love" in a body does not), and a
//! `Content-Length:` that ends exactly before the next `From ` line (or the
//! end) is trusted over the lines of the body.

use std::borrow::Cow;

/// The messages of an mbox (each without its `From ` line), in order;
/// empty when `data` does not start with a `From ` line.
pub(super) fn messages(data: &[u8]) -> Vec<Cow<'_, [u8]>> {
    let mut out = Vec::new();
    if !data.starts_with(b"From ") {
        return out;
    }
    let mut pos = 0;
    while pos < data.len() {
        let start = line_end(data, pos);
        if let Some(end) = by_content_length(data, start) {
            out.push(Cow::Borrowed(&data[start..end]));
            pos = skip_newlines(data, end);
            continue;
        }
        let end = next_envelope(data, start).unwrap_or(data.len());
        out.push(unquoted(&data[start..end]));
        pos = end;
    }
    out
}

/// The offset after the line starting at `pos` (its `\n` included).
fn line_end(data: &[u8], pos: usize) -> usize {
    memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |i| pos + i + 1)
}

/// `pos` after any blank line endings.
fn skip_newlines(data: &[u8], mut pos: usize) -> usize {
    while matches!(data.get(pos), Some(b'\r' | b'\n')) {
        pos += 1;
    }
    pos
}

/// The start of the next envelope line followed by a header line, after
/// `start`.
fn next_envelope(data: &[u8], start: usize) -> Option<usize> {
    let mut from = start;
    while let Some(i) = memchr::memmem::find(&data[from..], b"\nFrom ") {
        let line = from + i + 1;
        let next = line_end(data, line);
        if is_envelope(&data[line + 5..next]) && is_header_line(&data[next..]) {
            return Some(line);
        }
        from = line;
    }
    None
}

/// Whether the rest of a `From ` line is an envelope's: one word (`-`,
/// the sender), a sender address, or a date with a time of day.
fn is_envelope(rest: &[u8]) -> bool {
    let words = rest
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty());
    words.clone().count() <= 1
        || words.clone().any(|w| w.contains(&b'@'))
        || rest.windows(4).any(|w| {
            w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
        })
}

/// Whether `rest` starts with `Name:` (RFC 5322 field-name characters).
fn is_header_line(rest: &[u8]) -> bool {
    let name = rest
        .iter()
        .take_while(|&&b| b > b' ' && b < 127 && b != b':')
        .count();
    name > 0 && rest.get(name) == Some(&b':')
}

/// The end of the message whose headers start at `start` when it has a
/// `Content-Length:` header whose body ends at the end of the data or
/// before a `From ` line (blank lines between allowed).
fn by_content_length(data: &[u8], start: usize) -> Option<usize> {
    let mut line = start;
    let mut length = None;
    // The header block: up to the first empty line.
    let body = loop {
        if line >= data.len() {
            return None;
        }
        let next = line_end(data, line);
        let text = &data[line..next];
        if text == b"\n" || text == b"\r\n" {
            break next;
        }
        if text.len() > 15 && text[..15].eq_ignore_ascii_case(b"content-length:") {
            length = std::str::from_utf8(&text[15..])
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok());
        }
        line = next;
    };
    let end = body.checked_add(length?)?;
    let after = skip_newlines(data, end.min(data.len()));
    (end <= data.len() && (after == data.len() || data[after..].starts_with(b"From ")))
        .then_some(end)
}

/// The message with one `>` removed from its `>From ` (`>>From `…) lines.
fn unquoted(message: &[u8]) -> Cow<'_, [u8]> {
    let quoted = |line: &[u8]| {
        let q = line.iter().take_while(|&&b| b == b'>').count();
        q > 0 && line[q..].starts_with(b"From ")
    };
    if !message.split(|&b| b == b'\n').any(quoted) {
        return Cow::Borrowed(message);
    }
    let mut out = Vec::with_capacity(message.len());
    for (i, line) in message.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(if quoted(line) { &line[1..] } else { line });
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::messages;

    fn texts(data: &[u8]) -> Vec<String> {
        messages(data)
            .iter()
            .map(|m| String::from_utf8_lossy(m).into_owned())
            .collect()
    }

    #[test]
    fn a_from_line_in_a_body_is_not_an_envelope() {
        let data = b"From -\nFrom: a@b.fr\n\nJames Bond:\n\nFrom Russia with love\n\nend\n\
            From -\nSubject: two\n\nFrom Russia with love\nYear: 1963\n>From here\n>>From there\n";
        assert_eq!(
            texts(data),
            [
                "From: a@b.fr\n\nJames Bond:\n\nFrom Russia with love\n\nend\n",
                "Subject: two\n\nFrom Russia with love\nYear: 1963\nFrom here\n>From there\n",
            ]
        );
    }

    #[test]
    fn content_length_is_trusted_when_it_ends_before_a_from_line() {
        let data = b"From a\nContent-Length: 16\n\nFrom c\nX: y\n\nok\n\
            From b\nContent-Length: 999\n\nbody\n";
        assert_eq!(
            texts(data),
            [
                "Content-Length: 16\n\nFrom c\nX: y\n\nok\n",
                "Content-Length: 999\n\nbody\n",
            ]
        );
        assert!(messages(b"no envelope").is_empty());
    }
}
