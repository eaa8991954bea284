//! `pdscout report`: what the inventory holds, and the retention rules
//! `sweep` shares.

use super::cli::{self, ReportArgs};
use crate::config::sweep::SweepConfig;
use crate::exit_codes;
use crate::inventory::Inventory;
use crate::report::inventory_report::{write_report, ReportFormat};
use anyhow::{Context, Result};

/// The retention rules: the configuration's, then `--older-than` for the rest.
pub(super) fn retention_rules(
    sweep: Option<&SweepConfig>,
    older_than: Option<&str>,
) -> Result<crate::inventory::retention::Rules> {
    let mut rules = match sweep {
        Some(c) => c.rules()?,
        None => Default::default(),
    };
    if let Some(d) = older_than {
        rules.0.push(
            crate::inventory::retention::Rule::new("**", d, None).map_err(|_| {
                anyhow::anyhow!("--older-than: '{d}' is not a duration (e.g. 5y, 18m, 90d)")
            })?,
        );
    }
    Ok(rules)
}

/// `pdscout report`.
pub(super) fn run(args: ReportArgs) -> Result<i32> {
    let sweep = args.config.as_deref().map(SweepConfig::load).transpose()?;
    let db = args
        .db
        .clone()
        .or_else(|| sweep.as_ref().map(|c| c.db.clone()))
        .context("report: give --db FILE or --config FILE")?;
    let rules = retention_rules(sweep.as_ref(), args.older_than.as_deref())?;
    let opts = crate::inventory::Options {
        key_file: args
            .key_file
            .clone()
            .or_else(|| sweep.as_ref().and_then(|c| c.key_file.clone())),
        ..Default::default()
    };
    let inv = Inventory::open_reader(&db, &opts)?;
    let r = inv.report(&rules, args.limit)?;
    let format = match args.format {
        cli::ReportFormat::Table => ReportFormat::Table,
        cli::ReportFormat::Html => ReportFormat::Html,
        cli::ReportFormat::Csv => ReportFormat::Csv,
        cli::ReportFormat::Json => ReportFormat::Json,
    };
    let mut out = crate::platform::open_output(args.output.as_deref())?;
    write_report(&r, format, &mut out)?;
    Ok(if r.files_with_findings > 0 {
        exit_codes::FOUND
    } else {
        exit_codes::NOT_FOUND
    })
}
