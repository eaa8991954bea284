//! Reading the inventory: the report (`pdscout report`); the look-up of one
//! person's identifiers is in [`super::lookup`].

use super::db::{params, DbError, Row, Value};
use super::retention::Rules;
use super::{Inventory, InventoryError};
use serde::Serialize;
use std::collections::BTreeMap;

/// One run of the inventory.
#[derive(Debug, Clone, Serialize)]
pub struct RunRow {
    pub id: i64,
    pub started: String,
    pub ended: Option<String>,
    pub status: String,
    pub roots: Vec<String>,
    pub files_read: u64,
    pub files_unchanged: u64,
    pub files_removed: u64,
}

/// Findings and files of one kind.
#[derive(Debug, Clone, Serialize)]
pub struct KindCount {
    pub kind: String,
    pub findings: u64,
    pub files: u64,
}

/// Totals under one top-level folder of a root.
#[derive(Debug, Clone, Serialize)]
pub struct TopFolder {
    pub root: String,
    pub folder: String,
    pub files: u64,
    pub findings: BTreeMap<String, u64>,
}

impl TopFolder {
    /// The folder as a path, with its root's separator (`\` for a Windows
    /// root).
    pub fn shown(&self) -> String {
        let sep = if windows_path(&self.root) { '\\' } else { '/' };
        format!("{}{sep}{}", self.root, self.folder)
    }
}

