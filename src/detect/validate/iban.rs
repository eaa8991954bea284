//! IBAN: ISO 13616 mod-97 plus each registry country's length and BBAN
//! format, delegated to `iban_validate` (kept in step with the SWIFT registry).

/// True for a valid IBAN in electronic form (upper case, no spaces).
pub fn valid(value: &str) -> bool {
    if value.len() < 15 {
        return false;
    }
    match value.parse::<iban::Iban>() {
        Ok(_) => true,
        // Checksum right, country unknown to the crate.
        Err(iban::ParseIbanError::UnknownCountry(_)) => registry_country_missing(value),
        Err(_) => false,
    }
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
