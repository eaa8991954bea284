//! The inventory: a SQLite database (WAL mode) of runs, files and findings,
//! kept by `scan --db` and `sweep`, read by `report` and `subject --db`.
//!
//! No raw value is ever stored: findings keep their masked form and a keyed
//! fingerprint ([`key`]). Unchanged files (same size, mtime and inode as in
//! the last run) keep their findings without being read again.

mod key;
mod query;
mod recorder;
pub mod retention;
mod schema;

pub use crate::model::record::RunTotals;
pub use key::{hex, key_path, Fingerprint, Key};
pub use query::date_of;
pub use query::{FileRow, InventoryReport, KindCount, RetentionRow, RunRow, SubjectHit, TopFolder};
pub use recorder::Recorder;
pub use schema::VERSION as SCHEMA_VERSION;

use crate::model::location::Location;
use rusqlite::Connection;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// Errors opening or using the inventory.
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("inventory {path}: {source}")]
    Sql {
        path: String,
        source: rusqlite::Error,
    },
    #[error("inventory {path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("inventory {0}: no such inventory (create it with `pdscout scan --db FILE PATH...`)")]
    Missing(String),
    #[error("inventory {0}: {1}")]
    Schema(String, String),
    #[error(
        "inventory {0} is in use by another pdscout (pid {1}); this run did nothing. \
         Sweeps on one inventory never overlap"
    )]
    Locked(String, String),
    #[error(
        "{0} is not a pdscout inventory (it holds the tables {1}); it was left unchanged. \
         Give --db a new file name"
    )]
    NotInventory(String, String),
    #[error(
        "the key {1} does not belong to the inventory {0} (its key check differs): \
         nothing was read or written. Restore the inventory's own key, or start a new inventory"
    )]
    WrongKey(String, String),
}

/// A file's identity on disk, compared between runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub size: u64,
    pub mtime_ns: i64,
    /// 0 where the platform has none.
    pub inode: u64,
}

impl Stat {
    /// The stat of a file from its metadata.
    pub fn of(m: &std::fs::Metadata) -> Stat {
        let mtime_ns = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i64);
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(m);
        #[cfg(not(unix))]
        let inode = 0;
        Stat {
            size: m.len(),
            mtime_ns,
            inode,
        }
    }
}

/// What the inventory knew of a file before this run.
#[derive(Debug, Clone)]
pub struct Prev {
    pub id: i64,
    pub stat: Stat,
    /// Read to the end last time (else it is read again).
    pub complete: bool,
}

/// One finding as the inventory keeps it.
#[derive(Debug, Clone)]
pub struct StoredFinding {
    pub entry: Option<String>,
    pub kind: String,
    pub location: Location,
    pub masked: String,
    pub confidence: f32,
    pub pattern: String,
    pub fingerprint: Fingerprint,
    /// A name's surname alone.
    pub fingerprint_part: Option<Fingerprint>,
    /// Where it sits for a subject's records
    /// ([`crate::subject::record::Place::encode`]).
    pub place: Option<String>,
}

impl StoredFinding {
    /// The record (line, table row, page) the finding belongs to.
    fn rec(&self) -> Option<i64> {
        let l = &self.location;
        l.line
            .map(|v| v as i64)
            .or_else(|| {
                l.cell.as_deref().and_then(|c| {
                    c.trim_start_matches(|ch: char| ch.is_ascii_alphabetic())
                        .parse()
                        .ok()
                })
            })
            .or(l.page.map(i64::from))
    }
}

/// What the inventory keeps of one file of a run.
#[derive(Debug, Default)]
pub struct StoredFile {
    /// Absolute path (for an unchanged file: as shown in this run's records).
    pub path: String,
    pub stat: Option<Stat>,
    /// The content's keyed digest ([`Key::content_digest`]), hex.
    pub hash: Option<String>,
    pub format: Option<String>,
    /// `ok`, `partial`, `error`, `binary`, `empty`, `skipped`.
    pub status: &'static str,
    /// Not read: unchanged since this inventory row.
    pub unchanged: Option<i64>,
    /// The last findings (earlier ones came in batches).
    pub findings: Vec<StoredFinding>,
    /// Why the file or members were not fully read: (entry, reason).
    pub problems: Vec<(Option<String>, String)>,
    /// Findings per kind, members included.
    pub kinds: BTreeMap<String, u64>,
    /// Its `file` records (JSON).
    pub records: Option<String>,
}

