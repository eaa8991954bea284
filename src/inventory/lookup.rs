//! The look-up of one person's identifiers by fingerprint in the inventory
//! (`pdscout subject --db`), their records drawn as a plain `subject` search
//! draws them.

use super::db::{params, DbError, Row};
use super::query::date_of;
use super::{Inventory, InventoryError};
use crate::model::location::Location;
use crate::subject::record::{self, Member, Place};
use crate::subject::Strength;
use std::collections::{BTreeMap, HashMap};

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
    /// The file's source, when the inventory holds several.
    pub source: Option<String>,
}

impl SubjectHit {
    /// The path as reports show it: `source:path` when the inventory holds
    /// several sources (two hosts may have the same path).
    pub fn shown_path(&self) -> String {
        match &self.source {
            Some(s) => format!("{s}:{}", self.path),
            None => self.path.clone(),
        }
    }
}

impl Inventory {
    /// The findings whose fingerprint is one of the subject's identifiers
    /// (`ids` from [`crate::subject::Subject::canonical_ids`]), and
    /// the other findings of their records, drawn by
    /// [`record::select`] from the places the scan kept, as a plain
    /// `subject` search draws them. Only files present at the last run, and
    /// under one of `under` when given; grouped by source when the
    /// inventory holds several.
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
    ) -> Result<Vec<SubjectHit>, DbError> {
        const COLS: &str = "files.path, f.entry, f.kind, f.line, f.col, f.sheet, f.cell,
            f.page, f.rec, f.masked, f.confidence, f.pattern, files.format, files.size,
            files.mtime_ns, f.file_id, f.n, f.place, f.fingerprint, f.fingerprint_part,
            files.source, f.path_component, f.json_path";
        let multi = self.source_names()?.len() > 1;
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
        let strength_of = |r: &Row| -> Result<Option<Strength>, DbError> {
            let fp = r.blob(18)?;
            let fpp = r.opt_blob(19)?;
            Ok(whole
                .get(&fp)
                .copied()
                .or_else(|| fpp.and_then(|p| part.get(&p).copied())))
        };
        // (file, n) → the finding, its document and place.
        let mut found: BTreeMap<(i64, i64), (SubjectHit, Doc, Place)> = BTreeMap::new();
        let read = |r: &Row, matched: &'static str| -> Result<Found, DbError> {
            let hit = SubjectHit {
                path: r.text(0)?,
                entry: r.opt_text(1)?,
                kind: r.text(2)?,
                location: Location {
                    line: r.opt_int(3)?.map(|v| v as u64),
                    column: r.opt_int(4)?.map(|v| v as u64),
                    sheet: r.opt_text(5)?,
                    cell: r.opt_text(6)?,
                    page: r.opt_int(7)?.map(|v| v as u32),
                    path_component: r.opt_int(21)?.map(|v| v as u32),
                    json_path: r.opt_text(22)?,
                },
                confidence: r.real(10)? as f32,
                masked: r.text(9)?,
                pattern: r.text(11)?,
                matched,
                format: r.opt_text(12)?,
                bytes: r.opt_int(13)?.map(|b| b as u64),
                modified: date_of(r.opt_int(14)?),
                source: if multi { Some(r.text(20)?) } else { None },
            };
            let place = Place::decode(r.opt_text(17)?.as_deref());
            let rec = r.opt_int(8)?;
            // A row, or a log line: the record is that row or line alone.
            let narrow = matches!(place, Place::Row | Place::Flow { block: None, .. });
            let doc = Doc {
                file: r.int(15)?,
                entry: hit.entry.clone(),
                sheet: hit.location.sheet.clone(),
                page: hit.location.page,
                rec: if narrow { rec } else { None },
                row: place == Place::Row,
            };
            Ok(((r.int(15)?, r.int(16)?), (hit, doc, place)))
        };
        for (fp, column) in whole
            .keys()
            .map(|k| (k, "fingerprint"))
            .chain(part.keys().map(|k| (k, "fingerprint_part")))
        {
            for r in self.db().rows(
                &format!(
                    "SELECT {COLS} FROM findings f JOIN files ON files.id = f.file_id
                     WHERE f.{column} = ?1 AND files.removed_run IS NULL"
                ),
                &params![&fp[..]],
            )? {
                let Some(strength) = strength_of(&r)? else {
                    continue;
                };
                let (id, hit) = read(&r, strength.name())?;
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
            let rows = self.db().rows(
                &format!(
                    "SELECT {COLS} FROM findings f JOIN files ON files.id = f.file_id
                     WHERE f.file_id = ?1 AND f.entry IS NOT DISTINCT FROM ?2
                     AND f.sheet IS NOT DISTINCT FROM ?3 AND f.page IS NOT DISTINCT FROM ?4
                     AND (CAST(?5 AS BIGINT) IS NULL OR f.rec = ?5) LIMIT {MAX_DOC}"
                ),
                &params![doc.file, &doc.entry, &doc.sheet, doc.page, doc.rec],
            )?;
            let mut members = Vec::new();
            let mut hits = Vec::new();
            for r in &rows {
                let strength = strength_of(r)?;
                let (id, (hit, _, place)) = read(r, "record")?;
                // A row's findings, or the flowing text's and objects'.
                if (place == Place::Row) != doc.row {
                    continue;
                }
                // Equal fingerprints, equal values.
                let fp = r.blob(18)?;
                let value = fp.iter().take(8).fold(0u64, |h, b| h << 8 | u64::from(*b));
                members.push(Member {
                    place,
                    full_name: hit.kind == "name" && r.opt_blob(19)?.is_some(),
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
            (
                &a.source,
                &a.path,
                &a.entry,
                a.location.line,
                a.location.page,
            )
                .cmp(&(
                    &b.source,
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
