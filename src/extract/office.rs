//! Zipped word-processing and presentation documents (`docx`, `odt`, `pptx`,
//! `odp`): letters to tenants, application files, slide decks.
//!
//! The zip is opened in memory and each XML part that holds text is streamed
//! through quick-xml (events, never a DOM; custom entities are never
//! expanded, so "billion laughs" cannot grow anything). Each paragraph
//! (`w:p`, `text:p`/`text:h`, `a:p`) is one line located by its number in the
//! part (`line`, 1-based, counting every paragraph of the part in order, empty
//! ones included); consecutive paragraphs are handed over together, one unit
//! of lines, so that a form's `Nom :` / `Prénom :` / `Adresse :` paragraphs are
//! read as a text file's lines are. Text split across runs is joined as written, so an IBAN cut
//! by spell-check marks is still whole; tabs become `\t` and line breaks
//! inside a paragraph become U+2028 LINE SEPARATOR, so that detectors see two
//! lines while `line` stays the paragraph number.
//!
//! The main body (`word/document.xml`, `content.xml`) has no `entry`; every
//! other part (headers, footers, comments, notes, slides) is entered under
//! its name, so that a finding in a footer says where it is. A part that is
//! too large, too compressed or broken is reported and the others are read.

use super::markup::common::{entity, truncated, LINE_BREAK};
use super::{Cx, Deadline, DocFormat, ExtractError, Located, Origin, UnitSink};
use crate::model::Unit;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::io::{Cursor, Read};

/// How a family of documents writes its paragraphs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    /// WordprocessingML (`w:` elements).
    Word,
    /// DrawingML text in slides (`a:` elements).
    Drawing,
    /// OpenDocument (`text:` elements).
    Odf,
}

/// Extracts the text units of an office document held in memory.
pub fn extract(
    kind: DocFormat,
    data: &[u8],
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(data)).map_err(|e| ExtractError::Corrupt {
        format: kind.name(),
        message: format!("not a valid zip: {e}"),
    })?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(std::borrow::Cow::into_owned)
        .collect();
    let (dialect, main, mut parts) = match kind {
        DocFormat::Docx => (Dialect::Word, Some("word/document.xml"), docx_parts(&names)),
        DocFormat::Pptx => (Dialect::Drawing, None, pptx_parts(&names)),
        DocFormat::Odt | DocFormat::Odp => (
            Dialect::Odf,
            Some("content.xml"),
            names
                .iter()
                .filter(|n| *n == "styles.xml")
                .cloned()
                .collect(),
        ),
    };
    if matches!(kind, DocFormat::Odt | DocFormat::Odp) && odf_encrypted(&mut zip, &names, kind, cx)
    {
        return Err(ExtractError::Encrypted(kind.name()));
    }
    if let Some(main) = main {
        if !names.iter().any(|n| n == main) {
            return Err(ExtractError::Corrupt {
                format: kind.name(),
                message: format!("no {main} in the zip"),
            });
        }
        let deadline = cx.deadline;
        match read_part(&mut zip, main, kind, cx)
            .and_then(|xml| paragraphs(dialect, &xml, deadline, sink))
        {
            Ok(()) => {}
            Err(e) => sink.not_covered(&format!("{main}: {e}")),
        }
    }
    parts.sort_by_key(|n| part_order(n));
    for name in &parts {
        if cx.deadline.expired() {
            cx.deadline.report(sink, name);
            break;
        }
        sink.enter_part(name);
        let deadline = cx.deadline;
        let result = read_part(&mut zip, name, kind, cx)
            .and_then(|xml| paragraphs(dialect, &xml, deadline, sink));
        sink.leave_part();
        if let Err(e) = result {
            sink.not_covered(&format!("{name}: {e}"));
        }
    }
    Ok(())
}

/// An OpenDocument saved with a password: its manifest gives the
/// encryption of its parts (which are then not XML).
fn odf_encrypted(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    names: &[String],
    kind: DocFormat,
    cx: &mut Cx<'_>,
) -> bool {
    const MANIFEST: &str = "META-INF/manifest.xml";
    names.iter().any(|n| n == MANIFEST)
        && read_part(zip, MANIFEST, kind, cx)
            .is_ok_and(|m| memchr::memmem::find(&m, b"encryption-data").is_some())
}

/// The docx parts besides the body that hold text people wrote.
fn docx_parts(names: &[String]) -> Vec<String> {
    names
        .iter()
        .filter(|n| {
            let Some(stem) = n.strip_prefix("word/").and_then(|r| r.strip_suffix(".xml")) else {
                return false;
            };
            let numbered = |p: &str| {
                stem.strip_prefix(p)
                    .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
            };
            numbered("header")
                || numbered("footer")
                || matches!(stem, "comments" | "footnotes" | "endnotes")
        })
        .cloned()
        .collect()
}

