//! Placeholder: tests of the pdf extractor are being written.
