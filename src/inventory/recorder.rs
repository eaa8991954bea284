//! Writing one run into the inventory, from the scan's writer thread.
//!
//! A file's rows change in one transaction with its status: a file whose
//! reading was cut short (kill -9, power loss) is left `partial` with no
//! size, so the next run reads it again. Transactions are committed about
//! once a second, so a killed run loses at most that much work.

use super::{now, Inventory, InventoryError, StoredFile, StoredFinding};
use crate::model::record::{FileRecord, RunTotals};
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;
use std::time::{Duration, Instant};

const COMMIT_EVERY: Duration = Duration::from_secs(1);
/// The separator that ends a root (absolute paths on Windows use `\`).
const SEP: char = std::path::MAIN_SEPARATOR;

/// One run being recorded.
pub struct Recorder<'a> {
    inv: &'a Inventory,
    totals: RunTotals,
    /// Absolute roots of the run, each with a trailing separator (`\` on
    /// Windows, where absolute paths use it).
    roots: Vec<String>,
    /// Files whose findings are being written, by path: their id and the
    /// number of findings written so far.
    open: HashMap<String, (i64, i64)>,
    in_tx: bool,
    last_commit: Instant,
    findings: u64,
    /// The first error; the run goes on printing, and fails at the end.
    failed: Option<rusqlite::Error>,
}

impl<'a> Recorder<'a> {
    pub(super) fn new(inv: &'a Inventory, run: i64, roots: &[String]) -> Self {
        Recorder {
            inv,
            totals: RunTotals {
                run,
                ..RunTotals::default()
            },
            roots: roots
                .iter()
                .map(|r| {
                    let mut a = super::absolute(r);
                    if !a.ends_with(SEP) {
                        a.push(SEP);
                    }
                    a
                })
                .collect(),
            open: HashMap::new(),
            in_tx: false,
            last_commit: Instant::now(),
            findings: 0,
            failed: None,
        }
    }

    /// The run's number.
    pub fn run(&self) -> i64 {
        self.totals.run
    }

    fn guard(&mut self, f: impl FnOnce(&mut Self) -> rusqlite::Result<()>) {
        if self.failed.is_some() {
            return;
        }
        let r = (|| {
            if !self.in_tx {
                // IMMEDIATE: the write lock is taken (waiting on the busy
                // timeout) before reading, so a reader's snapshot can never
                // make the upgrade to writing fail mid-transaction.
                self.inv.conn.execute_batch("BEGIN IMMEDIATE")?;
                self.in_tx = true;
            }
            f(self)?;
            if self.last_commit.elapsed() >= COMMIT_EVERY {
                self.inv.conn.execute_batch("COMMIT")?;
                self.in_tx = false;
                self.last_commit = Instant::now();
            }
            Ok(())
        })();
        if let Err(e) = r {
            self.failed = Some(e);
        }
    }

    /// The root a path was found under (its longest matching root).
    fn root_of(&self, path: &str) -> String {
        self.roots
            .iter()
            .filter(|r| path.starts_with(r.as_str()) || format!("{path}{SEP}") == **r)
            .max_by_key(|r| r.len())
            .map_or_else(String::new, |r| r.trim_end_matches(SEP).to_string())
    }

    /// The file's row, emptied of its old findings the first time this run
    /// writes to it.
    fn begin_file(&mut self, path: &str) -> rusqlite::Result<i64> {
        if let Some((id, _)) = self.open.get(path) {
            return Ok(*id);
        }
        let conn = &self.inv.conn;
        let run = self.totals.run;
        let existing: Option<i64> = conn
            .prepare_cached("SELECT id FROM files WHERE path = ?1")?
            .query_row([path], |r| r.get(0))
            .optional()?;
        let id = match existing {
            Some(id) => {
                for table in ["findings", "file_kinds", "problems"] {
                    conn.prepare_cached(&format!("DELETE FROM {table} WHERE file_id = ?1"))?
                        .execute([id])?;
                }
                conn.prepare_cached(
                    "UPDATE files SET status = 'partial', size = NULL, mtime_ns = NULL,
                     seen_run = ?2, removed_run = NULL, findings = 0 WHERE id = ?1",
                )?
                .execute(params![id, run])?;
                id
            }
            None => {
                conn.prepare_cached(
                    "INSERT INTO files (path, root, status, first_run, seen_run)
                     VALUES (?1, ?2, 'partial', ?3, ?3)",
                )?
                .execute(params![path, self.root_of(path), run])?;
                conn.last_insert_rowid()
            }
        };
        self.open.insert(path.to_string(), (id, 0));
        Ok(id)
    }

