//! Paragraphs as units, for the readers that find text one character at a
//! time (`.doc`, `.ppt`, `.rtf`): each paragraph is one unit located by its
//! number in its part (`line`, 1-based, empty paragraphs counted), as the
//! zipped office documents are (`office.rs`).

use super::super::{Located, Origin, UnitSink};
use crate::model::Unit;

/// A paragraph longer than this (a document without paragraph marks) is
/// emitted in pieces, located by their column: never one unit of the whole
/// document.
const MAX_UNIT: usize = 1 << 20;

/// The paragraphs of one part, in order.
#[derive(Default)]
pub(crate) struct Paragraphs {
    text: String,
    /// Paragraphs ended so far.
    count: u64,
    /// Characters of the current paragraph already emitted (a long one).
    column: u64,
    /// Offset of the next unit (units never overlap).
    offset: u64,
}

impl Paragraphs {
    /// Appends one character of the current paragraph.
    pub fn push(&mut self, c: char, sink: &mut dyn UnitSink) {
        self.text.push(c);
        if self.text.len() >= MAX_UNIT {
            self.emit(sink);
        }
    }

    /// Whether nothing was written in the current paragraph yet.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.column == 0
    }

    /// Ends the current paragraph (a paragraph mark).
    pub fn end(&mut self, sink: &mut dyn UnitSink) {
        self.emit(sink);
        self.count += 1;
        self.column = 0;
    }

    /// Ends the part: its last paragraph, if it has text.
    pub fn finish(&mut self, sink: &mut dyn UnitSink) {
        if !self.is_empty() {
            self.end(sink);
        }
    }

    /// Emits what the current paragraph holds so far.
    fn emit(&mut self, sink: &mut dyn UnitSink) {
        let text = std::mem::take(&mut self.text);
        let chars = text.chars().count() as u64;
        if !text.trim().is_empty() {
            sink.unit(&Located {
                unit: Unit::whole(&text),
                origin: Origin::Text {
                    line: self.count + 1,
                    column: self.column,
                    offset: self.offset,
                },
            });
        }
        self.offset += text.len() as u64 + 1;
        self.column += chars;
        self.text = text;
        self.text.clear();
    }
}
