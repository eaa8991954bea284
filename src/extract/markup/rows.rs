//! What the XML and JSON readers share: units located by their position in
//! the source, the column roles of element and key names, and the keyed
//! values of an object handed over as one row.

use crate::extract::{Located, Origin, RowCell, UnitSink};
use crate::model::columns::{ColumnRole, ColumnTable};
use crate::model::Unit;
use std::collections::HashMap;

/// Hands units to the sink located by their byte position in the source;
/// lines and columns are counted once, forwards.
pub(super) struct Emitter<'s> {
    src: &'s str,
    /// Position up to which lines are counted, its line (1-based) and column
    /// (0-based, in characters).
    pos: usize,
    line: u64,
    column: u64,
    /// Offset of the next unit: increasing, units never overlap.
    offset: u64,
}

impl<'s> Emitter<'s> {
    pub(super) fn new(src: &'s str) -> Self {
        Emitter {
            src,
            pos: 0,
            line: 1,
            column: 0,
            offset: 0,
        }
    }

    /// Emits `text`, which starts at byte `at` of the source; returns where
    /// it was located (`None` for blank text, not emitted).
    pub(super) fn emit(
        &mut self,
        text: &str,
        at: usize,
        kind: Option<&str>,
        sink: &mut dyn UnitSink,
    ) -> Option<Origin<'static>> {
        if text.trim().is_empty() {
            return None;
        }
        let at = crate::model::fold::floor_boundary(self.src, at.min(self.src.len()));
        if at > self.pos {
            let seg = &self.src[self.pos..at];
            match memchr::memrchr(b'\n', seg.as_bytes()) {
                Some(last) => {
                    self.line += memchr::memchr_iter(b'\n', seg.as_bytes()).count() as u64;
                    self.column = seg[last + 1..].chars().count() as u64;
                }
                None => self.column += seg.chars().count() as u64,
            }
            self.pos = at;
        }
        let origin = Origin::Text {
            line: self.line,
            column: self.column,
            offset: self.offset,
        };
        sink.unit(&Located {
            unit: Unit {
                text,
                report: 0..text.len(),
                column_kind: kind,
            },
            origin,
        });
        self.offset += text.len() as u64 + 1;
        Some(origin)
    }
}

/// Roles of keys whose values make one name or one address together (`nom`
/// and `prenom`; `voie`, `code_postal` and `ville`), as a table row's cells
/// do; `company` says the object is a company's.
pub(super) const ROW_ROLES: &[&str] = &[
    "last_name",
    "first_name",
    "address",
    "address_extra",
    "postcode",
    "city",
    "company",
];

/// The values of an object's keyed members, kept until the object ends to
/// be handed over as a row.
#[derive(Default)]
pub(super) struct RowCells<'c> {
    cells: Vec<(String, &'c ColumnRole, Origin<'static>)>,
}

impl<'c> RowCells<'c> {
    /// Keeps `text` when its key's role assembles with others.
    pub(super) fn keep(
        &mut self,
        role: Option<&'c ColumnRole>,
        text: &str,
        origin: Option<Origin<'static>>,
    ) {
        if let (Some(role), Some(origin)) = (role, origin) {
            if ROW_ROLES.contains(&role.role.as_str()) && self.cells.len() < 64 {
                self.cells.push((text.trim().to_string(), role, origin));
            }
        }
    }

    /// Hands the kept values to the sink as one row.
    pub(super) fn flush(&mut self, sink: &mut dyn UnitSink) {
        if self.cells.is_empty() {
            return;
        }
        let row: Vec<RowCell<'_>> = self
            .cells
            .iter()
            .map(|(text, role, origin)| RowCell {
                text,
                role: Some(role),
                origin: *origin,
            })
            .collect();
        sink.row(&row);
        self.cells.clear();
    }
}

/// Kinds of element, attribute or key names, remembered (exports repeat the
/// same few names millions of times).
pub(super) struct Names<'c> {
    columns: &'c ColumnTable,
    seen: HashMap<Vec<u8>, Option<&'c ColumnRole>>,
}

impl<'c> Names<'c> {
    const MAX: usize = 4096;

    pub(super) fn new(columns: &'c ColumnTable) -> Self {
        Names {
            columns,
            seen: HashMap::new(),
        }
    }

