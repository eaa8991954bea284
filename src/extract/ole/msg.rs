//! Outlook items saved as `.msg` ([MS-OXMSG]): e-mails, and contacts,
//! appointments and tasks, which are property bags too.
//!
//! Each property is a stream `__substg1.0_IIIITTTT` (property id, type:
//! `001F` UTF-16, `001E` 8-bit in the message's code page, `0102` binary);
//! fixed-size ones (the recipient type, the attachment method, the code
//! page) are in `__properties_version1.0`. A message is read as an e-mail
//! is (`mail.rs`), one text:
//!
//! ```text
//! From: Name <address>             the sender (Sender: the one who sent on
//! To: Name <address>, …            behalf of From), the recipients by type
//! Subject: …                       (`__recip_version1.0_#N` storages), the
//! Delivered-To: …                  subject, then the other address headers
//!                                  of the Internet headers Outlook kept
//! the body                         plain text; else HTML as text; else the
//!                                  compressed RTF body as text
//! other properties, one a line     a contact's phone numbers and address, an
//!                                  appointment's place, names of people…
//! ```
//!
//! so a finding's `line` is the line in that text. Each attachment
//! (`__attach_version1.0_#N`) is a member named by its file name
//! (`3707`/`3704`, else "attachment N", "attachment N.msg" for a message),
//! read as any file is; an attached message (`3701000D` storage) is a
//! member read as a message, nested.

use super::{lzfu, stream, u16_at, u32_at, utf16, Ole};
use crate::extract::mail::{header_lines, html_to_text};
use crate::extract::markup::common::LINE_BREAK;
use crate::extract::{
    extract_member, in_member, text, Cx, ExtractError, Format, LegacyFormat, Located, Origin,
    UnitSink,
};
use encoding_rs::Encoding;

const PROPERTIES: &str = "__properties_version1.0";
const SUBSTG: &str = "__substg1.0_";

// Property ids ([MS-OXPROPS]).
const SUBJECT: u16 = 0x0037;
const SENT_REPRESENTING_NAME: u16 = 0x0042;
const SENT_REPRESENTING_EMAIL: u16 = 0x0065;
const TRANSPORT_HEADERS: u16 = 0x007D;
const SENDER_NAME: u16 = 0x0C1A;
const SENDER_EMAIL: u16 = 0x0C1F;
const RECIPIENT_TYPE: u16 = 0x0C15;
const DISPLAY_BCC: u16 = 0x0E02;
const DISPLAY_CC: u16 = 0x0E03;
const DISPLAY_TO: u16 = 0x0E04;
const BODY: u16 = 0x1000;
const RTF_COMPRESSED: u16 = 0x1009;
const HTML: u16 = 0x1013;
const DISPLAY_NAME: u16 = 0x3001;
const EMAIL_ADDRESS: u16 = 0x3003;
const ATTACH_DATA: u16 = 0x3701;
const ATTACH_FILENAME: u16 = 0x3704;
const ATTACH_METHOD: u16 = 0x3705;
const ATTACH_LONG_FILENAME: u16 = 0x3707;
const SMTP_ADDRESS: u16 = 0x39FE;
const INTERNET_CODEPAGE: u16 = 0x3FDE;
const MESSAGE_CODEPAGE: u16 = 0x3FFD;
const SENDER_SMTP: u16 = 0x5D01;
const SENT_REPRESENTING_SMTP: u16 = 0x5D02;

/// String properties that are not read among the "other properties": read
/// above already, or identifiers and names of things rather than people.
const NOT_OTHER: &[u16] = &[
    0x001A, // message class
    SUBJECT,
    SENT_REPRESENTING_NAME,
    SENT_REPRESENTING_EMAIL,
    0x0064, // address types
    0x0070, // conversation topic (the subject)
    0x0C1E,
    TRANSPORT_HEADERS,
    SENDER_NAME,
    SENDER_EMAIL,
    DISPLAY_BCC,
    DISPLAY_CC,
    DISPLAY_TO,
    0x0E1D, // normalized subject
    BODY,
    RTF_COMPRESSED,
    HTML,
    0x1035, // message id
    0x1039, // references
    0x1042, // in reply to
    0x3FFA, // last modifier (also in the headers)
    SENDER_SMTP,
    SENT_REPRESENTING_SMTP,
    0x5D0A, // creator smtp (the sender)
    0x5D0B, // last modifier smtp (the sender)
];

