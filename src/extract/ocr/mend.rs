//! E-mail addresses that OCR split, put back together, and IBANs with a
//! letter read for a digit.
//!
//! The engine reads an address's characters right more often than its
//! spacing: measured on the generated scans (session 15), most addresses
//! missed were whole but for a space inserted next to the `@`
//! (`pierre.dubois87 @example.fr`, `sophie.rousseau68@ example.fr`) or
//! inside the domain before its top-level label (`ines.diop85@example. fr.`),
//! or the last dot read as a space (`awa.diop26@example fr.`). Those spaces
//! are taken out here, in the OCR'd text only, before any detector sees it.
//!
//! A repair is local (a token with an `@` and its neighbours on the same
//! line) and never makes an address where a reader would see none: the
//! pieces joined must form a whole address, a piece that already is one is
//! never lengthened, and a top-level label is joined only when it is one of
//! [`TOP_LEVEL`] (`x@example le lundi` stays as it is). A letter read for a
//! digit or inserted (`perrinl@`, `exambple.fr`) is not guessed back.
//!
//! An IBAN's check digits (and a French one's bank, branch and key) are
//! digits only; OCR reads a `0` there as `O` (`FRO7 2716 …`). In those
//! places a letter shaped like a digit is read as that digit ([`ibans`]),
//! and kept so only when the whole IBAN then holds its mod-97 checksum
//! (and did not before): one wrong reading in 97 passes it.

use super::engine::Page;
use crate::detect::validate::iban;

/// Top-level labels joined to a domain left without one: the common ones,
/// none of them a French or English word.
const TOP_LEVEL: &[&str] = &["fr", "com", "net", "org", "eu", "info"];

/// Characters that may open or close an address in running text.
const OPENING: &[char] = &['(', '<', '"', '\''];
const CLOSING: &[char] = &['.', ',', ';', ':', ')', '>', '"', '\''];

/// Takes out of `page` the spaces that split an e-mail address (see the
/// module), moving its words and lines with their text.
pub(super) fn emails(page: &mut Page) {
    let edits = edits(&page.text);
    if edits.is_empty() {
        return;
    }
    let mut text = String::with_capacity(page.text.len());
    let mut at = 0;
    for &(pos, with) in &edits {
        text.push_str(&page.text[at..pos]);
        if let Some(c) = with {
            text.push(c);
        }
        at = pos + 1;
    }
    text.push_str(&page.text[at..]);
    // A byte after `n` removed spaces moves `n` to the left.
    let moved = |p: u32| {
        let removed = edits
            .iter()
            .filter(|&&(pos, with)| with.is_none() && pos < p as usize)
            .count();
        p - removed as u32
    };
    for w in &mut page.words {
        (w.start, w.end) = (moved(w.start), moved(w.end));
    }
    for l in &mut page.lines {
        (l.start, l.end) = (moved(l.start), moved(l.end));
    }
    page.text = text;
}

/// The spaces of `text` to take out (`None`) or to read as a dot
/// (`Some('.')`), by byte position, in order.
fn edits(text: &str) -> Vec<(usize, Option<char>)> {
    let mut edits = Vec::new();
    for tokens in lines_of_tokens(text) {
        for k in 0..tokens.len() {
            if tokens[k].1.contains('@') {
                edits.extend(mend(&tokens, k));
            }
        }
    }
    edits.sort_unstable_by_key(|e| e.0);
    edits.dedup_by_key(|e| e.0);
    edits
}

/// Each line of `text` as its space-separated tokens, each with its byte
/// position in `text` (the engine's words, as `parse_tsv` joined them).
fn lines_of_tokens(text: &str) -> Vec<Vec<(usize, &str)>> {
    let mut line_start = 0;
    text.split('\n')
        .map(|line| {
            let tokens = line
                .split(' ')
                .scan(line_start, |at, t| {
                    let start = *at;
                    *at += t.len() + 1;
                    Some((start, t))
                })
                .collect();
            line_start += line.len() + 1;
            tokens
        })
        .collect()
}

