//! The workbook readers: `xlsx`/`xlsm`/`xlsb` streamed cell by cell,
//! `xls` and `ods` read whole by calamine, one sheet's range at a time.

use super::failure::{failure, sheet_failure, Failure};
use super::sheet::Sheet;
use super::value::View;
use super::{corrupt, guard, Ctx, MAX_CELLS};
use crate::extract::{Deadline, ExtractError, SheetFormat, UnitSink};
use calamine::{Reader, SheetType, Xls, XlsOptions};
use std::io::{Cursor, Read, Seek};

/// Reads an `xls` workbook, unless its sheets would not fit in memory (see
/// [`guard::biff`]).
///
/// BIFF8 strings are UTF-16 whatever the `CODEPAGE` record says ([MS-XLS]
/// 2.5.293: "compressed" characters are UTF-16 code units without their
/// zero high byte); calamine decodes them with that code page when it is
/// not 1200, so a writer that puts 1252 there gives `T\0i\0t\0e\0l\0`
/// (tafia/calamine `sheet_name_parsing.xls`). Forcing code page 1200 on a
/// BIFF8 workbook reads them as Excel does; BIFF5 and older keep their
/// code page, which their 8-bit strings need.
pub(super) fn xls(
    kind: SheetFormat,
    data: &[u8],
    cx: &Ctx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let biff8 = guard::biff(data).map_err(|m| match m {
        guard::ENCRYPTED => ExtractError::Encrypted(kind.name()),
        m => corrupt(kind.name())(m),
    })?;
    let mut options = XlsOptions::default();
    options.force_codepage = biff8.then_some(1200);
    whole(
        kind,
        Xls::new_with_options(Cursor::new(data), options),
        cx,
        sink,
    )
}

/// Reads a workbook whose sheets can be streamed cell by cell.
macro_rules! streamed {
    ($kind:expr, $opened:expr, $cx:expr, $sink:expr) => {{
        let mut wb = $opened.map_err(|e| failure($kind, &e))?;
        let names = sheet_names(&wb);
        for (i, name) in names.iter().enumerate() {
            if $cx.cells.get() > MAX_CELLS || out_of_time(i, names.len(), $cx.deadline, $sink) {
                break;
            }
            let mut sheet = Sheet::new(&name, $cx.columns);
            let read = wb.worksheet_cells_reader(&name).and_then(|mut cells| {
                while let Some(c) = cells.next_cell()? {
                    let (row, col) = c.get_position();
                    if $cx.over_budget(row, $sink) {
                        break;
                    }
                    sheet.cell(row, col, View::of_ref(c.get_value()), $sink);
                    // Empty cells give no unit: the clock is looked at here too.
                    if $cx.deadline.tick() {
                        $cx.deadline.report($sink, &format!("row {}", row + 1));
                        break;
                    }
                }
                Ok(())
            });
            sheet.finish($sink);
            if let Err(e) = read {
                $sink.not_covered(&sheet_failure($kind, &name, &e));
            }
        }
        Ok(())
    }};
}
pub(super) use streamed;

/// Reads a workbook that calamine parses whole, one sheet's range at a time.
pub(super) fn whole<RS: Read + Seek, R: Reader<RS>>(
    kind: SheetFormat,
    opened: Result<R, R::Error>,
    cx: &Ctx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError>
where
    R::Error: Failure,
{
    let mut wb = opened.map_err(|e| failure(kind, &e))?;
    let names = sheet_names(&wb);
    for (i, name) in names.iter().enumerate() {
        if cx.cells.get() > MAX_CELLS || out_of_time(i, names.len(), cx.deadline, sink) {
            break;
        }
        let range = match wb.worksheet_range(name) {
            Ok(r) => r,
            Err(e) => {
                sink.not_covered(&sheet_failure(kind, name, &e));
                continue;
            }
        };
        let (top, left) = range.start().unwrap_or_default();
        let mut sheet = Sheet::new(name, cx.columns);
        for (r, c, v) in range.used_cells() {
            let (row, col) = (top + r as u32, left + c as u32);
            if cx.over_budget(row, sink) {
                break;
            }
            sheet.cell(row, col, View::of(v), sink);
            if cx.deadline.tick() {
                cx.deadline.report(sink, &format!("row {}", row + 1));
                break;
            }
        }
        sheet.finish(sink);
    }
    Ok(())
}

/// Before sheet `i` (0-based) of `n`: the time is up (reported).
pub(super) fn out_of_time(
    i: usize,
    n: usize,
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> bool {
    if deadline.is_over() {
        return true;
    }
    if i > 0 && deadline.expired() {
        deadline.report(sink, &format!("sheet {} of {n}", i + 1));
        return true;
    }
    false
}

/// The workbook's sheets that hold cells, hidden ones included, in order.
pub(super) fn sheet_names<RS: Read + Seek, R: Reader<RS>>(wb: &R) -> Vec<String> {
    wb.sheets_metadata()
        .iter()
        .filter(|s| !matches!(s.typ, SheetType::ChartSheet | SheetType::Vba))
        .map(|s| s.name.clone())
        .collect()
}
