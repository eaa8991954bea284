//! French tax identifiers: the numéro fiscal (SPI) of a person, 13 digits
//! starting 0–3 whose last three are the first ten modulo 511 (the rule the
//! EU's TIN service publishes for France), and the reference of a tax
//! notice (13 letters and digits, reported with its label only).

/// A numéro fiscal (13 digits) with its key.
pub fn number_valid(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() != 13 || !b.iter().all(u8::is_ascii_digit) || b[0] > b'3' {
        return false;
    }
    let (Ok(body), Ok(key)) = (v[..10].parse::<u64>(), v[10..].parse::<u64>()) else {
        return false;
    };
    body % 511 == key
}

/// A tax notice reference: 13 letters and digits, at least 8 of them digits.
pub fn reference_valid(v: &str) -> bool {
    v.len() == 13
        && v.bytes()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && v.bytes().filter(u8::is_ascii_digit).count() >= 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_mod_511() {
        // 123456789 mod 511 = 211; 3000000000 mod 511 = 249.
        assert!(number_valid("0123456789211"));
        assert!(number_valid("3000000000249"));
        assert!(!number_valid("0123456789212"));
        assert!(!number_valid("4123456789211"));
        assert!(!number_valid("012345678901"));
        assert!(reference_valid("2175A01234567"));
        assert!(!reference_valid("ABCDEFGHIJKLM"));
    }
}
