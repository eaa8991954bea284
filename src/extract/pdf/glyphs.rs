//! Glyph names → text: the Adobe Glyph List (vendored in `glyphs/`), the
//! `uniXXXX` and `uXXXX` forms and ligatures named by their parts (`f_f_i`),
//! as the AGL specification reads names. Simple fonts' `Differences`, Type 1
//! and CFF programs' own encodings and Type 3 fonts name their glyphs so.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Name → Unicode scalar values (hex, space-separated), read once.
fn list() -> &'static HashMap<&'static str, &'static str> {
    static LIST: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("glyphs/glyphlist.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(';'))
            .collect()
    })
}

/// The text of a glyph name; `None` for names that say nothing (`g123`).
pub(super) fn text(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    // "eacute.sc", "a.alt": the part before the first period names the glyph.
    let name = name.split('.').next().unwrap_or(name);
    if name.is_empty() {
        return None;
    }
    let mut out = String::new();
    for part in name.split('_') {
        out.push_str(&component(part)?);
    }
    Some(out)
}

/// One component of a glyph name.
fn component(name: &str) -> Option<String> {
    // Ligatures as their letters (detectors and searches see "fi", not "ﬁ");
    // the minus as the hyphen that identifiers and dates use.
    let own = match name {
        "fi" | "fl" | "ff" | "ffi" | "ffl" => Some(name),
        "minus" | "hyphenminus" => Some("-"),
        _ => None,
    };
    if let Some(t) = own {
        return Some(t.into());
    }
    // Small capitals ("Asmall") are the letters, not the private-use code
    // points the list gives them.
    if let Some(base) = name.strip_suffix("small").filter(|b| !b.is_empty()) {
        if base.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
            return component(base).map(|t| t.to_lowercase());
        }
    }
    if let Some(hex) = list().get(name) {
        return hex
            .split(' ')
            .map(|h| char::from_u32(u32::from_str_radix(h, 16).ok()?))
            .collect();
    }
    if let Some(hex) = name.strip_prefix("uni") {
        // uniXXXX, or several code units in a row (uniXXXXYYYY).
        if hex.is_empty() || hex.len() % 4 != 0 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let units: Vec<u16> = (0..hex.len())
            .step_by(4)
            .map(|i| u16::from_str_radix(&hex[i..i + 4], 16).ok())
            .collect::<Option<_>>()?;
        return char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .ok();
    }
    let hex = name
        .strip_prefix('u')
        .filter(|h| (4..=6).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit()))?;
    Some(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?.to_string())
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn names_read_as_the_glyph_list_says() {
        assert_eq!(text(b"eacute").as_deref(), Some("é"));
        assert_eq!(text(b"OE").as_deref(), Some("Œ"));
        assert_eq!(text(b"ccaron").as_deref(), Some("č"));
        assert_eq!(text(b"uring").as_deref(), Some("ů"));
        assert_eq!(text(b"afii10017").as_deref(), Some("А"));
        assert_eq!(text(b"uni00E0").as_deref(), Some("à"));
        assert_eq!(text(b"uni00660069").as_deref(), Some("fi"));
        assert_eq!(text(b"u1F600").as_deref(), Some("😀"));
        assert_eq!(text(b"zero").as_deref(), Some("0"));
        assert_eq!(text(b"f_f_i").as_deref(), Some("ffi"));
        assert_eq!(text(b"fi").as_deref(), Some("fi"));
        assert_eq!(text(b"Esmall").as_deref(), Some("e"));
        assert_eq!(text(b"a.sc").as_deref(), Some("a"));
        assert_eq!(text(b"g123"), None);
        assert_eq!(text(b"union"), Some("∪".into()));
        assert_eq!(text(b"unixyz"), None);
    }
}
