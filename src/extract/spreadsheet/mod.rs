//! Spreadsheets (`xlsx`, `xlsm`, `xlsb`, `xls`, `ods`) read with calamine:
//! tenant lists, payroll exports and applicant files are mostly workbooks.
//!
//! Every sheet is read, hidden ones included, and every non-empty cell is one
//! unit located by its sheet and A1 reference. Formulas give their cached
//! value. Numbers are written in full (a NIR or a phone number stored as a
//! number, `612345678`), dates as `DD/MM/YYYY` so that date detectors see a
//! French date. A header row ("Téléphone", "Date de naissance"…) among the
//! first rows of a sheet types the columns under it, as in CSV, and each data
//! row is also handed whole to [`UnitSink::row`] (a "Nom" and a "Prénom" cell
//! make one name).
//!
//! Memory: `xlsx`/`xlsm`/`xlsb` sheets are streamed cell by cell, one sheet
//! after the other (a sparse sheet never becomes a dense grid). calamine
//! parses `xls` and `ods` workbooks whole when opening them, as dense grids;
//! the document size is bounded by [`super::Limits::max_document_bytes`].
//! calamine trusts sizes and counts written in the file (OLE sector chains,
//! `xls` sheet extents, the `xlsx` shared-string count) and would loop or
//! allocate without bound on a damaged one: [`guard`] checks them first, and
//! a panic inside calamine is reported as a corrupt file.

mod biff_old;
mod failure;
mod guard;
mod ods;
mod read;
mod sheet;
#[cfg(test)]
mod tests;
mod value;

use super::{Cx, Deadline, ExtractError, SheetFormat, UnitSink};
use crate::model::columns::ColumnTable;
use calamine::{Ods, Reader, Xlsb, Xlsx, XlsxError};
// `streamed!` expands here: what it names is in scope.
use failure::{failure, sheet_failure};
use read::{out_of_time, sheet_names, streamed, whole, xls};
use sheet::Sheet;
use std::io::Cursor;
use value::View;

pub use biff_old::is_biff;

/// Extracts the text units of a spreadsheet document held in memory.
pub fn extract(
    kind: SheetFormat,
    data: &[u8],
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    guarded(kind, data, cx.columns, cx.deadline, sink)
}

/// [`read_bytes`], with calamine's panics on some damaged files turned into
/// a corrupt-file error (a container holding the file then goes on).
fn guarded(
    kind: SheetFormat,
    data: &[u8],
    columns: &ColumnTable,
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let cx = Ctx {
            columns,
            deadline,
            cells: std::cell::Cell::new(0),
        };
        read_bytes(kind, data, &cx, sink)
    }))
    .unwrap_or_else(|_| {
        Err(ExtractError::Corrupt {
            format: kind.name(),
            message: "the workbook parser failed on damaged data".to_string(),
        })
    })
}

/// What reading a workbook needs besides its bytes.
struct Ctx<'a> {
    columns: &'a ColumnTable,
    deadline: &'a Deadline,
    /// Cells read so far, of every sheet.
    cells: std::cell::Cell<u64>,
}

/// Cells read from one workbook, at most: the rest is reported not read
/// (the file record says `partial`). Counted as calamine gives them, never
/// taken from a count in the file.
pub const MAX_CELLS: u64 = 20_000_000;

impl Ctx<'_> {
    /// Counts one cell at `row` (0-based); past [`MAX_CELLS`], reports
    /// where the reading stops and returns true.
    fn over_budget(&self, row: u32, sink: &mut dyn UnitSink) -> bool {
        let n = self.cells.get() + 1;
        self.cells.set(n);
        if n > MAX_CELLS {
            sink.not_covered(&format!(
                "more than {MAX_CELLS} cells: not read from row {} on",
                u64::from(row) + 1
            ));
            return true;
        }
        false
    }
}

/// Reads a workbook (calamine may panic).
fn read_bytes(
    kind: SheetFormat,
    data: &[u8],
    cx: &Ctx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if data.starts_with(OLE) {
        guard::ole(data).map_err(corrupt(kind.name()))?;
    }
    let src = Cursor::new(data);
    match kind {
        SheetFormat::Xls if biff_old::is_biff(data) => {
            biff_old::read(data, cx, sink);
            Ok(())
        }
        SheetFormat::Xls => xls(kind, data, cx, sink),
        // An OLE file named .xlsx: encrypted OOXML, or an old .xls renamed.
        _ if data.starts_with(OLE) => match Xlsx::new(src) {
            Err(XlsxError::Password) => Err(ExtractError::Encrypted(kind.name())),
            _ => xls(SheetFormat::Xls, data, cx, sink),
        },
        SheetFormat::Ods => {
            guard::ods(data).map_err(corrupt(kind.name()))?;
            match whole(kind, Ods::new(src), cx, sink) {
                // Its cells from content.xml when calamine refuses it.
                Err(e @ ExtractError::Corrupt { .. }) if !ods::read(data, true, cx, sink) => Err(e),
                Err(ExtractError::Corrupt { .. }) => Ok(()),
                Err(e) => Err(e),
                Ok(()) => {
                    ods::read(data, false, cx, sink);
                    Ok(())
                }
            }
        }
        SheetFormat::Xlsb => streamed!(kind, Xlsb::new(src), cx, sink),
        _ => {
            guard::shared_strings(data).map_err(corrupt(kind.name()))?;
            streamed!(kind, Xlsx::new(src), cx, sink)
        }
    }
}

/// A guard's refusal as an error.
fn corrupt(format: &'static str) -> impl Fn(&'static str) -> ExtractError {
    move |message| ExtractError::Corrupt {
        format,
        message: message.to_string(),
    }
}
