//! The inventory's tables, and the migrations that bring an older
//! inventory up to date. `meta.schema_version` says which step it is at;
//! each step runs once, in a transaction, in order.
//!
//! Tables (documented in the README):
//! - `runs`: one row per `scan --db` or `sweep` (start, end, status
//!   `running|complete|interrupted|aborted`, roots, counts);
//! - `files`: one row per file ever seen: absolute path, the root it was
//!   found under, size, mtime (ns), inode, content digest (keyed: the
//!   HMAC of the content's xxh3-128 under the inventory's key), format,
//!   status (`ok|partial|error|binary|empty|skipped`), first/last seen and
//!   last scanned run, `removed_run` when it vanished, and its `file`
//!   records (JSON, the file's and its members') to print it unchanged;
//! - `file_kinds`: findings per file and kind (members of containers included);
//! - `findings`: clustered by file (a run appends, a file's findings are
//!   one range): kind, location, masked value, confidence, pattern, the
//!   keyed fingerprint of the normalised value (and of a name's surname),
//!   `rec` (line, row or page), `place` (row, JSON/XML object path,
//!   paragraph or log line: what the finding's record is);
//! - `problems`: why a file (or one of its members) was not fully read;
//! - `meta`: `schema_version`, `key_check` (the MAC of a fixed label under
//!   the inventory's key: a key file of another inventory is refused) and
//!   `file_hash` (`keyed` once `files.hash` holds keyed digests only).
//!
//! `runs.source`, `runs.shard`, `runs.generation` and `files.source`
//! (version 3): which host or share (`--source`) a root belongs to — a
//! file is one `(source, path)` — and which part of a sharded sweep
//! (`--shard K/N`, `--generation ID`) a run was.
//!
//! PostgreSQL gets the schema of the current version in one step, with
//! its own types (`BIGSERIAL`, `BYTEA`, paths in the byte order `COLLATE
//! "C"` so that range look-ups below a root work as in SQLite); later
//! steps are shared.
//!
//! `findings.path_component` (version 4): the finding is in the name of
//! that component of the path (0-based, below the root), as `scan` locates it.
//!
//! `findings.json_path` (version 5): the JSONPath or XPath of a value
//! of a JSON, YAML or XML record, as `scan` locates it besides its line.
//!
//! `runs.settings` (version 2) is a keyed digest of what decides a file's
//! findings (allow list, kinds, patterns, minimum confidence, pdscout
//! version): when it differs from the last run's, unchanged files are read
//! again.

use super::db::{params, Backend, DbError, Dialect};
use super::Key;

/// The schema version this build writes.
pub const VERSION: i64 = 5;

/// SQLite's steps, from an empty file; `{SOURCE}` is the quoted name of
/// the host that migrates (an older inventory's files are its own).
const STEPS: &[&str] = &[
    // Version 1.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        ended TEXT,
        status TEXT NOT NULL,
        roots TEXT NOT NULL,
        full INTEGER NOT NULL,
        pid INTEGER,
        files_read INTEGER NOT NULL DEFAULT 0,
        files_unchanged INTEGER NOT NULL DEFAULT 0,
        files_removed INTEGER NOT NULL DEFAULT 0,
        findings INTEGER NOT NULL DEFAULT 0);
     CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        root TEXT NOT NULL,
        size INTEGER,
        mtime_ns INTEGER,
        inode INTEGER,
        hash TEXT,
        format TEXT,
        status TEXT NOT NULL,
        first_run INTEGER NOT NULL,
        seen_run INTEGER NOT NULL,
        scanned_run INTEGER,
        removed_run INTEGER,
        findings INTEGER NOT NULL DEFAULT 0,
        records TEXT);
     CREATE INDEX files_seen ON files(seen_run);
     CREATE INDEX files_first ON files(first_run);
     CREATE INDEX files_removed ON files(removed_run);
     CREATE TABLE file_kinds (
        file_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (file_id, kind)) WITHOUT ROWID;
     CREATE TABLE findings (
        file_id INTEGER NOT NULL,
        n INTEGER NOT NULL,
        entry TEXT,
        kind TEXT NOT NULL,
        line INTEGER,
        col INTEGER,
        sheet TEXT,
        cell TEXT,
        page INTEGER,
        rec INTEGER,
        masked TEXT NOT NULL,
        confidence REAL NOT NULL,
        pattern TEXT NOT NULL,
        fingerprint BLOB NOT NULL,
        fingerprint_part BLOB,
        PRIMARY KEY (file_id, n)) WITHOUT ROWID;
     CREATE TABLE problems (
        file_id INTEGER NOT NULL,
        entry TEXT,
        error TEXT NOT NULL);
     CREATE INDEX problems_file ON problems(file_id);",
    // Version 2: the settings a run's findings depend on; where each
    // finding sits (row, object, paragraph, log line), so that `subject
    // --db` draws the same records as `subject`. Findings of older runs
    // have no place (their record is their own line) until their file is
    // read again, which the changed settings make the next run do.
    "ALTER TABLE runs ADD COLUMN settings TEXT;
     ALTER TABLE findings ADD COLUMN place TEXT;",
    // Version 3: sources and shards. `files.path` was unique alone: the
    // table is copied into one whose key is (source, path).
    "ALTER TABLE runs ADD COLUMN source TEXT;
     ALTER TABLE runs ADD COLUMN shard TEXT;
     ALTER TABLE runs ADD COLUMN generation TEXT;
     UPDATE runs SET source = {SOURCE};
     CREATE TABLE files_v3 (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        path TEXT NOT NULL,
        root TEXT NOT NULL,
        size INTEGER,
        mtime_ns INTEGER,
        inode INTEGER,
        hash TEXT,
        format TEXT,
        status TEXT NOT NULL,
        first_run INTEGER NOT NULL,
        seen_run INTEGER NOT NULL,
        scanned_run INTEGER,
        removed_run INTEGER,
        findings INTEGER NOT NULL DEFAULT 0,
        records TEXT,
        UNIQUE (source, path));
     INSERT INTO files_v3 (id, source, path, root, size, mtime_ns, inode, hash, format, status,
        first_run, seen_run, scanned_run, removed_run, findings, records)
        SELECT id, {SOURCE}, path, root, size, mtime_ns, inode, hash, format, status,
        first_run, seen_run, scanned_run, removed_run, findings, records FROM files;
     DROP TABLE files;
     ALTER TABLE files_v3 RENAME TO files;
     CREATE INDEX files_seen ON files(seen_run);
     CREATE INDEX files_first ON files(first_run);
     CREATE INDEX files_removed ON files(removed_run);",
    // Version 4: a finding in a file or folder name says which component
    // of the path (as `scan` prints it). Older findings have none; their
    // location stays as it was written.
    "ALTER TABLE findings ADD COLUMN path_component BIGINT;",
    // Version 5: a value of a JSON, YAML or XML record says its path in
    // the document. Older findings have none until their file is read
    // again (the pdscout version is among the run's settings).
    "ALTER TABLE findings ADD COLUMN json_path TEXT;",
];