/// The inventory side of a scan, shared by the workers: the key for
/// fingerprints and what the last run knew of each file.
#[derive(Debug)]
pub struct Incremental {
    pub key: Key,
    pub prev: HashMap<String, Prev>,
    /// `--full`: read every file again.
    pub full: bool,
}

impl Incremental {
    /// The previous state of `path` when it may be kept as it is.
    pub fn unchanged(&self, path: &str, stat: &Stat) -> Option<&Prev> {
        if self.full {
            return None;
        }
        self.prev
            .get(path)
            .filter(|p| p.complete && p.stat == *stat)
    }

    /// The fingerprints of a finding's normalised value.
    pub fn fingerprints(&self, kind: &str, value: &str) -> (Fingerprint, Option<Fingerprint>) {
        let (whole, part) = crate::subject::canonical_forms(kind, value);
        (
            self.key.fingerprint(kind, &whole),
            part.map(|p| self.key.fingerprint("name-part", &p)),
        )
    }
}

/// The text of a path in reports and in the inventory, lossless: the path
/// itself when it is UTF-8 without a backslash; otherwise each byte that is
/// not UTF-8 is written `\xHH` and each backslash `\\`, so two names never
/// share a text (`courrier-\xe9t\xe9.txt`, `courrier-\xe8t\xe8.txt`).
/// [`path_of`] gives the path back.
pub fn path_text(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::fmt::Write;
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        if let Ok(s) = std::str::from_utf8(bytes) {
            if !s.contains('\\') {
                return s.to_string();
            }
        }
        let mut out = String::with_capacity(bytes.len() + 8);
        for chunk in bytes.utf8_chunks() {
            out.push_str(&chunk.valid().replace('\\', "\\\\"));
            for b in chunk.invalid() {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

/// The path written as [`path_text`] wrote it.
pub fn path_of(text: &str) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        if !text.contains('\\') {
            return PathBuf::from(text);
        }
        let b = text.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            let hex = || {
                let h = text.get(i + 2..i + 4)?;
                u8::from_str_radix(h, 16).ok()
            };
            match (b[i], b.get(i + 1)) {
                (b'\\', Some(b'\\')) => {
                    out.push(b'\\');
                    i += 2;
                }
                (b'\\', Some(b'x')) if hex().is_some() => {
                    out.extend(hex());
                    i += 4;
                }
                (c, _) => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        PathBuf::from(std::ffi::OsString::from_vec(out))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(text)
    }
}

/// The absolute form of a path as shown in reports (not resolving links).
pub fn absolute(shown: &str) -> String {
    std::path::absolute(shown)
        .map_or_else(|_| shown.to_string(), |p| p.to_string_lossy().into_owned())
}

/// An open inventory.
pub struct Inventory {
    conn: Connection,
    path: PathBuf,
    key: Key,
    /// A writer's lock, released after the connection is closed (fields
    /// drop in order): closing any descriptor of the database file drops
    /// the process's POSIX locks on it, SQLite's included.
    _lock: Option<Lock>,
}

/// Holds an inventory for one run; released when dropped (and by the
/// kernel if the process dies).
#[derive(Debug)]
pub struct Lock {
    _db: File,
    _file: Option<File>,
}

/// Where the lock file of the inventory `db` is.
fn lock_path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".lock");
    PathBuf::from(p)
}

/// The mark of a pdscout inventory in SQLite's header
/// (`PRAGMA application_id`): "PDSc".
const APPLICATION_ID: i64 = 0x5044_5363;

/// What SQLite file `conn` is: `Ok(true)` a pdscout inventory, `Ok(false)`
/// an empty database (a new inventory), `Err` the tables of another
/// program's database, which pdscout must not touch.
fn identify(conn: &Connection) -> rusqlite::Result<Result<bool, String>> {
    let app: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let mut st = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let tables: Vec<String> = st
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if tables.is_empty() {
        return Ok(Ok(false));
    }
    let versioned = tables.iter().any(|t| t == "meta")
        && conn
            .query_row(
                "SELECT 1 FROM meta WHERE key = 'schema_version'",
                [],
                |_| Ok(()),
            )
            .is_ok();
    if app == APPLICATION_ID || (app == 0 && versioned) {
        Ok(Ok(true))
    } else {
        Ok(Err(tables.join(", ")))
    }
}

