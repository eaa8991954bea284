//! The lines of a zone as OCR gives them: fillers put back, each line
//! made its length (by its runs of fillers, or by its layout), and the
//! comparison of two readings.

/// A line of the zone as OCR wrote it, without spaces: a `0` read as `()`
/// put back, and the fillers read as `(`, `«`, `£`, another sign or a
/// lower-case letter (`c`, `e`, `k`: the zone has no lower case, nor any
/// sign but `<`), then runs of fillers with a stray `K`, `X`, `L`, `E` or
/// `C` in them (OCR-B's `<` read as a letter) made fillers again. A
/// lower-case letter shaped like its capital (`o`, `v`, `w`, `z`; not `s`
/// nor `x`, which OCR reads for fillers: `CAMILLEsss<<`) after a capital
/// is that capital (`HUGo<<`).
pub(super) fn clean(line: &str) -> Vec<u8> {
    let line = line.replace("()", "0").replace('«', "<<");
    let mut out: Vec<u8> = Vec::with_capacity(line.len());
    for c in line.chars().filter(|c| !c.is_whitespace()) {
        let after_capital = out.last().is_some_and(u8::is_ascii_uppercase);
        out.push(match c {
            'A'..='Z' | '0'..='9' | '<' => c as u8,
            'o' | 'v' | 'w' | 'z' if after_capital => c.to_ascii_uppercase() as u8,
            _ => b'<',
        });
    }
    defill(&mut out, 3);
    out
}

/// Letters OCR reads for an OCR-B `<`.
pub(super) fn filler_like(c: u8) -> bool {
    matches!(c, b'<' | b'K' | b'X' | b'L' | b'E' | b'C')
}

/// Turns into fillers the runs of at least `min` characters that start
/// with `<`, end with `<` or the line, hold only `<` and letters OCR reads
/// for it, and at least twice as many `<` as letters (`<K<<K<<`; a name
/// such as `<ALEX<<` has other letters, `LE<GALL` does not start with `<`),
/// or that end the line with at least three `<` (`<<<<LLLELLE`: the tail
/// of a line is fillers).
pub(super) fn defill(line: &mut [u8], min: usize) {
    let mut i = 0;
    while i < line.len() {
        if line[i] != b'<' {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < line.len() && filler_like(line[end]) {
            end += 1;
        }
        // Back to the last `<` unless the run reaches the end of the line.
        let mut stop = end;
        if end < line.len() {
            while stop > i && line[stop - 1] != b'<' {
                stop -= 1;
            }
        }
        let tail = stop == line.len();
        let run = &mut line[i..stop];
        let fillers = run.iter().filter(|c| **c == b'<').count();
        let tail = tail && fillers >= 3;
        if run.len() >= min && (tail || fillers >= 2 * (run.len() - fillers)) {
            run.fill(b'<');
        }
        i = end.max(i + 1);
    }
}

/// An optional-data field (all fillers on French documents): as read, and
/// with its letters made fillers when `<` are two thirds of it.
pub(super) fn optional(field: &[u8]) -> [Vec<u8>; 2] {
    let mut all = field.to_vec();
    let fillers = field.iter().filter(|c| **c == b'<').count();
    if fillers * 3 >= field.len() * 2 {
        for c in all.iter_mut().filter(|c| filler_like(**c)) {
            *c = b'<';
        }
    }
    [field.to_vec(), all]
}

/// How much of `line` is not what a zone holds: signs other than letters,
/// digits and `<`, and letters after a run of three fillers (the end of a
/// name field, a filler read as a letter: `<<<<KKKESS`).
pub fn junk(line: &str) -> usize {
    let signs = line
        .chars()
        .filter(|c| {
            !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '<' || c.is_whitespace())
        })
        .count();
    let c = clean(line);
    let tail = c.windows(3).position(|w| w == b"<<<").map_or(0, |i| {
        c[i..].iter().filter(|b| b.is_ascii_alphabetic()).count()
    });
    signs + tail
}

