//! Reading the inventory: the report (`pdscout report`) and the look-up of
//! one person's identifiers by fingerprint (`pdscout subject --db`).

use super::retention::Rules;
use super::{Inventory, InventoryError};
use crate::model::location::Location;
use crate::subject::record::{self, Member, Place};
use crate::subject::Strength;
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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
}

/// A finding of the subject (or of the subject's records) in the index.
#[derive(Debug, Clone)]
pub struct SubjectHit {
    pub path: String,
    pub entry: Option<String>,
    pub kind: String,
    pub masked: String,
    pub location: Location,
    pub confidence: f32,
    pub pattern: String,
    /// `strong`, `weak` or `record`.
    pub matched: &'static str,
    /// The file's format.
    pub format: Option<String>,
    /// The file's size and modification date (`YYYY-MM-DD`) at its last reading.
    pub bytes: Option<u64>,
    pub modified: Option<String>,
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
    fn runs(&self, limit: usize) -> rusqlite::Result<Vec<RunRow>> {
        let mut st = self.conn().prepare(
            "SELECT id, started, ended, status, roots, files_read, files_unchanged, files_removed
             FROM runs ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = st.query_map([limit as i64], |r| {
            Ok(RunRow {
                id: r.get(0)?,
                started: r.get(1)?,
                ended: r.get(2)?,
                status: r.get(3)?,
                roots: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or_default(),
                files_read: r.get::<_, i64>(5)? as u64,
                files_unchanged: r.get::<_, i64>(6)? as u64,
                files_removed: r.get::<_, i64>(7)? as u64,
            })
        })?;
        rows.collect()
    }

    /// File rows of a query whose first columns are
    /// `id, path, format, size, mtime_ns`; their findings per kind attached.
    fn file_rows(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
        mut note: impl FnMut(&Row<'_>) -> rusqlite::Result<Option<String>>,
    ) -> rusqlite::Result<Vec<FileRow>> {
        let mut st = self.conn().prepare(sql)?;
        let mut rows = st.query(args)?;
        let mut out = Vec::new();
        let mut kinds_st = self
            .conn()
            .prepare_cached("SELECT kind, count FROM file_kinds WHERE file_id = ?1")?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let findings = kinds_st
                .query_map([id], |k| {
                    Ok((k.get::<_, String>(0)?, k.get::<_, i64>(1)? as u64))
                })?
                .collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
            out.push(FileRow {
                path: r.get(1)?,
                format: r.get(2)?,
                bytes: r.get::<_, Option<i64>>(3)?.map(|b| b as u64),
                modified: date_of(r.get(4)?),
                findings,
                note: note(r)?,
            });
        }
        Ok(out)
    }

    fn count(&self, sql: &str, args: impl rusqlite::Params) -> rusqlite::Result<u64> {
        self.conn()
            .query_row(sql, args, |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
    }

    /// The report: totals, changes of the last run, coverage and retention.
    /// `limit` caps each list (the totals count everything).
    pub fn report(&self, rules: &Rules, limit: usize) -> Result<InventoryReport, InventoryError> {
        self.build_report(rules, limit).map_err(|e| self.sql(e))
    }

    fn build_report(&self, rules: &Rules, limit: usize) -> rusqlite::Result<InventoryReport> {
        const PRESENT: &str = "removed_run IS NULL";
        let runs = self.runs(2)?;
        let last = runs.first().map_or(0, |r| r.id);
        let lim = limit as i64;
        let files = self.count(&format!("SELECT count(*) FROM files WHERE {PRESENT}"), [])?;
        let files_with_findings = self.count(
            &format!("SELECT count(*) FROM files WHERE {PRESENT} AND findings > 0"),
            [],
        )?;
        let kinds = {
            let mut st = self.conn().prepare(&format!(
                "SELECT k.kind, sum(k.count), count(*) FROM file_kinds k
                 JOIN files f ON f.id = k.file_id WHERE f.{PRESENT}
                 GROUP BY k.kind ORDER BY sum(k.count) DESC"
            ))?;
            let rows = st.query_map([], |r| {
                Ok(KindCount {
                    kind: r.get(0)?,
                    findings: r.get::<_, i64>(1)? as u64,
                    files: r.get::<_, i64>(2)? as u64,
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        let folders = self.folders()?;
        let sensitive_sum = crate::model::kind::sensitive()
            .iter()
            .map(|k| k.replace('\'', "''"))
            .map(|k| format!("coalesce((SELECT count FROM file_kinds WHERE file_id = f.id AND kind = '{k}'), 0)"))
            .chain(["0".to_string()])
            .collect::<Vec<_>>()
            .join(" + ");
        let sensitive = self.file_rows(
            &format!(
                "SELECT f.id, f.path, f.format, f.size, f.mtime_ns, ({sensitive_sum}) AS s
                 FROM files f WHERE f.{PRESENT} AND f.findings > 0 AND s > 0
                 ORDER BY s DESC, f.path LIMIT ?1"
            ),
            [lim],
            |_| Ok(None),
        )?;
        let first_run = runs.len() < 2;
        // On the first run everything is new: the list would be the inventory.
        let new_where = format!("{PRESENT} AND first_run = ?1 AND findings > 0");
        let new_total = if first_run {
            0
        } else {
            self.count(
                &format!("SELECT count(*) FROM files WHERE {new_where}"),
                [last],
            )?
        };
        let new_files = if first_run {
            Vec::new()
        } else {
            let mut moved = self.conn().prepare_cached(
                "SELECT path FROM files WHERE removed_run = ?1 AND hash = ?2 LIMIT 1",
            )?;
            self.file_rows(
                &format!(
                    "SELECT id, path, format, size, mtime_ns, hash FROM files WHERE {new_where}
                     ORDER BY path LIMIT ?2"
                ),
                params![last, lim],
                |r| {
                    let hash: Option<String> = r.get(5)?;
                    let from: Option<String> = match hash {
                        Some(h) => moved.query_row(params![last, h], |m| m.get(0)).optional()?,
                        None => None,
                    };
                    Ok(from.map(|p| format!("moved or copied from {p}")))
                },
            )?
        };
        let changed_total = self.count(
            "SELECT count(*) FROM files WHERE removed_run IS NULL AND scanned_run = ?1 AND first_run < ?1",
            [last],
        )?;
        let removed_total = self.count(
            "SELECT count(*) FROM files WHERE removed_run = ?1 AND findings > 0",
            [last],
        )?;
        let removed = self.file_rows(
            "SELECT id, path, format, size, mtime_ns FROM files
             WHERE removed_run = ?1 AND findings > 0 ORDER BY path LIMIT ?2",
            params![last, lim],
            |_| Ok(None),
        )?;
        let not_covered_where = format!("{PRESENT} AND id IN (SELECT file_id FROM problems)");
        let not_covered_total = self.count(
            &format!("SELECT count(*) FROM files WHERE {not_covered_where}"),
            [],
        )?;
        let mut why = self.conn().prepare_cached(
            "SELECT group_concat(coalesce(entry || ': ', '') || error, '; ') FROM
             (SELECT entry, error FROM problems WHERE file_id = ?1 LIMIT 5)",
        )?;
        let not_covered = self.file_rows(
            &format!(
                "SELECT id, path, format, size, mtime_ns FROM files WHERE {not_covered_where}
                 ORDER BY path LIMIT ?1"
            ),
            [lim],
            |r| why.query_row([r.get::<_, i64>(0)?], |w| w.get(0)),
        )?;
        let (retention, retention_total) = self.retention(rules, limit)?;
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
        })
    }

    fn folders(&self) -> rusqlite::Result<Vec<TopFolder>> {
        let mut st = self.conn().prepare(
            "SELECT f.root, f.path, k.kind, k.count FROM files f
             JOIN file_kinds k ON k.file_id = f.id WHERE f.removed_run IS NULL",
        )?;
        let mut rows = st.query([])?;
        let mut map: BTreeMap<(String, String), FolderTotals> = BTreeMap::new();
        while let Some(r) = rows.next()? {
            let root: String = r.get(0)?;
            let path: String = r.get(1)?;
            let rel = path
                .strip_prefix(root.as_str())
                .unwrap_or(&path)
                .trim_start_matches('/');
            // Files directly under the root are the root's own ("").
            let folder = rel.split_once('/').map_or("", |(top, _)| top).to_string();
            let e = map.entry((root, folder)).or_default();
            e.0.insert(path.clone());
            *e.1.entry(r.get(2)?).or_default() += r.get::<_, i64>(3)? as u64;
        }
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

    fn retention(&self, rules: &Rules, limit: usize) -> rusqlite::Result<(Vec<RetentionRow>, u64)> {
        if rules.0.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let now_ns = chrono::Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX);
        let mut st = self.conn().prepare(
            "SELECT id, root, path, mtime_ns FROM files
             WHERE removed_run IS NULL AND findings > 0 AND mtime_ns IS NOT NULL ORDER BY mtime_ns",
        )?;
        let mut rows = st.query([])?;
        let mut over: Vec<(i64, u64, usize)> = Vec::new();
        while let Some(r) = rows.next()? {
            let (id, root, path, mtime): (i64, String, String, i64) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
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
        }
        let total = over.len() as u64;
        let mut out = Vec::new();
        for (id, age_days, i) in over.into_iter().take(limit) {
            let rule = &rules.0[i];
            let file = self
                .file_rows(
                    "SELECT id, path, format, size, mtime_ns FROM files WHERE id = ?1",
                    [id],
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

    /// The findings whose fingerprint is one of the subject's identifiers
    /// (`ids` from [`crate::subject::Subject::canonical_ids`]), and
    /// the other findings of their records, drawn by
    /// [`record::select`] from the places the scan kept, as a plain
    /// `subject` search draws them. Only files present at the last run, and
    /// under one of `under` when given.
    pub fn subject_hits(
        &self,
        ids: &[(String, String, Strength, bool)],
        under: &[String],
    ) -> Result<Vec<SubjectHit>, InventoryError> {
        self.find_subject(ids, under).map_err(|e| self.sql(e))
    }

    fn find_subject(
        &self,
        ids: &[(String, String, Strength, bool)],
        under: &[String],
    ) -> rusqlite::Result<Vec<SubjectHit>> {
        const COLS: &str = "files.path, f.entry, f.kind, f.line, f.col, f.sheet, f.cell,
            f.page, f.rec, f.masked, f.confidence, f.pattern, files.format, files.size,
            files.mtime_ns, f.file_id, f.n, f.place, f.fingerprint, f.fingerprint_part";
        let inside = |path: &str| {
            under.is_empty()
                || under.iter().any(|u| {
                    path == u || path.starts_with(&format!("{}/", u.trim_end_matches('/')))
                })
        };
        // Fingerprint → how it matches (a full-name key outranks the
        // surname key).
        let mut whole: HashMap<Vec<u8>, Strength> = HashMap::new();
        let mut part: HashMap<Vec<u8>, Strength> = HashMap::new();
        for (kind, canonical, strength, is_part) in ids {
            let (map, fp) = if *is_part {
                (&mut part, self.key().fingerprint("name-part", canonical))
            } else {
                (&mut whole, self.key().fingerprint(kind, canonical))
            };
            let e = map.entry(fp.to_vec()).or_insert(*strength);
            *e = (*e).max(*strength);
        }
        let strength_of = |r: &Row<'_>| -> rusqlite::Result<Option<Strength>> {
            let fp: Vec<u8> = r.get(18)?;
            let fpp: Option<Vec<u8>> = r.get(19)?;
            Ok(whole
                .get(&fp)
                .copied()
                .or_else(|| fpp.and_then(|p| part.get(&p).copied())))
        };
        // (file, n) → the finding, its document and place.
        let mut found: BTreeMap<(i64, i64), (SubjectHit, Doc, Place)> = BTreeMap::new();
        let read = |r: &Row<'_>, matched: &'static str| -> rusqlite::Result<Found> {
            let hit = SubjectHit {
                path: r.get(0)?,
                entry: r.get(1)?,
                kind: r.get(2)?,
                location: Location {
                    line: r.get::<_, Option<i64>>(3)?.map(|v| v as u64),
                    column: r.get::<_, Option<i64>>(4)?.map(|v| v as u64),
                    sheet: r.get(5)?,
                    cell: r.get(6)?,
                    page: r.get::<_, Option<i64>>(7)?.map(|v| v as u32),
                    ..Location::default()
                },
                confidence: r.get::<_, f64>(10)? as f32,
                masked: r.get(9)?,
                pattern: r.get(11)?,
                matched,
                format: r.get(12)?,
                bytes: r.get::<_, Option<i64>>(13)?.map(|b| b as u64),
                modified: date_of(r.get(14)?),
            };
            let place = Place::decode(r.get::<_, Option<String>>(17)?.as_deref());
            let rec: Option<i64> = r.get(8)?;
            // A row, or a log line: the record is that row or line alone.
            let narrow = matches!(place, Place::Row | Place::Flow { block: None, .. });
            let doc = Doc {
                file: r.get(15)?,
                entry: hit.entry.clone(),
                sheet: hit.location.sheet.clone(),
                page: hit.location.page,
                rec: if narrow { rec } else { None },
                row: place == Place::Row,
            };
            Ok(((r.get(15)?, r.get(16)?), (hit, doc, place)))
        };
        for (fp, column) in whole
            .keys()
            .map(|k| (k, "fingerprint"))
            .chain(part.keys().map(|k| (k, "fingerprint_part")))
        {
            let mut st = self.conn().prepare_cached(&format!(
                "SELECT {COLS} FROM findings f JOIN files ON files.id = f.file_id
                 WHERE f.{column} = ?1 AND files.removed_run IS NULL"
            ))?;
            let mut rows = st.query([&fp[..]])?;
            while let Some(r) = rows.next()? {
                let Some(strength) = strength_of(r)? else {
                    continue;
                };
                let (id, hit) = read(r, strength.name())?;
                if inside(&hit.0.path) {
                    found.insert(id, hit);
                }
            }
        }
        // The documents (rows, lines, files, members, pages) of strong
        // matches, each read once.
        let docs: std::collections::BTreeSet<Doc> = found
            .values()
            .filter(|(h, ..)| h.matched == "strong")
            .map(|(_, d, _)| d.clone())
            .collect();
        let given = |kind: &str| ids.iter().any(|(k, _, _, part)| k == kind && !part);
        let mut records = Vec::new();
        for doc in docs {
            let mut st = self.conn().prepare_cached(&format!(
                "SELECT {COLS} FROM findings f JOIN files ON files.id = f.file_id
                 WHERE f.file_id = ?1 AND f.entry IS ?2 AND f.sheet IS ?3 AND f.page IS ?4
                 AND (?5 IS NULL OR f.rec = ?5) LIMIT {MAX_DOC}"
            ))?;
            let mut rows = st.query(params![doc.file, doc.entry, doc.sheet, doc.page, doc.rec])?;
            let mut members = Vec::new();
            let mut hits = Vec::new();
            while let Some(r) = rows.next()? {
                let strength = strength_of(r)?;
                let (id, (hit, _, place)) = read(r, "record")?;
                // A row's findings, or the flowing text's and objects'.
                if (place == Place::Row) != doc.row {
                    continue;
                }
                // Equal fingerprints, equal values.
                let fp: Vec<u8> = r.get(18)?;
                let value = fp.iter().take(8).fold(0u64, |h, b| h << 8 | u64::from(*b));
                members.push(Member {
                    place,
                    full_name: hit.kind == "name" && r.get::<_, Option<Vec<u8>>>(19)?.is_some(),
                    kind: hit.kind.clone(),
                    strength,
                    value,
                });
                hits.push((id, hit));
            }
            let in_record = record::select(&members, &given);
            records.extend(
                hits.into_iter()
                    .zip(in_record)
                    .filter(|((id, _), r)| *r && !found.contains_key(id))
                    .map(|(h, _)| h),
            );
        }
        let mut all: BTreeMap<(i64, i64), SubjectHit> =
            found.into_iter().map(|(id, (h, ..))| (id, h)).collect();
        all.extend(records);
        let mut hits: Vec<SubjectHit> = all.into_values().collect();
        hits.sort_by(|a, b| {
            (&a.path, &a.entry, a.location.line, a.location.page).cmp(&(
                &b.path,
                &b.entry,
                b.location.line,
                b.location.page,
            ))
        });
        Ok(hits)
    }
}

/// A finding read for a subject: its identity (file, n), the hit, its
/// document and place.
type Found = ((i64, i64), (SubjectHit, Doc, Place));

/// Findings of one document read at most to draw its records.
const MAX_DOC: usize = 200_000;

/// A document whose findings make records: a file or member (and sheet,
/// page), or one row or log line of it (`rec`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Doc {
    file: i64,
    entry: Option<String>,
    sheet: Option<String>,
    page: Option<u32>,
    rec: Option<i64>,
    row: bool,
}
