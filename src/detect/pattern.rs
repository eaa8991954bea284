//! Detector definitions as data: the TOML files of `patterns/`, embedded in
//! the binary, plus any `--patterns DIR` given by the user.
//!
//! One file per kind. Each `[[pattern]]` carries its regex, the names of its
//! normaliser and validator (see [`super::validate`]), its confidence and
//! context words, and the examples the test suite checks it against.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The built-in pattern files, compiled into the binary.
pub use crate::model::kind::BUILTIN_PATTERNS as BUILTIN;

/// Errors while loading pattern files.
#[derive(Debug, thiserror::Error)]
pub enum PatternError {
    #[error("cannot read pattern file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("pattern file {path}: {message}")]
    Invalid { path: String, message: String },
    #[error(transparent)]
    Columns(#[from] crate::model::columns::ColumnsError),
}

/// One pattern file: a kind and its patterns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternFile {
    /// The kind every pattern of this file reports (`email`, `iban`, or a new one).
    pub kind: String,
    #[serde(default)]
    pub description: String,
    /// How values are masked in reports ([`crate::model::kind`]).
    #[serde(default)]
    pub mask: crate::model::kind::MaskStyle,
    /// Counted apart as sensitive in reports.
    #[serde(default)]
    pub sensitive: bool,
    /// The kind's name in French reports (`téléphone`); the name otherwise.
    #[serde(default)]
    pub label: Option<String>,
    /// How many values one person usually has ([`crate::model::kind::Kind::per_person`]).
    #[serde(default)]
    pub per_person: Option<usize>,
    /// A value many people share (a birth date).
    #[serde(default)]
    pub shared: bool,
    #[serde(rename = "pattern")]
    pub patterns: Vec<PatternDef>,
    /// Word lists for the structural detectors (`detector = "name"`…).
    #[serde(default)]
    pub words: std::collections::BTreeMap<String, Vec<String>>,
}

/// One detector pattern as written in a pattern file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternDef {
    /// Unique name, reported in each finding's `pattern` field.
    pub id: String,
    /// Candidate shape. Compiled ASCII-only (`(?-u)`) unless the pattern
    /// opts in with `(?u:...)`, so that `\b` and `\d` stay on the fast path.
    /// Empty for a structural detector.
    #[serde(default)]
    pub regex: String,
    /// A structural detector built into pdscout (`name`, `address`) instead
    /// of a regex, configured by the file's `[words]`.
    #[serde(default)]
    pub detector: Option<String>,
    /// Turns the matched text into the normalised value (see `validate::Normaliser`).
    #[serde(default = "default_normaliser")]
    pub normaliser: String,
    /// Decides whether a normalised candidate is real (see `validate::Validator`).
    #[serde(default = "default_validator")]
    pub validator: String,
    /// Confidence of a valid match without context.
    pub confidence: f32,
    /// Words that, near the match, raise its confidence (and are required
    /// when `requires_context`). Accents and case are ignored.
    #[serde(default)]
    pub context: Vec<String>,
    /// Confidence when a context word (or a column header of this kind) is found.
    #[serde(default)]
    pub context_confidence: Option<f32>,
    /// How many bytes before and after the match are searched for context words.
    #[serde(default = "default_context_window")]
    pub context_window: [usize; 2],
    /// Report only when a context word or a column header of this kind is found.
    #[serde(default)]
    pub requires_context: bool,
    /// Words that, just before the match, mean it is something else (`version`, `SIRET`).
    #[serde(default)]
    pub negative_context: Vec<String>,
    /// How many bytes before the match are searched for negative context.
    #[serde(default = "default_negative_window")]
    pub negative_window: usize,
    /// Words that, as the first word after the match (past spaces,
    /// brackets and dashes, on its line), mean it is something else
    /// (`7.2.0.15 (build 2024)` is a version).
    #[serde(default)]
    pub negative_context_after: Vec<String>,
    /// How many bytes after the match that word may start.
    #[serde(default = "default_negative_after_window")]
    pub negative_after_window: usize,
    /// Reject a match that is part of a longer run of digit groups
    /// (a phone inside an order number, a card inside a longer id).
    #[serde(default)]
    pub isolated_digits: bool,
    /// On rejection, retry without the last space-separated group (a
    /// grouped IBAN followed by a word of four letters).
    #[serde(default)]
    pub shrink: bool,
    /// Texts in which this pattern must find `value`.
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Texts in which this pattern must find nothing.
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// A positive example: in `text`, the pattern finds `value` (normalised).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    pub value: String,
    /// A column header to pretend the text sits under (a CSV or spreadsheet column).
    #[serde(default)]
    pub column: Option<String>,
}

