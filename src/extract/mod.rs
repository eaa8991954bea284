//! Extraction: a file's bytes → text units with locations.
//!
//! Each format is one module that reads a file and hands [`Located`] units to
//! a [`UnitSink`]; extractors never know which detectors run, and detectors
//! never know the format. [`sniff`] picks the format from magic bytes first,
//! then the extension.

pub mod csv;
pub mod location;
pub mod text;

pub use location::{Location, Origin};

use crate::detect::Unit;

/// A text unit with where it sits in the file.
#[derive(Debug, Clone)]
pub struct Located<'a> {
    pub unit: Unit<'a>,
    pub origin: Origin<'a>,
}

/// Receives the units of one file, in order.
pub trait UnitSink {
    /// One unit of text.
    fn unit(&mut self, located: &Located<'_>);
}

/// Why a file could not be (fully) read.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("read error: {0}")]
    Io(#[from] std::io::Error),
    #[error("unsupported format ({0}): not read")]
    Unsupported(&'static str),
    #[error("corrupt {format}: {message}")]
    Corrupt {
        format: &'static str,
        message: String,
    },
}

/// What a file is, as far as extraction is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text in some encoding.
    Text,
    /// Delimited text with columns.
    Csv,
    /// Not text: NUL bytes near the start and no known format. Skipped and counted.
    Binary,
    /// A known document format that this build cannot read yet.
    Unsupported(&'static str),
}

impl Format {
    /// The name printed in `file` records and the summary.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Csv => "csv",
            Format::Binary => "binary",
            Format::Unsupported(n) => n,
        }
    }
}

/// How many leading bytes [`sniff`] needs.
pub const SNIFF_LEN: usize = 8192;

/// What [`sniff`] learnt of a file.
#[derive(Debug, Clone, Copy)]
pub struct Sniffed {
    pub format: Format,
    /// The text encoding (text formats).
    pub encoding: &'static encoding_rs::Encoding,
    /// Length of the byte-order mark to skip.
    pub bom: usize,
}

/// The format of a file from its first bytes and its name.
pub fn sniff(name: &str, head: &[u8]) -> Sniffed {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let sniffed = |format, (encoding, bom)| Sniffed {
        format,
        encoding,
        bom,
    };
    if let Some(f) = magic(head, &ext) {
        return sniffed(f, (encoding_rs::UTF_8, 0));
    }
    let Some(enc) = text::sniff_encoding(head) else {
        return sniffed(Format::Binary, (encoding_rs::UTF_8, 0));
    };
    let format = match ext.as_str() {
        "csv" | "tsv" | "tab" => Format::Csv,
        _ => Format::Text,
    };
    sniffed(format, enc)
}

/// Known binary formats by magic bytes.
fn magic(head: &[u8], ext: &str) -> Option<Format> {
    let f = if head.starts_with(b"%PDF-") {
        "pdf"
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        match ext {
            "xlsx" | "xlsm" | "xlsb" => "xlsx",
            "docx" | "docm" => "docx",
            "pptx" => "pptx",
            "odt" => "odt",
            "ods" => "ods",
            "odp" => "odp",
            _ => "zip",
        }
    } else if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        match ext {
            "xls" => "xls",
            "msg" => "msg",
            _ => "doc",
        }
    } else if head.starts_with(&[0x1F, 0x8B]) {
        "gzip"
    } else if head.len() > 262 && &head[257..262] == b"ustar" {
        "tar"
    } else {
        return None;
    };
    Some(Format::Unsupported(f))
}
