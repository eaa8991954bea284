//! PowerPoint 97–2003 presentations ([MS-PPT]).
//!
//! The `PowerPoint Document` stream is a tree of records. Text is in
//! `TextCharsAtom` (UTF-16) and `TextBytesAtom` (8-bit) records: in the
//! `SlideListWithText` lists (placeholders' text, slide after slide, each
//! slide starting at a `SlidePersistAtom`) and in the shapes of each slide's
//! drawing; comments, hyperlinks' addresses and names of things are in
//! `CString` records, read too.
//! The persist directory (`PersistDirectoryAtom` records) maps the
//! persist ids of the slide list to the slides' records, so that text in a
//! slide's shapes is located on the right slide. Each slide, notes page and
//! the masters are parts ("slide 3", "notes 3", "masters"); each paragraph
//! (`\r` in a text record) is a unit located by its number in the part.
//! Records of old edits still in the file (fast saves) are read too: what
//! a file holds is what matters to an inventory.
//!
//! An encrypted presentation is recognised by the `Current User` stream's
//! header token, or a `CryptSession10Container` record.

use super::paragraphs::Paragraphs;
use super::{corrupt, encrypted, has_stream, stream, u16_at, u32_at, utf16, Ole};
use crate::extract::markup::common::LINE_BREAK;
use crate::extract::{Cx, ExtractError, UnitSink};
use std::collections::HashMap;

const SLIDE: u16 = 0x03EE;
const NOTES: u16 = 0x03F0;
const MAIN_MASTER: u16 = 0x03F8;
const SLIDE_PERSIST_ATOM: u16 = 0x03F3;
const SLIDE_LIST_WITH_TEXT: u16 = 0x0FF0;
const TEXT_CHARS_ATOM: u16 = 0x0FA0;
const TEXT_BYTES_ATOM: u16 = 0x0FA8;
const CSTRING: u16 = 0x0FBA;
const PERSIST_DIRECTORY_ATOM: u16 = 0x1772;
const CRYPT_SESSION10: u16 = 0x2F14;

/// The `Current User` header token of an encrypted presentation.
const ENCRYPTED_TOKEN: u32 = 0xF3D1_C4DF;

/// Containers nested deeper than this are not entered.
const MAX_DEPTH: usize = 64;

/// Persist directory entries kept, at most.
const MAX_PERSIST: usize = 1 << 20;

/// One record's header.
#[derive(Clone, Copy)]
struct Header {
    container: bool,
    instance: u16,
    kind: u16,
    /// Where the record's body starts and ends in the stream.
    body: usize,
    end: usize,
}

fn header(s: &[u8], at: usize, limit: usize) -> Option<Header> {
    let ver_inst = u16_at(s, at)?;
    let kind = u16_at(s, at + 2)?;
    let len = u32_at(s, at + 4)? as usize;
    let body = at.checked_add(8).filter(|&b| b <= limit)?;
    Some(Header {
        container: ver_inst & 0x000F == 0x000F,
        instance: ver_inst >> 4,
        kind,
        body,
        end: body.saturating_add(len).min(limit),
    })
}

/// Extracts the text of a presentation.
pub fn extract(
    ole: &mut Ole<'_>,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let limit = cx.limits.max_document_bytes as usize;
    if has_stream(ole, "/Current User") {
        let user = stream(ole, "/Current User", 64, "ppt")?;
        if u32_at(&user, 12) == Some(ENCRYPTED_TOKEN) {
            return Err(encrypted("ppt"));
        }
    }
    let doc = stream(ole, "/PowerPoint Document", limit, "ppt")?;
    if header(&doc, 0, doc.len()).is_none() {
        return Err(corrupt("ppt", &"no records"));
    }
    let places = Places::read(&doc, cx)?;
    let mut r = Reader {
        places,
        parts: Vec::new(),
        sink,
    };
    r.walk(&doc, cx);
    Ok(())
}

/// Which slide or notes page each record offset is, from the slide lists
/// and the persist directory.
#[derive(Default)]
struct Places {
    /// Offset of a slide's or notes page's record → its part name.
    by_offset: HashMap<usize, String>,
}

impl Places {
    /// First pass over the top-level records.
    fn read(doc: &[u8], cx: &Cx<'_>) -> Result<Self, ExtractError> {
        let mut persist: HashMap<u32, usize> = HashMap::new();
        // (persist id, part name) in slide-list order.
        let mut lists: Vec<(u32, String)> = Vec::new();
        let mut at = 0;
        while let Some(h) = header(doc, at, doc.len()) {
            if cx.deadline.is_over() {
                break;
            }
            match h.kind {
                CRYPT_SESSION10 => return Err(encrypted("ppt")),
                PERSIST_DIRECTORY_ATOM => persist_entries(&doc[h.body..h.end], &mut persist),
                _ if h.container => slide_lists(doc, h, &mut lists),
                _ => {}
            }
            if h.end <= at {
                break;
            }
            at = h.end;
        }
        let mut by_offset = HashMap::new();
        for (id, name) in lists {
            if let Some(&offset) = persist.get(&id) {
                by_offset.insert(offset, name);
            }
        }
        Ok(Places { by_offset })
    }
}

