//! Plain text in any of the encodings found on a French file share: UTF-8
//! (with or without BOM), UTF-16 and UTF-32 LE/BE (with or without BOM, read
//! through [`WideReader`]), and Windows-1252 when the bytes are not UTF-8
//! (Excel's "CSV (séparateur : point-virgule)" export). NUL bytes in 8-bit
//! text (padding, a stray one) are kept as U+0000.
//!
//! Large files are read in chunks: each unit covers about a chunk, cut after a
//! newline where possible, with an overlap so that a value across a chunk
//! boundary is found exactly once, and some text before it kept as context.
//! Memory stays bounded whatever the file size.

use super::{Cx, ExtractError, Located, Origin, UnitSink};
use crate::model::Unit;
use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::io::Read;

/// Bytes read at a time.
pub const CHUNK: usize = 1 << 20;
/// Longest value a detector reports: a finding starting this far before the
/// end of a chunk is left for the next one.
pub const OVERLAP: usize = crate::model::LONGEST_VALUE;
/// Text kept before each unit for context words.
pub const CONTEXT: usize = 512;

/// How a text file is encoded, as [`sniff_encoding`] found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charset {
    /// The encoding of an 8-bit text (UTF-8 for a [`Wide`] one, which
    /// [`WideReader`] turns into UTF-8).
    pub encoding: &'static Encoding,
    /// Length of the byte-order mark to skip.
    pub bom: usize,
    /// UTF-16 or UTF-32, which are read through [`WideReader`].
    pub wide: Option<Wide>,
}

/// Text in 16- or 32-bit code units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wide {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

/// Of the non-NUL bytes of a sample with NUL bytes, the share of other
/// control bytes above which it is binary: text has none, or a few (a form
/// feed, an escape sequence); compressed or machine data about one in ten.
const MAX_CONTROL_SHARE: f64 = 0.02;

/// The encoding of a text file, or `None` for binary data. NUL bytes alone
/// do not make binary: UTF-16 and UTF-32 text (with or without a byte-order
/// mark), text padded with NULs (a preallocated log) or with a stray NUL (a
/// CSV export) is text; binary is data with other control bytes too.
pub fn sniff_encoding(head: &[u8]) -> Option<Charset> {
    let charset = |encoding, bom, wide| Charset {
        encoding,
        bom,
        wide,
    };
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Some(charset(UTF_8, 3, None));
    }
    if head.starts_with(b"\xFF\xFE\0\0") {
        return Some(charset(UTF_8, 4, Some(Wide::Utf32Le)));
    }
    if head.starts_with(b"\0\0\xFE\xFF") {
        return Some(charset(UTF_8, 4, Some(Wide::Utf32Be)));
    }
    if head.starts_with(b"\xFF\xFE") {
        return Some(charset(UTF_8, 2, Some(Wide::Utf16Le)));
    }
    if head.starts_with(b"\xFE\xFF") {
        return Some(charset(UTF_8, 2, Some(Wide::Utf16Be)));
    }
    if memchr::memchr(0, head).is_some() {
        if let Some(wide) = wide_without_bom(head) {
            return Some(charset(UTF_8, 0, Some(wide)));
        }
        if !text_with_nuls(head) {
            return None;
        }
    }
    let encoding = match simdutf8::compat::from_utf8(head) {
        Ok(_) => UTF_8,
        // Cut in the middle of a character at the end of the sample: UTF-8.
        Err(e) if e.error_len().is_none() => UTF_8,
        Err(_) => WINDOWS_1252,
    };
    Some(charset(encoding, 0, None))
}

/// A control byte that text does not hold (NUL aside).
fn is_binary_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)) || b == 0x7F
}

/// Whether a sample with NUL bytes is 8-bit text once they are left out.
fn text_with_nuls(head: &[u8]) -> bool {
    let (mut bytes, mut controls) = (0usize, 0usize);
    for &b in head.iter().filter(|&&b| b != 0) {
        bytes += 1;
        controls += usize::from(is_binary_control(b));
    }
    // A sample of NULs alone (a sparse file's hole) says nothing: binary.
    bytes >= 8 && (controls as f64) <= MAX_CONTROL_SHARE * bytes as f64
}

