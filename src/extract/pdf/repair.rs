//! Damaged files: the document rebuilt from its objects, as poppler and
//! pdf.js do when the cross-reference table or trailer cannot be trusted.
//!
//! The bytes are scanned once for `N G obj` headers; each object (the last
//! copy of a number wins, as in an incremental update) is written again into
//! a fresh file, its stream's `/Length` set to the bytes found up to
//! `endstream` (missing, wrong or indirect lengths are the usual damage),
//! then a new cross-reference table and a trailer naming the catalog (and the
//! `/Encrypt` dictionary and `/ID`, which decryption needs). lopdf then loads
//! that file. Work and memory stay linear in the input: one pass over the
//! bytes, each object copied once.

use std::collections::BTreeMap;

/// Objects kept at most (a hostile file of tiny objects stays bounded).
const MAX_OBJECTS: usize = 1 << 20;

/// `head` (a file's first bytes) starts a PDF file, maybe after some junk
/// (a byte-order mark, a blank line, a mail or HTTP header): poppler and
/// lopdf accept `%PDF-` anywhere in the first 1,024 bytes; here it must also
/// start a line and carry a version, so that a text file quoting a header
/// stays text.
pub fn starts_like_pdf(head: &[u8]) -> bool {
    // Every file's head is tested: the searcher is built once.
    static MAGIC: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"%PDF-"));
    let head = &head[..head.len().min(1024)];
    MAGIC.find_iter(head).any(|i| {
        let line_start = i == 0 || matches!(head[i - 1], b'\n' | b'\r' | 0 | 0xBF | 0xFF);
        line_start && head.get(i + 5).is_some_and(u8::is_ascii_digit)
    })
}

