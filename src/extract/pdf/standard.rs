//! Widths of the standard Type 1 fonts (Helvetica, Times, Courier, and
//! Arial, Times New Roman and Courier New that stand in for them) for simple
//! fonts that give no `Widths`, as pdf.js and poppler use them: assuming
//! every glyph half an em wide measured the gaps between runs wrong
//! (`ABC` then `DEF` drawn right after it read as two words).

use std::collections::HashMap;
use std::sync::OnceLock;

/// Courier's glyphs are all this wide.
const COURIER: f64 = 600.0;

/// Text → width (1/1000 em) of each family of `glyphs/standard14.txt`.
fn families() -> &'static HashMap<&'static str, HashMap<String, f64>> {
    static FAMILIES: OnceLock<HashMap<&'static str, HashMap<String, f64>>> = OnceLock::new();
    FAMILIES.get_or_init(|| {
        include_str!("glyphs/standard14.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut parts = l.split(' ');
                let family = parts.next()?;
                let mut widths = HashMap::new();
                for (name, w) in parts.filter_map(|p| p.split_once('=')) {
                    if let (Some(text), Ok(w)) = (super::glyphs::text(name.as_bytes()), w.parse()) {
                        widths.entry(text).or_insert(w);
                    }
                }
                Some((family, widths))
            })
            .collect()
    })
}

/// The standard family whose widths the font named `base` has.
fn family(base: &[u8]) -> Option<&'static str> {
    let name = String::from_utf8_lossy(base);
    // A subset's tag: "ABCDEF+Arial".
    let name = match name.split_once('+') {
        Some((tag, rest)) if tag.len() == 6 => rest,
        _ => &name,
    };
    let name = name.to_ascii_lowercase().replace([' ', '-', ',', '_'], "");
    if ["narrow", "condensed", "compressed", "black"]
        .iter()
        .any(|w| name.contains(w))
    {
        return None;
    }
    let bold = name.contains("bold");
    let italic = name.contains("italic") || name.contains("oblique");
    if name.starts_with("courier") {
        return Some("Courier");
    }
    if name.starts_with("helvetica") || name.starts_with("arial") {
        return Some(if bold { "Helvetica-Bold" } else { "Helvetica" });
    }
    if name.starts_with("times") {
        return Some(match (bold, italic) {
            (false, false) => "Times-Roman",
            (true, false) => "Times-Bold",
            (false, true) => "Times-Italic",
            (true, true) => "Times-BoldItalic",
        });
    }
    None
}

/// The widths of codes 0–255 of the simple font named `base` whose codes
/// read as `table`, when it is a standard font (0: not known).
pub(super) fn widths(base: &[u8], table: &[String]) -> Option<Vec<f64>> {
    let family = family(base)?;
    if family == "Courier" {
        return Some(vec![COURIER; table.len()]);
    }
    let widths = families().get(family)?;
    Some(
        table
            .iter()
            .map(|t| widths.get(t).copied().unwrap_or(0.0))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn standard_fonts_and_their_stand_ins_have_their_widths() {
        let table: Vec<String> = ["A", "i", " ", "é", "?"].map(String::from).to_vec();
        assert_eq!(
            super::widths(b"Helvetica", &table).unwrap()[..4],
            [667.0, 222.0, 278.0, 556.0]
        );
        assert_eq!(
            super::widths(b"ABCDEF+Arial,Bold", &table).unwrap()[1],
            278.0
        );
        assert_eq!(
            super::widths(b"TimesNewRomanPSMT", &table).unwrap()[0],
            722.0
        );
        assert_eq!(super::widths(b"Courier-Oblique", &table).unwrap()[4], 600.0);
        assert!(super::widths(b"ArialNarrow", &table).is_none());
        assert!(super::widths(b"Garamond", &table).is_none());
    }
}
