//! The `pdscout` binary: parses the command line, builds the library's
//! configuration and maps the outcome to the exit status. Nothing else.

mod cli;

use anyhow::{Context, Result};
use clap::Parser;
use cli::{Cli, Command, CommonArgs, FormatArg, PatternsCommand, ReportArgs, SweepArgs};
use pdscout::config::{self, ScanConfig};
use pdscout::detect::subject::SubjectIds;
use pdscout::detect::{examples, Unit};
use pdscout::exit_codes;
use pdscout::inventory::config::SweepConfig;
use pdscout::inventory::Inventory;
use pdscout::report::inventory::{write_report, ReportFormat};
use pdscout::report::printer::{human_bytes, OutputFormat};
use pdscout::report::Summary;
use std::io::IsTerminal;
use std::sync::atomic::Ordering;

fn main() {
    // A reader process of the scan (`src/supervise/`): not a command of
    // the command line, so not in `--help`.
    #[cfg(unix)]
    {
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        if args
            .get(1)
            .is_some_and(|a| a == pdscout::supervise::CHILD_COMMAND)
        {
            std::process::exit(pdscout::supervise::child::main(&args[2..]));
        }
    }
    // A panic message could quote file content: say where, never what.
    std::panic::set_hook(Box::new(|info| {
        if let Some(loc) = info.location() {
            eprintln!(
                "pdscout: a parser failed at {}:{} (the file being read is reported as an error record; the scan goes on)",
                loc.file(),
                loc.line()
            );
        }
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            std::process::exit(if e.use_stderr() { exit_codes::ERROR } else { 0 });
        }
    };
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("pdscout: {e:#}");
            exit_codes::ERROR
        }
    };
    std::process::exit(code);
}

fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Scan(args) => {
            let mut cfg = scan_config(args.paths, args.common)?;
            cfg.full = args.full;
            cfg.allow_empty_root = args.allow_empty_root;
            scan(cfg)
        }
        Command::Subject(args) => {
            let ids = SubjectIds {
                names: args.name,
                emails: args.email,
                phones: args.phone,
                ibans: args.iban,
                nirs: args.nir,
                birthdates: args.birthdate,
                addresses: args.address,
            };
            anyhow::ensure!(
                !ids.is_empty(),
                "subject: give at least one identifier (--name, --email, --phone, --iban, --nir, --birthdate, --address)"
            );
            let mut cfg = scan_config(args.paths, args.common)?;
            // Every kind is looked for: the person's record is all of it.
            cfg.kinds = None;
            cfg.subject = Some(ids);
            match cfg.db.take() {
                Some(db) => {
                    if cfg.reveal && !args.verify {
                        eprintln!("pdscout: the inventory keeps no values: add --verify to read them from the files");
                    }
                    let outcome = pdscout::scan::subject_from_index(&cfg, &db, args.verify)?;
                    finish(&cfg, outcome)
                }
                None => scan(cfg),
            }
        }
        Command::Report(args) => report(args),
        Command::Sweep(args) => sweep(args),
        Command::Patterns(cmd) => patterns(cmd),
        Command::Extract(args) => extract(args),
    }
}

