//! Supervised extraction: the parsers of untrusted binary formats run in
//! reader processes, so that no file can take the scan down.
//!
//! A parser bug can abort the process (an allocation of terabytes that a
//! header asked for, a stack overflow), which `catch_unwind` cannot catch,
//! or hold gigabytes. So the formats whose readers are large libraries fed
//! hostile bytes ([`supervised`]: spreadsheets, PDF, office documents,
//! OLE2 files (`.doc`, `.ppt`, `.msg`), e-mail and archives, whose members
//! can be any of these, and pictures, which the reader hands to the OCR
//! engine) are read by a
//! child process of the same binary (`pdscout __extract-child`, not listed
//! in `--help`), under an address-space limit (`--child-memory`) and the
//! file's time limit. Plain text, CSV and markup stay in the scan's process:
//! they are most files of a share, read by our own code, and a round trip
//! per file would cost more than it protects.
//!
//! Each scan worker owns one long-lived child, started when it meets its
//! first such file ([`Supervisor`], `pool.rs`): no lock on the hot path. The
//! worker sends a file's path; the child runs [`crate::extract::extract_file`]
//! with a sink that writes each event as a frame ([`protocol`]); the worker
//! replays the frames into its own sink, so detection, filters and records
//! are exactly those of an in-process read. A child that aborts, is killed or
//! goes over its time gives an error record for that file ([`ChildError`]),
//! the findings it sent before are kept, and a new child is started for the
//! next file.
//!
//! Unix only (`setrlimit`, `poll`, process groups). On Windows every file is
//! read in process, as with `--in-process`, under the same in-process
//! budgets (`--max-file-time`, the extractors' size limits); a job object
//! would give the same design there.

#[cfg(unix)]
pub mod child;
#[cfg(unix)]
mod pool;
pub mod protocol;

#[cfg(unix)]
pub use pool::Supervisor;

use crate::extract::{Format, LegacyFormat};

/// The hidden subcommand that makes the binary a reader process.
pub const CHILD_COMMAND: &str = "__extract-child";

/// How reader processes are run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Address space of each reader process, in bytes (`RLIMIT_AS`).
    pub memory: u64,
}

impl Options {
    /// The default for a scan with `threads` workers: half the machine's
    /// memory shared between the workers' readers, at most 4 GiB each
    /// (room for the largest documents read, 512 MiB, and their parsing),
    /// at least 512 MiB.
    pub fn for_threads(threads: usize) -> Self {
        let share = total_memory().map_or(MAX_DEFAULT, |m| m / (2 * threads.max(1) as u64));
        Options {
            memory: share.clamp(MIN_DEFAULT, MAX_DEFAULT),
        }
    }
}

const MAX_DEFAULT: u64 = 4 << 30;
const MIN_DEFAULT: u64 = 512 << 20;

/// The machine's physical memory, if it can be asked.
fn total_memory() -> Option<u64> {
    #[cfg(unix)]
    {
        // SAFETY: sysconf only reads system values; no pointer is involved.
        let (pages, size) = unsafe {
            (
                libc::sysconf(libc::_SC_PHYS_PAGES),
                libc::sysconf(libc::_SC_PAGESIZE),
            )
        };
        (pages > 0 && size > 0).then(|| pages as u64 * size as u64)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Files of this format are read in a reader process.
pub fn supervised(format: Format) -> bool {
    matches!(
        format,
        Format::Spreadsheet(_)
            | Format::Pdf
            | Format::Office(_)
            | Format::Mail(_)
            | Format::Archive(_)
            | Format::Legacy(LegacyFormat::Ole)
            | Format::Image(_)
    )
}

pub use crate::extract::ChildError;

/// Windows and other systems: no reader processes (see the module
/// documentation); an empty type keeps the worker's code the same.
#[cfg(not(unix))]
pub enum Supervisor {}

#[cfg(not(unix))]
impl Supervisor {
    pub fn new(
        _: &Options,
        _: Option<std::time::Duration>,
        _: &[std::path::PathBuf],
        _: Option<&crate::extract::ocr::Settings>,
    ) -> Option<Self> {
        None
    }
    pub fn extract(
        &mut self,
        _: &std::path::Path,
        _: &crate::model::columns::ColumnTable,
        _: &mut dyn crate::extract::UnitSink,
    ) -> Result<(Format, u64), crate::extract::ExtractError> {
        match *self {}
    }
}
