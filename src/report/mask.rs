//! Masked values: enough to recognise a value among a person's own, never
//! enough to use it (`j***@example.fr`, `FR76 **** … ***0 189`).

/// The masked form of a normalised `value` of `kind`.
pub fn mask(kind: &str, value: &str) -> String {
    match kind {
        "email" => email(value),
        "iban" => iban(value),
        "nir" => nir(value),
        "phone" => keep_ends(value, 4, 2),
        "card" => card(value),
        "ip" => ip(value),
        "birthdate" => birthdate(value),
        "name" | "address" => words(value),
        _ => keep_ends(value, 1, 2),
    }
}

fn stars(n: usize) -> String {
    "*".repeat(n)
}

/// The first `head` and last `tail` characters, the rest as `*`.
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

fn email(v: &str) -> String {
    match v.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => keep_ends(v, 1, 0),
    }
}

/// Country and check digits, then groups of four, the last four shown.
fn iban(v: &str) -> String {
    let n = v.len();
    let masked: String = v
        .char_indices()
        .map(|(i, c)| if i < 4 || i + 4 >= n { c } else { '*' })
        .collect();
    grouped(&masked, &[4])
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

/// Sex, birth year and key shown: `2 84 ** ** *** *** 42`.
fn nir(v: &str) -> String {
    if v.len() != 15 {
        return keep_ends(v, 1, 2);
    }
    format!("{} {} ** ** *** *** {}", &v[..1], &v[1..3], &v[13..])
}

fn card(v: &str) -> String {
    let masked = keep_ends(v, 0, 4);
    grouped(&masked, &[4])
}

fn ip(v: &str) -> String {
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

/// The year only.
fn birthdate(v: &str) -> String {
    match v.split_once('-') {
        Some((y, _)) => format!("{y}-**-**"),
        None => stars(v.chars().count()),
    }
}

/// Initials of each word: `J*** D*****`.
fn words(v: &str) -> String {
    v.split_whitespace()
        .map(|w| {
            if w.chars().all(|c| c.is_ascii_digit()) {
                stars(w.len())
            } else {
                keep_ends(w, 1, 0)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
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
}