fn default_normaliser() -> String {
    "trim".into()
}
fn default_validator() -> String {
    "none".into()
}
fn default_context_window() -> [usize; 2] {
    [120, 40]
}
fn default_negative_window() -> usize {
    24
}
fn default_negative_after_window() -> usize {
    12
}

/// A parsed pattern file with where it came from.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub source: String,
    pub file: PatternFile,
}

/// Parses one pattern file's text.
pub fn parse_file(source: &str, text: &str) -> Result<LoadedFile, PatternError> {
    let file: PatternFile = toml::from_str(text).map_err(|e| PatternError::Invalid {
        path: source.to_string(),
        message: e.to_string(),
    })?;
    if file.kind.trim().is_empty() {
        return Err(PatternError::Invalid {
            path: source.to_string(),
            message: "empty kind".into(),
        });
    }
    Ok(LoadedFile {
        source: source.to_string(),
        file,
    })
}

/// The built-in pattern files.
pub fn builtin() -> Result<Vec<LoadedFile>, PatternError> {
    BUILTIN
        .iter()
        .map(|(name, text)| parse_file(&format!("patterns/{name}"), text))
        .collect()
}

/// Every `*.toml` file of `dir` (sorted by name), except `columns.toml`
/// which [`load_columns_dir`] reads.
pub fn load_dir(dir: &Path) -> Result<Vec<LoadedFile>, PatternError> {
    let mut paths = toml_files(dir)?;
    paths.retain(|p| p.file_name().is_some_and(|n| n != "columns.toml"));
    paths
        .iter()
        .map(|p| {
            let text = read(p)?;
            parse_file(&p.display().to_string(), &text)
        })
        .collect()
}

/// The extra column-header table of `dir`, if it has a `columns.toml`.
pub fn load_columns_dir(dir: &Path) -> Result<Option<String>, PatternError> {
    let p = dir.join("columns.toml");
    if p.is_file() {
        read(&p).map(Some)
    } else {
        Ok(None)
    }
}

fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, PatternError> {
    let rd = std::fs::read_dir(dir).map_err(|source| PatternError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    Ok(paths)
}

fn read(p: &Path) -> Result<String, PatternError> {
    std::fs::read_to_string(p).map_err(|source| PatternError::Io {
        path: p.to_path_buf(),
        source,
    })
}
/// The pattern files in force: built-ins, then each `--patterns DIR` (whose
/// kinds join the registry of [`crate::model::kind`]).
pub fn pattern_files(dirs: &[PathBuf]) -> Result<Vec<LoadedFile>, PatternError> {
    let mut files = builtin()?;
    for d in dirs {
        let added = load_dir(d)?;
        for f in &added {
            // Reports mask and rank a new kind as its file says.
            crate::model::kind::register(crate::model::kind::Kind {
                name: f.file.kind.clone(),
                mask: f.file.mask,
                sensitive: f.file.sensitive,
                label: f.file.label.clone(),
                per_person: f.file.per_person,
                shared: f.file.shared,
            });
        }
        files.extend(added);
    }
    Ok(files)
}

/// The column-header table in force: the built-in one, then each
/// `--patterns DIR`'s `columns.toml` (the reader processes build the same).
pub fn column_table(
    pattern_dirs: &[PathBuf],
) -> Result<crate::model::columns::ColumnTable, PatternError> {
    let mut column_sources = vec![(
        "patterns/columns.toml".to_string(),
        crate::model::columns::BUILTIN_COLUMNS.to_string(),
    )];
    for d in pattern_dirs {
        if let Some(text) = load_columns_dir(d)? {
            column_sources.push((d.join("columns.toml").display().to_string(), text));
        }
    }
    let refs: Vec<(&str, &str)> = column_sources
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    Ok(crate::model::columns::ColumnTable::from_sources(&refs)?)
}
