//! `pdscout extract FILE…`: the text units pdscout reads from a file, with
//! their locations, and nothing detected (to check a reader, or to write a
//! pattern against what it will be given).
//!
//! [`DumpSink`] writes each unit as it arrives: in plain text, one unit a
//! line, `[member > part] location<TAB>text`, its inner line breaks
//! followed by a tab; in JSON Lines (`--format json`), one object a unit
//! (`file`, `member`, `part` when inside one, `location`, `text`), one a
//! member that could not be read (`member`, `error`), one a part not
//! covered (`not_covered`), and last one a file (`file`, `status`: `read`,
//! `error` or `skipped`, with `format` and `bytes`, or `error`/`reason`).
//!
//! A unit's text is the part of it that a detector reports in (a large
//! text is read in overlapping chunks: the overlap is printed once).
//! `app/cmd_extract.rs` reads the files as `scan` does and hands their units
//! to a [`DumpSink`].

use super::{ExtractError, Format, Located, UnitSink};
use crate::model::location::{Locator, Origin};
use std::io::Write;

/// How units are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DumpFormat {
    /// One unit a line, for a person.
    Text,
    /// JSON Lines, one object a unit, for a script.
    Json,
}

/// A sink that writes what it receives to `out` (module documentation).
pub struct DumpSink<'w> {
    out: &'w mut dyn Write,
    format: DumpFormat,
    /// The file, as shown.
    file: String,
    /// Open containers' members and parts, outermost first (`true`: a part).
    path: Vec<(String, bool)>,
    /// The first write error: nothing more is written after it.
    pub failed: Option<std::io::Error>,
}

impl<'w> DumpSink<'w> {
    pub fn new(out: &'w mut dyn Write, format: DumpFormat, file: String) -> Self {
        DumpSink {
            out,
            format,
            file,
            path: Vec::new(),
            failed: None,
        }
    }

    fn write(&mut self, line: &str) {
        if self.failed.is_none() {
            if let Err(e) = self.out.write_all(line.as_bytes()) {
                self.failed = Some(e);
            }
        }
    }

    /// The members entered, joined with `/` (a member's own name may hold
    /// slashes: the path inside its archive).
    fn member(&self) -> Option<String> {
        let m: Vec<&str> = self
            .path
            .iter()
            .filter(|(_, part)| !part)
            .map(|(n, _)| n.as_str())
            .collect();
        (!m.is_empty()).then(|| m.join("/"))
    }

    fn part(&self) -> Option<&str> {
        self.path
            .last()
            .filter(|(_, part)| *part)
            .map(|(n, _)| n.as_str())
    }

    /// `[a.zip > b.docx > word/footer1.xml] ` for plain text.
    fn prefix(&self) -> String {
        if self.path.is_empty() {
            return String::new();
        }
        let names: Vec<&str> = self.path.iter().map(|(n, _)| n.as_str()).collect();
        format!("[{}] ", names.join(" > "))
    }

    /// A JSON object of the file, the member and part if any, and `fields`.
    fn json(&mut self, fields: serde_json::Map<String, serde_json::Value>) {
        let mut o = serde_json::Map::new();
        o.insert("file".into(), self.file.clone().into());
        if let Some(m) = self.member() {
            o.insert("member".into(), m.into());
        }
        if let Some(p) = self.part() {
            o.insert("part".into(), p.into());
        }
        o.extend(fields);
        let mut line = serde_json::Value::Object(o).to_string();
        line.push('\n');
        self.write(&line);
    }

    /// The file's last line: how it was read.
    pub fn finish(&mut self, result: &Result<(Format, u64), ExtractError>) {
        // Members left open by a reader that stopped early.
        self.path.clear();
        let (status, detail) = outcome(result);
        match self.format {
            DumpFormat::Json => {
                let mut o = serde_json::Map::new();
                o.insert("status".into(), status.into());
                match result {
                    Ok((format, bytes)) => {
                        o.insert("format".into(), format.name().into());
                        o.insert("bytes".into(), (*bytes).into());
                        if let Some(reason) = detail {
                            o.insert("reason".into(), reason.into());
                        }
                    }
                    Err(_) => {
                        let key = if status == "skipped" {
                            "reason"
                        } else {
                            "error"
                        };
                        o.insert(key.into(), detail.unwrap_or_default().into());
                    }
                }
                self.json(o);
            }
            DumpFormat::Text => {
                let line = match result {
                    Ok((format, bytes)) => match detail {
                        Some(reason) => format!("-- {}: {status} ({reason})\n", self.file),
                        None => format!(
                            "-- {}: {status} as {}, {bytes} bytes\n",
                            self.file,
                            format.name()
                        ),
                    },
                    Err(_) => format!(
                        "-- {}: {status}: {}\n",
                        self.file,
                        detail.unwrap_or_default()
                    ),
                };
                self.write(&line);
            }
        }
    }
}

