//! calamine's errors, per format, as pdscout's (encrypted, corrupt), worded
//! without quoting the file's content.

use crate::extract::{ExtractError, SheetFormat};
use calamine::{OdsError, XlsError, XlsbError, XlsxError};

/// What calamine's per-format errors have in common here.
pub(super) trait Failure: std::fmt::Display {
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
pub(super) fn failure(kind: SheetFormat, e: &impl Failure) -> ExtractError {
    if e.password() {
        return ExtractError::Encrypted(kind.name());
    }
    ExtractError::Corrupt {
        format: kind.name(),
        message: message(e),
    }
}

/// Why one sheet could not be (fully) read.
pub(super) fn sheet_failure(kind: SheetFormat, sheet: &str, e: &impl Failure) -> String {
    format!(
        "{} sheet \"{sheet}\" not (fully) read: {}",
        kind.name(),
        message(e)
    )
}

pub(super) fn message(e: &impl Failure) -> String {
    if e.malformed_xml() {
        "malformed XML".to_string()
    } else if e.quotes_content() {
        "unexpected content".to_string()
    } else {
        e.to_string()
    }
}
