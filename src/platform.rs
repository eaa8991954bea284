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