/// The edits that make an address of token `k` (which holds an `@`) and
/// its neighbours, if any make one. `tokens` are a line's, each with its
/// byte position in the page's text; the space after token `i` is at
/// `tokens[i].0 + tokens[i].1.len()`.
fn mend(tokens: &[(usize, &str)], k: usize) -> Vec<(usize, Option<char>)> {
    let space_after = |i: usize| tokens[i].0 + tokens[i].1.len();
    let token = tokens[k].1;
    let (mut from, mut to) = (k, k);
    // `local @domain`, `local @ domain`: the piece before is a local part.
    if token.starts_with('@') && k > 0 && local(tokens[k - 1].1.trim_start_matches(OPENING)) {
        from = k - 1;
    }
    // `local@ domain`, `local @ domain`.
    if token.ends_with('@') && k + 1 < tokens.len() && !tokens[k + 1].1.contains('@') {
        to = k + 1;
    }
    let mut joined: String = tokens[from..=to].iter().map(|t| t.1).collect();
    let mut edits: Vec<(usize, Option<char>)> =
        (from..to).map(|i| (space_after(i), None)).collect();
    // `…@example. fr`, `…@example fr`: a top-level label split off a
    // domain that has none.
    if to + 1 < tokens.len() {
        let core = joined.trim_end_matches(CLOSING);
        let dot = &joined[core.len()..];
        let label = tokens[to + 1].1.trim_end_matches(CLOSING);
        let ends_at_top = core
            .rsplit_once('.')
            .is_some_and(|(_, last)| top_level(last) && core.contains('@'));
        if top_level(label) && !ends_at_top && (dot.is_empty() || dot == ".") {
            let with = if dot.is_empty() { Some('.') } else { None };
            edits.push((space_after(to), with));
            joined = format!("{core}.{}", tokens[to + 1].1);
        }
    }
    if edits.is_empty() {
        return edits;
    }
    let core = joined.trim_start_matches(OPENING).trim_end_matches(CLOSING);
    if address(core) {
        edits
    } else {
        Vec::new()
    }
}

/// One of [`TOP_LEVEL`], in any case.
fn top_level(label: &str) -> bool {
    TOP_LEVEL.iter().any(|t| t.eq_ignore_ascii_case(label))
}

/// A local part as the e-mail pattern takes it (`jean.dupont+rh`).
fn local(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
}

/// A whole address: a local part, one `@`, a domain of two labels or more
/// whose last holds 2 to 24 letters.
fn address(s: &str) -> bool {
    let Some((user, domain)) = s.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    let last = labels[labels.len() - 1];
    local(user)
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && (2..=24).contains(&last.len())
        && last.chars().all(|c| c.is_ascii_alphabetic())
}

/// Letters OCR reads for a digit, and that digit.
fn digit_for(c: u8) -> Option<u8> {
    Some(match c {
        b'0'..=b'9' => c,
        b'O' | b'o' | b'Q' | b'D' => b'0',
        b'I' | b'l' | b'|' => b'1',
        b'Z' => b'2',
        b'S' => b'5',
        b'G' => b'6',
        b'B' => b'8',
        _ => return None,
    })
}

/// Whether character `i` of an IBAN of `country` is a digit by its layout:
/// the check digits, and a French IBAN's bank, branch and key.
fn digit_place(country: &[u8], i: usize) -> bool {
    matches!(i, 2 | 3) || country == b"FR" && ((4..14).contains(&i) || (25..27).contains(&i))
}

/// Reads as digits the letters in an IBAN's digit places (see the module)
/// where that makes it hold its checksum. The text keeps its length.
pub(super) fn ibans(page: &mut Page) {
    let mut fixes: Vec<(usize, u8)> = Vec::new();
    for tokens in lines_of_tokens(&page.text) {
        for k in 0..tokens.len() {
            fixes.extend(iban_at(&tokens[k..]));
        }
    }
    let mut bytes = std::mem::take(&mut page.text).into_bytes();
    for (at, digit) in fixes {
        bytes[at] = digit;
    }
    // Only ASCII letters were replaced by ASCII digits.
    page.text = String::from_utf8(bytes).unwrap_or_default();
}

