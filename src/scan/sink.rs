//! The sink a file's units go to while it is read: runs the detector on each
//! unit, applies the reporting policy ([`crate::detect::policy`]), assembles
//! row values ([`crate::detect::rows`]), groups a subject's findings into
//! records ([`crate::subject::group`]), and turns findings into records:
//! masked, counted per file and member, batched to the writer, kept for the
//! inventory. Members of containers get their own `file` and `error` records.

use super::worker::FileResult;
use super::{error_record, Msg};
use crate::config::{Detectors, ScanConfig};
use crate::detect::crew::{Busy, Crew};
use crate::detect::policy::{Overlap, Policy, Verdict};
use crate::detect::{rows, Finding};
use crate::extract::{ExtractError, Fork, Format, Limit, Located, Origin, RowCell, UnitSink};
use crate::inventory::{Incremental, StoredFinding};
use crate::model::columns::roles;
use crate::model::location::Locator;
use crate::model::mask::mask_styled;
use crate::model::record::FileStatus;
use crate::model::Screen;
use crate::report::printer::Outbox;
use crate::report::{FileRecord, FindingRecord, FindingView, Record};
use crate::subject::group::{mention_findings, Holder, RecordKey};
use crate::subject::place::Places;
use crate::subject::record::{Member, Place};
use crate::subject::Strength;
use crossbeam_channel::Sender;
use std::any::Any;
use std::collections::BTreeMap;
use std::time::SystemTime;

/// Findings of one file are sent to the writer in batches of this size, so
/// that a huge log does not pile up its findings in memory.
const BATCH: usize = 4096;

/// A container member (or a document part) being read.
struct OpenEntry {
    name: String,
    /// The counts of the enclosing file or member, set aside (`None` for a
    /// part, whose findings count for the enclosing document).
    outer_counts: Option<BTreeMap<String, u64>>,
    /// The enclosing file's or member's first problem, set aside.
    outer_problem: Option<String>,
}

/// A modification time as the `file` records' `modified` date (`YYYY-MM-DD`,
/// local time).
pub(super) fn iso_day(t: Option<SystemTime>) -> Option<String> {
    t.map(|t| crate::model::fold::iso_date(chrono::DateTime::<chrono::Local>::from(t).date_naive()))
}

/// Receives a file's units, runs the detector, filters and records findings.
pub(super) struct FindingSink<'s, 'a> {
    /// The file's modification time (shown as a date in `file` records,
    /// formatted only for files with findings).
    modified: Option<SystemTime>,
    crew: &'s mut Crew<'a>,
    detectors: &'a Detectors,
    cfg: &'a ScanConfig,
    /// Confidence threshold and allow list.
    policy: Policy<'a>,
    findings: &'s mut Vec<Finding>,
    path: &'s str,
    /// With `--db`: the inventory's side, and the file's absolute path.
    inc: Option<(&'a Incremental, &'s str)>,
    /// Members being read, outermost first.
    entries: Vec<OpenEntry>,
    /// Their names joined with `/` (the records' `entry`).
    entry: Option<String>,
    /// Findings per kind of the current file or member.
    counts: BTreeMap<String, u64>,
    result: FileResult,
    /// Overlapping chunks never report a value twice.
    overlap: Overlap,
    tx: &'s Sender<Msg>,
    /// `subject`: the findings of the current document or row, with their
    /// match and place.
    holder: Holder,
    /// The masked value being recorded (the worker's buffer, reused).
    masked: String,
    /// The first reason the current file or member was not fully read.
    problem: Option<String>,
    /// Error and skipped records of members listed for this file so far,
    /// and those left out past [`MAX_LISTED`].
    listed: usize,
    unlisted: u64,
    /// With `subject` or `--db`: where findings sit in the current document.
    places: Places,
    /// The OCR words of the next unit (`--ocr`), which lower its findings.
    ocr_words: Vec<crate::extract::ocr::Word>,
    /// Findings of table cells that their row judges once complete (see
    /// [`HeldCell`]).
    held_cells: Vec<HeldCell>,
    /// A sink of one block of the file ([`UnitSink::fork`]): its records
    /// are kept for the file's sink, which sends them in block order.
    forked: bool,
}