    fn insert_findings(&mut self, path: &str, batch: &[StoredFinding]) -> rusqlite::Result<()> {
        let Some((id, n)) = self.open.get_mut(path) else {
            return Ok(());
        };
        let mut st = self.inv.conn.prepare_cached(
            "INSERT INTO findings (file_id, n, entry, kind, line, col, sheet, cell, page, rec,
             masked, confidence, pattern, fingerprint, fingerprint_part, place)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )?;
        for f in batch {
            let l = &f.location;
            *n += 1;
            st.execute(params![
                *id,
                *n,
                f.entry,
                f.kind,
                l.line.map(|v| v as i64),
                l.column.map(|v| v as i64),
                l.sheet,
                l.cell,
                l.page,
                f.rec(),
                f.masked,
                f64::from(f.confidence),
                f.pattern,
                &f.fingerprint[..],
                f.fingerprint_part.as_ref().map(|p| &p[..]),
                f.place,
            ])?;
        }
        self.findings += batch.len() as u64;
        Ok(())
    }

    /// Findings of a file still being read (large files send batches).
    pub fn findings(&mut self, path: &str, batch: &[StoredFinding]) {
        self.guard(|s| {
            s.begin_file(path)?;
            s.insert_findings(path, batch)
        });
    }

    /// A file of the run is done: read, skipped, or unchanged. For an
    /// unchanged file, its `file` records as last read (the file's and its
    /// members'), named as in this run.
    pub fn file(&mut self, f: &StoredFile) -> Vec<FileRecord> {
        let mut kept: Vec<FileRecord> = Vec::new();
        self.guard(|s| {
            let run = s.totals.run;
            if let Some(id) = f.unchanged {
                let json: Option<String> = s
                    .inv
                    .conn
                    .prepare_cached("SELECT records FROM files WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))?;
                kept = json
                    .and_then(|j| serde_json::from_str(&j).ok())
                    .unwrap_or_default();
                for k in &mut kept {
                    k.path = f.path.clone();
                }
                s.inv
                    .conn
                    .prepare_cached("UPDATE files SET seen_run = ?2 WHERE id = ?1")?
                    .execute(params![id, run])?;
                s.totals.files_unchanged += 1;
                return Ok(());
            }
            let id = s.begin_file(&f.path)?;
            s.insert_findings(&f.path, &f.findings)?;
            s.open.remove(&f.path);
            let conn = &s.inv.conn;
            let total: u64 = f.kinds.values().sum();
            conn.prepare_cached(
                "UPDATE files SET root = ?2, size = ?3, mtime_ns = ?4, inode = ?5, hash = ?6,
                 format = ?7, status = ?8, seen_run = ?9, scanned_run = ?9, removed_run = NULL,
                 findings = ?10, records = ?11 WHERE id = ?1",
            )?
            .execute(params![
                id,
                s.root_of(&f.path),
                f.stat.map(|st| st.size as i64),
                f.stat.map(|st| st.mtime_ns),
                f.stat.map(|st| st.inode as i64),
                f.hash,
                f.format,
                f.status,
                run,
                total as i64,
                f.records,
            ])?;
            let mut st = conn.prepare_cached(
                "INSERT INTO file_kinds (file_id, kind, count) VALUES (?1, ?2, ?3)",
            )?;
            for (kind, n) in &f.kinds {
                st.execute(params![id, kind, *n as i64])?;
            }
            let mut st = conn.prepare_cached(
                "INSERT INTO problems (file_id, entry, error) VALUES (?1, ?2, ?3)",
            )?;
            for (entry, error) in &f.problems {
                st.execute(params![id, entry, error])?;
            }
            s.totals.files_read += 1;
            Ok(())
        });
        kept
    }

    /// Ends the run. After a complete walk, files under the run's roots that
    /// were not seen and no longer exist are marked removed by this run
    /// (files left out by `--exclude` or `--include` stay as they were).
    pub fn finish(mut self, complete: bool) -> Result<RunTotals, InventoryError> {
        if complete {
            self.guard(|s| {
                let run = s.totals.run;
                let mut gone_ids = Vec::new();
                {
                    let mut st = s.inv.conn.prepare(
                        "SELECT id, path FROM files WHERE removed_run IS NULL AND seen_run < ?1",
                    )?;
                    let rows =
                        st.query_map([run], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
                    for row in rows {
                        let (id, path) = row?;
                        let in_root = !s.root_of(&path).is_empty();
                        // Gone only when the system says so: a folder that
                        // cannot be entered hides files that are still there.
                        let gone = |e: std::io::Error| {
                            matches!(
                                e.kind(),
                                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                            )
                        };
                        if in_root
                            && std::fs::symlink_metadata(super::path_of(&path)).is_err_and(gone)
                        {
                            gone_ids.push(id);
                        }
                    }
                }
                let mut st = s
                    .inv
                    .conn
                    .prepare_cached("UPDATE files SET removed_run = ?2 WHERE id = ?1")?;
                for id in &gone_ids {
                    st.execute(params![id, run])?;
                }
                s.totals.files_removed = gone_ids.len() as u64;
                Ok(())
            });
        }
        self.guard(|s| s.inv.conn.execute_batch(super::schema::FINGERPRINT_INDEXES));
        let status = if complete { "complete" } else { "interrupted" };
        self.guard(|s| {
            let t = s.totals;
            s.inv.conn.execute(
                "UPDATE runs SET ended = ?2, status = ?3, files_read = ?4, files_unchanged = ?5,
                 files_removed = ?6, findings = ?7 WHERE id = ?1",
                params![
                    t.run,
                    now(),
                    status,
                    t.files_read as i64,
                    t.files_unchanged as i64,
                    t.files_removed as i64,
                    s.findings as i64
                ],
            )?;
            Ok(())
        });
        if self.failed.is_none() && self.in_tx {
            if let Err(e) = self.inv.conn.execute_batch("COMMIT") {
                self.failed = Some(e);
            }
            self.in_tx = false;
        }
        match self.failed.take() {
            Some(source) => Err(self.inv.sql(source)),
            None => {
                // Keep the write-ahead log from growing across runs.
                let _ = self
                    .inv
                    .conn
                    .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
                Ok(self.totals)
            }
        }
    }
}
