//! One sheet's rows: the header row found among the first rows types the
//! columns under it, and each row is handed over whole.

use super::value::View;
use crate::extract::{Located, Origin, RowCell, UnitSink};
use crate::model::columns::{ColumnRole, ColumnTable};
use crate::model::Unit;
use std::fmt::Write as _;

/// Non-empty rows at the top of a sheet searched for a header row (a title
/// row may come first).
pub(super) const HEADER_SEARCH: u32 = 5;

/// Cells of one row gathered at most, and columns a header row types
/// (Excel's column count).
pub(super) const MAX_ROW_CELLS: usize = 16_384;

/// One sheet being read: its rows are gathered cell by cell (cells come in
/// row order) and handed to the sink when the next row starts.
pub(super) struct Sheet<'s> {
    name: &'s str,
    columns: &'s ColumnTable,
    /// Roles of the header row's columns, by 0-based column.
    roles: Vec<Option<ColumnRole>>,
    /// Non-empty rows seen so far, while a header row is still searched for.
    searching: Option<u32>,
    row: u32,
    /// (column, text) of the current row's non-empty cells.
    cells: Vec<(u32, String)>,
}

impl<'s> Sheet<'s> {
    pub(super) fn new(name: &'s str, columns: &'s ColumnTable) -> Self {
        Sheet {
            name,
            columns,
            roles: Vec::new(),
            searching: Some(0),
            row: 0,
            cells: Vec::new(),
        }
    }

    /// A cell at 0-based `row`, `col`.
    pub(super) fn cell(&mut self, row: u32, col: u32, value: View<'_>, sink: &mut dyn UnitSink) {
        let Some(text) = value.text() else { return };
        if text.trim().is_empty() {
            return;
        }
        // A damaged or hostile sheet may put millions of cells in one row:
        // past Excel's width the row is handed over in pieces.
        if row != self.row || self.cells.len() >= MAX_ROW_CELLS {
            self.finish(sink);
            self.row = row;
        }
        self.cells.push((col, text));
    }

    /// Hands the current row to the sink.
    pub(super) fn finish(&mut self, sink: &mut dyn UnitSink) {
        if self.cells.is_empty() {
            return;
        }
        // The row's cell references in one string, not one each.
        let mut all = String::new();
        let mut ends = Vec::with_capacity(self.cells.len());
        for (c, _) in &self.cells {
            push_a1(self.row, *c, &mut all);
            ends.push(all.len());
        }
        let refs: Vec<&str> = ends
            .iter()
            .scan(0, |start, &end| {
                let r = &all[*start..end];
                *start = end;
                Some(r)
            })
            .collect();
        let header = self.searching.is_some_and(|seen| self.header(seen));
        if let Some(seen) = &mut self.searching {
            *seen += 1;
            if header || *seen >= HEADER_SEARCH {
                self.searching = None;
            }
        }
        let mut row = Vec::with_capacity(self.cells.len());
        for ((col, text), cell) in self.cells.iter().zip(&refs) {
            let role = if header {
                None
            } else {
                self.roles.get(*col as usize).and_then(Option::as_ref)
            };
            let origin = Origin::Cell {
                sheet: self.name,
                cell,
            };
            sink.unit(&Located {
                unit: Unit {
                    text,
                    report: 0..text.len(),
                    column_kind: role.map(|r| r.kind.as_str()),
                    regex_free: false,
                },
                origin,
            });
            row.push(RowCell { text, role, origin });
        }
        if !header {
            sink.row(&row);
        }
        self.cells.clear();
    }

    /// Whether the current row is a header (then its roles are kept). The
    /// first non-empty row is one when a cell is a known header or all are
    /// short labels (as in CSV); a later one, below a title, when all are
    /// labels and at least two are known headers.
    fn header(&mut self, seen: u32) -> bool {
        let labels = self.cells.iter().all(|(_, t)| {
            let t = t.trim();
            t.chars().count() < 40 && !t.contains('@') && !t.chars().any(|c| c.is_ascii_digit())
        });
        let known: Vec<(u32, &ColumnRole)> = self
            .cells
            .iter()
            .filter_map(|(c, t)| Some((*c, self.columns.recognize(t)?)))
            .collect();
        let header = if seen == 0 {
            !known.is_empty() || (labels && self.cells.len() > 1)
        } else {
            labels && known.len() >= 2
        };
        if header {
            self.roles.clear();
            for (c, role) in known {
                let c = c as usize;
                // A damaged file may place a header cell at column 2^31:
                // only Excel's columns are typed (found by fuzzing).
                if c >= MAX_ROW_CELLS {
                    continue;
                }
                if self.roles.len() <= c {
                    self.roles.resize(c + 1, None);
                }
                self.roles[c] = Some(role.clone());
            }
        }
        header
    }
}

/// The A1 reference of 0-based `row`, `col` (`A`…`Z`, `AA`…).
pub(super) fn a1(row: u32, col: u32) -> String {
    let mut s = String::new();
    push_a1(row, col, &mut s);
    s
}

/// Appends [`a1`]`(row, col)` to `out`.
fn push_a1(row: u32, col: u32, out: &mut String) {
    let mut letters = [0u8; 8];
    let mut i = letters.len();
    let mut n = u64::from(col) + 1;
    while n > 0 && i > 0 {
        i -= 1;
        letters[i] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    out.extend(letters[i..].iter().map(|&b| char::from(b)));
    let _ = write!(out, "{}", u64::from(row) + 1);
}