/// Cell findings held at most: a row never ended (an extractor that gives no
/// row) does not pile them up.
const MAX_HELD_CELLS: usize = 256;

/// A finding of a table cell kept until its row is complete, because the
/// row tells what the cell alone cannot: a Nom or Prénom cell's name (`Thi
/// Lan`, `BEN SALEM`) is part of the row's assembled name (`Thi Lan PHAM`),
/// and an address or phone in a supplier's row (a SIRET column, no Nom or
/// Prénom) is the company's, lowered as [`rows::assemble`] lowers the
/// address it assembles there.
struct HeldCell {
    pattern: usize,
    value: String,
    confidence: f32,
    key: Option<RecordKey>,
    strength: Option<Strength>,
    location: crate::model::location::Location,
    place: Option<Place>,
    /// Found in a Nom or Prénom cell.
    name_part: bool,
}

/// True when every word of `part` is a word of `whole`, case aside: a Nom
/// or Prénom cell's value inside the row's assembled name.
fn words_within(part: &str, whole: &str) -> bool {
    let whole: Vec<String> = whole.split_whitespace().map(str::to_lowercase).collect();
    part.split_whitespace()
        .all(|w| whole.contains(&w.to_lowercase()))
}

/// What is left of a file's sink once the file is read.
pub(super) struct Finished {
    /// Findings per kind of the file itself (members have their own).
    pub counts: BTreeMap<String, u64>,
    /// The masked-value buffer, handed back to the worker.
    pub masked: String,
    /// Error records left out past [`MAX_LISTED`].
    pub unlisted: u64,
    /// The first reason the file was not fully read.
    pub problem: Option<String>,
    pub result: FileResult,
}

impl<'s, 'a> FindingSink<'s, 'a> {
    /// The sink of the file shown as `path`, whose records go to `result`
    /// (batches to `tx`); [`FindingSink::read_path`] reads the path itself.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        path: &'s str,
        modified: Option<SystemTime>,
        crew: &'s mut Crew<'a>,
        detectors: &'a Detectors,
        cfg: &'a ScanConfig,
        findings: &'s mut Vec<Finding>,
        inc: Option<(&'a Incremental, &'s str)>,
        result: FileResult,
        masked: String,
        tx: &'s Sender<Msg>,
    ) -> Self {
        FindingSink {
            modified,
            crew,
            detectors,
            cfg,
            policy: Policy {
                min_confidence: cfg.min_confidence,
                allow: &detectors.allow,
            },
            findings,
            path,
            inc,
            entries: Vec::new(),
            entry: None,
            counts: BTreeMap::new(),
            result,
            overlap: Overlap::default(),
            tx,
            holder: Holder::default(),
            masked,
            problem: None,
            listed: 0,
            unlisted: 0,
            places: Places::default(),
            ocr_words: Vec::new(),
            held_cells: Vec::new(),
            forked: false,
        }
    }

    /// Names and identifiers in the folder and file names of the file
    /// below its scan root.
    pub fn read_path(&mut self) {
        let components = path_below_root(self.path, &self.cfg.roots);
        self.path_findings(&components);
    }

    /// Names and identifiers in the folder and file names of the file (or
    /// of a member's name), once each: located `{"path_component": N}`.
    fn path_findings(&mut self, components: &[&str]) {
        let found = crate::detect::path::find(self.crew.detector(), components);
        for (n, f) in found {
            let key = self
                .detectors
                .subject
                .is_some()
                .then(|| RecordKey::Document(self.entry.clone()));
            let location = crate::model::location::Location {
                path_component: u32::try_from(n).ok(),
                ..Default::default()
            };
            self.record(
                f.pattern,
                &f.value,
                f.confidence,
                key.as_ref(),
                None,
                (|| location, |_: &Self, _: &_| Place::Row),
            );
        }
    }

    /// The file is read: members left open by an extractor that stopped
    /// early are closed, a subject's last record ended.
    pub fn finish(mut self) -> Finished {
        self.release_cells(&[], false);
        self.flush_held();
        while let Some(top) = self.entries.last() {
            if top.outer_counts.is_none() {
                self.leave_part();
            } else {
                self.leave(&Err(Limit::Unfinished.into()));
            }
        }
        Finished {
            counts: self.counts,
            masked: self.masked,
            unlisted: self.unlisted,
            problem: self.problem,
            result: self.result,
        }
    }

    /// The file's modification time.
    pub fn modified(&self) -> Option<SystemTime> {
        self.modified
    }
}