/// Whether a line of `text` looks like a line of a zone that
/// [`super::read`] did not accept: 30, 36 or 44 characters give or take 6
/// once cleaned, letters, digits and fillers, at least 4 of them fillers
/// (the sign to read it again with OCR told to expect a zone, and to read
/// its cells). Seven tenths of its signs must be capitals, digits or
/// fillers; a run of fillers that the engine read as lower-case letters or
/// signs (`<<ccccceeccs`: OCR-B's and DejaVu Mono's `<` in a long run)
/// counts as fillers, else a zone whose tail is so read looks like text.
pub fn zone_like(line: &str) -> bool {
    let c = clean(line);
    let fillers = c.iter().filter(|b| **b == b'<').count();
    let signs = line.chars().filter(|c| !c.is_whitespace()).count();
    // Characters of a zone: capitals, digits, `<` and whatever follows a
    // `<` without a space before the next capital or digit.
    let mut after_filler = false;
    let zone_chars = line
        .chars()
        .filter(|&c| {
            let capital = c.is_ascii_uppercase() || c.is_ascii_digit();
            after_filler = match c {
                '<' => true,
                _ if c.is_whitespace() || capital => false,
                _ => after_filler,
            };
            capital || after_filler
        })
        .count();
    [30, 36, 44]
        .iter()
        .any(|n: &usize| c.len().abs_diff(*n) <= 6)
        && fillers >= 4
        && zone_chars * 10 >= signs * 7
}

/// A line of the zone as [`read`] sees it: fillers put back, no spaces.
pub fn clean_line(line: &str) -> String {
    String::from_utf8_lossy(&clean(line)).into_owned()
}

/// `line` made `n` long by growing or shrinking its longest run of fillers
/// (OCR miscounts long runs of `<`); `None` if it cannot be.
pub(super) fn fit(mut line: Vec<u8>, n: usize) -> Option<Vec<u8>> {
    if !line.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'<') {
        return None;
    }
    while line.len() != n {
        // The longest run of '<' (its start and length).
        let (mut best, mut at, mut i) = ((0, 0), 0, 0);
        while i < line.len() {
            if line[i] == b'<' {
                at = if i > 0 && line[i - 1] == b'<' { at } else { i };
                if i + 1 - at > best.1 {
                    best = (at, i + 1 - at);
                }
            }
            i += 1;
        }
        if line.len() < n && best.1 > 0 && n - line.len() <= 6 {
            line.insert(best.0, b'<');
        } else if line.len() > n && best.1 > 1 && line.len() - n <= 6 {
            line.remove(best.0);
        } else {
            return None;
        }
    }
    Some(line)
}

/// `text` with the characters OCR confuses made one (`B` and `8`, `O`, `D`
/// and `0`…) and without spaces: two readings of one zone compare equal.
pub fn folded(text: &str) -> Vec<u8> {
    text.bytes()
        .filter(|c| !c.is_ascii_whitespace())
        .map(|c| match c.to_ascii_uppercase() {
            b'O' | b'D' | b'Q' | b'U' | b'C' => b'0',
            b'I' | b'L' | b'T' => b'1',
            b'Z' | b'7' => b'2',
            b'A' => b'4',
            b'S' => b'5',
            b'G' => b'6',
            b'B' => b'8',
            b'X' => b'K',
            c => c,
        })
        .collect()
}

/// Whether `needle` is in `hay` with at most one character changed,
/// dropped or added (both [`folded`]).
pub fn near(needle: &[u8], hay: &[u8]) -> bool {
    // Sellers' approximate matching: the fewest edits of `needle` into a
    // substring of `hay` ending at each position.
    let mut col: Vec<usize> = (0..=needle.len()).collect();
    if col[needle.len()] <= 1 {
        return true;
    }
    for &h in hay {
        let mut prev = col[0];
        col[0] = 0;
        for (i, &n) in needle.iter().enumerate() {
            let cur = col[i + 1];
            col[i + 1] = (prev + usize::from(n != h)).min(cur + 1).min(col[i] + 1);
            prev = cur;
        }
        if col[needle.len()] <= 1 {
            return true;
        }
    }
    false
}