/// `pdscout extract`: see [`pdscout::extract::dump`].
fn extract(args: cli::ExtractArgs) -> Result<i32> {
    use pdscout::extract::dump::{self, DumpFormat, DumpOptions};
    let opts = DumpOptions {
        format: match args.format {
            cli::ExtractFormat::Text => DumpFormat::Text,
            cli::ExtractFormat::Json => DumpFormat::Json,
        },
        in_process: args.in_process,
        max_file_time: Some(args.max_file_time),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let all_read = dump::run(&args.files, &opts, &mut out)?;
    std::io::Write::flush(&mut out)?;
    // 1: some file not (fully) read (its last line says why).
    Ok(if all_read { 0 } else { 1 })
}

fn scan_config(paths: Vec<std::path::PathBuf>, c: CommonArgs) -> Result<ScanConfig> {
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
    let max_file_size = match &c.max_file_size {
        Some(s) => Some(
            config::parse_size(s)
                .with_context(|| format!("--max-file-size: '{s}' is not a size (e.g. 500M, 2G)"))?,
        ),
        None => None,
    };
    anyhow::ensure!(
        (0.0..=1.0).contains(&c.min_confidence),
        "--min-confidence must be between 0 and 1"
    );
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
        max_file_size,
        follow_links: c.follow_links,
        min_confidence: c.min_confidence,
        allow_file: c.allow,
        quiet: c.quiet,
        progress: !c.quiet && !c.no_progress && std::io::stderr().is_terminal(),
        subject: None,
        db: c.db,
        full: false,
        max_file_time: Some(c.max_file_time),
        allow_empty_root: false,
        supervise,
    })
}

/// Reader processes for the parsers of untrusted formats, unless asked
/// not to (`--in-process`), with `child_memory` each (a size) or the
/// default for `threads` workers.
fn supervise_options(
    in_process: bool,
    child_memory: Option<&str>,
    threads: usize,
) -> Result<Option<pdscout::supervise::Options>> {
    if in_process || cfg!(not(unix)) {
        return Ok(None);
    }
    let mut opts = pdscout::supervise::Options::for_threads(threads);
    if let Some(s) = child_memory {
        opts.memory = config::parse_size(s)
            .filter(|m| *m >= 64 << 20)
            .with_context(|| format!("'{s}' is not a size of at least 64M (e.g. 512M, 2G)"))?;
    }
    Ok(Some(opts))
}

fn scan(cfg: ScanConfig) -> Result<i32> {
    let _ = ctrlc::set_handler(|| {
        pdscout::scan::INTERRUPT.store(true, Ordering::Relaxed);
    });
    let outcome = pdscout::scan::run(&cfg)?;
    finish(&cfg, outcome)
}

/// The one-line summary on stderr, and the exit status.
fn finish(cfg: &ScanConfig, outcome: pdscout::scan::Outcome) -> Result<i32> {
    let table_on_stdout = cfg.format == OutputFormat::Table && cfg.output.is_none();
    if !cfg.quiet && !table_on_stdout && !outcome.broken_pipe {
        eprintln!("{}", one_line_summary(&outcome.summary));
    }
    Ok(exit_status(&outcome.summary, outcome.broken_pipe))
}

