//! A second reading of an identity document's machine-readable zone.
//!
//! The engine's general models read the zone's OCR-B badly: a filler `<`
//! becomes `K`, `£` or `c`, a run of them loses a few, an `8` becomes `B`.
//! When the first reading of a page shows a line shaped like a zone
//! ([`mrz::zone_like`]) but no valid zone, the page is read again with the
//! engine told to expect only the zone's characters (`A`–`Z`, `0`–`9`,
//! `<`) in lines of one block. That reading gets the characters right more
//! often but may drop the end of a long run of fillers; so each line of the
//! zone is taken from either reading, the check digits choosing: the
//! combinations are tried first as read, then with the document number
//! repaired ([`mrz::read`]). The zone found replaces the first reading's
//! in the page's text.

use super::align;
use super::cells;
use super::engine::{run, Page, Pass, Word};
use super::{OcrError, Settings};
use crate::detect::validate::mrz;
use std::ops::Range;
use std::time::Instant;

/// Lines of `text` shaped like a zone's, and the long lines next to them
/// (a zone's other lines, which OCR may have read worse), as byte ranges.
fn zone_lines(text: &str) -> Vec<Range<usize>> {
    let mut at = 0;
    let mut lines = Vec::new();
    for line in text.split('\n') {
        lines.push((at..at + line.len(), mrz::zone_like(line)));
        at += line.len() + 1;
    }
    let long = |r: &Range<usize>| {
        text[r.clone()]
            .chars()
            .filter(|c| !c.is_whitespace())
            .count()
            >= 20
    };
    (0..lines.len())
        .filter(|&i| {
            lines[i].1
                || long(&lines[i].0)
                    && (i > 0 && lines[i - 1].1 || lines.get(i + 1).is_some_and(|l| l.1))
        })
        .map(|i| lines[i].0.clone())
        .collect()
}

/// Whether the page shows a zone that its reading does not make valid as
/// read: none at all, or one only with its number repaired (a repair the
/// second reading must confirm: a check digit holds for one wrong reading
/// in ten).
fn needs_pass(p: &Page) -> bool {
    !zone_lines(&p.text).is_empty() && mrz::read_as_is(&p.text).is_none()
}

/// Reads the zones of `pages` (the first reading of `image`) again when
/// one of them needs it (see the module): pages whose zone the second
/// reading makes valid get it in their text. The second reading counts
/// against the same `deadline`.
pub(super) fn reread(
    settings: &Settings,
    image: &[u8],
    pages: &mut [Page],
    deadline: Instant,
) -> Result<(), OcrError> {
    // The zone read from the pixels, cell by cell, when its check digits
    // hold: taken unless the engine's reading holds with another number
    // (then neither is taken). No second reading is needed then.
    for p in pages.iter_mut() {
        let ones = zone_lines(&p.text);
        if ones.is_empty() {
            continue;
        }
        let Some(grey) = cells::decode(image, p.number) else {
            continue;
        };
        let Some(mut t) = cells::read(&grey, p, &ones) else {
            continue;
        };
        letters_from(&mut t, p);
        let zone = ones[0].start..ones[ones.len() - 1].end;
        *p = match mrz::read_as_is(&p.text) {
            Some(a) if a.number != t.zone.number => spliced(p, zone, &[]),
            _ => {
                let lines: Vec<(String, f32)> = t
                    .lines
                    .into_iter()
                    .map(|l| (l, t.score.clamp(0.0, 1.0)))
                    .collect();
                spliced(p, zone, &lines)
            }
        };
    }
    // A zone read right the first time is written as its check digits took
    // it: the detectors find its lines however OCR spaced them.
    for p in pages.iter_mut().filter(|p| !zone_lines(&p.text).is_empty()) {
        if mrz::read_as_is(&p.text).is_some() {
            if let Some(canonical) = merge(p, p) {
                *p = canonical;
            }
        }
    }
    if !pages.iter().any(needs_pass) {
        return Ok(());
    }
    // The English model reads the zone's characters best (French
    // `1`/`I`, `8`/`B` more often wrong); the zone is no French text.
    let english = Settings {
        languages: "eng".into(),
        ..settings.clone()
    };
    let zone = match settings.languages.split('+').any(|l| l == "eng") {
        true => &english,
        false => settings,
    };
    let second = run(zone, image, deadline, Pass::Zone)?;
    for p in pages.iter_mut().filter(|p| needs_pass(p)) {
        let Some(again) = second.iter().find(|s| s.number == p.number) else {
            continue;
        };
        if let Some(merged) = merge(p, again) {
            *p = merged;
        } else if mrz::read(&p.text).is_some() {
            // The first reading's zone holds only repaired, and the second
            // reading does not confirm it (another number holds there, or
            // none near it): the zone is not read, rather than reported
            // with a number that may be wrong.
            let ones = zone_lines(&p.text);
            let (from, to) = (ones[0].start, ones[ones.len() - 1].end);
            *p = spliced(p, from..to, &[]);
        }
    }
    Ok(())
}

