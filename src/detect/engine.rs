//! The compiled detectors and the one-pass search over a text unit.
//!
//! All patterns go into one multi-pattern lazy-DFA regex. With the built-in
//! patterns it runs anchored at the few places where a match may start (see
//! [`super::prefilter`]); otherwise it searches the text for the next candidate
//! start in a single pass. At each candidate start, a second regex
//! (all-matches semantics, anchored) tells which patterns match there; each
//! of those is normalised, validated and weighed by context, and the best
//! one is kept. Per-thread state lives in [`Detector`]; the [`Engine`] is
//! shared read-only.

use super::address::{beside_column, AddressDetector};
use super::barren::{Barren, Probe};
use super::compiled::{anchored_meta_config, compile, meta_config, syntax_config};
pub use super::compiled::{CompiledPattern, STRUCTURAL};
use super::logline::{each_part, Quiet};
use super::names::NameDetector;
use super::pattern::LoadedFile;
use super::prefilter::{next_start, Walk};
use super::quote::unmark;
use super::validate::{digits_continue_after, digits_continue_before, Candidate};
use super::words::TextMatch;
use crate::model::{Unit, LONGEST_VALUE};
use regex_automata::meta::{self, Regex};
use regex_automata::{hybrid, Anchored, Input, Match, MatchKind, PatternSet};
use std::ops::Range;

/// Errors building the detectors.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{file}: pattern '{id}': {message}")]
    Pattern {
        file: String,
        id: String,
        message: String,
    },
    #[error("no detector left to run (check --kinds)")]
    Empty,
    #[error("cannot compile the patterns together: {0}")]
    Combined(String),
}

/// One finding inside a unit's text (byte offsets into that text).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Index into [`Engine::patterns`].
    pub pattern: usize,
    pub start: usize,
    pub end: usize,
    /// The normalised value (a record's `value`), never printed without `--reveal`.
    pub value: String,
    pub confidence: f32,
}

impl Finding {
    /// A finding of a structural detector (names, addresses).
    fn structural(pattern: usize, m: TextMatch) -> Self {
        Finding {
            pattern,
            start: m.start,
            end: m.end,
            value: m.value,
            confidence: m.confidence,
        }
    }
}

/// The column kind (`patterns/columns.toml`) of values that are never
/// personal data (software versions, firmware builds, OIDs): not searched.
pub const NOT_PERSONAL: &str = "none";

/// The column kind an extractor gives text that no reader of the document
/// sees (an HTML comment): searched, its findings kept at
/// [`HIDDEN_WEIGHT`] times their confidence.
pub const HIDDEN: &str = "hidden";

/// See [`HIDDEN`].
pub const HIDDEN_WEIGHT: f32 = 0.7;

/// The compiled set of detectors.
#[derive(Debug)]
pub struct Engine {
    /// Regex patterns first (their index is their id in `first` and `all`),
    /// then structural ones.
    patterns: Vec<CompiledPattern>,
    /// Leftmost-first search for the next candidate start.
    first: Option<Regex>,
    /// The same patterns as `first`, as a forward lazy DFA alone: at a
    /// prefilter's candidate the start is known, and the DFA answers without
    /// the meta regex's layers (a dense CSV has a candidate every few bytes).
    anchored: Option<hybrid::dfa::DFA>,
    /// All-matches semantics, anchored, to learn every pattern matching at a start.
    all: Option<Regex>,
    names: Option<(usize, NameDetector)>,
    addresses: Option<(usize, AddressDetector)>,
    /// Every regex in force is [`super::prefilter::eligible`]: the text between
    /// possible match starts is skipped without running the regex.
    prefilter: bool,
    /// (kind, normalised value) accepted though their validator refuses
    /// them: a subject's own identifiers, searched as given.
    given: Vec<(String, String)>,
    /// No pattern runs only for others' sake: nothing to drop after a unit.
    all_wanted: bool,
    /// Patterns reporting what an identity document's zone says besides
    /// its number (`detector = "mrz"`: its name, its birth date).
    zone: Vec<usize>,
    /// What a short unit must hold for any regex to match in it.
    screen: super::screen::Screen,
    /// No regex can match across a table's cell or line breaks (see
    /// [`Detector::prescreen`]).
    within_cells: bool,
    /// No regex can match across a line break: a long text's slices
    /// between lines are searched at once (see [`streams`]).
    within_lines: bool,
    /// `anchored` in reverse, all matches: a match's start from its end
    /// in a search of slices at once. Built when first needed.
    reverse: std::sync::OnceLock<Option<hybrid::dfa::DFA>>,
}

/// Longest unit screened before the regexes search it (see
/// [`super::screen`]): table cells and short lines, where the search's cost
/// per unit outweighs its cost per byte.
const SCREENED: usize = super::screen::Screen::MAX_LEN;

mod cells;
mod streams;
mod zone;

