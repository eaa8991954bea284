//! What calamine does not give of an `ods` workbook, read from its
//! `content.xml` with quick-xml: cell comments (`office:annotation`, one unit
//! each at its cell: the author's name, then the text), and, when calamine refuses the workbook (KSpread's
//! indented XML: "unexpected content"), the text of every cell. Repeated rows
//! and columns move the position but are not expanded: a repeated cell is
//! read once. The part is read through [`guard::xml_reader`] (at most
//! [`guard::GUARD_READ`] bytes).

use super::guard::{lenient_number, parts, xml_reader};
use super::sheet::{a1, Sheet};
use super::value::View;
use super::Ctx;
use crate::extract::{Located, Origin, UnitSink};
use crate::model::Unit;
use quick_xml::events::{BytesStart, Event};

/// Reads the comments of `data`'s sheets, and the text of their cells too
/// when `cells` (calamine read none). Returns whether a sheet was found.
pub(super) fn read(data: &[u8], cells: bool, cx: &Ctx<'_>, sink: &mut dyn UnitSink) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(data)) else {
        return false;
    };
    let Some(name) = parts(&zip, "content.xml")
        .into_iter()
        .find(|n| !n.contains(['/', '\\']))
    else {
        return false;
    };
    let Ok(file) = zip.by_name(&name) else {
        return false;
    };
    let mut xml = xml_reader(file);
    let mut buf = Vec::new();
    let mut w = Walk::default();
    let mut found = false;
    let mut sheet_name = String::new();
    // The current sheet's cells (calamine read none): (row, column, text).
    let mut pending: Vec<(u32, u32, String)> = Vec::new();
    loop {
        buf.clear();
        if cx.deadline.tick() {
            break;
        }
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                b"table" => {
                    found = true;
                    flush(&sheet_name, &mut pending, cx, sink);
                    sheet_name = attr(&e, b"name").unwrap_or_default();
                    w = Walk::default();
                }
                b"table-row" => {
                    w.col = 0;
                    w.row_repeat = number(&e, b"number-rows-repeated");
                }
                b"table-cell" | b"covered-table-cell" => {
                    w.cell = Some(w.col);
                    w.col = w.col.saturating_add(number(&e, b"number-columns-repeated"));
                    w.text.clear();
                }
                b"annotation" if w.cell.is_some() => {
                    w.annotation = Some(String::new());
                }
                // A comment's date is not its text (its author, a name, is).
                b"date" if w.annotation.is_some() => w.skip += 1,
                b"creator" => w.paragraph(),
                b"p" | b"h" => w.paragraph(),
                b"s" | b"tab" => w.push(" "),
                b"line-break" => w.push("\n"),
                _ if w.skip > 0 => w.skip += 1,
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                _ if w.skip > 0 => w.skip -= 1,
                b"table-row" => w.row = w.row.saturating_add(w.row_repeat),
                b"annotation" => {
                    if let (Some(text), Some(col)) = (w.annotation.take(), w.cell) {
                        let cell = a1(clamp(w.row), clamp(col));
                        let text = text.trim();
                        if !text.is_empty() {
                            sink.unit(&Located {
                                unit: Unit::whole(text),
                                origin: Origin::Cell {
                                    sheet: &sheet_name,
                                    cell: &cell,
                                },
                            });
                        }
                    }
                }
                b"table-cell" | b"covered-table-cell" => {
                    if let (true, Some(col)) = (cells, w.cell.take()) {
                        if !w.text.trim().is_empty() && !cx.over_budget(clamp(w.row), sink) {
                            pending.push((clamp(w.row), clamp(col), std::mem::take(&mut w.text)));
                        }
                    }
                    w.cell = None;
                }
                _ => {}
            },
            Ok(Event::Text(t)) => w.push(&String::from_utf8_lossy(&t)),
            Ok(Event::CData(t)) => w.push(&String::from_utf8_lossy(&t)),
            Ok(Event::GeneralRef(r)) => {
                if let Some(c) = crate::extract::markup::common::entity(&r) {
                    w.push(c.encode_utf8(&mut [0; 4]));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    flush(&sheet_name, &mut pending, cx, sink);
    found
}

/// Hands a sheet's cells over, row by row.
fn flush(name: &str, pending: &mut Vec<(u32, u32, String)>, cx: &Ctx<'_>, sink: &mut dyn UnitSink) {
    let mut sheet = Sheet::new(name, cx.columns);
    for (row, col, text) in pending.drain(..) {
        sheet.cell(row, col, View::Str(&text), sink);
    }
    sheet.finish(sink);
}

/// Where the walk is in the current sheet.
#[derive(Default)]
struct Walk {
    /// The current row (0-based) and how many rows it stands for.
    row: u64,
    row_repeat: u64,
    /// The next cell's column; the current cell's.
    col: u64,
    cell: Option<u64>,
    /// The current cell's text (its paragraphs on lines of their own).
    text: String,
    /// The open comment's text.
    annotation: Option<String>,
    /// Depth inside elements whose text is skipped.
    skip: u32,
}

impl Walk {
    fn target(&mut self) -> Option<&mut String> {
        if self.skip > 0 || self.cell.is_none() {
            None
        } else if let Some(a) = &mut self.annotation {
            Some(a)
        } else {
            Some(&mut self.text)
        }
    }

    fn paragraph(&mut self) {
        if let Some(t) = self.target() {
            if !t.is_empty() {
                t.push('\n');
            }
        }
    }

    /// Text in the cell or comment; the XML's own line breaks and
    /// indentation between elements are not the document's.
    fn push(&mut self, s: &str) {
        if let Some(t) = self.target() {
            if s.trim().is_empty() && s.contains('\n') {
                return;
            }
            t.push_str(s);
        }
    }
}

/// An attribute's value, by local name.
fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// A repeat count (1 when absent).
fn number(e: &BytesStart<'_>, name: &[u8]) -> u64 {
    attr(e, name)
        .and_then(|v| lenient_number(v.as_bytes()))
        .unwrap_or(1)
        .max(1)
}

fn clamp(n: u64) -> u32 {
    n.min(u64::from(u32::MAX)) as u32
}