/// PostgreSQL's schema at version 3, in one step (the steps after it are
/// shared).
const POSTGRES_V3: &str = r#"
     CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE runs (
        id BIGSERIAL PRIMARY KEY,
        started TEXT NOT NULL,
        ended TEXT,
        status TEXT NOT NULL,
        roots TEXT NOT NULL,
        "full" BIGINT NOT NULL,
        pid BIGINT,
        files_read BIGINT NOT NULL DEFAULT 0,
        files_unchanged BIGINT NOT NULL DEFAULT 0,
        files_removed BIGINT NOT NULL DEFAULT 0,
        findings BIGINT NOT NULL DEFAULT 0,
        settings TEXT,
        source TEXT,
        shard TEXT,
        generation TEXT);
     CREATE TABLE files (
        id BIGSERIAL PRIMARY KEY,
        source TEXT NOT NULL,
        path TEXT COLLATE "C" NOT NULL,
        root TEXT COLLATE "C" NOT NULL,
        size BIGINT,
        mtime_ns BIGINT,
        inode BIGINT,
        hash TEXT,
        format TEXT,
        status TEXT NOT NULL,
        first_run BIGINT NOT NULL,
        seen_run BIGINT NOT NULL,
        scanned_run BIGINT,
        removed_run BIGINT,
        findings BIGINT NOT NULL DEFAULT 0,
        records TEXT,
        UNIQUE (source, path));
     CREATE INDEX files_seen ON files(seen_run);
     CREATE INDEX files_first ON files(first_run);
     CREATE INDEX files_removed ON files(removed_run);
     CREATE TABLE file_kinds (
        file_id BIGINT NOT NULL,
        kind TEXT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (file_id, kind));
     CREATE TABLE findings (
        file_id BIGINT NOT NULL,
        n BIGINT NOT NULL,
        entry TEXT,
        kind TEXT NOT NULL,
        line BIGINT,
        col BIGINT,
        sheet TEXT,
        cell TEXT,
        page BIGINT,
        rec BIGINT,
        masked TEXT NOT NULL,
        confidence DOUBLE PRECISION NOT NULL,
        pattern TEXT NOT NULL,
        fingerprint BYTEA NOT NULL,
        fingerprint_part BYTEA,
        place TEXT,
        PRIMARY KEY (file_id, n));
     CREATE TABLE problems (
        file_id BIGINT NOT NULL,
        entry TEXT,
        error TEXT NOT NULL);
     CREATE INDEX problems_file ON problems(file_id);
     CREATE INDEX findings_fingerprint ON findings(fingerprint);
     CREATE INDEX findings_fingerprint_part ON findings(fingerprint_part)
        WHERE fingerprint_part IS NOT NULL;
     INSERT INTO meta (key, value) VALUES ('file_hash', 'keyed');"#;

