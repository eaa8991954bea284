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

use super::{Cx, Deadline, ExtractError, Located, Origin, UnitSink};
use crate::detect::Unit;
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
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect {
        pages: Vec<(u32, String)>,
        notes: Vec<String>,
    }

    impl UnitSink for Collect {
        fn unit(&mut self, l: &Located<'_>) {
            let Origin::Page { page } = l.origin else {
                panic!("not a page origin")
            };
            self.pages.push((page, l.unit.text.to_string()));
        }
        fn not_covered(&mut self, reason: &str) {
            self.notes.push(reason.into());
        }
    }

    fn fixture(name: &str) -> Vec<u8> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/pdf")
            .join(name);
        std::fs::read(p).expect("test data")
    }

    fn run(data: &[u8], cap: u64) -> (Collect, Result<(), ExtractError>) {
        let mut c = Collect::default();
        let r = extract_capped(data, cap, &Deadline::unlimited(), &mut c);
        (c, r)
    }

    /// A PDF with the given objects (1: catalog, 2: pages) and a correct xref table.
    fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut v = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        v.extend_from_slice(data);
        v.extend_from_slice(b"\nendstream");
        v
    }

    /// One page showing `content` with Helvetica as /F1.
    fn one_page(content: &[u8]) -> Vec<u8> {
        one_page_with(content, "")
    }

    /// [`one_page`] with more catalog entries.
    fn one_page_with(content: &[u8], catalog: &str) -> Vec<u8> {
        pdf(&[
            format!("<< /Type /Catalog /Pages 2 0 R {catalog} >>").into_bytes(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
                .to_vec(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
            stream("", content),
        ])
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(data).expect("test data");
        z.finish().expect("test data")
    }

    #[test]
    fn spaces_and_newlines_follow_the_layout() {
        let c = b"BT /F1 10 Tf 50 700 Td (IBAN) Tj 40 0 Td (FR76) Tj 25 0 Td (3000) Tj \
                  0 -14 Td [(jean.du) 20 (pont) -30 (@example.fr)] TJ \
                  0 -14 Td [(N\\260) -300 (SS)] TJ 12 TL T* (caf\\351) Tj ET";
        let (c, r) = run(&one_page(c), MAX_DECODED);
        r.expect("test data");
        assert_eq!(
            c.pages,
            vec![(
                1,
                "IBAN FR76 3000\njean.dupont@example.fr\nN° SS\ncafé".to_string()
            )]
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let text = b"BT /F1 10 Tf (x@example.fr) Tj ET";
        let deep = format!("/X {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let (_, r) = run(&one_page_with(text, &deep), MAX_DECODED);
        assert!(
            matches!(&r, Err(ExtractError::Corrupt { message, .. }) if message.contains("nested")),
            "{r:?}"
        );
        // Just under the limit, lopdf's recursion fits in the thread's stack.
        let n = MAX_NESTING / 2 - 1;
        let nested = format!("/X {}{}", "<< /A [".repeat(n), "] >>".repeat(n));
        let (c, r) = run(&one_page_with(text, &nested), MAX_DECODED);
        r.expect("test data");
        assert_eq!(c.pages, vec![(1, "x@example.fr".to_string())]);
        // Deep arrays inside a content stream are the lexer's business (flattened).
        let content = format!(
            "BT /F1 10 Tf {}(a@example.fr){} TJ ET",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        let (c, r) = run(&one_page(content.as_bytes()), MAX_DECODED);
        r.expect("test data");
        assert_eq!(c.pages, vec![(1, "a@example.fr".to_string())]);
    }

    #[test]
    fn decompression_is_capped() {
        // A content stream: the page before it is read, then the limit.
        let (c, r) = run(&fixture("bombe_flate.pdf"), 4 << 20);
        assert!(matches!(r, Err(ExtractError::Limit(_))), "{r:?}");
        assert_eq!(
            c.pages,
            vec![(1, "Contact : avant.la.bombe@example.fr".to_string())]
        );
        // An object stream, which lopdf would inflate while loading.
        let big = zlib(&vec![b' '; 8 << 20]);
        let mut objs = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
        ];
        objs.push(stream(
            "/Type /ObjStm /N 0 /First 0 /Filter /FlateDecode",
            &big,
        ));
        let (_, r) = run(&pdf(&objs), 4 << 20);
        assert!(matches!(r, Err(ExtractError::Limit(_))), "{r:?}");
    }

    #[test]
    fn fonts_type0_with_cmap_and_differences() {
        let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap \
            1 begincodespacerange <0000> <FFFF> endcodespacerange \
            2 beginbfchar <0001> <00E9> <0002> <0040> endbfchar \
            1 beginbfrange <0010> <0019> <0030> endbfrange endcmap end end";
        let doc = pdf(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /T0 4 0 R /G 7 0 R >> >> /Contents 5 0 R >>"
                .to_vec(),
            b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /ToUnicode 6 0 R \
               /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /DW 600 /W [1 [500] 16 25 550] >>] >>"
                .to_vec(),
            stream(
                "",
                b"BT /T0 10 Tf 10 10 Td <0001 0011 0012> Tj ET BT /G 10 Tf 10 30 Td <41E9C3> Tj ET",
            ),
            stream("/Filter /FlateDecode", &zlib(cmap)),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica \
               /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [195 /Eacute 233 /uni00E0] >> >>"
                .to_vec(),
        ]);
        let (c, r) = run(&doc, MAX_DECODED);
        r.expect("test data");
        assert_eq!(c.pages, vec![(1, "é12\nAàÉ".to_string())]);
    }

    #[test]
    fn page_without_text_and_broken_files() {
        let (c, r) = run(&one_page(b"0 0 1 rg 10 10 100 100 re f"), MAX_DECODED);
        r.expect("test data");
        assert!(c.pages.is_empty());
        assert_eq!(c.notes, vec!["no text layer (scanned image?): not checked"]);
        let (_, r) = run(b"%PDF-1.4\n1 0 obj <<", MAX_DECODED);
        assert!(matches!(r, Err(ExtractError::Corrupt { .. })), "{r:?}");
    }
}