/// The components of `path` below the scan root it was found under (the
/// file's name alone for a file given as a root).
fn path_below_root<'p>(path: &'p str, roots: &[std::path::PathBuf]) -> Vec<&'p str> {
    let root = roots
        .iter()
        .map(|r| super::worker::display(r))
        .filter(|r| path.starts_with(r.as_str()) && path.len() > r.len())
        .max_by_key(String::len);
    let rel = match root {
        Some(r) => &path[r.len()..],
        None => path.rsplit(['/', '\\']).next().unwrap_or(path),
    };
    rel.split(['/', '\\']).filter(|c| !c.is_empty()).collect()
}

/// A hash of a finding's kind and normalised value, to tell values apart.
fn value_hash(kind: &str, value: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    kind.hash(&mut h);
    value.hash(&mut h);
    h.finish()
}

/// Error records (and records of skipped members) of one file on disk, at
/// most: the rest are counted in one last record, so that a nested zip bomb
/// (42.zip) gives a hundred records, not 600,000.
pub const MAX_LISTED: usize = 100;

impl FindingSink<'_, '_> {
    /// Filters one finding (confidence, allow list) and records it; for
    /// `subject`, holds it with the others of its record until the record
    /// ends (`forced`: the strength of a direct mention of the subject).
    fn record(
        &mut self,
        pattern: usize,
        value: &str,
        confidence: f32,
        key: Option<&RecordKey>,
        forced: Option<Strength>,
        (locate, place): (
            impl FnOnce() -> crate::model::location::Location,
            impl FnOnce(&Self, &crate::model::location::Location) -> Place,
        ),
    ) {
        let p = &self.detectors.engine.patterns()[pattern];
        match self.policy.judge(&p.kind, value, confidence) {
            Verdict::Report => {}
            Verdict::Below => return,
            Verdict::Allowed => {
                self.result.suppressed += 1;
                return;
            }
        }
        // The view borrows these two while `self` records it.
        let mut masked = std::mem::take(&mut self.masked);
        let entry = self.entry.take();
        masked.clear();
        mask_styled(p.mask, value, &mut masked);
        let mut location = locate();
        if location.path_component.is_none() {
            location.json_path = self.places.record_path().map(str::to_string);
        }
        let place = self.tracks_places().then(|| place(self, &location));
        let view = FindingView {
            path: self.path,
            entry: entry.as_deref(),
            kind: &p.kind,
            value: self.cfg.reveal.then_some(value),
            masked: &masked,
            location: &location,
            confidence,
            pattern: &p.def.id,
            matched: None,
        };
        let (Some(subject), Some(key)) = (&self.detectors.subject, key) else {
            // A plain scan: the record is encoded from these borrowed fields.
            self.store(&view, value, place.as_ref());
            self.count(view.kind);
            self.result.records.push_finding(&view);
            (self.masked, self.entry) = (masked, entry);
            return self.send_full_batch();
        };
        let rec = view.to_record();
        (self.masked, self.entry) = (masked, entry);
        let strength = forced.or_else(|| subject.matches(&p.kind, value));
        let member = Member {
            place: place.unwrap_or(Place::Row),
            kind: p.kind.clone(),
            strength,
            value: value_hash(&p.kind, value),
            full_name: p.kind == "name" && value.split_whitespace().nth(1).is_some(),
        };
        for done in self.holder.hold(subject, key, rec, member) {
            self.emit(done);
        }
    }

    /// Whether findings need their place (paragraph, object, row): for a
    /// subject's records, and for the inventory, which answers `subject --db`.
    fn tracks_places(&self) -> bool {
        self.detectors.subject.is_some() || self.inc.is_some()
    }

