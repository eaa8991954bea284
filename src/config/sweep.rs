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
//! # key_file, source, shard = "3/8", shard_by = "folder", generation,
//! # schedule = "daily 02:00" (the shards of one scheduled run share a
//! # generation: see [`Schedule`])
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
    /// The sweep the shards belong to (`--generation`; default: the
    /// schedule's run, else the day).
    pub generation: Option<String>,
    /// When the scheduler starts the sweep ([`Schedule`]).
    pub schedule: Option<String>,
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
        if let Some(s) = &self.schedule {
            Schedule::parse(s).map_err(|e| format!("`schedule`: {e}"))?;
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

    /// The generation of a run started now by the schedule, if there is one
    /// (checked by [`Self::load`]).
    pub fn scheduled_generation(&self) -> Option<String> {
        let schedule = Schedule::parse(self.schedule.as_deref()?).ok()?;
        Some(schedule.generation(chrono::Utc::now().timestamp()))
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

/// When a scheduler (Kubernetes CronJob, systemd timer, Slurm) starts a
/// sharded sweep, in UTC: `hourly`, `daily [HH:MM]`, `weekly [mon..sun]
/// [HH:MM]`, or `every N(m|h)` (ticks at multiples of N from 00:00; N
/// divides a day). Each shard names its run by the scheduled tick it
/// belongs to, so the shards of one run agree without talking: a worker
/// that starts late (queued) keeps its tick until the next one, and one
/// whose clock runs up to 5 minutes early (or a tenth of the period, if
/// shorter) still takes the coming tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Seconds between runs.
    period: i64,
    /// Seconds from the Unix epoch's period start to a tick.
    offset: i64,
}

impl Schedule {
    /// Parses a `schedule` value; the error says what is expected.
    pub fn parse(text: &str) -> Result<Schedule, String> {
        const DAY: i64 = 86_400;
        let bad = || {
            format!(
                "'{text}' is not hourly, daily [HH:MM], weekly [mon..sun] [HH:MM] or every N(m|h)"
            )
        };
        let time = |w: Option<&str>| -> Result<i64, String> {
            let Some(w) = w else { return Ok(0) };
            let (h, m) = w.split_once(':').ok_or_else(bad)?;
            match (h.parse::<i64>(), m.parse::<i64>()) {
                (Ok(h @ 0..=23), Ok(m @ 0..=59)) => Ok(h * 3600 + m * 60),
                _ => Err(bad()),
            }
        };
        let words: Vec<&str> = text.split_whitespace().collect();
        let (period, offset) = match words.as_slice() {
            ["hourly"] => (3600, 0),
            ["daily", rest @ ..] if rest.len() <= 1 => (DAY, time(rest.first().copied())?),
            ["weekly", rest @ ..] if rest.len() <= 2 => {
                const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
                let (day, at) = match rest.first() {
                    Some(d) if !d.contains(':') => (
                        DAYS.iter()
                            .position(|x| d.to_ascii_lowercase().starts_with(x)),
                        rest.get(1),
                    ),
                    first => (Some(0), first),
                };
                let day = day.ok_or_else(bad)? as i64;
                // 1970-01-01 was a Thursday: Monday is 4 days after.
                (7 * DAY, (day + 4) % 7 * DAY + time(at.copied())?)
            }
            ["every", n] => {
                let (num, unit) = n.split_at(n.len().saturating_sub(1));
                let num: i64 = num.parse().map_err(|_| bad())?;
                let period = match unit {
                    "m" => num * 60,
                    "h" => num * 3600,
                    _ => return Err(bad()),
                };
                if period <= 0 || DAY % period != 0 {
                    return Err(format!("'{text}': the period must divide a day"));
                }
                (period, 0)
            }
            _ => return Err(bad()),
        };
        Ok(Schedule { period, offset })
    }

    /// The generation of a run started at `now` (Unix seconds): its tick,
    /// as a date when the tick is at midnight, else date and time (UTC).
    pub fn generation(&self, now: i64) -> String {
        let early = (self.period / 10).min(300);
        let tick = (now + early - self.offset).div_euclid(self.period) * self.period + self.offset;
        let t = chrono::DateTime::from_timestamp(tick, 0).unwrap_or_default();
        if tick % 86_400 == 0 {
            t.format("%Y-%m-%d").to_string()
        } else {
            t.format("%Y-%m-%dT%H:%MZ").to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Schedule;

    /// 2026-12-06 (a Sunday) 02:00:00 UTC.
    const SUN_2AM: i64 = 1_796_522_400;

    #[test]
    fn shards_of_one_scheduled_run_share_its_generation() {
        let daily = Schedule::parse("daily 02:00").expect("test data");
        // Started on time, an hour late (queued), 2 minutes early.
        for t in [
            SUN_2AM,
            SUN_2AM + 3600,
            SUN_2AM - 120,
            SUN_2AM + 86_399 - 300,
        ] {
            assert_eq!(daily.generation(t), "2026-12-06T02:00Z", "{t}");
        }
        assert_eq!(daily.generation(SUN_2AM - 3600), "2026-12-05T02:00Z");
        let midnight = Schedule::parse("daily").expect("test data");
        assert_eq!(midnight.generation(SUN_2AM), "2026-12-06");
        let weekly = Schedule::parse("weekly sat 23:00").expect("test data");
        assert_eq!(weekly.generation(SUN_2AM), "2026-12-05T23:00Z");
        let monday = Schedule::parse("weekly").expect("test data");
        assert_eq!(monday.generation(SUN_2AM), "2026-11-30");
        let six = Schedule::parse("every 6h").expect("test data");
        assert_eq!(six.generation(SUN_2AM + 4 * 3600), "2026-12-06T06:00Z");
        assert_eq!(
            Schedule::parse("hourly")
                .expect("test data")
                .generation(SUN_2AM + 59),
            "2026-12-06T02:00Z"
        );
        for bad in [
            "nightly",
            "daily 25:00",
            "every 7h",
            "every 0m",
            "weekly sometime",
        ] {
            assert!(Schedule::parse(bad).is_err(), "{bad}");
        }
    }
}
