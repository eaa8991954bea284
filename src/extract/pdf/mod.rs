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
//! loading (inflated beforehand, or counted at the most their filters can
//! expand to where they cannot be: encrypted, LZW, ASCII85); pages are visited once each and at most
//! [`MAX_PAGES`]; forms nest at most [`MAX_FORM_DEPTH`] deep without cycles;
//! lopdf's recursive parser runs on a thread with a large stack after a check
//! that nothing nests deeper than [`MAX_NESTING`].
//!
//! A page without text that draws an image is a scan: with `--ocr` its image
//! is read by the OCR engine ([`super::ocr`]) into the page's unit, else the
//! page is reported as not covered (needs --ocr), as are scans in an
//! encoding OCR is not given (JBIG2). A file with no text and no image is
//! reported as not covered too.
//!
//! Parts: `prescan` (before lopdf), `stream` (decoding), `lexer` (content
//! streams), `cmap` and `font` (codes to text, widths), `glyphs` (glyph
//! names), `program` (embedded font programs' own encodings), `standard`
//! (the standard fonts' widths), `page` (the reader), `image` (a scanned
//! page's picture).

mod annot;
mod cjk;
mod cmap;
mod decrypt;
mod font;
mod glyphs;
mod image;
mod lexer;
mod page;
mod prescan;
mod program;
mod repair;
mod salvage;
mod standard;
mod stream;
#[doc(hidden)]
pub mod testkit;
mod truetype;

use super::ocr::{self, OcrError, Settings};
use super::{Cx, Deadline, ExtractError, Limit, Located, Origin, UnitSink};
use crate::model::Unit;
use image::Scan;
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
    /// The picture of a page without text, or (`true`) with a thin text
    /// layer over it.
    Scan(u32, Scan, bool),
    NotCovered(String),
    /// The file's time was up before this page, or (`true`) while reading it.
    TimeUp(u32, bool),
}

/// Extracts the text units of a PDF document held in memory.
pub fn extract(data: &[u8], cx: &mut Cx<'_>, sink: &mut dyn UnitSink) -> Result<(), ExtractError> {
    extract_capped(data, MAX_DECODED, cx.deadline, cx.limits.ocr.as_ref(), sink)
}

/// Scanned pages met while reading a PDF: read by OCR, or listed.
#[derive(Default)]
struct Scans {
    /// Pages that need `--ocr`.
    needs_ocr: Vec<u32>,
    /// Pages that need `--ocr` for their scanned body: only their thin
    /// text layer (a stamp, a scanner's header) was read.
    thin_needs_ocr: Vec<u32>,
    /// Pages whose image encoding is not handed to OCR, and the encoding.
    unsupported: Vec<u32>,
    encoding: Option<&'static str>,
    /// Pages left when the OCR time was up.
    late: Vec<u32>,
    ocr_over: bool,
}

/// `pages` in words: "page 3", "pages 1, 2, 5…" (at most five listed).
fn page_list(pages: &[u32]) -> String {
    let shown: Vec<String> = pages.iter().take(5).map(u32::to_string).collect();
    let more = if pages.len() > 5 { "…" } else { "" };
    match pages.len() {
        1 => format!("page {}", shown[0]),
        _ => format!("{} pages ({}{more})", pages.len(), shown.join(", ")),
    }
}

impl Scans {
    /// A scanned page: OCR'd into the sink, or noted.
    fn page(
        &mut self,
        page: u32,
        scan: Scan,
        thin: bool,
        ocr: Option<(&Settings, &mut ocr::Budget)>,
        sink: &mut dyn UnitSink,
    ) {
        let bytes = match scan {
            Scan::Unsupported(what) => {
                self.unsupported.push(page);
                self.encoding.get_or_insert(what);
                return;
            }
            Scan::Image(bytes) => bytes,
        };
        let Some((settings, budget)) = ocr else {
            return match thin {
                true => self.thin_needs_ocr.push(page),
                false => self.needs_ocr.push(page),
            };
        };
        if self.ocr_over {
            return self.late.push(page);
        }
        sink.ocr_pages(1);
        match ocr::recognise(settings, &bytes, budget.deadline()) {
            Ok(pages) => {
                for p in pages.iter().filter(|p| p.has_text()) {
                    ocr::emit(page, p, sink);
                }
            }
            Err(OcrError::TimeUp(_)) => {
                self.ocr_over = true;
                self.late.push(page);
            }
            Err(e) => sink.not_covered(&format!("page {page}: {e}")),
        }
    }

