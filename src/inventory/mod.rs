//! The inventory: a SQLite database (WAL mode) of runs, files and findings,
//! kept by `scan --db` and `sweep`, read by `report` and `subject --db`.
//!
//! No raw value is ever stored: findings keep their masked form and a keyed
//! fingerprint ([`key`]). Unchanged files (same size, mtime and inode as in
//! the last run) keep their findings without being read again.

pub mod config;
mod key;
mod query;
mod recorder;
pub mod retention;
mod schema;

pub use key::{hex, key_path, Fingerprint, Key};
pub use query::date_of;
pub use query::{FileRow, InventoryReport, KindCount, RetentionRow, RunRow, SubjectHit, TopFolder};
pub use recorder::{Recorder, RunTotals};
pub use schema::VERSION as SCHEMA_VERSION;

use crate::extract::Location;
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
    /// ([`crate::detect::subject::record::Place::encode`]).
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
    /// xxh3-128 of the content, hex.
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
        let (whole, part) = crate::detect::subject::canonical_forms(kind, value);
        (
            self.key.fingerprint(kind, &whole),
            part.map(|p| self.key.fingerprint("name-part", &p)),
        )
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
}

/// Holds an inventory for one run; released when dropped (and by the
/// kernel if the process dies).
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Where the lock of the inventory `db` is.
fn lock_path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".lock");
    PathBuf::from(p)
}

impl Inventory {
    /// Takes the inventory's lock, or fails at once if another run holds it.
    pub fn lock(db: &Path) -> Result<Lock, InventoryError> {
        use std::io::{Read, Seek, Write};
        let path = lock_path(db);
        let io_err = |source| InventoryError::Io {
            path: path.display().to_string(),
            source,
        };
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut pid = String::new();
                let _ = file.read_to_string(&mut pid);
                return Err(InventoryError::Locked(
                    db.display().to_string(),
                    pid.trim().to_string(),
                ));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io_err(e)),
        }
        file.set_len(0).map_err(io_err)?;
        file.rewind().map_err(io_err)?;
        write!(file, "{}", std::process::id()).map_err(io_err)?;
        Ok(Lock { _file: file })
    }

    /// Opens the inventory at `path`, creating it when `create`.
    pub fn open(path: &Path, create: bool) -> Result<Inventory, InventoryError> {
        let shown = path.display().to_string();
        let io_err = |source| InventoryError::Io {
            path: shown.clone(),
            source,
        };
        let exists = path.exists();
        if !exists {
            if !create {
                return Err(InventoryError::Missing(shown));
            }
            // SQLite gives its -wal and -shm files the database's mode.
            crate::scan::create_private(path, true).map_err(io_err)?;
        }
        let sql = |source| InventoryError::Sql {
            path: shown.clone(),
            source,
        };
        let mut conn = Connection::open(path).map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(sql)?;
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
        let key = Key::load_or_create(path, create && fresh == 0).map_err(io_err)?;
        Ok(Inventory {
            conn,
            path: path.to_path_buf(),
            key,
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

    /// Starts a run: earlier runs still marked running died (kill -9, power
    /// loss) and are marked aborted.
    pub fn begin_run(
        &mut self,
        roots: &[String],
        full: bool,
    ) -> Result<Recorder<'_>, InventoryError> {
        let now = now();
        let run = (|| -> rusqlite::Result<i64> {
            self.conn
                .execute("UPDATE runs SET status = 'aborted' WHERE status = 'running'", [])?;
            let empty: bool =
                self.conn
                    .query_row("SELECT NOT EXISTS (SELECT 1 FROM findings)", [], |r| r.get(0))?;
            if empty {
                self.conn.execute_batch(schema::DROP_FINGERPRINT_INDEXES)?;
            }
            self.conn.execute(
                "INSERT INTO runs (started, status, roots, full, pid) VALUES (?1, 'running', ?2, ?3, ?4)",
                rusqlite::params![
                    now,
                    serde_json::to_string(roots).unwrap_or_default(),
                    full,
                    std::process::id()
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

/// The local time, as stored.
fn now() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}