    /// Records a value assembled from a row's cells (a name from Nom and
    /// Prénom), located at the cell at `origin`.
    fn record_assembled(&mut self, pid: usize, value: &str, conf: f32, origin: Origin<'_>) {
        let key = self.record_key(&origin);
        self.record(
            pid,
            value,
            conf,
            key.as_ref(),
            None,
            (
                || Locator::new("", origin).locate(0),
                |s: &Self, _: &_| s.places.row(),
            ),
        );
    }

    /// Ends the current document or row (`subject`): its matches are
    /// printed, and the findings of their records as `record`.
    fn flush_held(&mut self) {
        let Some(subject) = &self.detectors.subject else {
            return;
        };
        for done in self.holder.flush(subject) {
            self.emit(done);
        }
    }

    /// Records the held cell findings of the row that ended: a name-part
    /// finding inside one of `names` (the row's assembled names) is dropped,
    /// an address or phone of a supplier's row (`company`) lowered.
    fn release_cells(&mut self, names: &[&str], company: bool) {
        for h in std::mem::take(&mut self.held_cells) {
            if h.name_part && names.iter().any(|n| words_within(&h.value, n)) {
                continue;
            }
            let confidence = if company && !h.name_part {
                h.confidence.min(rows::COMPANY_ADDRESS_CONFIDENCE)
            } else {
                h.confidence
            };
            let (location, place) = (h.location, h.place);
            self.record(
                h.pattern,
                &h.value,
                confidence,
                h.key.as_ref(),
                h.strength,
                (
                    move || location,
                    move |_: &Self, _: &_| place.unwrap_or(Place::Row),
                ),
            );
        }
    }

    /// The subject's surname written directly in the unit (`subject` only):
    /// as name findings, unless a name finding already covers it.
    fn subject_mentions(&self, located: &Located<'_>) -> Vec<(Finding, Strength)> {
        let (Some(subject), Some((pid, _))) =
            (&self.detectors.subject, self.detectors.engine.names())
        else {
            return Vec::new();
        };
        // A Nom or Prénom cell: the row gives the whole name.
        if located.unit.column_kind == Some(roles::NAME_PART_KIND) {
            return Vec::new();
        }
        mention_findings(
            subject,
            pid,
            located.unit.text,
            located.unit.report.clone(),
            self.findings,
        )
    }

    /// With `--db`: keeps the finding for the inventory, fingerprinted.
    fn store(&mut self, rec: &FindingView<'_>, value: &str, place: Option<&Place>) {
        let Some((inc, _)) = self.inc else {
            return;
        };
        let (fingerprint, fingerprint_part) = inc.fingerprints(rec.kind, value);
        self.result.stored_findings.push(StoredFinding {
            entry: rec.entry.map(str::to_string),
            kind: rec.kind.to_string(),
            location: rec.location.clone(),
            masked: rec.masked.to_string(),
            confidence: rec.confidence,
            pattern: rec.pattern.to_string(),
            fingerprint,
            fingerprint_part,
            place: place.map(Place::encode),
        });
    }

    /// Counts one finding of `kind`.
    fn count(&mut self, kind: &str) {
        // A map key is allocated once per kind, not once per finding.
        match self.counts.get_mut(kind) {
            Some(n) => *n += 1,
            None => {
                self.counts.insert(kind.to_string(), 1);
            }
        }
    }

    /// Counts and queues one finding record for printing.
    fn emit(&mut self, rec: FindingRecord) {
        self.count(&rec.kind);
        self.result.records.push(Record::Finding(rec));
        self.send_full_batch();
    }

    /// Hands a full batch of records to the writer.
    fn send_full_batch(&mut self) {
        if self.result.records.len() >= BATCH && !self.forked {
            let batch = self.result.records.take();
            let stored = self.inc.map(|(_, abs)| {
                (
                    abs.to_string(),
                    std::mem::take(&mut self.result.stored_findings),
                )
            });
            // A closed channel means the writer stopped; the walk ends soon.
            let _ = self.tx.send(Msg::Records(batch, stored));
        }
    }

    /// The record of a finding at `origin`, for a subject search only.
    fn record_key(&self, origin: &Origin<'_>) -> Option<RecordKey> {
        self.detectors
            .subject
            .is_some()
            .then(|| RecordKey::of(self.entry.as_deref(), origin))
    }