/// The slides, their speaker notes, comments and SmartArt text.
fn pptx_parts(names: &[String]) -> Vec<String> {
    names
        .iter()
        .filter(|n| {
            [
                ("ppt/slides/slide", ".xml"),
                ("ppt/notesSlides/notesSlide", ".xml"),
                ("ppt/comments/comment", ".xml"),
                ("ppt/diagrams/data", ".xml"),
            ]
            .iter()
            .any(|(p, s)| {
                n.strip_prefix(p)
                    .and_then(|r| r.strip_suffix(s))
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            }) || (n.starts_with("ppt/comments/modernComment_") && n.ends_with(".xml"))
        })
        .cloned()
        .collect()
}

/// Sort key: by folder and name, numbers compared as numbers (`slide2`
/// before `slide10`).
fn part_order(name: &str) -> (String, u64) {
    let stem = name.trim_end_matches(".xml");
    let digits = stem.len() - stem.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (prefix, number) = stem.split_at(stem.len() - digits);
    (prefix.to_string(), number.parse().unwrap_or(0))
}

/// The uncompressed bytes of one part, within the limits.
fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    kind: DocFormat,
    cx: &mut Cx<'_>,
) -> Result<Vec<u8>, ExtractError> {
    let corrupt = |e: &dyn std::fmt::Display| ExtractError::Corrupt {
        format: kind.name(),
        message: format!("cannot read {name}: {e}"),
    };
    let file = zip.by_name(name).map_err(|e| corrupt(&e))?;
    if file.encrypted() {
        return Err(ExtractError::Encrypted(kind.name()));
    }
    let declared = file.size();
    // The declared size may lie: never read past the limits.
    let (cap, reason) = super::archive::budget(cx, true, Some(file.compressed_size()));
    if declared > cap {
        return Err(reason.into());
    }
    let mut xml = Vec::with_capacity(declared.min(64 << 20) as usize);
    file.take(cap + 1)
        .read_to_end(&mut xml)
        .map_err(|e| corrupt(&e))?;
    cx.expanded += xml.len() as u64;
    if xml.len() as u64 > cap {
        return Err(reason.into());
    }
    Ok(xml)
}

/// What an element means for the text.
enum Role {
    Paragraph,
    /// A paragraph whose text is the element's own (no runs inside).
    TextParagraph,
    /// Text is kept only inside these (`w:t`, `a:t`); ODF keeps all text of a paragraph.
    TextRun,
    /// A run (`w:r`): tabs and breaks count only inside one.
    Run,
    Tab,
    Break,
    /// ODF `text:s`: `text:c` spaces.
    Spaces,
    /// Skipped with everything inside (`mc:Fallback` repeats `mc:Choice`;
    /// an ODF note's number would glue to the text around it).
    Skip,
    Other,
}

fn role(dialect: Dialect, local: &[u8]) -> Role {
    if local == b"Fallback" {
        return Role::Skip;
    }
    match (dialect, local) {
        (Dialect::Word | Dialect::Drawing, b"p") => Role::Paragraph,
        // A slide comment's text (`p:text`), a paragraph of its own.
        (Dialect::Drawing, b"text") => Role::TextParagraph,
        (Dialect::Word, b"t" | b"delText") | (Dialect::Drawing, b"t") => Role::TextRun,
        (Dialect::Word, b"r") => Role::Run,
        (Dialect::Word, b"tab") | (Dialect::Odf, b"tab") => Role::Tab,
        (Dialect::Word, b"br" | b"cr") | (Dialect::Drawing, b"br") => Role::Break,
        // A presentation's footer, header and date text is declared once,
        // outside any paragraph.
        (Dialect::Odf, b"p" | b"h" | b"footer-decl" | b"header-decl" | b"date-time-decl") => {
            Role::Paragraph
        }
        (Dialect::Odf, b"line-break") => Role::Break,
        (Dialect::Odf, b"s") => Role::Spaces,
        (Dialect::Odf, b"note-citation" | b"creator" | b"date" | b"sender-initials") => Role::Skip,
        _ => Role::Other,
    }
}

