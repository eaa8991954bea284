//! The inventory: a database of runs, files and findings, kept by `scan
//! --db` and `sweep`, read by `report` and `subject --db`: a SQLite file
//! (WAL mode, the default) or a PostgreSQL database shared by the sharded
//! sweeps of many hosts ([`db::Backend`], one trait for both).
//!
//! No raw value is ever stored: findings keep their masked form and a keyed
//! fingerprint ([`key`]). Unchanged files (same size, mtime and inode as in
//! the last run) keep their findings without being read again.

pub mod db;
mod key;
mod known;
mod lookup;
mod pg;
mod pg_tls;
mod query;
mod recorder;
pub mod retention;
mod schema;
mod sqlite;

pub use crate::model::record::InventorySummary;
pub use key::{hex, key_path, Fingerprint, Key};
pub use known::Known;
pub use lookup::SubjectHit;
pub use pg::is_url;
pub use query::date_of;
pub use query::{
    FileRow, InventoryReport, KindCount, RetentionRow, RunRow, ShardSet, SourceRow, TopFolder,
};
pub use recorder::Recorder;
pub use schema::VERSION as SCHEMA_VERSION;

use crate::model::location::Location;
use crate::model::record::FileStatus;
pub use crate::walk::Shard;
use db::{params, Backend, DbError, Dialect};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// Errors opening or using the inventory.
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("inventory {path}: {source}")]
    Sql { path: String, source: DbError },
    #[error("inventory {0}: cannot connect: {1}")]
    Connect(String, String),
    #[error(
        "inventory {0}: --key-file is required with PostgreSQL (every host is given the same \
         secret; make one with `openssl rand -hex 32 > FILE`, mode 0600)"
    )]
    KeyFileRequired(String),
    #[error(
        "inventory {0}: {1} is being swept by another pdscout (pid {2}); this run did nothing"
    )]
    Busy(String, String, String),
    #[error("inventory {path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("inventory {0}: no such inventory (create it with `pdscout scan --db FILE PATH...`)")]
    Missing(String),
    #[error("inventory {0}: {1}")]
    Schema(String, schema::MigrateError),
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
    pub status: FileStatus,
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
    pub prev: Known,
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

/// How a run opens its inventory, besides where it is (`--db`).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The secret (`--key-file`); else `<db>.key` beside a SQLite file.
    /// Required with PostgreSQL.
    pub key_file: Option<PathBuf>,
    /// What the roots belong to (`--source`); `None`: the host name.
    pub source: Option<String>,
    /// This run's part of a sharded sweep (`--shard K/N`).
    pub shard: Option<Shard>,
    /// The sweep a shard belongs to (`--generation`); `None`: the day.
    pub generation: Option<String>,
}

impl Options {
    /// The source this run's roots belong to.
    pub fn source(&self) -> String {
        self.source.clone().unwrap_or_else(host_name)
    }

    /// The generation of a sharded run: given, or the local day.
    pub fn generation(&self) -> Option<String> {
        self.shard.map(|_| {
            self.generation
                .clone()
                .unwrap_or_else(|| chrono::Local::now().format("%Y-%m-%d").to_string())
        })
    }
}

/// This machine's name (the default `--source`).
pub fn host_name() -> String {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its length; gethostname writes
        // at most that many bytes.
        let r = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
        if r == 0 {
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            let name = String::from_utf8_lossy(&buf[..end]).into_owned();
            if !name.is_empty() {
                return name;
            }
        }
    }
    std::env::var("COMPUTERNAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_else(|_| "localhost".into())
}

/// An open inventory.
pub struct Inventory {
    db: Box<dyn Backend>,
    /// The SQLite file, or the PostgreSQL URL (it holds no password).
    path: PathBuf,
    key: Key,
    source: String,
    shard: Option<Shard>,
    generation: Option<String>,
    /// A SQLite writer's lock, released after the connection is closed
    /// (fields drop in order): closing any descriptor of the database file
    /// drops the process's POSIX locks on it, SQLite's included.
    _lock: Option<sqlite::Lock>,
}

