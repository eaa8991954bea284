//! `pdscout sweep`: a scheduled sweep as its configuration file says.

use super::cli::SweepArgs;
use super::cmd_report::retention_rules;
use super::cmd_scan::{scan, supervise_options};
use crate::config::sweep::SweepConfig;
use crate::config::{self, ScanConfig};
use crate::inventory::Inventory;
use crate::report::inventory::{write_report, ReportFormat};
use crate::report::printer::OutputFormat;
use anyhow::{Context, Result};
use std::io::IsTerminal;

/// `pdscout sweep`.
pub(super) fn run(args: SweepArgs) -> Result<i32> {
    let conf = SweepConfig::load(&args.config)?;
    let rules = retention_rules(Some(&conf), None)?;
    // Checked by `SweepConfig::load`.
    let max_file_size = conf.max_file_size.as_deref().and_then(config::parse_size);
    let threads = conf.threads.unwrap_or_else(config::default_threads).max(1);
    let supervise = supervise_options(conf.in_process, conf.child_memory.as_deref(), threads)
        .context("child_memory")?;
    let cfg = ScanConfig {
        roots: conf.roots.clone(),
        format: OutputFormat::Discard,
        output: None,
        kinds: conf.kinds.clone(),
        pattern_dirs: conf.patterns.clone(),
        threads,
        include: conf.include.clone(),
        exclude: conf.exclude.clone(),
        max_file_size,
        follow_links: conf.follow_links,
        min_confidence: conf
            .min_confidence
            .unwrap_or(config::DEFAULT_MIN_CONFIDENCE),
        allow_file: conf.allow.clone(),
        quiet: args.quiet,
        progress: !args.quiet && std::io::stderr().is_terminal(),
        db: Some(conf.db.clone()),
        full: args.full,
        max_file_time: conf
            .max_file_time
            .map(std::time::Duration::from_secs_f64)
            .or(ScanConfig::default().max_file_time),
        allow_empty_root: conf.allow_empty_root || args.allow_empty_root,
        supervise,
        ocr: config::ocr(conf.ocr, conf.ocr_timeout())?,
        ..ScanConfig::default()
    };
    let code = scan(cfg)?;
    if let Some(path) = &conf.report {
        let inv = Inventory::open_reader(&conf.db)?;
        let r = inv.report(&rules, 500)?;
        let mut out = crate::platform::open_output(Some(path))?;
        write_report(&r, ReportFormat::Html, &mut out)
            .with_context(|| format!("cannot write the report {}", path.display()))?;
    }
    Ok(code)
}
