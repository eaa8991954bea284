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
use clap::{CommandFactory, Parser};
use cli::{Cli, Command};
use std::ffi::OsString;
use std::io::Write;

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
                source_file(loc.file()),
                loc.line()
            );
        }
    }));
    let args: Vec<OsString> = std::env::args_os().collect();
    crate::report::set_command_line(masked_command_line(&args));
    let cli = match Cli::try_parse_from(&args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { exit_codes::ERROR } else { 0 };
        }
    };
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("pdscout: {}", error_text(&e));
            exit_codes::ERROR
        }
    };
    crate::walk::stdin::release();
    code
}

/// An error and its causes, each said once: a typed error that quotes its
/// source (`cannot read X: No such file…`) is not followed by that source
/// again.
fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let s = cause.to_string();
        if text.contains(&s) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&s);
    }
    text
}

/// A panic's source file without the build machine's folders: a
/// dependency's path from its crate's folder (`lopdf-0.40.0/src/…`), not
/// from `~/.cargo/registry/src/index…/`.
fn source_file(file: &str) -> &str {
    let parts: Vec<&str> = file.split(['/', '\\']).collect();
    let skip = if let Some(i) = parts.iter().position(|p| *p == "registry") {
        i + 3 // registry/src/<index>/
    } else if let Some(i) = parts.iter().position(|p| *p == "checkouts") {
        i + 3 // git/checkouts/<repo>/<rev>/
    } else {
        return file;
    };
    if skip >= parts.len() {
        return file;
    }
    let dropped: usize = parts[..skip].iter().map(|p| p.len() + 1).sum();
    &file[dropped..]
}

/// The values of these options are a person's identifiers (`subject`).
const IDENTIFIER_OPTIONS: &[&str] = &[
    "--name",
    "--email",
    "--phone",
    "--iban",
    "--nir",
    "--birthdate",
    "--address",
    "--id",
];

/// The command line as reports show it: `pdscout` and the arguments, the
/// values of identifier options masked as in the subject's report, an
/// argument with spaces or quotes in single quotes.
fn masked_command_line(args: &[OsString]) -> String {
    let mut out = vec!["pdscout".to_string()];
    let mut mask_next: Option<&str> = None;
    for a in args.iter().skip(1) {
        let a = a.to_string_lossy();
        if let Some(opt) = mask_next.take() {
            out.push(quoted(&masked(opt, &a)));
            continue;
        }
        if let Some(opt) = IDENTIFIER_OPTIONS.iter().find(|o| **o == a) {
            mask_next = Some(opt);
            out.push(a.into_owned());
        } else if let Some((opt, value)) = a
            .split_once('=')
            .filter(|(o, _)| IDENTIFIER_OPTIONS.contains(o))
        {
            out.push(quoted(&format!("{opt}={}", masked(opt, value))));
        } else {
            out.push(quoted(&a));
        }
    }
    out.join(" ")
}

/// One identifier given with `opt`, masked ([`crate::subject::SubjectIds::masked`]).
fn masked(opt: &str, value: &str) -> String {
    let (kind, value, shown) = match opt.strip_prefix("--") {
        Some("id") => match value.split_once('=') {
            Some((k, v)) => (k.trim().to_lowercase(), v, format!("{k}=")),
            None => return "*".repeat(value.chars().count().min(8)),
        },
        Some(kind) => (kind.to_string(), value, String::new()),
        None => return String::new(),
    };
    let mut ids = crate::subject::SubjectIds::default();
    ids.add(&kind, vec![value.to_string()]);
    let masked = ids.masked().pop().map(|(_, m)| m).unwrap_or_default();
    format!("{shown}{masked}")
}

fn quoted(a: &str) -> String {
    if !a.is_empty()
        && !a
            .chars()
            .any(|c| c.is_whitespace() || "'\"\\$`!*?;&|<>()".contains(c))
    {
        return a.to_string();
    }
    format!("'{}'", a.replace('\'', "'\\''"))
}

/// `pdscout completions SHELL`.
fn completions(shell: clap_complete::Shell) -> Result<i32> {
    // Generated into memory: clap_complete panics on a write error (a
    // closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "pdscout", &mut script);
    print_all(&script)
}

/// Writes `bytes` to stdout; a reader that stopped early is not an error.
fn print_all(bytes: &[u8]) -> Result<i32> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(0),
    }
}

/// `pdscout man`: the page of `pdscout`, then each subcommand's synopsis
/// and options as subsections of a section of its own.
fn man() -> Result<i32> {
    let cmd = Cli::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut page)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("pdscout {}", sub.get_name());
        page.extend_from_slice(format!(".SH \"{}\"\n", name.to_uppercase()).as_bytes());
        let man = clap_mangen::Man::new(sub.clone().bin_name(name));
        let mut part = Vec::new();
        man.render_description_section(&mut part)?;
        man.render_synopsis_section(&mut part)?;
        man.render_options_section(&mut part)?;
        man.render_subcommands_section(&mut part)?;
        let part = String::from_utf8_lossy(&part).replace(".SH ", ".SS ");
        page.extend_from_slice(part.as_bytes());
    }
    print_all(&page)
}

fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Scan(args) => cmd_scan::run(args),
        Command::Subject(args) => cmd_subject::run(args),
        Command::Report(args) => cmd_report::run(args),
        Command::Sweep(args) => cmd_sweep::run(args),
        Command::Patterns(cmd) => cmd_patterns::run(cmd),
        Command::Extract(args) => cmd_extract::run(args),
        Command::Completions { shell } => completions(shell),
        Command::Man => man(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_names_the_crate_file_not_the_build_machine() {
        let f = "/home/ci/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/lopdf-0.40.0/src/reader.rs";
        assert_eq!(source_file(f), "lopdf-0.40.0/src/reader.rs");
        let w = r"C:\Users\ci\.cargo\registry\src\index.crates.io-1949cf8c6b5b557f\zip-9.0.0\src\read.rs";
        assert_eq!(source_file(w), r"zip-9.0.0\src\read.rs");
        assert_eq!(source_file("src/extract/pdf.rs"), "src/extract/pdf.rs");
    }

    #[test]
    fn identifiers_are_masked_in_the_command_line() {
        let args: Vec<OsString> = [
            "/usr/bin/pdscout",
            "subject",
            "D:\\Partages",
            "--name",
            "Jean Dupont",
            "--iban=FR76 3000 6000 0112 3456 7890 189",
            "--format",
            "html",
        ]
        .iter()
        .map(Into::into)
        .collect();
        let line = masked_command_line(&args);
        assert_eq!(
            line,
            "pdscout subject 'D:\\Partages' --name 'J*** D*****' '--iban=FR76 **** **** **** **** ***0 189' --format html"
        );
    }

    #[test]
    fn a_cause_quoted_by_its_error_is_not_repeated() {
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        let e = anyhow::Error::new(io).context(format!(
            "cannot read x: {}",
            std::io::Error::from(std::io::ErrorKind::NotFound)
        ));
        assert_eq!(error_text(&e), "cannot read x: entity not found");
    }
}