/// The properties of one storage (message, recipient or attachment).
#[derive(Default)]
struct Props {
    /// String properties, in stream order.
    strings: Vec<(u16, String)>,
    /// Fixed 32-bit properties.
    fixed: Vec<(u16, u32)>,
}

impl Props {
    fn string(&self, id: u16) -> Option<&str> {
        self.strings
            .iter()
            .find(|(i, s)| *i == id && !s.trim().is_empty())
            .map(|(_, s)| s.trim())
    }

    fn fixed(&self, id: u16) -> Option<u32> {
        self.fixed.iter().find(|(i, _)| *i == id).map(|(_, v)| *v)
    }
}

/// Extracts an Outlook item and its attachments.
pub fn extract(
    ole: &mut Ole<'_>,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    read_message(ole, "", cx, sink)
}

/// Reads the message in storage `root` (`""`: the file's root).
fn read_message(
    ole: &mut Ole<'_>,
    root: &str,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let limit = cx.limits.max_document_bytes as usize;
    let entries = children(ole, root);
    let header = if root.is_empty() { 32 } else { 24 };
    let props = read_props(ole, &entries, header, limit, encoding_rs::WINDOWS_1252)?;
    let encoding = [INTERNET_CODEPAGE, MESSAGE_CODEPAGE]
        .iter()
        .find_map(|id| props.fixed(*id).and_then(crate::extract::rtf::codepage))
        .unwrap_or(encoding_rs::WINDOWS_1252);
    // Strings were read as UTF-16 or Windows-1252: 8-bit ones again with
    // the message's code page.
    let props = if encoding == encoding_rs::WINDOWS_1252 {
        props
    } else {
        read_props(ole, &entries, header, limit, encoding)?
    };

    let mut out = String::new();
    let mut emitted: Vec<&str> = Vec::new();
    let mut line = |out: &mut String, name: &'static str, value: &str| {
        let value = value.replace(['\r', '\n'], " ");
        if !value.trim().is_empty() {
            out.push_str(name);
            out.push_str(": ");
            out.push_str(value.trim());
            out.push('\n');
            emitted.push(name);
        }
    };
    let from = mailbox(
        props.string(SENT_REPRESENTING_NAME),
        props
            .string(SENT_REPRESENTING_SMTP)
            .or(props.string(SENT_REPRESENTING_EMAIL)),
    );
    let sender = mailbox(
        props.string(SENDER_NAME),
        props.string(SENDER_SMTP).or(props.string(SENDER_EMAIL)),
    );
    match (from.is_empty(), sender.is_empty()) {
        (false, false) if from != sender => {
            line(&mut out, "From", &from);
            line(&mut out, "Sender", &sender);
        }
        (false, _) => line(&mut out, "From", &from),
        (true, _) => line(&mut out, "From", &sender),
    }
    let recipients = recipients(ole, &entries, limit, encoding, cx)?;
    for (kind, name, display) in [
        (1, "To", DISPLAY_TO),
        (2, "Cc", DISPLAY_CC),
        (3, "Bcc", DISPLAY_BCC),
    ] {
        let list: Vec<&str> = recipients
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, m)| m.as_str())
            .collect();
        if list.is_empty() {
            line(&mut out, name, props.string(display).unwrap_or(""));
        } else {
            line(&mut out, name, &list.join(", "));
        }
    }
    line(&mut out, "Subject", props.string(SUBJECT).unwrap_or(""));
    if let Some(headers) = props.string(TRANSPORT_HEADERS) {
        let raw = format!("{headers}\r\n\r\n");
        if let Some(m) = mail_parser::MessageParser::default().parse_headers(raw.as_bytes()) {
            out.push_str(&header_lines(&m, &emitted));
        }
    }
    out.push('\n');
    let body = body(ole, &props, &entries, limit, encoding, cx);
    out.push_str(&body);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push('\n');
    for (id, value) in &props.strings {
        if !NOT_OTHER.contains(id) && !value.trim().is_empty() {
            out.push_str(value.trim());
            out.push('\n');
        }
    }
    text::extract_utf8(&out, cx, sink)?;
    attachments(ole, &entries, limit, encoding, cx, sink)
}

