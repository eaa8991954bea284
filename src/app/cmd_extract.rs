//! `pdscout extract FILE…`: the text units pdscout reads from files, with
//! their locations, nothing detected. Files are read as `scan` reads them:
//! the formats `scan` reads in a reader process go to one here too (unless
//! `--in-process`). With `--ocr`, pictures and scanned PDF pages are read
//! with the OCR engine, as `scan --ocr` reads them.

use super::cli::{ExtractArgs, ExtractFormat};
use crate::extract::dump::{DumpFormat, DumpSink};
use crate::extract::{Format, SNIFF_LEN};
use anyhow::Result;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `pdscout extract`.
pub(super) fn run(args: ExtractArgs) -> Result<i32> {
    let opts = DumpOptions {
        format: match args.format {
            ExtractFormat::Text => DumpFormat::Text,
            ExtractFormat::Json => DumpFormat::Json,
        },
        in_process: args.in_process,
        max_file_time: Some(args.max_file_time),
        // No engine: exit 2 with the install line, before any file.
        ocr: crate::config::ocr(args.ocr, args.ocr_timeout)?,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let all_read = read_all(&args.files, &opts, &mut out)?;
    std::io::Write::flush(&mut out)?;
    // 1: some file not (fully) read (its last line says why).
    Ok(if all_read { 0 } else { 1 })
}

/// How [`read_all`] reads.
#[derive(Debug, Clone)]
struct DumpOptions {
    format: DumpFormat,
    /// Every file in this process (no reader process).
    in_process: bool,
    /// Time spent on one file, at most.
    max_file_time: Option<std::time::Duration>,
    /// `--ocr`: the engine pictures and scanned pages are read with.
    ocr: Option<crate::extract::ocr::Settings>,
}

/// Why `pdscout extract` stopped.
#[derive(Debug, thiserror::Error)]
enum DumpError {
    #[error("cannot write the output: {0}")]
    Output(std::io::Error),
    #[error(transparent)]
    Patterns(#[from] crate::detect::pattern::PatternError),
}

/// Writes the units of each file of `paths` to `out`, reading each as
/// `scan` does. Returns whether every file was read.
fn read_all(paths: &[PathBuf], opts: &DumpOptions, out: &mut dyn Write) -> Result<bool, DumpError> {
    let columns = crate::detect::pattern::column_table(&[])?;
    let max_file_time =
        crate::extract::ocr::Settings::file_time(opts.ocr.as_ref(), opts.max_file_time);
    #[cfg(unix)]
    let mut supervisor = (!opts.in_process)
        .then(|| {
            crate::supervise::Supervisor::new(
                &crate::supervise::Options::for_threads(1),
                max_file_time,
                &[],
                opts.ocr.as_ref(),
            )
        })
        .flatten();
    // No reader processes on Windows: every file is read in process.
    #[cfg(not(unix))]
    let mut supervisor: Option<crate::supervise::Supervisor> = {
        let _ = opts.in_process;
        None
    };
    let limits = crate::extract::Limits {
        max_file_time,
        ocr: opts.ocr.clone(),
        ..Default::default()
    };
    let mut bufs = crate::extract::Buffers::default();
    let mut head = Vec::with_capacity(SNIFF_LEN);
    let mut all_read = true;
    for path in paths {
        let mut sink = DumpSink::new(out, opts.format, path.display().to_string());
        let opened = if path.is_dir() {
            Err(std::io::Error::other("a folder, not a file"))
        } else {
            read_head_of(path, &mut head)
        };
        let result = match opened {
            Err(e) => Err(e.into()),
            Ok((file, whole)) => {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default();
                let format = crate::extract::sniff(&name, &head).format;
                match supervisor
                    .as_mut()
                    .filter(|_| crate::supervise::supervised(format))
                {
                    Some(s) => s.extract(path, &columns, &mut sink),
                    None => {
                        let deadline = crate::extract::Deadline::start(max_file_time);
                        let mut cx =
                            crate::extract::Cx::new(&columns, &mut bufs, &limits, &deadline);
                        let mut file = file;
                        crate::extract::extract_file(
                            &name, &head, &mut file, whole, &mut cx, &mut sink,
                        )
                    }
                }
            }
        };
        all_read &= matches!(result, Ok((f, _)) if f != Format::Binary);
        sink.finish(&result);
        match sink.failed.take() {
            // A reader of the output that stopped (`| head`) is not an error.
            Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(all_read),
            Some(e) => return Err(DumpError::Output(e)),
            None => {}
        }
    }
    Ok(all_read)
}

/// Opens `path` and reads its first bytes into `head`, as `scan` does;
/// also says whether they are the whole file.
fn read_head_of(path: &Path, head: &mut Vec<u8>) -> std::io::Result<(std::fs::File, bool)> {
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    crate::extract::read_head(&mut file, size, head)?;
    Ok((file, head.len() as u64 == size && head.len() < SNIFF_LEN))
}
