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
    match simdutf8::compat::from_utf8(head) {
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
    let mut decoder = TextDecoder::new(encoding);
    let TextBuffers { raw, pending } = bufs;
    pending.clear();
    let mut total = head.len() as u64;
    let mut stream = TextStream::default();
    decoder.push(&head[bom..], pending, false);
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
        decoder.push(&raw[..n], pending, eof);
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

/// Bytes into text. UTF-8 input is checked with SIMD and copied in one
/// piece for as long as it is valid (nearly always); from its first invalid
/// byte on, and for the other encodings, `encoding_rs` decodes it (invalid
/// sequences become U+FFFD).
struct TextDecoder {
    decoder: Decoder,
    /// While the UTF-8 input is valid: the first bytes of a character cut by
    /// the end of the last piece. `None` once `decoder` has taken over.
    cut: Option<Vec<u8>>,
}

impl TextDecoder {
    fn new(encoding: &'static Encoding) -> Self {
        TextDecoder {
            decoder: encoding.new_decoder_without_bom_handling(),
            cut: (encoding == UTF_8).then(Vec::new),
        }
    }

    /// Appends the text of `src` (the next piece of input) to `dst`.
    fn push(&mut self, mut src: &[u8], dst: &mut String, last: bool) {
        let Some(cut) = &mut self.cut else {
            return decode(&mut self.decoder, src, dst, last);
        };
        if let Some(&lead) = cut.first() {
            let want = match lead {
                0xF0.. => 4,
                0xE0.. => 3,
                _ => 2,
            };
            let take = (want - cut.len()).min(src.len());
            cut.extend_from_slice(&src[..take]);
            src = &src[take..];
            match std::str::from_utf8(cut) {
                Ok(c) => {
                    dst.push_str(c);
                    cut.clear();
                }
                Err(e) if e.error_len().is_none() && !last => return,
                Err(_) => return self.hand_over(None, src, dst, last),
            }
        }
        match simdutf8::compat::from_utf8(src) {
            Ok(text) => dst.push_str(text),
            Err(e) => {
                let valid = e.valid_up_to();
                if let Ok(text) = simdutf8::basic::from_utf8(&src[..valid]) {
                    dst.push_str(text);
                }
                if e.error_len().is_none() && !last {
                    cut.extend_from_slice(&src[valid..]);
                } else {
                    self.hand_over(Some(valid), src, dst, last);
                }
            }
        }
    }

    /// From here on `decoder` decodes: the cut character's bytes, then
    /// `src[from..]` (`None`: all of `src`, after the cut bytes).
    fn hand_over(&mut self, from: Option<usize>, src: &[u8], dst: &mut String, last: bool) {
        let cut = self.cut.take().unwrap_or_default();
        match from {
            Some(i) => decode(&mut self.decoder, &src[i..], dst, last),
            None if src.is_empty() => decode(&mut self.decoder, &cut, dst, last),
            None => {
                decode(&mut self.decoder, &cut, dst, false);
                decode(&mut self.decoder, src, dst, last);
            }
        }
    }
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
    fn utf8_in_pieces_decodes_as_encoding_rs_does_whole() {
        // Characters of 1-4 bytes around one invalid sequence each (a stray
        // continuation byte, a cut character before ASCII, an overlong form,
        // a surrogate) or none, possibly ending with a cut character.
        let valid = "aé€𝄞 ".repeat(12);
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for bad in [
            &b""[..],
            b"\x80",
            b"\xE2\x82x",
            b"\xC0\xAF",
            b"\xED\xA0\x80",
        ] {
            for at in [0, 1, 5, 11, 30] {
                let mut v = valid.as_bytes()[..at].to_vec();
                v.extend_from_slice(bad);
                v.extend_from_slice(valid.as_bytes());
                inputs.push(v.clone());
                v.extend_from_slice(b"\xF0\x9D");
                inputs.push(v);
            }
        }
        for input in &inputs {
            let (want, _) = UTF_8.decode_without_bom_handling(input);
            for piece in 1..=9 {
                let mut d = TextDecoder::new(UTF_8);
                let mut got = String::new();
                let pieces: Vec<&[u8]> = input.chunks(piece).collect();
                for (k, p) in pieces.iter().enumerate() {
                    d.push(p, &mut got, k + 1 == pieces.len());
                }
                assert_eq!(got, want, "pieces of {piece} of {input:?}");
            }
        }
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