    fn push_entry(&mut self, name: &str, outer_counts: Option<BTreeMap<String, u64>>) {
        // A part's problems are its document's.
        let outer_problem = if outer_counts.is_some() {
            self.problem.take()
        } else {
            None
        };
        self.entries.push(OpenEntry {
            name: name.to_string(),
            outer_counts,
            outer_problem,
        });
        self.set_entry();
    }

    /// The records' `entry`: the open members and parts joined with `/`.
    fn set_entry(&mut self) {
        self.entry = (!self.entries.is_empty()).then(|| {
            self.entries
                .iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>()
                .join("/")
        });
        self.overlap.reset();
        self.places.reset();
    }

    /// Whether one more error or skipped record fits under [`MAX_LISTED`]
    /// (else it is counted for the last record).
    fn room(&mut self) -> bool {
        if self.listed < MAX_LISTED {
            self.listed += 1;
            true
        } else {
            self.unlisted += 1;
            false
        }
    }

    fn error(&mut self, message: String) {
        self.result.not_covered += 1;
        if !self.room() {
            self.problem.get_or_insert(message);
            return;
        }
        self.result
            .problems
            .push((self.entry.clone(), message.clone()));
        let rec = error_record(self.path, self.entry.clone(), message.clone());
        self.result.records.push(rec);
        self.result.errors += 1;
        self.problem.get_or_insert(message);
    }

    /// Lists the current member as not read (binary, an unsupported
    /// archive), with a `file` record.
    fn skipped_member(&mut self, format: &str, reason: &str) {
        self.result.not_covered += 1;
        if !self.room() {
            return;
        }
        self.result
            .problems
            .push((self.entry.clone(), reason.to_string()));
        let file = FileRecord::skipped(self.path, self.entry.clone(), format, reason);
        self.result.records.push_file(&file);
        self.result.files.push(file);
    }
}

/// The sink of one block of a file ([`UnitSink::fork`]).
struct Forked<'s, 'a> {
    sink: FindingSink<'s, 'a>,
    _cores: Option<Busy<'a>>,
}

/// What a [`Forked`] sink found: its records in order, its counts and
/// problems.
struct ForkDone {
    records: Outbox,
    counts: BTreeMap<String, u64>,
    suppressed: u64,
    errors: u64,
    not_covered: u64,
    problems: Vec<(Option<String>, String)>,
    problem: Option<String>,
    listed: usize,
    unlisted: u64,
}

impl Fork for Forked<'_, '_> {
    fn done(mut self: Box<Self>) -> Box<dyn Any + Send> {
        self.sink.release_cells(&[], false);
        let sink = self.sink;
        Box::new(ForkDone {
            records: sink.result.records,
            counts: sink.counts,
            suppressed: sink.result.suppressed,
            errors: sink.result.errors,
            not_covered: sink.result.not_covered,
            problems: sink.result.problems,
            problem: sink.problem,
            listed: sink.listed,
            unlisted: sink.unlisted,
        })
    }
}

