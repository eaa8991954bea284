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

use super::{Cx, Deadline, ExtractError, Located, Origin, RowCell, SheetFormat, UnitSink};
use crate::detect::columns::{ColumnRole, ColumnTable};
use crate::detect::Unit;
use calamine::{
    Data, DataRef, ExcelDateTime, Ods, OdsError, Reader, SheetType, Xls, XlsError, Xlsb, XlsbError,
    Xlsx, XlsxError,
};
use std::fmt::Write as _;
use std::io::{Cursor, Read, Seek};

/// Non-empty rows at the top of a sheet searched for a header row (a title
/// row may come first).
const HEADER_SEARCH: u32 = 5;

/// Cells of one row gathered at most, and columns a header row types
/// (Excel's column count).
const MAX_ROW_CELLS: usize = 16_384;

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
        SheetFormat::Xls => xls(kind, data, cx, sink),
        // An OLE file named .xlsx: encrypted OOXML, or an old .xls renamed.
        _ if data.starts_with(OLE) => match Xlsx::new(src) {
            Err(XlsxError::Password) => Err(ExtractError::Encrypted(kind.name())),
            _ => xls(SheetFormat::Xls, data, cx, sink),
        },
        SheetFormat::Ods => {
            guard::ods(data).map_err(corrupt(kind.name()))?;
            whole(kind, Ods::new(src), cx, sink)
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

/// Reads an `xls` workbook, unless its sheets would not fit in memory (see
/// [`guard::biff`]).
fn xls(
    kind: SheetFormat,
    data: &[u8],
    cx: &Ctx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    guard::biff(data).map_err(corrupt(kind.name()))?;
    whole(kind, Xls::new(Cursor::new(data)), cx, sink)
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
use streamed;

/// Reads a workbook that calamine parses whole, one sheet's range at a time.
fn whole<RS: Read + Seek, R: Reader<RS>>(
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
fn out_of_time(i: usize, n: usize, deadline: &Deadline, sink: &mut dyn UnitSink) -> bool {
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
fn sheet_names<RS: Read + Seek, R: Reader<RS>>(wb: &R) -> Vec<String> {
    wb.sheets_metadata()
        .iter()
        .filter(|s| !matches!(s.typ, SheetType::ChartSheet | SheetType::Vba))
        .map(|s| s.name.clone())
        .collect()
}

/// One sheet being read: its rows are gathered cell by cell (cells come in
/// row order) and handed to the sink when the next row starts.
struct Sheet<'s> {
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
    fn new(name: &'s str, columns: &'s ColumnTable) -> Self {
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
    fn cell(&mut self, row: u32, col: u32, value: View<'_>, sink: &mut dyn UnitSink) {
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
    fn finish(&mut self, sink: &mut dyn UnitSink) {
        if self.cells.is_empty() {
            return;
        }
        let refs: Vec<String> = self.cells.iter().map(|(c, _)| a1(self.row, *c)).collect();
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
fn a1(row: u32, col: u32) -> String {
    let mut letters = [0u8; 8];
    let mut i = letters.len();
    let mut n = u64::from(col) + 1;
    while n > 0 && i > 0 {
        i -= 1;
        letters[i] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    let mut s = String::from_utf8_lossy(&letters[i..]).into_owned();
    let _ = write!(s, "{}", u64::from(row) + 1);
    s
}

/// A cell value, borrowed from either of calamine's cell types.
enum View<'a> {
    Str(&'a str),
    Int(i64),
    Float(f64),
    Date(ExcelDateTime),
    Iso(&'a str),
    /// Booleans and errors: nothing personal.
    None,
}

impl<'a> View<'a> {
    fn of(v: &'a Data) -> Self {
        match v {
            Data::String(s) | Data::DurationIso(s) => View::Str(s),
            Data::Int(i) => View::Int(*i),
            Data::Float(f) => View::Float(*f),
            Data::DateTime(d) => View::Date(*d),
            Data::DateTimeIso(s) => View::Iso(s),
            Data::Bool(_) | Data::Error(_) | Data::Empty => View::None,
        }
    }

    fn of_ref(v: &'a DataRef<'_>) -> Self {
        match v {
            DataRef::String(s) | DataRef::DurationIso(s) => View::Str(s),
            DataRef::SharedString(s) => View::Str(s),
            DataRef::Int(i) => View::Int(*i),
            DataRef::Float(f) => View::Float(*f),
            DataRef::DateTime(d) => View::Date(*d),
            DataRef::DateTimeIso(s) => View::Iso(s),
            DataRef::Bool(_) | DataRef::Error(_) | DataRef::Empty => View::None,
        }
    }

    /// The cell's text as a person reads it: numbers in full, dates as
    /// `DD/MM/YYYY` (with the time when there is one).
    fn text(&self) -> Option<String> {
        Some(match *self {
            View::Str(s) => s.to_string(),
            View::Int(i) => i.to_string(),
            // `Display` of f64 never uses an exponent and keeps every digit:
            // 184127512345640.0 → "184127512345640".
            View::Float(f) => f.to_string(),
            View::Date(d) => excel_date(d),
            View::Iso(s) => iso_date(s).unwrap_or_else(|| s.to_string()),
            View::None => return None,
        })
    }
}

/// An Excel serial date/time as `DD/MM/YYYY[ HH:MM:SS]`, a time alone as
/// `HH:MM:SS`, a duration or an out-of-range serial as the number.
fn excel_date(d: ExcelDateTime) -> String {
    let v = d.as_f64();
    // Year 9999 at most: calamine's conversion needs a sane serial.
    if !d.is_datetime() || !(0.0..2_958_466.0).contains(&v) {
        return v.to_string();
    }
    let (y, mo, da, h, mi, s, _) = d.to_ymd_hms_milli();
    let time = format!("{h:02}:{mi:02}:{s:02}");
    if v < 1.0 {
        time
    } else if (h, mi, s) == (0, 0, 0) {
        format!("{da:02}/{mo:02}/{y:04}")
    } else {
        format!("{da:02}/{mo:02}/{y:04} {time}")
    }
}

/// An ISO 8601 date or date-time (`ods`) as `DD/MM/YYYY[ HH:MM:SS]`.
fn iso_date(s: &str) -> Option<String> {
    let (date, time) = s.split_once('T').unwrap_or((s, ""));
    let mut parts = date.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return None;
    }
    let time = time.get(..8).unwrap_or(time);
    Some(if time.is_empty() || time == "00:00:00" {
        format!("{d}/{m}/{y}")
    } else {
        format!("{d}/{m}/{y} {time}")
    })
}

/// What calamine's per-format errors have in common here.
trait Failure: std::fmt::Display {
    /// The workbook is encrypted or password-protected.
    fn password(&self) -> bool;
    /// The message would quote the file's content (a value, a sheet name).
    fn quotes_content(&self) -> bool;
    /// A quick-xml error, whose message may quote names from the file (an
    /// entity, a tag).
    fn malformed_xml(&self) -> bool {
        false
    }
}

impl Failure for XlsxError {
    fn password(&self) -> bool {
        matches!(self, XlsxError::Password)
    }
    fn malformed_xml(&self) -> bool {
        matches!(self, XlsxError::Xml(_) | XlsxError::XmlAttr(_))
    }
    fn quotes_content(&self) -> bool {
        use XlsxError::*;
        matches!(
            self,
            CellTAttribute(_)
                | Unrecognized { .. }
                | CellError(_)
                | WorksheetNotFound(_)
                | TableNotFound(_)
                | NotAWorksheet(_)
                | PivotTableNotFound(_)
        )
    }
}

impl Failure for XlsbError {
    fn password(&self) -> bool {
        matches!(self, XlsbError::Password)
    }
    fn malformed_xml(&self) -> bool {
        matches!(self, XlsbError::Xml(_) | XlsbError::XmlAttr(_))
    }
    fn quotes_content(&self) -> bool {
        use XlsbError::*;
        matches!(self, Unrecognized { .. } | WorksheetNotFound(_))
    }
}

impl Failure for XlsError {
    fn password(&self) -> bool {
        matches!(self, XlsError::Password)
    }
    fn quotes_content(&self) -> bool {
        use XlsError::*;
        matches!(self, Unrecognized { .. } | WorksheetNotFound(_))
    }
}

impl Failure for OdsError {
    fn password(&self) -> bool {
        matches!(self, OdsError::Password)
    }
    fn malformed_xml(&self) -> bool {
        matches!(self, OdsError::Xml(_) | OdsError::XmlAttr(_))
    }
    fn quotes_content(&self) -> bool {
        use OdsError::*;
        matches!(
            self,
            InvalidMime(_) | Mismatch { .. } | WorksheetNotFound(_) | Parse(_)
        )
    }
}

/// Why a workbook could not be opened.
fn failure(kind: SheetFormat, e: &impl Failure) -> ExtractError {
    if e.password() {
        return ExtractError::Encrypted(kind.name());
    }
    ExtractError::Corrupt {
        format: kind.name(),
        message: message(e),
    }
}

/// Why one sheet could not be (fully) read.
fn sheet_failure(kind: SheetFormat, sheet: &str, e: &impl Failure) -> String {
    format!(
        "{} sheet \"{sheet}\" not (fully) read: {}",
        kind.name(),
        message(e)
    )
}

fn message(e: &impl Failure) -> String {
    if e.malformed_xml() {
        "malformed XML".to_string()
    } else if e.quotes_content() {
        "unexpected content".to_string()
    } else {
        e.to_string()
    }
}

/// Checks done before calamine reads an OLE (`xls`) file: its reader trusts
/// the file's sector chains and sizes, and makes a dense grid of each `xls`
/// sheet, so a few damaged bytes could make it loop, copy gigabytes, or
/// allocate rows × columns cells for a sheet with a stray cell at `XFD65536`.
mod guard {
    const END: u32 = 0xFFFF_FFFE;

    fn u16_at(b: &[u8], i: usize) -> Option<u32> {
        b.get(i..i + 2)
            .map(|b| u32::from(b[0]) | u32::from(b[1]) << 8)
    }

    fn u32_at(b: &[u8], i: usize) -> Option<u32> {
        Some(u16_at(b, i)? | u16_at(b, i + 2)? << 16)
    }

    fn words(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
        b.chunks_exact(4).filter_map(|w| u32_at(w, 0))
    }

    /// An OLE compound file whose chains were checked.
    struct Ole<'a> {
        data: &'a [u8],
        size: usize,
        fat: Vec<u32>,
    }

    impl<'a> Ole<'a> {
        fn sector(&self, id: u32) -> Option<&'a [u8]> {
            let start = (id as usize + 1).checked_mul(self.size)?;
            self.data.get(start..self.data.len().min(start + self.size))
        }

        /// The sector ids of a chain, an error when it loops.
        fn chain(&self, table: &[u32], mut id: u32) -> Result<Vec<u32>, &'static str> {
            let mut ids = Vec::new();
            while id != END {
                if ids.len() > table.len() {
                    return Err("cycle in an OLE sector chain");
                }
                ids.push(id);
                match table.get(id as usize) {
                    Some(&next) => id = next,
                    None => break,
                }
            }
            Ok(ids)
        }

        fn bytes(&self, ids: &[u32]) -> Vec<u8> {
            ids.iter()
                .filter_map(|&id| self.sector(id))
                .flatten()
                .copied()
                .collect()
        }
    }

    /// Reads the allocation tables and checks that the chains calamine
    /// follows end, and that no stream is declared larger than the file.
    fn open(data: &[u8]) -> Result<(Ole<'_>, Vec<[u8; 128]>), &'static str> {
        let size: usize = match data.get(30) {
            Some(9) => 512,
            Some(12) => 4096,
            _ => return Err("not an OLE file"),
        };
        let header = |i| u32_at(data, i).ok_or("truncated OLE header");
        let max_steps = data.len() / size + 1;
        // calamine reserves 4 bytes per unit of a count it reads at offset
        // 62, across two header fields (its own bug): normal files give at
        // most a few million, damaged ones up to 4 Gi, i.e. a 16 GiB
        // allocation that aborts the process where memory is short.
        if header(62)? > 1 << 28 {
            return Err("implausible OLE header");
        }
        // It also reserves 4 bytes per FAT sector the header claims (offset
        // 44): there cannot be more of those than sectors in the file.
        if header(44)? as usize > data.len() / size + 1 {
            return Err("implausible OLE header");
        }
        let mut ole = Ole {
            data,
            size,
            fat: Vec::new(),
        };
        // Master allocation table: 109 entries in the header, then a chain
        // whose sectors end with the next one's id.
        let mut difat: Vec<u32> = words(data.get(76..512).unwrap_or_default()).collect();
        let mut id = header(68)?;
        let mut steps = 0;
        while id < 0xFFFF_FFFA {
            steps += 1;
            if steps > max_steps {
                return Err("cycle in the OLE allocation table chain");
            }
            let Some(s) = ole.sector(id) else { break };
            difat.extend(words(s));
            id = difat.pop().unwrap_or(END);
        }
        ole.fat = difat
            .iter()
            .filter(|&&id| id < 0xFFFF_FFFC)
            .filter_map(|&id| ole.sector(id))
            .flat_map(words)
            .collect();
        let mut entries = Vec::new();
        for id in ole.chain(&ole.fat, header(48)?)? {
            for e in ole.sector(id).unwrap_or_default().chunks_exact(128) {
                let mut entry = [0u8; 128];
                entry.copy_from_slice(e);
                let len = u64::from(u32_at(e, 120).unwrap_or(0))
                    | if size == 512 {
                        0
                    } else {
                        u64::from(u32_at(e, 124).unwrap_or(0)) << 32
                    };
                if len > data.len() as u64 {
                    return Err("an OLE stream is declared larger than the file");
                }
                entries.push(entry);
            }
        }
        if let Some(root) = entries.first() {
            ole.chain(&ole.fat, u32_at(root, 116).unwrap_or(END))?; // the mini stream
        }
        if header(64)? > 0 {
            ole.chain(&ole.fat, header(60)?)?; // its allocation table
        }
        Ok((ole, entries))
    }

    /// Checks an OLE file before calamine opens it.
    pub(super) fn ole(data: &[u8]) -> Result<(), &'static str> {
        open(data).map(|_| ())
    }

    /// The named stream of an OLE file (from the mini stream when small).
    fn stream(data: &[u8], names: &[&str]) -> Result<Option<Vec<u8>>, &'static str> {
        let (ole, entries) = open(data)?;
        let name_of = |e: &[u8; 128]| {
            let n = (u16_at(e, 64).unwrap_or(0) as usize).clamp(2, 64) / 2 - 1;
            let units: Vec<u16> = (0..n)
                .filter_map(|i| u16_at(e, i * 2).map(|u| u as u16))
                .collect();
            String::from_utf16_lossy(&units)
        };
        let Some(e) = entries
            .iter()
            .find(|e| names.contains(&name_of(e).as_str()))
        else {
            return Ok(None);
        };
        let (start, len) = (
            u32_at(e, 116).unwrap_or(END),
            u32_at(e, 120).unwrap_or(0) as usize,
        );
        let mut bytes = if len >= 4096 {
            ole.bytes(&ole.chain(&ole.fat, start)?)
        } else {
            let root = entries.first().ok_or("no OLE root entry")?;
            let mini = ole.bytes(&ole.chain(&ole.fat, u32_at(root, 116).unwrap_or(END))?);
            let header = |i| u32_at(data, i).unwrap_or(END);
            let minifat: Vec<u32> = words(&ole.bytes(&ole.chain(&ole.fat, header(60))?)).collect();
            ole.chain(&minifat, start)?
                .iter()
                .filter_map(|&id| {
                    mini.get(id as usize * 64..(id as usize * 64 + 64).min(mini.len()))
                })
                .flatten()
                .copied()
                .collect()
        };
        bytes.truncate(len);
        Ok(Some(bytes))
    }

    /// Decompressed bytes of a workbook part a guard reads, at most: the
    /// start of the shared strings table, or a whole `content.xml`.
    const GUARD_READ: u64 = 64 << 20;

    /// The members whose path (case and `\\` ignored, as calamine finds
    /// them) ends with `/suffix` or is `suffix`: with duplicate names
    /// calamine takes one of them, and an xlsx may put its workbook's parts
    /// in any folder (`_rels/.rels` says which), so each is checked.
    fn parts(zip: &zip::ZipArchive<std::io::Cursor<&[u8]>>, suffix: &str) -> Vec<String> {
        let suffix = suffix.to_ascii_lowercase();
        // A name that is not text makes calamine fail to open the file.
        zip.file_names()
            .filter_map(Result::ok)
            .filter(|n| {
                let n = n.replace('\\', "/").to_ascii_lowercase();
                n == suffix || n.ends_with(&format!("/{suffix}"))
            })
            .map(std::borrow::Cow::into_owned)
            .collect()
    }

    /// An XML reader over a part, configured as calamine configures its own
    /// (so that both see the same elements), at most [`GUARD_READ`] bytes.
    fn xml_reader<R: std::io::Read>(
        part: R,
    ) -> quick_xml::Reader<std::io::BufReader<std::io::Take<R>>> {
        let mut r = quick_xml::Reader::from_reader(std::io::BufReader::new(part.take(GUARD_READ)));
        let config = r.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        config.check_comments = false;
        config.expand_empty_elements = true;
        r
    }

    /// The number an attribute value gives, read leniently (spaces, a
    /// sign, leading zeros: whatever a number parser might accept), or
    /// `None` without digits; saturating.
    fn lenient_number(value: &[u8]) -> Option<u64> {
        let digits = value
            .iter()
            .skip_while(|b| b.is_ascii_whitespace() || **b == b'+')
            .take_while(|b| b.is_ascii_digit());
        let mut n: Option<u64> = None;
        for d in digits {
            n = Some(
                n.unwrap_or(0)
                    .saturating_mul(10)
                    .saturating_add(u64::from(d - b'0')),
            );
        }
        n
    }

    /// Checks the count of strings an `xlsx` declares in its shared strings
    /// table, for which calamine reserves memory before reading them: each
    /// takes at least 4 bytes of the table (`<si/>`), and the table cannot
    /// inflate more than 16 times the whole file's size in strings. The
    /// table's start is parsed as calamine parses it (an XML parser: spaces
    /// around `=`, either quote, comments before the element), not matched
    /// as bytes; every `sst` attribute named `uniqueCount` counts.
    pub(super) fn shared_strings(data: &[u8]) -> Result<(), &'static str> {
        use quick_xml::events::Event;
        const LYING: &str = "the shared strings table declares more strings than it holds";
        let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(data)) else {
            return Ok(()); // calamine reports it
        };
        for name in parts(&zip, "sharedStrings.xml") {
            let Ok(file) = zip.by_name(&name) else {
                continue;
            };
            // calamine reserves 24 bytes a string: at most 768 MiB.
            let max = (file.size() / 4).min(16 * data.len() as u64).min(1 << 25);
            let mut xml = xml_reader(file);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match xml.read_event_into(&mut buf) {
                    Ok(Event::Start(e)) if e.local_name().as_ref() == b"sst" => {
                        for a in e.attributes().with_checks(false).flatten() {
                            if a.key.local_name().as_ref() == b"uniqueCount"
                                && lenient_number(&a.value).is_some_and(|n| n > max)
                            {
                                return Err(LYING);
                            }
                        }
                        break;
                    }
                    // calamine stops there too (and reports a damaged one).
                    Ok(Event::Eof) | Err(_) => break,
                    _ => {}
                }
                if xml.buffer_position() >= GUARD_READ {
                    return Err("the shared strings table does not start within 64 MiB");
                }
            }
        }
        Ok(())
    }

    /// Checks each sheet of an `ods` workbook before calamine makes a
    /// dense grid of it: repeated rows and columns
    /// (`number-rows-repeated` × `number-columns-repeated`) are counted as
    /// calamine expands them, and a sheet whose grid (the box of its cells
    /// with a value, or the cells the repeats make) exceeds
    /// [`SPARSE_CELLS`] must be at least 1/64 written out in the file. An
    /// 824-byte file would otherwise make 10 million cells (1.3 GB).
    pub(super) fn ods(data: &[u8]) -> Result<(), &'static str> {
        use quick_xml::events::Event;
        let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(data)) else {
            return Ok(()); // calamine reports it
        };
        for name in parts(&zip, "content.xml")
            .into_iter()
            .filter(|n| !n.contains(['/', '\\']))
        {
            let Ok(file) = zip.by_name(&name) else {
                continue;
            };
            let mut xml = xml_reader(file);
            let mut buf = Vec::new();
            let mut sheet = OdsSheet::default();
            loop {
                buf.clear();
                let (start, e) = match xml.read_event_into(&mut buf) {
                    Ok(Event::Start(e)) => (true, e.into_owned()),
                    Ok(Event::End(e)) => {
                        match e.local_name().as_ref() {
                            b"table" => std::mem::take(&mut sheet).check()?,
                            b"table-row" => sheet.end_row(),
                            _ => {}
                        }
                        continue;
                    }
                    Ok(Event::Eof) | Err(_) => break,
                    _ => continue,
                };
                debug_assert!(start);
                let repeat = |attr: &[u8]| {
                    e.attributes()
                        .with_checks(false)
                        .flatten()
                        .filter(|a| a.key.local_name().as_ref() == attr)
                        .filter_map(|a| lenient_number(&a.value))
                        .max()
                        .unwrap_or(1)
                        .max(1)
                };
                match e.local_name().as_ref() {
                    b"table" => sheet = OdsSheet::default(),
                    b"table-row" => sheet.start_row(repeat(b"number-rows-repeated")),
                    b"table-cell" | b"covered-table-cell" => {
                        let valued = e
                            .attributes()
                            .with_checks(false)
                            .flatten()
                            .any(|a| a.key.local_name().as_ref() == b"value-type");
                        sheet.cell(repeat(b"number-columns-repeated"), valued);
                    }
                    _ => {}
                }
            }
            sheet.check()?;
        }
        Ok(())
    }

    /// Rows of an `ods` sheet, at most (calamine's cap).
    const ODS_ROWS: u64 = 1 << 20;
    /// Columns of an `ods` row, at most (calamine's cap).
    const ODS_COLUMNS: u64 = 1 << 14;

    /// What [`ods`] counts of one sheet.
    #[derive(Default)]
    struct OdsSheet {
        /// The current row (0-based, repeats counted) and its repeat.
        row: u64,
        row_repeat: u64,
        /// The next cell's column in the current row.
        col: u64,
        /// The box of the cells with a value: rows and columns, min and max.
        rows: Option<(u64, u64)>,
        cols: Option<(u64, u64)>,
        /// Cells with a value, as expanded.
        expanded: u64,
        /// Cell elements written in the file.
        written: u64,
    }

    impl OdsSheet {
        fn start_row(&mut self, repeat: u64) {
            self.row_repeat = repeat.min(ODS_ROWS);
            self.col = 0;
        }

        fn end_row(&mut self) {
            self.row = (self.row + self.row_repeat.max(1)).min(ODS_ROWS);
            self.row_repeat = 0;
        }

        fn cell(&mut self, repeat: u64, valued: bool) {
            self.written += 1;
            let repeat = repeat.min(ODS_COLUMNS.saturating_sub(self.col));
            if valued && repeat > 0 {
                let last_row = (self.row + self.row_repeat.max(1) - 1).min(ODS_ROWS - 1);
                let last_col = self.col + repeat - 1;
                let widen = |b: Option<(u64, u64)>, lo: u64, hi: u64| {
                    Some(b.map_or((lo, hi), |(a, z)| (a.min(lo), z.max(hi))))
                };
                self.rows = widen(self.rows, self.row, last_row);
                self.cols = widen(self.cols, self.col, last_col);
                self.expanded = self
                    .expanded
                    .saturating_add(repeat.saturating_mul(self.row_repeat.max(1)));
            }
            self.col = (self.col + repeat).min(ODS_COLUMNS);
        }

        fn check(self) -> Result<(), &'static str> {
            let area = match (self.rows, self.cols) {
                (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1) * (c1 - c0 + 1),
                _ => 0,
            };
            let dense = area.max(self.expanded);
            if dense > SPARSE_CELLS && dense > 64 * self.written {
                return Err("repeated rows and columns expand a sheet to too many cells");
            }
            Ok(())
        }
    }

    /// Dense cells a sheet may make, at most, when it is not mostly full.
    const SPARSE_CELLS: u64 = 4 << 20;

    /// Checks the sheets of an `xls` workbook before calamine makes a dense
    /// grid of each: a sheet's extent (from its DIMENSIONS record, for which
    /// calamine reserves memory, and from its cells) must stay within what
    /// a BIFF8 sheet holds (65536 × 256), and a sheet more than 4 Mi cells
    /// large must be at least 1/64 full.
    pub(super) fn biff(data: &[u8]) -> Result<(), &'static str> {
        const TOO_LARGE: &str = "a sheet is larger than a workbook can hold";
        let Some(s) = stream(data, &["Workbook", "Book"])? else {
            return Ok(()); // calamine reports it
        };
        let mut i = 0;
        // (first row, last row, first col, last col, cells) of the sheet.
        let mut extent: Option<(u32, u32, u32, u32, u64)> = None;
        while let (Some(typ), Some(len)) = (u16_at(&s, i), u16_at(&s, i + 2)) {
            let r = s.get(i + 4..i + 4 + len as usize).unwrap_or_default();
            i += 4 + len as usize;
            let cells = match typ {
                0x0809 => {
                    extent = None;
                    continue;
                }
                0x000A => {
                    sparse(extent.take())?;
                    continue;
                }
                0x0200 => {
                    if dimensions(r).is_some_and(|n| n > 65_536 * 256) {
                        return Err(TOO_LARGE);
                    }
                    continue;
                }
                // Number, Label, BoolErr, Rk, LabelSst, Formula: one cell.
                0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x0006 => u16_at(r, 2).map(|c| (c, c)),
                // MulRk: columns first..last.
                0x00BD => u16_at(r, 2).zip(len.checked_sub(2).and_then(|l| u16_at(r, l as usize))),
                _ => None,
            };
            let (Some(row), Some((c0, c1))) = (u16_at(r, 0), cells) else {
                continue;
            };
            if c0 > 0xFF || c1 > 0xFF {
                return Err(TOO_LARGE);
            }
            let n = u64::from(c1.saturating_sub(c0) + 1);
            extent = Some(match extent {
                None => (row, row, c0, c1, n),
                Some((r0, r1, a, b, k)) => (r0.min(row), r1.max(row), a.min(c0), b.max(c1), k + n),
            });
        }
        sparse(extent)
    }

    /// A sheet more than [`SPARSE_CELLS`] large must be 1/64 full.
    fn sparse(extent: Option<(u32, u32, u32, u32, u64)>) -> Result<(), &'static str> {
        let Some((r0, r1, c0, c1, n)) = extent else {
            return Ok(());
        };
        let area = u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
        if area > SPARSE_CELLS && area > 64 * n {
            return Err("a sheet is too sparse to be read safely");
        }
        Ok(())
    }

    /// The cells a DIMENSIONS record declares, computed as calamine does.
    fn dimensions(r: &[u8]) -> Option<u64> {
        let (rf, rl, cf, cl) = match r.len() {
            10 => (u16_at(r, 0)?, u16_at(r, 2)?, u16_at(r, 4)?, u16_at(r, 6)?),
            14 => (u32_at(r, 0)?, u32_at(r, 4)?, u16_at(r, 8)?, u16_at(r, 10)?),
            _ => return None,
        };
        let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
        if rl == 0 || cl == 0 {
            return None;
        }
        let rows = (rl - 1).wrapping_sub(rf).wrapping_add(1);
        let cols = (cl - 1).wrapping_sub(cf).wrapping_add(1);
        Some(u64::from(rows) * u64::from(cols))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    /// Records units as (sheet!cell, text, column kind) and rows as
    /// (cell, role) lists.
    #[derive(Default)]
    struct Record {
        units: Vec<(String, String, Option<String>)>,
        rows: Vec<Vec<(String, Option<String>)>>,
        not_covered: Vec<String>,
    }

    impl UnitSink for Record {
        fn unit(&mut self, l: &Located<'_>) {
            let Origin::Cell { sheet, cell } = l.origin else {
                panic!("not a cell origin")
            };
            let kind = l.unit.column_kind.map(str::to_string);
            self.units
                .push((format!("{sheet}!{cell}"), l.unit.text.to_string(), kind));
        }
        fn row(&mut self, cells: &[RowCell<'_>]) {
            self.rows.push(
                cells
                    .iter()
                    .map(|c| {
                        let Origin::Cell { cell, .. } = c.origin else {
                            panic!("not a cell origin")
                        };
                        (format!("{cell}={}", c.text), c.role.map(|r| r.role.clone()))
                    })
                    .collect(),
            );
        }
        fn not_covered(&mut self, reason: &str) {
            self.not_covered.push(reason.to_string());
        }
    }

    fn ctx(columns: &ColumnTable) -> Ctx<'_> {
        Ctx {
            columns,
            deadline: Box::leak(Box::new(Deadline::unlimited())),
            cells: std::cell::Cell::new(0),
        }
    }

    fn read(kind: SheetFormat, file: &str) -> Result<Record, ExtractError> {
        let path = format!(
            "{}/fixtures/spreadsheets/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        let data = std::fs::read(path).expect("test data");
        let columns =
            ColumnTable::from_sources(&[("columns.toml", crate::detect::pattern::BUILTIN_COLUMNS)])
                .expect("test data");
        let mut bufs = super::super::Buffers::default();
        let limits = super::super::Limits::default();
        let deadline = super::super::Deadline::unlimited();
        let mut cx = Cx {
            columns: &columns,
            bufs: &mut bufs,
            limits: &limits,
            depth: 0,
            expanded: 0,
            deadline: &deadline,
        };
        let mut rec = Record::default();
        extract(kind, &data, &mut cx, &mut rec).map(|()| rec)
    }

    #[test]
    fn every_format_gives_the_same_cells_rows_and_column_kinds() {
        for (kind, file) in [
            (SheetFormat::Xlsx, "locataires.xlsx"),
            (SheetFormat::Xlsx, "locataires_libreoffice.xlsx"),
            (SheetFormat::Xls, "locataires.xls"),
            (SheetFormat::Ods, "locataires.ods"),
            (SheetFormat::Xlsb, "locataires.xlsb"),
        ] {
            let rec = read(kind, file).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(rec.not_covered.is_empty(), "{file}: {:?}", rec.not_covered);
            let unit = |cell: &str| {
                rec.units
                    .iter()
                    .find(|u| u.0 == cell)
                    .map(|u| (u.1.as_str(), u.2.as_deref()))
            };
            assert_eq!(
                unit("Locataires!C4"),
                Some(("05/12/1984", Some("birthdate")))
            );
            assert_eq!(unit("Locataires!D4"), Some(("612345678", Some("phone"))));
            assert_eq!(
                unit("Locataires!G4"),
                Some(("184127512345640", Some("nir")))
            );
            assert_eq!(unit("Locataires!H4"), Some(("01/03/2019", None)));
            assert_eq!(unit("Locataires!I4"), Some(("650.5", None)));
            // The title and the header are units without a column kind.
            assert_eq!(unit("Locataires!C3"), Some(("Date de naissance", None)));
            assert!(unit("Locataires!A1").is_some(), "{file}: title");
            assert_eq!(
                unit("Archives 2019!AB2").map(|u| u.1),
                Some(None),
                "{file}: hidden sheet"
            );
            if kind != SheetFormat::Xls {
                // xlwt stores no computed value for a formula.
                assert_eq!(
                    unit("Locataires!E5"),
                    Some(("sophie.martin@example.fr", Some("email")))
                );
            }
            // Every row but the headers (title, 4, 5, 6, archive's 2), with roles.
            assert_eq!(rec.rows.len(), 5, "{file}: {:?}", rec.rows);
            assert_eq!(rec.rows[0].len(), 1);
            assert_eq!(
                rec.rows[1][..2],
                [
                    ("A4=DUPONT".to_string(), Some("last_name".to_string())),
                    ("B4=Jean".to_string(), Some("first_name".to_string()))
                ]
            );
            assert_eq!(rec.rows[4][0].0, "A2=BERNARD");
            assert_eq!(
                rec.rows[4].last().expect("test data").0,
                "AB2=Nouvelle adresse mail : c.bernard@example.org"
            );
        }
    }

    #[test]
    fn broken_workbooks_are_errors() {
        let err = |kind, file| read(kind, file).err().map(|e| e.to_string());
        assert_eq!(
            err(SheetFormat::Xlsx, "chiffre.xlsx").as_deref(),
            Some("encrypted xlsx: not read")
        );
        assert!(err(SheetFormat::Xlsx, "tronque.xlsx")
            .expect("test data")
            .starts_with("corrupt xlsx"));
        assert!(err(SheetFormat::Xls, "tronque.xls")
            .expect("test data")
            .starts_with("corrupt xls"));
        assert!(err(SheetFormat::Ods, "tronque.xlsx")
            .expect("test data")
            .starts_with("corrupt ods"));
        assert!(err(SheetFormat::Xlsb, "locataires.xlsx")
            .expect("test data")
            .starts_with("corrupt xlsb"));
        // An old .xls named .xlsx is read as xls.
        assert!(read(SheetFormat::Xlsx, "locataires.xls").is_ok());
    }

    #[test]
    fn oversized_xls_dimensions_are_refused_before_calamine_reserves_them() {
        let path = format!(
            "{}/fixtures/spreadsheets/locataires.xls",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut data = std::fs::read(path).expect("test data");
        assert_eq!(guard::biff(&data), Ok(()));
        // The first sheet's DIMENSIONS record: last row + 1 = 2^31.
        let bof = memchr::memmem::find(&data, &[0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x10, 0x00]);
        let dims =
            memchr::memmem::find(&data[bof.expect("test data")..], &[0x00, 0x02, 0x0E, 0x00]);
        let at = bof.expect("test data") + dims.expect("test data") + 4 + 4;
        data[at..at + 4].copy_from_slice(&0x8000_0000u32.to_le_bytes());
        let mut rec = Record::default();
        let columns = ColumnTable::default();
        let err = read_bytes(SheetFormat::Xls, &data, &ctx(&columns), &mut rec).unwrap_err();
        assert!(err.to_string().contains("larger than a workbook"), "{err}");
    }

    #[test]
    fn implausible_shared_string_count_is_refused_before_calamine_reserves_it() {
        use std::io::{Read as _, Write as _};
        let path = format!(
            "{}/fixtures/spreadsheets/locataires_libreoffice.xlsx",
            env!("CARGO_MANIFEST_DIR")
        );
        let data = std::fs::read(path).expect("test data");
        assert_eq!(guard::shared_strings(&data), Ok(()));
        // The count as written, with a space before the quote, in single
        // quotes, and after a 5 KB comment: an XML parser reads them all.
        let comment = format!("<!-- {} -->", "x".repeat(5000));
        let rewrites: [&dyn Fn(&str) -> String; 4] = [
            &|b| b.replacen("uniqueCount=\"", "uniqueCount=\"9000000000", 1),
            &|b| b.replacen("uniqueCount=\"", "uniqueCount= \"9000000000", 1),
            &|b| {
                let at = b.find("uniqueCount=\"").expect("test data");
                let end = b[at + 13..].find('"').expect("test data") + at + 13;
                format!("{}uniqueCount = '9000000000'{}", &b[..at], &b[end + 1..])
            },
            &|b| {
                let b = b.replacen("uniqueCount=\"", "uniqueCount=\"9000000000", 1);
                let at = b.find("<sst").expect("test data");
                format!("{}{comment}{}", &b[..at], &b[at..])
            },
        ];
        for rewrite in rewrites {
            let mut zin = zip::ZipArchive::new(Cursor::new(&data[..])).expect("test data");
            let mut zout = zip::ZipWriter::new(Cursor::new(Vec::new()));
            for i in 0..zin.len() {
                let mut f = zin.by_index(i).expect("test data");
                let name = f.name().expect("test data").into_owned();
                let mut body = String::new();
                f.read_to_string(&mut body).expect("test data");
                if name == "xl/sharedStrings.xml" {
                    body = rewrite(&body);
                }
                zout.start_file(name, zip::write::SimpleFileOptions::default())
                    .expect("test data");
                zout.write_all(body.as_bytes()).expect("test data");
            }
            let bad = zout.finish().expect("test data").into_inner();
            let columns = ColumnTable::default();
            let err = read_bytes(
                SheetFormat::Xlsx,
                &bad,
                &ctx(&columns),
                &mut Record::default(),
            )
            .unwrap_err();
            assert!(err.to_string().contains("shared strings"), "{err}");
        }
    }

    #[test]
    fn damaged_workbooks_give_errors_not_crashes() {
        let columns = ColumnTable::default();
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as usize
        };
        for (kind, file) in [
            (SheetFormat::Xlsx, "locataires.xlsx"),
            (SheetFormat::Xls, "locataires.xls"),
            (SheetFormat::Ods, "locataires.ods"),
            (SheetFormat::Xlsb, "locataires.xlsb"),
        ] {
            let path = format!(
                "{}/fixtures/spreadsheets/{file}",
                env!("CARGO_MANIFEST_DIR")
            );
            let good = std::fs::read(path).expect("test data");
            for _ in 0..100 {
                let mut data = good.clone();
                if next() % 3 == 0 {
                    data.truncate(next() % good.len());
                } else {
                    for _ in 0..1 + next() % 16 {
                        let i = next() % data.len();
                        data[i] = next() as u8;
                    }
                }
                let t = std::time::Instant::now();
                let _ = guarded(
                    kind,
                    &data,
                    &columns,
                    &Deadline::unlimited(),
                    &mut Record::default(),
                );
                assert!(
                    t.elapsed().as_secs() < 5,
                    "{file}: damaged copy read slowly"
                );
            }
        }
    }

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(6, 5), "F7");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(9, 26), "AA10");
        assert_eq!(a1(0, 701), "ZZ1");
        assert_eq!(a1(0, 702), "AAA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
        assert_eq!(a1(u32::MAX, u32::MAX), "MWLQKWV4294967296");
    }

    #[test]
    fn numbers_in_full() {
        let t = |v: Data| View::of(&v).text().expect("test data");
        assert_eq!(t(Data::Float(184127512345640.0)), "184127512345640");
        assert_eq!(t(Data::Float(612345678.0)), "612345678");
        assert_eq!(t(Data::Float(1e20)), "100000000000000000000");
        assert_eq!(t(Data::Float(12.5)), "12.5");
        assert_eq!(t(Data::Int(-3)), "-3");
        assert!(View::of(&Data::Bool(true)).text().is_none());
    }

    #[test]
    fn dates_in_french() {
        let d = |v, t| excel_date(ExcelDateTime::new(v, t, false));
        assert_eq!(d(31021.0, ExcelDateTimeType::DateTime), "05/12/1984");
        assert_eq!(
            d(31021.5, ExcelDateTimeType::DateTime),
            "05/12/1984 12:00:00"
        );
        assert_eq!(d(0.75, ExcelDateTimeType::DateTime), "18:00:00");
        assert_eq!(d(1.5, ExcelDateTimeType::TimeDelta), "1.5");
        assert_eq!(d(-1.0, ExcelDateTimeType::DateTime), "-1");
        assert_eq!(d(1e300, ExcelDateTimeType::DateTime), 1e300.to_string());
        assert_eq!(
            excel_date(ExcelDateTime::new(
                29559.0,
                ExcelDateTimeType::DateTime,
                true
            )),
            "05/12/1984"
        );
        assert_eq!(iso_date("1984-12-05").as_deref(), Some("05/12/1984"));
        assert_eq!(
            iso_date("1984-12-05T00:00:00").as_deref(),
            Some("05/12/1984")
        );
        assert_eq!(
            iso_date("2024-03-01T08:30:00.5").as_deref(),
            Some("01/03/2024 08:30:00")
        );
        assert_eq!(iso_date("PT8H"), None);
        assert_eq!(iso_date("1984-1é-05"), None);
    }
}