/// `Name <address>`, the address alone, or the name alone.
fn mailbox(name: Option<&str>, address: Option<&str>) -> String {
    // Exchange's X.500 addresses (`/O=…/CN=…`) are no mailboxes.
    let address = address.filter(|a| a.contains('@'));
    match (name, address) {
        (Some(n), Some(a)) if n != a => format!("{n} <{a}>"),
        (_, Some(a)) => a.to_string(),
        (Some(n), None) => n.to_string(),
        (None, None) => String::new(),
    }
}

/// A storage's children: (name, path, is a stream).
fn children(ole: &Ole<'_>, root: &str) -> Vec<(String, String, bool)> {
    let path = if root.is_empty() { "/" } else { root };
    match ole.read_storage(path) {
        Ok(entries) => entries
            .map(|e| {
                (
                    e.name().to_string(),
                    e.path().to_string_lossy().into_owned(),
                    e.is_stream(),
                )
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The id and type of a property stream's name.
fn property(name: &str) -> Option<(u16, u16)> {
    let tag = name.strip_prefix(SUBSTG)?;
    if tag.len() != 8 {
        return None;
    }
    let id = u16::from_str_radix(tag.get(..4)?, 16).ok()?;
    let kind = u16::from_str_radix(tag.get(4..)?, 16).ok()?;
    Some((id, kind))
}

/// The string and fixed properties of a storage whose fixed properties
/// have a `header` of that many bytes (see [`fixed`]).
fn read_props(
    ole: &mut Ole<'_>,
    entries: &[(String, String, bool)],
    header: usize,
    limit: usize,
    encoding: &'static Encoding,
) -> Result<Props, ExtractError> {
    let mut props = Props::default();
    for (name, path, is_stream) in entries {
        if !is_stream {
            continue;
        }
        if name == PROPERTIES {
            props.fixed = fixed(&stream(ole, path, limit, "msg")?, header);
            continue;
        }
        let Some((id, kind)) = property(name) else {
            continue;
        };
        let value = match kind {
            0x001F => utf16(&stream(ole, path, limit, "msg")?),
            0x001E => {
                let bytes = stream(ole, path, limit, "msg")?;
                encoding.decode_without_bom_handling(&bytes).0.into_owned()
            }
            _ => continue,
        };
        props
            .strings
            .push((id, value.trim_end_matches('\0').to_string()));
    }
    Ok(props)
}

/// The 32-bit fixed properties of a `__properties_version1.0` stream,
/// whose header is 32 bytes in a top-level message, 24 in an attached one,
/// 8 in a recipient or attachment; entries are 16 bytes.
fn fixed(b: &[u8], header: usize) -> Vec<(u16, u32)> {
    let mut out = Vec::new();
    let mut i = header;
    while let (Some(kind), Some(id), Some(value)) =
        (u16_at(b, i), u16_at(b, i + 2), u32_at(b, i + 8))
    {
        // Only 32-bit integers (PtypInteger32) are needed here.
        if kind == 0x0003 {
            out.push((id, value));
        }
        i += 16;
    }
    out
}

/// The recipients: (type: 1 To, 2 Cc, 3 Bcc; mailbox).
fn recipients(
    ole: &mut Ole<'_>,
    entries: &[(String, String, bool)],
    limit: usize,
    encoding: &'static Encoding,
    cx: &Cx<'_>,
) -> Result<Vec<(u32, String)>, ExtractError> {
    let mut out = Vec::new();
    for (name, path, is_stream) in entries {
        if *is_stream || !name.starts_with("__recip_version1.0_") || cx.deadline.is_over() {
            continue;
        }
        let inner = children(ole, path);
        let p = read_props(ole, &inner, 8, limit, encoding)?;
        let address = p.string(SMTP_ADDRESS).or(p.string(EMAIL_ADDRESS));
        let m = mailbox(p.string(DISPLAY_NAME), address);
        if !m.is_empty() {
            out.push((p.fixed(RECIPIENT_TYPE).unwrap_or(1), m));
        }
    }
    Ok(out)
}

/// The message's body as text: plain, else HTML, else compressed RTF.
fn body(
    ole: &mut Ole<'_>,
    props: &Props,
    entries: &[(String, String, bool)],
    limit: usize,
    encoding: &'static Encoding,
    cx: &mut Cx<'_>,
) -> String {
    if let Some(b) = props.string(BODY) {
        return b.to_string();
    }
    if let Some(h) = props.string(HTML) {
        return html_to_text(h);
    }
    let binary = |ole: &mut Ole<'_>, id: u16| -> Option<Vec<u8>> {
        let (_, path, _) = entries
            .iter()
            .find(|(n, _, s)| *s && property(n) == Some((id, 0x0102)))?;
        stream(ole, path, limit, "msg").ok()
    };
    if let Some(h) = binary(ole, HTML) {
        return html_to_text(&encoding.decode(&h).0);
    }
    if let Some(rtf) = binary(ole, RTF_COMPRESSED).and_then(|c| lzfu::decompress(&c, limit)) {
        let mut text = Collect::default();
        if crate::extract::rtf::extract(&rtf, cx, &mut text).is_ok() {
            return text.0;
        }
    }
    String::new()
}

/// Paragraph units gathered into one text, a line each.
#[derive(Default)]
struct Collect(String, u64);

impl UnitSink for Collect {
    fn unit(&mut self, l: &Located<'_>) {
        if let Origin::Text { line, column, .. } = l.origin {
            if column == 0 {
                for _ in self.1..line.min(self.1 + 1000) {
                    self.0.push('\n');
                }
            }
            self.1 = line;
        }
        self.0.push_str(&l.unit.text.replace(LINE_BREAK, "\n"));
    }
}

/// Reads each attachment as a member.
fn attachments(
    ole: &mut Ole<'_>,
    entries: &[(String, String, bool)],
    limit: usize,
    encoding: &'static Encoding,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let mut n = 0;
    for (name, path, is_stream) in entries {
        if *is_stream || !name.starts_with("__attach_version1.0_") {
            continue;
        }
        if cx.deadline.is_over() {
            break;
        }
        n += 1;
        let inner = children(ole, path);
        let p = read_props(ole, &inner, 8, limit, encoding)?;
        // The file name, never the display name: an attached message's is
        // its subject, which may hold a name (entries are printed unmasked).
        let file_name = p
            .string(ATTACH_LONG_FILENAME)
            .or(p.string(ATTACH_FILENAME))
            .map(str::to_string);
        let data = inner
            .iter()
            .find(|(n, _, s)| *s && property(n) == Some((ATTACH_DATA, 0x0102)));
        let object = inner
            .iter()
            .find(|(n, _, s)| !*s && property(n) == Some((ATTACH_DATA, 0x000D)));
        if let Some((_, data_path, _)) = data {
            let bytes = stream(ole, data_path, limit, "msg")?;
            let name = file_name.unwrap_or_else(|| format!("attachment {n}"));
            extract_member(&name, &bytes, cx, sink);
        } else if let Some((_, object_path, _)) = object {
            let object_path = object_path.clone();
            let is_message = ole.is_stream(format!("{object_path}/{PROPERTIES}"))
                && p.fixed(ATTACH_METHOD) != Some(6);
            let name = file_name.unwrap_or_else(|| format!("attachment {n}.msg"));
            if is_message {
                in_member(&name, cx, sink, |cx, sink| {
                    read_message(ole, &object_path, cx, sink)
                        .map(|()| (Format::Legacy(LegacyFormat::Msg), 0))
                });
            } else {
                sink.not_covered(&format!("{name}: embedded OLE object, not read"));
            }
        }
    }
    Ok(())
}
