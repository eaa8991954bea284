//! The frames between a scan worker and its reader process.
//!
//! Each frame is a little-endian `u32` length, then that many bytes: a tag
//! byte and the fields. Strings are a `u32` length and UTF-8 bytes, numbers
//! little-endian `u64`. The worker sends `F` (a file's path, raw bytes); the
//! reader answers with one frame per [`UnitSink`] event and ends the file
//! with `Z` (the extraction's result) or `!` (a parser panicked).
//!
//! | tag | event | fields |
//! |---|---|---|
//! | `U` | unit | text, report start, report end, column kind (flag + string), origin |
//! | `R` | row | cell count, then per cell: text, role (flag + role + kind), origin |
//! | `E` / `L` | enter / leave | name / result |
//! | `P` / `Q` | enter_part / leave_part | name / — |
//! | `N` | not_covered | reason |
//! | `W` | recognised | word count, then per word: start, end, confidence (`f32` bits as `u64`) |
//! | `G` | ocr_pages | page count |
//! | `Z` / `!` | end of the file | result / — |
//!
//! An origin is a tag (`0` text: line, column, offset; `1` field: line,
//! field; `2` cell: sheet, cell; `3` page: page) and its fields. A result is
//! `0`, the format's name and the bytes read, or `1` and the error message.
//! Column roles travel by name and kind and are found again in the worker's
//! column table, which is built from the same files.

use crate::extract::{ExtractError, Format, Located, Origin, RowCell, UnitSink};
use crate::model::columns::ColumnTable;
use crate::model::Unit;
use std::io::Write;

/// Frames larger than this are refused (a unit is at most a few MiB).
pub const MAX_FRAME: usize = 1 << 30;

/// Events are written out once this many bytes are buffered.
const FLUSH_AT: usize = 64 << 10;

/// A request frame: read the file at `path`.
pub fn request(path: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(&(path.len() as u32 + 1).to_le_bytes());
    out.push(b'F');
    out.extend_from_slice(path);
}

/// The path of a request frame's payload.
pub fn requested_path(payload: &[u8]) -> Option<&[u8]> {
    payload.strip_prefix(b"F")
}

/// The reader's sink: writes every event as a frame to `out`.
pub struct Encoder<W: Write> {
    out: W,
    buf: Vec<u8>,
    /// Where the current frame's length goes.
    start: usize,
    /// The worker stopped reading: nothing more is written.
    pub failed: Option<std::io::Error>,
}

impl<W: Write> Encoder<W> {
    pub fn new(out: W) -> Self {
        Encoder {
            out,
            buf: Vec::with_capacity(FLUSH_AT * 2),
            start: 0,
            failed: None,
        }
    }

    fn begin(&mut self, tag: u8) {
        self.start = self.buf.len();
        self.buf.extend_from_slice(&[0; 4]);
        self.buf.push(tag);
    }

    fn end(&mut self) {
        let len = (self.buf.len() - self.start - 4) as u32;
        self.buf[self.start..self.start + 4].copy_from_slice(&len.to_le_bytes());
        if self.buf.len() >= FLUSH_AT {
            self.flush();
        }
    }

    /// Writes out the buffered frames.
    pub fn flush(&mut self) {
        if self.failed.is_none() {
            if let Err(e) = self
                .out
                .write_all(&self.buf)
                .and_then(|()| self.out.flush())
            {
                self.failed = Some(e);
            }
        }
        self.buf.clear();
    }

    fn u64(&mut self, n: u64) {
        self.buf.extend_from_slice(&n.to_le_bytes());
    }

    fn str(&mut self, s: &str) {
        self.buf.extend_from_slice(&(s.len() as u32).to_le_bytes());
        self.buf.extend_from_slice(s.as_bytes());
    }

    fn origin(&mut self, o: &Origin<'_>) {
        match *o {
            Origin::Text {
                line,
                column,
                offset,
            } => {
                self.buf.push(0);
                self.u64(line);
                self.u64(column);
                self.u64(offset);
            }
            Origin::Field { line, field } => {
                self.buf.push(1);
                self.u64(line);
                self.u64(field);
            }
            Origin::Cell { sheet, cell } => {
                self.buf.push(2);
                self.str(sheet);
                self.str(cell);
            }
            Origin::Page { page } => {
                self.buf.push(3);
                self.u64(u64::from(page));
            }
        }
    }

