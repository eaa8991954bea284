//! IBAN: ISO 13616 mod-97 plus each registry country's length and BBAN
//! format, delegated to `iban_validate` (kept in step with the SWIFT registry).

/// Confidence factor of the account an invoice asks to be paid to (below
/// the default `--min-confidence`, shown with `--min-confidence 0`).
const PAYEE_FACTOR: f32 = 0.3;

/// How far before an account an invoice's title and its issuer's company
/// identifiers are looked for (a letterhead, then the lines of the invoice),
/// and after it (a footer giving the SIRET).
const INVOICE_BEFORE: usize = 4096;
const INVOICE_AFTER: usize = 1024;

/// `Some(factor)` for a valid IBAN; the account where a company's invoice
/// asks to be paid gets a low factor (see [`invoice_payee`]).
pub fn check(c: &super::Candidate, value: &str) -> Option<f32> {
    if !valid(value) {
        return None;
    }
    Some(if invoice_payee(c) { PAYEE_FACTOR } else { 1.0 })
}

/// True when the account is the one an invoice gives for its payment
/// (`Règlement par virement : FR76 …` under `FACTURE N° …` and a supplier's
/// SIRET): the issuer's, a company's or the organisation's own, not a
/// person's. An account debited or refunded (`prélèvement`, `votre compte`,
/// `compte de Mme …`, on its line or the line above) is the customer's, and
/// a payslip, a rent notice or a letter is no invoice.
fn invoice_payee(c: &super::Candidate) -> bool {
    use crate::model::fold::{ceil_boundary, floor_boundary, strip_accents_lower};
    let from = floor_boundary(c.hay, c.start.saturating_sub(INVOICE_BEFORE));
    let to = ceil_boundary(c.hay, (c.end + INVOICE_AFTER).min(c.hay.len()));
    let around = &c.hay[from..to];
    // Most accounts (a tenant export's, a payslip's) have no invoice
    // around them: passed over before anything is folded.
    let raw = around.as_bytes();
    if memchr::memmem::find(raw, b"acture").is_none()
        && memchr::memmem::find(raw, b"ACTURE").is_none()
    {
        return false;
    }
    let b = c.hay.as_bytes();
    let line = c.line_range();
    let above = memchr::memrchr(b'\n', &b[..line.start.saturating_sub(1)]).map_or(0, |i| i + 1);
    let near = strip_accents_lower(&c.hay[above.min(line.start)..line.end]);
    if CUSTOMER.iter().any(|w| has_word(&near, w)) {
        return false;
    }
    let before = strip_accents_lower(&c.hay[from..c.start]);
    let folded = before.clone() + &strip_accents_lower(&c.hay[c.start..to]);
    // A person named before the account (`Demandeur : M. …`, a customer
    // `Mme …`) may be its holder: a file about them, not a supplier's bill.
    invoice_title(around, &folded)
        && ISSUER.iter().any(|w| has_word(&folded, w))
        && !PERSON.iter().any(|w| has_word(&before, w))
}

/// Words (folded) that name or describe a person.
const PERSON: &[&str] = &[
    "m.",
    "mme",
    "mlle",
    "monsieur",
    "madame",
    "demandeur",
    "demandeuse",
    "locataire",
    "salarie",
    "salariee",
    "ne le",
    "nee le",
];

/// Words (folded) on an account's line or the line above that make it a
/// customer's: debited, refunded to, or named as a person's.
const CUSTOMER: &[&str] = &[
    "prelevement",
    "prelevements",
    "preleve",
    "preleves",
    "prelevee",
    "prelever",
    "debit",
    "debite",
    "debitee",
    "mandat",
    "rembourse",
    "remboursement",
    "votre compte",
    "votre iban",
    "votre rib",
    "sur votre",
    "de votre",
    "vos coordonnees",
    "m.",
    "mme",
    "mlle",
    "monsieur",
    "madame",
    "locataire",
    "salarie",
];

/// Company identifiers (folded) that show an invoice's issuer is a company.
const ISSUER: &[&str] = &[
    "siret", "siren", "rcs", "tva", "capital", "sarl", "sas", "sasu", "eurl", "ape", "naf",
];

/// True when `text` (and `folded`, its folded form) holds an invoice's title:
/// `FACTURE` in capitals, or `facture n°` / `n° de facture` (not a letter's mention of "la facture du plombier").
fn invoice_title(text: &str, folded: &str) -> bool {
    if memchr::memmem::find_iter(text.as_bytes(), b"FACTURE")
        .any(|i| word_bounded(text.as_bytes(), i, i + 7))
    {
        return true;
    }
    let f = folded.as_bytes();
    memchr::memmem::find_iter(f, b"facture").any(|i| {
        let after = folded[i + 7..].trim_start_matches([' ', '\u{a0}']);
        let numbered = ["n°", "no ", "no.", "n.", "numero", "#", ":"]
            .iter()
            .any(|p| after.starts_with(p));
        let before = folded[..i].trim_end();
        let of_number = before.ends_with(" de") && {
            let b = before[..before.len() - 3].trim_end();
            b.ends_with("n°") || b.ends_with("numero")
        };
        word_bounded(f, i, i + 7) && (numbered || of_number)
    })
}

/// True when `word` (folded) stands in `text` (folded) as a word of its own.
fn has_word(text: &str, word: &str) -> bool {
    let t = text.as_bytes();
    memchr::memmem::find_iter(t, word.as_bytes()).any(|i| word_bounded(t, i, i + word.len()))
}

/// Neither a letter nor a digit just before `start` or at `end` (a word's
/// own final `.` counts as its end: `m.`).
fn word_bounded(t: &[u8], start: usize, end: usize) -> bool {
    let joined = |x: &u8| x.is_ascii_alphanumeric() || *x >= 0x80;
    let before = start.checked_sub(1).and_then(|i| t.get(i));
    !before.is_some_and(joined) && !t.get(end).is_some_and(joined)
}

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
