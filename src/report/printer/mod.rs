//! Printers: each turns the stream of records into one output format.
//! A new format is one file here.

mod csv;
mod html;
mod json;
pub(crate) mod table;

use super::Record;
use std::io::{self, Write};

/// Output formats (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Human summary.
    Table,
    /// One JSON record a line.
    Jsonl,
    /// The same records as one JSON array.
    Json,
    /// One row per finding.
    Csv,
    /// A self-contained report to open and print.
    Html,
}

impl OutputFormat {
    /// Parses a `--format` value.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "table" => Self::Table,
            "jsonl" => Self::Jsonl,
            "json" => Self::Json,
            "csv" => Self::Csv,
            "html" => Self::Html,
            _ => return None,
        })
    }
}

/// Receives records in order and writes them out.
pub trait Printer {
    /// One record; the `summary` record comes last.
    fn record(&mut self, r: &Record) -> io::Result<()>;
    /// Flushes what is buffered.
    fn finish(&mut self) -> io::Result<()>;
}

/// What the printers need to know of the run besides the records.
#[derive(Debug, Clone, Default)]
pub struct PrintOptions {
    /// The command line's roots, shown in headers.
    pub title: String,
    /// Values are revealed (`--reveal`).
    pub reveal: bool,
}

/// The printer for `format`, writing to `out`.
pub fn new_printer(
    format: OutputFormat,
    out: Box<dyn Write + Send>,
    opts: PrintOptions,
) -> Box<dyn Printer + Send> {
    match format {
        OutputFormat::Jsonl => Box::new(JsonLines { out }),
        OutputFormat::Json => Box::new(json::Json::new(out)),
        OutputFormat::Csv => Box::new(csv::Csv::new(out, opts.reveal)),
        OutputFormat::Table => Box::new(table::Table::new(out)),
        OutputFormat::Html => Box::new(html::Html::new(out, opts)),
    }
}

/// `--format jsonl`: one record a line, written as it comes.
struct JsonLines {
    out: Box<dyn Write + Send>,
}

impl Printer for JsonLines {
    fn record(&mut self, r: &Record) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, r)?;
        self.out.write_all(b"\n")
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

pub use table::human_bytes;