/// Whether `unit` may have lines the name and address detectors read
/// unmarked: a cell without a marker byte has none, told at once.
fn has_marks(unit: &Unit<'_>) -> bool {
    let len = unit.text.len();
    len > SCREENED
        || unit.text.as_bytes()[unit.report.start.min(len)..unit.report.end.min(len)]
            .iter()
            .any(|c| matches!(c, b'>' | b'|' | b';'))
}

impl Engine {
    /// Whether every regex in force is served by the prefilter (the fast
    /// path; see [`super::prefilter`]).
    pub fn prefiltered(&self) -> bool {
        self.prefilter
    }

    /// Compiles the patterns of `files`, in order; a later pattern with the
    /// same id replaces an earlier one (so `--patterns DIR` can retune a
    /// built-in). `kinds`, when given, keeps only those kinds.
    pub fn new(files: &[LoadedFile], kinds: Option<&[String]>) -> Result<Self, EngineError> {
        let mut patterns: Vec<CompiledPattern> = Vec::new();
        let mut words = std::collections::HashMap::new();
        let asked = |kind: &str| kinds.is_none_or(|k| k.iter().any(|k| k == kind));
        // Names inside an address are street names: the address detector
        // runs whenever names do.
        let names_asked = files.iter().any(|f| {
            asked(&f.file.kind)
                && f.file
                    .patterns
                    .iter()
                    .any(|d| d.detector.as_deref() == Some("name"))
        });
        for f in files {
            let wanted = asked(&f.file.kind);
            for def in &f.file.patterns {
                let guard = def.detector.is_none()
                    || (names_asked && def.detector.as_deref() == Some("address"));
                if !wanted && !guard {
                    continue;
                }
                let mut cp = compile(&f.source, &f.file.kind, def)?;
                cp.wanted = wanted;
                if let Some(d) = &def.detector {
                    words.insert(d.clone(), f.file.words.clone());
                }
                match patterns.iter_mut().find(|p| p.def.id == def.id) {
                    Some(slot) => *slot = cp,
                    None => patterns.push(cp),
                }
            }
        }
        if !patterns.iter().any(|p| p.wanted) {
            return Err(EngineError::Empty);
        }
        // A kind is masked as its last file says (a `--patterns` file that
        // redefines a kind overrides the built-in one, as in the registry of
        // kinds), known here without parsing the files' headers again.
        for p in &mut patterns {
            if let Some(f) = files.iter().rev().find(|f| f.file.kind == p.kind) {
                p.mask = f.file.mask;
            }
        }
        // Regex patterns first: their index is their id in the combined regex.
        patterns.sort_by_key(|p| p.regex.is_none());
        let sources = regex_sources(&patterns);
        let build = |config: meta::Config| -> Result<Option<Regex>, EngineError> {
            if sources.is_empty() {
                return Ok(None);
            }
            Regex::builder()
                .syntax(syntax_config())
                .configure(config)
                .build_many(&sources)
                .map(Some)
                .map_err(|e| EngineError::Combined(e.to_string()))
        };
        let structural = |name: &str| {
            patterns
                .iter()
                .position(|p| p.def.detector.as_deref() == Some(name))
                .map(|i| (i, words.get(name).cloned().unwrap_or_default()))
        };
        let names = structural("name").map(|(i, w)| (i, NameDetector::new(&w)));
        let addresses = structural("address").map(|(i, w)| (i, AddressDetector::new(&w)));
        let prefilter = patterns
            .iter()
            .filter(|p| p.regex.is_some())
            .all(|p| super::prefilter::eligible(&p.def.regex));
        let all_wanted = patterns.iter().all(|p| p.wanted);
        let zone = (0..patterns.len())
            .filter(|&i| patterns[i].def.detector.as_deref() == Some("mrz"))
            .collect();
        Ok(Engine {
            all_wanted,
            zone,
            screen: super::screen::Screen::new(sources.iter().copied()),
            within_cells: sources
                .iter()
                .all(|r| super::prefilter::within_cells(r, cells::BREAKS)),
            within_lines: sources
                .iter()
                .all(|r| super::prefilter::within_cells(r, b"\n")),
            reverse: std::sync::OnceLock::new(),
            given: Vec::new(),
            prefilter,
            first: build(meta_config(MatchKind::LeftmostFirst))?,
            anchored: if prefilter && !sources.is_empty() {
                // Without it the meta regex serves: slower, never different.
                hybrid::dfa::DFA::builder()
                    .syntax(syntax_config())
                    .configure(
                        hybrid::dfa::Config::new()
                            .match_kind(MatchKind::LeftmostFirst)
                            .cache_capacity(8 << 20),
                    )
                    .build_many(&sources)
                    .ok()
            } else {
                None
            },
            // Searched at a match's start only (see `best_at`).
            all: build(anchored_meta_config(MatchKind::All))?,
            patterns,
            names,
            addresses,
        })
    }

