//! E-mail: single messages (`.eml`) and mailboxes (mbox), parsed with
//! mail-parser, which decodes quoted-printable, base64, RFC 2047 encoded
//! words and charsets.
//!
//! Each message is turned into one text, read like a text file:
//!
//! ```text
//! From: Élodie Lefèvre <elodie.lefevre@example.fr>     line 1
//! Cc: Karim Benali <karim.benali@example.fr>, …        one line per header that
//! Subject: …                                           holds mailboxes ([`READ`]:
//!                                                       From, To, Delivered-To,
//!                                                       Return-Path, Resent-*…)
//!                                                       or the subject, in the
//!                                                       message's order
//!                                                      a blank line
//! the first text body …                                the bodies, each followed
//!                                                      by a blank line
//! ```
//!
//! so a finding's `line` is the line in that text, not in the raw message
//! (whose encoded bodies say nothing to a reader). HTML bodies are turned into
//! text ([`html_to_text`]). Each attachment (a file, or a forwarded
//! `message/rfc822`) goes through [`super::extract_member`] under its file
//! name ("attachment N" when it has none), so an attached spreadsheet is read
//! as one. In an mbox each message is a member named "message N" (1-based),
//! and its attachments are nested under it ("message 3/liste.csv"). A
//! byte-order mark before the first header (or the first `From ` line) is
//! skipped, and a file named `.eml` that holds several `From `-separated
//! messages (an mbox store saved under another name) is read as a mailbox.
//! A body of raw 8-bit text that names no charset (or the wrong one, or is
//! said to be base64 and is not) is decoded in the charset its bytes show
//! (`chardetng`), not as UTF-8 with replacement characters.

mod mbox;

use super::{extract_member, text, Cx, ExtractError, Format, MailFormat, UnitSink};
use mail_parser::{
    Address, HeaderName, HeaderValue, Message, MessageParser, MimeHeaders, PartType,
};

/// Extracts the text units of an e-mail (`kind` "eml") or a mailbox ("mbox")
/// held in memory.
pub fn extract(
    kind: MailFormat,
    data: &[u8],
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    if kind == MailFormat::Mbox || is_mailbox(data) {
        let messages = mbox::messages(data);
        for (i, raw) in messages.iter().enumerate() {
            if cx.deadline.is_over() {
                return Ok(());
            }
            sink.enter(&format!("message {}", i + 1));
            let result = one_message(raw, cx, sink)
                .map(|()| (Format::Mail(MailFormat::Eml), raw.len() as u64));
            sink.leave(&result);
        }
        if !messages.is_empty() {
            return Ok(());
        }
        // No "From " line: a single message after all.
    }
    one_message(data, cx, sink)
}

/// Starts with an mbox `From ` line and has another one later: several
/// messages, whatever the file's name says.
fn is_mailbox(data: &[u8]) -> bool {
    data.starts_with(b"From ") && memchr::memmem::find(data, b"\nFrom ").is_some()
}

/// Reads one message: its text, then its attachments.
fn one_message(data: &[u8], cx: &mut Cx<'_>, sink: &mut dyn UnitSink) -> Result<(), ExtractError> {
    let message = MessageParser::default()
        .parse(data)
        .ok_or_else(|| ExtractError::Corrupt {
            format: "eml",
            message: "no message headers or body".into(),
        })?;
    let text = message_text(&message);
    text::extract_utf8(&text, cx, sink)?;
    for (i, part) in message.attachments().enumerate() {
        if cx.deadline.is_over() {
            break;
        }
        let name = match (part.attachment_name(), &part.body) {
            (Some(n), _) if !n.trim().is_empty() => n.trim().to_string(),
            (_, PartType::Message(_)) => format!("attachment {}.eml", i + 1),
            _ => format!("attachment {}", i + 1),
        };
        let decoded = unclosed_base64(part);
        extract_member(
            &name,
            decoded.as_deref().unwrap_or(part.contents()),
            cx,
            sink,
        );
    }
    Ok(())
}

/// The headers read (lower case): those that hold mailboxes, and the
/// subject. Any other `Resent-` header is read too.
pub(crate) const READ: &[&str] = &[
    "from",
    "sender",
    "reply-to",
    "to",
    "cc",
    "bcc",
    "subject",
    "delivered-to",
    "return-path",
    "disposition-notification-to",
    "return-receipt-to",
    "errors-to",
    "x-original-to",
    "x-original-from",
    "x-original-sender",
    "x-original-recipient",
    "original-recipient",
    "final-recipient",
    "envelope-to",
    "x-envelope-to",
    "x-envelope-from",
    "x-sender",
    "x-receiver",
    "x-rcpt-to",
    "x-forwarded-to",
    "x-forwarded-for",
    "x-failed-recipients",
    "x-beenthere",
    "apparently-to",
    "x-apparently-to",
    "mail-followup-to",
    "mail-reply-to",
    "list-post",
    "list-owner",
    "list-help",
    "list-subscribe",
    "list-unsubscribe",
    "author",
];