/// The entries of a `PersistDirectoryAtom`: runs of (first id, count)
/// followed by that many offsets; later entries override earlier ones.
fn persist_entries(b: &[u8], out: &mut HashMap<u32, usize>) {
    let mut i = 0;
    while let Some(head) = u32_at(b, i) {
        let (first, count) = (head & 0x000F_FFFF, head >> 20);
        i += 4;
        for k in 0..count {
            let Some(offset) = u32_at(b, i) else { return };
            i += 4;
            if out.len() < MAX_PERSIST {
                out.insert(first.saturating_add(k), offset as usize);
            }
        }
    }
}

/// The slide lists inside a (document) container: slides (instance 0) and
/// notes (instance 2), numbered in their order.
fn slide_lists(doc: &[u8], outer: Header, out: &mut Vec<(u32, String)>) {
    let mut at = outer.body;
    while let Some(h) = header(doc, at, outer.end) {
        if h.kind == SLIDE_LIST_WITH_TEXT && h.container {
            let prefix = match h.instance {
                0 => "slide",
                2 => "notes",
                _ => "masters",
            };
            let mut n = 0;
            let mut inner = h.body;
            while let Some(a) = header(doc, inner, h.end) {
                if a.kind == SLIDE_PERSIST_ATOM && prefix != "masters" {
                    n += 1;
                    if let Some(id) = u32_at(doc, a.body) {
                        out.push((id, format!("{prefix} {n}")));
                    }
                }
                if a.end <= inner {
                    break;
                }
                inner = a.end;
            }
        }
        if h.end <= at {
            break;
        }
        at = h.end;
    }
}

/// A container being read.
struct Open {
    end: usize,
    /// The part it is (a slide, notes page or master).
    part: Option<String>,
}

/// The second pass: text records to their parts.
struct Reader<'s> {
    places: Places,
    /// Parts met so far with their paragraphs (numbering goes on when a
    /// part's text comes in several places).
    parts: Vec<(String, Paragraphs)>,
    sink: &'s mut dyn UnitSink,
}

impl Reader<'_> {
    fn walk(&mut self, doc: &[u8], cx: &Cx<'_>) {
        let mut open: Vec<Open> = Vec::new();
        // Inside a slide list: (instance, end, slides met, current part).
        let mut list: Option<(u16, usize, u32, String)> = None;
        let mut at = 0;
        let mut steps = 0u32;
        while at < doc.len() {
            steps = steps.wrapping_add(1);
            if steps.is_multiple_of(4096) && cx.deadline.expired() {
                return;
            }
            while open.last().is_some_and(|o| at >= o.end) {
                open.pop();
            }
            if list.as_ref().is_some_and(|l| at >= l.1) {
                list = None;
            }
            let limit = open.last().map_or(doc.len(), |o| o.end);
            let Some(h) = header(doc, at, limit) else {
                break;
            };
            let current = open
                .iter()
                .rev()
                .find_map(|o| o.part.clone())
                .or_else(|| list.as_ref().map(|l| l.3.clone()))
                .unwrap_or_default();
            match h.kind {
                SLIDE_LIST_WITH_TEXT if h.container => {
                    list = Some((h.instance, h.end, 0, String::new()));
                }
                SLIDE_PERSIST_ATOM => {
                    if let Some((inst, _, n, part)) = list.as_mut() {
                        *n += 1;
                        *part = match inst {
                            0 => format!("slide {n}"),
                            2 => format!("notes {n}"),
                            _ => "masters".into(),
                        };
                    }
                }
                TEXT_CHARS_ATOM => self.text(&current, &utf16(&doc[h.body..h.end])),
                TEXT_BYTES_ATOM => {
                    let (t, _, _) = encoding_rs::WINDOWS_1252.decode(&doc[h.body..h.end]);
                    self.text(&current, &t);
                }
                // Names and labels: comments' authors and text, hyperlinks,
                // slide and theme names.
                CSTRING => self.text(&current, &utf16(&doc[h.body..h.end])),
                _ => {}
            }
            if h.container && open.len() < MAX_DEPTH {
                let part = match h.kind {
                    SLIDE | NOTES | MAIN_MASTER => Some(match self.places.by_offset.get(&at) {
                        Some(n) => n.clone(),
                        None if h.kind == MAIN_MASTER => "masters".into(),
                        None if h.kind == NOTES => "notes".into(),
                        None => "slides".into(),
                    }),
                    _ => None,
                };
                open.push(Open { end: h.end, part });
                at = h.body;
                continue;
            }
            if h.end <= at {
                break;
            }
            at = h.end;
        }
    }

    /// A text record's paragraphs, in part `name` (`""`: no part).
    fn text(&mut self, name: &str, text: &str) {
        let k = match self.parts.iter().position(|(n, _)| n == name) {
            Some(k) => k,
            None => {
                self.parts.push((name.to_string(), Paragraphs::default()));
                self.parts.len() - 1
            }
        };
        if !name.is_empty() {
            self.sink.enter_part(name);
        }
        let p = &mut self.parts[k].1;
        for c in text.chars() {
            match c {
                '\r' | '\n' => p.end(self.sink),
                '\u{b}' => p.push(LINE_BREAK, self.sink),
                '\t' => p.push('\t', self.sink),
                '\u{a0}' => p.push(' ', self.sink),
                c if c.is_control() => {}
                c => p.push(c, self.sink),
            }
        }
        // A text record ends its last paragraph.
        p.end(self.sink);
        if !name.is_empty() {
            self.sink.leave_part();
        }
    }
}
