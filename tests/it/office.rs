//! Placeholder: tests of the office extractor are being written.
