//! `pdscout sweep`: a scheduled sweep as its configuration file says.

use super::cli::{InventoryArgs, ShardBy, SweepArgs};
use super::cmd_report::retention_rules;
use super::cmd_scan::{scan, supervise_options};
use crate::config::sweep::SweepConfig;
use crate::config::{self, ScanConfig};
use crate::inventory::{Inventory, Options};
use crate::report::inventory_report::{write_report, ReportFormat};
use crate::report::printer::OutputFormat;
use anyhow::{Context, Result};
use std::io::IsTerminal;

/// The inventory options of a run: the command line's, else the sweep
/// configuration's.
pub(super) fn inventory_options(a: &InventoryArgs, conf: Option<&SweepConfig>) -> Result<Options> {
    let shard = a
        .shard
        .clone()
        .or_else(|| conf.and_then(|c| c.shard.clone()));
    let by_folder = a.shard_by == ShardBy::Folder
        || (a.shard.is_none() && conf.and_then(|c| c.shard_by.as_deref()) == Some("folder"));
    let source = a
        .source
        .clone()
        .or_else(|| conf.and_then(|c| c.source.clone()));
    anyhow::ensure!(
        source.as_deref().is_none_or(|s| !s.trim().is_empty()),
        "--source: give a name (the default is the host name)"
    );
    Ok(Options {
        key_file: a
            .key_file
            .clone()
            .or_else(|| conf.and_then(|c| c.key_file.clone())),
        source,
        // Checked by the command line and by `SweepConfig::load`.
        shard: shard.and_then(|s| crate::walk::Shard::parse(&s, by_folder)),
        generation: a
            .generation
            .clone()
            .or_else(|| conf.and_then(|c| c.generation.clone()))
            .or_else(|| conf.and_then(SweepConfig::scheduled_generation)),
    })
}

/// `pdscout sweep`.
pub(super) fn run(args: SweepArgs) -> Result<i32> {
    let conf = SweepConfig::load(&args.config)?;
    let inventory = inventory_options(&args.inventory, Some(&conf))?;
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
        inventory: inventory.clone(),
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
        let inv = Inventory::open_reader(&conf.db, &inventory)?;
        let r = inv.report(&rules, 500)?;
        let mut out = crate::platform::open_output(Some(path))?;
        write_report(&r, ReportFormat::Html, &mut out)
            .with_context(|| format!("cannot write the report {}", path.display()))?;
    }
    Ok(code)
}
