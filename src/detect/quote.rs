//! Quoted text: a letter quoted in a reply or a Markdown file (`> 112
//! avenue de la Liberté`) is read by the name and address detectors without
//! its quote markers.

use std::ops::Range;

/// `text` with the quote markers at the start of its lines (`>`, `> >`,
/// `|` after a `>`) turned into spaces, or `None` when no line in `range`
/// is quoted (only `range` is searched: a log's parts are many small ranges
/// of one text).
pub(super) fn unquote(text: &str, range: Range<usize>) -> Option<String> {
    let b = text.as_bytes();
    let range = range.start.min(b.len())..range.end.min(b.len());
    let quoted_line = |gt: usize| {
        b[..gt]
            .iter()
            .rev()
            .take_while(|&&c| c != b'\n')
            .all(|&c| matches!(c, b' ' | b'\t' | b'>' | b'|'))
    };
    let first = memchr::memchr_iter(b'>', &b[range.clone()])
        .map(|i| range.start + i)
        .find(|&i| quoted_line(i))?;
    let mut out = b.to_vec();
    let mut line = memchr::memrchr(b'\n', &b[..first]).map_or(0, |i| i + 1);
    while line < out.len() {
        let mut i = line;
        let mut marker = false;
        while i < out.len() && matches!(out[i], b' ' | b'\t' | b'>' | b'|') {
            marker |= out[i] == b'>';
            i += 1;
        }
        if marker {
            for c in &mut out[line..i] {
                if matches!(*c, b'>' | b'|') {
                    *c = b' ';
                }
            }
        }
        line = memchr::memchr(b'\n', &out[i..]).map_or(out.len(), |n| i + n + 1);
    }
    // Only ASCII markers were replaced by ASCII spaces.
    String::from_utf8(out).ok()
}
