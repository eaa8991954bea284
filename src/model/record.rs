//! The output records (README, "Output records"), serialised as they are printed.

use crate::model::location::Location;
use serde::Serialize;
use std::collections::BTreeMap;

/// One output record.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Record {
    Finding(FindingRecord),
    File(FileRecord),
    Error(ErrorRecord),
    Summary(Summary),
}

/// One piece of personal data found.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRecord {
    pub path: String,
    pub entry: Option<String>,
    pub kind: String,
    /// The normalised value; only with `--reveal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub masked: String,
    pub location: Location,
    #[serde(serialize_with = "two_decimals")]
    pub confidence: f32,
    pub pattern: String,
    /// `pdscout subject` only: `strong` or `weak` when the finding is the
    /// subject's, `record` when it belongs to the same record (table row,
    /// document, message) as a strong match.
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub matched: Option<&'static str>,
}

impl FindingRecord {
    /// The record's fields, borrowed.
    pub fn view(&self) -> FindingView<'_> {
        FindingView {
            path: &self.path,
            entry: self.entry.as_deref(),
            kind: &self.kind,
            value: self.value.as_deref(),
            masked: &self.masked,
            location: &self.location,
            confidence: self.confidence,
            pattern: &self.pattern,
            matched: self.matched,
        }
    }
}

/// A [`FindingRecord`]'s fields, borrowed: a worker encodes a finding
/// from its own buffers without allocating a record per finding.
#[derive(Debug, Clone, Copy)]
pub struct FindingView<'a> {
    pub path: &'a str,
    pub entry: Option<&'a str>,
    pub kind: &'a str,
    pub value: Option<&'a str>,
    pub masked: &'a str,
    pub location: &'a Location,
    pub confidence: f32,
    pub pattern: &'a str,
    pub matched: Option<&'static str>,
}

impl FindingView<'_> {
    /// The owned record.
    pub fn to_record(&self) -> FindingRecord {
        FindingRecord {
            path: self.path.to_string(),
            entry: self.entry.map(str::to_string),
            kind: self.kind.to_string(),
            value: self.value.map(str::to_string),
            masked: self.masked.to_string(),
            location: self.location.clone(),
            confidence: self.confidence,
            pattern: self.pattern.to_string(),
            matched: self.matched,
        }
    }
}

/// How far a file was read: a `file` record says `partial` or `skipped`
/// (a file read whole has no status); the inventory keeps one for every
/// file, which decides whether an unchanged file can be trusted unread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// Read whole (and an unchanged file's, which is kept only when complete).
    #[default]
    Ok,
    /// A limit or damage stopped the reading; what was read is reported.
    Partial,
    /// Nothing could be read.
    Error,
    /// Not text in any format read.
    Binary,
    /// No bytes.
    Empty,
    /// Not read, with a reason (a format this build does not read, encrypted…).
    Skipped,
}

impl FileStatus {
    /// Every status, as the inventory stores them.
    pub const ALL: [FileStatus; 6] = [
        FileStatus::Ok,
        FileStatus::Partial,
        FileStatus::Error,
        FileStatus::Binary,
        FileStatus::Empty,
        FileStatus::Skipped,
    ];

    /// The status as records and the inventory write it.
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Ok => "ok",
            FileStatus::Partial => "partial",
            FileStatus::Error => "error",
            FileStatus::Binary => "binary",
            FileStatus::Empty => "empty",
            FileStatus::Skipped => "skipped",
        }
    }

    /// The status written as `s`, if it is one.
    pub fn parse(s: &str) -> Option<FileStatus> {
        FileStatus::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Whether everything in the file was read (or there was nothing to
    /// read): an unchanged file of this status need not be read again.
    pub fn complete(self) -> bool {
        matches!(
            self,
            FileStatus::Ok | FileStatus::Binary | FileStatus::Empty
        )
    }
}

/// A file holding personal data, or a file (or member) not or not fully
/// read: `status` `partial` (a limit or damage stopped the reading; what was
/// read is reported) or `skipped` (with the `reason`: `binary`,
/// `unsupported archive`…). A file read whole has no `status`.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct FileRecord {
    pub path: String,
    pub entry: Option<String>,
    pub format: String,
    pub bytes: u64,
    pub findings: BTreeMap<String, u64>,
    /// The file's last modification date (`YYYY-MM-DD`), for retention and
    /// erasure checklists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<FileStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl FileRecord {
    /// A text file's record with these findings per kind (unit tests of the
    /// printers and totals).
    #[cfg(test)]
    pub(crate) fn sample(path: &str, entry: Option<&str>, kinds: &[(&str, u64)]) -> Self {
        FileRecord {
            path: path.into(),
            entry: entry.map(str::to_string),
            format: "text".into(),
            bytes: 1,
            findings: kinds.iter().map(|(k, n)| (k.to_string(), *n)).collect(),
            modified: None,
            status: None,
            reason: None,
        }
    }

    /// The record of a file or member that was not read, with the reason.
    pub fn skipped(path: &str, entry: Option<String>, format: &str, reason: &str) -> Self {
        FileRecord {
            path: path.to_string(),
            entry,
            format: format.to_string(),
            bytes: 0,
            findings: BTreeMap::new(),
            modified: None,
            status: Some(FileStatus::Skipped),
            reason: Some(reason.to_string()),
        }
    }
}

/// A file that could not be read, or was skipped, with the reason.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorRecord {
    pub path: String,
    pub entry: Option<String>,
    pub error: String,
}

/// The last record of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Files on disk read (an archive or a mailbox is one).
    pub files_scanned: u64,
    /// Files and the members of archives and mailboxes read, attachments
    /// included (each counted in `formats`).
    pub entries_scanned: u64,
    pub bytes_scanned: u64,
    /// Files on disk holding personal data (in themselves or in a member),
    /// as `report` counts them.
    pub files_with_findings: u64,
    pub findings: BTreeMap<String, u64>,
    pub suppressed: u64,
    pub errors: u64,
    pub elapsed_ms: u64,
    /// Binary files skipped (not text, no known format).
    pub files_skipped: u64,
    /// Files read, per format.
    pub formats: BTreeMap<String, u64>,
    /// Files not read or only partly read (errors, unsupported formats).
    pub not_covered: u64,
    /// The run was stopped by SIGINT/SIGTERM before the end.
    pub interrupted: bool,
    /// With `--db`: the inventory run. The totals above then describe the
    /// share as inventoried: files kept unchanged from earlier runs count
    /// in `files_with_findings` and `findings`, not in `files_scanned`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inventory: Option<InventorySummary>,
}

impl Summary {
    /// Total number of findings.
    pub fn total_findings(&self) -> u64 {
        self.findings.values().sum()
    }
}

fn two_decimals<S: serde::Serializer>(v: &f32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((f64::from(*v) * 100.0).round() / 100.0)
}

/// What a finished run changed, for the summary.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct InventorySummary {
    pub run: i64,
    pub files_read: u64,
    pub files_unchanged: u64,
    pub files_removed: u64,
}
