//! Placeholder: tests of the spreadsheet extractor are being written.
