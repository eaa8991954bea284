//! Markup read as text: HTML pages and newsletter exports, XML, JSON and
//! YAML exports of tenant or applicant databases.
//!
//! Locations are lines of the original file, so that a user can open it and
//! find the value:
//! - HTML becomes a text with exactly the source's lines: tags and
//!   `<script>`/`<style>` content are dropped but their newlines kept, entities
//!   are decoded, block elements (`p`, `td`, `br`…) separate text with a tab,
//!   and the address of a `mailto:`/`tel:` link is added when the link's text
//!   does not show it. That text is then read as plain text (columns count
//!   characters of the extracted text, so they are approximate). Comments
//!   are not shown but what they say is on the file share: each is a unit of
//!   its own, after the text, of column kind [`HIDDEN`] (its findings are
//!   kept at a lower confidence).
//! - XML: each text node and attribute value is a unit; an element or
//!   attribute named like a known column (`date_naissance`, `telephone`)
//!   gives its kind, as a CSV header does. Custom entities are never expanded.
//! - JSON: each string and number is a unit; an object member's key gives
//!   its kind. Nesting is tracked on the heap: deep input cannot overflow
//!   the stack.
//! - YAML: each scalar is a unit; mappings are records as JSON objects are
//!   (one walk for both), one document after another. Aliases are not
//!   expanded; a stream that stops parsing is read as text from there.
//!
//! A line break written as an escape inside a value (JSON `\n`) becomes
//! U+2028, as in office documents: a line for the detectors, not a line of
//! the file.

pub(crate) mod common;
mod html;
mod json;
mod parts;
pub(crate) mod rows;
pub(crate) mod vcard;
mod xml;
mod yaml;

use super::{Cx, ExtractError, Located, MarkupFormat, Origin, UnitSink, SNIFF_LEN};
use crate::detect::engine::HIDDEN;
use crate::model::Unit;
use encoding_rs::{Encoding, UTF_8};
use std::borrow::Cow;

/// Extracts the text units of a markup document held in memory.
pub fn extract(
    kind: MarkupFormat,
    data: &[u8],
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let text = decode(data, kind == MarkupFormat::Html);
    match kind {
        MarkupFormat::Html => {
            let mut out = String::with_capacity(text.len());
            let mut comments = Vec::new();
            html::html_text(&text, &mut out, &mut comments);
            let bytes = out.as_bytes();
            super::text::extract_utf8(&out, cx, sink)?;
            // After the text, as units of their own: their offsets follow
            // the text's, their lines are where they are written.
            let mut offset = bytes.len() as u64 + 1;
            for c in &comments {
                if c.text.trim().is_empty() {
                    continue;
                }
                sink.unit(&Located {
                    unit: Unit {
                        text: &c.text,
                        report: 0..c.text.len(),
                        column_kind: Some(HIDDEN),
                        regex_free: false,
                    },
                    origin: Origin::Text {
                        line: c.line,
                        column: c.column,
                        offset,
                    },
                });
                offset += c.text.len() as u64 + 1;
            }
            Ok(())
        }
        MarkupFormat::Xml => xml::xml(&text, cx.columns, cx.deadline, sink),
        MarkupFormat::Json => json::json(&text, cx.columns, cx.deadline, sink),
        MarkupFormat::Yaml => yaml::yaml(&text, cx, sink),
        MarkupFormat::Vcard | MarkupFormat::Calendar => vcard::vcard(&text, cx, sink),
    }
}

/// Reads a JSON or XML file (`kind`) in UTF-8 as it is read, whose first
/// bytes are `head` and the rest `rest`, in parts (see [`parts::stream`]):
/// a JSON part ends at a line break outside any value or after a comma
/// between the elements of an array of records, the top-level value or
/// nested in objects (`{"locataires": [...]}`, see [`json::Cuts`]); a value
/// written on one line is one part. An XML part ends at a line break
/// between two records (`<locataire>` elements in `<locataires>`, see
/// [`xml::Cuts`]). Returns the bytes read.
pub fn stream(
    kind: MarkupFormat,
    head: &[u8],
    rest: &mut dyn std::io::Read,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<u64, ExtractError> {
    let (limit, columns, deadline) = (cx.limits.max_document_bytes, cx.columns, cx.deadline);
    match kind {
        MarkupFormat::Xml => parts::stream::<xml::Cuts>(head, rest, limit, columns, deadline, sink),
        _ => parts::stream::<json::Cuts>(head, rest, limit, columns, deadline, sink),
    }
}

/// The text of `data`: a byte-order mark wins, then valid UTF-8, then (HTML)
/// a `<meta charset>` near the start, then Windows-1252.
fn decode(data: &[u8], html: bool) -> Cow<'_, str> {
    let head = &data[..data.len().min(SNIFF_LEN)];
    let (mut encoding, bom, wide) =
        super::text::sniff_encoding(head).map_or((UTF_8, 0, None), |c| (c.encoding, c.bom, c.wide));
    let body = &data[bom..];
    if let Some(wide) = wide {
        let mut text = String::new();
        // Reading memory cannot fail, and the reader gives UTF-8.
        let _ =
            std::io::Read::read_to_string(&mut super::text::WideReader::new(body, wide), &mut text);
        return Cow::Owned(text);
    }
    if bom == 0 {
        if let Ok(s) = std::str::from_utf8(body) {
            return Cow::Borrowed(s);
        }
        if html {
            encoding = meta_charset(&data[..data.len().min(1024)]).unwrap_or(encoding);
        }
    }
    encoding.decode_without_bom_handling(body).0
}

/// The encoding named by `charset=` in the first bytes of an HTML page.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let at = memchr::memmem::find(&lower, b"charset=")? + 8;
    let label: Vec<u8> = lower[at..]
        .iter()
        .skip_while(|b| matches!(b, b'"' | b'\'' | b' '))
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
        .copied()
        .collect();
    Encoding::for_label(&label)
}
