//! Writing one run into the inventory, from the scan's writer thread.
//!
//! A file's rows change in one transaction with its status: a file whose
//! reading was cut short (kill -9, power loss) is left `partial` with no
//! size, so the next run reads it again. Transactions are committed about
//! once a second, so a killed run loses at most that much work. Findings,
//! per-kind counts and problems are queued and written in multi-row
//! INSERTs before each commit: one round trip per thousand rows with
//! PostgreSQL, whatever the number of shards writing at once.

use super::db::{params, DbError, Dialect, Value};
use super::{now, Inventory, InventoryError, StoredFile, StoredFinding};
use crate::model::record::{FileRecord, InventorySummary};
use std::collections::HashMap;
use std::time::{Duration, Instant};

const COMMIT_EVERY: Duration = Duration::from_secs(1);
/// The separator that ends a root (absolute paths on Windows use `\`).
const SEP: char = std::path::MAIN_SEPARATOR;

/// Queued rows past which they are written before the next commit.
const MAX_QUEUED: usize = 50_000;

const FINDING_COLS: &[&str] = &[
    "file_id",
    "n",
    "entry",
    "kind",
    "line",
    "col",
    "sheet",
    "cell",
    "page",
    "rec",
    "masked",
    "confidence",
    "pattern",
    "fingerprint",
    "fingerprint_part",
    "place",
    "path_component",
    "json_path",
];
const KIND_COLS: &[&str] = &["file_id", "kind", "count"];
const PROBLEM_COLS: &[&str] = &["file_id", "entry", "error"];

/// One run being recorded.
pub struct Recorder<'a> {
    inv: &'a Inventory,
    totals: InventorySummary,
    /// Absolute roots of the run, each with a trailing separator (`\` on
    /// Windows, where absolute paths use it).
    roots: Vec<String>,
    /// Files whose findings are being written, by path: their id and the
    /// number of findings written so far.
    open: HashMap<String, (i64, i64)>,
    in_tx: bool,
    last_commit: Instant,
    findings: u64,
    /// Rows not yet written: findings, file_kinds, problems (flat, as many
    /// values a row as columns), and files seen unchanged.
    queued: [Vec<Value>; 3],
    unchanged: Vec<i64>,
    /// The first error; the run goes on printing, and fails at the end.
    failed: Option<DbError>,
}

impl<'a> Recorder<'a> {
    pub(super) fn new(inv: &'a Inventory, run: i64, roots: &[String]) -> Self {
        Recorder {
            inv,
            totals: InventorySummary {
                run,
                ..InventorySummary::default()
            },
            roots: super::known::root_prefixes(roots),
            open: HashMap::new(),
            in_tx: false,
            last_commit: Instant::now(),
            findings: 0,
            queued: Default::default(),
            unchanged: Vec::new(),
            failed: None,
        }
    }

    /// The run's number.
    pub fn run(&self) -> i64 {
        self.totals.run
    }

    fn guard(&mut self, f: impl FnOnce(&mut Self) -> Result<(), DbError>) {
        if self.failed.is_some() {
            return;
        }
        let r = (|| {
            if !self.in_tx {
                self.inv.db().begin()?;
                self.in_tx = true;
            }
            f(self)?;
            let queued: usize = self.queued.iter().map(Vec::len).sum();
            if queued > MAX_QUEUED * 4 {
                self.flush()?;
            }
            if self.last_commit.elapsed() >= COMMIT_EVERY {
                self.flush()?;
                self.inv.db().batch("COMMIT")?;
                self.in_tx = false;
                self.last_commit = Instant::now();
            }
            Ok(())
        })();
        if let Err(e) = r {
            self.failed = Some(e);
        }
    }