/// How a line of a zone is laid out: `head` characters of fields at its
/// start and `tail` at its end, between them fillers only (the optional
/// fields, empty on French documents) or, when `name`, a name then fillers.
#[derive(Clone, Copy)]
pub(super) struct Layout {
    head: usize,
    tail: usize,
    name: bool,
}

pub(super) const fn lay(head: usize, tail: usize, name: bool) -> Layout {
    Layout { head, tail, name }
}

/// The lines of each format, and their layouts.
pub(super) const TD1: [Layout; 3] = [lay(15, 0, false), lay(18, 1, false), lay(0, 0, true)];
pub(super) const TD3: [Layout; 2] = [lay(0, 0, true), lay(28, 1, false)];
pub(super) const CNI: [Layout; 2] = [lay(0, 6, true), lay(13, 9, true)];

/// How far from its length a line may be read (fillers miscounted).
pub(super) const SLACK: usize = 12;

/// `line` made `n` long: by growing or shrinking its longest run of
/// fillers ([`fit`]), then by its `layout`, the fields at its start and
/// end kept and what lies between made fillers (after the name, if any):
/// OCR miscounts runs of fillers and reads some as letters, but the fields
/// around them are where the layout says. A last `<` after a letter or
/// digit is taken for a sign read after the line's last character.
pub(super) fn shapes(line: &[u8], n: usize, layout: Layout) -> Vec<Vec<u8>> {
    let fitted = fit(line.to_vec(), n);
    // A name line's junk after the name goes first (no check digit tells).
    let mut out: Vec<Vec<u8>> = match layout.name {
        true => Vec::new(),
        false => fitted.clone().into_iter().collect(),
    };
    let mut reads = vec![line];
    if line.len() > 2 && line.ends_with(b"<") && line[line.len() - 2] != b'<' {
        reads.push(&line[..line.len() - 1]);
    }
    for l in reads {
        let Layout { head, tail, name } = layout;
        // A name line may lose any number of its last fillers.
        let short = if name { n } else { SLACK };
        if l.len() > n + SLACK || l.len() + short < n || l.len() < head + tail {
            continue;
        }
        let mut middle = &l[head..l.len() - tail];
        if name {
            let end = middle
                .windows(3)
                .position(|w| w == b"<<<")
                .unwrap_or(middle.len());
            middle = &middle[..end];
            while let [rest @ .., b'<'] = middle {
                middle = rest;
            }
        } else {
            middle = &[];
        }
        if head + middle.len() + tail > n {
            continue;
        }
        let mut v = l[..head].to_vec();
        v.extend_from_slice(middle);
        v.resize(n - tail, b'<');
        v.extend_from_slice(&l[l.len() - tail..]);
        if !out.contains(&v) {
            out.push(v);
        }
    }
    if let Some(f) = fitted.filter(|f| layout.name && !out.contains(f)) {
        out.push(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_line_whose_fillers_were_read_as_lower_case_is_zone_like() {
        assert!(zone_like("IDFRA5X9F4JYUFZ<<<<<<<<<<<<<<<"));
        // A passport's lines as the engine read them, their runs of
        // fillers read as `c` and `e` (OCR-B; DejaVu Sans Mono).
        assert!(zone_like("PSFRALEFEVRE<<HUGOK<<<<ccccccccececeeceeccce"));
        assert!(zone_like("CBWE 728258FRA9611146M3012095<<ccccccccceeccs"));
        assert!(zone_like("P<FRAMERCIER<<KARIM<<<<<ccccccccccccecceccee"));
        assert!(zone_like("25SM888696FRA5S905096F2812232<<cccccccceccccé"));
        // Text is not: too few fillers, or lower case not after a filler.
        assert!(!zone_like("DIRECTION GENERALE DES FINANCES PUBLIQUES"));
        assert!(!zone_like("voir<<<<la suite de ce document plus bas svp"));
        assert!(!zone_like("si x<y alors le montant est reporte ligne 12"));
    }
}