/// Whether header `name` is read ([`READ`]).
fn is_read(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    READ.contains(&lower.as_str())
        || (lower.starts_with("resent-")
            && !lower.ends_with("-date")
            && !lower.ends_with("-message-id"))
}

/// The text a message is read as (see the module header). An HTML
/// alternative is read too when it holds words its plain-text alternative
/// does not (text only in the HTML part, hidden text): a reader of the HTML
/// sees them.
fn message_text(message: &Message<'_>) -> String {
    let mut out = header_lines(message, &[]);
    out.push('\n');
    let html_only = message
        .html_body
        .iter()
        .filter(|id| !message.text_body.contains(id))
        .copied();
    let parts: Vec<u32> = message.text_body.iter().copied().chain(html_only).collect();
    let mut seen = std::collections::HashSet::new();
    for (i, id) in parts.iter().enumerate() {
        let Some(part) = message.part(*id) else {
            continue;
        };
        let guessed = redecoded(message, part);
        let text = match (&part.body, guessed) {
            (PartType::Text(_), Some(t)) => t,
            (PartType::Html(_), Some(h)) => html_to_text(&h),
            (PartType::Text(t), None) => t.to_string(),
            (PartType::Html(h), None) => html_to_text(h),
            _ => continue,
        };
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let alternative = i >= message.text_body.len();
        if alternative && words.iter().all(|w| seen.contains(w)) {
            continue;
        }
        seen.extend(words);
        out.push_str(&text);
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// The text of a body that mail-parser decoded with replacement characters
/// again from its raw bytes: raw 8-bit text that names no charset (old
/// Korean, Japanese, Latin-1 clients) or whose bytes are not in the charset
/// named, and raw 8-bit text said to be base64 or quoted-printable (which
/// it is not: broken clients). Decoded in the charset named when the bytes
/// fit it, else in the one `chardetng` guesses from them.
fn redecoded(message: &Message<'_>, part: &mail_parser::MessagePart<'_>) -> Option<String> {
    let text = match &part.body {
        PartType::Text(t) | PartType::Html(t) => t,
        _ => return None,
    };
    if let Some(bytes) = unclosed_base64(part) {
        return Some(in_charset(part, &bytes));
    }
    let raw = message
        .raw_message()
        .get(part.raw_body_offset() as usize..part.raw_end_offset() as usize)?;
    if !text.contains('\u{FFFD}') {
        // Said US-ASCII or a single-byte charset (decoded as Latin-1 by
        // mail-parser), but raw 8-bit UTF-8: "EnvoyÃ©" otherwise.
        let single_byte = part
            .content_type()
            .and_then(|c| c.attribute("charset"))
            .and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()))
            .is_none_or(|e| e.is_single_byte());
        let encoded = part.content_transfer_encoding().is_some_and(|e| {
            let e = e.trim();
            e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("quoted-printable")
        });
        return (single_byte && !encoded && !raw.is_ascii())
            .then(|| std::str::from_utf8(raw).ok().map(str::to_string))
            .flatten();
    }
    let encoded = part.content_transfer_encoding().is_some_and(|e| {
        e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("quoted-printable")
    });
    // A real base64 or quoted-printable body is ASCII: its decoded bytes
    // were simply not text.
    if encoded && raw.is_ascii() {
        return None;
    }
    Some(in_charset(part, raw))
}

/// Text bytes decoded: as UTF-8 when they are (declared US-ASCII or a
/// single-byte charset, but written in UTF-8), else in the charset named
/// when they fit it, else in the one `chardetng` guesses.
fn in_charset(part: &mail_parser::MessagePart<'_>, raw: &[u8]) -> String {
    if let Ok(utf8) = std::str::from_utf8(raw) {
        return utf8.to_string();
    }
    let declared = part
        .content_type()
        .and_then(|c| c.attribute("charset"))
        .and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()));
    if let Some(e) = declared {
        let (text, _, bad) = e.decode(raw);
        if !bad {
            return text.into_owned();
        }
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(raw, true);
    let encoding = detector.guess(None, true);
    encoding.decode_without_bom_handling(raw).0.into_owned()
}

/// The decoded bytes of a base64 part that mail-parser kept raw: when the
/// closing boundary is missing (a message cut after its last part), it
/// gives up decoding the part and keeps its base64 text.
fn unclosed_base64(part: &mail_parser::MessagePart<'_>) -> Option<Vec<u8>> {
    let base64 = part
        .content_transfer_encoding()
        .is_some_and(|e| e.trim().eq_ignore_ascii_case("base64"));
    if !part.is_encoding_problem || !base64 {
        return None;
    }
    mail_parser::decoders::base64::base64_decode(part.contents())
}

