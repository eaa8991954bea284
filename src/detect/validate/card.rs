//! Payment card numbers: length, issuer prefix, Luhn, and a grouping that
//! cards use (4-4-4-4, Amex 4-6-5…), so that Luhn-valid SIRETs (3-3-3-5)
//! and long ids are not taken for cards; nor is a number in a text table's
//! SIRET or SIREN column (a supplier list pasted in a text file: SIRETs are
//! Luhn-valid, and a 14-digit one has a Diners prefix one time in fifty).

use super::Candidate;

/// True for a plausible card number written as cards are written.
pub fn valid(c: &Candidate, digits: &str) -> bool {
    let n = digits.len();
    (13..=19).contains(&n)
        && issuer_ok(digits)
        && luhn(digits)
        && grouping_ok(c.text(), n)
        && super::stands_alone(c)
        && !super::table::column_says(c, &["siret", "siren"])
}

/// Luhn checksum.
/// True when `digits` is ambiguous without a card's context: a 13-digit
/// number that is also a valid EAN-13 (a product's bar code: catalogues hold
/// thousands, and one in ten passes Luhn), 14 digits written as one run (a
/// SIRET is 14 Luhn-valid digits, and one in fifty has a Diners prefix: in a
/// supplier list far from its header, an order row, a pasted export, it is
/// a company's number; Diners cards are printed 4-6-4), or 17 to 19 digits
/// written as one run (a device's or a record's id; cards that long are
/// rare and printed in groups).
pub fn needs_context(c: &Candidate, digits: &str) -> bool {
    let n = digits.len();
    let compact = !c.text().contains([' ', '-']);
    (n == 13 && ean13(digits)) || (n == 14 && compact) || (n >= 17 && compact)
}

/// The GS1 check digit: weights 1 and 3 alternating from the left.
fn ean13(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, c)| u32::from(c - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    sum.is_multiple_of(10)
}

pub fn luhn(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, c) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(c - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

fn issuer_ok(d: &str) -> bool {
    let n = d.len();
    let p2: u32 = d[..2].parse().unwrap_or(0);
    let p4: u32 = d[..4].parse().unwrap_or(0);
    let p3 = p4 / 10;
    match d.as_bytes()[0] {
        b'4' => matches!(n, 13 | 16 | 19),                          // Visa
        b'5' if matches!(p4, 5018 | 5020 | 5038 | 5893) => n >= 13, // Maestro
        b'5' => (51..=55).contains(&p2) && n == 16,                 // Mastercard
        b'2' => (2221..=2720).contains(&p4) && n == 16,             // Mastercard 2-series
        b'3' if p2 == 34 || p2 == 37 => n == 15,                    // Amex
        b'3' if (3528..=3589).contains(&p4) => (16..=19).contains(&n), // JCB
        b'3' if p2 == 36 || p2 == 38 || p2 == 39 || (300..=305).contains(&p3) => {
            (14..=19).contains(&n) // Diners
        }
        b'6' if matches!(p4, 6304 | 6759 | 6761 | 6762 | 6763) => n >= 13, // Maestro
        b'6' => {
            (p4 == 6011 || p2 == 65 || (644..=649).contains(&p3) || p2 == 62)
                && (16..=19).contains(&n)
        }
        _ => false,
    }
}

/// Compact, or in the groups card issuers print.
fn grouping_ok(text: &str, n: usize) -> bool {
    let groups: Vec<usize> = text
        .split([' ', '-'])
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    if groups.len() == 1 {
        return true;
    }
    matches!(
        groups.as_slice(),
        [4, 4, 4, 4]
            | [4, 4, 4, 4, 3]
            | [4, 4, 4, 4, 1..=3]
            | [4, 6, 5]
            | [4, 6, 4]
            | [4, 4, 4, 1]
            | [4, 4, 4, 2]
            | [4, 4, 4, 3]
    ) && groups.iter().sum::<usize>() == n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(t: &str) -> Candidate<'_> {
        Candidate {
            hay: t,
            start: 0,
            end: t.len(),
        }
    }

    fn check(t: &str) -> bool {
        let d: String = t.chars().filter(char::is_ascii_digit).collect();
        valid(&cand(t), &d)
    }

    #[test]
    fn cards() {
        assert!(check("4970 1012 3456 7890") == luhn("4970101234567890"));
        assert!(check("4111 1111 1111 1111"));
        assert!(check("5555555555554444"));
        assert!(check("3782 822463 10005"));
        assert!(!check("4111 1111 1111 1112"));
        // A Luhn-valid SIRET grouped 3-3-3-5 is not a card.
        assert!(!check("732 829 320 00074"));
        assert!(!check("7328293200007"));
    }

    #[test]
    fn ids_in_links_and_names_are_not_cards() {
        let at = |t: &'static str, v: &str| {
            let start = t.find(v).expect("test data");
            let c = Candidate {
                hay: t,
                start,
                end: start + v.len(),
            };
            valid(&c, v)
        };
        let card = "5555555555554444";
        assert!(at("CB : 5555555555554444.", card));
        assert!(at("(5555555555554444)", card));
        assert!(at("carte=5555555555554444&exp=1227", card));
        assert!(!at(
            "https://oss-fuzz.com/testcase-detail/5555555555554444.",
            card
        ));
        assert!(!at("fuzzer-5555555555554444 | Bin", card));
        assert!(!at("scan_5555555555554444.pdf", card));
        assert!(!at("5555555555554444/details", card));
        assert!(at("CB.5555555555554444", card));
        assert!(at("CB 5555555555554444.Merci", card));
        assert!(at("CB 5555555555554444. merci", card));
    }
}
