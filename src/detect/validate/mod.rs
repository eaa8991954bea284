//! Normalisers and validators, named in pattern files.
//!
//! A candidate found by a pattern's regex is first normalised (the matched
//! text → a record's normalised value), then validated (checksums, numbering
//! plans, field rules). Both are chosen by name so that pattern files stay data.

mod card;
mod date;
mod email;
pub(crate) mod iban;
mod ip;
pub mod mrz;
mod nir;
mod phone;
mod table;
mod tax;

pub(crate) use email::{email_local, organisation_contact_line};

/// A regex match inside its haystack, for validators that look around it.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub hay: &'a str,
    pub start: usize,
    pub end: usize,
}

impl<'a> Candidate<'a> {
    /// The matched text.
    pub fn text(&self) -> &'a str {
        &self.hay[self.start..self.end]
    }
    /// The bytes before the match.
    pub fn before(&self) -> &'a [u8] {
        &self.hay.as_bytes()[..self.start]
    }
    /// The bytes after the match.
    pub fn after(&self) -> &'a [u8] {
        &self.hay.as_bytes()[self.end..]
    }
    /// The line of the match (at most [`LINE_REACH`] bytes each side).
    pub fn line(&self) -> &'a [u8] {
        &self.hay.as_bytes()[self.line_range()]
    }
    /// Where [`Self::line`] is in the text.
    pub(crate) fn line_range(&self) -> std::ops::Range<usize> {
        let b = self.hay.as_bytes();
        // On character bounds: callers slice `hay` with the range.
        let mut from = self.start.saturating_sub(LINE_REACH);
        while !self.hay.is_char_boundary(from) {
            from += 1;
        }
        let mut to = (self.end + LINE_REACH).min(b.len());
        while !self.hay.is_char_boundary(to) {
            to -= 1;
        }
        let start = memchr::memrchr(b'\n', &b[from..self.start]).map_or(from, |i| from + i + 1);
        let end = memchr::memchr(b'\n', &b[self.end..to]).map_or(to, |i| self.end + i);
        start..end
    }
    /// The sentence of the match within its line (a paragraph is often
    /// one line): from the `. ` (or `! `, `? `) before it to the one after.
    pub fn sentence(&self) -> &'a [u8] {
        let b = self.hay.as_bytes();
        let line = self.line_range();
        let stop = |i: &usize| b.get(i + 1) == Some(&b' ');
        let start = memchr::memrchr3_iter(b'.', b'!', b'?', &b[line.start..self.start])
            .map(|i| line.start + i)
            .find(stop)
            .map_or(line.start, |i| i + 2);
        let end = memchr::memchr3_iter(b'.', b'!', b'?', &b[self.end..line.end])
            .map(|i| self.end + i)
            .find(stop)
            .unwrap_or(line.end);
        &b[start.min(self.start)..end]
    }
}

/// How far [`Candidate::line`] looks each side of a match: a paragraph
/// written as one line is not searched whole for every value in it.
pub(crate) const LINE_REACH: usize = 200;

/// Turns matched text into a normalised value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normaliser {
    /// Whitespace trimmed and collapsed.
    Trim,
    /// Lower case (e-mail).
    Lower,
    /// An e-mail address percent-encoded in a URL (`jean%40exemple.fr`,
    /// a query string in a web server's log): `%40` and `%2B` decoded,
    /// lower case.
    EmailUrl,
    /// Upper case, letters and digits only (IBAN, NIR).
    UpperAlnum,
    /// Digits only (card).
    Digits,
    /// NIR: upper case, no separators; a 13-character body gets its key
    /// appended so that every NIR value has 15 characters.
    Nir,
    /// E.164 phone number.
    Phone,
    /// E.164 from a number sent by a form in a URL, its spaces written `+`
    /// or `%20`.
    PhoneUrl,
    /// A national French number stored without its leading 0 (a spreadsheet number).
    PhoneBare,
    /// Canonical IP text.
    Ip,
    /// ISO `YYYY-MM-DD` from the French and ISO date forms.
    IsoDate,
    /// The document number of an identity document's machine-readable zone.
    Mrz,
    /// The name and the birth date a zone says (`detector = "mrz"`; typed
    /// by a user: trimmed, or read as a date).
    MrzName,
    MrzBirthdate,
}

