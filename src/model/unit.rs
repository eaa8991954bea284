//! The text extractors hand to detectors: units of text, and the cells of a
//! table row.

use super::columns::ColumnRole;
use crate::model::location::Origin;
use std::ops::Range;

/// What a screen of a delimited file's lines (the scan's
/// `UnitSink::may_find`) tells a reader of the cells that hold none of the
/// matches it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Nothing: every unit and row must be given (the default).
    Off,
    /// They give nothing to the sink (only regexes run): such a cell, and a
    /// row holding only such cells, may be left out.
    Cells,
    /// No regex finding (names and addresses run too): such a cell is
    /// given marked [`Unit::regex_free`], unless it holds no letter
    /// ([`has_letters`]: then it gives nothing either); a row holding no
    /// cell given may be left out.
    Regexes,
}

/// Longest value a detector reports: a match is looked for no further than
/// this past the last place it may start, and a large text's chunks
/// overlap by as much.
pub const LONGEST_VALUE: usize = 2048;

/// Whether `text` holds a letter (an ASCII one, or any character beyond
/// ASCII). Names and addresses are written in letters: a cell of numbers,
/// dates and amounts (most of an accounting export's) holds none.
pub fn has_letters(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_alphabetic() || b >= 0x80)
}

/// A piece of text to search, as an extractor hands it over.
#[derive(Debug, Clone)]
pub struct Unit<'a> {
    pub text: &'a str,
    /// Findings must start in this range; the rest of `text` is context only
    /// (the overlap between chunks of a large file).
    pub report: Range<usize>,
    /// The kind named by the column header this text sits under, if any.
    pub column_kind: Option<&'a str>,
    /// A screen of the text around this unit found no match of the sink's
    /// regexes in it ([`Screen::Regexes`]): their search
    /// can be left out. `false` when nothing is known.
    pub regex_free: bool,
}

impl<'a> Unit<'a> {
    /// A whole text, no column.
    pub fn whole(text: &'a str) -> Self {
        Unit::typed(text, None)
    }

    /// A whole text under a column of `kind` (a record's keyed value).
    pub fn typed(text: &'a str, kind: Option<&'a str>) -> Self {
        Unit {
            text,
            report: 0..text.len(),
            column_kind: kind,
            regex_free: false,
        }
    }
}

/// One cell of a table row, for detectors that combine cells (a "Nom" and a
/// "Prénom" cell make one name).
#[derive(Debug, Clone)]
pub struct RowCell<'a> {
    pub text: &'a str,
    pub role: Option<&'a ColumnRole>,
    pub origin: Origin<'a>,
}
