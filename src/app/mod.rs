//! The command line: [`cli`] declares it, one `cmd_*` module runs each
//! subcommand (builds the library's configuration, calls the run, maps the
//! outcome to the exit status). `src/main.rs` only calls [`main`].

pub mod cli;
mod cmd_extract;
mod cmd_patterns;
mod cmd_report;
mod cmd_scan;
mod cmd_subject;
mod cmd_sweep;

use crate::exit_codes;
use anyhow::Result;
use clap::Parser;
use cli::{Cli, Command};

/// Runs the command line of this process; returns the exit status.
pub fn main() -> i32 {
    // A reader process of the scan (`src/supervise/`): not a command of
    // the command line, so not in `--help`.
    #[cfg(unix)]
    {
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        if args
            .get(1)
            .is_some_and(|a| a == crate::supervise::CHILD_COMMAND)
        {
            return crate::supervise::child::main(&args[2..]);
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
            return if e.use_stderr() { exit_codes::ERROR } else { 0 };
        }
    };
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("pdscout: {e:#}");
            exit_codes::ERROR
        }
    };
    code
}

fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Scan(args) => cmd_scan::run(args),
        Command::Subject(args) => cmd_subject::run(args),
        Command::Report(args) => cmd_report::run(args),
        Command::Sweep(args) => cmd_sweep::run(args),
        Command::Patterns(cmd) => cmd_patterns::run(cmd),
        Command::Extract(args) => cmd_extract::run(args),
    }
}
