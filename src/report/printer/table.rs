//! `--format table`: a human summary (totals per kind, the files holding most
//! personal data, errors), printed when the run ends.

use super::Printer;
use crate::report::{ErrorRecord, FileRecord, Record, Summary};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Kinds whose presence makes a file more sensitive (listed first).
pub(crate) const SENSITIVE: &[&str] = &["nir", "iban", "card"];
const TOP_FILES: usize = 15;
const SHOWN_ERRORS: usize = 20;

pub struct Table {
    out: Box<dyn Write + Send>,
    files: Vec<FileRecord>,
    errors: Vec<ErrorRecord>,
}

impl Table {
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        Table {
            out,
            files: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn print(&mut self, s: &Summary) -> io::Result<()> {
        let o = &mut self.out;
        writeln!(
            o,
            "{} files scanned ({}) in {:.2} s{}",
            s.files_scanned,
            human_bytes(s.bytes_scanned),
            s.elapsed_ms as f64 / 1000.0,
            if s.interrupted {
                " — INTERRUPTED, partial results"
            } else {
                ""
            }
        )?;
        if let Some(inv) = &s.inventory {
            writeln!(
                o,
                "inventory run {}: {} files read, {} unchanged since the last run (kept, not read), {} removed",
                inv.run, inv.files_read, inv.files_unchanged, inv.files_removed
            )?;
        }
        writeln!(
            o,
            "{} findings of personal data in {} files",
            s.total_findings(),
            s.files_with_findings
        )?;
        if !s.findings.is_empty() {
            let mut files_per_kind: BTreeMap<&str, u64> = BTreeMap::new();
            for f in &self.files {
                for k in f.findings.keys() {
                    *files_per_kind.entry(k).or_default() += 1;
                }
            }
            writeln!(o)?;
            writeln!(o, "  {:<12} {:>9} {:>7}", "kind", "findings", "files")?;
            for (k, n) in &s.findings {
                let nf = files_per_kind.get(k.as_str()).copied().unwrap_or(0);
                writeln!(o, "  {k:<12} {n:>9} {nf:>7}")?;
            }
        }
        if !self.files.is_empty() {
            let sensitive = |f: &FileRecord| -> u64 {
                SENSITIVE.iter().filter_map(|k| f.findings.get(*k)).sum()
            };
            let total = |f: &FileRecord| -> u64 { f.findings.values().sum() };
            self.files
                .sort_by_key(|f| std::cmp::Reverse((sensitive(f), total(f))));

            writeln!(o)?;
            writeln!(
                o,
                "Files holding the most personal data (NIR, IBAN, card first):"
            )?;
            for f in self.files.iter().take(TOP_FILES) {
                let kinds: Vec<String> =
                    f.findings.iter().map(|(k, n)| format!("{k} {n}")).collect();
                let name = match &f.entry {
                    Some(e) => format!("{} → {e}", f.path),
                    None => f.path.clone(),
                };
                writeln!(o, "  {:>6}  {name}  ({})", total(f), kinds.join(", "))?;
            }
            if self.files.len() > TOP_FILES {
                writeln!(o, "  … and {} more files", self.files.len() - TOP_FILES)?;
            }
        }
        if !self.errors.is_empty() {
            writeln!(o)?;
            writeln!(o, "Not read or skipped ({}):", self.errors.len())?;
            for e in self.errors.iter().take(SHOWN_ERRORS) {
                writeln!(o, "  {}: {}", e.path, e.error)?;
            }
            if self.errors.len() > SHOWN_ERRORS {
                writeln!(o, "  … and {} more", self.errors.len() - SHOWN_ERRORS)?;
            }
        }
        if s.suppressed > 0 {
            writeln!(o)?;
            writeln!(o, "{} findings suppressed by --allow", s.suppressed)?;
        }
        if s.files_skipped > 0 {
            writeln!(o, "{} binary files skipped", s.files_skipped)?;
        }
        Ok(())
    }
}

/// `12.3 MB`-style sizes.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

impl Printer for Table {
    fn record(&mut self, r: &Record) -> io::Result<()> {
        match r {
            Record::File(f) => self.files.push(f.clone()),
            Record::Error(e) => self.errors.push(e.clone()),
            Record::Summary(s) => self.print(s)?,
            Record::Finding(_) => {}
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