/// A file's status as a `file` record names it (`read`, `error`,
/// `skipped`), and the error or reason.
fn outcome(result: &Result<(Format, u64), ExtractError>) -> (&'static str, Option<String>) {
    match result {
        Ok((Format::Binary, _)) => ("skipped", Some("binary".into())),
        Ok(_) => ("read", None),
        Err(e) if e.as_skipped().is_some() => {
            let (_, reason) = e.as_skipped().unwrap_or_default();
            ("skipped", Some(reason.to_string()))
        }
        Err(e) => ("error", Some(e.to_string())),
    }
}

/// Where a unit starts, as printed: `line 3, column 1`, `line 4, field 2`,
/// `Feuil1!B2`, `page 5`.
fn where_text(located: &Located<'_>) -> String {
    let unit = &located.unit;
    match located.origin {
        Origin::Text { .. } => {
            let loc = Locator::new(unit.text, located.origin).locate(unit.report.start);
            format!(
                "line {}, column {}",
                loc.line.unwrap_or(0),
                loc.column.unwrap_or(0)
            )
        }
        Origin::Field { line, field } => format!("line {line}, field {field}"),
        Origin::Cell { sheet, cell } => format!("{sheet}!{cell}"),
        Origin::Page { page } => format!("page {page}"),
    }
}

/// The unit's location as a JSON object of its known parts.
fn where_json(located: &Located<'_>) -> serde_json::Value {
    let unit = &located.unit;
    let mut o = serde_json::Map::new();
    match located.origin {
        Origin::Text { .. } => {
            let loc = Locator::new(unit.text, located.origin).locate(unit.report.start);
            o.insert("line".into(), loc.line.into());
            o.insert("column".into(), loc.column.into());
        }
        Origin::Field { line, field } => {
            o.insert("line".into(), line.into());
            o.insert("field".into(), field.into());
        }
        Origin::Cell { sheet, cell } => {
            o.insert("sheet".into(), sheet.into());
            o.insert("cell".into(), cell.into());
        }
        Origin::Page { page } => {
            o.insert("page".into(), page.into());
        }
    }
    serde_json::Value::Object(o)
}

impl UnitSink for DumpSink<'_> {
    fn unit(&mut self, located: &Located<'_>) {
        let unit = &located.unit;
        let text = unit.text.get(unit.report.clone()).unwrap_or(unit.text);
        match self.format {
            DumpFormat::Json => {
                let mut o = serde_json::Map::new();
                o.insert("location".into(), where_json(located));
                o.insert("text".into(), text.into());
                self.json(o);
            }
            DumpFormat::Text => {
                let mut line = self.prefix();
                line.push_str(&where_text(located));
                line.push('\t');
                line.push_str(&text.trim_end_matches('\n').replace('\n', "\n\t"));
                line.push('\n');
                self.write(&line);
            }
        }
    }

    fn enter(&mut self, name: &str) {
        self.path.push((name.to_string(), false));
    }

    fn leave(&mut self, result: &Result<(Format, u64), ExtractError>) {
        if let Err(e) = result {
            let message = e.to_string();
            match self.format {
                DumpFormat::Json => {
                    let mut o = serde_json::Map::new();
                    o.insert("error".into(), message.into());
                    self.json(o);
                }
                DumpFormat::Text => {
                    let line = format!("{}error\t{message}\n", self.prefix());
                    self.write(&line);
                }
            }
        }
        // Parts a reader left open inside the member close with it.
        while self.path.pop().is_some_and(|(_, part)| part) {}
    }

    fn enter_part(&mut self, name: &str) {
        self.path.push((name.to_string(), true));
    }

    fn leave_part(&mut self) {
        if self.path.last().is_some_and(|(_, part)| *part) {
            self.path.pop();
        }
    }

    fn not_covered(&mut self, reason: &str) {
        match self.format {
            DumpFormat::Json => {
                let mut o = serde_json::Map::new();
                o.insert("not_covered".into(), reason.into());
                self.json(o);
            }
            DumpFormat::Text => {
                let line = format!("{}not covered\t{reason}\n", self.prefix());
                self.write(&line);
            }
        }
    }
}