    /// The reverse automaton of `anchored` (the `reverse` field), built on
    /// first use.
    fn reverse(&self) -> Option<&hybrid::dfa::DFA> {
        self.reverse
            .get_or_init(|| {
                self.anchored.as_ref()?;
                let sources = regex_sources(&self.patterns);
                // As a reverse lazy DFA finds a leftmost-first match's start
                // from its end (see `hybrid::regex::Builder`).
                hybrid::dfa::DFA::builder()
                    .syntax(syntax_config())
                    .thompson(regex_automata::nfa::thompson::Config::new().reverse(true))
                    .configure(
                        hybrid::dfa::Config::new()
                            .prefilter(None)
                            .specialize_start_states(false)
                            .match_kind(MatchKind::All)
                            .cache_capacity(8 << 20),
                    )
                    .build_many(&sources)
                    .ok()
            })
            .as_ref()
    }

    /// Accepts `value` (normalised) as a finding of `kind` even where its
    /// validator refuses it: a requester's phone in an unallocated range is
    /// theirs all the same.
    /// True when `value` of `kind` is one of the subject's, searched as given.
    fn is_given(&self, kind: &str, value: &str) -> bool {
        self.given
            .iter()
            .any(|(k, g)| k == kind && g.eq_ignore_ascii_case(value))
    }

    pub fn accept_given(&mut self, kind: &str, value: &str) {
        self.given.push((kind.to_string(), value.to_string()));
    }

    /// The name detector and its pattern index, when names are detected.
    pub fn names(&self) -> Option<(usize, &NameDetector)> {
        self.names
            .as_ref()
            .filter(|(i, _)| self.patterns[*i].wanted)
            .map(|(i, d)| (*i, d))
    }

    /// The address detector and its pattern index, when addresses are detected.
    pub fn addresses(&self) -> Option<(usize, &AddressDetector)> {
        self.addresses
            .as_ref()
            .filter(|(i, _)| self.patterns[*i].wanted)
            .map(|(i, d)| (*i, d))
    }

    /// The patterns compiled: those asked for and those run for their sake
    /// (see [`CompiledPattern::wanted`]).
    pub fn patterns(&self) -> &[CompiledPattern] {
        &self.patterns
    }

    /// The distinct kinds of the patterns in force, in pattern order.
    pub fn kinds(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        for p in self.patterns.iter().filter(|p| p.wanted) {
            if !v.contains(&p.kind.as_str()) {
                v.push(&p.kind);
            }
        }
        v
    }

    /// Per-thread search state.
    pub fn detector(&self) -> Detector<'_> {
        Detector {
            engine: self,
            first_cache: self.first.as_ref().map(|r| Box::new(r.create_cache())),
            anchored_cache: self.anchored.as_ref().map(|d| Box::new(d.create_cache())),
            reverse_cache: None,
            all_cache: self.all.as_ref().map(Regex::create_cache),
            caches: self
                .patterns
                .iter()
                .filter_map(|p| p.regex.as_ref().map(Regex::create_cache))
                .collect(),
            set: PatternSet::new(self.patterns.len()),
            quiet: Vec::new(),
            barren: Barren::default(),
        }
    }
}

/// Per-thread search state over a shared [`Engine`].
pub struct Detector<'e> {
    engine: &'e Engine,
    /// Boxed: the search takes it out of `self` for every unit, and a
    /// cache is hundreds of bytes to move.
    first_cache: Option<Box<meta::Cache>>,
    anchored_cache: Option<Box<hybrid::dfa::Cache>>,
    /// Made when an unanchored search first needs a match's start.
    reverse_cache: Option<Box<hybrid::dfa::Cache>>,
    all_cache: Option<meta::Cache>,
    caches: Vec<meta::Cache>,
    set: PatternSet,
    /// Reused buffer of the unit's quiet spans.
    quiet: Vec<Quiet>,
    barren: Barren,
}