impl Inventory {
    /// Takes the inventory's lock (creating the database file, mode 0600,
    /// if there is none), or fails at once if another run holds it.
    ///
    /// The lock is a `flock` on the database file itself: only who can open
    /// the file (its owner: it is 0600) can hold it, so no other user can
    /// block a sweep. The `<db>.lock` file beside it says which process
    /// holds the inventory and is locked too (older pdscout versions lock
    /// only it); it is opened without following links and used only when
    /// it is a regular file of ours: one planted by another user (or a
    /// link, a fifo) is left alone and cannot block the sweep either.
    fn lock(db: &Path) -> Result<Lock, InventoryError> {
        use std::io::{Read, Seek, Write};
        let shown = db.display().to_string();
        let io_err = |path: &Path, source| InventoryError::Io {
            path: path.display().to_string(),
            source,
        };
        let db_file = match std::fs::File::open(db) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // SQLite gives its -wal and -shm files the database's mode.
                crate::platform::create_private(db, true).map_err(|e| io_err(db, e))?
            }
            Err(e) => return Err(io_err(db, e)),
        };
        let held = |f: &File| -> Result<bool, InventoryError> {
            match f.try_lock() {
                Ok(()) => Ok(false),
                Err(std::fs::TryLockError::WouldBlock) => Ok(true),
                Err(std::fs::TryLockError::Error(e)) => Err(io_err(db, e)),
            }
        };
        let path = lock_path(db);
        let mut file = open_own_lock_file(&path);
        // Windows' file locks are mandatory: one on the database file would
        // stop SQLite's own reads; there the lock file alone says who holds it.
        let mut busy = cfg!(not(windows)) && held(&db_file)?;
        if let Some(f) = &file {
            busy = busy || held(f)?;
        }
        if busy {
            let mut pid = String::new();
            if let Some(f) = &mut file {
                let _ = f.read_to_string(&mut pid);
            }
            return Err(InventoryError::Locked(shown, pid.trim().to_string()));
        }
        if let Some(f) = &mut file {
            f.set_len(0).map_err(|e| io_err(&path, e))?;
            f.rewind().map_err(|e| io_err(&path, e))?;
            write!(f, "{}", std::process::id()).map_err(|e| io_err(&path, e))?;
        }
        Ok(Lock {
            _db: db_file,
            _file: file,
        })
    }

    /// Opens the inventory at `path` for a run that writes to it (`scan
    /// --db`, `sweep`): takes its lock, creates it if there is none, brings
    /// an older one up to date. A SQLite database of another program is
    /// refused untouched.
    pub fn open_writer(path: &Path) -> Result<Inventory, InventoryError> {
        let lock = Self::lock(path)?;
        let shown = path.display().to_string();
        let io_err = |source| InventoryError::Io {
            path: shown.clone(),
            source,
        };
        let sql = |source| InventoryError::Sql {
            path: shown.clone(),
            source,
        };
        let mut conn = Connection::open(path).map_err(sql)?;
        // Readers never write, but a checkpoint or a reader's snapshot may
        // hold the database for a moment: wait rather than fail.
        conn.busy_timeout(std::time::Duration::from_secs(60))
            .map_err(sql)?;
        let known = identify(&conn)
            .map_err(sql)?
            .map_err(|tables| InventoryError::NotInventory(shown.clone(), tables))?;
        if !known
            || conn
                .query_row("PRAGMA application_id", [], |r| r.get::<_, i64>(0))
                .map_err(sql)?
                == 0
        {
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .map_err(sql)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql)?;
        // Index pages of a large inventory stay in memory while a run writes.
        conn.pragma_update(None, "cache_size", -16384)
            .map_err(sql)?;
        schema::migrate(&mut conn)
            .map_err(sql)?
            .map_err(|m| InventoryError::Schema(shown.clone(), m))?;
        let fresh: i64 = conn
            .query_row("SELECT count(*) FROM runs", [], |r| r.get(0))
            .map_err(sql)?;
        let stored = stored_key_check(&conn).map_err(sql)?;
        let key = Key::load_or_create(path, fresh == 0 && stored.is_none()).map_err(io_err)?;
        match stored {
            Some(check) if check != key.check() => {
                return Err(InventoryError::WrongKey(
                    shown,
                    key_path(path).display().to_string(),
                ))
            }
            Some(_) => {}
            // A new inventory, or one made before key checks.
            None => {
                conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('key_check', ?1)",
                    [key.check()],
                )
                .map_err(sql)?;
            }
        }
        schema::key_file_hashes(&mut conn, &key).map_err(sql)?;
        Ok(Inventory {
            conn,
            path: path.to_path_buf(),
            key,
            _lock: Some(lock),
        })
    }

    /// Opens the inventory at `path` to read it (`report`, `subject --db`):
    /// read-only, no lock, no migration, nothing written; a sweep running
    /// meanwhile goes on undisturbed (WAL: readers see the last commit).
    pub fn open_reader(path: &Path) -> Result<Inventory, InventoryError> {
        use rusqlite::OpenFlags;
        let shown = path.display().to_string();
        if !path.exists() {
            return Err(InventoryError::Missing(shown));
        }
        let sql = |source| InventoryError::Sql {
            path: shown.clone(),
            source,
        };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(sql)?;
        match identify(&conn).map_err(sql)? {
            Ok(true) => {}
            Ok(false) => return Err(InventoryError::Missing(shown)),
            Err(tables) => return Err(InventoryError::NotInventory(shown, tables)),
        }
        let version = schema::version(&conn).map_err(sql)?;
        if version > schema::VERSION {
            return Err(InventoryError::Schema(shown, schema::too_new(version)));
        }
        let key = Key::load_or_create(path, false).map_err(|source| InventoryError::Io {
            path: shown.clone(),
            source,
        })?;
        if stored_key_check(&conn)
            .map_err(sql)?
            .is_some_and(|check| check != key.check())
        {
            return Err(InventoryError::WrongKey(
                shown,
                key_path(path).display().to_string(),
            ));
        }
        Ok(Inventory {
            conn,
            path: path.to_path_buf(),
            key,
            _lock: None,
        })
    }

    /// The inventory's secret.
    pub fn key(&self) -> &Key {
        &self.key
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql(&self, source: rusqlite::Error) -> InventoryError {
        InventoryError::Sql {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// What the inventory knows of each present file, for an incremental run.
    pub fn previous(&self) -> Result<HashMap<String, Prev>, InventoryError> {
        let run = || -> rusqlite::Result<HashMap<String, Prev>> {
            let mut st = self.conn.prepare(
                "SELECT id, path, size, mtime_ns, inode, status FROM files
                 WHERE removed_run IS NULL AND size IS NOT NULL",
            )?;
            let rows = st.query_map([], |r| {
                let status: String = r.get(5)?;
                Ok((
                    r.get::<_, String>(1)?,
                    Prev {
                        id: r.get(0)?,
                        stat: Stat {
                            size: r.get::<_, i64>(2)? as u64,
                            mtime_ns: r.get(3)?,
                            inode: r.get::<_, Option<i64>>(4)?.unwrap_or(0) as u64,
                        },
                        complete: matches!(status.as_str(), "ok" | "binary" | "empty"),
                    },
                ))
            })?;
            rows.collect()
        };
        run().map_err(|e| self.sql(e))
    }

    /// Whether the inventory knows files under the absolute `root` (not
    /// removed): an empty root is then suspect.
    pub fn has_files_under(&self, root: &str) -> Result<bool, InventoryError> {
        let root = root.trim_end_matches('/');
        // Paths below `root/` sort between `root/` and `root0` ('0' follows '/').
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM files WHERE removed_run IS NULL
                 AND (path = ?1 OR (path >= ?1 || '/' AND path < ?1 || '0')))",
                [root],
                |r| r.get(0),
            )
            .map_err(|e| self.sql(e))
    }

    /// Whether files kept unchanged could hold findings made under other
    /// `settings` than these: some run since the last complete one (that
    /// one included) had other settings, or none recorded (older pdscout).
    /// `false` for a new inventory.
    pub fn settings_changed(&self, settings: &str) -> Result<bool, InventoryError> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM runs WHERE settings IS NOT ?1 AND id >=
                 coalesce((SELECT max(id) FROM runs WHERE status = 'complete'), 0))",
                [settings],
                |r| r.get(0),
            )
            .map_err(|e| self.sql(e))
    }

    /// Starts a run: earlier runs still marked running died (kill -9, power
    /// loss) and are marked aborted.
    pub fn begin_run(
        &mut self,
        roots: &[String],
        full: bool,
        settings: &str,
    ) -> Result<Recorder<'_>, InventoryError> {
        let now = now();
        let run = (|| -> rusqlite::Result<i64> {
            self.conn.execute(
                "UPDATE runs SET status = 'aborted' WHERE status = 'running'",
                [],
            )?;
            let empty: bool =
                self.conn
                    .query_row("SELECT NOT EXISTS (SELECT 1 FROM findings)", [], |r| {
                        r.get(0)
                    })?;
            if empty {
                self.conn.execute_batch(schema::DROP_FINGERPRINT_INDEXES)?;
            }
            self.conn.execute(
                "INSERT INTO runs (started, status, roots, full, pid, settings)
                 VALUES (?1, 'running', ?2, ?3, ?4, ?5)",
                rusqlite::params![
                    now,
                    serde_json::to_string(roots).unwrap_or_default(),
                    full,
                    std::process::id(),
                    settings
                ],
            )?;
            Ok(self.conn.last_insert_rowid())
        })()
        .map_err(|e| self.sql(e))?;
        Ok(Recorder::new(self, run, roots))
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// The key check stored in the inventory, if any (inventories made before
/// key checks have none until their next writing run).
fn stored_key_check(conn: &Connection) -> rusqlite::Result<Option<String>> {
    use rusqlite::OptionalExtension;
    conn.query_row("SELECT value FROM meta WHERE key = 'key_check'", [], |r| {
        r.get(0)
    })
    .optional()
}

