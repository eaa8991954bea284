//! A pattern file's pattern compiled: its regex, normaliser, validator and
//! context words, checked when loaded (a bad `--patterns` file is refused
//! with the file and pattern named).

use super::context::Words;
use super::engine::EngineError;
use super::pattern::PatternDef;
use super::validate::{Candidate, Normaliser, Validator};
use regex_automata::meta::{self, Regex};
use regex_automata::util::syntax;
use regex_automata::MatchKind;

/// A pattern ready to run.
#[derive(Debug)]
pub struct CompiledPattern {
    pub def: PatternDef,
    pub kind: String,
    /// The file it was loaded from.
    pub source: String,
    /// `None` for a structural detector.
    pub(super) regex: Option<Regex>,
    pub(super) normaliser: Normaliser,
    pub(super) validator: Validator,
    pub(super) context: Option<Words>,
    pub(super) negative: Option<Words>,
    pub(super) negative_after: Option<Words>,
    /// How far past a match's start a context word after it may end (its
    /// window after the match, plus the longest match); `None` when its
    /// matches have no bound.
    pub(super) after_reach: Option<usize>,
    /// Asked for (`--kinds`). A pattern not asked for still runs when its
    /// findings decide others' (every regex, and the address detector under
    /// names), so that a kind's findings never depend on `--kinds`; its own
    /// findings are dropped.
    pub(super) wanted: bool,
    /// How its kind's values are masked (its kind's last file's style, as
    /// [`crate::model::kind::mask_style`] answers; set by the engine).
    pub mask: crate::model::kind::MaskStyle,
}

impl CompiledPattern {
    /// This pattern's normalised form of `text`, if it has one.
    pub fn normalise(&self, text: &str) -> Option<String> {
        self.normaliser.apply(text)
    }

    /// True for a regex pattern (not a structural detector).
    pub fn regex_based(&self) -> bool {
        self.regex.is_some()
    }

    /// The normalised form of `text` if this pattern's validator accepts it
    /// (a value typed by the user, such as a subject's identifier).
    pub fn normalise_valid(&self, text: &str) -> Option<String> {
        let text = text.trim();
        let v = self.normaliser.apply(text)?;
        let c = Candidate {
            hay: text,
            start: 0,
            end: text.len(),
        };
        // A value its validator takes only with context (an unallocated
        // phone number) is not valid alone: searched as given.
        self.validator
            .check(&c, &v)
            .filter(|_| !self.validator.needs_context(&c, &v))
            .map(|_| v)
    }
}

/// The structural detectors a pattern can name instead of a regex.
pub const STRUCTURAL: &[&str] = &["name", "address", "mrz"];

pub(super) fn compile(
    source: &str,
    kind: &str,
    def: &PatternDef,
) -> Result<CompiledPattern, EngineError> {
    let err = |message: String| EngineError::Pattern {
        file: source.to_string(),
        id: def.id.clone(),
        message,
    };
    let normaliser = Normaliser::by_name(&def.normaliser).ok_or_else(|| {
        err(format!(
            "unknown normaliser '{}' (one of: {})",
            def.normaliser,
            Normaliser::NAMES
        ))
    })?;
    let validator = Validator::by_name(&def.validator).ok_or_else(|| {
        err(format!(
            "unknown validator '{}' (one of: {})",
            def.validator,
            Validator::NAMES
        ))
    })?;
    if !(0.0..=1.0).contains(&def.confidence) {
        return Err(err("confidence must be between 0 and 1".into()));
    }
    let regex = match (&def.detector, def.regex.is_empty()) {
        (Some(d), true) if STRUCTURAL.contains(&d.as_str()) => None,
        (Some(d), true) => {
            return Err(err(format!(
                "unknown detector '{d}' (one of: {})",
                STRUCTURAL.join(", ")
            )))
        }
        (Some(_), false) => {
            return Err(err("a pattern has a regex or a detector, not both".into()))
        }
        (None, true) => return Err(err("a pattern needs a regex (or a detector)".into())),
        (None, false) => Some(
            Regex::builder()
                .syntax(syntax_config())
                .configure(anchored_meta_config(MatchKind::LeftmostFirst))
                .build(&def.regex)
                .map_err(|e| err(format!("bad regex: {e}")))?,
        ),
    };
    Ok(CompiledPattern {
        kind: kind.to_string(),
        source: source.to_string(),
        regex,
        normaliser,
        validator,
        context: Words::new(&def.context),
        negative: Words::new(&def.negative_context),
        negative_after: Words::new(&def.negative_context_after),
        after_reach: match def.context_window[1] {
            0 => Some(0),
            after => syntax::parse_with(&def.regex, &syntax_config())
                .ok()
                .and_then(|h| h.properties().maximum_len())
                .map(|len| len + after),
        },
        def: def.clone(),
        wanted: true,
        mask: Default::default(),
    })
}

pub(super) fn syntax_config() -> syntax::Config {
    // ASCII by default: Unicode-aware \b and \d fall off the DFA fast path on
    // accented text. A pattern can opt in with (?u:...).
    syntax::Config::new().unicode(false).utf8(false)
}

pub(super) fn meta_config(kind: MatchKind) -> meta::Config {
    meta::Config::new()
        .match_kind(kind)
        .utf8_empty(false)
        .hybrid_cache_capacity(8 << 20)
}

/// [`meta_config`] for a regex only ever searched anchored (at a
/// candidate's start): no prefilter or reverse search serves there, and
/// extracting their literals was a third of a scan's start.
pub(super) fn anchored_meta_config(kind: MatchKind) -> meta::Config {
    meta_config(kind).auto_prefilter(false)
}