impl Normaliser {
    /// Every normaliser's name, for error messages.
    pub const NAMES: &'static str =
        "trim, lower, email-url, upper-alnum, digits, nir, phone, phone-url, phone-bare, ip, iso-date, mrz, mrz-name, mrz-birthdate";

    /// Looks a normaliser up by its pattern-file name.
    pub fn by_name(name: &str) -> Option<Self> {
        Some(match name {
            "trim" => Self::Trim,
            "lower" => Self::Lower,
            "email-url" => Self::EmailUrl,
            "upper-alnum" => Self::UpperAlnum,
            "digits" => Self::Digits,
            "nir" => Self::Nir,
            "phone" => Self::Phone,
            "phone-url" => Self::PhoneUrl,
            "phone-bare" => Self::PhoneBare,
            "ip" => Self::Ip,
            "iso-date" => Self::IsoDate,
            "mrz" => Self::Mrz,
            "mrz-name" => Self::MrzName,
            "mrz-birthdate" => Self::MrzBirthdate,
            _ => return None,
        })
    }

    /// The field of a zone this normaliser takes (`detector = "mrz"`).
    pub fn zone_field(self) -> Option<mrz::Field> {
        match self {
            Self::MrzName => Some(mrz::Field::Name),
            Self::MrzBirthdate => Some(mrz::Field::Birthdate),
            _ => None,
        }
    }

    /// The normalised value of a regex match: [`Self::apply`] to its
    /// text, but an identity document's zone is read from the lines around
    /// the matched one.
    pub fn apply_in(self, c: &Candidate) -> Option<String> {
        match self {
            Self::Mrz => mrz::read_around(c).map(|m| m.number),
            _ => self.apply(c.text()),
        }
    }

    /// The normalised value, or `None` when the text cannot be one.
    pub fn apply(self, text: &str) -> Option<String> {
        match self {
            Self::Trim | Self::MrzName => Some(crate::model::fold::collapse_spaces(text)),
            Self::Lower if text.is_ascii() => Some(text.to_ascii_lowercase()),
            Self::Lower => Some(text.to_lowercase()),
            Self::EmailUrl => Some(email::url_decoded(text)),
            Self::UpperAlnum => Some(upper_alnum(text)),
            Self::Digits => Some(digits(text)),
            Self::Nir => nir::normalise(text),
            Self::Phone => phone::to_e164(text),
            Self::PhoneUrl => phone::to_e164(&text.replace("%20", " ").replace('+', " ")),
            Self::PhoneBare => phone::bare_to_e164(text),
            Self::Ip => ip::canonical(text),
            Self::IsoDate | Self::MrzBirthdate => date::to_iso(text),
            // A zone, or a document number typed by the user.
            Self::Mrz => mrz::read(text)
                .map(|m| m.number)
                .or_else(|| Some(upper_alnum(text)).filter(|n| (6..=14).contains(&n.len()))),
        }
    }
}

/// The ASCII bytes of `text` that `keep` accepts, each through `map`, in a
/// string allocated once.
fn keep_ascii(text: &str, keep: fn(&u8) -> bool, map: fn(&u8) -> u8) -> String {
    let mut s = String::with_capacity(text.len());
    s.extend(
        text.as_bytes()
            .iter()
            .filter(|c| keep(c))
            .map(|c| char::from(map(c))),
    );
    s
}

/// The ASCII digits of `text`.
pub(crate) fn digits(text: &str) -> String {
    keep_ascii(text, u8::is_ascii_digit, |&c| c)
}

/// The ASCII letters and digits of `text`, letters in upper case.
pub(crate) fn upper_alnum(text: &str) -> String {
    keep_ascii(text, u8::is_ascii_alphanumeric, u8::to_ascii_uppercase)
}

/// Decides whether a normalised candidate is real.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validator {
    /// Accept every match.
    None,
    Email,
    /// ISO 13616 checksum and the country's length and BBAN format.
    Iban,
    /// French NIR with its key.
    Nir,
    /// French NIR body (13 characters) without key.
    NirBody,
    /// French numbering plan, or the international plan for `+` numbers.
    Phone,
    /// Luhn, issuer prefix, length and grouping.
    Card,
    /// IP address not part of a longer dotted or colon run.
    Ip,
    /// A plausible birth date (a real day, not in the future, after 1900).
    Birthdate,
    /// A machine-readable zone whose check digits all hold.
    Mrz,
    /// A French numéro fiscal with its key (modulo 511).
    TaxNumber,
    /// A French tax notice reference (13 letters and digits).
    TaxReference,
}

