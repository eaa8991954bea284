//! PDF: the text of every page, one unit per page (`Origin::Page`).
//!
//! lopdf parses the file structure (cross-reference tables, object streams,
//! decryption with the empty user password, the page tree). The text is read
//! here rather than with lopdf's `extract_text`, which glues runs placed apart
//! ("N° SS :" and its value, an IBAN drawn in 4-character boxes), ignores line
//! moves inside a text block, prefers a named encoding over the font's
//! ToUnicode map, ignores `Differences` (Ghostscript writes accents that way)
//! and form XObjects, and decompresses without limit. So this module has its
//! own non-recursive content-stream lexer, follows the text position to put
//! spaces and newlines where the page shows gaps and line changes, decodes
//! through the ToUnicode CMap or the byte encoding with `Differences`, and
//! caps decompressed bytes.
//!
//! Hostile files: decompression is capped per document ([`MAX_DECODED`]),
//! including object and cross-reference streams that lopdf inflates while
//! loading (checked beforehand); pages are visited once each and at most
//! [`MAX_PAGES`]; forms nest at most [`MAX_FORM_DEPTH`] deep without cycles;
//! lopdf's recursive parser runs on a thread with a large stack after a check
//! that nothing nests deeper than [`MAX_NESTING`]. A file with no text at all
//! is reported as not covered (a scan without OCR).
//!
//! Parts: `prescan` (before lopdf), `stream` (decoding), `lexer` (content
//! streams), `cmap` and `font` (codes to text, widths), `page` (the reader).

mod annot;
mod cmap;
mod font;
mod lexer;
mod page;
mod prescan;
mod repair;
mod stream;
mod truetype;

use super::{Cx, Deadline, ExtractError, Located, Origin, UnitSink};
use crate::model::Unit;
use lopdf::Document;
use page::PageReader;
use prescan::prescan;
pub use repair::starts_like_pdf;
use std::collections::HashSet;
use std::sync::mpsc;
use std::time::Instant;

/// Decompressed bytes per document, at most (content streams, forms, CMaps;
/// structural streams are counted separately, against the same cap).
pub const MAX_DECODED: u64 = 256 << 20;
/// Pages read per document, at most.
pub const MAX_PAGES: usize = 100_000;
/// Form XObjects drawn inside forms, at most.
pub const MAX_FORM_DEPTH: usize = 8;
/// Arrays and dictionaries nested inside each other, at most: lopdf's parser
/// recurses with a stack use that grows faster than the depth (measured:
/// 100 levels overflow 256 MiB in a debug build; real files nest < 10).
pub const MAX_NESTING: usize = 32;
/// Stack of the thread that runs lopdf (reserved, used only as needed).
const STACK: usize = 64 << 20;

/// Content-stream operators between two looks at the clock.
const OPS_PER_CHECK: u32 = 4096;

/// What the reading thread hands back.
enum Msg {
    Page(u32, String),
    NotCovered(String),
    /// The file's time was up before this page, or (`true`) while reading it.
    TimeUp(u32, bool),
}

/// Extracts the text units of a PDF document held in memory.
pub fn extract(data: &[u8], cx: &mut Cx<'_>, sink: &mut dyn UnitSink) -> Result<(), ExtractError> {
    extract_capped(data, MAX_DECODED, cx.deadline, sink)
}

/// [`extract`] with a decompression cap (smaller in tests).
fn extract_capped(
    data: &[u8],
    cap: u64,
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let (tx, rx) = mpsc::sync_channel(4);
    let at = deadline.instant();
    std::thread::scope(|s| {
        let reader = std::thread::Builder::new()
            .name("pdf".into())
            .stack_size(STACK)
            .spawn_scoped(s, move || read(data, cap, at, &tx))
            .map_err(ExtractError::Io)?;
        // Leaving the loop drops the receiver: the reader stops at its next page.
        for msg in rx {
            match msg {
                Msg::Page(page, text) => sink.unit(&Located {
                    unit: Unit::whole(&text),
                    origin: Origin::Page { page },
                }),
                Msg::NotCovered(reason) => sink.not_covered(&reason),
                Msg::TimeUp(page, partly) => {
                    deadline.set_over();
                    let place = if partly {
                        format!("page {page} (part of it read)")
                    } else {
                        format!("page {page}")
                    };
                    deadline.report(sink, &place);
                }
            }
            if deadline.is_over() {
                break;
            }
        }
        reader
            .join()
            .unwrap_or_else(|_| Err(corrupt("the PDF parser failed on this file")))
    })
}

fn corrupt(message: &str) -> ExtractError {
    ExtractError::Corrupt {
        format: "pdf",
        message: message.into(),
    }
}

fn too_big(cap: u64) -> ExtractError {
    ExtractError::Limit(format!(
        "pdf decompresses to more than {} MiB: not read to the end",
        cap >> 20
    ))
}