/// The letters of a zone read from the pixels that the engine read as
/// another of the cell's guesses (`E` for `F`, `I` for `T`): a name has no
/// check digit, and the engine reads letters better than a template's
/// near miss. The number must stay the same.
fn letters_from(t: &mut cells::Reading, page: &Page) {
    for i in 0..t.lines.len() {
        let line = &t.lines[i];
        let Some(twin) = twin_line(&page.text, line) else {
            continue;
        };
        let read = mrz::clean_line(&page.text[twin]);
        let mut bytes = line.clone().into_bytes();
        let mut at = 0;
        for col in align::align(line.as_bytes(), read.as_bytes()) {
            if let (Some(a), Some(b)) = col {
                let guessed = t.guesses.get(i).and_then(|l| l.get(at));
                if a != b
                    && a.is_ascii_uppercase()
                    && b.is_ascii_uppercase()
                    && guessed.is_some_and(|g| g.contains(&b))
                {
                    bytes[at] = b;
                }
            }
            if col.0.is_some() {
                at += 1;
            }
        }
        let Ok(changed) = String::from_utf8(bytes) else {
            continue;
        };
        if changed == t.lines[i] {
            continue;
        }
        // Line by line: a letter of the number the engine misread must not
        // cost the name's.
        let mut lines = t.lines.clone();
        lines[i] = changed;
        if let Some(zone) = mrz::read_as_is(&lines.join("\n")) {
            if zone.number == t.zone.number {
                t.zone = zone;
                t.lines = lines;
            }
        }
    }
}

/// A reading of one line of the zone: its text and its words' confidence
/// (the lowest of the words it comes from).
#[derive(Clone)]
struct Line {
    text: String,
    confidence: f32,
}

impl Line {
    fn of(page: &Page, range: &Range<usize>) -> Line {
        let confidence = page
            .words
            .iter()
            .filter(|w| w.start as usize >= range.start && w.end as usize <= range.end)
            .map(|w| w.confidence)
            .fold(1.0, f32::min);
        Line {
            text: page.text[range.clone()].to_string(),
            confidence,
        }
    }

    /// The zone-only reading `self` up to its last letter or digit, the
    /// general reading `other` after it: the first reads the characters
    /// better but may drop the end of a run of fillers (and the check
    /// digit after it), the second keeps the line's length.
    fn spliced(&self, other: &Line) -> Option<Line> {
        let (head, tail) = (mrz::clean_line(&self.text), mrz::clean_line(&other.text));
        let head = head.trim_end_matches('<');
        (tail.len() > head.len() && tail.is_char_boundary(head.len())).then(|| Line {
            text: format!("{head}{}", &tail[head.len()..]),
            confidence: self.confidence.min(other.confidence),
        })
    }
}

