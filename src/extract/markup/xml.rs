//! XML: each text node and attribute value is a unit, typed by its element
//! or attribute name and located by its XPath too (local names; `[n]` for
//! the n-th sibling of one name, left out for the first); custom entities
//! are never expanded. A large export is read part by part (see [`Cuts`]).

use super::common::{entity, truncated, unescape_into};
use super::parts::{Cut, PartReader, Scanner, Start};
use super::rows::{push_step, Emitter, Names, RowCells};
use crate::extract::{Deadline, ExtractError, UnitSink};
use crate::model::columns::{ColumnRole, ColumnTable};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;
use std::sync::Arc;

pub(super) fn xml(
    src: &str,
    columns: &ColumnTable,
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    part(src, &Start::default(), None, columns, deadline, sink).map(|_| ())
}

/// Reads `src`, a part of an XML file starting at `start` (inside the
/// elements open there), which ends after its top-level element or, with
/// `open_end`, with that many elements open; returns the offset the next
/// part's first unit gets.
fn part(
    src: &str,
    start: &Start<Inside>,
    open_end: Option<usize>,
    columns: &ColumnTable,
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> Result<u64, ExtractError> {
    let mut reader = Reader::from_str(src);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_dangling_amp = true;
    // The end tags of elements opened in an earlier part are unmatched
    // here; one is told below when no element is open at all.
    config.allow_unmatched_ends = true;
    let mut em = Emitter::at(src, start.line, start.offset);
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
    // Those of closed elements, cleared, for the next ones.
    let mut spare: Vec<Siblings> = Vec::new();
    if let Some(inside) = &start.inside {
        if let Some(root) = inside.open.first() {
            children[0].count(&root.name);
        }
        for (i, e) in inside.open.iter().enumerate() {
            bases.push(path.len());
            let show = names.name(&e.name).1;
            push_step(
                &mut path,
                false,
                &String::from_utf8_lossy(&e.name),
                show,
                e.nth,
            );
            // The innermost element's children are counted up to the cut.
            let counted = if i + 1 == inside.open.len() {
                &inside.children
            } else {
                &e.children
            };
            children.push(counted.clone());
            open.push(names.role(&e.name));
            objects.push(e.object);
            rows.push(RowCells::default());
        }
    }
    // The text node being read (split by references and CDATA) and where it starts.
    let mut text = String::new();
    let mut text_at = None;
    let mut value = String::new();
    let malformed = |at: usize| {
        let line = start.line
            + memchr::memchr_iter(b'\n', &src.as_bytes()[..at.min(src.len())]).count() as u64;
        ExtractError::Corrupt {
            format: "xml",
            message: format!("malformed at line {line}: not read further"),
        }
    };
    loop {
        if deadline.is_over() {
            return Ok(em.next_offset());
        }
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(_) => return Err(malformed(reader.error_position() as usize)),
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
                children.push(spare.pop().unwrap_or_default());
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
                if open.pop().is_none() {
                    return Err(malformed(before));
                }
                if let Some(mut row) = rows.pop() {
                    row.flush(&path, sink);
                }
                if objects.pop() == Some(true) {
                    sink.end_object();
                }
                path.truncate(bases.pop().unwrap_or(0));
                if children.len() > 1 {
                    if let Some(mut c) = children.pop() {
                        c.clear();
                        spare.push(c);
                    }
                }
            }
            Event::Eof if open.is_empty() => {
                sink.record_path(None);
                return Ok(em.next_offset());
            }
            Event::Eof if open_end == Some(open.len()) => {
                // The part ends between records: the open elements' rows
                // so far are theirs (the part that closes them hands over
                // the rest).
                for (k, row) in rows.iter_mut().enumerate().rev() {
                    let end = bases.get(k + 1).copied().unwrap_or(path.len());
                    row.flush(&path[..end], sink);
                }
                return Ok(em.next_offset());
            }
            Event::Eof => return Err(truncated("xml")),
            _ => {}
        }
    }
}

/// A place between two records of an XML file: the elements open there,
/// outermost first, and the innermost one's children so far.
#[derive(Clone)]
pub(super) struct Inside {
    open: Arc<[Element]>,
    children: Siblings,
}

/// An open element, as the reader sees it.
#[derive(Clone, Default)]
struct Element {
    /// Its local name.
    name: Vec<u8>,
    /// Its index among its parent's children of its name (1-based).
    nth: u32,
    /// Its children so far, counted by name.
    children: Siblings,
    /// An object to the reader: it has attributes, or a child element
    /// that is not empty.
    object: bool,
    /// It has child elements.
    parent: bool,
}