impl Inventory {
    /// Opens the inventory `db` for a run that writes to it (`scan --db`,
    /// `sweep`): creates it if there is none, brings an older one up to
    /// date. A SQLite file is locked for the run (another program's
    /// database is refused untouched); in PostgreSQL [`Self::begin_run`]
    /// locks only the run's own source, roots and shard, so the shards of a
    /// sweep (and the roots of a source) write at once.
    pub fn open_writer(db: &Path, opts: &Options) -> Result<Inventory, InventoryError> {
        let shown = pg::redact(&db.display().to_string());
        let source = opts.source();
        let url = db.to_str().filter(|s| is_url(s));
        let (backend, lock): (Box<dyn Backend>, _) = match url {
            Some(url) => {
                if opts.key_file.is_none() {
                    return Err(InventoryError::KeyFileRequired(shown));
                }
                (Box::new(pg::Postgres::connect(url)?), None)
            }
            None => {
                let lock = sqlite::lock(db)?;
                (Box::new(sqlite::Sqlite::open_writer(db)?), Some(lock))
            }
        };
        let sql = |source: DbError| InventoryError::Sql {
            path: shown.clone(),
            source,
        };
        let d = backend.as_ref();
        if d.dialect() == Dialect::Postgres {
            let tables = schema::tables(d).map_err(sql)?;
            if !tables.is_empty() && !tables.iter().any(|t| t == "meta") {
                return Err(InventoryError::NotInventory(shown, tables.join(", ")));
            }
        }
        schema::migrate(d, &source).map_err(|e| match e {
            schema::MigrateError::Db(e) => sql(e),
            too_new => InventoryError::Schema(shown.clone(), too_new),
        })?;
        let fresh = d.int("SELECT count(*) FROM runs", &[]).map_err(sql)? == 0;
        let stored = stored_key_check(d).map_err(sql)?;
        let key_file = opts.key_file.clone().unwrap_or_else(|| key_path(db));
        // A shared secret is given to every host, never made by one of them.
        let create = url.is_none() && fresh && stored.is_none();
        let key =
            Key::load_or_create_at(&key_file, create).map_err(|source| InventoryError::Io {
                path: shown.clone(),
                source,
            })?;
        if stored.is_none() {
            // A new inventory, or one made before key checks; of shards
            // starting together, the first one's key is kept.
            d.execute(
                "INSERT INTO meta (key, value) VALUES ('key_check', ?1) ON CONFLICT (key) DO NOTHING",
                &params![key.check()],
            )
            .map_err(sql)?;
        }
        if stored_key_check(d).map_err(sql)?.as_deref() != Some(key.check().as_str()) {
            return Err(InventoryError::WrongKey(
                shown,
                key_file.display().to_string(),
            ));
        }
        schema::key_file_hashes(d, &key).map_err(sql)?;
        Ok(Inventory {
            db: backend,
            path: if url.is_some() {
                PathBuf::from(&shown)
            } else {
                db.to_path_buf()
            },
            key,
            source,
            shard: opts.shard,
            generation: opts.generation(),
            _lock: lock,
        })
    }