/// Loads the document and sends the text of its pages (runs on the big-stack thread).
fn read(
    data: &[u8],
    cap: u64,
    at: Option<Instant>,
    tx: &mpsc::SyncSender<Msg>,
) -> Result<(), ExtractError> {
    prescan(data, cap)?;
    let doc = load(data)?;
    let mut reader = PageReader::new(&doc, cap, at);
    let mut seen = HashSet::new();
    for id in doc.page_iter() {
        if !seen.insert(id) {
            continue; // a page tree that lists a page twice or loops
        }
        if seen.len() > MAX_PAGES {
            return Err(ExtractError::Limit(format!(
                "pdf with more than {MAX_PAGES} pages: the rest not read"
            )));
        }
        let page = seen.len() as u32;
        // The first page is always read (see `budget`).
        if page > 1 && reader.out_of_time() {
            let _ = tx.send(Msg::TimeUp(page, false));
            return Ok(());
        }
        reader.page(id)?;
        if !reader.text.trim().is_empty() {
            let text = std::mem::take(&mut reader.text);
            if tx.send(Msg::Page(page, text)).is_err() {
                return Ok(());
            }
        }
        if reader.timed_out {
            let _ = tx.send(Msg::TimeUp(page, true));
            return Ok(());
        }
    }
    if seen.is_empty() {
        return Err(corrupt("no pages found"));
    }
    let note = match (reader.any_text, reader.undecodable) {
        (false, false) => Some("no text layer (scanned image?): not checked"),
        (false, true) => Some("text in fonts without a Unicode map: not checked"),
        (true, true) => Some("some text in fonts without a Unicode map: not checked"),
        (true, false) => None,
    };
    if let Some(note) = note {
        let _ = tx.send(Msg::NotCovered(note.into()));
    }
    Ok(())
}

/// Parses the file with lopdf, decrypting with the empty user password. A
/// damaged file (lopdf fails, finds no page, or drops objects it cannot
/// parse, such as streams with a wrong `/Length`) is rebuilt from its
/// objects ([`repair`]); the rebuilt one is kept unless it has fewer pages.
fn load(data: &[u8]) -> Result<Document, ExtractError> {
    let first = load_mem(data);
    let damaged = match &first {
        Err(ExtractError::Encrypted(_)) => return first,
        Err(_) => true,
        Ok(doc) => pages(doc) == 0 || lost_objects(doc),
    };
    if !damaged {
        return first;
    }
    let Some(rebuilt) = repair::rebuild(data) else {
        return first;
    };
    match (load_mem(&rebuilt), first) {
        (Ok(b), Ok(a)) if pages(&b) < pages(&a) => Ok(a),
        (Ok(b), _) => Ok(b),
        (Err(ExtractError::Encrypted(f)), Err(_)) => Err(ExtractError::Encrypted(f)),
        (Err(_), a) => a,
    }
}

fn load_mem(data: &[u8]) -> Result<Document, ExtractError> {
    use lopdf::Error as E;
    let doc = Document::load_mem(data).map_err(|e| match e {
        E::InvalidPassword | E::Decryption(_) | E::UnsupportedSecurityHandler(_) => {
            ExtractError::Encrypted("pdf")
        }
        E::Parse(e) => corrupt(&e.to_string()),
        E::Xref(e) => corrupt(&format!("cross-reference table: {e}")),
        _ => corrupt("cannot parse the document structure"),
    })?;
    // lopdf leaves `/Encrypt` in the trailer when the empty password does
    // not open the file (and loads no object).
    if doc.is_encrypted() || doc.trailer.get(b"Encrypt").is_ok() {
        return Err(ExtractError::Encrypted("pdf"));
    }
    Ok(doc)
}

/// Distinct pages of the page tree (at most [`MAX_PAGES`] + 1).
fn pages(doc: &Document) -> usize {
    let mut seen = HashSet::new();
    for id in doc.page_iter() {
        if seen.insert(id) && seen.len() > MAX_PAGES {
            break;
        }
    }
    seen.len()
}

/// Objects that the cross-reference table lists but lopdf could not read,
/// or streams whose length it could not find (read as empty).
fn lost_objects(doc: &Document) -> bool {
    use lopdf::xref::XrefEntry;
    let unread = doc.reference_table.entries.iter().any(|(n, e)| {
        matches!(e, XrefEntry::Normal { offset, generation } if *offset > 0
            && !doc.objects.contains_key(&(*n, *generation)))
    });
    unread
        || doc.objects.values().any(|o| match o {
            lopdf::Object::Stream(s) => {
                s.content.is_empty()
                    && s.dict
                        .get(b"Length")
                        .and_then(|l| doc.dereference(l))
                        .and_then(|(_, l)| l.as_i64())
                        .map_or(true, |l| l > 0)
            }
            _ => false,
        })
}

#[cfg(test)]
mod tests;