/// Where a part of an XML file may end: at a line break between two
/// records, elements with child elements (or empty ones with attributes)
/// repeated under one parent (`<locataire>` in `<locataires>`), the
/// shallowest such seen so far (a list inside a record is no place to cut
/// the record's members apart); only blanks between the record before, the
/// line break and the next tag. Elements nested deeper than [`Cuts::OPEN`]
/// are counted, not tracked, and hold no records.
#[derive(Default)]
pub(super) struct Cuts {
    /// The open elements tracked, outermost first: `open[..depth]` (those
    /// after keep their buffers for the next ones).
    open: Vec<Element>,
    depth: usize,
    /// The top-level elements, counted by name.
    top: Siblings,
    /// The number of elements open around the records: their parent's
    /// depth.
    level: Option<usize>,
    /// A construct begun before the block's end.
    pending: Option<Pending>,
    /// The text since the last markup is blank.
    blank: bool,
    /// A line break in that text, at the records' level: the place after it.
    line_end: Option<usize>,
    /// `open[..level]` as a cut gives them (kept between changes: a cut is
    /// found after every record).
    cached: Option<Arc<[Element]>>,
}

/// A markup construct being scanned: what it is, the position of its `<`,
/// how far it is scanned, the quote or DTD brackets it is in.
#[derive(Clone, Copy)]
struct Pending {
    what: Construct,
    from: usize,
    at: usize,
    quote: u8,
    brackets: u32,
}

#[derive(Clone, Copy, PartialEq)]
enum Construct {
    Tag,
    Comment,
    CData,
    Instruction,
    Declaration,
}

impl Pending {
    /// The construct starting at `b[0]` (a `<`), with where its end is
    /// looked for; `None` when too few bytes are there to tell.
    fn at(b: &[u8], from: usize) -> Option<Pending> {
        let (what, skip) = match b.get(1)? {
            b'?' => (Construct::Instruction, 2),
            b'!' if b.len() < 4 => return None,
            b'!' if b.starts_with(b"<!--") => (Construct::Comment, 4),
            b'!' if b[2] == b'[' && b.len() < 9 => return None,
            b'!' if b.starts_with(b"<![CDATA[") => (Construct::CData, 9),
            b'!' => (Construct::Declaration, 2),
            _ => (Construct::Tag, 1),
        };
        Some(Pending {
            what,
            from,
            at: from + skip,
            quote: 0,
            brackets: 0,
        })
    }

    /// The position after the construct's end in `b`, or `None` (then it
    /// is scanned on from where it was left).
    fn end(&mut self, b: &[u8]) -> Option<usize> {
        let close: &[u8] = match self.what {
            Construct::Comment => b"-->",
            Construct::CData => b"]]>",
            Construct::Instruction => b"?>",
            Construct::Tag => {
                let mut i = self.at;
                loop {
                    if self.quote != 0 {
                        let Some(k) = memchr::memchr(self.quote, &b[i..]) else {
                            break;
                        };
                        i += k + 1;
                        self.quote = 0;
                    }
                    match memchr::memchr3(b'>', b'"', b'\'', &b[i..]) {
                        Some(k) if b[i + k] == b'>' => return Some(i + k + 1),
                        Some(k) => {
                            self.quote = b[i + k];
                            i += k + 1;
                        }
                        None => break,
                    }
                }
                self.at = b.len();
                return None;
            }
            Construct::Declaration => {
                for (i, &c) in b.iter().enumerate().skip(self.at) {
                    match c {
                        _ if self.quote != 0 && c == self.quote => self.quote = 0,
                        _ if self.quote != 0 => {}
                        b'"' | b'\'' => self.quote = c,
                        b'[' => self.brackets += 1,
                        b']' => self.brackets = self.brackets.saturating_sub(1),
                        b'>' if self.brackets == 0 => return Some(i + 1),
                        _ => {}
                    }
                }
                self.at = b.len();
                return None;
            }
        };
        match memchr::memmem::find(&b[self.at.min(b.len())..], close) {
            Some(k) => Some(self.at + k + close.len()),
            None => {
                self.at = b.len().saturating_sub(close.len() - 1).max(self.at);
                None
            }
        }
    }
}

impl Cuts {
    /// How deep the records may be nested, and more.
    const OPEN: usize = 16;