/// UTF-32 or UTF-16 text without byte-order mark: code units (those not
/// all NUL, padding) that are nearly all text characters; for UTF-16,
/// characters of the Latin-1 range, whose high byte is NUL (the only
/// UTF-16 a sniffer can tell from 8-bit text).
fn wide_without_bom(head: &[u8]) -> Option<Wide> {
    let texty = |c: u32| {
        (c >= 0x20 && !(0x7F..0xA0).contains(&c) && c <= 0x10FFFF && !(0xD800..0xE000).contains(&c))
            || matches!(c, 0x09 | 0x0A | 0x0D | 0x0C)
    };
    let share = |units: &mut dyn Iterator<Item = u32>| {
        let (mut n, mut good) = (0usize, 0usize);
        for u in units.filter(|&u| u != 0) {
            n += 1;
            good += usize::from(texty(u));
        }
        n >= 4 && good as f64 >= 0.95 * n as f64
    };
    let u32s = |be: bool| {
        head.chunks_exact(4).map(move |c| {
            let w = [c[0], c[1], c[2], c[3]];
            if be {
                u32::from_be_bytes(w)
            } else {
                u32::from_le_bytes(w)
            }
        })
    };
    if share(&mut u32s(false)) {
        return Some(Wide::Utf32Le);
    }
    if share(&mut u32s(true)) {
        return Some(Wide::Utf32Be);
    }
    // Latin-1 only: a unit with a high byte counts as not text.
    let u16s = |be: bool| {
        head.chunks_exact(2).map(move |c| {
            let (lo, hi) = if be { (c[1], c[0]) } else { (c[0], c[1]) };
            if hi == 0 {
                u32::from(lo)
            } else {
                0x7F
            }
        })
    };
    if share(&mut u16s(false)) {
        return Some(Wide::Utf16Le);
    }
    if share(&mut u16s(true)) {
        return Some(Wide::Utf16Be);
    }
    None
}

/// UTF-16 or UTF-32 text read as UTF-8 (the text and CSV readers then read
/// it as any UTF-8 text). Invalid units become U+FFFD.
pub struct WideReader<R> {
    inner: R,
    wide: Wide,
    /// UTF-16: `encoding_rs`'s decoder.
    decoder: Option<Decoder>,
    /// Input bytes not yet decoded (a unit cut by the end of a read).
    raw: Vec<u8>,
    /// Decoded UTF-8 not yet handed out, from `pos`.
    out: Vec<u8>,
    pos: usize,
    eof: bool,
    /// Input bytes read.
    read: u64,
}

impl<R: Read> WideReader<R> {
    pub fn new(inner: R, wide: Wide) -> Self {
        let decoder = match wide {
            Wide::Utf16Le => Some(UTF_16LE.new_decoder_without_bom_handling()),
            Wide::Utf16Be => Some(UTF_16BE.new_decoder_without_bom_handling()),
            _ => None,
        };
        WideReader {
            inner,
            wide,
            decoder,
            raw: Vec::new(),
            out: Vec::new(),
            pos: 0,
            eof: false,
            read: 0,
        }
    }

    /// Input bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    /// Decodes the next piece of input into `out`.
    fn fill(&mut self) -> std::io::Result<()> {
        self.out.clear();
        self.pos = 0;
        let kept = self.raw.len();
        self.raw.resize(kept + (64 << 10), 0);
        let n = loop {
            match self.inner.read(&mut self.raw[kept..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.raw.truncate(kept);
                    return Err(e);
                }
            }
        };
        self.raw.truncate(kept + n);
        self.read += n as u64;
        self.eof = n == 0;
        if let Some(d) = &mut self.decoder {
            let mut text = String::new();
            decode(d, &self.raw, &mut text, self.eof);
            self.raw.clear();
            self.out = text.into_bytes();
            return Ok(());
        }
        let be = self.wide == Wide::Utf32Be;
        let whole = self.raw.len() / 4 * 4;
        let mut buf = [0u8; 4];
        for c in self.raw[..whole].chunks_exact(4) {
            let w = [c[0], c[1], c[2], c[3]];
            let u = if be {
                u32::from_be_bytes(w)
            } else {
                u32::from_le_bytes(w)
            };
            let ch = char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER);
            self.out
                .extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        }
        self.raw.drain(..whole);
        if self.eof && !self.raw.is_empty() {
            self.raw.clear();
            self.out
                .extend_from_slice(char::REPLACEMENT_CHARACTER.encode_utf8(&mut buf).as_bytes());
        }
        Ok(())
    }
}

