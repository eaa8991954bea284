//! What the operating system is asked for: files only their owner can read
//! (reports list where personal data is; the inventory and its key), where
//! the report goes, and the flag a SIGINT/SIGTERM sets.
//!
//! "Only its owner" is mode 0600 on Unix; on Windows, a protected DACL with
//! one entry, full control for the current user (no inherited entries: the
//! share's "Everyone: read" does not reach the file).

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Set by a signal handler to stop the run early with a complete report.
pub static INTERRUPT: AtomicBool = AtomicBool::new(false);

/// A buffered writer to `path` (mode 0600) or stdout.
///
/// A report to a regular file is written beside it under a hidden name and
/// put in its place when flushed ([`Report`]): every report path flushes
/// once, at its end. A reader during a sweep sees the last complete report,
/// and a run that fails (a full disk, a kill) leaves that one in place
/// rather than half of a new one. A device or a pipe (`-o /dev/null`) is
/// written directly.
pub fn open_output(path: Option<&Path>) -> io::Result<Box<dyn Write + Send>> {
    let Some(path) = path else {
        return Ok(Box::new(BufWriter::with_capacity(1 << 16, io::stdout())));
    };
    let special =
        std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file() && !m.file_type().is_symlink());
    if special {
        let f = create_private(path, false)?;
        return Ok(Box::new(BufWriter::with_capacity(1 << 16, f)));
    }
    if is_symlink(path) {
        // Refused with create_private's own message.
        create_private(path, false)?;
    }
    match Report::create(path) {
        Ok(report) => Ok(Box::new(report)),
        // A folder where only the report itself may be written (made
        // beforehand by an administrator): written in place, as before.
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied && path.is_file() => {
            let f = create_private(path, false)?;
            Ok(Box::new(BufWriter::with_capacity(1 << 16, f)))
        }
        Err(e) => Err(e),
    }
}

/// A report being written to a hidden file beside its destination, renamed
/// over the destination by the first successful `flush` after which it is
/// complete; removed if dropped before.
pub struct Report {
    out: BufWriter<File>,
    /// The hidden file, until it is renamed.
    part: Option<std::path::PathBuf>,
    dest: std::path::PathBuf,
    /// A write failed: the report is incomplete and never put in place.
    failed: bool,
}

impl Report {
    fn create(dest: &Path) -> io::Result<Self> {
        let name = dest
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
        let mut hidden = std::ffi::OsString::from(".");
        hidden.push(name);
        hidden.push(format!(".pdscout-{}.part", std::process::id()));
        let part = dest.with_file_name(hidden);
        // A file left by a killed run of the same process id.
        let _ = std::fs::remove_file(&part);
        let f = create_private(&part, true)?;
        Ok(Report {
            out: BufWriter::with_capacity(1 << 16, f),
            part: Some(part),
            dest: dest.to_path_buf(),
            failed: false,
        })
    }
}

impl Write for Report {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = self.out.write(buf);
        self.failed |= r.is_err();
        r
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.failed {
            return Err(io::Error::other("the report is incomplete: a write failed"));
        }
        let r = self
            .out
            .flush()
            .and_then(|()| self.out.get_ref().sync_all());
        self.failed |= r.is_err();
        r?;
        if let Some(part) = &self.part {
            std::fs::rename(part, &self.dest)?;
            self.part = None;
        }
        Ok(())
    }
}

impl Drop for Report {
    fn drop(&mut self) {
        if let Some(part) = self.part.take() {
            let _ = std::fs::remove_file(part);
        }
    }
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
    #[cfg(windows)]
    if f.metadata()?.is_file() {
        windows_acl::owner_only(path)?;
    }
    Ok(f)
}

