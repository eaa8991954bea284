//! The SQLite backend: one file (WAL mode), locked by the run that writes
//! to it, its key beside it (`<db>.key`).

use super::db::{Backend, DbError, Dialect, Row, Value};
use super::InventoryError;
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// An open SQLite inventory.
pub struct Sqlite {
    pub(super) conn: Connection,
}

impl Sqlite {
    /// Opens `path` to write (creating it): WAL, a large page cache.
    pub fn open_writer(path: &Path) -> Result<Sqlite, InventoryError> {
        let shown = path.display().to_string();
        let sql = |source: rusqlite::Error| InventoryError::Sql {
            path: shown.clone(),
            source: source.into(),
        };
        let conn = Connection::open(path).map_err(sql)?;
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
        Ok(Sqlite { conn })
    }

    /// Opens `path` read-only; `Missing` when it holds no inventory.
    pub fn open_reader(path: &Path) -> Result<Sqlite, InventoryError> {
        use rusqlite::OpenFlags;
        let shown = path.display().to_string();
        if !path.exists() {
            return Err(InventoryError::Missing(shown));
        }
        let sql = |source: rusqlite::Error| InventoryError::Sql {
            path: shown.clone(),
            source: source.into(),
        };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(sql)?;
        match identify(&conn).map_err(sql)? {
            Ok(true) => Ok(Sqlite { conn }),
            Ok(false) => Err(InventoryError::Missing(shown)),
            Err(tables) => Err(InventoryError::NotInventory(shown, tables)),
        }
    }
}

fn value_of(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::ToSqlOutput::Borrowed;
        Ok(Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(t) => ValueRef::Text(t.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

impl Backend for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let mut st = self.conn.prepare_cached(sql)?;
        Ok(st.execute(rusqlite::params_from_iter(params))? as u64)
    }

    fn batch(&self, sql: &str) -> Result<(), DbError> {
        Ok(self.conn.execute_batch(sql)?)
    }

    fn each(
        &self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(Row) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        let mut st = self.conn.prepare_cached(sql)?;
        let n = st.column_count();
        let mut rows = st.query(rusqlite::params_from_iter(params))?;
        while let Some(r) = rows.next()? {
            let mut row = Vec::with_capacity(n);
            for i in 0..n {
                row.push(value_of(r.get_ref(i)?));
            }
            f(Row(row))?;
        }
        Ok(())
    }

    fn begin(&self) -> Result<(), DbError> {
        Ok(self.conn.execute_batch("BEGIN IMMEDIATE")?)
    }

    /// One prepared statement per row: SQLite has no round trips to save.
    fn insert_rows(&self, table: &str, cols: &[&str], rows: &[Value]) -> Result<(), DbError> {
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let mut st = self.conn.prepare_cached(&format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            cols.join(", "),
            marks.join(", ")
        ))?;
        for row in rows.chunks(cols.len()) {
            st.execute(rusqlite::params_from_iter(row))?;
        }
        Ok(())
    }
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
pub fn lock(db: &Path) -> Result<Lock, InventoryError> {
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
