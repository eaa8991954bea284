//! `-` as a root: standard input, read as one document named `<stdin>`.
//!
//! The input (a pipe from `pdftotext`, `unzip -p`, a database dump) is
//! copied into a private temporary file first: the readers seek, sniff the
//! head and may hand the file to a reader process, none of which a pipe
//! allows. Reports name it `<stdin>` ([`shown`]); the copy is removed by
//! [`release`] at the end of the command.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The root that stands for standard input.
pub const ARG: &str = "-";

/// The name reports give standard input.
pub const NAME: &str = "<stdin>";

/// The copy of standard input, once made.
static COPY: Mutex<Option<tempfile::NamedTempFile>> = Mutex::new(None);
/// Its path: every file's name is compared with it, without a lock.
static PATH: OnceLock<PathBuf> = OnceLock::new();

/// Errors reading standard input.
#[derive(Debug, thiserror::Error)]
pub enum StdinError {
    #[error("`-` reads standard input, which is a terminal: pipe a document into pdscout (e.g. `pdftotext a.pdf - | pdscout scan -`)")]
    Terminal,
    #[error("cannot read standard input: {0}")]
    Read(#[source] io::Error),
}

/// True when `root` is `-`.
pub fn is_arg(root: &Path) -> bool {
    root.as_os_str() == ARG
}

/// Copies standard input into a private temporary file (once: a second
/// `-` is the same document) and returns its path, to walk in place of `-`.
pub fn copy() -> Result<PathBuf, StdinError> {
    let mut slot = COPY.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(f) = slot.as_ref() {
        return Ok(f.path().to_path_buf());
    }
    let stdin = io::stdin();
    if stdin.is_terminal() {
        return Err(StdinError::Terminal);
    }
    // Created readable by its owner only: it holds whatever was piped in.
    let mut f = tempfile::Builder::new()
        .prefix("pdscout-stdin-")
        .tempfile()
        .map_err(StdinError::Read)?;
    io::copy(&mut stdin.lock(), f.as_file_mut()).map_err(StdinError::Read)?;
    let path = f.path().to_path_buf();
    *slot = Some(f);
    let _ = PATH.set(path.clone());
    Ok(path)
}

/// `<stdin>` when `path` is the copy of standard input.
pub fn shown(path: &Path) -> Option<&'static str> {
    PATH.get().is_some_and(|p| p == path).then_some(NAME)
}

/// Removes the copy of standard input, if any.
pub fn release() {
    let mut slot = COPY.lock().unwrap_or_else(|e| e.into_inner());
    slot.take();
}