/// One line per header read ([`READ`]), in the message's order, but those
/// named in `except` (lower case): `Name: value`, addresses as
/// `Name <address>`, encoded words decoded.
pub(crate) fn header_lines(message: &Message<'_>, except: &[&str]) -> String {
    let mut out = String::new();
    for header in message.headers() {
        let name = header.name.as_str();
        if !is_read(name) || except.iter().any(|e| name.eq_ignore_ascii_case(e)) {
            continue;
        }
        let value = match &header.value {
            HeaderValue::Address(a) => addresses(a),
            HeaderValue::Text(t) if header.name == HeaderName::Subject => t.to_string(),
            HeaderValue::Text(t) => reparsed(t),
            HeaderValue::TextList(l) => l.join(", "),
            HeaderValue::Empty => String::new(),
            _ => continue,
        };
        // One header, one line.
        let value = value.replace(['\r', '\n'], " ");
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value.trim());
        out.push('\n');
    }
    out
}

/// A header mail-parser keeps raw (`Delivered-To`, `Errors-To`…) read as
/// an address list, so that encoded names are decoded; as it is when it
/// is not one.
fn reparsed(raw: &str) -> String {
    let line = format!("To: {}\n\n", raw.replace(['\r', '\n'], " "));
    MessageParser::default()
        .parse_headers(line.as_bytes())
        .and_then(|m| m.to().map(addresses))
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| raw.to_string())
}

/// `Name <address>, address, …`; a group as `Group: members;`.
fn addresses(a: &Address<'_>) -> String {
    match a {
        Address::List(list) => address_list(list),
        Address::Group(groups) => groups
            .iter()
            .map(|g| match &g.name {
                Some(n) => format!("{n}: {};", address_list(&g.addresses)),
                None => address_list(&g.addresses),
            })
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// `Name <address>, address, …`, an address without the spaces of the
/// obsolete syntax (`jdoe@test . example`).
fn address_list(list: &[mail_parser::Addr<'_>]) -> String {
    let joined = |e: &str| match e.contains('@') {
        true => e.split_whitespace().collect::<String>(),
        false => e.to_string(),
    };
    list.iter()
        .map(|addr| match (addr.name(), addr.address()) {
            (Some(n), Some(e)) => format!("{n} <{}>", joined(e)),
            (None, Some(e)) => joined(e),
            (Some(n), None) => n.to_string(),
            (None, None) => String::new(),
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Elements whose content is not text.
const HIDDEN: &[&str] = &["head", "script", "style", "template", "title"];
/// Elements that start a new line.
const BLOCKS: &[&str] = &[
    "address",
    "blockquote",
    "br",
    "div",
    "dd",
    "dl",
    "dt",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
];

/// The text of an HTML body: tags removed (a block element starts a line, a
/// table cell or other element is a word break), `<head>`, `<script>`,
/// `<style>` and comments skipped, whitespace collapsed, entities decoded
/// (non-breaking spaces become spaces). Simple on purpose: mail HTML is
/// shown to a reader, and only its text matters here.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !closing && HIDDEN.contains(&name.as_str()) && !tag.ends_with('/') {
            // Skip to the matching end tag.
            let end = format!("</{name}");
            rest = find_ascii_ci(rest, &end).map_or("", |i| &rest[i..]);
        } else if BLOCKS.contains(&name.as_str()) {
            out.truncate(out.trim_end_matches(' ').len());
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
        } else if matches!(name.as_str(), "td" | "th" | "img" | "input") {
            push_char(&mut out, ' ');
        }
    }
    push_text(&mut out, rest);
    out.truncate(out.trim_end().len());
    out
}

/// Appends HTML text: whitespace collapsed, entities decoded.
fn push_text(out: &mut String, text: &str) {
    let mut entity = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        // `&name;` or `&#123;`: decoded by mail-parser's entity table.
        let len = rest.strip_prefix('&').and_then(|r| {
            let end = r.find(';').filter(|&e| (1..=32).contains(&e))?;
            r.as_bytes()[..end]
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'#')
                .then_some(end + 2)
        });
        let Some(len) = len else {
            push_char(out, c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        entity.clear();
        mail_parser::decoders::html::add_html_token(&mut entity, &rest.as_bytes()[..len], false);
        entity.chars().for_each(|c| push_char(out, c));
        rest = &rest[len..];
    }
}

/// Appends one character, whitespace collapsed into one space.
fn push_char(out: &mut String, c: char) {
    if !c.is_whitespace() {
        out.push(c);
    } else if !out.is_empty() && !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
}

/// The position of `needle` (ASCII) in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    hay.as_bytes()
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::html_to_text;

    #[test]
    fn html_blocks_cells_entities() {
        let html = "<html><head><title>x 06 00 00 00 00</title><style>p{}</style></head>\
            <body><p>Bonjour&nbsp;Ma&#239;t&eacute;,</p><!-- 06 11 --><table><tr><td>T&eacute;l&eacute;phone</td>\
            <td>06&nbsp;12 34\n 56 78</td></tr></table>fin<br>ok &amp; &bogus; &</body></html>";
        assert_eq!(
            html_to_text(html),
            "Bonjour Maïté,\nTéléphone 06 12 34 56 78\nfin\nok & &bogus; &"
        );
    }
}
