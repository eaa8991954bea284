//! Excel 2.x–4.0 worksheets (BIFF2, BIFF3, BIFF4): a bare record stream,
//! without OLE container, which calamine does not read. Only the records
//! that hold a cell's value are read ([MS-XLS]'s ancestors, as documented
//! by OpenOffice's "Excel File Format"): `LABEL` (text), `NUMBER`,
//! `INTEGER`, `RK`, and `STRING` (a formula's text result, placed at that
//! formula's cell). 8-bit text is decoded in the `CODEPAGE` record's code
//! page (Windows-1252 when there is none). A BIFF4 workbook
//! (several sheets in one stream) is read as one sheet.

use super::sheet::Sheet;
use super::value::View;
use super::Ctx;
use crate::extract::ole::{u16_at, u32_at};
use crate::extract::UnitSink;

const BOF: [u16; 3] = [0x0009, 0x0209, 0x0409];

/// Whether `head` starts with the BOF record of a BIFF2–4 worksheet or
/// workbook.
pub fn is_biff(head: &[u8]) -> bool {
    let (Some(kind), Some(len), Some(dt)) = (u16_at(head, 0), u16_at(head, 2), u16_at(head, 6))
    else {
        return false;
    };
    BOF.contains(&kind) && (4..=16).contains(&len) && matches!(dt, 0x0010 | 0x0100)
}

/// Reads the cells of a BIFF2–4 stream.
pub(super) fn read(data: &[u8], cx: &Ctx<'_>, sink: &mut dyn UnitSink) {
    let mut sheet = Sheet::new("Sheet1", cx.columns);
    let mut encoding = encoding_rs::WINDOWS_1252;
    // The last formula's cell, for the STRING record after it.
    let mut formula: Option<(u32, u32)> = None;
    let mut i = 0usize;
    while let (Some(kind), Some(len)) = (u16_at(data, i), u16_at(data, i + 2)) {
        let start = i + 4;
        let Some(r) = data.get(start..start + usize::from(len)) else {
            break;
        };
        i = start + usize::from(len);
        let at = || Some((u32::from(u16_at(r, 0)?), u32::from(u16_at(r, 2)?)));
        let cell = match kind {
            0x0042 => {
                encoding = code_page(u16_at(r, 0).unwrap_or(1252));
                continue;
            }
            // LABEL: BIFF2 (3 attribute bytes, an 8-bit length), BIFF3/4 (XF index, 16-bit length).
            0x0004 => at().zip(text(r, r.get(7).map(|&n| usize::from(n)), 8, encoding)),
            0x0204 => at().zip(text(r, u16_at(r, 6).map(usize::from), 8, encoding)),
            // NUMBER: BIFF2 after 3 attribute bytes, BIFF3/4 after the XF index.
            0x0003 => at().zip(float(r, 7)),
            0x0203 => at().zip(float(r, 6)),
            // INTEGER (BIFF2).
            0x0002 => at().zip(u16_at(r, 7).map(|n| Value::Int(i64::from(n)))),
            0x027E => at().zip(u32_at(r, 6).map(rk)),
            // FORMULA (BIFF2, 3, 4): a text result follows in STRING.
            0x0006 | 0x0206 | 0x0406 => {
                formula = at();
                continue;
            }
            0x0007 => formula
                .take()
                .zip(text(r, r.first().map(|&n| usize::from(n)), 1, encoding)),
            0x0207 => formula
                .take()
                .zip(text(r, u16_at(r, 0).map(usize::from), 2, encoding)),
            _ => continue,
        };
        let Some(((row, col), value)) = cell else {
            continue;
        };
        if cx.over_budget(row, sink) {
            break;
        }
        let view = match &value {
            Value::Text(s) => View::Str(s),
            Value::Int(n) => View::Int(*n),
            Value::Float(f) => View::Float(*f),
        };
        sheet.cell(row, col, view, sink);
        if cx.deadline.tick() {
            cx.deadline.report(sink, &format!("row {}", row + 1));
            break;
        }
    }
    sheet.finish(sink);
}

enum Value {
    Text(String),
    Int(i64),
    Float(f64),
}

/// `len` bytes of text from `start` (cut at the record's end).
fn text(
    r: &[u8],
    len: Option<usize>,
    start: usize,
    encoding: &'static encoding_rs::Encoding,
) -> Option<Value> {
    let bytes = r.get(start..start + len?).or_else(|| r.get(start..))?;
    Some(Value::Text(
        encoding.decode_without_bom_handling(bytes).0.into_owned(),
    ))
}

fn float(r: &[u8], at: usize) -> Option<Value> {
    let b = r.get(at..at + 8)?;
    Some(Value::Float(f64::from_le_bytes(b.try_into().ok()?)))
}

/// An RK number: a 30-bit integer or the high bits of a double, maybe ×100.
fn rk(v: u32) -> Value {
    let hundredths = v & 1 != 0;
    if v & 2 != 0 {
        let n = i64::from((v as i32) >> 2);
        if hundredths {
            Value::Float(n as f64 / 100.0)
        } else {
            Value::Int(n)
        }
    } else {
        let f = f64::from_bits(u64::from(v & !3) << 32);
        Value::Float(if hundredths { f / 100.0 } else { f })
    }
}

/// The encoding of a Windows code page number (Windows-1252 when unknown).
fn code_page(cp: u16) -> &'static encoding_rs::Encoding {
    let label = match cp {
        932 => "shift_jis".to_string(),
        936 => "gbk".to_string(),
        949 => "euc-kr".to_string(),
        950 => "big5".to_string(),
        0x8000 | 10000 => "macintosh".to_string(),
        874 | 1250..=1258 => format!("windows-{cp}"),
        _ => "windows-1252".to_string(),
    };
    encoding_rs::Encoding::for_label(label.as_bytes()).unwrap_or(encoding_rs::WINDOWS_1252)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rk_numbers() {
        assert!(matches!(rk((612_345 << 2) | 2), Value::Int(612_345)));
        assert!(matches!(rk((1234 << 2) | 3), Value::Float(f) if (f - 12.34).abs() < 1e-9));
        let one = (1.0f64.to_bits() >> 32) as u32;
        assert!(matches!(rk(one), Value::Float(f) if f == 1.0));
    }

    #[test]
    fn biff_bof() {
        assert!(is_biff(&[0x09, 0x04, 6, 0, 0, 0, 0x10, 0]));
        assert!(!is_biff(&[0x09, 0x08, 16, 0, 0, 6, 0x10, 0]));
        assert!(!is_biff(b"\x09\x04"));
    }
}