/// A Windows path (`C:\…`, `\\server\share\…`): its components are
/// separated by `\` as well as `/`.
fn windows_path(p: &str) -> bool {
    let b = p.as_bytes();
    p.starts_with("\\\\") || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

/// The files and findings per kind of one folder, while counting.
type FolderTotals = (std::collections::BTreeSet<String>, BTreeMap<String, u64>);

/// A strong match's record: file, entry, sheet, record number, and whether
/// it is flowing text (the record spans lines around it).
/// A file in a report list.
#[derive(Debug, Clone, Serialize)]
pub struct FileRow {
    pub path: String,
    pub format: Option<String>,
    pub bytes: Option<u64>,
    /// Last modification date (`YYYY-MM-DD`).
    pub modified: Option<String>,
    pub findings: BTreeMap<String, u64>,
    /// Why it was not fully read, or what else is known (moved from…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A file kept past its retention period.
#[derive(Debug, Clone, Serialize)]
pub struct RetentionRow {
    #[serde(flatten)]
    pub file: FileRow,
    /// Days since the last change.
    pub age_days: u64,
    /// The rule's path glob and duration.
    pub rule: String,
    pub keep: String,
    pub purpose: Option<String>,
}

/// What `pdscout report` shows.
#[derive(Debug, Clone, Serialize)]
pub struct InventoryReport {
    pub db: String,
    pub schema_version: i64,
    pub generated: String,
    /// The last run and the one before it.
    pub last_run: Option<RunRow>,
    pub previous_run: Option<RunRow>,
    pub files: u64,
    pub files_with_findings: u64,
    pub kinds: Vec<KindCount>,
    pub folders: Vec<TopFolder>,
    /// Files richest in NIR, IBAN and card numbers.
    pub sensitive: Vec<FileRow>,
    /// Files first seen by the last run (with personal data).
    pub new_files: Vec<FileRow>,
    pub new_total: u64,
    /// Files the last run found changed (read again).
    pub changed_total: u64,
    /// Files the last run found gone.
    pub removed: Vec<FileRow>,
    pub removed_total: u64,
    /// Files not fully read: errors, encrypted, no text layer, limits.
    pub not_covered: Vec<FileRow>,
    pub not_covered_total: u64,
    /// Files with personal data past their retention period.
    pub retention: Vec<RetentionRow>,
    pub retention_total: u64,
    /// Totals per source, when the inventory holds several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceRow>,
    /// The last sharded sweep of each source: which shards finished.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub generations: Vec<ShardSet>,
}

/// What one source (`--source`: a host, a share) holds.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRow {
    pub source: String,
    pub files: u64,
    pub files_with_findings: u64,
    pub findings: u64,
}

/// The shards of one generation of a sharded sweep (`--shard K/N
/// --generation ID`): complete when all N have finished.
#[derive(Debug, Clone, Serialize)]
pub struct ShardSet {
    pub source: String,
    pub generation: String,
    pub shards: u32,
    pub complete: bool,
    /// Shards that finished (K).
    pub finished: Vec<u32>,
    /// Shards still running, interrupted or aborted, or never started.
    pub missing: Vec<u32>,
}

/// The local date (`YYYY-MM-DD`) of a modification time in nanoseconds.
pub fn date_of(mtime_ns: Option<i64>) -> Option<String> {
    let ns = mtime_ns?;
    let t = chrono::DateTime::from_timestamp(ns.div_euclid(1_000_000_000), 0)?;
    Some(crate::model::fold::iso_date(
        t.with_timezone(&chrono::Local).date_naive(),
    ))
}

impl Inventory {
    fn runs(&self, limit: usize) -> Result<Vec<RunRow>, DbError> {
        self.db()
            .rows(
                "SELECT id, started, ended, status, roots, files_read, files_unchanged, files_removed
                 FROM runs ORDER BY id DESC LIMIT ?1",
                &params![limit as i64],
            )?
            .iter()
            .map(|r| {
                Ok(RunRow {
                    id: r.int(0)?,
                    started: r.text(1)?,
                    ended: r.opt_text(2)?,
                    status: r.text(3)?,
                    roots: serde_json::from_str(&r.text(4)?).unwrap_or_default(),
                    files_read: r.int(5)? as u64,
                    files_unchanged: r.int(6)? as u64,
                    files_removed: r.int(7)? as u64,
                })
            })
            .collect()
    }

    /// The sources of the files, in order.
    pub fn sources(&self) -> Result<Vec<String>, InventoryError> {
        self.source_names().map_err(|e| self.sql(e))
    }

    pub(super) fn source_names(&self) -> Result<Vec<String>, DbError> {
        self.db()
            .rows("SELECT DISTINCT source FROM files ORDER BY source", &[])?
            .iter()
            .map(|r| r.text(0))
            .collect()
    }

    /// File rows of a query whose first columns are
    /// `id, path, format, size, mtime_ns, source`; their findings per kind
    /// attached; the path qualified by its source when `qualify`.
    fn file_rows(
        &self,
        sql: &str,
        args: &[Value],
        qualify: bool,
        mut note: impl FnMut(&Row) -> Result<Option<String>, DbError>,
    ) -> Result<Vec<FileRow>, DbError> {
        let mut out = Vec::new();
        for r in self.db().rows(sql, args)? {
            let mut findings = BTreeMap::new();
            for k in self.db().rows(
                "SELECT kind, count FROM file_kinds WHERE file_id = ?1",
                &params![r.int(0)?],
            )? {
                findings.insert(k.text(0)?, k.int(1)? as u64);
            }
            let path = r.text(1)?;
            out.push(FileRow {
                path: if qualify {
                    format!("{}:{path}", r.text(5)?)
                } else {
                    path
                },
                format: r.opt_text(2)?,
                bytes: r.opt_int(3)?.map(|b| b as u64),
                modified: date_of(r.opt_int(4)?),
                findings,
                note: note(&r)?,
            });
        }
        Ok(out)
    }

    fn count(&self, sql: &str, args: &[Value]) -> Result<u64, DbError> {
        self.db().int(sql, args).map(|n| n as u64)
    }

    /// The report: totals, changes of the last run, coverage and retention.
    /// `limit` caps each list (the totals count everything).
    pub fn report(&self, rules: &Rules, limit: usize) -> Result<InventoryReport, InventoryError> {
        self.build_report(rules, limit).map_err(|e| self.sql(e))
    }

    /// The runs that make the last one: the last run, or every shard of its
    /// generation (a sharded sweep is one run in N parts).
    fn last_runs(&self, last: i64) -> Result<String, DbError> {
        let ids: Vec<String> = self
            .db()
            .rows(
                "SELECT r.id FROM runs r JOIN runs l ON l.id = ?1
                 WHERE r.id = l.id OR (l.shard IS NOT NULL AND r.shard IS NOT NULL
                 AND r.source = l.source AND r.generation = l.generation) ORDER BY r.id",
                &params![last],
            )?
            .iter()
            .map(|r| r.int(0).map(|i| i.to_string()))
            .collect::<Result<_, _>>()?;
        Ok(if ids.is_empty() {
            "0".into()
        } else {
            ids.join(",")
        })
    }

    fn build_report(&self, rules: &Rules, limit: usize) -> Result<InventoryReport, DbError> {
        const PRESENT: &str = "removed_run IS NULL";
        const COLS: &str = "f.id, f.path, f.format, f.size, f.mtime_ns, f.source";
        let runs = self.runs(2)?;
        let last = runs.first().map_or(0, |r| r.id);
        // Integers of the inventory's own, written into the SQL.
        let last_ids = self.last_runs(last)?;
        let lim = limit as i64;
        let multi = self.source_names()?.len() > 1;
        let files = self.count(&format!("SELECT count(*) FROM files WHERE {PRESENT}"), &[])?;
        let files_with_findings = self.count(
            &format!("SELECT count(*) FROM files WHERE {PRESENT} AND findings > 0"),
            &[],
        )?;
        let kinds = self
            .db()
            .rows(
                &format!(
                    "SELECT k.kind, CAST(sum(k.count) AS BIGINT), count(*) FROM file_kinds k
                     JOIN files f ON f.id = k.file_id WHERE f.{PRESENT}
                     GROUP BY k.kind ORDER BY sum(k.count) DESC"
                ),
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(KindCount {
                    kind: r.text(0)?,
                    findings: r.int(1)? as u64,
                    files: r.int(2)? as u64,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        let folders = self.folders(multi)?;
        let sensitive_sum = crate::model::kind::sensitive()
            .iter()
            .map(|k| k.replace('\'', "''"))
            .map(|k| format!("coalesce((SELECT count FROM file_kinds WHERE file_id = f.id AND kind = '{k}'), 0)"))
            .chain(["0".to_string()])
            .collect::<Vec<_>>()
            .join(" + ");
        let sensitive = self.file_rows(
            &format!(
                "SELECT * FROM (SELECT {COLS}, ({sensitive_sum}) AS s
                 FROM files f WHERE f.{PRESENT} AND f.findings > 0) t WHERE s > 0
                 ORDER BY s DESC, path LIMIT ?1"
            ),
            &params![lim],
            multi,
            |_| Ok(None),
        )?;
        let first_run = self.count(
            &format!("SELECT count(*) FROM runs WHERE id NOT IN ({last_ids})"),
            &[],
        )? == 0;
        // On the first run everything is new: the list would be the inventory.
        let new_where = format!("f.{PRESENT} AND f.first_run IN ({last_ids}) AND f.findings > 0");
        let new_total = if first_run {
            0
        } else {
            self.count(
                &format!("SELECT count(*) FROM files f WHERE {new_where}"),
                &[],
            )?
        };
        let new_files = if first_run {
            Vec::new()
        } else {
            self.file_rows(
                &format!(
                    "SELECT {COLS}, f.hash FROM files f WHERE {new_where} ORDER BY f.path LIMIT ?1"
                ),
                &params![lim],
                multi,
                |r| {
                    let from = match r.opt_text(6)? {
                        Some(h) => self.db().row(
                            &format!(
                                "SELECT path FROM files WHERE removed_run IN ({last_ids})
                                 AND hash = ?1 LIMIT 1"
                            ),
                            &params![h],
                        )?,
                        None => None,
                    };
                    Ok(from
                        .map(|m| m.text(0))
                        .transpose()?
                        .map(|p| format!("moved or copied from {p}")))
                },
            )?
        };
        let changed_total = self.count(
            &format!(
                "SELECT count(*) FROM files WHERE removed_run IS NULL AND scanned_run IN ({last_ids})
                 AND first_run < (SELECT min(id) FROM runs WHERE id IN ({last_ids}))"
            ),
            &[],
        )?;
        let removed_where = format!("f.removed_run IN ({last_ids}) AND f.findings > 0");
        let removed_total = self.count(
            &format!("SELECT count(*) FROM files f WHERE {removed_where}"),
            &[],
        )?;
        let removed = self.file_rows(
            &format!("SELECT {COLS} FROM files f WHERE {removed_where} ORDER BY f.path LIMIT ?1"),
            &params![lim],
            multi,
            |_| Ok(None),
        )?;
        let not_covered_where = format!("f.{PRESENT} AND f.id IN (SELECT file_id FROM problems)");
        let not_covered_total = self.count(
            &format!("SELECT count(*) FROM files f WHERE {not_covered_where}"),
            &[],
        )?;
        let not_covered = self.file_rows(
            &format!(
                "SELECT {COLS} FROM files f WHERE {not_covered_where} ORDER BY f.path LIMIT ?1"
            ),
            &params![lim],
            multi,
            |r| {
                self.db()
                    .one(
                        "SELECT string_agg(coalesce(entry || ': ', '') || error, '; ') FROM
                         (SELECT entry, error FROM problems WHERE file_id = ?1 LIMIT 5) p",
                        &params![r.int(0)?],
                    )?
                    .opt_text(0)
            },
        )?;
        let (retention, retention_total) = self.retention(rules, limit, multi)?;
        Ok(InventoryReport {
            db: self.path().display().to_string(),
            schema_version: super::SCHEMA_VERSION,
            generated: super::now(),
            last_run: runs.first().cloned(),
            previous_run: runs.get(1).cloned(),
            files,
            files_with_findings,
            kinds,
            folders,
            sensitive,
            new_files,
            new_total,
            changed_total,
            removed,
            removed_total,
            not_covered,
            not_covered_total,
            retention,
            retention_total,
            sources: if multi {
                self.source_rows()?
            } else {
                Vec::new()
            },
            generations: self.generations()?,
        })
    }

    fn source_rows(&self) -> Result<Vec<SourceRow>, DbError> {
        self.db()
            .rows(
                "SELECT source, count(*), CAST(sum(CASE WHEN findings > 0 THEN 1 ELSE 0 END) AS BIGINT),
                 CAST(sum(findings) AS BIGINT) FROM files WHERE removed_run IS NULL
                 GROUP BY source ORDER BY source",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(SourceRow {
                    source: r.text(0)?,
                    files: r.int(1)? as u64,
                    files_with_findings: r.opt_int(2)?.unwrap_or(0) as u64,
                    findings: r.opt_int(3)?.unwrap_or(0) as u64,
                })
            })
            .collect()
    }

    /// The last generation of sharded runs of each source, with its shards.
    fn generations(&self) -> Result<Vec<ShardSet>, DbError> {
        let rows = self.db().rows(
            "SELECT r.source, r.generation, r.shard, r.status FROM runs r
             WHERE r.shard IS NOT NULL AND r.generation IS NOT NULL
             AND r.generation = (SELECT q.generation FROM runs q WHERE q.source = r.source
                 AND q.shard IS NOT NULL ORDER BY q.id DESC LIMIT 1)
             ORDER BY r.source, r.id",
            &[],
        )?;
        let mut sets: Vec<ShardSet> = Vec::new();
        for r in rows {
            let (source, generation, shard, status) =
                (r.text(0)?, r.text(1)?, r.text(2)?, r.text(3)?);
            let Some(s) = crate::walk::Shard::parse(&shard, false) else {
                continue;
            };
            if sets.last().is_none_or(|l| l.source != source) {
                sets.push(ShardSet {
                    source,
                    generation,
                    shards: s.n,
                    complete: false,
                    finished: Vec::new(),
                    missing: Vec::new(),
                });
            }
            let set = sets.last_mut().expect("pushed above");
            set.shards = set.shards.max(s.n);
            if status == "complete" && !set.finished.contains(&s.k) {
                set.finished.push(s.k);
            }
        }
        for set in &mut sets {
            set.finished.sort_unstable();
            set.missing = (1..=set.shards)
                .filter(|k| !set.finished.contains(k))
                .collect();
            set.complete = set.missing.is_empty();
        }
        Ok(sets)
    }

    fn folders(&self, multi: bool) -> Result<Vec<TopFolder>, DbError> {
        let mut map: BTreeMap<(String, String), FolderTotals> = BTreeMap::new();
        self.db().each(
            "SELECT f.root, f.path, k.kind, k.count, f.source FROM files f
             JOIN file_kinds k ON k.file_id = f.id WHERE f.removed_run IS NULL",
            &[],
            &mut |r| {
                let root = r.text(0)?;
                let path = r.text(1)?;
                // By components on every OS: a Windows root's paths split on
                // both separators.
                let windows = windows_path(&root);
                let sep = |c: char| c == '/' || (windows && c == '\\');
                let rel = path
                    .strip_prefix(root.as_str())
                    .unwrap_or(&path)
                    .trim_start_matches(sep);
                // Files directly under the root are the root's own ("").
                let folder = rel.split_once(sep).map_or("", |(top, _)| top).to_string();
                let shown = if multi {
                    format!("{}:{root}", r.text(4)?)
                } else {
                    root.clone()
                };
                let e = map.entry((shown, folder)).or_default();
                e.0.insert(format!("{}\0{path}", r.text(4)?));
                *e.1.entry(r.text(2)?).or_default() += r.int(3)? as u64;
                Ok(())
            },
        )?;
        Ok(map
            .into_iter()
            .map(|((root, folder), (files, findings))| TopFolder {
                root,
                folder,
                files: files.len() as u64,
                findings,
            })
            .collect())
    }

    fn retention(
        &self,
        rules: &Rules,
        limit: usize,
        multi: bool,
    ) -> Result<(Vec<RetentionRow>, u64), DbError> {
        if rules.0.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let now_ns = chrono::Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX);
        let mut over: Vec<(i64, u64, usize)> = Vec::new();
        self.db().each(
            "SELECT id, root, path, mtime_ns FROM files
             WHERE removed_run IS NULL AND findings > 0 AND mtime_ns IS NOT NULL ORDER BY mtime_ns",
            &[],
            &mut |r| {
                let (id, root, path, mtime) = (r.int(0)?, r.text(1)?, r.text(2)?, r.int(3)?);
                let age_days = (now_ns.saturating_sub(mtime) / 86_400_000_000_000).max(0) as u64;
                if let Some(i) = rules
                    .for_path(&root, &path)
                    .and_then(|rule| rules.0.iter().position(|r| std::ptr::eq(r, rule)))
                {
                    let keep_ns = i64::from(rules.0[i].keep_days) * 86_400_000_000_000;
                    if now_ns.saturating_sub(mtime) > keep_ns {
                        over.push((id, age_days, i));
                    }
                }
                Ok(())
            },
        )?;
        let total = over.len() as u64;
        let mut out = Vec::new();
        for (id, age_days, i) in over.into_iter().take(limit) {
            let rule = &rules.0[i];
            let file = self
                .file_rows(
                    "SELECT f.id, f.path, f.format, f.size, f.mtime_ns, f.source FROM files f
                     WHERE f.id = ?1",
                    &params![id],
                    multi,
                    |_| Ok(None),
                )?
                .pop();
            if let Some(file) = file {
                out.push(RetentionRow {
                    file,
                    age_days,
                    rule: rule.glob.clone(),
                    keep: rule.keep.clone(),
                    purpose: rule.purpose.clone(),
                });
            }
        }
        Ok((out, total))
    }
}