    /// Opens the inventory `db` to read it (`report`, `subject --db`):
    /// no lock, no migration, nothing written; a sweep running meanwhile
    /// goes on undisturbed (readers see the last commit).
    pub fn open_reader(db: &Path, opts: &Options) -> Result<Inventory, InventoryError> {
        let shown = pg::redact(&db.display().to_string());
        let url = db.to_str().filter(|s| is_url(s));
        let backend: Box<dyn Backend> = match url {
            Some(url) => {
                if opts.key_file.is_none() {
                    return Err(InventoryError::KeyFileRequired(shown));
                }
                Box::new(pg::Postgres::connect(url)?)
            }
            None => Box::new(sqlite::Sqlite::open_reader(db)?),
        };
        let sql = |source: DbError| InventoryError::Sql {
            path: shown.clone(),
            source,
        };
        let d = backend.as_ref();
        let version = schema::version(d).map_err(sql)?;
        if version == 0 && url.is_some() {
            return Err(InventoryError::Missing(shown));
        }
        if version > schema::VERSION {
            return Err(InventoryError::Schema(
                shown,
                schema::MigrateError::TooNew(version),
            ));
        }
        let key_file = opts.key_file.clone().unwrap_or_else(|| key_path(db));
        let key =
            Key::load_or_create_at(&key_file, false).map_err(|source| InventoryError::Io {
                path: shown.clone(),
                source,
            })?;
        if stored_key_check(d)
            .map_err(sql)?
            .is_some_and(|check| check != key.check())
        {
            return Err(InventoryError::WrongKey(
                shown,
                key_file.display().to_string(),
            ));
        }
        Ok(Inventory {
            db: backend,
            path: if url.is_some() {
                PathBuf::from(&shown)
            } else {
                db.to_path_buf()
            },
            key,
            source: opts.source(),
            shard: opts.shard,
            generation: opts.generation(),
            _lock: None,
        })
    }

    /// The inventory's secret.
    pub fn key(&self) -> &Key {
        &self.key
    }

    /// The database file (or URL).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The source of this run's roots.
    pub fn source(&self) -> &str {
        &self.source
    }

    pub(crate) fn db(&self) -> &dyn Backend {
        self.db.as_ref()
    }

    fn sql(&self, source: DbError) -> InventoryError {
        InventoryError::Sql {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// What the inventory knows of each present file of this run's part
    /// (source, `roots` as the run names them, shard), for an incremental
    /// run.
    pub fn previous(&self, roots: &[String]) -> Result<Known, InventoryError> {
        let mut out = Known::default();
        known::each_file(
            self.db(),
            &self.source,
            &known::root_prefixes(roots),
            self.shard,
            "id, size, mtime_ns, inode, status",
            "AND removed_run IS NULL AND size IS NOT NULL",
            &[],
            &mut |path, r| {
                let status = r.text(5)?;
                let prev = Prev {
                    id: r.int(1)?,
                    stat: Stat {
                        size: r.int(2)? as u64,
                        mtime_ns: r.int(3)?,
                        inode: r.opt_int(4)?.unwrap_or(0) as u64,
                    },
                    complete: FileStatus::parse(&status).is_some_and(FileStatus::complete),
                };
                out.insert(path, prev);
                Ok(())
            },
        )
        .map_err(|e| self.sql(e))?;
        Ok(out)
    }

    /// Whether the inventory knows files of this source under the absolute
    /// `root` (not removed): an empty root is then suspect.
    pub fn has_files_under(&self, root: &str) -> Result<bool, InventoryError> {
        let root = root.trim_end_matches('/');
        // Paths below `root/` sort between `root/` and `root0` ('0' follows '/').
        self.db()
            .one(
                "SELECT EXISTS (SELECT 1 FROM files WHERE removed_run IS NULL AND source = ?2
                 AND (path = ?1 OR (path >= CAST(?1 AS TEXT) || '/'
                 AND path < CAST(?1 AS TEXT) || '0')))",
                &params![root, self.source.as_str()],
            )
            .and_then(|r| r.boolean(0))
            .map_err(|e| self.sql(e))
    }

    /// Whether files kept unchanged could hold findings made under other
    /// `settings` than these: some run of this source and shard since its
    /// last complete one (that one included) had other settings, or none
    /// recorded (older pdscout). `false` for a new inventory.
    pub fn settings_changed(&self, settings: &str) -> Result<bool, InventoryError> {
        self.db()
            .one(
                "SELECT EXISTS (SELECT 1 FROM runs WHERE settings IS DISTINCT FROM ?1
                 AND source = ?2 AND shard IS NOT DISTINCT FROM ?3 AND id >=
                 coalesce((SELECT max(id) FROM runs WHERE status = 'complete' AND source = ?2
                 AND shard IS NOT DISTINCT FROM ?3), 0))",
                &params![
                    settings,
                    self.source.as_str(),
                    self.shard.map(|s| s.to_string())
                ],
            )
            .and_then(|r| r.boolean(0))
            .map_err(|e| self.sql(e))
    }

