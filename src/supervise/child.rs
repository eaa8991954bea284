//! The reader process: `pdscout __extract-child [--memory BYTES]
//! [--max-file-time SECS] [--patterns DIR]... [--ocr PROGRAM --ocr-languages
//! LANGS --ocr-timeout SECS]`, started by a scan worker
//! ([`super::Supervisor`]), never by hand.
//!
//! It limits itself first (address space, no core dumps), then reads
//! requests from stdin, one file at a time, until stdin closes, and writes
//! each file's events to stdout ([`super::protocol`]). A panic is caught
//! and reported as such; an abort, a signal or an allocation over the limit
//! ends the process, and the worker reports the file and starts another.
//!
//! Tests only: `PDSCOUT_TEST_CHILD=abort:NAMES`, `hang:NAMES` or
//! `alloc:NAMES` makes the reader abort, sleep forever or allocate without
//! end when asked for a file, or entering a container member, with one of
//! these names (comma-separated), so that the supervision can be tested
//! without a parser bug. Nothing else reads it, and it does nothing to an
//! in-process scan.

use super::protocol::{self, Encoder};
use crate::extract::{
    self, Buffers, Cx, Deadline, ExtractError, Format, Limits, Located, RowCell, UnitSink,
};
use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Runs the reader process with its arguments (after the subcommand);
/// returns its exit status.
pub fn main(args: &[OsString]) -> i32 {
    let mut memory = None;
    let mut max_file_time = None;
    let mut pattern_dirs = Vec::new();
    let (mut ocr, mut ocr_languages, mut ocr_timeout) = (None, None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (Some(flag), Some(value)) = (a.to_str(), it.next()) else {
            return bad_arguments();
        };
        match flag {
            "--memory" => memory = Some(value),
            "--max-file-time" => max_file_time = Some(value),
            "--patterns" => pattern_dirs.push(PathBuf::from(value)),
            "--ocr" => ocr = Some(PathBuf::from(value)),
            "--ocr-languages" => ocr_languages = value.to_str().map(str::to_string),
            "--ocr-timeout" => ocr_timeout = value.to_str().and_then(|t| t.parse::<f64>().ok()),
            _ => return bad_arguments(),
        }
    }
    let memory = match memory.map(|m| m.to_str().and_then(|m| m.parse::<u64>().ok())) {
        Some(None) => return bad_arguments(),
        m => m.flatten(),
    };
    let max_file_time = match max_file_time.map(|t| {
        t.to_str()
            .and_then(|t| t.parse::<f64>().ok())
            .and_then(|t| std::time::Duration::try_from_secs_f64(t).ok())
    }) {
        Some(None) => return bad_arguments(),
        t => t.flatten(),
    };
    limit_self(memory);
    // The worker reports a panic for the file; nothing to say here.
    std::panic::set_hook(Box::new(|_| {}));
    let columns = match crate::detect::pattern::column_table(&pattern_dirs) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("pdscout {}: {e}", super::CHILD_COMMAND);
            return crate::exit_codes::ERROR;
        }
    };
    let ocr = match (ocr, ocr_languages, ocr_timeout) {
        (Some(program), Some(languages), Some(t)) => Some(extract::ocr::Settings {
            program,
            languages,
            timeout: std::time::Duration::try_from_secs_f64(t).unwrap_or_default(),
        }),
        (None, None, None) => None,
        _ => return bad_arguments(),
    };
    let limits = Limits {
        max_file_time,
        ocr,
        ..Limits::default()
    };
    let hook = std::env::var("PDSCOUT_TEST_CHILD").ok();
    let mut input = std::io::stdin().lock();
    let mut out = Encoder::new(std::io::stdout().lock());
    let mut bufs = Buffers::default();
    let mut head = Vec::with_capacity(extract::SNIFF_LEN);
    let mut frame = Vec::new();
    // Until the worker closes stdin (the scan ends) or stops reading.
    while read_frame(&mut input, &mut frame) && out.failed.is_none() {
        let Some(path) = protocol::requested_path(&frame) else {
            return crate::exit_codes::ERROR;
        };
        let path = Path::new(OsStr::from_bytes(path));
        if let Some(hook) = &hook {
            test_hook(hook, path);
        }
        let deadline = Deadline::start(limits.max_file_time);
        let mut cx = Cx::new(&columns, &mut bufs, &limits, &deadline);
        let result = catch_unwind(AssertUnwindSafe(|| match &hook {
            Some(hook) => read_file(
                path,
                &mut head,
                &mut cx,
                &mut Hooked {
                    out: &mut out,
                    hook,
                },
            ),
            None => read_file(path, &mut head, &mut cx, &mut out),
        }));
        out.finish(result.as_ref().ok());
    }
    0
}