    fn result(&mut self, r: &Result<(Format, u64), ExtractError>) {
        match r {
            Ok((format, bytes)) => {
                self.buf.push(0);
                self.str(format.name());
                self.u64(*bytes);
            }
            // Listed as skipped, not as an error, on both sides.
            Err(e) if e.as_skipped().is_some() => {
                let (format, reason) = e.as_skipped().unwrap_or_default();
                self.buf.push(2);
                self.str(format);
                self.str(reason);
            }
            Err(e) => {
                self.buf.push(1);
                self.str(&e.to_string());
            }
        }
    }

    /// Ends the file with the extraction's result (`None`: a parser
    /// panicked), and writes everything out.
    pub fn finish(&mut self, result: Option<&Result<(Format, u64), ExtractError>>) {
        match result {
            Some(r) => {
                self.begin(b'Z');
                self.result(r);
            }
            None => self.begin(b'!'),
        }
        self.end();
        self.flush();
    }
}

impl<W: Write> UnitSink for Encoder<W> {
    fn unit(&mut self, l: &Located<'_>) {
        self.begin(b'U');
        self.str(l.unit.text);
        self.u64(l.unit.report.start as u64);
        self.u64(l.unit.report.end as u64);
        match l.unit.column_kind {
            Some(k) => {
                self.buf.push(1);
                self.str(k);
            }
            None => self.buf.push(0),
        }
        self.origin(&l.origin);
        self.end();
    }

    fn row(&mut self, cells: &[RowCell<'_>]) {
        self.begin(b'R');
        self.buf
            .extend_from_slice(&(cells.len() as u32).to_le_bytes());
        for c in cells {
            self.str(c.text);
            match c.role {
                Some(r) => {
                    self.buf.push(1);
                    self.str(&r.role);
                    self.str(&r.kind);
                }
                None => self.buf.push(0),
            }
            self.origin(&c.origin);
        }
        self.end();
    }

    fn enter(&mut self, name: &str) {
        self.begin(b'E');
        self.str(name);
        self.end();
    }

    fn leave(&mut self, result: &Result<(Format, u64), ExtractError>) {
        self.begin(b'L');
        self.result(result);
        self.end();
        // A member read is sent whole: its findings survive a crash on a
        // later member.
        self.flush();
    }

    fn enter_part(&mut self, name: &str) {
        self.begin(b'P');
        self.str(name);
        self.end();
    }

    fn leave_part(&mut self) {
        self.begin(b'Q');
        self.end();
    }

    fn not_covered(&mut self, reason: &str) {
        self.begin(b'N');
        self.str(reason);
        self.end();
    }

    fn recognised(&mut self, words: &crate::extract::ocr::Recognised) {
        self.begin(b'W');
        self.u64(words.len() as u64);
        for w in words {
            self.u64(u64::from(w.start));
            self.u64(u64::from(w.end));
            self.u64(u64::from(w.confidence.to_bits()));
        }
        self.end();
    }

    fn ocr_pages(&mut self, pages: u32) {
        self.begin(b'G');
        self.u64(u64::from(pages));
        self.end();
    }

    fn begin_object(&mut self) {
        self.begin(b'O');
        self.end();
    }

    fn end_object(&mut self) {
        self.begin(b'C');
        self.end();
    }

    fn record_path(&mut self, path: Option<&str>) {
        self.begin(b'J');
        match path {
            Some(p) => {
                self.buf.push(1);
                self.str(p);
            }
            None => self.buf.push(0),
        }
        self.end();
    }
}

/// How a file's frames ended.
#[derive(Debug)]
pub enum Ended {
    /// The extraction's result: the format and bytes read, or the error.
    Done(Result<(Format, u64), Failure>),
    /// A parser panicked; the reader goes on with the next file.
    Panicked,
}

/// A frame the worker cannot read.
pub type Bad = &'static str;

/// Reads the fields of one frame.
struct Fields<'a> {
    b: &'a [u8],
}