/// The line of `text` most like `line` (at least half alike), as a range.
fn twin_line(text: &str, line: &str) -> Option<Range<usize>> {
    let mut at = 0;
    let mut best: Option<(f32, Range<usize>)> = None;
    for l in text.split('\n') {
        let score = align::alike(line, l);
        if score >= 0.5 && best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, at..at + l.len()));
        }
        at += l.len() + 1;
    }
    best.map(|(_, r)| r)
}

/// At most this many lines of a zone are combined.
const MAX_LINES: usize = 4;

/// At most this many combinations of their readings are tried.
const MAX_COMBOS: usize = 512;

/// `first` with its zone lines replaced by the combination of both
/// readings' lines whose check digits hold; `None` when none does.
fn merge(first: &Page, second: &Page) -> Option<Page> {
    let ones = zone_lines(&first.text);
    if ones.is_empty() || ones.len() > MAX_LINES {
        return None;
    }
    // Each line of the first reading and its twin in the second, if any.
    let twins: Vec<Option<Range<usize>>> = ones
        .iter()
        .map(|r| twin_line(&second.text, &first.text[r.clone()]))
        .collect();
    if twins.iter().all(Option::is_none) {
        return None;
    }
    // Each line read three ways (the zone-only reading, it spliced with
    // the general one, the general one), tried in that order.
    let options: Vec<Vec<Line>> = ones
        .iter()
        .zip(&twins)
        .map(|(one, twin)| {
            let general = Line::of(first, one);
            let Some(t) = twin else {
                return vec![general];
            };
            let zone = Line::of(second, t);
            let mut v = vec![zone.clone()];
            v.extend(zone.spliced(&general));
            let confidence = zone.confidence.min(general.confidence);
            let both = align::consensus(
                &mrz::clean_line(&zone.text),
                &mrz::clean_line(&general.text),
            );
            v.push(general);
            v.extend(both.into_iter().map(|text| Line { text, confidence }));
            v
        })
        .collect();
    // The readings' consensus lines (last of each line's options) are
    // dropped, most numerous first, until the combinations are few enough.
    let mut options = options;
    while options.iter().map(Vec::len).product::<usize>() > MAX_COMBOS {
        let Some(most) = options
            .iter_mut()
            .filter(|o| o.len() > 3)
            .max_by_key(|o| o.len())
        else {
            break;
        };
        most.pop();
    }
    let mut combos: Vec<Vec<&Line>> = vec![Vec::new()];
    for o in &options {
        combos = combos
            .iter()
            .flat_map(|c| {
                o.iter()
                    .map(move |l| c.iter().copied().chain([l]).collect())
            })
            .collect();
    }
    let joined = |c: &[&Line]| {
        c.iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    // Of the combinations whose check digits hold (as read, else with the
    // number repaired), the one with the least junk: the name lines are
    // under no check digit. Combinations that hold with different numbers
    // (one is a check digit holding by chance) give no zone.
    let junk = |c: &&Vec<&Line>| c.iter().map(|l| mrz::junk(&l.text)).sum::<usize>();
    let valid = |read: fn(&str) -> Option<mrz::Mrz>| -> Option<Option<&Vec<&Line>>> {
        let held: Vec<(&Vec<&Line>, String)> = combos
            .iter()
            .filter_map(|c| read(&joined(c)).map(|m| (c, m.number)))
            .collect();
        let first = held.first()?;
        if held.iter().any(|(_, n)| *n != first.1) {
            return Some(None);
        }
        Some(held.iter().map(|(c, _)| *c).min_by_key(junk))
    };
    let chosen = valid(mrz::read_as_is)
        .or_else(|| valid(mrz::read_checked))
        .or_else(|| valid(mrz::read))??;
    // The zone as its check digits took it (fillers put back, each line
    // its length): what the detectors then read, and `extract` shows.
    let zone = mrz::read(&joined(chosen))?;
    // A number check digit holds for one reading in ten: the number must
    // be in both readings, give or take a confusion and one character.
    let number = mrz::folded(&zone.number);
    let read_in = |p: &Page, lines: &[Range<usize>]| {
        lines
            .iter()
            .any(|r| mrz::near(&number, &mrz::folded(&p.text[r.clone()])))
    };
    let seconds: Vec<Range<usize>> = twins.iter().flatten().cloned().collect();
    if !read_in(first, &ones) || !read_in(second, &seconds) {
        return None;
    }
    let texts: Vec<String> = match zone.lines {
        lines if lines.len() == chosen.len() => lines,
        _ => chosen.iter().map(|l| l.text.clone()).collect(),
    };
    let lines: Vec<(String, f32)> = texts
        .into_iter()
        .zip(chosen.iter().map(|l| l.confidence))
        .collect();
    let (from, to) = (ones[0].start, ones[ones.len() - 1].end);
    Some(spliced(first, from..to, &lines))
}

/// `first` with its bytes `zone` replaced by `lines` (each a word of the
/// confidence given), the words around it kept in place.
fn spliced(first: &Page, zone: Range<usize>, lines: &[(String, f32)]) -> Page {
    let (from, to) = (zone.start, zone.end);
    let mut out = Page {
        number: first.number,
        text: String::with_capacity(first.text.len()),
        ..Page::default()
    };
    let copy = |out: &mut Page, page: &Page, range: Range<usize>| {
        let shift = out.text.len() as i64 - range.start as i64;
        out.text.push_str(&page.text[range.clone()]);
        out.words.extend(
            page.words
                .iter()
                .filter(|w| w.start as usize >= range.start && w.end as usize <= range.end)
                .map(|w| Word {
                    start: (w.start as i64 + shift) as u32,
                    end: (w.end as i64 + shift) as u32,
                    confidence: w.confidence,
                }),
        );
    };
    copy(&mut out, first, 0..from);
    for (i, (text, confidence)) in lines.iter().enumerate() {
        if i > 0 {
            out.text.push('\n');
        }
        let start = out.text.len() as u32;
        out.text.push_str(text);
        out.words.push(Word {
            start,
            end: out.text.len() as u32,
            confidence: *confidence,
        });
    }
    copy(&mut out, first, to..first.text.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page whose words are its space-separated tokens, all at `conf`.
    fn page(text: &str, conf: f32) -> Page {
        let mut words = Vec::new();
        let mut at = 0;
        for line in text.split('\n') {
            let mut col = 0;
            for w in line.split(' ') {
                if !w.is_empty() {
                    words.push(Word {
                        start: (at + col) as u32,
                        end: (at + col + w.len()) as u32,
                        confidence: conf,
                    });
                }
                col += w.len() + 1;
            }
            at += line.len() + 1;
        }
        Page {
            number: 1,
            text: text.into(),
            words,
            lines: Vec::new(),
        }
    }

    #[test]
    fn each_line_from_the_reading_whose_check_digits_hold() {
        // First reading: `8` read as `B` twice in the number (no single
        // repair finds it). Second: the number right, but the ends of the
        // lines lost (the composite check digit with them).
        let first = page(
            "CARTE NATIONALE\nIDFRABLWKLDB7H1<<<<<<<<<<<<<<<\n6703211M2908030FRA<<<<<<<<<<<6\nROCHE<<CHLOE<K<<<<<<<<<<<<<<<£<\nfin",
            0.6,
        );
        let second = page(
            "CARTE NATIONALE\nIDFRA8LWKLD87H1<<<<<<\n6703211M2908030FRA<<<<<<\nROCHE<<CHLOE<X<<<<<<<",
            0.9,
        );
        assert!(needs_pass(&first));
        let merged = merge(&first, &second).expect("a valid zone");
        let zone = mrz::read(&merged.text).expect("valid");
        assert_eq!(zone.number, "8LWKLD87H");
        assert!(merged.text.starts_with("CARTE NATIONALE\nIDFRA8LWKLD87H1"));
        assert!(merged.text.contains("\n6703211M2908030FRA<<<<<<<<<<<6\n"));
        assert!(merged.text.ends_with("\nfin"));
        // The words follow their text.
        for w in &merged.words {
            let t = &merged.text[w.start as usize..w.end as usize];
            assert!(!t.is_empty() && !t.contains('\n'), "{t:?}");
        }
        assert!(merged
            .words
            .iter()
            .any(|w| &merged.text[w.start as usize..w.end as usize] == "fin"));
    }

    #[test]
    fn a_passport_zone_from_the_second_reading() {
        // DejaVu Mono: `Z` read as `7` in the number, the composite `0`
        // as `(`, fillers as `c`; the second reading loses fillers.
        let first = page(
            "P<FRAHENRY<<INES<<<<<<<<<cccccccccccccccccce\n197P229706FRA7204014F3001145<<<<<<<<<<<<<<<(",
            0.6,
        );
        let second = page(
            "P<FRAHENRY<<INES<<<<<<<<<<\n19ZP229706FRA7204014F3001145<<<<<<<<<<<<<Q",
            0.9,
        );
        assert!(needs_pass(&first));
        let merged = merge(&first, &second).expect("a valid zone");
        assert_eq!(
            merged.text,
            "P<FRAHENRY<<INES<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n19ZP229706FRA7204014F3001145<<<<<<<<<<<<<<<Q"
        );
    }

    #[test]
    fn an_inserted_character_outvoted_by_the_other_reading() {
        // OCR-B, as read: a `Z` inserted in the number of the first, the
        // second's line 2 split and its fillers misread.
        let first = page(
            "IDFRAF43ZESF4DHI<<<<<<<<<LL£LLLE\n9101036M3110027 FRA<<<<<<<<<<<4\nDLOP<<CAMILLE<<<<<<<<sssssss<<",
            0.6,
        );
        let second = page(
            "CARTENATIONALEDIDENTITE\nLDFRAF43ESF4DH1<<<<<<<S<<<\n9101036M311 OO2TFERAK<<<K<K<K<K<<<<<<4\nDLOP<<CAMILLE<<<<<<<<<<<<<<<<",
            0.9,
        );
        let merged = merge(&first, &second).expect("a valid zone");
        assert_eq!(mrz::read(&merged.text).unwrap().number, "F43ESF4DH");
        // `9` read `7` in one, the check digit `6` read `O` in the other.
        let first = page(
            "IDFRAMERCITER<<<<<<<<<<<<<<<<<<066020\n7009020686176MANON<<<<<<<<<8407270F2",
            0.6,
        );
        let second = page(
            "TDFRAMERCIERK<<<<<<<<<<<<066020\n90090206861 7OMANONKX<<<<<<<<8407270 F2",
            0.9,
        );
        let merged = merge(&first, &second).expect("a valid zone");
        assert_eq!(mrz::read(&merged.text).unwrap().number, "900902068617");
    }

    #[test]
    fn repairs_start_from_the_zero_reading() {
        // `TR40R8CY3` read `TR4ORBCY3` and `TRGORBCY3`: the second holds
        // once `B` is `8` (`G` for `4` and `O` for `0` cancel out); the
        // first, its `O` read `0`, holds once `B` is `8` too.
        let first = page(
            "IDFRATR4ORBCY36<<<<<<<<<L<<LL<L<E\n9511109F3311215FRA<<<<<<<<<<<8\nLEFEVRE<<MATHIEU<<<<<<<<<<<<<<",
            0.6,
        );
        let second = page(
            "IDFRATRGORBCY36<<<<<<<<KKKKKKK\n9511109F3311215FRA<<<<<<<<<<<8\nLEFEVRE<<MATHIEU<<<<<<<<<<<<<<",
            0.9,
        );
        let merged = merge(&first, &second).expect("a valid zone");
        assert_eq!(mrz::read(&merged.text).unwrap().number, "TR40R8CY3");
    }

    #[test]
    fn no_zone_no_second_reading() {
        assert!(!needs_pass(&page("Madame, Monsieur,\nJe soussigne", 0.9)));
        let valid = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
        assert!(!needs_pass(&page(valid, 0.9)));
    }
}
