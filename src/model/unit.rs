//! The text extractors hand to detectors: units of text, and the cells of a
//! table row.

use super::columns::ColumnRole;
use crate::model::location::Origin;
use std::ops::Range;

/// A piece of text to search, as an extractor hands it over.
#[derive(Debug, Clone)]
pub struct Unit<'a> {
    pub text: &'a str,
    /// Findings must start in this range; the rest of `text` is context only
    /// (the overlap between chunks of a large file).
    pub report: Range<usize>,
    /// The kind named by the column header this text sits under, if any.
    pub column_kind: Option<&'a str>,
}

impl<'a> Unit<'a> {
    /// A whole text, no column.
    pub fn whole(text: &'a str) -> Self {
        Unit {
            text,
            report: 0..text.len(),
            column_kind: None,
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
