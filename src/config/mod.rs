//! The validated configuration of a run, built by the binary from the command
//! line. Nothing here knows about clap.

use crate::detect::allow::AllowList;
use crate::detect::pattern::{self, column_table, pattern_files};
use crate::detect::Engine;
use crate::model::columns::ColumnTable;
use crate::report::printer::OutputFormat;
use std::path::PathBuf;

pub mod sweep;

/// Everything `scan` needs to know.
#[derive(Debug, Clone)]
pub struct ScanConfig {
    pub roots: Vec<PathBuf>,
    pub format: OutputFormat,
    /// Write the report here (mode 0600) instead of stdout.
    pub output: Option<PathBuf>,
    pub reveal: bool,
    /// Only these kinds.
    pub kinds: Option<Vec<String>>,
    /// Extra pattern folders, on top of the built-in patterns.
    pub pattern_dirs: Vec<PathBuf>,
    pub threads: usize,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub max_file_size: Option<u64>,
    pub follow_links: bool,
    pub min_confidence: f32,
    pub allow_file: Option<PathBuf>,
    /// No summary on stderr.
    pub quiet: bool,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
    /// `pdscout subject`: report only this person's data and its records.
    pub subject: Option<crate::subject::SubjectIds>,
    /// Record the run in this inventory (`--db`: a SQLite file or a
    /// `postgres://` URL).
    pub db: Option<PathBuf>,
    /// With `db`: the key file, source, shard and generation of the run.
    pub inventory: crate::inventory::Options,
    /// With `db`: read every file again, changed or not (`--full`).
    pub full: bool,
    /// Time spent reading one file, at most (`--max-file-time`; `None`: no limit).
    pub max_file_time: Option<std::time::Duration>,
    /// With `db`: record a run over a root that is empty although the
    /// inventory knows files under it (else refused: an unmounted share).
    pub allow_empty_root: bool,
    /// Read the formats of [`crate::supervise`] in reader processes with
    /// these limits (`None`: in this process, as a library caller gets).
    pub supervise: Option<crate::supervise::Options>,
    /// Read pictures and scanned PDF pages with this OCR engine (`--ocr`).
    pub ocr: Option<crate::extract::ocr::Settings>,
}

impl Default for ScanConfig {
    fn default() -> Self {
        ScanConfig {
            roots: Vec::new(),
            format: OutputFormat::Jsonl,
            output: None,
            reveal: false,
            kinds: None,
            pattern_dirs: Vec::new(),
            threads: default_threads(),
            include: Vec::new(),
            exclude: Vec::new(),
            max_file_size: None,
            follow_links: false,
            min_confidence: DEFAULT_MIN_CONFIDENCE,
            allow_file: None,
            quiet: false,
            progress: false,
            subject: None,
            db: None,
            inventory: Default::default(),
            full: false,
            max_file_time: Some(crate::extract::budget::DEFAULT_MAX_FILE_TIME),
            allow_empty_root: false,
            supervise: None,
            ocr: None,
        }
    }
}

/// The OCR engine of a run asked for OCR (`enabled`), each file's OCR
/// taking `timeout` at most; an error (exit 2, with the install line) when
/// this machine has none.
pub fn ocr(
    enabled: bool,
    timeout: std::time::Duration,
) -> Result<Option<crate::extract::ocr::Settings>, crate::extract::ocr::OcrError> {
    enabled
        .then(|| crate::extract::ocr::Settings::find(timeout))
        .transpose()
}

/// Findings below this confidence are dropped unless asked for: company
/// addresses (0.3) and loopback or broadcast IPs (about 0.3) are most likely
/// not personal data.
pub use crate::detect::DEFAULT_MIN_CONFIDENCE;