/// grep's convention, plus 130 for an interrupted run.
fn exit_status(s: &Summary, broken_pipe: bool) -> i32 {
    if s.interrupted || pdscout::scan::INTERRUPT.load(Ordering::Relaxed) {
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
        "pdscout: {} files scanned ({}), {} with personal data: {} findings",
        s.files_scanned,
        human_bytes(s.bytes_scanned),
        s.files_with_findings,
        s.total_findings()
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
        line.push_str(&format!("; {} binary files skipped", s.files_skipped));
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

/// The retention rules: the configuration's, then `--older-than` for the rest.
fn retention_rules(
    sweep: Option<&SweepConfig>,
    older_than: Option<&str>,
) -> Result<pdscout::inventory::retention::Rules> {
    let mut rules = match sweep {
        Some(c) => c.rules().map_err(anyhow::Error::msg)?,
        None => Default::default(),
    };
    if let Some(d) = older_than {
        rules.0.push(
            pdscout::inventory::retention::Rule::new("**", d, None).map_err(|_| {
                anyhow::anyhow!("--older-than: '{d}' is not a duration (e.g. 5y, 18m, 90d)")
            })?,
        );
    }
    Ok(rules)
}

fn report(args: ReportArgs) -> Result<i32> {
    let sweep = args
        .config
        .as_deref()
        .map(SweepConfig::load)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let db = args
        .db
        .clone()
        .or_else(|| sweep.as_ref().map(|c| c.db.clone()))
        .context("report: give --db FILE or --config FILE")?;
    let rules = retention_rules(sweep.as_ref(), args.older_than.as_deref())?;
    let inv = Inventory::open_reader(&db)?;
    let r = inv.report(&rules, args.limit)?;
    let format = match args.format {
        cli::ReportFormat::Table => ReportFormat::Table,
        cli::ReportFormat::Html => ReportFormat::Html,
        cli::ReportFormat::Csv => ReportFormat::Csv,
        cli::ReportFormat::Json => ReportFormat::Json,
    };
    let mut out = pdscout::scan::open_output(args.output.as_deref())?;
    write_report(&r, format, &mut out)?;
    Ok(if r.files_with_findings > 0 {
        exit_codes::FOUND
    } else {
        exit_codes::NOT_FOUND
    })
}

fn sweep(args: SweepArgs) -> Result<i32> {
    let conf = SweepConfig::load(&args.config).map_err(anyhow::Error::msg)?;
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
        ..ScanConfig::default()
    };
    let code = scan(cfg)?;
    if let Some(path) = &conf.report {
        let inv = Inventory::open_reader(&conf.db)?;
        let r = inv.report(&rules, 500)?;
        let mut out = pdscout::scan::open_output(Some(path))?;
        write_report(&r, ReportFormat::Html, &mut out)
            .with_context(|| format!("cannot write the report {}", path.display()))?;
    }
    Ok(code)
}

fn patterns(cmd: PatternsCommand) -> Result<i32> {
    let dirs = match &cmd {
        PatternsCommand::List { patterns }
        | PatternsCommand::Test { patterns, .. }
        | PatternsCommand::Check { patterns } => patterns.clone(),
    };
    let cfg = ScanConfig {
        pattern_dirs: dirs,
        ..ScanConfig::default()
    };
    let d = config::detectors(&cfg)?;
    match cmd {
        PatternsCommand::List { .. } => {
            println!(
                "{:<20} {:<10} {:<12} {:<12} {:>5}  source",
                "pattern", "kind", "normaliser", "validator", "conf"
            );
            for p in d.engine.patterns() {
                println!(
                    "{:<20} {:<10} {:<12} {:<12} {:>5.2}  {}",
                    p.def.id, p.kind, p.def.normaliser, p.def.validator, p.def.confidence, p.source
                );
            }
            Ok(exit_codes::FOUND)
        }
        PatternsCommand::Test { text, column, .. } => {
            let role = column.as_deref().and_then(|c| d.columns.recognize(c));
            let unit = Unit {
                column_kind: role.map(|r| r.kind.as_str()),
                ..Unit::whole(&text)
            };
            let mut found = Vec::new();
            d.engine.detector().detect(&unit, &mut found);
            for f in &found {
                let p = &d.engine.patterns()[f.pattern];
                let col = text[..f.start].chars().count() + 1;
                println!(
                    "{:<10} {:<32} col {:<4} conf {:.2}  [{}]",
                    p.kind, f.value, col, f.confidence, p.def.id
                );
            }
            if found.is_empty() {
                println!("nothing found");
            }
            Ok(if found.is_empty() {
                exit_codes::NOT_FOUND
            } else {
                exit_codes::FOUND
            })
        }
        PatternsCommand::Check { .. } => {
            let failures = examples::check(&d.engine, &d.columns);
            let n: usize = d
                .engine
                .patterns()
                .iter()
                .map(|p| p.def.examples.len() + p.def.negative_examples.len())
                .sum();
            for f in &failures {
                println!("FAIL {f}");
            }
            println!(
                "{} patterns, {} examples: {} passed, {} failed",
                d.engine.patterns().len(),
                n,
                n - failures.len(),
                failures.len()
            );
            Ok(if failures.is_empty() {
                exit_codes::FOUND
            } else {
                exit_codes::NOT_FOUND
            })
        }
    }
}