    /// The notes of the pages not read.
    fn report(&self, budget: Option<&ocr::Budget>, sink: &mut dyn UnitSink) {
        if !self.needs_ocr.is_empty() {
            sink.not_covered(&format!(
                "{} scanned without text layer: not covered ({})",
                page_list(&self.needs_ocr),
                ocr::NEEDS_OCR
            ));
        }
        if !self.thin_needs_ocr.is_empty() {
            sink.not_covered(&format!(
                "{} scanned under a thin text layer: that layer read, the scanned body not covered ({})",
                page_list(&self.thin_needs_ocr),
                ocr::NEEDS_OCR
            ));
        }
        if !self.unsupported.is_empty() {
            sink.not_covered(&format!(
                "{} scanned in {}: not covered (OCR reads JPEG, JPEG 2000, CCITT fax and raw images)",
                page_list(&self.unsupported),
                self.encoding.unwrap_or("another encoding")
            ));
        }
        if let (false, Some(b)) = (self.late.is_empty(), budget) {
            sink.not_covered(&format!(
                "{}: {} not read",
                b.error(),
                page_list(&self.late)
            ));
        }
    }
}

/// [`extract`] with a decompression cap (smaller in tests).
fn extract_capped(
    data: &[u8],
    cap: u64,
    deadline: &Deadline,
    ocr: Option<&Settings>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let (tx, rx) = mpsc::sync_channel(4);
    let mut scans = Scans::default();
    let mut budget = ocr.map(|s| ocr::Budget::new(s, deadline.instant()));
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
                Msg::Scan(page, scan, thin) => {
                    let ocr = ocr.zip(budget.as_mut());
                    scans.page(page, scan, thin, ocr, sink);
                }
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
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(corrupt("the PDF parser failed on this file")));
        scans.report(budget.as_ref(), sink);
        read
    })
}

fn corrupt(message: &str) -> ExtractError {
    ExtractError::Corrupt {
        format: "pdf",
        message: message.into(),
    }
}

fn too_big(cap: u64) -> ExtractError {
    Limit::PdfExpanded { mib: cap >> 20 }.into()
}