impl<'e> Detector<'e> {
    /// The engine this detector runs.
    pub fn engine(&self) -> &'e Engine {
        self.engine
    }

    /// Appends to `out` the findings of `unit`, in text order, without overlaps.
    pub fn detect(&mut self, unit: &Unit<'_>, out: &mut Vec<Finding>) {
        self.detect_in(unit, None, out);
    }

    /// [`Detector::detect`] for a piece of a larger unit whose text,
    /// unmarked once for all its pieces ([`Detector::unmarked`]), is given.
    pub fn detect_piece(
        &mut self,
        unit: &Unit<'_>,
        unmarked: Option<&str>,
        out: &mut Vec<Finding>,
    ) {
        self.detect_in(unit, Some(unmarked), out);
    }

    /// `text` as the name and address detectors read it (see
    /// [`unmark`]), when they run and some line of it has marks; made by
    /// two threads when `halves`.
    pub fn unmarked(&self, text: &str, halves: bool) -> Option<String> {
        let structures = self.engine.names.is_some() || self.engine.addresses.is_some();
        structures.then(|| unmark(text, halves)).flatten()
    }

    fn detect_in(
        &mut self,
        unit: &Unit<'_>,
        unmarked: Option<Option<&str>>,
        out: &mut Vec<Finding>,
    ) {
        if unit.column_kind == Some(NOT_PERSONAL) {
            return;
        }
        // A short unit no regex can match in (most cells of a numeric
        // export) is left at once when no structural detector runs.
        let regexes = !unit.regex_free
            && (unit.text.len() > SCREENED
                || self
                    .engine
                    .screen
                    .may_match(&unit.text.as_bytes()[unit.report.start.min(unit.text.len())..]));
        let structures = (self.engine.names.is_some() || self.engine.addresses.is_some())
            && crate::model::has_letters(unit.text);
        if !regexes && !structures {
            return;
        }
        let probe = if Barren::fits(unit) {
            match self.barren.probe(unit) {
                Probe::Known => return,
                p => p,
            }
        } else {
            Probe::Unkept
        };
        let from = out.len();
        self.search(unit, unmarked, out, regexes, structures);
        if out.len() == from {
            self.barren.remember(unit, probe);
        }
    }

    /// [`Detector::detect`], without the memory of barren units: the regexes
    /// and the structural detectors where told.
    /// `unmarked`: the unit's text as [`Detector::unmarked`] gives it, when
    /// known (else told here, once, if a part has marks).
    fn search(
        &mut self,
        unit: &Unit<'_>,
        unmarked: Option<Option<&str>>,
        out: &mut Vec<Finding>,
        regexes: bool,
        structures: bool,
    ) {
        let from = out.len();
        // Fields known to hold no personal data (an access-log line's
        // timestamp, its protocol, status and size, its user agent) are left
        // out: the regexes search the parts between them; the name and
        // address detectors leave access-log lines out whole (URL-encoded
        // paths and queries hold no name or address they can read).
        let mut quiet = std::mem::take(&mut self.quiet);
        quiet.clear();
        super::logline::quiet_spans(unit.text.as_bytes(), unit.report.clone(), &mut quiet);
        let mut prev_end = 0;
        if regexes {
            each_part(
                unit,
                &quiet,
                |q| !q.line,
                |part| self.detect_patterns(&part, out, &mut prev_end),
            );
            if !self.engine.zone.is_empty() {
                self.zone_fields(unit.text, out, from);
            }
        }
        let regex_end = out.len();
        if structures {
            // A text's marks are told once, whatever the number of its parts
            // (the lines between a log's access lines).
            let mut told: Option<Option<String>> = None;
            each_part(
                unit,
                &quiet,
                |q| q.line,
                |part| {
                    let unmarked = match unmarked {
                        _ if !has_marks(&part) => None,
                        Some(known) => known,
                        None => told
                            .get_or_insert_with(|| unmark(unit.text, false))
                            .as_deref(),
                    };
                    self.detect_structures(&part, unmarked, out, from..regex_end)
                },
            );
        }
        self.quiet = quiet;
        if out.len() > regex_end {
            out[from..].sort_by_key(|f| f.start);
        }
        if !self.engine.all_wanted {
            let patterns = &self.engine.patterns;
            let mut i = 0;
            out.retain(|f| {
                i += 1;
                i <= from || patterns[f.pattern].wanted
            });
        }
        if unit.column_kind == Some(HIDDEN) {
            for f in &mut out[from..] {
                f.confidence *= HIDDEN_WEIGHT;
            }
        }
    }

    /// Names and addresses, where no regex finding already is. `unmarked`:
    /// the text of `unit`, or a longer one, with its marks unmarked.
    fn detect_structures(
        &mut self,
        unit: &Unit<'_>,
        unmarked: Option<&str>,
        out: &mut Vec<Finding>,
        mut taken: Range<usize>,
    ) {
        let free = |out: &[Finding], taken: &Range<usize>, s: usize, e: usize| {
            !out[taken.clone()].iter().any(|f| f.start < e && s < f.end)
        };
        let report = unit.report.clone();
        // A letter quoted in a reply (`> 112 avenue de la Liberté`) is read
        // without its quote markers, blanked in place, a row pasted in text
        // with its `;` as tabs: offsets and columns stay those of the text.
        let text = unmarked.map_or(unit.text, |u| &u[..unit.text.len()]);
        if let Some((pid, names)) = self.engine.names.as_ref().map(|(i, d)| (*i, d)) {
            let mut found = Vec::new();
            names.find(text, report.clone(), unit.column_kind, &mut found);
            for m in found {
                if free(out, &taken, m.start, m.end) {
                    out.push(Finding::structural(pid, m));
                }
            }
        }
        if let Some((pid, addresses)) = self.engine.addresses.as_ref().map(|(i, d)| (*i, d)) {
            let mut found = Vec::new();
            addresses.find(text, report, &mut found);
            let name_pid = self.engine.names.as_ref().map(|(i, _)| *i);
            for m in found {
                // A regex value that ends in the street's number (`Tél : 04 78
                // 12 34 14 avenue …`: a short number and the street's) took
                // the number from the street: the address wins.
                let number_end = m.start + m.value.find(' ').unwrap_or(0);
                let before = out.len();
                let mut i = 0;
                out.retain(|f| {
                    i += 1;
                    let in_number = f.start < m.start && f.end > m.start && f.end <= number_end;
                    !(taken.contains(&(i - 1)) && in_number)
                });
                taken.end -= before - out.len();
                // Its postal code is in the report range; its street may start
                // before. A name inside an address is part of a street name;
                // a value in the column beside it (a letterhead's phone
                // left of the tenant's postcode) is not in it.
                let clear = !out[taken.clone()].iter().any(|f| {
                    f.start < m.end
                        && m.start < f.end
                        && !beside_column(text, m.start, f.start..f.end)
                });
                if clear {
                    // Two columns' addresses interleave (a tenant's block
                    // beside the letterhead): the more certain one is kept.
                    let crossed =
                        |f: &Finding| f.pattern == pid && f.start < m.end && m.start < f.end;
                    if out
                        .iter()
                        .any(|f| crossed(f) && f.confidence >= m.confidence)
                    {
                        continue;
                    }
                    out.retain(|f| {
                        !(crossed(f)
                            || (Some(f.pattern) == name_pid
                                && f.start >= m.start
                                && f.end <= m.end
                                && !beside_column(text, m.start, f.start..f.end)))
                    });
                    out.push(Finding::structural(pid, m));
                }
            }
        }
    }

    /// The regex patterns' findings. `prev_end_io` is where the last finding
    /// before `unit.report` ended (context words never reach back past it).
    fn detect_patterns(
        &mut self,
        unit: &Unit<'_>,
        out: &mut Vec<Finding>,
        prev_end_io: &mut usize,
    ) {
        if self.engine.first.is_none() {
            return;
        }
        let hay = unit.text;
        let bytes = hay.as_bytes();
        let mut pos = unit.report.start;
        // Context words attach to the value that follows them: a context
        // window never reaches back past the previous finding.
        let mut prev_end = *prev_end_io;
        let mut walk = Walk::new(self.engine.prefilter, pos);
        let mut split = false;
        while pos < unit.report.end {
            // Where the candidates are dense, the rest is searched slice by
            // slice, the slices at once (see `streams`).
            if !split && walk.candidates.is_none() {
                split = true;
                if let Some(end) = self.patterns_at_once(unit, pos, prev_end, out) {
                    *prev_end_io = end;
                    return;
                }
            }
            let Some(m) = self.next_match(&mut walk, bytes, pos, unit.report.end, false) else {
                break;
            };
            let s = m.start();
            if s >= unit.report.end {
                break;
            }
            let best = self.best_at(unit, s, m.pattern().as_usize(), m.end(), prev_end);
            match best {
                Some(f) => {
                    pos = f.end.max(s + 1);
                    prev_end = f.end;
                    out.push(f);
                }
                None => pos = crate::model::fold::ceil_boundary(hay, s + 1),
            }
        }
        *prev_end_io = prev_end;
    }

    /// [`Detector::detect_patterns`] from `pos` (`prev_end` the last
    /// finding's end) to the end of `unit`'s report range, its slices
    /// between lines searched at once: the same findings, appended to
    /// `out`; the last one's end (else `prev_end`). `None` (and nothing
    /// appended) when the text is too short, no quiet cuts are found, or the
    /// automaton gave up.
    ///
    /// A slice's search starts with the previous finding's end unknown (the
    /// slices before are being searched): it takes the slice's start. That
    /// is the same: a context window before a value of the slice reaches no
    /// further back than its width from the slice's start (blanks padding a
    /// value do not cross a line break), and a cut is only made where no
    /// context word stands within that width (see [`Detector::quiet_cut`]).
    fn patterns_at_once(
        &mut self,
        unit: &Unit<'_>,
        pos: usize,
        prev_end: usize,
        out: &mut Vec<Finding>,
    ) -> Option<usize> {
        let engine = self.engine;
        if !engine.within_lines
            || unit.report.end.saturating_sub(pos) < streams::STREAMS * streams::MIN_SLICE
        {
            return None;
        }
        let dfa = engine.anchored.as_ref()?;
        let bytes = unit.text.as_bytes();
        let mut cuts = streams::cuts(bytes, pos, unit.report.end, b'\n')?;
        for k in 1..streams::STREAMS {
            cuts[k] = self.quiet_cut(unit, cuts[k], cuts[k + 1])?;
        }
        let reverse = engine.reverse()?;
        let mut cache = self.anchored_cache.take()?;
        let mut rcache = self
            .reverse_cache
            .take()
            .unwrap_or_else(|| Box::new(reverse.create_cache()));
        let mut slices = streams::slices_of(&cuts);
        // The last slice's matches may end past the report's end.
        let last = streams::STREAMS - 1;
        slices[last].end = unit
            .report
            .end
            .saturating_add(LONGEST_VALUE)
            .min(bytes.len());
        let limits: [usize; streams::STREAMS] = std::array::from_fn(|k| cuts[k + 1]);
        let mut ends: [usize; streams::STREAMS] = std::array::from_fn(|k| cuts[k]);
        ends[0] = prev_end;
        let mut found: [Vec<Finding>; streams::STREAMS] = Default::default();
        let mut failed = false;
        let result = streams::each_match(dfa, &mut cache, bytes, &slices, |k, from, pattern, e| {
            let Some(s) = match_start(reverse, &mut rcache, bytes, from, e) else {
                failed = true;
                return None;
            };
            if s >= limits[k] {
                return None;
            }
            match self.best_at(unit, s, pattern.as_usize(), e, ends[k]) {
                Some(f) => {
                    let next = f.end.max(s + 1);
                    ends[k] = f.end;
                    found[k].push(f);
                    Some(next)
                }
                None => Some(crate::model::fold::ceil_boundary(unit.text, s + 1)),
            }
        });
        self.anchored_cache = Some(cache);
        self.reverse_cache = Some(rcache);
        if result.is_err() || failed {
            return None;
        }
        let mut end = prev_end;
        for f in found.into_iter().flatten() {
            end = f.end;
            out.push(f);
        }
        Some(end)
    }

    /// The first line start at or after `at` (before `to`) with no context
    /// word of any pattern within its width before it: a slice may start
    /// there whatever the previous finding's end (see
    /// [`Detector::patterns_at_once`]). Only a few lines are tried.
    fn quiet_cut(&self, unit: &Unit<'_>, mut at: usize, to: usize) -> Option<usize> {
        let bytes = unit.text.as_bytes();
        for _ in 0..8 {
            let quiet = self.engine.patterns.iter().all(|p| {
                p.context.as_ref().is_none_or(|w| {
                    !w.found_in(bytes, at.saturating_sub(p.def.context_window[0]), at)
                })
            });
            if quiet {
                return Some(at);
            }
            let next = at + memchr::memchr(b'\n', bytes.get(at..to)?)? + 1;
            if next >= to {
                return None;
            }
            at = next;
        }
        None
    }

    /// The next match of the combined regex in `bytes` from `pos` that
    /// starts before `limit`. With `half`, only its end may be sought: the
    /// match returned can then be its last byte alone.
    pub(super) fn next_match(
        &mut self,
        walk: &mut Walk,
        bytes: &[u8],
        mut pos: usize,
        limit: usize,
        half: bool,
    ) -> Option<Match> {
        let first = self.engine.first.as_ref()?;
        let first_cache = self.first_cache.as_mut()?;
        // No value is longer than `LONGEST_VALUE`: a match starting before
        // `limit` ends before `end`. Past it, the text is the next piece's
        // (or chunk's), which a search for a match starting too late would
        // only read twice.
        let end = limit.saturating_add(LONGEST_VALUE).min(bytes.len());
        // With the prefilter, an anchored search at each place where a
        // match may start (see `prefilter`): it stops as soon as no pattern
        // can go on, needs no reverse search for the start, and its states
        // are few (an unanchored automaton of every pattern builds
        // thousands over a table of names and numbers). Without, or where
        // such places are so dense (a CSV of amounts, a log of counters)
        // that one pass of the automaton costs less, a search of the rest
        // of the text. Both find the same matches: every match starts at
        // such a place.
        while let Some(density) = walk.candidates.as_mut() {
            let c = next_start(bytes, pos, &mut walk.next_at)?;
            if c >= limit {
                return None;
            }
            let input = Input::new(bytes).range(c..end).anchored(Anchored::Yes);
            let found = match (&self.engine.anchored, self.anchored_cache.as_mut()) {
                (Some(dfa), Some(cache)) => match dfa.try_search_fwd(cache, &input) {
                    Ok(end) => end.map(|h| Match::new(h.pattern(), c..h.offset())),
                    // The DFA gave up (a cache thrashed by a hostile
                    // text): the meta regex falls back to other engines.
                    Err(_) => first.search_with(first_cache, &input),
                },
                _ => first.search_with(first_cache, &input),
            };
            if found.is_some() {
                return found;
            }
            if density.missed(c) {
                walk.candidates = None;
            }
            // `c` is an ASCII byte.
            pos = c + 1;
        }
        if pos >= end {
            return None;
        }
        let input = Input::new(bytes).range(pos..end);
        // The automata the searches of slices at once use, when there are:
        // the states of the text are built once, not once per automaton.
        if let Ok(found) = self.unanchored(&input, half) {
            return found;
        }
        let first_cache = self.first_cache.as_mut()?;
        if half {
            let end = first.search_half_with(first_cache, &input)?;
            let e = end.offset();
            return Some(Match::new(end.pattern(), e.saturating_sub(1).max(pos)..e));
        }
        first.search_with(first_cache, &input)
    }

    /// The leftmost-first match in `input` (unanchored) by the forward DFA
    /// `anchored` and, for its start, the reverse one; with `half` only its
    /// end (the match returned is its last byte). `Err` when there are no
    /// such automata or one gave up: the meta regex then answers the same.
    fn unanchored(&mut self, input: &Input<'_>, half: bool) -> Result<Option<Match>, ()> {
        let engine = self.engine;
        let (Some(dfa), Some(cache)) = (engine.anchored.as_ref(), self.anchored_cache.as_mut())
        else {
            return Err(());
        };
        let Some(end) = dfa.try_search_fwd(cache, input).map_err(drop)? else {
            return Ok(None);
        };
        let (pos, e) = (input.start(), end.offset());
        if half {
            return Ok(Some(Match::new(
                end.pattern(),
                e.saturating_sub(1).max(pos)..e,
            )));
        }
        if e == pos {
            return Ok(Some(Match::new(end.pattern(), e..e)));
        }
        let reverse = engine.reverse().ok_or(())?;
        let rcache = self
            .reverse_cache
            .get_or_insert_with(|| Box::new(reverse.create_cache()));
        let start = match_start(reverse, rcache, input.haystack(), pos, e).ok_or(())?;
        Ok(Some(Match::new(end.pattern(), start..e)))
    }

    /// The finding at `s`: the first pattern's if it accepts (most candidates
    /// are what the first pattern to match says they are), else the best
    /// (longest, then most confident) among the other patterns matching there.
    fn best_at(
        &mut self,
        unit: &Unit<'_>,
        s: usize,
        first_pid: usize,
        first_end: usize,
        prev_end: usize,
    ) -> Option<Finding> {
        if let Some(f) = self.evaluate(unit, first_pid, s, first_end, prev_end) {
            return Some(f);
        }
        let bytes = unit.text.as_bytes();
        self.set.clear();
        let anchored = Input::new(bytes).range(s..).anchored(Anchored::Yes);
        let (Some(all), Some(all_cache)) = (self.engine.all.as_ref(), self.all_cache.as_mut())
        else {
            return None;
        };
        all.which_overlapping_matches_with(all_cache, &anchored, &mut self.set);
        let mut best: Option<Finding> = None;
        for i in 0..self.caches.len() {
            if i == first_pid || !self.set.contains(regex_automata::PatternID::must(i)) {
                continue;
            }
            let Some(regex) = self.engine.patterns[i].regex.as_ref() else {
                continue;
            };
            if self.refused_at(unit, i, s, prev_end) {
                continue;
            }
            let Some(m) = regex.search_with(&mut self.caches[i], &anchored) else {
                continue;
            };
            if let Some(f) = self.evaluate(unit, i, s, m.end(), prev_end) {
                let better = match &best {
                    None => true,
                    Some(b) => (f.end - f.start, f.confidence) > (b.end - b.start, b.confidence),
                };
                if better {
                    best = Some(f);
                }
            }
        }
        best
    }

    /// True when pattern `pid`'s column or context words surround `s..e`.
    fn context_found(
        &self,
        unit: &Unit<'_>,
        pid: usize,
        s: usize,
        e: usize,
        prev_end: usize,
    ) -> bool {
        let p = &self.engine.patterns[pid];
        let bytes = unit.text.as_bytes();
        unit.column_kind == Some(p.kind.as_str())
            || p.context.as_ref().is_some_and(|w| {
                let to = (e + p.def.context_window[1]).min(bytes.len());
                w.found_in(bytes, window_start(bytes, p, s, prev_end), s)
                    || w.found_in(bytes, e, to)
            })
    }

    /// Pattern `pid` needs its context words and has none before `s` nor
    /// within reach after it: whatever its match at `s`, it is refused, and
    /// its search there is spared (an EAN-13 code is a match of four
    /// patterns, two of them such).
    fn refused_at(&self, unit: &Unit<'_>, pid: usize, s: usize, prev_end: usize) -> bool {
        let p = &self.engine.patterns[pid];
        let Some(reach) = p.after_reach else {
            return false;
        };
        if !p.def.requires_context || p.def.shrink || unit.column_kind == Some(p.kind.as_str()) {
            return false;
        }
        let bytes = unit.text.as_bytes();
        // The window after the match lies within `s..s + reach`, wherever
        // the match ends.
        let to = s.saturating_add(reach).min(bytes.len());
        !p.context.as_ref().is_some_and(|w| {
            w.found_in(bytes, window_start(bytes, p, s, prev_end), s) || w.found_in(bytes, s, to)
        })
    }

    /// Normalise, validate and weigh one candidate.
    fn evaluate(
        &mut self,
        unit: &Unit<'_>,
        pid: usize,
        s: usize,
        mut e: usize,
        prev_end: usize,
    ) -> Option<Finding> {
        let p = &self.engine.patterns[pid];
        let hay = unit.text;
        if !hay.is_char_boundary(s) || !hay.is_char_boundary(e) || e == s {
            return None;
        }
        let bytes = hay.as_bytes();
        // Most candidates of a pattern that needs context have none (dates
        // that are not birth dates): tell before normalising, when the
        // candidate's end cannot move.
        let early_context = (p.def.requires_context && !p.def.shrink)
            .then(|| self.context_found(unit, pid, s, e, prev_end));
        if early_context == Some(false) {
            return None;
        }
        let mut tries = if p.def.shrink { 3 } else { 1 };
        let (value, factor) = loop {
            let c = Candidate {
                hay,
                start: s,
                end: e,
            };
            let accepted = (|| {
                if p.def.isolated_digits
                    && (digits_continue_before(c.before()) || digits_continue_after(c.after()))
                {
                    return None;
                }
                let v = p.normaliser.apply_in(&c)?;
                let f = match p.validator.check(&c, &v) {
                    // A subject's own identifier is theirs wherever it
                    // stands (their account on an invoice they issued).
                    Some(f) if f < 1.0 && self.engine.is_given(&p.kind, &v) => 1.0,
                    Some(f) => f,
                    None if self.engine.is_given(&p.kind, &v) => 1.0,
                    None => return None,
                };
                Some((v, f))
            })();
            if let Some(ok) = accepted {
                break ok;
            }
            tries -= 1;
            // Retry without the last space-separated group.
            let cut = hay[s..e].trim_end().rfind(' ').map(|i| s + i);
            match cut {
                Some(c) if tries > 0 && c > s => e = c,
                _ => return None,
            }
        };
        if let Some(neg) = &p.negative {
            // Negative words qualify what follows them on the same line, in
            // the same field of a log line (`"…Safari/537.36" "203.0.113.7"`:
            // the address is not Safari's version; `"version": "1.2.3.4"`
            // still is one).
            let mut from =
                crate::model::fold::floor_boundary(hay, s.saturating_sub(p.def.negative_window));
            if let Some(nl) = memchr::memrchr(b'\n', &bytes[from..s]) {
                from += nl + 1;
            }
            if let Some(q) = memchr::memmem::rfind(&bytes[from..s], b"\" \"") {
                from += q + 3;
            }
            if neg.found_in(bytes, from, s) {
                return None;
            }
        }
        if let Some(neg) = &p.negative_after {
            // The word after the value, past spaces, brackets and dashes on
            // its line (`7.2.0.15 (build 2024)`, `10.1.2.3-beta`); most
            // values have none (`203.0.113.9 - - [`), and no search is made.
            let gap = bytes[e..]
                .iter()
                .take(p.def.negative_after_window)
                .position(|b| !matches!(b, b' ' | b'\t' | b'(' | b'[' | b'-' | b'_' | b'/'));
            if let Some(ws) = gap
                .map(|k| e + k)
                .filter(|&w| super::context::is_word_byte(bytes[w]))
            {
                let we = bytes[ws..]
                    .iter()
                    .position(|&b| !super::context::is_word_byte(b))
                    .map_or(bytes.len(), |k| ws + k);
                if neg.found_in(bytes, ws, we) {
                    return None;
                }
            }
        }
        let context_found =
            early_context.unwrap_or_else(|| self.context_found(unit, pid, s, e, prev_end));
        let needs_context = p.def.requires_context || {
            let c = Candidate {
                hay,
                start: s,
                end: e,
            };
            p.validator.needs_context(&c, &value)
        };
        if needs_context && !context_found && !self.engine.is_given(&p.kind, &value) {
            return None;
        }
        let mut confidence = p.def.confidence;
        if context_found {
            confidence = confidence.max(p.def.context_confidence.unwrap_or(p.def.confidence));
        }
        Some(Finding {
            pattern: pid,
            start: s,
            end: e,
            value,
            confidence: (confidence * factor).clamp(0.0, 1.0),
        })
    }
}

