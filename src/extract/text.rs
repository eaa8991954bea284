//! Plain text in any of the encodings found on a French file share: UTF-8
//! (with or without BOM), UTF-16 LE/BE with BOM, and Windows-1252 when the
//! bytes are not UTF-8 (Excel's "CSV (séparateur : point-virgule)" export).
//!
//! Large files are read in chunks: each unit covers about a chunk, cut after a
//! newline where possible, with an overlap so that a value across a chunk
//! boundary is found exactly once, and some text before it kept as context.
//! Memory stays bounded whatever the file size.

use super::{Deadline, ExtractError, Located, Origin, UnitSink};
use crate::detect::Unit;
use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::io::Read;

/// Bytes read at a time.
pub const CHUNK: usize = 1 << 20;
/// Longest value a detector reports: a finding starting this far before the
/// end of a chunk is left for the next one.
pub const OVERLAP: usize = 2048;
/// Text kept before each unit for context words.
pub const CONTEXT: usize = 512;

/// The encoding of a text file and the length of its byte-order mark, or
/// `None` for binary data (NUL bytes with no UTF-16 BOM).
pub fn sniff_encoding(head: &[u8]) -> Option<(&'static Encoding, usize)> {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Some((UTF_8, 3));
    }
    if head.starts_with(b"\xFF\xFE") {
        return Some((UTF_16LE, 2));
    }
    if head.starts_with(b"\xFE\xFF") {
        return Some((UTF_16BE, 2));
    }
    if memchr::memchr(0, head).is_some() {
        return None;
    }
    match std::str::from_utf8(head) {
        Ok(_) => Some((UTF_8, 0)),
        // Cut in the middle of a character at the end of the sample: UTF-8.
        Err(e) if e.error_len().is_none() => Some((UTF_8, 0)),
        Err(_) => Some((WINDOWS_1252, 0)),
    }
}

/// Reusable buffers of one worker thread.
#[derive(Default)]
pub struct TextBuffers {
    raw: Vec<u8>,
    pending: String,
}

/// Streams `reader` (whose first bytes are `head`) through `sink` as text,
/// until its end or the `deadline`. Returns the number of bytes read.
pub fn extract(
    head: &[u8],
    reader: &mut dyn Read,
    encoding: &'static Encoding,
    bom: usize,
    bufs: &mut TextBuffers,
    deadline: &Deadline,
    sink: &mut dyn UnitSink,
) -> Result<u64, ExtractError> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let TextBuffers { raw, pending } = bufs;
    pending.clear();
    let mut total = head.len() as u64;
    let mut stream = TextStream::default();
    decode(&mut decoder, &head[bom..], pending, false);
    raw.resize(CHUNK, 0);
    loop {
        let n = read_full(reader, raw)?;
        total += n as u64;
        let eof = n < raw.len();
        // A whole chunk of NUL bytes (a sparse file's hole, a log's
        // preallocated tail) holds no text: skipped without being decoded.
        if !eof && raw.iter().all(|&b| b == 0) {
            if deadline.expired() {
                let at = total - n as u64;
                deadline.report(sink, &format!("byte {at} (in a run of NUL bytes)"));
                return Ok(total);
            }
            continue;
        }
        decode(&mut decoder, &raw[..n], pending, eof);
        if !eof && pending.len() < stream.report_start + CHUNK {
            continue;
        }
        stream.emit(pending, eof, sink);
        if eof || deadline.is_over() {
            return Ok(total);
        }
    }
}