    /// Starts a run: earlier runs still marked running died (kill -9, power
    /// loss) and are marked aborted — in PostgreSQL only those of this
    /// source and shard (the others may be alive on other hosts); the next
    /// run of an aborted shard reads what it had not finished.
    pub fn begin_run(
        &mut self,
        roots: &[String],
        full: bool,
        settings: &str,
    ) -> Result<Recorder<'_>, InventoryError> {
        let now = now();
        let shard = self.shard.map(|s| s.to_string());
        let roots_json = serde_json::to_string(roots).unwrap_or_default();
        if self.db().dialect() == Dialect::Postgres {
            self.lock_part(&roots_json)?;
        }
        let d = self.db();
        let run = (|| -> Result<i64, DbError> {
            if d.dialect() == Dialect::Sqlite {
                d.execute(
                    "UPDATE runs SET status = 'aborted' WHERE status = 'running'",
                    &[],
                )?;
                if d.int("SELECT NOT EXISTS (SELECT 1 FROM findings)", &[])? != 0 {
                    d.batch(schema::DROP_FINGERPRINT_INDEXES)?;
                }
            } else {
                d.execute(
                    "UPDATE runs SET status = 'aborted' WHERE status = 'running' AND source = ?1
                     AND shard IS NOT DISTINCT FROM ?2 AND roots = ?3",
                    &params![self.source.as_str(), shard.clone(), roots_json.as_str()],
                )?;
            }
            d.one(
                "INSERT INTO runs (started, status, roots, \"full\", pid, settings, source, shard,
                 generation) VALUES (?1, 'running', ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                &params![
                    now,
                    roots_json.as_str(),
                    full,
                    std::process::id(),
                    settings,
                    self.source.as_str(),
                    shard,
                    self.generation.clone()
                ],
            )?
            .int(0)
        })()
        .map_err(|e| self.sql(e))?;
        Ok(Recorder::new(self, run, roots))
    }

    /// Takes the session's PostgreSQL lock of this run's part: its source,
    /// roots (as the run names them) and shard. The same part twice is
    /// refused; two roots of one source, or two shards, are not.
    fn lock_part(&self, roots_json: &str) -> Result<(), InventoryError> {
        let shard = self.shard.map(|s| s.to_string());
        let what = match &shard {
            Some(s) => format!("source {}, roots {roots_json}, shard {s}", self.source),
            None => format!("source {}, roots {roots_json}", self.source),
        };
        let d = self.db();
        let id = xxhash_rust::xxh3::xxh3_64(what.as_bytes()) as i64;
        let got = d
            .one("SELECT pg_try_advisory_lock(?1)", &params![id])
            .and_then(|r| r.boolean(0))
            .map_err(|e| self.sql(e))?;
        if got {
            return Ok(());
        }
        let pid = d
            .row(
                "SELECT pid FROM runs WHERE status = 'running' AND source = ?1
                 AND shard IS NOT DISTINCT FROM ?2 AND roots = ?3 ORDER BY id DESC",
                &params![self.source.as_str(), shard, roots_json],
            )
            .ok()
            .flatten()
            .and_then(|r| r.opt_int(0).ok().flatten())
            .map_or_else(|| "?".into(), |p| p.to_string());
        Err(InventoryError::Busy(
            self.path.display().to_string(),
            what,
            pid,
        ))
    }
}

/// The key check stored in the inventory, if any (inventories made before
/// key checks have none until their next writing run).
fn stored_key_check(db: &dyn Backend) -> Result<Option<String>, DbError> {
    db.row("SELECT value FROM meta WHERE key = 'key_check'", &[])?
        .map(|r| r.text(0))
        .transpose()
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
