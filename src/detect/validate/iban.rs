//! IBAN: ISO 13616 mod-97 plus each registry country's length and BBAN
//! format, delegated to `iban_validate` (kept in step with the SWIFT registry).

/// True for a valid IBAN in electronic form (upper case, no spaces).
pub fn valid(value: &str) -> bool {
    value.len() >= 15 && value.parse::<iban::Iban>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums() {
        assert!(valid("FR7630006000011234567890189"));
        assert!(valid("DE89370400440532013000"));
        assert!(valid("GB82WEST12345698765432"));
        assert!(!valid("FR7630006000011234567890188"));
        assert!(!valid("DE89370400440532013001"));
        // Right checksum, wrong length for the country.
        assert!(!valid("FR763000600001123456789"));
    }
}