/// The repairs (byte position, digit) of the IBAN that starts with the
/// first of `tokens`, written in groups (`FRO7 2716 …`) or whole.
fn iban_at(tokens: &[(usize, &str)]) -> Vec<(usize, u8)> {
    let first = tokens[0].1.as_bytes();
    if first.len() < 4 || !first[..2].iter().all(u8::is_ascii_uppercase) {
        return Vec::new();
    }
    // Each character with its byte position, token after token.
    let mut chars: Vec<(usize, u8)> = Vec::new();
    for &(at, t) in tokens {
        if !t.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'|') || chars.len() + t.len() > 34
        {
            break;
        }
        chars.extend(t.bytes().enumerate().map(|(i, c)| (at + i, c)));
        if chars.len() < 15 {
            continue;
        }
        let read: String = chars.iter().map(|c| c.1 as char).collect();
        if iban::valid(&read) {
            return Vec::new();
        }
        let mut fixes = Vec::new();
        let mut mended = chars.clone();
        for (i, c) in mended.iter_mut().enumerate() {
            if digit_place(&first[..2], i) && !c.1.is_ascii_digit() {
                let Some(d) = digit_for(c.1) else { break };
                c.1 = d;
                fixes.push(*c);
            }
        }
        let mended: String = mended.iter().map(|c| c.1 as char).collect();
        if !fixes.is_empty() && iban::valid(&mended) {
            return fixes;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::ocr::engine::{TextLine, Word};

    /// A page whose words are `text`'s space-separated tokens.
    fn page(text: &str) -> Page {
        let mut words = Vec::new();
        let mut lines = Vec::new();
        let mut at = 0u32;
        for line in text.split('\n') {
            let start = at;
            for t in line.split(' ') {
                words.push(Word {
                    start: at,
                    end: at + t.len() as u32,
                    confidence: 0.9,
                });
                at += t.len() as u32 + 1;
            }
            lines.push(TextLine {
                start,
                end: at - 1,
                rect: [0, 0, 1, 1],
            });
        }
        Page {
            number: 1,
            text: text.into(),
            words,
            lines,
        }
    }

    fn mended(text: &str) -> String {
        let mut p = page(text);
        emails(&mut p);
        p.text
    }

    #[test]
    fn a_space_next_to_the_at_sign_is_taken_out() {
        assert_eq!(
            mended("pierre.dubois87 @example.fr"),
            "pierre.dubois87@example.fr"
        );
        assert_eq!(
            mended("sophie.rousseau68@ example.fr"),
            "sophie.rousseau68@example.fr"
        );
        assert_eq!(
            mended("courriel : jean.benali67 @ example.fr."),
            "courriel : jean.benali67@example.fr."
        );
        assert_eq!(
            mended("(elodie.guerin27 @example.fr)"),
            "(elodie.guerin27@example.fr)"
        );
    }

    #[test]
    fn a_top_level_label_split_off_is_joined_back() {
        assert_eq!(
            mended("par courriel : ines.diop85@example. fr."),
            "par courriel : ines.diop85@example.fr."
        );
        assert_eq!(mended("awa.diop26@example fr."), "awa.diop26@example.fr.");
        assert_eq!(mended("jean @mail.example FR"), "jean@mail.example.FR");
    }

    #[test]
    fn nothing_is_made_where_a_reader_sees_no_address() {
        for text in [
            // Already whole: not lengthened.
            "jean@example.fr fr",
            "jean@example.fr com",
            "a@b.fr. fr.",
            // No top-level label known after it.
            "jean@example le lundi",
            "jean@example. Merci",
            // Not pieces of one address.
            "Suivez-nous @pdscout",
            "merci @ bientôt",
            "courriel: @example.fr",
            "jean @ example",
            "voir jean@ @example.fr",
            // A sentence's end before an address is no part of it.
            "Merci. jean@example.fr",
            "nadia. benali11@example.fr",
            // Split across lines.
            "jean.dupont\n@example.fr",
        ] {
            assert_eq!(mended(text), text, "{text}");
        }
    }

    #[test]
    fn a_letter_in_an_iban_digit_place_is_read_as_its_digit() {
        let mended = |text: &str| {
            let mut p = page(text);
            ibans(&mut p);
            p.text
        };
        assert_eq!(
            mended("IBAN : FRO7 2716 5934 9672 7099 8282 564 merci"),
            "IBAN : FR07 2716 5934 9672 7099 8282 564 merci"
        );
        assert_eq!(
            mended("iban FR763OOO6000011234567890189"),
            "iban FR7630006000011234567890189"
        );
        // Left as read: already valid, no checksum holds with the digit,
        // a letter in the account number (any letter may be there).
        for text in [
            "IBAN : FR76 3000 6000 0112 3456 7890 189",
            "IBAN : FRO8 2716 5934 9672 7099 8282 564",
            "IBAN : FR07 2716 5934 9672 7O99 8282 564",
            "FROM 1234 5678 9012 3456 7890 123",
        ] {
            assert_eq!(mended(text), text, "{text}");
        }
    }

    #[test]
    fn words_and_lines_follow_their_text() {
        let mut p = page("Nom Pierre\nmail pierre.d @ example. fr fin\nsuite");
        emails(&mut p);
        assert_eq!(p.text, "Nom Pierre\nmail pierre.d@example.fr fin\nsuite");
        let words: Vec<&str> = p
            .words
            .iter()
            .map(|w| &p.text[w.start as usize..w.end as usize])
            .collect();
        assert_eq!(
            words,
            ["Nom", "Pierre", "mail", "pierre.d", "@", "example.", "fr", "fin", "suite"]
        );
        let lines: Vec<&str> = p
            .lines
            .iter()
            .map(|l| &p.text[l.start as usize..l.end as usize])
            .collect();
        assert_eq!(
            lines,
            ["Nom Pierre", "mail pierre.d@example.fr fin", "suite"]
        );
    }
}