/// Windows: the ACL that stands for mode 0600.
#[cfg(windows)]
mod windows_acl {
    use std::io;
    use std::os::windows::ffi::OsStrExt;
    use std::path::Path;
    use windows_sys::Win32::Foundation::{
        CloseHandle, LocalFree, ERROR_SUCCESS, GENERIC_ALL, HANDLE,
    };
    use windows_sys::Win32::Security::Authorization::{
        SetEntriesInAclW, SetNamedSecurityInfoW, EXPLICIT_ACCESS_W, NO_MULTIPLE_TRUSTEE,
        SET_ACCESS, SE_FILE_OBJECT, TRUSTEE_IS_SID, TRUSTEE_IS_USER, TRUSTEE_W,
    };
    use windows_sys::Win32::Security::{
        GetTokenInformation, TokenUser, ACL, DACL_SECURITY_INFORMATION, NO_INHERITANCE,
        PROTECTED_DACL_SECURITY_INFORMATION, TOKEN_QUERY, TOKEN_USER,
    };
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

    /// Replaces the DACL of `path` by one entry: full control for the
    /// user this process runs as; inheritance from the folder is cut.
    pub fn owner_only(path: &Path) -> io::Result<()> {
        let wide: Vec<u16> = path.as_os_str().encode_wide().chain([0]).collect();
        let user = current_user()?;
        // SAFETY: the buffer holds a TOKEN_USER written by
        // GetTokenInformation (u64 cells keep it aligned); its SID points
        // into the same buffer, alive until the end of this function.
        let sid = unsafe { (*(user.as_ptr() as *const TOKEN_USER)).User.Sid };
        let entry = EXPLICIT_ACCESS_W {
            grfAccessPermissions: GENERIC_ALL,
            grfAccessMode: SET_ACCESS,
            grfInheritance: NO_INHERITANCE,
            Trustee: TRUSTEE_W {
                pMultipleTrustee: std::ptr::null_mut(),
                MultipleTrusteeOperation: NO_MULTIPLE_TRUSTEE,
                TrusteeForm: TRUSTEE_IS_SID,
                TrusteeType: TRUSTEE_IS_USER,
                ptstrName: sid as *mut u16,
            },
        };
        let mut acl: *mut ACL = std::ptr::null_mut();
        // SAFETY: one valid entry; `acl` receives a LocalAlloc'd ACL, freed below.
        let rc = unsafe { SetEntriesInAclW(1, &entry, std::ptr::null(), &mut acl) };
        if rc != ERROR_SUCCESS {
            return Err(io::Error::from_raw_os_error(rc as i32));
        }
        // SAFETY: `wide` is a NUL-terminated path; `acl` is the ACL just built.
        let rc = unsafe {
            SetNamedSecurityInfoW(
                wide.as_ptr(),
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                acl,
                std::ptr::null(),
            )
        };
        // SAFETY: allocated by SetEntriesInAclW, used no more.
        unsafe { LocalFree(acl as _) };
        if rc != ERROR_SUCCESS {
            return Err(io::Error::from_raw_os_error(rc as i32));
        }
        Ok(())
    }

    /// The TOKEN_USER of this process, in an aligned buffer.
    fn current_user() -> io::Result<Vec<u64>> {
        let mut token: HANDLE = std::ptr::null_mut();
        // SAFETY: the pseudo-handle of this process; `token` is closed below.
        if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
            return Err(io::Error::last_os_error());
        }
        let mut len = 0u32;
        // SAFETY: a size query (null buffer), then a buffer of that size.
        unsafe { GetTokenInformation(token, TokenUser, std::ptr::null_mut(), 0, &mut len) };
        let mut buf = vec![0u64; (len as usize).div_ceil(8).max(1)];
        let ok = unsafe {
            GetTokenInformation(token, TokenUser, buf.as_mut_ptr().cast(), len, &mut len)
        };
        let err = io::Error::last_os_error();
        // SAFETY: opened above.
        unsafe { CloseHandle(token) };
        if ok == 0 {
            return Err(err);
        }
        Ok(buf)
    }
}