/// Streams the paragraphs of one XML part to `sink`.
fn paragraphs(
    dialect: Dialect,
    xml: &[u8],
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let mut reader = Reader::from_reader(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_dangling_amp = true;
    let mut p = Paragraphs::default();
    let (mut skip, mut text_depth, mut run_depth) = (0u32, 0u32, 0u32);
    // Elements open: a part that ends with some open was cut short.
    let mut depth = 0u64;
    loop {
        if deadline.is_over() {
            p.flush(sink);
            return Ok(());
        }
        let event = reader.read_event().map_err(|_| ExtractError::Corrupt {
            format: "xml",
            message: format!(
                "malformed XML at byte {}: not read further",
                reader.error_position()
            ),
        });
        let event = match event {
            Ok(e) => e,
            Err(e) => {
                p.finish(sink);
                return Err(e);
            }
        };
        // Text counts in ODF anywhere in a paragraph, elsewhere only in w:t/a:t.
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        let collecting = skip == 0 && (dialect == Dialect::Odf || text_depth > 0);
        let in_run = dialect != Dialect::Word || run_depth > 0;
        match event {
            Event::Start(_) if skip > 0 => skip += 1,
            Event::Empty(_) if skip > 0 => {}
            Event::Start(e) => match role(dialect, e.local_name().as_ref()) {
                Role::Paragraph => p.open(),
                Role::TextParagraph => {
                    p.open();
                    text_depth += 1;
                }
                Role::TextRun => text_depth += 1,
                Role::Run => run_depth += 1,
                Role::Skip => skip = 1,
                r => p.single(r, &e, in_run),
            },
            Event::Empty(e) => match role(dialect, e.local_name().as_ref()) {
                Role::Paragraph => {
                    p.open();
                    p.close(sink);
                }
                r => p.single(r, &e, in_run),
            },
            Event::End(_) if skip > 0 => skip -= 1,
            Event::End(e) => match role(dialect, e.local_name().as_ref()) {
                Role::Paragraph => p.close(sink),
                Role::TextParagraph => {
                    text_depth = text_depth.saturating_sub(1);
                    p.close(sink);
                }
                Role::TextRun => text_depth = text_depth.saturating_sub(1),
                Role::Run => run_depth = run_depth.saturating_sub(1),
                _ => {}
            },
            Event::Text(t) if collecting => p.push(&String::from_utf8_lossy(&t)),
            Event::CData(t) if collecting => p.push(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) if collecting => {
                if let Some(c) = entity(&r) {
                    p.push(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    p.finish(sink);
    if depth > 0 {
        return Err(truncated("xml"));
    }
    Ok(())
}

/// The paragraphs being read: open ones nest (a text box, a note or a
/// comment inside a paragraph has paragraphs of its own).
#[derive(Default)]
struct Paragraphs {
    /// Open paragraphs, innermost last: (number, text).
    open: Vec<(u64, String)>,
    /// Paragraphs met so far in the part.
    count: u64,
    /// Offset of the next unit (units never overlap: only increasing offsets
    /// matter, for the sink's deduplication).
    offset: u64,
    /// Closed paragraphs not yet handed over, one line each (paragraphs
    /// without text as empty lines): a form's `Nom :`, `Prénom :` and
    /// `Adresse :` paragraphs are read together, as a text file's lines are.
    batch: String,
    /// The number of the batch's first paragraph, and of the next one.
    first: u64,
    next: u64,
}

/// A batch is handed over once this long (the crew cuts larger units).
const BATCH: usize = 64 << 10;

impl Paragraphs {
    fn open(&mut self) {
        self.count += 1;
        self.open.push((self.count, String::new()));
    }

    fn push(&mut self, s: &str) {
        if let Some((_, text)) = self.open.last_mut() {
            // A newline in the XML source is not a break in the document.
            text.extend(s.chars().map(|c| match c {
                '\u{a0}' | '\u{202f}' | '\n' | '\r' => ' ',
                c => c,
            }));
        }
    }

    /// An element that stands for characters (a tab, a break, spaces).
    fn single(&mut self, role: Role, e: &BytesStart<'_>, in_run: bool) {
        let Some((_, text)) = self.open.last_mut() else {
            return;
        };
        match role {
            Role::Tab if in_run => text.push('\t'),
            Role::Break if in_run => text.push(LINE_BREAK),
            Role::Spaces => {
                let n = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == b"c")
                    .and_then(|a| std::str::from_utf8(&a.value).ok()?.trim().parse().ok())
                    .unwrap_or(1usize);
                text.extend(std::iter::repeat_n(' ', n.min(64)));
            }
            _ => {}
        }
    }

    fn close(&mut self, sink: &mut dyn UnitSink) {
        if let Some((number, text)) = self.open.pop() {
            self.emit(number, &text, sink);
        }
    }

    /// Emits what is still open at the end of the part (or of what could be read).
    fn finish(&mut self, sink: &mut dyn UnitSink) {
        while !self.open.is_empty() {
            self.close(sink);
        }
        self.flush(sink);
    }

    /// Adds paragraph `number` to the batch. A paragraph that comes before
    /// the batch's last (the paragraph around a text box, closed after the
    /// box's own) starts a new batch, so that a line's number is always its
    /// paragraph's: the batch's lines are its paragraphs, in order.
    fn emit(&mut self, number: u64, text: &str, sink: &mut dyn UnitSink) {
        if text.trim().is_empty() {
            return;
        }
        if self.batch.is_empty() || number < self.next || self.batch.len() >= BATCH {
            self.flush(sink);
            self.first = number;
            self.next = number;
        }
        self.batch
            .extend(std::iter::repeat_n('\n', (number - self.next) as usize));
        self.batch.push_str(text);
        self.batch.push('\n');
        self.next = number + 1;
    }

    /// Hands the batch over as one unit.
    fn flush(&mut self, sink: &mut dyn UnitSink) {
        if self.batch.is_empty() {
            return;
        }
        sink.unit(&Located {
            unit: Unit::whole(&self.batch),
            origin: Origin::Text {
                line: self.first,
                column: 0,
                offset: self.offset,
            },
        });
        self.offset += self.batch.len() as u64 + 1;
        self.batch.clear();
    }
}