/// The calls of a block's reader go to the block's sink (a block holds
/// no member, part or OCR page, and is not forked again).
impl UnitSink for Forked<'_, '_> {
    fn unit(&mut self, located: &Located<'_>) {
        self.sink.unit(located);
    }
    fn row(&mut self, cells: &[RowCell<'_>]) {
        self.sink.row(cells);
    }
    fn may_find(&mut self, text: &[u8], ends: &mut Vec<usize>) -> Screen {
        self.sink.may_find(text, ends)
    }
    fn not_covered(&mut self, reason: &str) {
        self.sink.not_covered(reason);
    }
    fn begin_object(&mut self) {
        self.sink.begin_object();
    }
    fn end_object(&mut self) {
        self.sink.end_object();
    }
    fn record_path(&mut self, path: Option<&str>) {
        self.sink.record_path(path);
    }
}

impl UnitSink for FindingSink<'_, '_> {
    fn unit(&mut self, located: &Located<'_>) {
        if self.tracks_places() {
            self.places.note(located);
        }
        let ocr = std::mem::take(&mut self.ocr_words);
        self.findings.clear();
        self.crew.detect(&located.unit, self.findings);
        let mentions = self.subject_mentions(located);
        if self.findings.is_empty() && mentions.is_empty() {
            return;
        }
        let mut locator = Locator::new(located.unit.text, located.origin);
        let base = match located.origin {
            Origin::Text { offset, .. } => Some(offset),
            _ => None,
        };
        // Only a subject search groups findings into records or has mentions:
        // a plain scan allocates nothing more per unit.
        let key = self.record_key(&located.origin);
        let mut findings = std::mem::take(self.findings);
        let forced: Vec<(usize, usize, Strength)> =
            mentions.iter().map(|(f, s)| (f.start, f.end, *s)).collect();
        if !mentions.is_empty() {
            findings.extend(mentions.into_iter().map(|(f, _)| f));
            findings.sort_by_key(|f| f.start);
        }
        for f in &findings {
            if base.is_some_and(|base| !self.overlap.first_time(base, f.start, f.end)) {
                continue;
            }
            let strength = forced
                .iter()
                .find(|(s, e, _)| *s == f.start && *e == f.end)
                .map(|(_, _, st)| *st);
            let kind = self.detectors.engine.patterns()[f.pattern].kind.as_str();
            let name_part =
                kind == "name" && located.unit.column_kind == Some(roles::NAME_PART_KIND);
            // A typed cell of a sheet or CSV row: its row follows.
            let in_row = located.unit.column_kind.is_some()
                && matches!(located.origin, Origin::Cell { .. } | Origin::Field { .. });
            if name_part || (in_row && matches!(kind, "address" | "phone")) {
                if self.held_cells.len() >= MAX_HELD_CELLS {
                    self.release_cells(&[], false);
                }
                let location = locator.locate(f.start);
                let place = self
                    .tracks_places()
                    .then(|| self.places.of(located, f.start, &location));
                self.held_cells.push(HeldCell {
                    pattern: f.pattern,
                    value: f.value.clone(),
                    confidence: f.confidence,
                    key: key.clone(),
                    strength,
                    location,
                    place,
                    name_part,
                });
                continue;
            }
            self.record(
                f.pattern,
                &f.value,
                f.confidence * crate::extract::ocr::lowered(&ocr, f.start, f.end),
                key.as_ref(),
                strength,
                (
                    || locator.locate(f.start),
                    |s: &Self, loc: &_| s.places.of(located, f.start, loc),
                ),
            );
        }
        *self.findings = findings;
    }

    fn may_find(&mut self, text: &[u8], ends: &mut Vec<usize>) -> Screen {
        // A subject's search and the inventory note every cell's place
        // (its record), and a subject's mentions are no regex's.
        if self.tracks_places() {
            return Screen::Off;
        }
        self.crew.detector().prescreen(text, ends)
    }

    fn fork(&mut self, helpers: usize) -> Vec<Box<dyn Fork + '_>> {
        // A subject's records and the inventory's places follow the units
        // in order; OCR words belong to the next unit.
        if self.tracks_places() || !self.ocr_words.is_empty() || !self.crew.may_fork() {
            return Vec::new();
        }
        self.release_cells(&[], false);
        let (modified, detectors, cfg, path, tx) =
            (self.modified, self.detectors, self.cfg, self.path, self.tx);
        let (entry, records) = (self.entry.clone(), self.result.records.empty_like());
        let Some((busy, crews)) = self.crew.forks(helpers) else {
            return Vec::new();
        };
        let mut busy = Some(busy);
        crews
            .iter_mut()
            .map(|(crew, findings)| {
                let result = FileResult {
                    records: records.empty_like(),
                    ..FileResult::default()
                };
                let mut sink = FindingSink::new(
                    path,
                    modified,
                    crew,
                    detectors,
                    cfg,
                    findings,
                    None,
                    result,
                    String::new(),
                    tx,
                );
                sink.entry.clone_from(&entry);
                sink.forked = true;
                // The first block's sink holds the cores taken, until all
                // are done.
                Box::new(Forked {
                    sink,
                    _cores: busy.take(),
                }) as Box<dyn Fork + '_>
            })
            .collect()
    }