impl Validator {
    /// Every validator's name, for error messages.
    pub const NAMES: &'static str = "none, email, iban, nir, nir-body, phone, card, ip, birthdate, mrz, tax-number, tax-reference";

    /// Looks a validator up by its pattern-file name.
    pub fn by_name(name: &str) -> Option<Self> {
        Some(match name {
            "none" => Self::None,
            "email" => Self::Email,
            "iban" => Self::Iban,
            "nir" => Self::Nir,
            "nir-body" => Self::NirBody,
            "phone" => Self::Phone,
            "card" => Self::Card,
            "ip" => Self::Ip,
            "birthdate" => Self::Birthdate,
            "mrz" => Self::Mrz,
            "tax-number" => Self::TaxNumber,
            "tax-reference" => Self::TaxReference,
            _ => return None,
        })
    }

    /// `Some(factor)` to accept (the pattern's confidence is multiplied by
    /// `factor`), `None` to reject.
    pub fn check(self, c: &Candidate, value: &str) -> Option<f32> {
        let ok = match self {
            Self::None => true,
            Self::Email => return email::check(c, value),
            Self::Iban => return iban::check(c, value),
            Self::Nir => nir::valid_with_key(value),
            Self::NirBody => nir::valid_body(c, value),
            Self::Phone => return phone::check(c, value),
            Self::Card => card::valid(c, value),
            Self::Ip => return ip::check(c, value),
            Self::Birthdate => date::plausible_birthdate(value),
            // The normaliser found a zone only if its check digits hold.
            Self::Mrz => mrz::read_around(c).is_some_and(|m| m.number == value),
            Self::TaxNumber => tax::number_valid(value),
            Self::TaxReference => tax::reference_valid(value),
        };
        ok.then_some(1.0)
    }

    /// True when `value` (accepted by [`Self::check`]) is ambiguous alone
    /// and is reported only with context words or its column, as a pattern
    /// with `requires_context` would be: an address shaped like a version.
    pub fn needs_context(self, c: &Candidate, value: &str) -> bool {
        match self {
            Self::Ip => ip::version_shaped(c, value),
            Self::Phone => phone::unallocated(value),
            Self::Card => card::needs_context(c, value),
            _ => false,
        }
    }
}

/// Not part of a path, a URL or a file name (`/commit/0507535277`,
/// `fuzzer-5522792714993664`, `5555555555554444.pdf`): ids in links and
/// names are long numbers, and one in ten passes Luhn or looks like a phone.
/// A dot before is an abbreviation's (`Tél.06 12 34 56 78`), not a join.
pub(crate) fn stands_alone(c: &Candidate) -> bool {
    let joined_before = match c.before() {
        [.., b'/'] => true,
        [.., x, b'-' | b'_'] => x.is_ascii_alphanumeric(),
        _ => false,
    };
    let joined_after = match c.after() {
        [b'/', ..] => true,
        [b'-' | b'_', x, ..] => x.is_ascii_alphanumeric(),
        [b'.', rest @ ..] => file_extension(rest),
        _ => false,
    };
    !(joined_before || joined_after)
}

/// `rest` starts with a file extension: 2-4 lower-case letters or digits
/// and then no more of them (`pdf`, `jpg`, `docx`; not `Merci`, `fr`… of a
/// longer word).
fn file_extension(rest: &[u8]) -> bool {
    let n = rest
        .iter()
        .take(5)
        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        .count();
    (2..=4).contains(&n) && rest.get(n).is_none_or(|b| !b.is_ascii_alphanumeric())
}

/// True when the byte before the match continues a run of digit groups
/// (`12 ` or `12.` right before it).
pub fn digits_continue_before(before: &[u8]) -> bool {
    match before {
        [.., d] if d.is_ascii_digit() => true,
        [.., d, b' ' | b'.' | b'-'] if d.is_ascii_digit() => true,
        _ => false,
    }
}

/// True when the bytes after the match continue a run of digit groups.
pub fn digits_continue_after(after: &[u8]) -> bool {
    match after {
        [d, ..] if d.is_ascii_digit() => true,
        [b' ' | b'.' | b'-', d, ..] if d.is_ascii_digit() => true,
        _ => false,
    }
}
