//! Placeholder: tests of the containers extractor are being written.
