//! What the XML and JSON readers share: units located by their position in
//! the source and by their path in the document, the column roles of
//! element and key names, and the keyed values of an object handed over as
//! one row.

use crate::extract::{Located, Origin, RowCell, UnitSink};
use crate::model::columns::{ColumnRole, ColumnTable};
use crate::model::Unit;
use rustc_hash::FxHashMap;

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
        Self::at(src, 1, 0)
    }

    /// An emitter for `src`, a part of a file starting on `line` (at a
    /// line's start) whose first unit gets `offset`.
    pub(super) fn at(src: &'s str, line: u64, offset: u64) -> Self {
        Emitter {
            src,
            pos: 0,
            line,
            column: 0,
            offset,
        }
    }

    /// The offset the next unit gets.
    pub(super) fn next_offset(&self) -> u64 {
        self.offset
    }

    /// Emits `text`, which starts at byte `at` of the source and sits at
    /// `path` of the document; returns where it was located (`None` for
    /// blank text, not emitted).
    pub(super) fn emit(
        &mut self,
        text: &str,
        at: usize,
        kind: Option<&str>,
        path: &str,
        sink: &mut dyn UnitSink,
    ) -> Option<Origin<'static>> {
        if text.trim().is_empty() {
            return None;
        }
        sink.record_path(Some(path));
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
            unit: Unit::typed(text, kind),
            origin,
        });
        self.offset += text.len() as u64 + 1;
        Some(origin)
    }
}