/// All cores.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Errors turning a configuration into working parts.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    Pattern(#[from] pattern::PatternError),
    #[error(transparent)]
    Engine(#[from] crate::detect::engine::EngineError),
    #[error(transparent)]
    Columns(#[from] crate::model::columns::ColumnsError),
    #[error("cannot read allow file {path}: {source}")]
    Allow {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("unknown kind '{0}' (known: {1})")]
    UnknownKind(String, String),
    #[error(transparent)]
    Subject(#[from] crate::subject::SubjectError),
}

/// The detectors of a run: compiled patterns and the column-header table.
#[derive(Debug)]
pub struct Detectors {
    pub engine: Engine,
    pub columns: ColumnTable,
    pub allow: AllowList,
    /// The person searched for (`pdscout subject`).
    pub subject: Option<crate::subject::Subject>,
}

/// Builds the detectors for `cfg`.
pub fn detectors(cfg: &ScanConfig) -> Result<Detectors, ConfigError> {
    let files = pattern_files(&cfg.pattern_dirs)?;
    if let Some(kinds) = &cfg.kinds {
        let known: Vec<&str> = files.iter().map(|f| f.file.kind.as_str()).collect();
        for k in kinds {
            if !known.contains(&k.as_str()) {
                return Err(ConfigError::UnknownKind(k.clone(), known.join(", ")));
            }
        }
    }
    // The name and address lexicons (tens of thousands of words to fold)
    // load on another thread while the regexes compile.
    let wants_lexicons = cfg
        .kinds
        .as_ref()
        .is_none_or(|k| k.iter().any(|k| k == "name" || k == "address"));
    if wants_lexicons {
        std::thread::spawn(crate::detect::lexicon::get);
    }
    let mut engine = Engine::new(&files, cfg.kinds.as_deref())?;
    let columns = column_table(&cfg.pattern_dirs)?;
    let allow = match &cfg.allow_file {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|source| ConfigError::Allow {
                path: p.clone(),
                source,
            })?;
            AllowList::parse(&text, &engine)
        }
        None => AllowList::default(),
    };
    let subject = match &cfg.subject {
        Some(ids) => Some(crate::subject::Subject::new(ids, &engine)?),
        None => None,
    };
    for (kind, value) in subject.iter().flat_map(|s| s.unchecked()) {
        // The value is the requester's own, typed by the user: masked all
        // the same, as everything pdscout prints.
        eprintln!(
            "pdscout: warning: the {kind} {} fails its check (not a valid {kind}); searched as given",
            crate::model::mask::mask(kind, value)
        );
        engine.accept_given(kind, value);
    }
    Ok(Detectors {
        engine,
        columns,
        allow,
        subject,
    })
}

/// What decides the findings of a file read under `cfg`, as one text: the
/// pdscout and schema versions, kinds, minimum confidence, the allow list's
/// content and the patterns in force (with extra folders' column tables).
/// An inventory run whose text differs from the last run's reads every
/// file again. Not for display: the allow list may hold values.
pub fn settings_text(cfg: &ScanConfig) -> Result<String, ConfigError> {
    use std::fmt::Write;
    let mut t = format!(
        "pdscout {} schema {}\nmin_confidence {}\n",
        env!("CARGO_PKG_VERSION"),
        crate::inventory::SCHEMA_VERSION,
        cfg.min_confidence
    );
    match &cfg.kinds {
        Some(k) => {
            let mut k = k.clone();
            k.sort();
            k.dedup();
            let _ = writeln!(t, "kinds {}", k.join(","));
        }
        None => t.push_str("kinds all\n"),
    }
    if let Some(p) = &cfg.allow_file {
        let text = std::fs::read_to_string(p).map_err(|source| ConfigError::Allow {
            path: p.clone(),
            source,
        })?;
        let _ = writeln!(t, "allow\n{text}");
    }
    if let Some(o) = &cfg.ocr {
        // Pictures read with OCR, or listed as needing it: every file is
        // read again when OCR is turned on or off.
        let _ = writeln!(t, "ocr {}", o.languages);
    }
    for f in pattern_files(&cfg.pattern_dirs)? {
        let _ = writeln!(t, "{f:?}");
    }
    for d in &cfg.pattern_dirs {
        if let Some(text) = pattern::load_columns_dir(d)? {
            let _ = writeln!(t, "columns\n{text}");
        }
    }
    Ok(t)
}

/// Parses a size such as `500k`, `10M`, `2G` or `1048576` (bytes; powers of 1024).
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let (num, mult) = match s.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => {
            let unit = s[i..].to_ascii_lowercase();
            let m: u64 = match unit.trim_end_matches(['b', 'o']) {
                "" => 1,
                "k" | "ki" => 1 << 10,
                "m" | "mi" => 1 << 20,
                "g" | "gi" => 1 << 30,
                "t" | "ti" => 1 << 40,
                _ => return None,
            };
            (&s[..i], m)
        }
        None => (s, 1),
    };
    let n: f64 = num.trim().parse().ok()?;
    (n >= 0.0).then_some((n * mult as f64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1048576"), Some(1 << 20));
        assert_eq!(parse_size("10M"), Some(10 << 20));
        assert_eq!(parse_size("1.5k"), Some(1536));
        assert_eq!(parse_size("2GB"), Some(2 << 30));
        assert_eq!(parse_size("10x"), None);
    }
}
