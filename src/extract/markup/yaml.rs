//! YAML: each scalar is a unit, typed by its mapping key; mappings are
//! records exactly as JSON objects are (the record walk of `rows.rs`), one
//! document after another (`---`). Aliases are never expanded, so an
//! anchor repeated a billion times is read once. A stream that stops
//! parsing is read as plain text from where it stopped, with a note.

use super::rows::Walk;
use crate::extract::{Cx, ExtractError, Located, Origin, RowCell, UnitSink};
use saphyr_parser::{Event, Parser, ScalarStyle};

pub(super) fn yaml(
    src: &str,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let mut walk = Walk::new(src, cx.columns);
    let mut bytes = ByteIndex::new(src);
    // Where the last scalar read ends: text read after a parse error starts
    // no earlier, so that nothing is reported twice.
    let mut read_to = 0;
    let mut parser = Parser::new_from_str(src);
    while let Some(next) = parser.next_event() {
        if cx.deadline.is_over() {
            return Ok(());
        }
        let (event, span) = match next {
            Ok(e) => e,
            Err(e) => {
                walk.close_all(sink);
                let line = e.marker().line();
                let from = line_start(src, line).max(read_to);
                sink.not_covered(&format!(
                    "yaml: malformed at line {line}: read as plain text from there"
                ));
                return rest_as_text(src, from, cx, sink);
            }
        };
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                walk.open(matches!(event, Event::SequenceStart(..)), sink);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                walk.close(matches!(event, Event::SequenceEnd), sink);
                walk.node_done();
            }
            Event::Scalar(text, style, ..) => {
                let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
                let at = bytes.at(span.start.index()) + usize::from(quoted);
                read_to = bytes.at(span.end.index()).max(read_to);
                if style == ScalarStyle::Plain && is_keyword(&text) {
                    walk.skipped();
                } else {
                    walk.string(&text, at, sink);
                }
                walk.node_done();
            }
            Event::Alias(_) => {
                walk.skipped();
                walk.node_done();
            }
            _ => {}
        }
    }
    walk.close_all(sink);
    Ok(())
}

/// Plain scalars that hold no text: null and booleans.
fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "~" | "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    )
}

/// The byte offset where line `line` (1-based) of `src` starts.
fn line_start(src: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    memchr::memchr_iter(b'\n', src.as_bytes())
        .nth(line - 2)
        .map_or(src.len(), |i| i + 1)
}

/// Reads `src[from..]` as plain text, located as in the whole file.
fn rest_as_text(
    src: &str,
    from: usize,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let from = crate::model::fold::floor_boundary(src, from.min(src.len()));
    let before = &src.as_bytes()[..from];
    let mut shifted = Shifted {
        sink,
        lines: memchr::memchr_iter(b'\n', before).count() as u64,
        offset: from as u64,
    };
    crate::extract::text::extract_utf8(&src[from..], cx, &mut shifted).map(|_| ())
}

/// Passes units on with their lines and offsets moved down by the part of
/// the file before them.
struct Shifted<'a> {
    sink: &'a mut dyn UnitSink,
    lines: u64,
    offset: u64,
}

impl Shifted<'_> {
    fn shift<'o>(&self, origin: Origin<'o>) -> Origin<'o> {
        match origin {
            Origin::Text {
                line,
                column,
                offset,
            } => Origin::Text {
                line: line + self.lines,
                column,
                offset: offset + self.offset,
            },
            other => other,
        }
    }
}

impl UnitSink for Shifted<'_> {
    fn unit(&mut self, located: &Located<'_>) {
        self.sink.unit(&Located {
            unit: located.unit.clone(),
            origin: self.shift(located.origin),
        });
    }

    fn row(&mut self, cells: &[RowCell<'_>]) {
        let cells: Vec<RowCell<'_>> = cells
            .iter()
            .map(|c| RowCell {
                origin: self.shift(c.origin),
                ..c.clone()
            })
            .collect();
        self.sink.row(&cells);
    }

    fn not_covered(&mut self, reason: &str) {
        self.sink.not_covered(reason);
    }
}

/// Byte offsets of the parser's character indices, counted forwards.
struct ByteIndex<'s> {
    src: &'s str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'s> ByteIndex<'s> {
    fn new(src: &'s str) -> Self {
        ByteIndex {
            src,
            ascii: src.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    /// The byte offset of character `index`.
    fn at(&mut self, index: usize) -> usize {
        if self.ascii {
            return index.min(self.src.len());
        }
        if index < self.chars {
            self.chars = 0;
            self.bytes = 0;
        }
        for c in self.src[self.bytes..].chars() {
            if self.chars == index {
                break;
            }
            self.chars += 1;
            self.bytes += c.len_utf8();
        }
        self.bytes
    }
}