/// Roles of keys whose values make one name or one address together (`nom`
/// and `prenom`; `voie`, `code_postal` and `ville`), as a table row's cells
/// do; `company` says the object is a company's.
pub(crate) const ROW_ROLES: &[&str] = &[
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

    /// Hands the kept values to the sink as one row, the object's at `path`.
    pub(super) fn flush(&mut self, path: &str, sink: &mut dyn UnitSink) {
        if self.cells.is_empty() {
            return;
        }
        sink.record_path(Some(path));
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
    seen: FxHashMap<Vec<u8>, (Option<&'c ColumnRole>, bool)>,
}

impl<'c> Names<'c> {
    const MAX: usize = 4096;

    pub(super) fn new(columns: &'c ColumnTable) -> Self {
        Names {
            columns,
            seen: FxHashMap::default(),
        }
    }

    /// The column role a key or element name gives (`code_postal`,
    /// `dateNaissance`, `last-name`: words split at `_`, `-` and case
    /// changes).
    pub(super) fn role(&mut self, name: &[u8]) -> Option<&'c ColumnRole> {
        self.name(name).0
    }

    /// The role of a name, and whether it may be written in a path (see
    /// [`shown`]).
    pub(super) fn name(&mut self, name: &[u8]) -> (Option<&'c ColumnRole>, bool) {
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
        let role = self.columns.recognize(&words);
        let k = (role, role.is_some() || shown(&text));
        if self.seen.len() < Self::MAX {
            self.seen.insert(name.to_vec(), k);
        }
        k
    }
}

/// Whether a key or element name that is no known column may be written in
/// a path: a map keyed by e-mail, name or number holds personal data in its
/// keys, which a report never prints. Field-like names only: short, letters,
/// digits and `_-. `, no run of three digits, no word that is a first name
/// or surname of the lexicon.
fn shown(name: &str) -> bool {
    if name.is_empty()
        || name.len() > 40
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
    {
        return false;
    }
    let mut digits = 0;
    for c in name.chars() {
        digits = if c.is_ascii_digit() { digits + 1 } else { 0 };
        if digits >= 3 {
            return false;
        }
    }
    let lex = crate::detect::lexicon::get();
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(crate::model::fold::fold_word)
        .all(|w| !lex.first_names.contains(&w) && !lex.surnames.contains(&w))
}

/// Appends the JSONPath step of member `key` to `path`: `.key`, `['code
/// postal']`, or `.*` for a key not [`shown`].
fn push_key(path: &mut String, key: &str, show: bool) {
    if !show {
        path.push_str(".*");
    } else if key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !key.starts_with(|c: char| c.is_ascii_digit())
    {
        path.push('.');
        path.push_str(key);
    } else {
        path.push_str("['");
        for c in key.chars() {
            if matches!(c, '\\' | '\'') {
                path.push('\\');
            }
            path.push(c);
        }
        path.push_str("']");
    }
}

/// Appends the XPath step of an element or attribute (`@` before its name)
/// to `path`: `/name`, `/name[3]` for the third of that name among its
/// siblings, `*` for a name not [`shown`].
pub(super) fn push_step(path: &mut String, attr: bool, name: &str, show: bool, nth: u32) {
    use std::fmt::Write;
    path.push_str(if attr { "/@" } else { "/" });
    path.push_str(if show { name } else { "*" });
    if nth > 1 {
        let _ = write!(path, "[{nth}]");
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
    /// The length of the path of this object or array.
    base: usize,
    /// Array: the index of its next value.
    next: u64,
}

/// The record walk of JSON and YAML: objects and arrays nested on the heap
/// (deep input cannot overflow the stack), keys typed like column headers,
/// values emitted with their key's kind and their JSONPath, and an object's
/// keyed values handed over as one row when it ends. Each top-level value
/// (an NDJSON line, a YAML document) is `$`.
pub(super) struct Walk<'s, 'c> {
    em: Emitter<'s>,
    names: Names<'c>,
    stack: Vec<Frame<'c>>,
    /// The path of the value being read.
    path: String,
}

impl<'s, 'c> Walk<'s, 'c> {
    pub(super) fn new(src: &'s str, columns: &'c ColumnTable) -> Self {
        Self::with(Emitter::new(src), columns)
    }

    /// A walk of the part of a file that `em` emits.
    pub(super) fn with(em: Emitter<'s>, columns: &'c ColumnTable) -> Self {
        Walk {
            em,
            names: Names::new(columns),
            stack: Vec::new(),
            path: String::from("$"),
        }
    }

    /// A walk of a part of a file inside an array nested in objects, each
    /// in its member of key `keys[i]` (none: the top-level value is the
    /// array), whose next value is the array's `next`th (0-based). The
    /// objects were begun by the part that opened them.
    pub(super) fn inside(
        em: Emitter<'s>,
        columns: &'c ColumnTable,
        keys: &[String],
        next: u64,
    ) -> Self {
        let mut walk = Self::with(em, columns);
        for key in keys {
            walk.push(false);
            walk.key(key);
            walk.expect_value(true);
        }
        walk.push(true);
        if let Some(f) = walk.stack.last_mut() {
            f.next = next;
        }
        walk
    }

    /// Only `depth` objects and arrays are open, the innermost an array.
    pub(super) fn in_array_at(&self, depth: usize) -> bool {
        self.stack.len() == depth && self.stack.last().is_some_and(|f| f.array)
    }

    /// Hands over the keyed values of the objects still open as their rows
    /// (a part of a file ends inside them; the part that closes them hands
    /// over those read after).
    pub(super) fn flush_open_rows(&mut self, sink: &mut dyn UnitSink) {
        for f in self.stack.iter_mut().rev().filter(|f| !f.array) {
            f.row.flush(&self.path[..f.base], sink);
        }
    }

    /// The offset its next unit gets.
    pub(super) fn next_offset(&self) -> u64 {
        self.em.offset
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

    /// A value starts here: the path gets its array index (an object's
    /// member has its key's step already).
    fn value_path(&mut self) {
        use std::fmt::Write;
        match self.stack.last_mut() {
            None => self.path.truncate(1),
            Some(f) if f.array => {
                self.path.truncate(f.base);
                let _ = write!(self.path, "[{}]", f.next);
                f.next += 1;
            }
            Some(_) => {}
        }
    }

    /// A value that is not read (null, a boolean, an alias) still takes its
    /// place in its array.
    pub(super) fn skipped(&mut self) {
        if self.stack.last().is_some_and(|f| f.array) {
            self.value_path();
        }
    }

    /// An object (`array` false) or an array starts.
    pub(super) fn open(&mut self, array: bool, sink: &mut dyn UnitSink) {
        if !array {
            sink.begin_object();
        }
        self.push(array);
    }

    fn push(&mut self, array: bool) {
        let kind = if array { self.value_kind() } else { None };
        self.value_path();
        self.stack.push(Frame {
            array,
            kind,
            value: false,
            role: None,
            row: RowCells::default(),
            base: self.path.len(),
            next: 0,
        });
    }

    /// The innermost object or array ends; `false` when it is not one of
    /// that sort (unbalanced input).
    pub(super) fn close(&mut self, array: bool, sink: &mut dyn UnitSink) -> bool {
        match self.stack.pop() {
            Some(f) if f.array == array => {
                self.path.truncate(f.base);
                if !f.array {
                    let mut row = f.row;
                    row.flush(&self.path, sink);
                    sink.end_object();
                }
                if self.stack.is_empty() {
                    sink.record_path(None);
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
    /// gives the kind and role of its value, and the step of its path) or a
    /// value.
    pub(super) fn string(&mut self, text: &str, at: usize, sink: &mut dyn UnitSink) {
        let value_kind = self.value_kind();
        if self.stack.last().is_none_or(|f| f.array || f.value) {
            self.value_path();
        }
        match self.stack.last_mut() {
            Some(f) if !f.array && !f.value => {
                self.key(text);
                self.em.emit(text, at, None, &self.path, sink);
            }
            Some(f) if !f.array => {
                let origin = self.em.emit(text, at, value_kind, &self.path, sink);
                f.row.keep(f.role, text, origin);
            }
            _ => {
                self.em.emit(text, at, value_kind, &self.path, sink);
            }
        }
    }

    /// `text` is the key of the innermost object's next member: it gives
    /// the kind and role of its value, and the step of its path.
    fn key(&mut self, text: &str) {
        if let Some(f) = self.stack.last_mut().filter(|f| !f.array) {
            let (role, show) = self.names.name(text.as_bytes());
            f.role = role;
            f.kind = role.map(|r| r.kind.as_str());
            self.path.truncate(f.base);
            push_key(&mut self.path, text, show);
        }
    }

    /// A value that is never a key (a JSON number) at byte `at`.
    pub(super) fn value(&mut self, text: &str, at: usize, sink: &mut dyn UnitSink) {
        self.value_path();
        let origin = self.em.emit(text, at, self.value_kind(), &self.path, sink);
        if let Some(f) = self.stack.last_mut().filter(|f| !f.array) {
            f.row.keep(f.role, text, origin);
        }
    }
}
