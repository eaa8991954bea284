//! OCR of scans and pictures with Tesseract (`--ocr`).
//!
//! The `tesseract` program is driven rather than linked: `cargo build` needs
//! nothing installed, a crash of the engine is a failed child, not a failed
//! scan, and the reader process's memory limit covers it. It is found on the
//! `PATH`, or named by `PDSCOUT_TESSERACT`, once at the start of a run
//! ([`Settings::find`]); a run with `--ocr` and no engine stops there (exit
//! 2, with [`INSTALL`]). Image bytes go through its stdin and the result
//! comes back as TSV on its stdout (words with their confidence, lines,
//! blocks): no temporary file holds personal data. `OMP_THREAD_LIMIT=1`:
//! the scan's workers already give each file one core.
//!
//! What is read: image files (JPEG, PNG, TIFF with all its pages, BMP, GIF,
//! WebP: [`extract`]), and the pages of a PDF that have no text layer but an
//! image (`pdf/image.rs` hands it to [`recognise`]). Each page becomes one
//! unit located at its page; before it, the sink gets the words' confidences
//! ([`UnitSink::recognised`]), which lower the confidence of the findings
//! made in those words (`scan/sink.rs`: × (0.6 + 0.4 × the lowest word
//! confidence)). Without `--ocr`, image files are listed as skipped with the
//! reason [`NEEDS_OCR`], and image pages of PDFs as not covered, with it.
//!
//! Cost: a page takes seconds; the OCR of one file has its own budget
//! ([`Settings::timeout`], `--ocr-timeout`), added to the file's
//! `--max-file-time`. Pictures too small to hold a line of text are skipped
//! before Tesseract is started ([`image::too_small`]); a picture in which
//! Tesseract finds no word it is sure of (a photo) is listed as skipped with
//! the reason [`NO_TEXT`].

mod align;
mod cells;
mod engine;
pub mod image;
mod mend;
mod zone;

pub use engine::{Page, Recognised, Word};

use super::{Cx, ExtractError, Located, Origin, UnitSink};
use crate::model::Unit;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The one line that installs the engine and its French and English models.
pub const INSTALL: &str = "apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng";

/// Why a picture or a PDF page was not read without `--ocr`.
pub const NEEDS_OCR: &str = "needs --ocr";

/// Why a picture was skipped: Tesseract found no word in it.
pub const NO_TEXT: &str = "no text recognised (photo?)";

/// Why a picture was skipped before OCR.
pub const TOO_SMALL: &str = "too small to hold text";

/// Default OCR time of one file: a 20-page scan at about 2 s a page.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// How the OCR engine is run.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The `tesseract` program.
    pub program: PathBuf,
    /// Its models, as `-l` wants them (`fra+eng`).
    pub languages: String,
    /// OCR time of one file, at most.
    pub timeout: Duration,
}

/// Why OCR cannot run, or failed on an image.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("--ocr: no OCR engine found (tesseract, on the PATH or in PDSCOUT_TESSERACT); install it with: {INSTALL}")]
    NotFound,
    #[error("--ocr: {program} has neither the French nor the English model; install them with: {INSTALL}")]
    NoModel { program: String },
    #[error("OCR failed: {0}")]
    Failed(String),
    #[error("OCR time limit of {0} s per file reached (--ocr-timeout)")]
    TimeUp(u64),
}

impl Settings {
    /// The engine of this machine (`PDSCOUT_TESSERACT`, else `tesseract` on
    /// the `PATH`) with the French and English models it has.
    pub fn find(timeout: Duration) -> Result<Settings, OcrError> {
        let program = match std::env::var_os("PDSCOUT_TESSERACT") {
            Some(p) if !p.is_empty() => PathBuf::from(p),
            _ => on_path("tesseract").ok_or(OcrError::NotFound)?,
        };
        let models = engine::languages(&program).ok_or(OcrError::NotFound)?;
        let languages: Vec<&str> = ["fra", "eng"]
            .into_iter()
            .filter(|l| models.iter().any(|m| m == l))
            .collect();
        if languages.is_empty() {
            return Err(OcrError::NoModel {
                program: program.display().to_string(),
            });
        }
        Ok(Settings {
            program,
            languages: languages.join("+"),
            timeout,
        })
    }

    /// The time budget of a file: `max_file_time` plus the OCR's own, when
    /// OCR is on.
    pub fn file_time(ocr: Option<&Settings>, max_file_time: Option<Duration>) -> Option<Duration> {
        match ocr {
            Some(s) => max_file_time.map(|t| t + s.timeout),
            None => max_file_time,
        }
    }
}

/// `name` in a folder of the `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// The OCR clock of one file: started at its first image, stopped at the
/// file's own deadline too.
pub struct Budget {
    at: Option<Instant>,
    file: Option<Instant>,
    timeout: Duration,
}

impl Budget {
    /// A budget of `settings.timeout`, within the file's deadline `file`.
    pub fn new(settings: &Settings, file: Option<Instant>) -> Self {
        Budget {
            at: None,
            file,
            timeout: settings.timeout,
        }
    }

    /// When the OCR of this image must stop (the clock starts at the first).
    pub fn deadline(&mut self) -> Instant {
        let at = *self.at.get_or_insert_with(|| Instant::now() + self.timeout);
        self.file.map_or(at, |f| f.min(at))
    }