    /// A tag, `t` from its `<` to its `>`.
    fn tag(&mut self, t: &[u8], last: &mut Option<Cut<Inside>>) {
        if t.get(1) == Some(&b'/') {
            if self.depth == 0 {
                return;
            }
            self.depth -= 1;
            if self.level.is_some_and(|l| self.depth < l) {
                self.cached = None;
            }
            if let Some(e) = self
                .open
                .get(self.depth)
                .filter(|_| self.depth < Self::OPEN)
            {
                if e.parent && e.nth >= 2 {
                    self.records_at(self.depth, last);
                }
            }
            return;
        }
        let inner = &t[1..t.len() - 1];
        let empty = inner.last() == Some(&b'/');
        let inner = if empty {
            &inner[..inner.len() - 1]
        } else {
            inner
        };
        let name_len = inner
            .iter()
            .position(u8::is_ascii_whitespace)
            .unwrap_or(inner.len());
        let qname = &inner[..name_len];
        let local = memchr::memchr(b':', qname).map_or(qname, |c| &qname[c + 1..]);
        let attributes = inner[name_len..].iter().any(|c| !c.is_ascii_whitespace());
        let d = self.depth;
        let above = self.level.is_some_and(|l| d < l);
        let nth = match d {
            0 => self.top.count(local),
            _ if d <= Self::OPEN => {
                let parent = &mut self.open[d - 1];
                parent.parent = true;
                if !empty && !parent.object {
                    parent.object = true;
                    self.cached = None;
                }
                parent.children.count(local)
            }
            _ => 0,
        };
        if above {
            self.cached = None;
        }
        if empty {
            if attributes && nth >= 2 {
                self.records_at(d, last);
            }
            return;
        }
        if d < Self::OPEN {
            if self.open.len() == d {
                self.open.push(Element::default());
            }
            let e = &mut self.open[d];
            e.name.clear();
            e.name.extend_from_slice(local);
            e.nth = nth;
            e.children.clear();
            e.object = attributes;
            e.parent = false;
        }
        self.depth += 1;
    }

    /// Records were found whose parent is at `depth`: parts end there
    /// from now on, if no shallower records were found.
    fn records_at(&mut self, depth: usize, last: &mut Option<Cut<Inside>>) {
        if self.level.is_none_or(|l| depth < l) {
            self.level = Some(depth);
            self.cached = None;
            // The places found deeper were inside a record.
            *last = None;
        }
    }

    /// The place after a line break at the records' level, `end`.
    fn cut(&mut self, end: usize) -> Cut<Inside> {
        let d = self.depth;
        let inside = (d > 0).then(|| {
            let open = &self.open;
            let open = self
                .cached
                .get_or_insert_with(|| open[..d].iter().cloned().collect())
                .clone();
            Inside {
                open,
                children: self.open[d - 1].children.clone(),
            }
        });
        Cut { end, inside }
    }
}

impl Scanner for Cuts {
    type Inside = Inside;
    const FORMAT: &'static str = "xml";

    fn depth(inside: &Inside) -> usize {
        inside.open.len()
    }

    const READ: PartReader<Inside> = part;

    fn scan(&mut self, b: &[u8], from: usize, last: &mut Option<Cut<Inside>>) -> usize {
        let mut i = from;
        loop {
            if let Some(mut p) = self.pending.take() {
                let Some(end) = p.end(b) else {
                    self.pending = Some(p);
                    return b.len();
                };
                if p.what == Construct::Tag {
                    self.tag(&b[p.from..end], last);
                }
                self.blank = true;
                self.line_end = None;
                i = end;
            }
            // Blanks matter only at the records' level.
            let here = self.level == Some(self.depth);
            let Some(k) = memchr::memchr2(b'<', b'\n', &b[i..]) else {
                self.blank &= here && b[i..].iter().all(u8::is_ascii_whitespace);
                return b.len();
            };
            let j = i + k;
            self.blank &= here && b[i..j].iter().all(u8::is_ascii_whitespace);
            if b[j] == b'\n' {
                if self.blank {
                    self.line_end = Some(j + 1);
                }
                i = j + 1;
                continue;
            }
            let Some(p) = Pending::at(&b[j..], j) else {
                return j;
            };
            if let Some(end) = self.line_end.take().filter(|_| self.blank) {
                *last = Some(self.cut(end));
            }
            self.pending = Some(p);
        }
    }

    fn shift(&mut self, by: usize) {
        if let Some(p) = &mut self.pending {
            p.from -= by;
            p.at -= by;
        }
        self.line_end = self.line_end.and_then(|e| e.checked_sub(by));
    }
}

/// The names of an element's children read so far, with their count; kept
/// in one buffer (a record's dozen fields cost no allocation each, once
/// the buffers are reused).
#[derive(Default, Clone)]
struct Siblings {
    names: Vec<u8>,
    /// Where each name ends in `names`, and its count.
    counts: Vec<(usize, u32)>,
}

impl Siblings {
    /// Distinct names counted: past them, a child is written without index.
    const MAX: usize = 256;