/// A file rebuilt from the objects found in `data`, or `None` when it holds
/// no object. Without `keep_encrypt`, its trailer names no `/Encrypt`
/// dictionary, so that lopdf loads the objects as they are ([`super::decrypt`]).
pub(super) fn rebuild(data: &[u8], keep_encrypt: bool) -> Option<Vec<u8>> {
    let objects = objects(data);
    if objects.is_empty() {
        return None;
    }
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    let mut root = None;
    for (&id, &(start, end)) in &objects {
        let body = &data[start..end];
        offsets.push((id, out.len()));
        write_object(body, &mut out);
        if root.is_none() && is_catalog(body) {
            root = Some(id);
        }
    }
    let trailer = last_trailer(data);
    let root = trailer.root.or(root)?;
    let xref = out.len();
    out.extend_from_slice(b"xref\n0 1\n0000000000 65535 f \n");
    for ((num, gen), off) in &offsets {
        out.extend_from_slice(format!("{num} 1\n{off:010} {gen:05} n \n").as_bytes());
    }
    let size = objects.keys().next_back().map_or(1, |(n, _)| n + 1);
    out.extend_from_slice(
        format!("trailer\n<< /Size {size} /Root {} {} R", root.0, root.1).as_bytes(),
    );
    if let (true, Some((n, g))) = (keep_encrypt, trailer.encrypt) {
        out.extend_from_slice(format!(" /Encrypt {n} {g} R").as_bytes());
    }
    if let Some(id) = trailer.id {
        out.extend_from_slice(b" /ID ");
        out.extend_from_slice(id);
    }
    out.extend_from_slice(format!(" >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    Some(out)
}

/// The objects found in `data` by their `N G obj` headers: where each
/// starts and ends (the last copy of a number wins).
pub(super) fn objects(data: &[u8]) -> BTreeMap<(u32, u16), (usize, usize)> {
    // Keywords found once, in order: each object's end is then a binary
    // search, so that objects without `endobj` do not make the work quadratic.
    let marks = Marks::new(data);
    let mut objects: BTreeMap<(u32, u16), (usize, usize)> = BTreeMap::new();
    // The previous object, when its end was only guessed (no stream, so a
    // header before its `endobj` means the `endobj` was missing).
    let mut open: Option<(u32, u16)> = None;
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&data[from..], b"obj") {
        let at = from + i;
        from = at + 3;
        let Some((id, start)) = header_before(data, at) else {
            continue;
        };
        if !objects.contains_key(&id) && objects.len() >= MAX_OBJECTS {
            break;
        }
        if let Some(prev) = open.take() {
            if let Some(range) = objects.get_mut(&prev) {
                range.1 = range.1.min(start).max(range.0);
            }
        }
        let (end, stream) = marks.object_end(data.len(), at + 3);
        objects.insert(id, (start, end));
        if stream {
            // Stream data is not searched for headers.
            from = from.max(end);
        } else {
            open = Some(id);
        }
    }
    objects
}

/// The `N G` before an `obj` keyword at `at`, and where the header starts.
fn header_before(data: &[u8], at: usize) -> Option<((u32, u16), usize)> {
    // "obj" must end a token ("endobj", "objects" are not headers).
    if data.get(at + 3).is_some_and(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let mut i = at;
    let blank = |i: &mut usize| {
        let s = *i;
        while *i > 0 && data[*i - 1].is_ascii_whitespace() {
            *i -= 1;
        }
        *i < s
    };
    let digits = |i: &mut usize| {
        let e = *i;
        while *i > 0 && e - *i < 10 && data[*i - 1].is_ascii_digit() {
            *i -= 1;
        }
        (*i < e).then(|| std::str::from_utf8(&data[*i..e]).ok()?.parse::<u64>().ok())?
    };
    blank(&mut i);
    let gen = digits(&mut i)?;
    if !blank(&mut i) {
        return None;
    }
    let num = digits(&mut i)?;
    if i > 0 && !data[i - 1].is_ascii_whitespace() && !b"<>[]()/%".contains(&data[i - 1]) {
        return None;
    }
    let id = (u32::try_from(num).ok()?, u16::try_from(gen).ok()?);
    (id.0 > 0).then_some((id, i))
}

/// Positions of the keywords that end objects and streams.
struct Marks {
    endobj: Vec<usize>,
    stream: Vec<usize>,
    endstream: Vec<usize>,
}

impl Marks {
    fn new(data: &[u8]) -> Self {
        let all = |pat: &[u8]| memchr::memmem::find_iter(data, pat).collect::<Vec<_>>();
        let endstream = all(b"endstream");
        let stream = all(b"stream")
            .into_iter()
            .filter(|&p| !data[..p].ends_with(b"end"))
            .collect();
        Marks {
            endobj: all(b"endobj"),
            stream,
            endstream,
        }
    }

    /// Where the object whose body starts at `body` ends (after its
    /// `endobj`, or at the end of the data), and whether it has a stream.
    fn object_end(&self, len: usize, body: usize) -> (usize, bool) {
        let next = |v: &[usize], p: usize| v.get(v.partition_point(|&x| x < p)).copied();
        let endobj = next(&self.endobj, body).unwrap_or(len);
        match next(&self.stream, body).filter(|&s| s < endobj) {
            // Stream data may contain "endobj": look after its end.
            Some(s) => {
                let es = next(&self.endstream, s + 6).unwrap_or(len);
                let end = next(&self.endobj, es).map_or(len, |e| e + 6);
                (end, true)
            }
            None => ((endobj + 6).min(len), false),
        }
    }
}

/// Where the data of the stream in `body` (an object after its header)
/// starts: after the `stream` keyword and its end of line.
fn stream_start(body: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&body[from..], b"stream") {
        let at = from + i;
        from = at + 6;
        if body[..at].ends_with(b"end") {
            continue;
        }
        return Some(match body.get(at + 6..at + 8) {
            Some(b"\r\n") => at + 8,
            Some([b'\n' | b'\r', ..]) => at + 7,
            _ => at + 6,
        });
    }
    None
}

/// Writes one object, its stream's `/Length` made true.
fn write_object(body: &[u8], out: &mut Vec<u8>) {
    let obj = memchr::memmem::find(body, b"obj").map_or(0, |i| i + 3);
    let Some(s) = stream_start(&body[obj..]).map(|s| obj + s) else {
        out.extend_from_slice(body);
        if !body.ends_with(b"endobj") {
            out.extend_from_slice(b"\nendobj");
        }
        out.push(b'\n');
        return;
    };
    let mut end = memchr::memmem::find(&body[s..], b"endstream").map_or(body.len(), |e| s + e);
    // The end of line before `endstream` is not data.
    if body[..end].ends_with(b"\r\n") {
        end -= 2;
    } else if end > s && matches!(body[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    let end = end.max(s);
    let dict = &body[..s];
    let cut = memchr::memmem::rfind(dict, b"stream").unwrap_or(dict.len());
    let dict = without_length(&dict[..cut]);
    let Some(open) = memchr::memmem::find(&dict, b"<<") else {
        out.extend_from_slice(body);
        out.push(b'\n');
        return;
    };
    out.extend_from_slice(&dict[..open + 2]);
    out.extend_from_slice(format!(" /Length {}", end - s).as_bytes());
    out.extend_from_slice(&dict[open + 2..]);
    out.extend_from_slice(b"stream\n");
    out.extend_from_slice(&body[s..end]);
    out.extend_from_slice(b"\nendstream\nendobj\n");
}

/// A dictionary's text without its `/Length` entry (`/Length 12` or
/// `/Length 7 0 R`).
fn without_length(dict: &[u8]) -> Vec<u8> {
    let Some(i) = memchr::memmem::rfind(dict, b"/Length") else {
        return dict.to_vec();
    };
    let mut j = i + 7;
    if dict.get(j).is_some_and(|b| b.is_ascii_alphanumeric()) {
        return dict.to_vec(); // `/Length1` of a font file
    }
    let take = |j: &mut usize, what: fn(u8) -> bool| {
        let s = *j;
        while dict.get(*j).is_some_and(|b| b.is_ascii_whitespace()) {
            *j += 1;
        }
        let t = *j;
        while dict.get(*j).copied().is_some_and(what) {
            *j += 1;
        }
        if *j == t {
            *j = s;
            false
        } else {
            true
        }
    };
    let digit = |b: u8| b.is_ascii_digit();
    take(&mut j, |b| b.is_ascii_digit() || b == b'-' || b == b'.');
    let after_num = j;
    if !(take(&mut j, digit) && take(&mut j, |b| b == b'R')) {
        j = after_num;
    }
    let mut v = dict[..i].to_vec();
    v.push(b' ');
    v.extend_from_slice(&dict[j..]);
    v
}

fn is_catalog(body: &[u8]) -> bool {
    let compact: Vec<u8> = body
        .iter()
        .take(4096)
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    memchr::memmem::find(&compact, b"/Type/Catalog").is_some()
}

/// The `/Encrypt` dictionary the file's last trailer names.
pub(super) fn encrypt_ref(data: &[u8]) -> Option<(u32, u16)> {
    last_trailer(data).encrypt
}

/// What the file's last trailer (or cross-reference stream) names.
#[derive(Default)]
struct Trailer<'a> {
    root: Option<(u32, u16)>,
    encrypt: Option<(u32, u16)>,
    id: Option<&'a [u8]>,
}

fn last_trailer(data: &[u8]) -> Trailer<'_> {
    Trailer {
        root: last_ref(data, b"/Root"),
        encrypt: last_ref(data, b"/Encrypt"),
        id: memchr::memmem::rfind(data, b"/ID").and_then(|i| {
            let rest = &data[i + 3..];
            let open = rest.iter().position(|b| !b.is_ascii_whitespace())?;
            if rest[open] != b'[' {
                return None;
            }
            let close = rest[open..].iter().take(1024).position(|b| *b == b']')?;
            Some(&rest[open..open + close + 1])
        }),
    }
}

/// The last `key N G R` in the data.
fn last_ref(data: &[u8], key: &[u8]) -> Option<(u32, u16)> {
    let mut end = data.len();
    while let Some(i) = memchr::memmem::rfind(&data[..end], key) {
        end = i;
        let rest = &data[i + key.len()..data.len().min(i + key.len() + 32)];
        let text = String::from_utf8_lossy(rest);
        let mut words = text.split_ascii_whitespace();
        let (n, g, r) = (words.next(), words.next(), words.next());
        if let (Some(n), Some(g), Some(r)) = (n, g, r) {
            if r.starts_with('R') {
                if let (Ok(n), Ok(g)) = (n.parse(), g.parse()) {
                    return Some((n, g));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_lengths() {
        let data = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
            12 3 obj\n<< /Length 99 0 R /Filter /X >>\nstream\nabc endobj\nendstream\nendobj\n\
            trailer << /Root 1 0 R >>";
        assert_eq!(header_before(data, 13), Some(((1, 0), 9)));
        let out = rebuild(data, true).expect("objects");
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("<< /Length 10 "), "{text}");
        assert!(text.contains("stream\nabc endobj\nendstream"), "{text}");
        assert!(text.contains("/Root 1 0 R"), "{text}");
        assert!(text.contains("12 1\n"), "{text}");
        assert!(rebuild(b"nothing here", true).is_none());
    }

    #[test]
    fn objects_without_endobj_stay_linear() {
        // 100,000 headers and no `endobj`: each object ends at the next header.
        let mut data = b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n".to_vec();
        for i in 2..=100_000 {
            data.extend_from_slice(format!("{i} 0 obj << /A {i} >>\n").as_bytes());
        }
        let t = std::time::Instant::now();
        let out = rebuild(&data, true).expect("objects");
        assert!(t.elapsed().as_secs() < 5);
        let text = String::from_utf8_lossy(&out);
        assert!(
            text.contains("7 0 obj << /A 7 >>\n\nendobj"),
            "{}",
            &text[..300]
        );
    }

    #[test]
    fn header_is_found_after_junk() {
        assert!(starts_like_pdf(b"\xef\xbb\xbf%PDF-1.4"));
        assert!(starts_like_pdf(b"\r\n%PDF-1.4"));
        assert!(starts_like_pdf(b"From: a@b.c\n\n%PDF-1.7"));
        assert!(!starts_like_pdf(b"the header is %PDF-1.4"));
        assert!(!starts_like_pdf(b"%PDF-"));
        assert!(!starts_like_pdf(&[b' '; 2000]));
        let mut late = vec![b' '; 1030];
        late.extend_from_slice(b"%PDF-1.4");
        assert!(!starts_like_pdf(&late));
    }
}