    /// The column role a key or element name gives (`code_postal`,
    /// `dateNaissance`, `last-name`: words split at `_`, `-` and case
    /// changes).
    pub(super) fn role(&mut self, name: &[u8]) -> Option<&'c ColumnRole> {
        if let Some(k) = self.seen.get(name) {
            return *k;
        }
        let text = String::from_utf8_lossy(name);
        let mut words = String::with_capacity(text.len() + 4);
        let mut prev_lower = false;
        for c in text.chars() {
            if c.is_uppercase() && prev_lower {
                words.push(' ');
            }
            prev_lower = c.is_lowercase();
            words.push(c);
        }
        let k = self.columns.recognize(&words);
        if self.seen.len() < Self::MAX {
            self.seen.insert(name.to_vec(), k);
        }
        k
    }
}

/// An open object (mapping) or array (sequence).
struct Frame<'c> {
    array: bool,
    /// Object: the kind of the current member's key; array: the kind of its
    /// values (inherited from the key it is the value of).
    kind: Option<&'c str>,
    /// Object: the member's key was read, the next node is its value.
    value: bool,
    /// Object: the role of the current member's key.
    role: Option<&'c ColumnRole>,
    /// Object: its keyed values, a row when it ends.
    row: RowCells<'c>,
}

/// The record walk of JSON and YAML: objects and arrays nested on the heap
/// (deep input cannot overflow the stack), keys typed like column headers,
/// values emitted with their key's kind and an object's keyed values handed
/// over as one row when it ends.
pub(super) struct Walk<'s, 'c> {
    em: Emitter<'s>,
    names: Names<'c>,
    stack: Vec<Frame<'c>>,
}

impl<'s, 'c> Walk<'s, 'c> {
    pub(super) fn new(src: &'s str, columns: &'c ColumnTable) -> Self {
        Walk {
            em: Emitter::new(src),
            names: Names::new(columns),
            stack: Vec::new(),
        }
    }

    /// No object or array is open.
    pub(super) fn is_closed(&self) -> bool {
        self.stack.is_empty()
    }

    /// The kind a value here takes.
    fn value_kind(&self) -> Option<&'c str> {
        match self.stack.last() {
            Some(f) if f.array || f.value => f.kind,
            _ => None,
        }
    }

    /// An object (`array` false) or an array starts.
    pub(super) fn open(&mut self, array: bool, sink: &mut dyn UnitSink) {
        if !array {
            sink.begin_object();
        }
        let kind = if array { self.value_kind() } else { None };
        self.stack.push(Frame {
            array,
            kind,
            value: false,
            role: None,
            row: RowCells::default(),
        });
    }

    /// The innermost object or array ends; `false` when it is not one of
    /// that sort (unbalanced input).
    pub(super) fn close(&mut self, array: bool, sink: &mut dyn UnitSink) -> bool {
        match self.stack.pop() {
            Some(f) if f.array == array => {
                if !f.array {
                    let mut row = f.row;
                    row.flush(sink);
                    sink.end_object();
                }
                true
            }
            _ => false,
        }
    }

    /// Closes every open object and array (input cut short).
    pub(super) fn close_all(&mut self, sink: &mut dyn UnitSink) {
        while let Some(array) = self.stack.last().map(|f| f.array) {
            self.close(array, sink);
        }
    }

    /// In the innermost object, the next node is a member's value (`true`,
    /// after JSON's `:`) or a key (`false`, after `,`).
    pub(super) fn expect_value(&mut self, value: bool) {
        if let Some(f) = self.stack.last_mut().filter(|f| !f.array) {
            f.value = value;
        }
    }

    /// A node of the innermost object was read (YAML: a key, then its value,
    /// alternate).
    pub(super) fn node_done(&mut self) {
        if let Some(f) = self.stack.last_mut().filter(|f| !f.array) {
            f.value = !f.value;
        }
    }

    /// A string starting at byte `at` of the source: a member's key (which
    /// gives the kind and role of its value) or a value.
    pub(super) fn string(&mut self, text: &str, at: usize, sink: &mut dyn UnitSink) {
        let value_kind = self.value_kind();
        match self.stack.last_mut() {
            Some(f) if !f.array && !f.value => {
                f.role = self.names.role(text.as_bytes());
                f.kind = f.role.map(|r| r.kind.as_str());
                self.em.emit(text, at, None, sink);
            }
            Some(f) if !f.array => {
                let origin = self.em.emit(text, at, value_kind, sink);
                f.row.keep(f.role, text, origin);
            }
            _ => {
                self.em.emit(text, at, value_kind, sink);
            }
        }
    }

    /// A value that is never a key (a JSON number) at byte `at`.
    pub(super) fn value(&mut self, text: &str, at: usize, sink: &mut dyn UnitSink) {
        let origin = self.em.emit(text, at, self.value_kind(), sink);
        if let Some(f) = self.stack.last_mut().filter(|f| !f.array) {
            f.row.keep(f.role, text, origin);
        }
    }
}
