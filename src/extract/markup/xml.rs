//! XML: each text node and attribute value is a unit, typed by its element
//! or attribute name and located by its XPath too (local names; `[n]` for
//! the n-th sibling of one name, left out for the first); custom entities
//! are never expanded.

use super::common::{entity, truncated, unescape_into};
use super::rows::{push_step, Emitter, Names, RowCells};
use crate::extract::{Deadline, ExtractError, UnitSink};
use crate::model::columns::{ColumnRole, ColumnTable};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;

pub(super) fn xml(
    src: &str,
    columns: &ColumnTable,
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let mut reader = Reader::from_str(src);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_dangling_amp = true;
    let mut em = Emitter::new(src);
    let mut names = Names::new(columns);
    // Kinds of the open elements, innermost last, and whether each is an
    // object (a subject's record): an element with attributes or child
    // elements, not a leaf holding one value.
    let mut open: Vec<Option<&ColumnRole>> = Vec::new();
    let mut objects: Vec<bool> = Vec::new();
    // The keyed values of each open element's attributes and leaf
    // children (`<nom>`, `<code_postal>`): a row when it ends.
    let mut rows: Vec<RowCells> = Vec::new();
    // The XPath of the innermost open element, where each open element's
    // step starts, and the names of each one's children so far with their
    // count (the document's first): the index of the next of that name.
    let mut path = String::new();
    let mut bases: Vec<usize> = Vec::new();
    let mut children: Vec<Siblings> = vec![Siblings::default()];
    // The text node being read (split by references and CDATA) and where it starts.
    let mut text = String::new();
    let mut text_at = None;
    let mut value = String::new();
    loop {
        if deadline.is_over() {
            return Ok(());
        }
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(_) => {
                let at = reader.error_position() as usize;
                let line =
                    1 + memchr::memchr_iter(b'\n', &src.as_bytes()[..at.min(src.len())]).count();
                return Err(ExtractError::Corrupt {
                    format: "xml",
                    message: format!("malformed at line {line}: not read further"),
                });
            }
        };
        let piece = match &event {
            Event::Text(t) => Some((String::from_utf8_lossy(t), before)),
            Event::CData(t) => Some((String::from_utf8_lossy(t), before + 9)),
            Event::GeneralRef(r) => Some(match entity(r) {
                Some(c) => (Cow::Owned(c.to_string()), before),
                None => (
                    Cow::Owned(format!("&{};", String::from_utf8_lossy(r))),
                    before,
                ),
            }),
            _ => None,
        };
        if let Some((s, at)) = piece {
            text_at.get_or_insert(at);
            text.push_str(&s);
            continue;
        }
        if let Some(at) = text_at.take() {
            let role = open.last().copied().flatten();
            let origin = em.emit(&text, at, role.map(|r| r.kind.as_str()), &path, sink);
            if let Some(parent) = rows.len().checked_sub(2).and_then(|i| rows.get_mut(i)) {
                parent.keep(role, &text, origin);
            }
            text.clear();
        }
        match event {
            Event::Start(e) => {
                if let Some(parent) = objects.last_mut().filter(|o| !**o) {
                    *parent = true;
                    sink.begin_object();
                }
                bases.push(path.len());
                if let Some(c) = children.last_mut() {
                    c.step(&e, &mut names, &mut path);
                }
                children.push(Siblings::default());
                let (object, row) = open_element(
                    &e, before, src, &mut names, &mut em, &mut value, &mut path, sink,
                );
                open.push(names.role(e.local_name().as_ref()));
                objects.push(object);
                rows.push(row);
            }
            Event::Empty(e) => {
                let base = path.len();
                if let Some(c) = children.last_mut() {
                    c.step(&e, &mut names, &mut path);
                }
                let (object, mut row) = open_element(
                    &e, before, src, &mut names, &mut em, &mut value, &mut path, sink,
                );
                row.flush(&path, sink);
                path.truncate(base);
                if object {
                    sink.end_object();
                }
            }
            Event::End(_) => {
                open.pop();
                if let Some(mut row) = rows.pop() {
                    row.flush(&path, sink);
                }
                if objects.pop() == Some(true) {
                    sink.end_object();
                }
                path.truncate(bases.pop().unwrap_or(0));
                if children.len() > 1 {
                    children.pop();
                }
            }
            Event::Eof if open.is_empty() => {
                sink.record_path(None);
                return Ok(());
            }
            Event::Eof => return Err(truncated("xml")),
            _ => {}
        }
    }
}

/// The names of an element's children read so far, with their count.
#[derive(Default)]
struct Siblings(Vec<(Vec<u8>, u32)>);

impl Siblings {
    /// Distinct names counted: past them, a child is written without index.
    const MAX: usize = 256;

    /// Appends the step of child `e` to `path`.
    fn step(&mut self, e: &BytesStart<'_>, names: &mut Names<'_>, path: &mut String) {
        let name = e.local_name();
        let name = name.as_ref();
        let nth = match self.0.iter().position(|(n, _)| n == name) {
            Some(i) => {
                self.0[i].1 += 1;
                self.0[i].1
            }
            None => {
                if self.0.len() < Self::MAX {
                    self.0.push((name.to_vec(), 1));
                }
                1
            }
        };
        let show = names.name(name).1;
        push_step(path, false, &String::from_utf8_lossy(name), show, nth);
    }
}

/// An element starts (its step is at the end of `path`): an object (a
/// subject's record) when it has attributes, whose values are emitted,
/// typed by their names, and kept as the element's row.
#[allow(clippy::too_many_arguments)]
pub(super) fn open_element<'c>(
    e: &BytesStart<'_>,
    tag_at: usize,
    src: &str,
    names: &mut Names<'c>,
    em: &mut Emitter<'_>,
    value: &mut String,
    path: &mut String,
    sink: &mut dyn UnitSink,
) -> (bool, RowCells<'c>) {
    let object = e.attributes().next().is_some();
    if object {
        sink.begin_object();
    }
    let mut row = RowCells::default();
    for a in e.attributes().with_checks(false).flatten() {
        let key = a.key.as_ref();
        if key == b"xmlns" || key.starts_with(b"xmlns:") {
            continue;
        }
        // The value borrows from the source: its address gives its line.
        let at = (a.value.as_ptr() as usize)
            .checked_sub(src.as_ptr() as usize)
            .filter(|&at| at < src.len())
            .unwrap_or(tag_at);
        value.clear();
        unescape_into(&String::from_utf8_lossy(&a.value), value);
        let name = a.key.local_name();
        let (role, show) = names.name(name.as_ref());
        let base = path.len();
        push_step(path, true, &String::from_utf8_lossy(name.as_ref()), show, 1);
        let origin = em.emit(value, at, role.map(|r| r.kind.as_str()), path, sink);
        path.truncate(base);
        row.keep(role, value, origin);
    }
    (object, row)
}
