//! Printers: each turns the stream of records into one output format.
//! A new format is one file here.

pub(crate) mod csv;
pub(crate) mod html;
mod json;
pub(crate) mod table;

use super::{FileRecord, FindingView, Record};
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
    /// No records (a `sweep` keeps only the inventory and the summary).
    Discard,
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
    /// Records already encoded by [`Outbox`] in this printer's format.
    fn encoded(&mut self, bytes: &[u8]) -> io::Result<()> {
        let _ = bytes;
        Err(io::Error::other("this format has no encoded records"))
    }
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
    /// `pdscout subject`: the request's identifiers, masked.
    pub subject: Option<Vec<(String, String)>>,
    /// The roots searched, exactly as given (a subject's report names them).
    pub roots: Vec<String>,
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
        OutputFormat::Csv => Box::new(csv::Csv::new(out, opts.reveal, opts.subject.is_some())),
        OutputFormat::Table => Box::new(table::Table::new(out, opts.subject.is_some())),
        OutputFormat::Html => Box::new(html::Html::new(out, opts)),
        OutputFormat::Discard => Box::new(Discard),
    }
}

/// Records on their way from a worker to the writer. For line formats
/// (jsonl, csv) the worker encodes them itself, so that the one writer
/// thread only copies bytes; other formats keep the values.
#[derive(Debug, Default)]
pub struct Outbox {
    line: Option<LineFormat>,
    /// The printer shows no finding records (`table`): they are not kept.
    drop_findings: bool,
    /// Records kept as values.
    pub records: Vec<Record>,
    /// Records already encoded.
    pub bytes: Vec<u8>,
    count: usize,
    /// The last finding's path, and the start of its JSON lines.
    path_json: (String, Vec<u8>),
}

#[derive(Debug, Clone, Copy)]
enum LineFormat {
    Jsonl,
    Csv { reveal: bool },
    Discard,
}

impl Outbox {
    /// An empty outbox for `format`.
    pub fn new(format: OutputFormat, reveal: bool) -> Self {
        let line = match format {
            OutputFormat::Jsonl => Some(LineFormat::Jsonl),
            OutputFormat::Csv => Some(LineFormat::Csv { reveal }),
            OutputFormat::Discard => Some(LineFormat::Discard),
            _ => None,
        };
        Outbox {
            line,
            drop_findings: format == OutputFormat::Table,
            ..Outbox::default()
        }
    }

    /// The same outbox, keeping finding records even for `table` (a
    /// subject's summary counts its matches).
    pub fn keeping_findings(mut self) -> Self {
        self.drop_findings = false;
        self
    }

    /// Adds a record.
    pub fn push(&mut self, r: Record) {
        if self.drop_findings && matches!(r, Record::Finding(_)) {
            return;
        }
        if let (Record::Finding(f), Some(_)) = (&r, self.line) {
            // Encoded: one way for every finding, owned or borrowed.
            return self.push_finding(&f.view());
        }
        self.count += 1;
        match self.line {
            Some(LineFormat::Jsonl) => {
                // Serialising plain data into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut self.bytes, &r);
                self.bytes.push(b'\n');
            }
            Some(LineFormat::Csv { reveal }) => csv::encode(&r, reveal, &mut self.bytes),
            Some(LineFormat::Discard) => {}
            None => self.records.push(r),
        }
    }

    /// Adds a file record: encoded from the reference in JSON Lines (the
    /// caller keeps the record for the summary), cloned otherwise.
    pub fn push_file(&mut self, f: &FileRecord) {
        if let Some(LineFormat::Jsonl) = self.line {
            /// [`Record::File`] without owning the record: the same JSON.
            #[derive(serde::Serialize)]
            #[serde(tag = "type", rename_all = "lowercase")]
            enum Borrowed<'a> {
                File(&'a FileRecord),
            }
            self.count += 1;
            // Serialising plain data into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut self.bytes, &Borrowed::File(f));
            self.bytes.push(b'\n');
            return;
        }
        self.push(Record::File(f.clone()));
    }

    /// Adds a finding record given by its fields: encoded at once in the
    /// line formats, owned only when kept as a value.
    pub fn push_finding(&mut self, f: &FindingView<'_>) {
        if self.drop_findings {
            return;
        }
        self.count += 1;
        if self.bytes.capacity() == 0 {
            // One allocation for a small file's findings, not a doubling
            // series per file.
            self.bytes.reserve(8 << 10);
        }
        match self.line {
            Some(LineFormat::Jsonl) => {
                let (path, encoded) = &mut self.path_json;
                if path != f.path {
                    path.clear();
                    path.push_str(f.path);
                    encoded.clear();
                    json::finding_head(f.path, encoded);
                }
                json::finding_line_with_path(f, encoded, &mut self.bytes);
            }
            Some(LineFormat::Csv { reveal }) => csv::encode_finding(f, reveal, &mut self.bytes),
            Some(LineFormat::Discard) => {}
            None => self.records.push(Record::Finding(f.to_record())),
        }
    }

    /// Moves the records of `other` (same format) after this one's,
    /// leaving `other` empty with its capacity.
    pub fn append(&mut self, other: &mut Outbox) {
        self.records.append(&mut other.records);
        self.bytes.extend_from_slice(&other.bytes);
        other.bytes.clear();
        self.count += std::mem::take(&mut other.count);
    }

    /// How many records it holds.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True when it holds no record.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Takes the contents, leaving an empty outbox of the same format.
    pub fn take(&mut self) -> Outbox {
        let empty = self.empty_like();
        std::mem::replace(self, empty)
    }

    /// An empty outbox of the same format.
    pub fn empty_like(&self) -> Outbox {
        Outbox {
            line: self.line,
            drop_findings: self.drop_findings,
            ..Outbox::default()
        }
    }

    /// Hands the contents to `printer`.
    pub fn deliver(&self, printer: &mut dyn Printer) -> io::Result<()> {
        for r in &self.records {
            printer.record(r)?;
        }
        if !self.bytes.is_empty() {
            printer.encoded(&self.bytes)?;
        }
        Ok(())
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
    fn encoded(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// `OutputFormat::Discard`: prints nothing.
struct Discard;

impl Printer for Discard {
    fn record(&mut self, _: &Record) -> io::Result<()> {
        Ok(())
    }
    fn encoded(&mut self, _: &[u8]) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub use table::human_bytes;

/// `n` and its noun, singular or plural (`1 file`, `0 files`).
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Files read (`3 files scanned`), and with `bytes` (a size) the entries
/// read with the members of archives and mailboxes when there were some:
/// `3 files scanned (1.2 MB, 7 entries with archive members)`.
pub fn files_scanned(s: &super::Summary, bytes: &str) -> String {
    let files = plural(s.files_scanned, "file scanned", "files scanned");
    if s.entries_scanned == s.files_scanned {
        return format!("{files} ({bytes})");
    }
    let entries = plural(s.entries_scanned, "entry", "entries");
    format!("{files} ({bytes}, {entries} with archive members)")
}
