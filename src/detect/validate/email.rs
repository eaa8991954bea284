//! E-mail addresses, minus URL credentials (`https://user:pass@host`) and
//! retina image names (`logo@2x.png`).

use super::Candidate;

/// File extensions that end `name@2x.png`-like strings, never a TLD in use for mail.
const FILE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "css", "js", "tif", "tiff", "pdf",
    "mp4", "woff", "woff2", "ttf",
];

/// Words of role mailboxes (`contact@`, `accueil@`, `gestion.locative@`,
/// `ne-pas-repondre@`): a service's address, not a person's (the output contract's
/// "generic mailboxes"). A local part made only of these is one. Sorted.
const ROLE_WORDS: &[&str] = &[
    "abuse",
    "accueil",
    "admin",
    "administration",
    "agence",
    "alerte",
    "alertes",
    "astreinte",
    "bonjour",
    "candidature",
    "candidatures",
    "client",
    "clientele",
    "clients",
    "commercial",
    "communication",
    "compta",
    "comptabilite",
    "contact",
    "contacts",
    "courrier",
    "daf",
    "demandes",
    "dg",
    "direction",
    "dpo",
    "drh",
    "emploi",
    "equipe",
    "facturation",
    "factures",
    "gardien",
    "gardiens",
    "general",
    "generale",
    "gestion",
    "hello",
    "help",
    "helpdesk",
    "hotline",
    "info",
    "information",
    "informations",
    "infos",
    "juridique",
    "locataire",
    "locataires",
    "location",
    "locative",
    "logement",
    "logements",
    "loyer",
    "loyers",
    "maintenance",
    "mairie",
    "marketing",
    "ne",
    "newsletter",
    "no",
    "noreply",
    "notification",
    "notifications",
    "paie",
    "pas",
    "postmaster",
    "presse",
    "quittances",
    "reclamation",
    "reclamations",
    "recouvrement",
    "recrutement",
    "relation",
    "relations",
    "reply",
    "repondre",
    "reservation",
    "rgpd",
    "rh",
    "sales",
    "sav",
    "secretariat",
    "service",
    "services",
    "siege",
    "sinistres",
    "standard",
    "support",
    "syndic",
    "technique",
    "travaux",
    "urgence",
    "webmaster",
];

/// Confidence factor of a role mailbox: below the default `--min-confidence`.
const ROLE_FACTOR: f32 = 0.3;

/// `Some(factor)` for a plausible e-mail address (a role mailbox gets
/// [`ROLE_FACTOR`]), `None` otherwise.
pub fn check(c: &Candidate, v: &str) -> Option<f32> {
    if !valid(c, v) {
        return None;
    }
    let local = v.rsplit_once('@').map_or(v, |(l, _)| l);
    Some(if role_mailbox(local) {
        ROLE_FACTOR
    } else {
        1.0
    })
}

/// The local part (lower case) of a role mailbox: made only of
/// [`ROLE_WORDS`], before any `+tag`. Numbered accounts (`client42@`) are
/// people's.
pub(crate) fn role_mailbox(local: &str) -> bool {
    let local = local.split_once('+').map_or(local, |(l, _)| l);
    local
        .split(['.', '-', '_'])
        .all(|w| ROLE_WORDS.binary_search(&w).is_ok())
}

/// May stand in the local part of an e-mail address (as the e-mail
/// pattern's `[A-Za-z0-9._%+-]`).
pub(crate) fn email_local(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// An address written percent-encoded in a URL, decoded and in lower case:
/// `%40` is its `@`, `%2B` a `+` (the pattern matches no other escape).
pub(crate) fn url_decoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (decoded, len) = if after.starts_with("40") {
            ('@', 3)
        } else if after.starts_with("2B") || after.starts_with("2b") {
            ('+', 3)
        } else {
            ('%', 1)
        };
        out.push(decoded);
        rest = &rest[i + len..];
    }
    out.push_str(rest);
    out.make_ascii_lowercase();
    out
}