    /// Writes the queued rows.
    fn flush(&mut self) -> Result<(), DbError> {
        let db = self.inv.db();
        for (rows, (table, cols)) in self.queued.iter_mut().zip([
            ("findings", FINDING_COLS),
            ("file_kinds", KIND_COLS),
            ("problems", PROBLEM_COLS),
        ]) {
            if !rows.is_empty() {
                db.insert_rows(table, cols, rows)?;
                rows.clear();
            }
        }
        let run = self.totals.run;
        for ids in self.unchanged.chunks(1000) {
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            db.execute(
                &format!(
                    "UPDATE files SET seen_run = ?1 WHERE id IN ({})",
                    list.join(",")
                ),
                &params![run],
            )?;
        }
        self.unchanged.clear();
        Ok(())
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
    fn begin_file(&mut self, path: &str) -> Result<i64, DbError> {
        if let Some((id, _)) = self.open.get(path) {
            return Ok(*id);
        }
        let db = self.inv.db();
        let run = self.totals.run;
        let source = self.inv.source.as_str();
        // A new file costs one statement; a known one is emptied.
        let inserted = db.row(
            "INSERT INTO files (source, path, root, status, first_run, seen_run)
             VALUES (?1, ?2, ?3, 'partial', ?4, ?4)
             ON CONFLICT (source, path) DO NOTHING RETURNING id",
            &params![source, path, self.root_of(path), run],
        )?;
        let id = match inserted {
            Some(r) => r.int(0)?,
            None => {
                let id = db.int(
                    "SELECT id FROM files WHERE source = ?1 AND path = ?2",
                    &params![source, path],
                )?;
                // Its queued rows (none unless the file came twice) go first.
                self.flush()?;
                for table in ["findings", "file_kinds", "problems"] {
                    db.execute(
                        &format!("DELETE FROM {table} WHERE file_id = ?1"),
                        &params![id],
                    )?;
                }
                db.execute(
                    "UPDATE files SET status = 'partial', size = NULL, mtime_ns = NULL,
                     seen_run = ?2, removed_run = NULL, findings = 0 WHERE id = ?1",
                    &params![id, run],
                )?;
                id
            }
        };
        self.open.insert(path.to_string(), (id, 0));
        Ok(id)
    }

    fn insert_findings(&mut self, path: &str, batch: &[StoredFinding]) {
        let Some((id, n)) = self.open.get_mut(path) else {
            return;
        };
        let q = &mut self.queued[0];
        for f in batch {
            let l = &f.location;
            *n += 1;
            q.extend(params![
                *id,
                *n,
                &f.entry,
                f.kind.as_str(),
                l.line.map(|v| v as i64),
                l.column.map(|v| v as i64),
                &l.sheet,
                &l.cell,
                l.page,
                f.rec(),
                f.masked.as_str(),
                f64::from(f.confidence),
                f.pattern.as_str(),
                &f.fingerprint[..],
                f.fingerprint_part.as_ref().map(|p| &p[..]),
                &f.place,
                l.path_component,
                &l.json_path,
            ]);
        }
        self.findings += batch.len() as u64;
    }

    /// Findings of a file still being read (large files send batches).
    pub fn findings(&mut self, path: &str, batch: &[StoredFinding]) {
        self.guard(|s| {
            s.begin_file(path)?;
            s.insert_findings(path, batch);
            Ok(())
        });
    }

    /// A file of the run is done: read, skipped, or unchanged. For an
    /// unchanged file, its `file` records as last read (the file's and its
    /// members'), named as in this run.
    pub fn file(&mut self, f: &StoredFile) -> Vec<FileRecord> {
        let mut kept: Vec<FileRecord> = Vec::new();
        self.guard(|s| {
            let run = s.totals.run;
            let db = s.inv.db();
            if let Some(id) = f.unchanged {
                let json = db
                    .one("SELECT records FROM files WHERE id = ?1", &params![id])?
                    .opt_text(0)?;
                kept = json
                    .and_then(|j| serde_json::from_str(&j).ok())
                    .unwrap_or_default();
                for k in &mut kept {
                    k.path = f.path.clone();
                }
                s.unchanged.push(id);
                s.totals.files_unchanged += 1;
                return Ok(());
            }
            let id = s.begin_file(&f.path)?;
            s.insert_findings(&f.path, &f.findings);
            s.open.remove(&f.path);
            let total: u64 = f.kinds.values().sum();
            db.execute(
                "UPDATE files SET root = ?2, size = ?3, mtime_ns = ?4, inode = ?5, hash = ?6,
                 format = ?7, status = ?8, seen_run = ?9, scanned_run = ?9, removed_run = NULL,
                 findings = ?10, records = ?11 WHERE id = ?1",
                &params![
                    id,
                    s.root_of(&f.path),
                    f.stat.map(|st| st.size as i64),
                    f.stat.map(|st| st.mtime_ns),
                    f.stat.map(|st| st.inode as i64),
                    &f.hash,
                    &f.format,
                    f.status.as_str(),
                    run,
                    total as i64,
                    &f.records,
                ],
            )?;
            for (kind, n) in &f.kinds {
                s.queued[1].extend(params![id, kind, *n as i64]);
            }
            for (entry, error) in &f.problems {
                s.queued[2].extend(params![id, entry, error]);
            }
            s.totals.files_read += 1;
            Ok(())
        });
        kept
    }

    /// Ends the run. After a complete walk, files of this source under the
    /// run's roots (and of its shard) that were not seen and no longer
    /// exist are marked removed by this run (files left out by `--exclude`
    /// or `--include` stay as they were).
    pub fn finish(mut self, complete: bool) -> Result<InventorySummary, InventoryError> {
        if complete {
            self.guard(|s| {
                s.flush()?;
                let run = s.totals.run;
                let db = s.inv.db();
                let mut gone_ids = Vec::new();
                // Gone only when the system says so: a folder that cannot be
                // entered hides files that are still there.
                let gone = |e: std::io::Error| {
                    matches!(
                        e.kind(),
                        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                    )
                };
                super::known::each_file(
                    db,
                    &s.inv.source,
                    &s.roots,
                    s.inv.shard,
                    "id",
                    "AND removed_run IS NULL AND seen_run < ?4",
                    &params![run],
                    &mut |path, r| {
                        if std::fs::symlink_metadata(super::path_of(path)).is_err_and(gone) {
                            gone_ids.push(r.int(1)?);
                        }
                        Ok(())
                    },
                )?;
                for id in &gone_ids {
                    db.execute(
                        "UPDATE files SET removed_run = ?2 WHERE id = ?1",
                        &params![*id, run],
                    )?;
                }
                s.totals.files_removed = gone_ids.len() as u64;
                Ok(())
            });
        }
        self.guard(|s| {
            s.flush()?;
            if s.inv.db().dialect() == Dialect::Sqlite {
                s.inv.db().batch(super::schema::FINGERPRINT_INDEXES)?;
            }
            Ok(())
        });
        let status = if complete { "complete" } else { "interrupted" };
        self.guard(|s| {
            let t = s.totals;
            s.inv.db().execute(
                "UPDATE runs SET ended = ?2, status = ?3, files_read = ?4, files_unchanged = ?5,
                 files_removed = ?6, findings = ?7 WHERE id = ?1",
                &params![
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
            if let Err(e) = self.inv.db().batch("COMMIT") {
                self.failed = Some(e);
            }
            self.in_tx = false;
        }
        match self.failed.take() {
            Some(source) => Err(self.inv.sql(source)),
            None => {
                if self.inv.db().dialect() == Dialect::Sqlite {
                    // Keep the write-ahead log from growing across runs.
                    let _ = self.inv.db().batch("PRAGMA wal_checkpoint(TRUNCATE)");
                }
                Ok(self.totals)
            }
        }
    }
}