/// Reads until `buf` is full or the end of the input.
fn read_full(reader: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn decode(decoder: &mut Decoder, src: &[u8], dst: &mut String, last: bool) {
    let mut src = src;
    loop {
        let need = decoder
            .max_utf8_buffer_length(src.len())
            .unwrap_or(src.len() * 3 + 16);
        dst.reserve(need);
        let (result, read, _) = decoder.decode_to_string(src, dst, last);
        src = &src[read..];
        if matches!(result, encoding_rs::CoderResult::InputEmpty) {
            break;
        }
    }
}

/// Position bookkeeping of a text being streamed in units.
#[derive(Default)]
struct TextStream {
    /// Where the next unit's findings may start in `pending`.
    report_start: usize,
    /// Line (0 until started) and column of `pending[0]`.
    line: u64,
    column: u64,
    /// Byte offset of `pending[0]` in the decoded text.
    offset: u64,
}

impl TextStream {
    /// Hands the ready part of `pending` to `sink`, then drops what is no
    /// longer needed as context.
    fn emit(&mut self, pending: &mut String, eof: bool, sink: &mut dyn UnitSink) {
        if self.line == 0 {
            self.line = 1;
        }
        let len = pending.len();
        let report_end = if eof {
            len
        } else {
            let limit = crate::text::floor_boundary(pending, len.saturating_sub(OVERLAP));
            match memchr::memrchr(b'\n', &pending.as_bytes()[self.report_start..limit]) {
                Some(i) => self.report_start + i + 1,
                None => limit,
            }
        };
        if report_end > self.report_start || eof {
            sink.unit(&Located {
                unit: Unit {
                    text: pending,
                    report: self.report_start..report_end,
                    column_kind: None,
                },
                origin: Origin::Text {
                    line: self.line,
                    column: self.column,
                    offset: self.offset,
                },
            });
        }
        if eof {
            return;
        }
        let keep = crate::text::floor_boundary(pending, report_end.saturating_sub(CONTEXT));
        let dropped = &pending.as_bytes()[..keep];
        let newlines = memchr::memchr_iter(b'\n', dropped).count() as u64;
        if newlines > 0 {
            self.line += newlines;
            let last = memchr::memrchr(b'\n', dropped).unwrap_or(0);
            self.column = pending[last + 1..keep].chars().count() as u64;
        } else {
            self.column += pending[..keep].chars().count() as u64;
        }
        self.offset += keep as u64;
        pending.drain(..keep);
        self.report_start = report_end - keep;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::location::Locator;

    /// Collects (line, column, text of the report range) per unit.
    #[derive(Default)]
    struct Collect {
        reported: String,
        marks: Vec<(u64, u64)>,
    }

    impl UnitSink for Collect {
        fn unit(&mut self, l: &Located<'_>) {
            let t = l.unit.text;
            self.reported.push_str(&t[l.unit.report.clone()]);
            let mut loc = Locator::new(t, l.origin);
            for (i, _) in t.match_indices('@') {
                if l.unit.report.contains(&i) {
                    let p = loc.locate(i);
                    self.marks
                        .push((p.line.expect("test data"), p.column.expect("test data")));
                }
            }
        }
    }

    fn run(bytes: &[u8]) -> Collect {
        let head = &bytes[..bytes.len().min(super::super::SNIFF_LEN)];
        let mut rest = &bytes[head.len()..];
        let mut c = Collect::default();
        let (enc, bom) = sniff_encoding(head).expect("test data");
        extract(
            head,
            &mut rest,
            enc,
            bom,
            &mut TextBuffers::default(),
            &Deadline::unlimited(),
            &mut c,
        )
        .expect("test data");
        c
    }

    #[test]
    fn encodings() {
        assert_eq!(run("é@".as_bytes()).reported, "é@");
        assert_eq!(run(b"\xEF\xBB\xBFa@").reported, "a@");
        assert_eq!(run(b"\xFF\xFEa\x00@\x00").reported, "a@");
        assert_eq!(run(b"\xFE\xFF\x00a\x00@").reported, "a@");
        assert_eq!(run(b"caf\xe9 @").reported, "café @");
        assert!(sniff_encoding(b"ab\x00\x01").is_none());
    }

    #[test]
    fn large_file_every_byte_reported_once_with_lines() {
        // 3 MB of lines, each with one marker, plus one very long line.
        let mut s = String::new();
        let mut expect = Vec::new();
        for i in 1..=60_000u64 {
            s.push_str("ééé é @ ligne de texte\n");
            expect.push((i, 7));
        }
        let long = "x".repeat(3 * CHUNK);
        s.push_str(&long);
        s.push('@');
        expect.push((60_001, 3 * CHUNK as u64 + 1));
        let c = run(s.as_bytes());
        assert_eq!(c.reported, s);
        assert_eq!(c.marks, expect);
    }
}
