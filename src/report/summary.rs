//! Running totals of a scan, turned into the final `summary` record.

use crate::model::record::{FileRecord, Summary};
use std::time::Instant;

/// Accumulates the totals as file results arrive.
#[derive(Debug)]
pub struct Totals {
    pub summary: Summary,
    started: Instant,
}

impl Default for Totals {
    fn default() -> Self {
        Totals {
            summary: Summary::default(),
            started: Instant::now(),
        }
    }
}

impl Totals {
    /// A file (or container member) was read.
    pub fn scanned(&mut self, format: &str) {
        self.summary.files_scanned += 1;
        *self.summary.formats.entry(format.to_string()).or_default() += 1;
    }

    /// A file held personal data (a `file` record listing a file skipped or
    /// partly read without findings is not counted).
    pub fn file_with_findings(&mut self, f: &FileRecord) {
        if f.findings.is_empty() {
            return;
        }
        self.summary.files_with_findings += 1;
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