/// Opens the lock file at `path` if it is a regular file of ours (created,
/// mode 0600, when missing); `None`, with a warning, for anything else.
fn open_own_lock_file(path: &Path) -> Option<File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // No link followed, and a fifo planted there does not block the open.
        opts.mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC);
    }
    let ignored = |why: String| {
        eprintln!(
            "pdscout: warning: {} {why}: ignored (the inventory is locked by its database file)",
            path.display()
        );
        None
    };
    let file = match opts.open(path) {
        Ok(f) => f,
        Err(e) => return ignored(format!("cannot be opened ({e})")),
    };
    let meta = match file.metadata() {
        Ok(m) => m,
        Err(e) => return ignored(format!("cannot be read ({e})")),
    };
    if !meta.is_file() {
        return ignored("is not a regular file".into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return ignored(format!("belongs to another user (uid {})", meta.uid()));
        }
        // One made by an older pdscout may be readable by others.
        if meta.mode() & 0o777 != 0o600 {
            use std::os::unix::fs::PermissionsExt;
            let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
        }
    }
    Some(file)
}

/// The local time, as stored.
fn now() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn path_text_is_lossless_and_injective() {
        use std::os::unix::ffi::OsStrExt;
        let names: [&[u8]; 6] = [
            b"/srv/courrier-\xe9t\xe9.txt",
            b"/srv/courrier-\xe8t\xe8.txt",
            b"/srv/courrier-\\xe9t\\xe9.txt",
            b"/srv/a\\b",
            b"/srv/\xc3\xa9t\xc3\xa9.txt",
            b"/srv/\\x",
        ];
        let texts: Vec<String> = names
            .iter()
            .map(|n| path_text(Path::new(std::ffi::OsStr::from_bytes(n))))
            .collect();
        for (n, t) in names.iter().zip(&texts) {
            assert_eq!(path_of(t).as_os_str().as_bytes(), *n, "{t}");
        }
        assert_eq!(texts[0], "/srv/courrier-\\xe9t\\xe9.txt");
        assert_eq!(texts[4], "/srv/été.txt");
        let mut unique = texts.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), texts.len(), "{texts:?}");
    }
}
