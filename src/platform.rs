//! What the operating system is asked for: files only their owner can read
//! (reports list where personal data is; the inventory and its key), where
//! the report goes, and the flag a SIGINT/SIGTERM sets.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Set by a signal handler to stop the run early with a complete report.
pub static INTERRUPT: AtomicBool = AtomicBool::new(false);

/// A buffered writer to `path` (created or truncated, mode 0600) or stdout.
pub fn open_output(path: Option<&Path>) -> io::Result<Box<dyn Write + Send>> {
    let Some(path) = path else {
        return Ok(Box::new(BufWriter::with_capacity(1 << 16, io::stdout())));
    };
    let f = create_private(path, false)?;
    Ok(Box::new(BufWriter::with_capacity(1 << 16, f)))
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Creates (or, unless `new_only`, truncates) `path` readable by its owner
/// only: reports, the inventory and its key.
pub fn create_private(path: &Path, new_only: bool) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true);
    if new_only {
        opts.create_new(true);
    } else {
        opts.create(true).truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
        // A symbolic link planted at the path (in a shared folder, by
        // another user) must not send the report elsewhere.
        opts.custom_flags(libc::O_NOFOLLOW);
    }
    let f = opts.open(path).map_err(|e| {
        if is_symlink(path) {
            io::Error::new(
                e.kind(),
                "it is a symbolic link, not followed (give the path of the file itself)",
            )
        } else {
            e
        }
    })?;
    #[cfg(unix)]
    {
        // An existing file keeps its mode on open: tighten it (a regular
        // file only: `-o /dev/null` must not change the device).
        use std::os::unix::fs::PermissionsExt;
        if f.metadata()?.is_file() {
            f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(f)
}