fn bad_arguments() -> i32 {
    eprintln!("pdscout {}: bad arguments", super::CHILD_COMMAND);
    crate::exit_codes::ERROR
}

/// Reads one request frame's payload into `frame`; false at the end of input.
fn read_frame(input: &mut impl Read, frame: &mut Vec<u8>) -> bool {
    let mut len = [0; 4];
    if input.read_exact(&mut len).is_err() {
        return false;
    }
    let len = u32::from_le_bytes(len) as usize;
    frame.clear();
    input
        .take(len as u64)
        .read_to_end(frame)
        .is_ok_and(|n| n == len)
}

/// Extracts the file at `path` into `sink`, as the in-process worker does.
fn read_file(
    path: &Path,
    head: &mut Vec<u8>,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(Format, u64), ExtractError> {
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    crate::extract::read_head(&mut file, size, head)?;
    let whole = (head.len() as u64) == size && head.len() < extract::SNIFF_LEN;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    extract::extract_file(&name, head, &mut file, whole, cx, sink)
}

/// Sets the process's limits: its address space to `memory` bytes, if
/// given, and no core dump of a crash (a core of a parser that read
/// personal data would be a copy of it).
fn limit_self(memory: Option<u64>) {
    let set = |resource, bytes: u64| {
        let limit = libc::rlimit {
            rlim_cur: bytes as libc::rlim_t,
            rlim_max: bytes as libc::rlim_t,
        };
        // SAFETY: setrlimit reads the struct it is given, which lives
        // through the call; a refused limit leaves the old one.
        unsafe { libc::setrlimit(resource, &limit) };
    };
    set(libc::RLIMIT_CORE, 0);
    if let Some(m) = memory {
        set(libc::RLIMIT_AS, m);
    }
}

/// The encoder, with the test hook run on each member entered.
struct Hooked<'h, W: std::io::Write> {
    out: &'h mut Encoder<W>,
    hook: &'h str,
}

impl<W: std::io::Write> UnitSink for Hooked<'_, W> {
    fn unit(&mut self, l: &Located<'_>) {
        self.out.unit(l);
    }
    fn row(&mut self, cells: &[RowCell<'_>]) {
        self.out.row(cells);
    }
    fn enter(&mut self, name: &str) {
        self.out.enter(name);
        // What was sent before reaches the worker, as before a real crash
        // in a member (members are sent whole).
        self.out.flush();
        test_hook(self.hook, Path::new(name));
    }
    fn leave(&mut self, result: &Result<(Format, u64), ExtractError>) {
        self.out.leave(result);
    }
    fn enter_part(&mut self, name: &str) {
        self.out.enter_part(name);
    }
    fn leave_part(&mut self) {
        self.out.leave_part();
    }
    fn not_covered(&mut self, reason: &str) {
        self.out.not_covered(reason);
    }
    fn recognised(&mut self, words: &crate::extract::ocr::Recognised) {
        self.out.recognised(words);
    }
    fn ocr_pages(&mut self, pages: u32) {
        self.out.ocr_pages(pages);
    }
    fn begin_object(&mut self) {
        self.out.begin_object();
    }
    fn end_object(&mut self) {
        self.out.end_object();
    }
    fn record_path(&mut self, path: Option<&str>) {
        self.out.record_path(path);
    }
}

/// The test-only behaviours of `PDSCOUT_TEST_CHILD` (module documentation).
fn test_hook(hook: &str, path: &Path) {
    let Some((what, name)) = hook.split_once(':') else {
        return;
    };
    if !name
        .split(',')
        .any(|n| path.file_name() == Some(OsStr::new(n)))
    {
        return;
    }
    match what {
        "abort" => std::process::abort(),
        "hang" => loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        },
        "alloc" => {
            let mut held: Vec<Vec<u8>> = Vec::new();
            loop {
                held.push(vec![1; 64 << 20]);
                std::hint::black_box(&held);
            }
        }
        _ => {}
    }
}
