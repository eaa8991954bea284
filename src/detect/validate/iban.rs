//! IBAN: ISO 13616 mod-97 plus each registry country's length and BBAN
//! format, delegated to `iban_validate` (kept in step with the SWIFT registry).

/// True for a valid IBAN in electronic form (upper case, no spaces).
pub fn valid(value: &str) -> bool {
    if value.len() < 15 {
        return false;
    }
    if let Some(ok) = french(value) {
        return ok;
    }
    match value.parse::<iban::Iban>() {
        Ok(_) => true,
        // Checksum right, country unknown to the crate.
        Err(iban::ParseIbanError::UnknownCountry(_)) => registry_country_missing(value),
        Err(_) => false,
    }
}

/// The verdict on a French IBAN (most of a French organisation's), checked
/// here as the crate checks it, without its parsing: 27 characters, the
/// mod-97 checksum, and the French BBAN (5 digits of bank, 5 of branch, 11
/// letters or digits of account, 2 digits of key; letters of any case, as
/// the crate takes them). `None` for another country.
fn french(value: &str) -> Option<bool> {
    let b = value.as_bytes();
    if !b.starts_with(b"FR") {
        return None;
    }
    Some(
        b.len() == 27
            && b[2..14].iter().all(u8::is_ascii_digit)
            && b[14..25].iter().all(u8::is_ascii_alphanumeric)
            && b[25..].iter().all(u8::is_ascii_digit)
            && mod97(b) == 1,
    )
}

/// ISO 13616 remainder of an IBAN of ASCII letters and digits: the first
/// four characters moved to the end, letters (any case) as 10-35.
fn mod97(b: &[u8]) -> u32 {
    b[4..].iter().chain(&b[..4]).fold(0u32, |r, &c| {
        if c.is_ascii_digit() {
            (r * 10 + u32::from(c - b'0')) % 97
        } else {
            (r * 100 + u32::from(c.to_ascii_uppercase() - b'A') + 10) % 97
        }
    })
}

/// Registry countries that `iban_validate` 5.0.1 lacks, with their formats:
/// Pakistan (`PK`, 24 characters, bank code of 4 letters then 16
/// alphanumerics) and Honduras (`HN`, 28 characters, bank code of 4
/// letters then 20 digits).
fn registry_country_missing(value: &str) -> bool {
    let b = value.as_bytes();
    let bank_letters = || b[4..8].iter().all(u8::is_ascii_uppercase);
    match (b.get(..2), b.len()) {
        (Some(b"PK"), 24) => bank_letters() && b[8..].iter().all(u8::is_ascii_alphanumeric),
        (Some(b"HN"), 28) => bank_letters() && b[8..].iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The French fast path says what the crate says, on valid IBANs and on
    /// near misses (a changed character, a lower-case letter, a wrong length).
    #[test]
    fn french_path_agrees_with_the_crate() {
        let mut rng = crate::TestRng(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: u64| rng.below(n);
        const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let (mut checked, mut accepted) = (0, 0);
        for _ in 0..20_000 {
            let mut b: Vec<u8> = b"FR00".to_vec();
            for i in 0..23 {
                let letters = (10..21).contains(&i) && next(4) == 0;
                b.push(if letters {
                    ALNUM[10 + next(26) as usize]
                } else {
                    b'0' + next(10) as u8
                });
            }
            let check = 98 - mod97(&b);
            b[2] = b'0' + (check / 10) as u8;
            b[3] = b'0' + (check % 10) as u8;
            match next(5) {
                0 => {}
                1 => {
                    let i = 2 + next(25) as usize;
                    b[i] = ALNUM[next(36) as usize];
                }
                2 => {
                    let i = 4 + next(23) as usize;
                    b[i] = b[i].to_ascii_lowercase();
                }
                3 => {
                    b.pop();
                }
                _ => b.push(b'0' + next(10) as u8),
            }
            let v = String::from_utf8(b).expect("ASCII");
            let crate_says = v.parse::<iban::Iban>().is_ok();
            assert_eq!(french(&v), Some(crate_says), "{v}");
            checked += 1;
            accepted += usize::from(crate_says);
        }
        assert!(
            accepted > 4_000 && checked - accepted > 4_000,
            "{accepted}/{checked}"
        );
        assert_eq!(french("DE89370400440532013000"), None);
    }

    #[test]
    fn checksums() {
        assert!(valid("FR7630006000011234567890189"));
        assert!(valid("DE89370400440532013000"));
        assert!(valid("GB82WEST12345698765432"));
        assert!(!valid("FR7630006000011234567890188"));
        assert!(!valid("DE89370400440532013001"));
        // Right checksum, wrong length for the country.
        assert!(!valid("FR763000600001123456789"));
        // Pakistan, in the registry, not in the crate.
        assert!(valid("PK36SCBL0000001123456702"));
        assert!(!valid("PK36SCBL0000001123456703"));
        assert!(!valid("PK36SCB10000001123456702"));
        // Honduras, likewise.
        assert!(valid("HN88CABF00000000000250005469"));
        assert!(!valid("HN88CABF00000000000250005468"));
        assert!(!valid("HN88CABF0000000000025000546"));
    }
}
