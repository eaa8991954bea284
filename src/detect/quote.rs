//! Marks around text: a letter quoted in a reply or a Markdown file (`> 112
//! avenue de la Liberté`, `| 74000 Annecy`) is read by the name and address
//! detectors without its quote markers; a table row pasted in a note
//! (`ROGER;Sylvie;06…`) with its cells apart, as a tab-separated one.

/// `text` with the quote markers at the start of its lines (`>`, `> >`,
/// `>>`, `> |`, and a lone `|` as some mail programs quote) turned into
/// spaces, and the `;` between the cells of a table row pasted in text
/// (`ROGER;Sylvie;06…`) into tabs, as a tab-separated row reads; `None`
/// when no line has either. Offsets do not move. With `halves`, the two
/// halves of the text are unmarked on two threads (a large unit's, with
/// idle cores).
pub(super) fn unmark(text: &str, halves: bool) -> Option<String> {
    // Most texts have no marker byte at all: told before any copy.
    memchr::memchr3(b'>', b'|', b';', text.as_bytes())?;
    let mut out = text.as_bytes().to_vec();
    let mid = out.len() / 2;
    let cut = halves
        .then(|| memchr::memchr(b'\n', &out[mid..]).map(|n| mid + n + 1))
        .flatten();
    let changed = match cut {
        Some(cut) => {
            let (head, tail) = out.split_at_mut(cut);
            std::thread::scope(|s| {
                let tail = s.spawn(|| unmark_lines(tail));
                let head = unmark_lines(head);
                // A panic there is the file's panic, caught at its boundary.
                match tail.join() {
                    Ok(tail) => head | tail,
                    Err(e) => std::panic::resume_unwind(e),
                }
            })
        }
        None => unmark_lines(&mut out),
    };
    changed.then(|| into_text(out))
}

/// Unmarks the lines of `buf` in place (lines are unmarked one by one, so
/// any run of whole lines can be); true when one changed. Only the lines
/// with a marker byte are looked at.
fn unmark_lines(buf: &mut [u8]) -> bool {
    let mut changed = false;
    let mut from = 0;
    while let Some(k) = memchr::memchr3(b'>', b'|', b';', &buf[from..]) {
        let at = from + k;
        let start = memchr::memrchr(b'\n', &buf[from..at]).map_or(from, |n| from + n + 1);
        let end = memchr::memchr(b'\n', &buf[at..]).map_or(buf.len(), |n| at + n + 1);
        let row = &mut buf[start..end];
        if let Some(end) = marker_end(row) {
            for c in &mut row[..end] {
                if matches!(*c, b'>' | b'|') {
                    *c = b' ';
                    changed = true;
                }
            }
        }
        if cell_row(row) {
            for c in row.iter_mut().filter(|c| **c == b';') {
                *c = b'\t';
            }
            changed = true;
        }
        from = end;
    }
    changed
}

/// The text of `out`, the UTF-8 of a text with some of its ASCII bytes
/// (`>`, `|`, `;`) replaced by ASCII bytes.
fn into_text(out: Vec<u8>) -> String {
    debug_assert!(std::str::from_utf8(&out).is_ok());
    // SAFETY: every character of the text is whole in `out`: only ASCII
    // bytes were changed, into ASCII bytes. (Checking again cost a tenth of
    // the search of a log's lines.)
    unsafe { String::from_utf8_unchecked(out) }
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
        let u = unmark(t, false);
        assert_eq!(unmark(t, true), u, "the same by halves");
        u
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
