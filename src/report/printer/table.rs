//! `--format table`: a human summary (totals per kind, the files holding most
//! personal data, errors), printed when the run ends.

use super::{plural, Printer};
use crate::model::record::FileStatus;
use crate::report::{ErrorRecord, FileRecord, Record, Summary};
use std::collections::BTreeMap;
use std::io::{self, Write};

const TOP_FILES: usize = 15;
const SHOWN_ERRORS: usize = 20;

/// Keeps what the summary shows, not the records: memory does not grow
/// with the number of files (a share has millions).
pub struct Table {
    out: Box<dyn Write + Send>,
    /// The files holding the most, best first once [`Table::trim`] ran.
    top: Vec<FileRecord>,
    files: u64,
    files_per_kind: BTreeMap<String, u64>,
    errors: Vec<ErrorRecord>,
    more_errors: u64,
    /// `pdscout subject`: matches per file (path, entry) and per match
    /// (`strong`, `weak`, `record`); every file is listed.
    subject: Option<MatchesPerFile>,
    /// Kinds whose presence makes a file more sensitive (listed first).
    sensitive: Vec<String>,
}

/// A subject's matches per file (path, entry) and per match.
type MatchesPerFile = BTreeMap<(String, Option<String>), BTreeMap<&'static str, u64>>;

impl Table {
    /// A summary printer; `subject` for an access request's answer.
    pub fn new(out: Box<dyn Write + Send>, subject: bool) -> Self {
        Table {
            out,
            top: Vec::new(),
            files: 0,
            files_per_kind: BTreeMap::new(),
            errors: Vec::new(),
            more_errors: 0,
            subject: subject.then(BTreeMap::new),
            sensitive: crate::model::kind::sensitive(),
        }
    }

    /// The subject's matches: totals per match, then every file.
    fn print_subject(&mut self) -> io::Result<()> {
        let Some(files) = &self.subject else {
            return Ok(());
        };
        let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
        for m in files.values() {
            for (k, n) in m {
                *totals.entry(k).or_default() += n;
            }
        }
        let o = &mut self.out;
        writeln!(o)?;
        writeln!(
            o,
            "The person's data: {} strong matches (full name or unique identifier), {} weak (check them: a surname or birth date alone), {} of their records (same row, object, paragraph, message or log line)",
            totals.get("strong").unwrap_or(&0),
            totals.get("weak").unwrap_or(&0),
            totals.get("record").unwrap_or(&0)
        )?;
        writeln!(o, "Every file ({}):", files.len())?;
        for ((path, entry), m) in files {
            let name = match entry {
                Some(e) => format!("{path} → {e}"),
                None => path.clone(),
            };
            let counts: Vec<String> = ["strong", "weak", "record"]
                .iter()
                .filter_map(|k| m.get(k).map(|n| format!("{k} {n}")))
                .collect();
            writeln!(o, "  {name}  ({})", counts.join(", "))?;
        }
        Ok(())
    }

    fn file(&mut self, f: &FileRecord) {
        // A file listed as skipped or partly read without findings is
        // counted in the summary, not ranked here.
        if f.findings.is_empty() {
            // Binary files are only counted (a share holds many); other
            // files not read are listed with the errors.
            if f.status == Some(FileStatus::Skipped) && f.reason.as_deref() != Some("binary") {
                let e = ErrorRecord {
                    path: f.path.clone(),
                    entry: f.entry.clone(),
                    error: format!(
                        "{} ({}): not read",
                        f.reason.as_deref().unwrap_or("skipped"),
                        f.format
                    ),
                };
                self.record_error(e);
            }
            return;
        }
        self.files += 1;
        for k in f.findings.keys() {
            match self.files_per_kind.get_mut(k) {
                Some(n) => *n += 1,
                None => {
                    self.files_per_kind.insert(k.clone(), 1);
                }
            }
        }
        self.top.push(f.clone());
        if self.top.len() >= 4 * TOP_FILES {
            self.trim();
        }
    }

    fn record_error(&mut self, e: ErrorRecord) {
        if self.errors.len() < SHOWN_ERRORS {
            self.errors.push(e);
        } else {
            self.more_errors += 1;
        }
    }

    /// Keeps the [`TOP_FILES`] first files by rank; the sort is stable, so
    /// of equal files the first to arrive stay, as with one sort at the end.
    fn trim(&mut self) {
        let sensitive = &self.sensitive;
        self.top.sort_by_key(|f| rank(f, sensitive));
        self.top.truncate(TOP_FILES);
    }

