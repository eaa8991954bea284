//! `pdscout scan`, and what every command that scans shares: the
//! configuration from the common options, the run, the one-line summary and
//! the exit status.

use super::cli::{CommonArgs, FormatArg, ScanArgs};
use crate::config::{self, ScanConfig};
use crate::exit_codes;
use crate::report::printer::{files_scanned, human_bytes, plural, OutputFormat};
use crate::report::Summary;
use anyhow::{Context, Result};
use std::io::IsTerminal;
use std::sync::atomic::Ordering;

/// `pdscout scan`.
pub(super) fn run(args: ScanArgs) -> Result<i32> {
    let mut cfg = scan_config(args.paths, args.common)?;
    cfg.full = args.full;
    cfg.allow_empty_root = args.allow_empty_root;
    scan(cfg)
}

/// The configuration of a run over `paths` with the common options `c`.
pub(super) fn scan_config(paths: Vec<std::path::PathBuf>, c: CommonArgs) -> Result<ScanConfig> {
    let to_terminal = c.output.is_none() && std::io::stdout().is_terminal();
    let format = match c.format {
        Some(FormatArg::Table) => OutputFormat::Table,
        Some(FormatArg::Jsonl) => OutputFormat::Jsonl,
        Some(FormatArg::Json) => OutputFormat::Json,
        Some(FormatArg::Csv) => OutputFormat::Csv,
        Some(FormatArg::Html) => OutputFormat::Html,
        None if to_terminal => OutputFormat::Table,
        None => OutputFormat::Jsonl,
    };
    let paths = stdin_roots(paths, c.db.is_some())?;
    let threads = c.threads.unwrap_or_else(config::default_threads).max(1);
    let supervise = supervise_options(c.in_process, c.child_memory.as_deref(), threads)
        .context("--child-memory")?;
    Ok(ScanConfig {
        roots: paths,
        format,
        output: c.output,
        reveal: c.reveal,
        kinds: c.kinds,
        pattern_dirs: c.patterns,
        threads,
        include: c.include,
        exclude: c.exclude,
        max_file_size: c.max_file_size,
        follow_links: c.follow_links,
        min_confidence: c.min_confidence,
        allow_file: c.allow,
        quiet: c.quiet,
        progress: !c.quiet && !c.no_progress && std::io::stderr().is_terminal(),
        subject: None,
        db: c.db,
        inventory: super::cmd_sweep::inventory_options(&c.inventory, None)?,
        full: false,
        max_file_time: Some(c.max_file_time),
        allow_empty_root: false,
        supervise,
        ocr: config::ocr(c.ocr, c.ocr_timeout)?,
    })
}

/// `paths` with `-` replaced by a copy of standard input (reported as
/// `<stdin>`); refused with an inventory, which records files on disk.
fn stdin_roots(paths: Vec<std::path::PathBuf>, db: bool) -> Result<Vec<std::path::PathBuf>> {
    if !paths.iter().any(|p| crate::walk::stdin::is_arg(p)) {
        return Ok(paths);
    }
    anyhow::ensure!(
        !db,
        "`-` (standard input) cannot be recorded in an inventory: leave out --db"
    );
    paths
        .into_iter()
        .map(|p| {
            if crate::walk::stdin::is_arg(&p) {
                Ok(crate::walk::stdin::copy()?)
            } else {
                Ok(p)
            }
        })
        .collect()
}

/// Reader processes for the parsers of untrusted formats, unless asked
/// not to (`--in-process`), with `child_memory` each (a size) or the
/// default for `threads` workers.
pub(super) fn supervise_options(
    in_process: bool,
    child_memory: Option<&str>,
    threads: usize,
) -> Result<Option<crate::supervise::Options>> {
    if in_process || cfg!(not(unix)) {
        return Ok(None);
    }
    let mut opts = crate::supervise::Options::for_threads(threads);
    if let Some(s) = child_memory {
        opts.memory = config::parse_size(s)
            .filter(|m| *m >= 64 << 20)
            .with_context(|| format!("'{s}' is not a size of at least 64M (e.g. 512M, 2G)"))?;
    }
    Ok(Some(opts))
}

/// Runs a scan as configured (SIGINT/SIGTERM end it with a complete report).
pub(super) fn scan(cfg: ScanConfig) -> Result<i32> {
    let _ = ctrlc::set_handler(|| {
        if crate::platform::INTERRUPT.swap(true, Ordering::Relaxed) {
            // A second Ctrl-C: stop now, the progress bar's line cleared.
            if std::io::stderr().is_terminal() {
                eprint!("\r\x1b[2K");
            }
            crate::walk::stdin::release();
            std::process::exit(exit_codes::INTERRUPTED);
        }
    });
    let outcome = crate::scan::run(&cfg)?;
    finish(&cfg, outcome)
}

/// The one-line summary on stderr, and the exit status.
pub(super) fn finish(cfg: &ScanConfig, outcome: crate::scan::Outcome) -> Result<i32> {
    let table_on_stdout = cfg.format == OutputFormat::Table && cfg.output.is_none();
    if !cfg.quiet && !table_on_stdout && !outcome.broken_pipe {
        eprintln!("{}", one_line_summary(&outcome.summary));
    }
    Ok(exit_status(&outcome.summary, outcome.broken_pipe))
}

/// grep's convention, plus 130 for an interrupted run.
fn exit_status(s: &Summary, broken_pipe: bool) -> i32 {
    if s.interrupted || crate::platform::INTERRUPT.load(Ordering::Relaxed) {
        exit_codes::INTERRUPTED
    } else if broken_pipe || s.total_findings() > 0 {
        exit_codes::FOUND
    } else {
        exit_codes::NOT_FOUND
    }
}

fn one_line_summary(s: &Summary) -> String {
    let kinds: Vec<String> = s.findings.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let mut line = format!(
        "pdscout: {}, {} with personal data: {}",
        files_scanned(s, &human_bytes(s.bytes_scanned)),
        s.files_with_findings,
        plural(s.total_findings(), "finding", "findings")
    );
    if !kinds.is_empty() {
        line.push_str(&format!(" ({})", kinds.join(", ")));
    }
    if s.suppressed > 0 {
        line.push_str(&format!("; {} suppressed by --allow", s.suppressed));
    }
    if s.errors > 0 {
        line.push_str(&format!("; {} not read (see error records)", s.errors));
    }
    if s.files_skipped > 0 {
        let n = plural(s.files_skipped, "binary file", "binary files");
        line.push_str(&format!("; {n} skipped"));
    }
    line.push_str(&format!("; {:.2} s", s.elapsed_ms as f64 / 1000.0));
    if let Some(inv) = &s.inventory {
        line.push_str(&format!(
            "; inventory run {}: {} files read, {} unchanged, {} removed",
            inv.run, inv.files_read, inv.files_unchanged, inv.files_removed
        ));
    }
    if s.interrupted {
        line.push_str("; INTERRUPTED");
    }
    line
}
