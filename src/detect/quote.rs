//! Marks around text: a letter quoted in a reply or a Markdown file (`> 112
//! avenue de la Liberté`, `| 74000 Annecy`) is read by the name and address
//! detectors without its quote markers; a table row pasted in a note
//! (`ROGER;Sylvie;06…`) with its cells apart, as a tab-separated one.

use std::ops::Range;

/// `text` with the quote markers at the start of its lines (`>`, `> >`,
/// `>>`, `> |`, and a lone `|` as some mail programs quote) turned into
/// spaces, and the `;` between the cells of a table row pasted in text
/// (`ROGER;Sylvie;06…`) into tabs, as a tab-separated row reads; `None`
/// when no line in `range` has either (only `range` is searched: a log's
/// parts are many small ranges of one text). Offsets do not move.
pub(super) fn unmark(text: &str, range: Range<usize>) -> Option<String> {
    let b = text.as_bytes();
    let range = range.start.min(b.len())..range.end.min(b.len());
    let line_start = |i: usize| memchr::memrchr(b'\n', &b[..i]).map_or(0, |n| n + 1);
    let line_end = |i: usize| memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
    let mut checked = 0;
    let first = memchr::memchr3_iter(b'>', b'|', b';', &b[range.clone()])
        .map(|i| range.start + i)
        .find_map(|i| {
            if i < checked {
                return None;
            }
            let (start, end) = (line_start(i), line_end(i));
            checked = end;
            (marker_end(&b[start..end]).is_some() || cell_row(&b[start..end])).then_some(start)
        })?;
    let mut out = b.to_vec();
    let mut line = first;
    while line < out.len() {
        let next = memchr::memchr(b'\n', &out[line..]).map_or(out.len(), |n| line + n + 1);
        let row = &mut out[line..next];
        if let Some(end) = marker_end(row) {
            for c in &mut row[..end] {
                if matches!(*c, b'>' | b'|') {
                    *c = b' ';
                }
            }
        }
        if cell_row(row) {
            for c in row.iter_mut().filter(|c| **c == b';') {
                *c = b'\t';
            }
        }
        line = next;
    }
    debug_assert!(std::str::from_utf8(&out).is_ok());
    // SAFETY: `out` is the UTF-8 of `text` with some ASCII bytes (`>`, `|`,
    // `;`) replaced by ASCII bytes: every character is whole. (Checking
    // again cost a tenth of the search of a log's lines.)
    Some(unsafe { String::from_utf8_unchecked(out) })
}

/// A table row: at least two `;`, none followed by a blank as in prose.
fn cell_row(line: &[u8]) -> bool {
    let mut n = 0;
    for i in memchr::memchr_iter(b';', line) {
        if matches!(line.get(i + 1), Some(b' ' | b'\t')) {
            return false;
        }
        n += 1;
    }
    n >= 2
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
    use super::unmark;

    fn unq(t: &str) -> Option<String> {
        unmark(t, 0..t.len())
    }

    #[test]
    fn markers_become_spaces_in_place() {
        let t = "Bonjour\n> 112 avenue de la Liberté\n> > 74000 Annecy\n";
        let u = unq(t).unwrap();
        assert_eq!(u.len(), t.len());
        assert!(u.contains("\n  112 avenue"));
        assert!(u.contains("\n    74000 Annecy"));
        for t in [
            "| 3 rue des Lilas\n| 69003 Lyon",
            "> | M. Petit",
            ">>Mme Roux",
            "|\n",
        ] {
            let u = unq(t).unwrap();
            assert!(!u.contains(['>', '|']), "{t:?} -> {u:?}");
        }
    }

    #[test]
    fn cells_of_a_row_in_text_are_apart() {
        let t = "Nom;Prénom;Tél\nROGER;Sylvie;0788276117\n";
        assert_eq!(unq(t).unwrap(), t.replace(';', "\t"));
        assert_eq!(unq("Il est venu; il est reparti; rien.\n"), None);
        assert_eq!(unq("a;b\n"), None);
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
