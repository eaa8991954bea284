//! Masked values: enough to recognise a value among a person's own, never
//! enough to use it (`j***@example.fr`, `FR76 **** … ***0 189`). Each kind's
//! style is declared in its pattern file ([`super::kind`]).

use super::kind::{mask_style, MaskStyle};

/// The masked form of a normalised `value` of `kind`.
pub fn mask(kind: &str, value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    mask_into(kind, value, &mut out);
    out
}

/// [`mask`], appended to `out` (one finding record costs no allocation here).
pub fn mask_into(kind: &str, value: &str, out: &mut String) {
    mask_styled(mask_style(kind), value, out);
}

/// [`mask_into`] with the kind's style already known (a pattern's, looked
/// up once: not for each finding).
pub fn mask_styled(style: MaskStyle, value: &str, out: &mut String) {
    match style {
        MaskStyle::Email => email(value, out),
        MaskStyle::Iban => iban(value, out),
        MaskStyle::Nir => nir(value, out),
        MaskStyle::Phone => keep_ends(value, 4, 2, out),
        MaskStyle::Card => card(value, out),
        MaskStyle::Ip => ip(value, out),
        MaskStyle::Year => birthdate(value, out),
        MaskStyle::Initials => words(value, out),
        MaskStyle::Ends => keep_ends(value, 1, 2, out),
    }
}

fn stars(n: usize, out: &mut String) {
    const STARS: &str = "********************************";
    let mut left = n;
    while left > 0 {
        let k = left.min(STARS.len());
        out.push_str(&STARS[..k]);
        left -= k;
    }
}

/// The first `head` and last `tail` characters, the rest as `*`.
fn keep_ends(v: &str, head: usize, tail: usize, out: &mut String) {
    if v.is_ascii() {
        // One byte a character: whole slices, not characters one by one.
        let n = v.len();
        if n <= head + tail {
            return stars(n, out);
        }
        out.push_str(&v[..head]);
        stars(n - head - tail, out);
        out.push_str(&v[n - tail..]);
        return;
    }
    let n = v.chars().count();
    if n <= head + tail {
        return stars(n, out);
    }
    for (i, c) in v.chars().enumerate() {
        if i < head || i >= n - tail {
            out.push(c);
        } else {
            out.push('*');
        }
    }
}

fn email(v: &str, out: &mut String) {
    match v.split_once('@') {
        Some((local, domain)) => {
            out.extend(local.chars().take(1));
            out.push_str("***@");
            out.push_str(domain);
        }
        None => keep_ends(v, 1, 0, out),
    }
}

/// Country and check digits, then groups of four, the last four shown.
fn iban(v: &str, out: &mut String) {
    let n = v.len();
    for (k, (i, c)) in v.char_indices().enumerate() {
        if k > 0 && k % 4 == 0 {
            out.push(' ');
        }
        out.push(if i < 4 || i + 4 >= n { c } else { '*' });
    }
}

/// Sex, birth year and key shown: `2 84 ** ** *** *** 42`.
fn nir(v: &str, out: &mut String) {
    if v.len() != 15 {
        return keep_ends(v, 1, 2, out);
    }
    out.push_str(&v[..1]);
    out.push(' ');
    out.push_str(&v[1..3]);
    out.push_str(" ** ** *** *** ");
    out.push_str(&v[13..]);
}

/// All but the last four digits masked, in groups of four.
fn card(v: &str, out: &mut String) {
    let n = v.chars().count();
    for (k, c) in v.chars().enumerate() {
        if k > 0 && k % 4 == 0 {
            out.push(' ');
        }
        out.push(if n <= 4 || k + 4 < n { '*' } else { c });
    }
}

fn ip(v: &str, out: &mut String) {
    let b = v.as_bytes();
    if !b.contains(&b':') && b.iter().filter(|&&c| c == b'.').count() == 3 {
        // The first two parts of a dotted quad.
        let second_dot = b
            .iter()
            .enumerate()
            .filter(|(_, &c)| c == b'.')
            .nth(1)
            .map_or(v.len(), |(i, _)| i);
        out.push_str(&v[..second_dot]);
        out.push_str(".*.*");
        return;
    }
    for (i, g) in v.split(':').take(2).enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push_str(g);
    }
    out.push_str(":*");
}

/// The year only.
fn birthdate(v: &str, out: &mut String) {
    match v.split_once('-') {
        Some((y, _)) => {
            out.push_str(y);
            out.push_str("-**-**");
        }
        None => stars(v.chars().count(), out),
    }
}