/// The start of the leftmost-first match ending at `end` found by a search
/// from `from`: the reverse automaton's longest match ending there, back to
/// `from` (as `hybrid::regex::Regex` finds it). `None` when it gave up.
fn match_start(
    reverse: &hybrid::dfa::DFA,
    cache: &mut hybrid::dfa::Cache,
    hay: &[u8],
    from: usize,
    end: usize,
) -> Option<usize> {
    let back = Input::new(hay).range(from..end).anchored(Anchored::Yes);
    Some(reverse.try_search_rev(cache, &back).ok()??.offset())
}

/// The regexes of `patterns` (regex patterns first: their index is their
/// id in the combined automata).
fn regex_sources(patterns: &[CompiledPattern]) -> Vec<&str> {
    patterns
        .iter()
        .filter(|p| p.regex.is_some())
        .map(|p| p.def.regex.as_str())
        .collect()
}

/// Where pattern `p`'s context window before a candidate at `s` starts: its
/// width back, no further than the previous finding's end. A form's label
/// set apart from its value by a column's padding (`Téléphone` and 30
/// blanks, as a PDF's layout comes out) is as near as one blank away.
fn window_start(bytes: &[u8], p: &CompiledPattern, s: usize, prev_end: usize) -> usize {
    let padding = bytes[..s].iter().rev().take_while(|&&b| b == b' ').count();
    let before = p.def.context_window[0] + if padding >= 3 { padding } else { 0 };
    s.saturating_sub(before).max(prev_end.min(s))
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
