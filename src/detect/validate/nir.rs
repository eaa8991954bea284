//! French social security number (NIR, "numéro de sécurité sociale"):
//! sex, year, month, department (2A/2B for Corsica, 97x/98x overseas, 99
//! abroad), commune, order number, and the key 97 − (number mod 97).

use super::Candidate;

/// The field rules of the 13-character body.
fn body_fields_ok(b: &[u8]) -> bool {
    if b.len() != 13 {
        return false;
    }
    if !matches!(b[0], b'1' | b'2' | b'3' | b'4' | b'7' | b'8') {
        return false;
    }
    if !b[1..5].iter().all(u8::is_ascii_digit) || !b[7..13].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let month = (b[3] - b'0') * 10 + (b[4] - b'0');
    if !matches!(month, 1..=12 | 20..=42 | 50..=99) {
        return false;
    }
    match (b[5], b[6]) {
        (b'2', b'A' | b'B') => true,
        (d1, d2) if d1.is_ascii_digit() && d2.is_ascii_digit() => {
            let dept = (d1 - b'0') * 10 + (d2 - b'0');
            matches!(dept, 1..=95 | 97..=99)
        }
        _ => false,
    }
}

/// The body as a number, Corsica's 2A/2B counted as 19/18.
fn body_number(b: &[u8]) -> u64 {
    let mut n: u64 = 0;
    for (i, &c) in b.iter().enumerate() {
        let d = match (i, c) {
            (5, b'2') if b[6] == b'A' => 1,
            (6, b'A') => 9,
            (5, b'2') if b[6] == b'B' => 1,
            (6, b'B') => 8,
            _ => u64::from(c - b'0'),
        };
        n = n * 10 + d;
    }
    n
}

/// The key of a valid 13-character body.
pub fn key(body: &[u8]) -> u64 {
    97 - body_number(body) % 97
}

/// Upper case without separators; a valid 13-character body gets its key.
pub fn normalise(text: &str) -> Option<String> {
    let mut v = super::upper_alnum(text);
    if v.len() == 13 && body_fields_ok(v.as_bytes()) {
        let k = key(v.as_bytes());
        // k is 1..=97: two digits.
        v.push(char::from(b'0' + (k / 10) as u8));
        v.push(char::from(b'0' + (k % 10) as u8));
    }
    Some(v)
}

/// True for a 15-character NIR with valid fields and key.
pub fn valid_with_key(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() != 15 || !body_fields_ok(&b[..13]) || !b[13..].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let k = u64::from(b[13] - b'0') * 10 + u64::from(b[14] - b'0');
    k == key(&b[..13])
}

/// True when a two-digit group follows `after` past at most a few
/// separators (`… 456 78`, `… 456.78`, `… 456 - 78`, `… 456 / 78`, a
/// no-break space): the body's written key.
fn key_follows(after: &[u8]) -> bool {
    let sep = after
        .iter()
        .take(KEY_SEPARATORS_MAX)
        .take_while(|b| matches!(b, b' ' | b'\t' | b'.' | b'-' | b'/' | 0xC2 | 0xA0))
        .count();
    matches!(&after[sep..], [a, b, ..] if a.is_ascii_digit() && b.is_ascii_digit())
}

/// Separator bytes looked past for a written key: ` / ` with no-break
/// spaces is 5.
const KEY_SEPARATORS_MAX: usize = 5;

/// True for a 13-character body (normalised with its computed key) with
/// valid fields that is not followed by a two-digit group: that would be its
/// written key, and a wrong one since the keyed pattern did not accept it —
/// the normaliser's computed key must never stand in for a written wrong one.
pub fn valid_body(c: &Candidate, v: &str) -> bool {
    !key_follows(c.after())
        && c.text().bytes().filter(u8::is_ascii_alphanumeric).count() == 13
        && valid_with_key(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        // 1 84 12 75 123 456: 1841275123456 mod 97 = 19 → key 78.
        assert_eq!(key(b"1841275123456"), 40);
        let k = key(b"1841275123456");
        assert!(valid_with_key(&format!("1841275123456{k:02}")));
        assert!(!valid_with_key(&format!(
            "1841275123456{:02}",
            (k % 97) + 1
        )));
    }

    #[test]
    fn corsica() {
        // 2A counts as 19, 2B as 18.
        let k = 97 - 2850119123456u64 % 97;
        assert!(valid_with_key(&format!("28501{}123456{k:02}", "2A")));
        let k = 97 - 2850118123456u64 % 97;
        assert!(valid_with_key(&format!("28501{}123456{k:02}", "2B")));
    }

    #[test]
    fn written_key_seen_past_separators() {
        for after in [
            &b"78"[..],
            b" 78",
            b".78",
            b" - 78",
            b" / 78",
            b"/78",
            b"\xC2\xA0/\xC2\xA078",
        ] {
            assert!(key_follows(after), "{after:?}");
        }
        for after in [&b""[..], b" ", b" 7", b" de", b"\n\n78", b" ;  78"] {
            assert!(!key_follows(after), "{after:?}");
        }
    }

    #[test]
    fn field_rules() {
        assert!(!body_fields_ok(b"5841275123456")); // sex 5
        assert!(!body_fields_ok(b"1841375123456")); // month 13
        assert!(body_fields_ok(b"1845075123456")); // month 50
        assert!(!body_fields_ok(b"1841296123456")); // department 96
        assert!(body_fields_ok(b"1841299123456")); // born abroad
        assert!(!body_fields_ok(b"1841200123456")); // department 00
    }
}