    /// Counts one more child named `name`; its index among those of its
    /// name (1-based).
    fn count(&mut self, name: &[u8]) -> u32 {
        let mut start = 0;
        for (end, n) in &mut self.counts {
            if &self.names[start..*end] == name {
                *n += 1;
                return *n;
            }
            start = *end;
        }
        if self.counts.len() < Self::MAX {
            self.names.extend_from_slice(name);
            self.counts.push((self.names.len(), 1));
        }
        1
    }

    fn clear(&mut self) {
        self.names.clear();
        self.counts.clear();
    }

    /// Appends the step of child `e` to `path`.
    fn step(&mut self, e: &BytesStart<'_>, names: &mut Names<'_>, path: &mut String) {
        let name = e.local_name();
        let name = name.as_ref();
        let nth = self.count(name);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::markup::parts::testing;
    use crate::extract::BLOCK;

    /// An export of `n` tenants in a document with a DTD, a namespace, a
    /// header, comments and CDATA holding tags and line breaks, attribute
    /// values holding `>`, a list inside each record, text between two
    /// records over two lines, and a list of empty elements with
    /// attributes after the tenants.
    fn export(n: usize) -> String {
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <!DOCTYPE export [\n <!ENTITY soc \"Soci\u{e9}t\u{e9}\">\n <!-- a > here -->\n]>\n\
             <ns:export xmlns:ns=\"urn:x\" date=\"2026-12-01\">\n \
             <entete><societe><nom>HLM &soc;</nom></societe></entete>\n \
             <!-- <locataire> \n > -->\n \
             <responsable nom=\"MARTIN\" prenom=\"Luc\"/>\n <locataires>\n",
        );
        for i in 0..n {
            s.push_str(&format!(
                "  <locataire id=\"{i}\">\n   <nom>NOM{i} &amp; fils</nom>\n   \
                 <enfants>\n    <enfant><prenom>A{i}</prenom></enfant>\n    \
                 <enfant><prenom>B{i}</prenom></enfant>\n   </enfants>\n   \
                 <prenom>Jean</prenom>\n   <telephone>06 12 34 {:02} {:02}</telephone>\n   \
                 <note><![CDATA[ <b>x</b>\n y ]]></note>\n   \
                 <adresse voie=\"{i} rue > du Port\"\n    ville=\"Brest\"/>\n  </locataire>\n",
                i % 100,
                i / 100 % 100
            ));
            if i == n / 2 {
                s.push_str("  texte libre\n  sur deux lignes\n");
            }
        }
        s.push_str(" </locataires>\n <lignes>\n");
        for i in 0..n {
            s.push_str(&format!(
                "  <ligne compte=\"411{i}\" libelle=\"loyer\"\n   montant=\"{i},00\"/>\n"
            ));
        }
        s.push_str(" </lignes>\n <total>n</total>\n</ns:export>\n");
        s
    }

    #[test]
    fn an_export_read_part_by_part_gives_what_it_gives_whole() {
        let src = export(5_000);
        assert!(src.len() > 4 * BLOCK);
        let one = testing::same_streamed::<Cuts>(xml, &src);
        let at = |path: &str| {
            one.units
                .iter()
                .filter(|u| u.4.as_deref() == Some(path))
                .count()
        };
        assert_eq!(at("/export/locataires/locataire[4999]/prenom"), 1);
        assert_eq!(at("/export/lignes/ligne[5000]/@montant"), 1);
        assert_eq!(one.units.last().map(|u| u.2.as_str()), Some("n"));
        let row = |cells: &[&str], path: &str| {
            let cells = cells.iter().map(|c| c.to_string()).collect();
            one.rows.contains(&(cells, Some(path.to_string())))
        };
        assert!(row(&["MARTIN", "Luc"], "/export/responsable"));
        assert!(row(
            &["NOM7 & fils", "Jean"],
            "/export/locataires/locataire[8]"
        ));
        assert!(row(
            &["7 rue > du Port", "Brest"],
            "/export/locataires/locataire[8]/adresse"
        ));
    }

    #[test]
    fn a_bad_or_cut_short_export_stops_where_it_stops_whole() {
        let good = export(5_000);
        let at = good.len() / 2;
        let cut = at + good[at..].find("  <locataire ").expect("a record");
        let bad = format!(
            "{}</locataires></export></x>\n{}",
            &good[..cut],
            &good[cut..]
        );
        testing::stops_where_it_stops_whole::<Cuts>(xml, &bad);
        testing::stops_where_it_stops_whole::<Cuts>(xml, &good[..good.len() * 3 / 4]);
    }
}
