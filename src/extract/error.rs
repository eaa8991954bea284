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
    #[error("{0}")]
    Limit(String),
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
