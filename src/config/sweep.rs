//! The sweep configuration file (`pdscout.toml`), so that a crontab line
//! is just `pdscout sweep --config /etc/pdscout.toml`:
//!
//! ```toml
//! roots = ["/srv/partage"]
//! db = "/var/lib/pdscout/inventaire.db"
//! exclude = ["**/.snapshot/**", "*.iso"]
//! # optional: include, allow, patterns, kinds, threads, min_confidence,
//! # max_file_size, max_file_time, child_memory, in_process, follow_links,
//! # allow_empty_root, report (an HTML report written after each sweep),
//! # ocr (true: pictures and scanned PDF pages read with OCR), ocr_timeout;
//! # for many hosts: db = "postgres://pdscout@db.example:5432/inventaire",
//! # key_file, source, shard = "3/8", shard_by = "folder", generation
//!
//! [[retention]]
//! path = "Candidatures/**"
//! keep = "2y"
//! purpose = "recrutement"
//! ```

use crate::inventory::retention::{Rule, RuleError, Rules};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A sweep as configured.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepConfig {
    /// Folders (or files) to sweep.
    pub roots: Vec<PathBuf>,
    /// The inventory database: a SQLite file or a `postgres://` URL.
    pub db: PathBuf,
    /// The inventory's key (`--key-file`; required with PostgreSQL).
    pub key_file: Option<PathBuf>,
    /// What the roots belong to (`--source`; default: the host name).
    pub source: Option<String>,
    /// This worker's part of a sharded sweep, "K/N" (`--shard`).
    pub shard: Option<String>,
    /// "path" (default) or "folder" (`--shard-by`).
    pub shard_by: Option<String>,
    /// The sweep the shards belong to (`--generation`; default: the day).
    pub generation: Option<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub include: Vec<String>,
    /// The allow list (`--allow`).
    pub allow: Option<PathBuf>,
    /// Extra pattern folders (`--patterns`).
    #[serde(default)]
    pub patterns: Vec<PathBuf>,
    /// Only these kinds (`--kinds`).
    pub kinds: Option<Vec<String>>,
    pub threads: Option<usize>,
    pub min_confidence: Option<f32>,
    /// e.g. "2G".
    pub max_file_size: Option<String>,
    /// Seconds spent reading one file at most (`--max-file-time`).
    pub max_file_time: Option<f64>,
    /// Memory of each reader process, e.g. "2G" (`--child-memory`).
    pub child_memory: Option<String>,
    /// Read every file in the sweep's process (`--in-process`).
    #[serde(default)]
    pub in_process: bool,
    #[serde(default)]
    pub follow_links: bool,
    /// Sweep a root that is empty although the inventory knows files under
    /// it (`--allow-empty-root`); refused otherwise.
    #[serde(default)]
    pub allow_empty_root: bool,
    /// Write the inventory report (HTML) here after each sweep.
    pub report: Option<PathBuf>,
    /// Read pictures and scanned PDF pages with OCR (`--ocr`).
    #[serde(default)]
    pub ocr: bool,
    /// Seconds of OCR per file at most (`--ocr-timeout`).
    pub ocr_timeout: Option<f64>,
    /// Retention rules, first match wins.
    #[serde(default)]
    pub retention: Vec<RetentionEntry>,
}

/// One `[[retention]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionEntry {
    /// Glob below a root (`Candidatures/**`), or absolute (`/srv/rh/**`).
    pub path: String,
    /// How long after the last change (`2y`, `18m`, `90d`).
    pub keep: String,
    /// What the data is kept for ("recrutement").
    pub purpose: Option<String>,
}

/// A sweep configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Not TOML, or a value out of range (the message names the key).
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error(transparent)]
    Rule(#[from] RuleError),
}

impl SweepConfig {
    /// Reads and checks a configuration file. Relative paths in it are
    /// relative to the file's folder, so cron's working folder does not matter.
    pub fn load(path: &Path) -> Result<SweepConfig, SweepError> {
        let text = std::fs::read_to_string(path).map_err(|source| SweepError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let invalid = |message: String| SweepError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let mut cfg: SweepConfig = toml::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let fix = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        cfg.roots.iter_mut().for_each(fix);
        if !crate::inventory::is_url(&cfg.db.to_string_lossy()) {
            fix(&mut cfg.db);
        }
        cfg.key_file.iter_mut().for_each(fix);
        cfg.allow.iter_mut().for_each(fix);
        cfg.patterns.iter_mut().for_each(fix);
        cfg.report.iter_mut().for_each(fix);
        cfg.check().map_err(invalid)?;
        cfg.rules()?;
        Ok(cfg)
    }

    /// The OCR time of one file (`ocr_timeout`, checked by [`Self::load`]).
    pub fn ocr_timeout(&self) -> std::time::Duration {
        self.ocr_timeout
            .and_then(|t| std::time::Duration::try_from_secs_f64(t).ok())
            .unwrap_or(crate::extract::ocr::DEFAULT_TIMEOUT)
    }

    /// Checks each value as the command line checks the same option; the
    /// error names the key.
    fn check(&self) -> Result<(), String> {
        if self.roots.is_empty() {
            return Err("`roots` is empty".into());
        }
        if let Some(c) = self.min_confidence {
            if !(0.0..=1.0).contains(&c) {
                return Err(format!(
                    "`min_confidence` must be between 0 and 1 (not {c})"
                ));
            }
        }
        if let Some(s) = &self.shard {
            if crate::walk::Shard::parse(s, false).is_none() {
                return Err(format!(
                    "`shard`: '{s}' is not K/N with 1 <= K <= N (e.g. \"3/8\")"
                ));
            }
        }
        if let Some(by) = self.shard_by.as_deref() {
            if by != "path" && by != "folder" {
                return Err(format!("`shard_by`: '{by}' is not \"path\" or \"folder\""));
            }
        }
        if self.threads == Some(0) {
            return Err("`threads` must be 1 or more".into());
        }
        if let Some(s) = &self.max_file_size {
            if super::parse_size(s).is_none() {
                return Err(format!(
                    "`max_file_size`: '{s}' is not a size (e.g. 500M, 2G)"
                ));
            }
        }
        if self
            .max_file_time
            .is_some_and(|t| std::time::Duration::try_from_secs_f64(t).is_err())
        {
            return Err("`max_file_time` must be a number of seconds".into());
        }
        if self
            .ocr_timeout
            .is_some_and(|t| std::time::Duration::try_from_secs_f64(t).is_err())
        {
            return Err("`ocr_timeout` must be a number of seconds".into());
        }
        if let Some(kinds) = &self.kinds {
            let files = crate::detect::pattern::pattern_files(&self.patterns)
                .map_err(|e| format!("`patterns`: {e}"))?;
            let known: Vec<&str> = files.iter().map(|f| f.file.kind.as_str()).collect();
            if let Some(k) = kinds.iter().find(|k| !known.contains(&k.as_str())) {
                return Err(format!(
                    "`kinds`: unknown kind '{k}' (known: {})",
                    known.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// The retention rules, checked.
    pub fn rules(&self) -> Result<Rules, RuleError> {
        self.retention
            .iter()
            .map(|r| Rule::new(&r.path, &r.keep, r.purpose.clone()))
            .collect::<Result<Vec<_>, _>>()
            .map(Rules)
    }
}