    fn join(&mut self, done: Vec<Box<dyn Any + Send>>) {
        for d in done {
            let Ok(mut d) = d.downcast::<ForkDone>() else {
                continue;
            };
            self.result.records.append(&mut d.records);
            self.result.suppressed += d.suppressed;
            self.result.errors += d.errors;
            self.result.not_covered += d.not_covered;
            self.result.problems.append(&mut d.problems);
            if let Some(p) = d.problem {
                self.problem.get_or_insert(p);
            }
            self.listed += d.listed;
            self.unlisted += d.unlisted;
            for (kind, n) in d.counts {
                *self.counts.entry(kind).or_default() += n;
            }
            self.send_full_batch();
        }
    }

    fn row(&mut self, cells: &[RowCell<'_>]) {
        let detectors = self.detectors;
        let assembled = rows::assemble(&detectors.engine, cells);
        let patterns = detectors.engine.patterns();
        let names: Vec<&str> = assembled
            .iter()
            .filter(|a| patterns[a.pattern].kind == "name")
            .map(|a| a.value.as_str())
            .collect();
        self.release_cells(&names, rows::company_table(cells));
        for a in assembled {
            self.record_assembled(a.pattern, &a.value, a.confidence, cells[a.at].origin);
        }
    }

    fn enter(&mut self, name: &str) {
        self.release_cells(&[], false);
        self.flush_held();
        let outer = std::mem::take(&mut self.counts);
        self.push_entry(name, Some(outer));
        let components: Vec<&str> = name.split(['/', '\\']).filter(|c| !c.is_empty()).collect();
        self.path_findings(&components);
    }

    fn enter_part(&mut self, name: &str) {
        self.push_entry(name, None);
    }

    fn leave_part(&mut self) {
        if self
            .entries
            .last()
            .is_some_and(|e| e.outer_counts.is_none())
        {
            self.entries.pop();
            self.set_entry();
        }
    }

    fn leave(&mut self, result: &Result<(Format, u64), ExtractError>) {
        self.release_cells(&[], false);
        self.flush_held();
        let counts = std::mem::take(&mut self.counts);
        let (format, bytes) = match result {
            Ok((Format::Binary, _)) => {
                self.skipped_member("binary", "binary");
                (None, 0)
            }
            Err(e) if e.as_skipped().is_some() => {
                let (format, reason) = e.as_skipped().unwrap_or_default();
                self.skipped_member(format, reason);
                (None, 0)
            }
            Ok((f, b)) => (Some(f.name()), *b),
            Err(e) => {
                self.error(e.to_string());
                (None, 0)
            }
        };
        if let Some(f) = format {
            self.result.formats.push(f);
        }
        let problem = self.problem.take();
        // A member partly read is listed even without findings.
        if !counts.is_empty() || (problem.is_some() && format.is_some() && self.room()) {
            let file = FileRecord {
                path: self.path.to_string(),
                entry: self.entry.clone(),
                format: format.unwrap_or("unknown").to_string(),
                bytes,
                findings: counts,
                modified: iso_day(self.modified),
                status: problem.is_some().then_some(FileStatus::Partial),
                reason: problem,
            };
            self.result.records.push_file(&file);
            self.result.files.push(file);
        }
        if let Some(e) = self.entries.pop() {
            if let Some(outer) = e.outer_counts {
                self.counts = outer;
                self.problem = e.outer_problem;
            }
        }
        self.set_entry();
    }

    fn not_covered(&mut self, reason: &str) {
        self.error(reason.to_string());
    }

    fn recognised(&mut self, words: &crate::extract::ocr::Recognised) {
        crate::extract::ocr::count_page();
        self.ocr_words.clear();
        self.ocr_words.extend_from_slice(words);
    }

    fn ocr_pages(&mut self, pages: u32) {
        crate::extract::ocr::count_seen(pages);
    }

    fn begin_object(&mut self) {
        if self.tracks_places() {
            self.places.begin_object();
        }
    }

    fn end_object(&mut self) {
        if self.tracks_places() {
            self.places.end_object();
        }
    }

    fn record_path(&mut self, path: Option<&str>) {
        self.places.set_record_path(path);
    }
}