/// The look-up indexes of fingerprints. A first run fills an empty
/// inventory faster without them (random keys), so it drops them and makes
/// them at its end; opening an inventory makes them if a run died before.
pub const FINGERPRINT_INDEXES: &str =
    "CREATE INDEX IF NOT EXISTS findings_fingerprint ON findings(fingerprint);
     CREATE INDEX IF NOT EXISTS findings_fingerprint_part ON findings(fingerprint_part)
        WHERE fingerprint_part IS NOT NULL;";

/// Drops the indexes of [`FINGERPRINT_INDEXES`].
pub const DROP_FINGERPRINT_INDEXES: &str = "DROP INDEX IF EXISTS findings_fingerprint;
     DROP INDEX IF EXISTS findings_fingerprint_part;";

/// The tables of the database (of the connection's schema in PostgreSQL).
pub fn tables(db: &dyn Backend) -> Result<Vec<String>, DbError> {
    let sql = match db.dialect() {
        Dialect::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Dialect::Postgres => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables
             WHERE table_schema = current_schema() ORDER BY 1"
        }
    };
    db.rows(sql, &[])?.iter().map(|r| r.text(0)).collect()
}

/// The schema version of an inventory (0: none yet).
pub fn version(db: &dyn Backend) -> Result<i64, DbError> {
    if !tables(db)?.iter().any(|t| t == "meta") {
        return Ok(0);
    }
    Ok(db
        .row("SELECT value FROM meta WHERE key = 'schema_version'", &[])?
        .and_then(|r| r.text(0).ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Why an inventory of schema `version` cannot be used.
/// Why an inventory could not be brought to [`VERSION`].
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error(transparent)]
    Db(#[from] DbError),
    /// Made by a newer pdscout: not touched.
    #[error("the inventory has schema version {0}; this pdscout knows up to {VERSION} (upgrade pdscout)")]
    TooNew(i64),
}

/// Sets `meta.key` (made or replaced).
pub fn set_meta(db: &dyn Backend, key: &str, value: &str) -> Result<(), DbError> {
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &params![key, value],
    )
    .map(drop)
}

/// Brings the inventory to [`VERSION`]; refuses one made by a newer build.
/// `source` names the files of an inventory older than sources. Workers
/// starting together on a new PostgreSQL inventory migrate one at a time
/// (a transaction-scoped advisory lock), the others then find it done.
pub fn migrate(db: &dyn Backend, source: &str) -> Result<(), MigrateError> {
    let pg = db.dialect() == Dialect::Postgres;
    if pg {
        db.batch("BEGIN")?;
        db.int(
            "SELECT 1 FROM (SELECT pg_advisory_xact_lock(5044536301)) l",
            &[],
        )?;
    }
    let steps = (|| -> Result<(), MigrateError> {
        let current = version(db)?;
        if current > VERSION {
            return Err(MigrateError::TooNew(current));
        }
        let mut current = current;
        if pg && current == 0 {
            db.batch(POSTGRES_V3)?;
            current = 3;
        }
        let quoted = format!("'{}'", source.replace('\'', "''"));
        for (i, step) in STEPS.iter().enumerate().skip(current as usize) {
            if !pg {
                db.batch("BEGIN")?;
            }
            db.batch(&step.replace("{SOURCE}", &quoted))?;
            set_meta(db, "schema_version", &(i + 1).to_string())?;
            if !pg {
                db.batch("COMMIT")?;
            }
        }
        Ok(())
    })();
    match &steps {
        Ok(_) if pg => db.batch("COMMIT")?,
        Err(_) => {
            let _ = db.batch("ROLLBACK");
        }
        Ok(_) => {}
    }
    steps?;
    // PostgreSQL keeps its indexes (made with the tables): shards write at once.
    if !pg {
        db.batch(FINGERPRINT_INDEXES)?;
    }
    Ok(())
}

/// Replaces the plain xxh3-128 digests of `files.hash` written by older
/// versions by keyed ones (the same digest under the key, as
/// [`Key::content_digest`] makes them): a content could be guessed and
/// checked against a plain digest. Runs once per inventory, in one
/// transaction.
pub fn key_file_hashes(db: &dyn Backend, key: &Key) -> Result<(), DbError> {
    let done = db.row("SELECT value FROM meta WHERE key = 'file_hash'", &[])?;
    if done.and_then(|r| r.text(0).ok()).as_deref() == Some("keyed") {
        return Ok(());
    }
    db.begin()?;
    let run = || -> Result<(), DbError> {
        for r in db.rows("SELECT id, hash FROM files WHERE hash IS NOT NULL", &[])? {
            let (id, plain) = (r.int(0)?, r.text(1)?);
            let keyed = u128::from_str_radix(&plain, 16)
                .ok()
                .map(|d| key.content_digest(d));
            db.execute(
                "UPDATE files SET hash = ?2 WHERE id = ?1",
                &params![id, keyed],
            )?;
        }
        set_meta(db, "file_hash", "keyed")
    };
    match run() {
        Ok(()) => db.batch("COMMIT"),
        Err(e) => {
            let _ = db.batch("ROLLBACK");
            Err(e)
        }
    }
}