/// Initials of each word: `J*** D*****`.
fn words(v: &str, out: &mut String) {
    if v.is_ascii() {
        // Most names and addresses: bytes, not characters.
        let white = |b: &u8| matches!(b, 9..=13 | b' ');
        let mut first = true;
        for w in v.as_bytes().split(white).filter(|w| !w.is_empty()) {
            if !first {
                out.push(' ');
            }
            first = false;
            if w.len() == 1 || w.iter().all(u8::is_ascii_digit) {
                stars(w.len(), out);
            } else {
                out.push(char::from(w[0]));
                stars(w.len() - 1, out);
            }
        }
        return;
    }
    for (i, w) in v.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if w.chars().all(|c| c.is_ascii_digit()) {
            stars(w.len(), out);
        } else {
            keep_ends(w, 1, 0, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask("email", "jean.dupont@example.fr"), "j***@example.fr");
        assert_eq!(
            mask("iban", "FR7630006000011234567890189"),
            "FR76 **** **** **** **** ***0 189"
        );
        assert_eq!(mask("nir", "284127512345642"), "2 84 ** ** *** *** 42");
        assert_eq!(mask("phone", "+33612345678"), "+336******78");
        assert_eq!(mask("card", "4111111111111111"), "**** **** **** 1111");
        assert_eq!(mask("ip", "203.0.113.42"), "203.0.*.*");
        assert_eq!(mask("ip", "2001:db8::1"), "2001:db8:*");
        assert_eq!(mask("birthdate", "1985-03-12"), "1985-**-**");
        assert_eq!(mask("name", "Jean Dupont"), "J*** D*****");
    }

    /// The implementation before masks were written in place, kept to
    /// check that every kind masks exactly as it did.
    mod old {
        fn stars(n: usize) -> String {
            "*".repeat(n)
        }
        fn keep_ends(v: &str, head: usize, tail: usize) -> String {
            let chars: Vec<char> = v.chars().collect();
            if chars.len() <= head + tail {
                return stars(chars.len());
            }
            let mut out: String = chars[..head].iter().collect();
            out.push_str(&stars(chars.len() - head - tail));
            out.extend(&chars[chars.len() - tail..]);
            out
        }
        fn grouped(v: &str, sizes: &[usize]) -> String {
            let chars: Vec<char> = v.chars().collect();
            let mut out = String::new();
            let mut i = 0;
            let mut g = 0;
            while i < chars.len() {
                let size = sizes[g.min(sizes.len() - 1)];
                if !out.is_empty() {
                    out.push(' ');
                }
                out.extend(&chars[i..(i + size).min(chars.len())]);
                i += size;
                g += 1;
            }
            out
        }
        pub fn mask(kind: &str, v: &str) -> String {
            match kind {
                "email" => match v.split_once('@') {
                    Some((local, domain)) => {
                        let first: String = local.chars().take(1).collect();
                        format!("{first}***@{domain}")
                    }
                    None => keep_ends(v, 1, 0),
                },
                "iban" => {
                    let n = v.len();
                    let masked: String = v
                        .char_indices()
                        .map(|(i, c)| if i < 4 || i + 4 >= n { c } else { '*' })
                        .collect();
                    grouped(&masked, &[4])
                }
                "nir" if v.len() == 15 => {
                    format!("{} {} ** ** *** *** {}", &v[..1], &v[1..3], &v[13..])
                }
                "nir" => keep_ends(v, 1, 2),
                "phone" => keep_ends(v, 4, 2),
                "card" => grouped(&keep_ends(v, 0, 4), &[4]),
                "ip" => {
                    if v.contains('.') && !v.contains(':') {
                        let parts: Vec<&str> = v.split('.').collect();
                        if parts.len() == 4 {
                            return format!("{}.{}.*.*", parts[0], parts[1]);
                        }
                    }
                    let groups: Vec<&str> = v.split(':').collect();
                    let shown = groups.len().min(2);
                    format!("{}:*", groups[..shown].join(":"))
                }
                "birthdate" => match v.split_once('-') {
                    Some((y, _)) => format!("{y}-**-**"),
                    None => stars(v.chars().count()),
                },
                "name" | "address" => v
                    .split_whitespace()
                    .map(|w| {
                        if w.chars().all(|c| c.is_ascii_digit()) {
                            stars(w.len())
                        } else {
                            keep_ends(w, 1, 0)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => keep_ends(v, 1, 2),
            }
        }
    }

    #[test]
    fn same_as_before() {
        let kinds = [
            "email",
            "iban",
            "nir",
            "phone",
            "card",
            "ip",
            "birthdate",
            "name",
            "address",
            "other",
        ];
        let values = [
            "",
            "0123456789012345678901234567890123456789012345678901234567890123456789",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "jean.dupont@example.fr",
            "@x",
            "é@ü.fr",
            "FR7630006000011234567890189",
            "GB82WEST12345698765432",
            "BE68539007547034",
            "ÉÈÀÇ1234567890",
            "284127512345642",
            "285012A12345616",
            "2840",
            "+33612345678",
            "+3225551212",
            "4111111111111111",
            "378282246310005",
            "1234",
            "12345",
            "203.0.113.42",
            "1.2.3",
            "1.2.3.4.5",
            "2001:db8::1",
            "::1",
            "::ffff:192.0.2.128",
            "fe80::1ff:fe23:4567:890a",
            "1985-03-12",
            "19850312",
            "Jean Dupont",
            "Élodie  LEFÈVRE",
            "12 rue de la Paix, 75002 Paris",
            "3 allée des Tilleuls, Bât. B, Appt 12, 33000 BORDEAUX",
            " x  y ",
            "\tJean\x0bDupont\r\n12\x0c3 ",
            "4 bis, rue du 8 Mai 1945 75010 Paris",
        ];
        for k in kinds {
            for v in values {
                assert_eq!(mask(k, v), old::mask(k, v), "{k} {v:?}");
            }
        }
    }
}