impl<'a> Fields<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Bad> {
        if self.b.len() < n {
            return Err("truncated");
        }
        let (h, t) = self.b.split_at(n);
        self.b = t;
        Ok(h)
    }
    fn u8(&mut self) -> Result<u8, Bad> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, Bad> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, Bad> {
        let b = self.take(8)?;
        let mut a = [0; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    fn str(&mut self) -> Result<&'a str, Bad> {
        let n = self.u32()? as usize;
        simdutf8::basic::from_utf8(self.take(n)?).map_err(|_| "not UTF-8")
    }
    fn origin(&mut self) -> Result<Origin<'a>, Bad> {
        Ok(match self.u8()? {
            0 => Origin::Text {
                line: self.u64()?,
                column: self.u64()?,
                offset: self.u64()?,
            },
            1 => Origin::Field {
                line: self.u64()?,
                field: self.u64()?,
            },
            2 => Origin::Cell {
                sheet: self.str()?,
                cell: self.str()?,
            },
            3 => Origin::Page {
                page: u32::try_from(self.u64()?).map_err(|_| "page number")?,
            },
            _ => return Err("unknown origin"),
        })
    }
    fn result(&mut self) -> Result<Result<(Format, u64), Failure>, Bad> {
        Ok(match self.u8()? {
            0 => {
                let format = Format::by_name(self.str()?).ok_or("unknown format")?;
                Ok((format, self.u64()?))
            }
            1 => Err(Failure::Message(self.str()?.to_string())),
            2 => Err(Failure::Skipped {
                format: intern(self.str()?),
                reason: intern(self.str()?),
            }),
            _ => return Err("unknown result"),
        })
    }
}

/// Replays one frame's payload (tag and fields) into `sink`; returns how
/// the file ended at its last frame. Roles are looked up in `columns`.
pub fn replay(
    payload: &[u8],
    columns: &ColumnTable,
    sink: &mut dyn UnitSink,
) -> Result<Option<Ended>, Bad> {
    let (&tag, rest) = payload.split_first().ok_or("empty")?;
    let mut f = Fields { b: rest };
    match tag {
        b'U' => {
            let text = f.str()?;
            let (start, end) = (f.u64()? as usize, f.u64()? as usize);
            if start > end || end > text.len() {
                return Err("unit range");
            }
            let column_kind = match f.u8()? {
                0 => None,
                _ => Some(f.str()?),
            };
            let origin = f.origin()?;
            sink.unit(&Located {
                unit: Unit {
                    text,
                    report: start..end,
                    column_kind,
                    regex_free: false,
                },
                origin,
            });
        }
        b'R' => {
            let n = f.u32()? as usize;
            let mut cells = Vec::with_capacity(n.min(1 << 12));
            for _ in 0..n {
                let text = f.str()?;
                let role = match f.u8()? {
                    0 => None,
                    _ => {
                        let (role, kind) = (f.str()?, f.str()?);
                        columns.role(role, kind)
                    }
                };
                let origin = f.origin()?;
                cells.push(RowCell { text, role, origin });
            }
            sink.row(&cells);
        }
        b'E' => sink.enter(f.str()?),
        b'L' => {
            let r = f.result()?.map_err(reported);
            sink.leave(&r);
        }
        b'P' => sink.enter_part(f.str()?),
        b'Q' => sink.leave_part(),
        b'N' => sink.not_covered(f.str()?),
        b'W' => {
            let n = f.u64()? as usize;
            let mut words = Vec::with_capacity(n.min(1 << 16));
            for _ in 0..n {
                let (start, end) = (f.u64()?, f.u64()?);
                let bits = u32::try_from(f.u64()?).map_err(|_| "confidence")?;
                words.push(crate::extract::ocr::Word {
                    start: u32::try_from(start).map_err(|_| "word start")?,
                    end: u32::try_from(end).map_err(|_| "word end")?,
                    confidence: f32::from_bits(bits),
                });
            }
            sink.recognised(&words);
        }
        b'G' => sink.ocr_pages(u32::try_from(f.u64()?).map_err(|_| "page count")?),
        b'O' => sink.begin_object(),
        b'C' => sink.end_object(),
        b'J' => match f.u8()? {
            0 => sink.record_path(None),
            _ => sink.record_path(Some(f.str()?)),
        },
        b'Z' => return Ok(Some(Ended::Done(f.result()?))),
        b'!' => return Ok(Some(Ended::Panicked)),
        _ => return Err("unknown event"),
    }
    Ok(None)
}

/// Why the reader could not read a file or member, as it said it.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// An error, by its message.
    Message(String),
    /// A format this build does not read ([`ExtractError::Skipped`]).
    Skipped {
        format: &'static str,
        reason: &'static str,
    },
}

/// What the reader said of a file or member, as an extraction error.
pub fn reported(failure: Failure) -> ExtractError {
    match failure {
        Failure::Message(m) => ExtractError::Supervised(super::ChildError::Reported(m)),
        Failure::Skipped { format, reason } => ExtractError::Skipped { format, reason },
    }
}

