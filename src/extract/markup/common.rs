//! What the markup and office readers share: entity references (never
//! expanded from a document type), the line-break stand-in, and the error
//! of a document cut short.

use crate::extract::ExtractError;

/// Stands for a line break inside a paragraph: a line for the detectors, not
/// a new `line` of the location.
pub(crate) const LINE_BREAK: char = '\u{2028}';

/// The error of a document that ends before its last element is closed.
pub(crate) fn truncated(format: &'static str) -> ExtractError {
    ExtractError::Corrupt {
        format,
        message: "ends before its last element is closed (truncated?)".into(),
    }
}

/// The character an entity reference names (`amp`, `#233`, `#xE9`, `eacute`
/// — XML's five and the common HTML ones), without the `&` and `;`.
/// Unknown names give `None`: nothing is ever expanded from a document type.
pub(crate) fn entity(name: &[u8]) -> Option<char> {
    if let Some(num) = name.strip_prefix(b"#") {
        let num = std::str::from_utf8(num).ok()?;
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    let s = std::str::from_utf8(name).ok()?;
    Some(match s {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" | "ldquo" | "rdquo" | "bdquo" => '"',
        "apos" | "rsquo" | "lsquo" => '\'',
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "laquo" => '«',
        "raquo" => '»',
        "ndash" | "mdash" | "minus" | "hyphen" => '-',
        "shy" => '\u{ad}',
        "hellip" => '…',
        "bull" | "middot" => '·',
        "euro" => '€',
        "copy" => '©',
        "reg" => '®',
        "deg" => '°',
        "ordm" => 'º',
        "sect" => '§',
        "commat" => '@',
        "oelig" => 'œ',
        "OElig" => 'Œ',
        "aelig" => 'æ',
        "AElig" => 'Æ',
        "szlig" => 'ß',
        _ => return accented(s),
    })
}

/// `eacute`, `Agrave`, `ccedil`…: a letter and an accent name.
fn accented(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let letter = chars.next()?;
    let lower = match (letter.to_ascii_lowercase(), chars.as_str()) {
        ('a', "grave") => 'à',
        ('a', "acute") => 'á',
        ('a', "circ") => 'â',
        ('a', "uml") => 'ä',
        ('c', "cedil") => 'ç',
        ('e', "grave") => 'è',
        ('e', "acute") => 'é',
        ('e', "circ") => 'ê',
        ('e', "uml") => 'ë',
        ('i', "acute") => 'í',
        ('i', "circ") => 'î',
        ('i', "uml") => 'ï',
        ('n', "tilde") => 'ñ',
        ('o', "acute") => 'ó',
        ('o', "circ") => 'ô',
        ('o', "uml") => 'ö',
        ('u', "grave") => 'ù',
        ('u', "acute") => 'ú',
        ('u', "circ") => 'û',
        ('u', "uml") => 'ü',
        ('y', "uml") => 'ÿ',
        _ => return None,
    };
    Some(if letter.is_ascii_uppercase() {
        lower.to_uppercase().next().unwrap_or(lower)
    } else {
        lower
    })
}

/// An entity reference at the start of `b` (`&…;`): the character and the
/// length of the reference.
pub(super) fn decode_entity(b: &[u8]) -> Option<(char, usize)> {
    let end = b.iter().take(34).position(|&c| c == b';')?;
    let name = b.get(1..end)?;
    if name.is_empty() || !name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'#') {
        return None;
    }
    Some((entity(name)?, end + 1))
}

/// `s` with its entity references decoded (unknown ones kept as written).
pub(super) fn unescape_into(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(j) = memchr::memchr(b'&', &b[i..]).map(|j| i + j) {
        out.push_str(&s[i..j]);
        match decode_entity(&b[j..]) {
            Some((c, len)) => {
                out.push(c);
                i = j + len;
            }
            None => {
                out.push('&');
                i = j + 1;
            }
        }
    }
    out.push_str(&s[i..]);
}
