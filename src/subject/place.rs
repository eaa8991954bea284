//! Where each finding of a document sits, as records see it ([`Place`]): the
//! JSON/XML objects open around it, the paragraph and line of flowing text,
//! a log line alone. Kept for a subject search and for the inventory (which
//! answers `subject --db` with the same records).

use super::record::{Paragraphs, Place};
use crate::extract::Located;
use crate::model::location::{Location, Origin};

/// The structure read so far of the current document.
#[derive(Default)]
pub struct Places {
    paragraphs: Paragraphs,
    /// The JSON/XML objects open, innermost last; the next one's id; their
    /// path (`3/7/9`).
    objects: Vec<u32>,
    next_object: u32,
    object_path: String,
    /// The path of the record values being read (JSON, YAML, XML), if any.
    record_path: String,
    in_record: bool,
}

impl Places {
    /// A new document (a member, a part) starts.
    pub fn reset(&mut self) {
        self.paragraphs.reset();
        self.objects.clear();
        self.object_path.clear();
        self.set_record_path(None);
    }

    /// The values read next are at `path` of a record (`None`: outside).
    pub fn set_record_path(&mut self, path: Option<&str>) {
        self.record_path.clear();
        self.record_path.push_str(path.unwrap_or(""));
        self.in_record = path.is_some();
    }

    /// The path of the record values being read.
    pub fn record_path(&self) -> Option<&str> {
        self.in_record.then_some(self.record_path.as_str())
    }

    /// Notes the paragraphs of a unit of flowing text.
    pub fn note(&mut self, located: &Located<'_>) {
        match located.origin {
            Origin::Text { line, .. } if self.objects.is_empty() => {
                self.paragraphs.note(located.unit.text, line)
            }
            Origin::Page { .. } => {
                self.paragraphs.reset();
                self.paragraphs.note(located.unit.text, 1);
            }
            _ => {}
        }
    }

    /// A JSON or XML object starts.
    pub fn begin_object(&mut self) {
        self.next_object += 1;
        self.objects.push(self.next_object);
        self.object_path_changed();
    }

    /// The innermost object ends.
    pub fn end_object(&mut self) {
        self.objects.pop();
        self.object_path_changed();
    }

    fn object_path_changed(&mut self) {
        use std::fmt::Write;
        self.object_path.clear();
        for (i, id) in self.objects.iter().enumerate() {
            let sep = if i == 0 { "" } else { "/" };
            let _ = write!(self.object_path, "{sep}{id}");
        }
    }

    /// Where a value assembled from a row's cells sits: the row, or the
    /// JSON/XML object whose members they are.
    pub fn row(&self) -> Place {
        if self.objects.is_empty() {
            Place::Row
        } else {
            Place::Object(self.object_path.clone())
        }
    }

    /// Where the finding at byte `at` of `located` sits (`loc`: its location).
    pub fn of(&self, located: &Located<'_>, at: usize, loc: &Location) -> Place {
        let text = located.unit.text;
        let line = match located.origin {
            Origin::Field { .. } | Origin::Cell { .. } => return Place::Row,
            Origin::Text { .. } if !self.objects.is_empty() => {
                return Place::Object(self.object_path.clone())
            }
            Origin::Text { .. } => loc.line.unwrap_or(0),
            // Lines counted from the page's start, as its paragraphs were.
            Origin::Page { .. } => {
                1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..at.min(text.len())]).count()
                    as u64
            }
        };
        let at = crate::model::fold::floor_boundary(text, at.min(text.len()));
        let start = memchr::memrchr(b'\n', &text.as_bytes()[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i);
        let block = (!crate::detect::logline::starts_like_log(&text[start..end]))
            .then(|| self.paragraphs.block_of(line));
        Place::Flow { line, block }
    }
}
