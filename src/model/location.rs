//! Where a finding is: line/column for text, field for CSV, sheet/cell for
//! spreadsheets, page for PDF, and in a JSON, YAML or XML record the path of
//! the value besides its line (the records' `location`).

use serde::Serialize;

/// A finding's location, as printed (unused parts `null`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub sheet: Option<String>,
    pub cell: Option<String>,
    pub page: Option<u32>,
    /// A file or folder name (0-based index of the component: below the
    /// scan root for a file, in the member's name for an archive member).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_component: Option<u32>,
    /// The value's place in a JSON, NDJSON or YAML record
    /// (`$.locataires[12].adresse.ville`, JSONPath, arrays from 0) or in an
    /// XML document (`/export/locataire[13]/nom`, XPath, siblings of one
    /// name from 1, `[1]` left out: one field, the SPEC's), besides its line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_path: Option<String>,
}

/// Where a unit's text starts, so that offsets inside it can be located.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// Flowing text: `line` (1-based) and `column` (0-based, in characters)
    /// of the unit's first byte, and its byte offset in the decoded file.
    Text { line: u64, column: u64, offset: u64 },
    /// A delimited-text field: the record's first line and the field's
    /// 1-based position.
    Field { line: u64, field: u64 },
    /// A spreadsheet cell.
    Cell { sheet: &'a str, cell: &'a str },
    /// A PDF page (1-based).
    Page { page: u32 },
}

/// Turns byte offsets of one unit into locations. Offsets must be asked in
/// increasing order; newlines are counted once.
pub struct Locator<'t, 'a> {
    text: &'t str,
    origin: Origin<'a>,
    /// Offset up to which lines and columns were counted.
    pos: usize,
    line: u64,
    /// Characters from the start of the line to `pos` (0-based column).
    col: u64,
}

impl<'t, 'a> Locator<'t, 'a> {
    pub fn new(text: &'t str, origin: Origin<'a>) -> Self {
        let (line, col) = match origin {
            Origin::Text { line, column, .. } => (line, column),
            _ => (0, 0),
        };
        Locator {
            text,
            origin,
            pos: 0,
            line,
            col,
        }
    }

    /// The location of byte `offset`.
    pub fn locate(&mut self, offset: usize) -> Location {
        match self.origin {
            Origin::Text { .. } => {
                let offset = offset.max(self.pos);
                let seg = &self.text[self.pos..offset];
                match memchr::memrchr(b'\n', seg.as_bytes()) {
                    Some(last) => {
                        self.line += memchr::memchr_iter(b'\n', seg.as_bytes()).count() as u64;
                        self.col = seg[last + 1..].chars().count() as u64;
                    }
                    None => self.col += seg.chars().count() as u64,
                }
                self.pos = offset;
                Location {
                    line: Some(self.line),
                    column: Some(self.col + 1),
                    ..Location::default()
                }
            }
            Origin::Field { line, field } => Location {
                line: Some(line),
                column: Some(field),
                ..Location::default()
            },
            Origin::Cell { sheet, cell } => Location {
                sheet: Some(sheet.to_string()),
                cell: Some(cell.to_string()),
                ..Location::default()
            },
            Origin::Page { page } => Location {
                page: Some(page),
                ..Location::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_char_columns() {
        let t = "ab\néé x\nz";
        let mut l = Locator::new(
            t,
            Origin::Text {
                line: 1,
                column: 0,
                offset: 0,
            },
        );
        assert_eq!(l.locate(0).line, Some(1));
        let x = t.find('x').expect("test data");
        let loc = l.locate(x);
        assert_eq!((loc.line, loc.column), (Some(2), Some(4)));
        let z = t.find('z').expect("test data");
        let loc = l.locate(z);
        assert_eq!((loc.line, loc.column), (Some(3), Some(1)));
    }

    #[test]
    fn continues_a_line_started_before() {
        let t = "abc\nd";
        let mut l = Locator::new(
            t,
            Origin::Text {
                line: 7,
                column: 10,
                offset: 0,
            },
        );
        let loc = l.locate(1);
        assert_eq!((loc.line, loc.column), (Some(7), Some(12)));
    }
}