    fn print(&mut self, s: &Summary) -> io::Result<()> {
        let o = &mut self.out;
        writeln!(
            o,
            "{} in {:.2} s{}",
            super::files_scanned(s, &human_bytes(s.bytes_scanned)),
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
            "{} of personal data in {}",
            plural(s.total_findings(), "finding", "findings"),
            plural(s.files_with_findings, "file", "files")
        )?;
        if !s.findings.is_empty() {
            writeln!(o)?;
            writeln!(o, "  {:<12} {:>9} {:>7}", "kind", "findings", "files")?;
            for (k, n) in &s.findings {
                let nf = self.files_per_kind.get(k).copied().unwrap_or(0);
                writeln!(o, "  {k:<12} {n:>9} {nf:>7}")?;
            }
        }
        if self.files > 0 {
            writeln!(o)?;
            writeln!(
                o,
                "Files holding the most personal data (NIR, IBAN, card first):"
            )?;
            for f in &self.top {
                let kinds: Vec<String> =
                    f.findings.iter().map(|(k, n)| format!("{k} {n}")).collect();
                let name = match &f.entry {
                    Some(e) => format!("{} → {}", visible(&f.path), visible(e)),
                    None => visible(&f.path).into_owned(),
                };
                writeln!(o, "  {:>6}  {name}  ({})", total(f), kinds.join(", "))?;
            }
            if self.files > TOP_FILES as u64 {
                let more = self.files - TOP_FILES as u64;
                writeln!(o, "  … and {}", plural(more, "more file", "more files"))?;
            }
        }
        if !self.errors.is_empty() {
            writeln!(o)?;
            let n = self.errors.len() as u64 + self.more_errors;
            writeln!(o, "Not read or skipped ({n}):")?;
            for e in &self.errors {
                let path = visible(&e.path);
                match &e.entry {
                    Some(entry) => {
                        writeln!(o, "  {path} → {}: {}", visible(entry), visible(&e.error))?
                    }
                    None => writeln!(o, "  {path}: {}", visible(&e.error))?,
                }
            }
            if self.more_errors > 0 {
                writeln!(o, "  … and {} more", self.more_errors)?;
            }
        }
        if s.suppressed > 0 {
            writeln!(o)?;
            writeln!(o, "{} findings suppressed by --allow", s.suppressed)?;
        }
        if s.files_skipped > 0 {
            writeln!(
                o,
                "{} skipped",
                plural(s.files_skipped, "binary file", "binary files")
            )?;
        }
        Ok(())
    }
}

/// `s` with its control characters (ESC, BEL, CR, LF, the other C0 and C1
/// characters and DEL) written as visible escapes (`\x1b`, `\n`): a file
/// name chosen by whoever wrote the share must not drive the terminal.
pub(crate) fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A file's findings, all kinds.
fn total(f: &FileRecord) -> u64 {
    f.findings.values().sum()
}

/// A file's place in the summary: most sensitive findings first, then most
/// findings.
fn rank(f: &FileRecord, sensitive: &[String]) -> std::cmp::Reverse<(u64, u64)> {
    let sensitive = sensitive.iter().filter_map(|k| f.findings.get(k)).sum();
    std::cmp::Reverse((sensitive, total(f)))
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
            Record::File(f) => self.file(f),
            Record::Error(e) => self.record_error(e.clone()),
            Record::Summary(s) => {
                self.trim();
                self.print(s)?;
                self.print_subject()?;
            }
            Record::Finding(f) => {
                if let (Some(files), Some(m)) = (&mut self.subject, f.matched) {
                    let file = files.entry((f.path.clone(), f.entry.clone())).or_default();
                    *file.entry(m).or_default() += 1;
                }
            }
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Summary;
    use std::sync::{Arc, Mutex};

    /// A `Write` whose bytes the test reads after the printer is done.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn file(i: u64, kinds: &[(&str, u64)]) -> FileRecord {
        FileRecord::sample(&format!("f{i}"), None, kinds)
    }

    /// The top files, kinds and error lines are those of one sort of every
    /// record at the end, though the printer keeps only a few.
    #[test]
    fn bounded_summary_matches_a_full_sort() {
        let files: Vec<FileRecord> = (0..1000u64)
            .map(|i| {
                let (e, n) = ((i * 7919) % 13, (i * 104_729) % 5);
                match i % 3 {
                    0 => file(i, &[("email", e + 1)]),
                    1 => file(i, &[("email", e), ("nir", n)]),
                    _ => file(i, &[("iban", n), ("phone", 2)]),
                }
            })
            .collect();
        let out = Shared::default();
        let mut t = Table::new(Box::new(out.clone()), false);
        let mut summary = Summary::default();
        for f in &files {
            t.record(&Record::File(f.clone())).unwrap();
            summary.files_with_findings += 1;
            for (k, n) in &f.findings {
                *summary.findings.entry(k.clone()).or_default() += n;
            }
        }
        for i in 0..30 {
            let e = ErrorRecord {
                path: format!("bad{i}"),
                entry: None,
                error: "unreadable".into(),
            };
            t.record(&Record::Error(e)).unwrap();
        }
        t.record(&Record::Summary(summary)).unwrap();
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();

        let mut sorted = files.clone();
        let sensitive = crate::model::kind::sensitive();
        sorted.sort_by_key(|f| rank(f, &sensitive));
        let shown: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim_start().split_once("  "))
            .filter_map(|(_, rest)| rest.split_once("  ("))
            .map(|(path, _)| path)
            .collect();
        let expected: Vec<&str> = sorted[..TOP_FILES]
            .iter()
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(shown, expected, "{text}");
        assert!(text.contains("… and 985 more files"), "{text}");
        let nir_files = files
            .iter()
            .filter(|f| f.findings.contains_key("nir"))
            .count();
        assert!(
            text.lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>()
                    == [
                        "nir",
                        &summary_count(&files, "nir").to_string(),
                        &nir_files.to_string()
                    ]),
            "{text}"
        );
        assert!(text.contains("Not read or skipped (30):"), "{text}");
        assert!(
            text.contains("  bad19: unreadable") && !text.contains("bad20"),
            "{text}"
        );
        assert!(text.contains("… and 10 more"), "{text}");
    }

    #[test]
    fn control_characters_in_names_are_escaped() {
        assert_eq!(
            visible("a\x1b[31mb\x07c\r\nd\te\u{7f}\u{9b}f"),
            "a\\x1b[31mb\\x07c\\r\\nd\\te\\x7f\\x9bf"
        );
        assert!(matches!(visible("é/ok"), std::borrow::Cow::Borrowed(_)));
    }

    fn summary_count(files: &[FileRecord], kind: &str) -> u64 {
        files.iter().filter_map(|f| f.findings.get(kind)).sum()
    }
}