/// Loads the document and sends the text of its pages (runs on the big-stack thread).
fn read(
    data: &[u8],
    cap: u64,
    at: Option<Instant>,
    tx: &mpsc::SyncSender<Msg>,
) -> Result<(), ExtractError> {
    let fits = prescan(data, cap)?;
    let doc = load(data, cap, fits)?;
    let mut reader = PageReader::new(&doc, cap, at);
    let mut seen = HashSet::new();
    let mut scanned = 0;
    for id in page_ids(&doc) {
        if !seen.insert(id) {
            continue; // a page tree that lists a page twice or loops
        }
        if seen.len() > MAX_PAGES {
            return Err(Limit::PdfPages(MAX_PAGES).into());
        }
        let page = seen.len() as u32;
        // The first page is always read (see `budget`).
        if page > 1 && reader.out_of_time() {
            let _ = tx.send(Msg::TimeUp(page, false));
            return Ok(());
        }
        reader.page(id)?;
        let has_text = !reader.text.trim().is_empty();
        // A page with a thin text layer is looked at for a scanned body
        // (`image`): OCR'd with `--ocr`, else listed as not covered, its
        // text layer read all the same.
        let look = !has_text || image::thin(&reader.text);
        if has_text {
            let text = std::mem::take(&mut reader.text);
            if tx.send(Msg::Page(page, text)).is_err() {
                return Ok(());
            }
        }
        let inline = reader.inline.take();
        let scan = match look {
            true => {
                image::page_image(&doc, id, inline.as_ref(), has_text, &mut reader.budget, cap)?
            }
            false => None,
        };
        if let Some(scan) = scan {
            scanned += 1;
            if tx.send(Msg::Scan(page, scan, has_text)).is_err() {
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
        // Scanned pages are read with OCR or listed (`Scans`).
        (false, false) if scanned > 0 => None,
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

/// Parses the file with lopdf, decrypting with the empty user password (or,
/// where lopdf fails to, with [`decrypt`]). A
/// damaged file (lopdf fails, finds no page, or drops objects it cannot
/// parse, such as streams with a wrong `/Length`) is rebuilt from its
/// objects ([`repair`]); the rebuilt one is kept unless it has fewer pages.
/// `fits`: what lopdf would inflate while loading stays under the cap
/// ([`prescan`]); else only an encrypted file is opened, by [`decrypt`]
/// which inflates under the cap.
///
/// When that gives no page, the objects lopdf could not parse are read
/// leniently ([`salvage`]); not in an encrypted file, whose strings would
/// be read still encrypted.
fn load(data: &[u8], cap: u64, fits: bool) -> Result<Document, ExtractError> {
    // Zero bytes after the end (a file written into a preallocated block)
    // hide `startxref` from lopdf, which looks for it near the end only.
    let data = &data[..data.len() - data.iter().rev().take_while(|b| **b == 0).count()];
    let mut doc = load_structure(data, cap, fits)?;
    if page_ids(&doc).next().is_none() && repair::encrypt_ref(data).is_none() {
        salvage::add_unparsed(data, &mut doc);
    }
    Ok(doc)
}

/// [`load`] without the lenient reading.
fn load_structure(data: &[u8], cap: u64, fits: bool) -> Result<Document, ExtractError> {
    if !fits {
        return match repair::encrypt_ref(data) {
            Some(_) => decrypt::open(data, cap).ok_or(ExtractError::Encrypted("pdf")),
            None => Err(too_big(cap)),
        };
    }
    let first = load_mem(data);
    let damaged = match &first {
        Err(ExtractError::Encrypted(_)) => {
            return decrypt::open(data, cap).ok_or(ExtractError::Encrypted("pdf"))
        }
        Err(_) => true,
        Ok(doc) => pages(doc) == 0 || lost_objects(doc),
    };
    if !damaged {
        return first;
    }
    let Some(rebuilt) = repair::rebuild(data, true) else {
        return first;
    };
    match (load_mem(&rebuilt), first) {
        (Ok(b), Ok(a)) if pages(&b) < pages(&a) => Ok(a),
        (Ok(b), _) => Ok(b),
        (Err(ExtractError::Encrypted(f)), Err(_)) => {
            decrypt::open(data, cap).ok_or(ExtractError::Encrypted(f))
        }
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

/// The pages in the page tree's order; when the tree gives none (a broken
/// `/Pages` chain, a catalog pointing at a page), every page object in the
/// file's order, as pdf.js does; failing that, the leaves of the tree's
/// nodes.
fn page_ids(doc: &Document) -> Box<dyn Iterator<Item = lopdf::ObjectId> + '_> {
    if doc.page_iter().next().is_some() {
        return Box::new(doc.page_iter());
    }
    let page = |o: &lopdf::Object| {
        o.as_dict()
            .and_then(|d| d.get(b"Type"))
            .and_then(lopdf::Object::as_name)
            .is_ok_and(|t| t == b"Page")
    };
    if doc.objects.values().any(page) {
        return Box::new(
            doc.objects
                .iter()
                .filter(move |(_, o)| page(o))
                .map(|(id, _)| *id),
        );
    }
    // No object says it is a page (its `/Type` damaged): the leaves a
    // page tree node names, even by a bare reference instead of an array.
    let mut kids: Vec<lopdf::ObjectId> = Vec::new();
    for d in doc.objects.values().filter_map(|o| o.as_dict().ok()) {
        match d.get(b"Kids") {
            Ok(lopdf::Object::Reference(id)) => kids.push(*id),
            Ok(lopdf::Object::Array(a)) => {
                kids.extend(a.iter().filter_map(|k| k.as_reference().ok()))
            }
            _ => {}
        }
    }
    kids.sort_unstable();
    kids.dedup();
    let leaf = |id: &lopdf::ObjectId| {
        doc.get_dictionary(*id)
            .is_ok_and(|d| d.get(b"Kids").is_err())
    };
    Box::new(kids.into_iter().filter(leaf))
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
#[cfg(test)]
mod tests_fonts;
#[cfg(test)]
mod tests_layout;
#[cfg(test)]
mod tests_robust;