impl<R: Read> Read for WideReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos >= self.out.len() {
            if self.eof {
                return Ok(0);
            }
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Reads text a container made (a message's headers and body, a page's
/// text), UTF-8 in memory, as a text file.
pub fn extract_utf8(
    text: &str,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<u64, ExtractError> {
    let stream = Stream {
        head: &[],
        rest: &mut text.as_bytes(),
        encoding: UTF_8,
        bom: 0,
    };
    extract(stream, cx, sink)
}

/// Reusable buffers of one worker thread.
#[derive(Default)]
pub struct TextBuffers {
    raw: Vec<u8>,
    pending: String,
}

/// A text file as the streamed extractors ([`extract`], `csv::extract`)
/// read it: its first bytes (read to sniff it), the rest, its 8-bit
/// encoding and the length of its byte-order mark.
pub struct Stream<'r> {
    pub head: &'r [u8],
    pub rest: &'r mut dyn Read,
    pub encoding: &'static Encoding,
    pub bom: usize,
}

/// Streams a text file through `sink` as text, until its end or the file's
/// deadline. Returns the number of bytes read.
pub fn extract(
    stream: Stream<'_>,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<u64, ExtractError> {
    let Stream {
        head,
        rest: reader,
        encoding,
        bom,
    } = stream;
    let deadline = cx.deadline;
    let mut decoder = TextDecoder::new(encoding);
    let TextBuffers { raw, pending } = &mut cx.bufs.text;
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
        stream.emit(pending, eof, cx.columns, sink);
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
    fn emit(
        &mut self,
        pending: &mut String,
        eof: bool,
        columns: &crate::model::columns::ColumnTable,
        sink: &mut dyn UnitSink,
    ) {
        if self.line == 0 {
            self.line = 1;
        }
        let len = pending.len();
        let report_end = if eof {
            len
        } else {
            let limit = crate::model::fold::floor_boundary(pending, len.saturating_sub(OVERLAP));
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
                    regex_free: false,
                },
                origin: Origin::Text {
                    line: self.line,
                    column: self.column,
                    offset: self.offset,
                },
            });
            let at = (self.line, self.column);
            super::query::hand_over(pending, self.report_start..report_end, at, columns, sink);
        }
        if eof {
            return;
        }
        let keep = crate::model::fold::floor_boundary(pending, report_end.saturating_sub(CONTEXT));
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
    use crate::model::location::Locator;

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
        let cs = sniff_encoding(head).expect("test data");
        if let Some(wide) = cs.wide {
            let mut utf8 = Vec::new();
            WideReader::new(&bytes[cs.bom..], wide)
                .read_to_end(&mut utf8)
                .expect("test data");
            return run(&utf8);
        }
        let mut owned = crate::extract::TestCx::default();
        let mut cx = owned.cx();
        let stream = Stream {
            head,
            rest: &mut rest,
            encoding: cs.encoding,
            bom: cs.bom,
        };
        extract(stream, &mut cx, &mut c).expect("test data");
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

    fn utf16(text: &str, be: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| if be { u.to_be_bytes() } else { u.to_le_bytes() })
            .collect()
    }

    fn utf32(text: &str, be: bool) -> Vec<u8> {
        text.chars()
            .flat_map(|c| {
                let u = c as u32;
                if be {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn text_with_nul_bytes_is_decoded_binary_is_not() {
        let text = "Écrire à jean@exemple.fr, merci\n";
        for be in [false, true] {
            let boms: [&[u8]; 2] = if be {
                [b"\xFE\xFF", b"\0\0\xFE\xFF"]
            } else {
                [b"\xFF\xFE", b"\xFF\xFE\0\0"]
            };
            for (bytes, bom) in [utf16(text, be), utf32(text, be)].iter().zip(boms) {
                assert_eq!(run(bytes).reported, text, "big endian {be}, no BOM");
                let with_bom = [bom, bytes].concat();
                assert_eq!(run(&with_bom).reported, text, "big endian {be}, BOM");
            }
        }
        // Cut in the middle of a unit at the end: one replacement character.
        let mut cut = utf32("ab", false);
        cut.pop();
        assert_eq!(
            run(&[&utf32("xyzw", false)[..], &cut].concat()).reported,
            "xyzwa\u{FFFD}"
        );
        // NUL padding after text, a stray NUL in a CSV line.
        let padded = [text.as_bytes(), &[0u8; 3000]].concat();
        assert_eq!(sniff_encoding(&padded).map(|c| c.wide), Some(None));
        assert!(run(&padded).reported.starts_with(text));
        let stray = b"nom;email\nDupont;jean@exemple.fr\0;x\n";
        assert_eq!(run(stray).reported.as_bytes(), stray);
        // Machine data: control bytes besides the NULs.
        let binary: Vec<u8> = (0..2000u32)
            .flat_map(|i| (i * 2_654_435_761).to_le_bytes())
            .collect();
        assert!(sniff_encoding(&binary).is_none());
        assert!(sniff_encoding(&[0u8; 4096]).is_none());
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