    /// The error of a file whose OCR time is up.
    pub fn error(&self) -> OcrError {
        OcrError::TimeUp(self.timeout.as_secs())
    }
}

/// The factor of a finding's confidence made in bytes `start..end` of a
/// recognised unit whose words are `words`: 0.6 + 0.4 × the lowest
/// confidence of the words it touches (1 for text not read by OCR). A value
/// the engine is sure of keeps its confidence; one it half guessed is
/// lowered by a fifth, below the default threshold for the weakest kinds.
pub fn lowered(words: &Recognised, start: usize, end: usize) -> f32 {
    let lowest = words
        .iter()
        .filter(|w| (w.start as usize) < end && (w.end as usize) > start)
        .map(|w| w.confidence)
        .fold(None, |m: Option<f32>, c| Some(m.map_or(c, |m| m.min(c))));
    lowest.map_or(1.0, |c| 0.6 + 0.4 * c.clamp(0.0, 1.0))
}

/// Pages read with OCR so far in this process (the scan's progress bar).
static PAGES_READ: AtomicU64 = AtomicU64::new(0);

/// Pages announced for OCR so far ([`UnitSink::ocr_pages`]): read, being
/// read, or waiting for a worker's engine.
static PAGES_SEEN: AtomicU64 = AtomicU64::new(0);

/// Counts one page read with OCR (the scan's sink, as the page arrives
/// from a worker or a reader process).
pub fn count_page() {
    PAGES_READ.fetch_add(1, Ordering::Relaxed);
}

/// Pages read with OCR so far in this process.
pub fn pages_read() -> u64 {
    PAGES_READ.load(Ordering::Relaxed)
}

/// Counts `pages` pages announced for OCR (the scan's sink, as a worker or
/// a reader process announces them).
pub fn count_seen(pages: u32) {
    PAGES_SEEN.fetch_add(u64::from(pages), Ordering::Relaxed);
}

/// The progress bar's OCR part: `3/5 pages OCR'd` (pages read of those
/// seen), `None` before the first page is seen.
pub fn progress() -> Option<String> {
    let read = pages_read();
    // A page is announced before it is read; a count of read pages ahead
    // (a sink that does not announce) shows as seen.
    let seen = PAGES_SEEN.load(Ordering::Relaxed).max(read);
    match seen {
        0 => None,
        1 => Some(format!("{read}/1 page OCR'd")),
        n => Some(format!("{read}/{n} pages OCR'd")),
    }
}

/// Recognises the text of an image (any format the engine reads; every page
/// of a TIFF), stopping the engine at `deadline`; a page that shows an
/// identity document's zone it did not read right is read again for it
/// ([`zone`]); e-mail addresses split by a space are put back together,
/// and an IBAN's `O` read for a `0` is repaired ([`mend`]).
pub fn recognise(
    settings: &Settings,
    image: &[u8],
    deadline: Instant,
) -> Result<Vec<Page>, OcrError> {
    let mut pages = engine::run(settings, image, deadline, engine::Pass::Layout)?;
    zone::reread(settings, image, &mut pages, deadline)?;
    for p in &mut pages {
        mend::emails(p);
        mend::ibans(p);
    }
    Ok(pages)
}

/// Hands one recognised page to the sink: its words' confidences, then its
/// text located at `page`.
pub fn emit(page: u32, p: &Page, sink: &mut dyn UnitSink) {
    sink.recognised(&p.words);
    sink.unit(&Located {
        unit: Unit::whole(&p.text),
        origin: Origin::Page { page },
    });
}

/// Reads an image file (`format`) held in memory with OCR, one unit per page.
pub fn extract(
    format: super::ImageFormat,
    data: &[u8],
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let skipped = |reason| ExtractError::Skipped {
        format: format.name(),
        reason,
    };
    let Some(settings) = &cx.limits.ocr else {
        return Err(skipped(NEEDS_OCR));
    };
    if image::too_small(format, data) {
        return Err(skipped(TOO_SMALL));
    }
    sink.ocr_pages(image::pages(format, data));
    let mut budget = Budget::new(settings, cx.deadline.instant());
    let pages = recognise(settings, data, budget.deadline()).map_err(|e| match e {
        OcrError::TimeUp(_) => ExtractError::from(budget.error()),
        e => ExtractError::from(e),
    })?;
    if pages.iter().all(|p| !p.has_text()) {
        return Err(skipped(NO_TEXT));
    }
    for p in pages.iter().filter(|p| p.has_text()) {
        emit(p.number, p, sink);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_sure_word_lowers_a_finding() {
        let w = |start, end, confidence| Word {
            start,
            end,
            confidence,
        };
        let words = [w(0, 3, 0.96), w(4, 10, 0.5), w(11, 20, 1.0)];
        assert!((lowered(&words, 11, 20) - 1.0).abs() < 1e-6);
        // Spans the second and third words: the second's 0.5 counts.
        assert!((lowered(&words, 5, 15) - 0.8).abs() < 1e-6);
        // Not read by OCR.
        assert_eq!(lowered(&[], 0, 5), 1.0);
    }
}