/// True when `line` gives an organisation's contact: a website written as
/// such (`www.…`, not inside a link: `https://www.…/?tel=06…` in a log
/// line carries a person's number) or a role mailbox (`contact@…`). A
/// number on such a line (a letterhead, a footer, "contactez votre agence
/// au … ou contact@…") is the organisation's, not a person's.
pub(crate) fn organisation_contact_line(line: &[u8]) -> bool {
    // Lines have few `w`s (French has few): no substring searcher is built.
    let website = memchr::memchr_iter(b'w', line).any(|i| {
        line[i..].starts_with(b"www.")
            && (i == 0 || matches!(line[i - 1], b' ' | b'\t' | b'(' | b':'))
    });
    if website {
        return true;
    }
    memchr::memchr_iter(b'@', line).any(|at| {
        let start = line[..at]
            .iter()
            .rposition(|&b| !email_local(b))
            .map_or(0, |i| i + 1);
        // ASCII (the bytes of a local part), lower-cased on the stack.
        let mut buf = [0u8; 64];
        let local = &line[start..at];
        if local.is_empty() || local.len() > buf.len() {
            return false;
        }
        let lower = &mut buf[..local.len()];
        lower.copy_from_slice(local);
        lower.make_ascii_lowercase();
        std::str::from_utf8(lower).is_ok_and(role_mailbox)
    })
}

/// True for a plausible e-mail address.
fn valid(c: &Candidate, v: &str) -> bool {
    let Some((local, domain)) = v.rsplit_once('@') else {
        return false;
    };
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return false;
    }
    let tld = domain.rsplit('.').next().unwrap_or("");
    if FILE_EXTENSIONS.contains(&tld) || machine_id(local) {
        return false;
    }
    let before = c.before();
    // The end of a longer local part that was rejected ("x:Gx7-pass@…").
    if before.last().is_some_and(|&b| email_local(b)) {
        return false;
    }
    // URL credentials: the token the address sits in has "://" and then a
    // ':' ("ftp://user:pass@host").
    let token_start = before
        .iter()
        .rposition(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'<' | b'(' | b'\''))
        .map_or(0, |i| i + 1);
    let token = &before[token_start..];
    if let Some(i) = token.windows(3).position(|w| w == b"://") {
        if token[i + 3..].contains(&b':') {
            return false;
        }
    }
    true
}

/// True for a local part that is a machine's identifier, no one's mailbox: a
/// UUID (a calendar event's `UID:…@host`, a message's id) or a long run of
/// hex digits.
fn machine_id(local: &str) -> bool {
    let b = local.as_bytes();
    let uuid = b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        });
    let hex_run = b.len() >= 24 && b.iter().all(u8::is_ascii_hexdigit);
    uuid || hex_run
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_ids_are_no_mailboxes() {
        assert!(machine_id("0ea0d895-354a-4391-9bf3-6d56f7444261"));
        assert!(machine_id("4a450652ce8ddf2287c29790c8b2c596"));
        assert!(!machine_id("jean.dupont"));
        assert!(!machine_id("deadbeef"));
        assert!(!machine_id("0ea0d895-354a-4391-9bf3-6d56f744426"));
    }

    #[test]
    fn url_decoding_takes_only_its_two_escapes() {
        assert_eq!(
            url_decoded("Jean%2BHlm%40Exemple.FR"),
            "jean+hlm@exemple.fr"
        );
        assert_eq!(url_decoded("a%20b%40c.fr"), "a%20b@c.fr");
        assert_eq!(url_decoded("fin%"), "fin%");
        assert_eq!(url_decoded("x%4"), "x%4");
        assert_eq!(url_decoded("é%40é.fr"), "é@é.fr");
    }

    fn confidence_factor(text: &str) -> Option<f32> {
        let c = Candidate {
            hay: text,
            start: 0,
            end: text.len(),
        };
        check(&c, &text.to_lowercase())
    }

    #[test]
    fn role_mailboxes_get_a_low_factor() {
        assert!(
            ROLE_WORDS.windows(2).all(|w| w[0] < w[1]),
            "keep ROLE_WORDS sorted"
        );
        for role in [
            "contact@habitat-exemple.fr",
            "accueil@example.fr",
            "gestion.locative@example.fr",
            "ne-pas-repondre@example.fr",
            "direction.generale@example.fr",
            "gardien@example.fr",
            "no-reply@example.com",
            "Recouvrement@example.fr",
            "contact+presse@example.fr",
        ] {
            assert_eq!(confidence_factor(role), Some(ROLE_FACTOR), "{role}");
        }
        for person in [
            "jean.dupont@example.fr",
            "contact.dupont@example.fr",
            "m.martin@example.fr",
            "leila.mercier@habitat-exemple.fr",
            "client42@example.fr",
        ] {
            assert_eq!(confidence_factor(person), Some(1.0), "{person}");
        }
        assert_eq!(confidence_factor("logo@2x.png"), None);
    }
}
