//! Quoted text: a letter quoted in a reply or a Markdown file (`> 112
//! avenue de la Liberté`, `| 74000 Annecy`) is read by the name and address
//! detectors without its quote markers.

use std::ops::Range;

/// `text` with the quote markers at the start of its lines (`>`, `> >`,
/// `>>`, `> |`, and a lone `|` as some mail programs quote) turned into
/// spaces, or `None` when no line in `range` is quoted (only `range` is
/// searched: a log's parts are many small ranges of one text).
pub(super) fn unquote(text: &str, range: Range<usize>) -> Option<String> {
    let b = text.as_bytes();
    let range = range.start.min(b.len())..range.end.min(b.len());
    let line_start = |i: usize| memchr::memrchr(b'\n', &b[..i]).map_or(0, |n| n + 1);
    let first = memchr::memchr2_iter(b'>', b'|', &b[range.clone()])
        .map(|i| range.start + i)
        .find(|&i| {
            let start = line_start(i);
            b[start..i].iter().all(|&c| matches!(c, b' ' | b'\t'))
                && marker_end(&b[start..]).is_some()
        })?;
    let mut out = b.to_vec();
    let mut line = line_start(first);
    while line < out.len() {
        let next = memchr::memchr(b'\n', &out[line..]).map_or(out.len(), |n| line + n + 1);
        if let Some(end) = marker_end(&out[line..next]) {
            for c in &mut out[line..line + end] {
                if matches!(*c, b'>' | b'|') {
                    *c = b' ';
                }
            }
        }
        line = next;
    }
    // Only ASCII markers were replaced by ASCII spaces.
    String::from_utf8(out).ok()
}

/// The length of the quote markers (and blanks) that start `line`, when it
/// is quoted: a `>` among them, or a lone `|` followed by a blank or the
/// line's end, on a line that does not end with `|` (a Markdown table's row
/// `| Nom | Prénom |` is not quoted).
fn marker_end(line: &[u8]) -> Option<usize> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let end = line
        .iter()
        .position(|&c| !matches!(c, b' ' | b'\t' | b'>' | b'|'))
        .unwrap_or(line.len());
    let markers = &line[..end];
    if markers.contains(&b'>') {
        return Some(end);
    }
    let pipe = markers.iter().position(|&c| c == b'|')?;
    let lone = matches!(markers.get(pipe + 1), None | Some(b' ' | b'\t'));
    let table_row = line.trim_ascii_end().ends_with(b"|") && end < line.len();
    (lone && !table_row).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::unquote;

    fn unq(t: &str) -> Option<String> {
        unquote(t, 0..t.len())
    }

    #[test]
    fn markers_become_spaces_in_place() {
        let t = "Bonjour\n> 112 avenue de la Liberté\n> > 74000 Annecy\n";
        let u = unq(t).unwrap();
        assert_eq!(u.len(), t.len());
        assert!(u.contains("\n  112 avenue"));
        assert!(u.contains("\n    74000 Annecy"));
        for t in ["| 3 rue des Lilas\n| 69003 Lyon", "> | M. Petit", ">>Mme Roux", "|\n"] {
            let u = unq(t).unwrap();
            assert!(!u.contains(['>', '|']), "{t:?} -> {u:?}");
        }
    }

    #[test]
    fn tables_pipes_and_prose_are_not_quotes() {
        for t in [
            "| Nom | Prénom |\n| --- | --- |\n| Petit | Léa |",
            "ls | grep x\nA -> B\n",
            "INFO | job 12 | done",
            "||x",
        ] {
            assert_eq!(unq(t), None, "{t:?}");
        }
    }
}
