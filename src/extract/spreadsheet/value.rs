//! Cell values as text: numbers in full, dates in French.

use calamine::{Data, DataRef, ExcelDateTime};

/// A cell value, borrowed from either of calamine's cell types.
pub(super) enum View<'a> {
    Str(&'a str),
    Int(i64),
    Float(f64),
    Date(ExcelDateTime),
    Iso(&'a str),
    /// Booleans and errors: nothing personal.
    None,
}

impl<'a> View<'a> {
    pub(super) fn of(v: &'a Data) -> Self {
        match v {
            Data::String(s) | Data::DurationIso(s) => View::Str(s),
            Data::Int(i) => View::Int(*i),
            Data::Float(f) => View::Float(*f),
            Data::DateTime(d) => View::Date(*d),
            Data::DateTimeIso(s) => View::Iso(s),
            Data::Bool(_) | Data::Error(_) | Data::Empty => View::None,
        }
    }

    pub(super) fn of_ref(v: &'a DataRef<'_>) -> Self {
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
    pub(super) fn text(&self) -> Option<String> {
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
pub(super) fn excel_date(d: ExcelDateTime) -> String {
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
pub(super) fn iso_date(s: &str) -> Option<String> {
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
