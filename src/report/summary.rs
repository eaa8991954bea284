//! Running totals of a scan, turned into the final `summary` record.

use crate::model::record::{FileRecord, Summary};
use rustc_hash::FxHashSet;
use std::time::Instant;

/// Accumulates the totals as file results arrive.
#[derive(Debug)]
pub struct SummaryTally {
    pub summary: Summary,
    started: Instant,
    /// Hashes of the paths of the files on disk counted in
    /// `files_with_findings` (a file's members share its path).
    with_findings: FxHashSet<u64>,
}

impl Default for SummaryTally {
    fn default() -> Self {
        SummaryTally {
            summary: Summary::default(),
            started: Instant::now(),
            with_findings: FxHashSet::default(),
        }
    }
}

impl SummaryTally {
    /// A file on disk was read: `formats` are its format and its members'
    /// (none when it could not be read at all).
    pub fn scanned(&mut self, formats: &[&str]) {
        if formats.is_empty() {
            return;
        }
        self.summary.files_scanned += 1;
        self.summary.entries_scanned += formats.len() as u64;
        for format in formats {
            // The format's name is copied only the first time it is counted.
            match self.summary.formats.get_mut(*format) {
                Some(n) => *n += 1,
                None => {
                    self.summary.formats.insert(format.to_string(), 1);
                }
            }
        }
    }

    /// A file or member held personal data (a `file` record listing a file
    /// skipped or partly read without findings is not counted). The file on
    /// disk is counted once, however many of its members hold some.
    pub fn file_with_findings(&mut self, f: &FileRecord) {
        if f.findings.is_empty() {
            return;
        }
        let path = xxhash_rust::xxh3::xxh3_64(f.path.as_bytes());
        if self.with_findings.insert(path) {
            self.summary.files_with_findings += 1;
        }
        for (k, n) in &f.findings {
            // The kind's name is copied only the first time it is counted.
            match self.summary.findings.get_mut(k) {
                Some(total) => *total += n,
                None => {
                    self.summary.findings.insert(k.clone(), *n);
                }
            }
        }
    }

    /// The summary as of now.
    pub fn finish(&mut self) -> Summary {
        self.summary.elapsed_ms = self.started.elapsed().as_millis() as u64;
        self.summary.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, entry: Option<&str>, kinds: &[(&str, u64)]) -> FileRecord {
        FileRecord::sample(path, entry, kinds)
    }

    #[test]
    fn an_archive_is_one_file_and_several_entries() {
        let mut t = SummaryTally::default();
        t.scanned(&["zip", "csv", "text"]);
        t.scanned(&["text"]);
        t.scanned(&[]);
        t.file_with_findings(&file("a.zip", Some("x.csv"), &[("email", 2)]));
        t.file_with_findings(&file("a.zip", Some("y.txt"), &[("nir", 1)]));
        t.file_with_findings(&file("b.txt", None, &[("email", 1)]));
        t.file_with_findings(&file("c.txt", None, &[]));
        let s = t.finish();
        assert_eq!((s.files_scanned, s.entries_scanned), (2, 4));
        assert_eq!(s.files_with_findings, 2);
        assert_eq!(s.total_findings(), 4);
        assert_eq!(s.formats.get("text"), Some(&2));
    }
}