/// `name` as a `'static` string, kept once: the few names of formats and
/// reasons the reader sends.
fn intern(name: &str) -> &'static str {
    static NAMES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = names.iter().find(|n| **n == name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.push(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{ArchiveFormat, SheetFormat};
    use crate::model::columns::ColumnRole;

    /// Records every event as text.
    #[derive(Default)]
    struct Log(Vec<String>);
    impl UnitSink for Log {
        fn unit(&mut self, l: &Located<'_>) {
            self.0.push(format!(
                "unit {:?} {:?} {:?} {:?}",
                l.unit.text, l.unit.report, l.unit.column_kind, l.origin
            ));
        }
        fn row(&mut self, cells: &[RowCell<'_>]) {
            let cells: Vec<String> = cells
                .iter()
                .map(|c| format!("{:?} {:?} {:?}", c.text, c.role, c.origin))
                .collect();
            self.0.push(format!("row {cells:?}"));
        }
        fn enter(&mut self, name: &str) {
            self.0.push(format!("enter {name}"));
        }
        fn leave(&mut self, r: &Result<(Format, u64), ExtractError>) {
            let r = r.as_ref().map_err(ToString::to_string);
            self.0.push(format!("leave {r:?}"));
        }
        fn enter_part(&mut self, name: &str) {
            self.0.push(format!("part {name}"));
        }
        fn leave_part(&mut self) {
            self.0.push("end part".into());
        }
        fn not_covered(&mut self, reason: &str) {
            self.0.push(format!("not covered {reason}"));
        }
        fn begin_object(&mut self) {
            self.0.push("object".into());
        }
        fn end_object(&mut self) {
            self.0.push("end object".into());
        }
    }

    fn events(sink: &mut dyn UnitSink, role: &ColumnRole) {
        sink.enter("a/b.xlsx");
        sink.begin_object();
        sink.end_object();
        sink.enter_part("Feuil1");
        sink.unit(&Located {
            unit: Unit {
                text: "jean@exemple.fr é",
                report: 0..4,
                column_kind: Some("email"),
                regex_free: false,
            },
            origin: Origin::Cell {
                sheet: "Feuil1",
                cell: "B7",
            },
        });
        sink.row(&[
            RowCell {
                text: "Dupont",
                role: Some(role),
                origin: Origin::Field { line: 3, field: 2 },
            },
            RowCell {
                text: "x",
                role: None,
                origin: Origin::Page { page: 9 },
            },
        ]);
        sink.unit(&Located {
            unit: Unit::whole("ligne"),
            origin: Origin::Text {
                line: 12,
                column: 3,
                offset: 1 << 40,
            },
        });
        sink.leave_part();
        sink.not_covered("page 3 without text");
        sink.leave(&Ok((Format::Spreadsheet(SheetFormat::Ods), 42)));
        sink.leave(&Err(ExtractError::Unsupported("doc")));
        sink.leave(&Err(ExtractError::Skipped {
            format: "7z",
            reason: "unsupported archive",
        }));
    }

    #[test]
    fn frames_replay_the_events_they_encode() {
        let columns = ColumnTable::builtin();
        let role = columns.recognize("Nom").expect("a Nom column").clone();
        let mut direct = Log::default();
        events(&mut direct, &role);

        let mut enc = Encoder::new(Vec::new());
        events(&mut enc, &role);
        enc.finish(Some(&Ok((Format::Archive(ArchiveFormat::Zip), 7))));
        let bytes = std::mem::take(&mut enc.out);
        let mut replayed = Log::default();
        let mut rest = &bytes[..];
        let mut end = None;
        while !rest.is_empty() {
            let len = u32::from_le_bytes(rest[..4].try_into().expect("4 bytes")) as usize;
            end = replay(&rest[4..4 + len], &columns, &mut replayed).expect("a good frame");
            rest = &rest[4 + len..];
        }
        assert_eq!(replayed.0, direct.0);
        match end {
            Some(Ended::Done(Ok((f, 7)))) => assert_eq!(f, Format::Archive(ArchiveFormat::Zip)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_frames_are_refused_not_panicked_on() {
        let columns = ColumnTable::default();
        let mut rng = crate::TestRng(0x1234_5678_9abc_def1);
        let mut enc = Encoder::new(Vec::new());
        events(
            &mut enc,
            &ColumnRole {
                role: "r".into(),
                kind: "k".into(),
                exact: false,
            },
        );
        enc.flush();
        let good = std::mem::take(&mut enc.out);
        for _ in 0..2000 {
            let mut b = good[4..].to_vec();
            let i = rng.below(b.len() as u64) as usize;
            b[i] = rng.next() as u8;
            b.truncate(rng.below(b.len() as u64 + 1) as usize);
            let _ = replay(&b, &columns, &mut Log::default());
        }
    }
}
