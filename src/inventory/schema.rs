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
//! `runs.settings` (version 2) is a keyed digest of what decides a file's
//! findings (allow list, kinds, patterns, minimum confidence, pdscout
//! version): when it differs from the last run's, unchanged files are read
//! again.

use super::Key;
use rusqlite::{Connection, OptionalExtension};

/// The schema version this build writes.
pub const VERSION: i64 = 2;

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
];

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

/// The schema version of an inventory (0: none yet).
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    let has_meta: bool = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
            [],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if !has_meta {
        return Ok(0);
    }
    Ok(conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Why an inventory of schema `version` cannot be used.
pub fn too_new(version: i64) -> String {
    format!(
        "the inventory has schema version {version}; this pdscout knows up to {VERSION} (upgrade pdscout)"
    )
}

/// Brings the inventory to [`VERSION`]; refuses one made by a newer build.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<Result<(), String>> {
    let current = version(conn)?;
    if current > VERSION {
        return Ok(Err(too_new(current)));
    }
    for (i, step) in STEPS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?1)",
            [(i + 1).to_string()],
        )?;
        tx.commit()?;
    }
    conn.execute_batch(FINGERPRINT_INDEXES)?;
    Ok(Ok(()))
}

/// Replaces the plain xxh3-128 digests of `files.hash` written by older
/// versions by keyed ones (the same digest under the key, as
/// [`Key::content_digest`] makes them): a content could be guessed and
/// checked against a plain digest. Runs once per inventory, in one
/// transaction.
pub fn key_file_hashes(conn: &mut Connection, key: &Key) -> rusqlite::Result<()> {
    let done: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'file_hash'", [], |r| {
            r.get(0)
        })
        .optional()?;
    if done.as_deref() == Some("keyed") {
        return Ok(());
    }
    let tx = conn.transaction()?;
    {
        let mut read = tx.prepare("SELECT id, hash FROM files WHERE hash IS NOT NULL")?;
        let mut write = tx.prepare("UPDATE files SET hash = ?2 WHERE id = ?1")?;
        let rows = read.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, plain) = row?;
            let keyed = u128::from_str_radix(&plain, 16)
                .ok()
                .map(|d| key.content_digest(d));
            write.execute(rusqlite::params![id, keyed])?;
        }
    }
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('file_hash', 'keyed')",
        [],
    )?;
    tx.commit()
}
