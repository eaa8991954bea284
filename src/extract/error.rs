//! Why a file could not be (fully) read.

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
    #[error("encrypted {0}: not read")]
    Encrypted(&'static str),
    #[error(transparent)]
    Limit(#[from] Limit),
    /// The OCR engine failed on this file (`--ocr`).
    #[error(transparent)]
    Ocr(#[from] super::ocr::OcrError),
    /// Not read, and listed as such (`file` record with status `skipped`):
    /// an archive format this build does not read.
    #[error("{reason} ({format}): not read")]
    Skipped {
        format: &'static str,
        reason: &'static str,
    },
    /// The reader process failed, or reported its own error (`supervise`).
    #[error(transparent)]
    Supervised(#[from] ChildError),
}

impl ExtractError {
    /// A file or member listed as not read rather than as an error (`file`
    /// record `"status":"skipped"`): a format this build does not read, or
    /// an encrypted document. The format's name and the reason.
    pub fn as_skipped(&self) -> Option<(&'static str, &'static str)> {
        match self {
            ExtractError::Skipped { format, reason } => Some((format, reason)),
            ExtractError::Encrypted(format) => Some((format, "encrypted")),
            _ => None,
        }
    }
}

/// Which limit against hostile or huge input stopped a read, with the
/// setting that was reached (the messages are part of the `error` records).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Limit {
    /// An archive member over `max_member_bytes`.
    #[error("larger than {mib} MiB: not read")]
    MemberSize { mib: u64 },
    /// A member or stream expanding more than `max_ratio` times.
    #[error("compressed more than {ratio}:1 (possible zip bomb): not read")]
    Ratio { ratio: u64 },
    /// An archive or document expanding past `max_archive_bytes` in all.
    #[error("archive expands to more than {mib} MiB: not read")]
    Expanded { mib: u64 },
    /// A document held in memory over `max_document_bytes`.
    #[error("{format} larger than {mib} MiB: not read")]
    DocumentSize { format: &'static str, mib: u64 },
    /// A PDF whose streams decompress past its budget.
    #[error("pdf decompresses to more than {mib} MiB: not read to the end")]
    PdfExpanded { mib: u64 },
    /// A PDF page tree past the page limit.
    #[error("pdf with more than {0} pages: the rest not read")]
    PdfPages(usize),
    /// Containers nested past `max_depth`.
    #[error("nested more than {0} containers deep: not read")]
    Depth(u32),
    /// A member with the bytes of an archive `levels` up (a zip quine).
    #[error("identical to {} (a self-referencing archive, or zip quine): not read", enclosing(*.levels))]
    SelfCopy { levels: usize },
    /// A limit met while skipping members: the rest of the archive is lost.
    #[error("rest of the archive: {0}")]
    RestOfArchive(Box<Limit>),
    /// `--max-file-time` reached at `place` ("line 12", "page 3").
    #[error("time limit of {secs} s per file reached (--max-file-time): not read from {place} on, the findings before it are reported")]
    FileTime { secs: String, place: String },
    /// SIGINT/SIGTERM while reading, at `place`.
    #[error("scan interrupted (SIGINT/SIGTERM): not read from {place} on, the findings before it are reported")]
    Interrupted { place: String },
    /// A container left open when the file's reading ended.
    #[error("not read to the end")]
    Unfinished,
}

fn enclosing(levels: usize) -> String {
    if levels == 1 {
        "the archive holding it".to_string()
    } else {
        format!("the archive {levels} levels up")
    }
}

/// Why a file read by a reader process (`supervise`) was not read to the end.
#[derive(Debug, thiserror::Error)]
pub enum ChildError {
    /// The reader could not allocate within its address-space limit.
    #[error("ran out of memory (limit {limit_mb} MB, --child-memory): not read to the end, the findings before it are reported")]
    OutOfMemory { limit_mb: u64 },
    /// The reader was ended by a signal (an abort, a segmentation fault…).
    #[error("crashed (signal {signal}): not read to the end, the findings before it are reported")]
    Crashed { signal: i32 },
    /// The reader exited while reading.
    #[error(
        "crashed (exit status {code}): not read to the end, the findings before it are reported"
    )]
    Exited { code: i32 },
    /// The reader went on past the file's time limit and was killed.
    #[error("time limit ({secs} s, --max-file-time): the reader did not stop and was killed; not read to the end, the findings before it are reported")]
    TimeLimit { secs: String },
    /// The scan was interrupted while the reader worked.
    #[error("scan interrupted (SIGINT/SIGTERM): not read to the end, the findings before it are reported")]
    Interrupted,
    /// A parser panicked (caught in the reader, which goes on).
    #[error("internal error while reading this file (a bug in pdscout; the scan went on)")]
    Panicked,
    /// The error the reader met, as it worded it.
    #[error("{0}")]
    Reported(String),
    /// The reader sent something that is not a frame.
    #[error("internal error: the reader process sent a bad frame ({0}); not read to the end")]
    Protocol(&'static str),
    /// No reader process could be started.
    #[error("cannot start a reader process: {0}")]
    Spawn(std::io::Error),
}
