//! The vendored lexicons of `patterns/lexicons/` (see its README for
//! provenance and licences), parsed once on first use.

use crate::model::fold::{fold, fold_word};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

const PRENOMS: &str = include_str!("../../patterns/lexicons/prenoms.txt");
const PRENOMS_INSEE: &str = include_str!("../../patterns/lexicons/prenoms_insee.txt");
const NOMS: &str = include_str!("../../patterns/lexicons/noms.txt");
const CODES_POSTAUX: &str = include_str!("../../patterns/lexicons/codes_postaux.tsv");

/// First names, surnames and postal codes.
#[derive(Debug)]
pub struct Lexicons {
    /// Folded first names (`elodie`).
    pub first_names: HashSet<String>,
    /// Folded surnames.
    pub surnames: HashSet<String>,
    /// Postal code → its communes, as [`commune_key`]s.
    pub postcodes: HashMap<u32, Vec<String>>,
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The lexicons (parsed on first call).
pub fn get() -> &'static Lexicons {
    static L: OnceLock<Lexicons> = OnceLock::new();
    L.get_or_init(|| {
        let mut postcodes: HashMap<u32, Vec<String>> = HashMap::default();
        let arrondissement = memchr::memmem::Finder::new(" arrondissement");
        for l in lines(CODES_POSTAUX) {
            let Some((code, names)) = l.split_once('\t') else {
                continue;
            };
            let Ok(code) = code.parse::<u32>() else {
                continue;
            };
            let entry = postcodes.entry(code).or_default();
            for n in names.split('|') {
                let k = commune_key(n);
                if !entry.contains(&k) {
                    entry.push(k.clone());
                }
                // "Paris 2e Arrondissement" is written "Paris".
                if let Some(i) = arrondissement.find(k.as_bytes()) {
                    let city = k[..i]
                        .rsplit_once(' ')
                        .map_or(&k[..i], |(c, _)| c)
                        .to_string();
                    if !entry.contains(&city) {
                        entry.push(city);
                    }
                }
            }
        }
        Lexicons {
            first_names: lines(PRENOMS)
                .chain(lines(PRENOMS_INSEE))
                .map(fold_word)
                .collect(),
            surnames: lines(NOMS).map(fold_word).collect(),
            postcodes,
        }
    })
}

/// A commune name as compared: folded, "St"/"Ste" spelt out, "Cedex" and
/// its number dropped (`ST-ÉTIENNE CEDEX 2` → `saint etienne`).
pub fn commune_key(name: &str) -> String {
    let folded = fold(name);
    // Most names have none of these words (40,000 are keyed at start-up).
    if !folded
        .split(' ')
        .any(|w| matches!(w, "st" | "ste" | "cedex"))
    {
        return folded;
    }
    let mut words: Vec<&str> = Vec::new();
    for w in folded.split(' ') {
        if w == "cedex" {
            break;
        }
        words.push(match w {
            "st" => "saint",
            "ste" => "sainte",
            other => other,
        });
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads() {
        let l = get();
        assert!(l.first_names.contains("elodie"));
        // From INSEE's list: first names common in France today.
        for n in ["awa", "emre", "mai", "duc", "zeynep", "boubacar", "siham"] {
            assert!(l.first_names.contains(n), "{n}");
        }
        assert!(l.first_names.len() > 2000);
        assert!(l.postcodes[&75002].contains(&"paris".to_string()));
        assert!(l.postcodes[&42000].contains(&"saint etienne".to_string()));
        assert_eq!(commune_key("ST-ÉTIENNE CEDEX 2"), "saint etienne");
    }

    #[test]
    fn fast_fold_is_text_fold() {
        let mut samples: Vec<String> = (0u32..0x250)
            .filter_map(char::from_u32)
            .map(|c| format!("a{c}b {c}{c}-É"))
            .collect();
        samples.extend(
            [
                "",
                "  ",
                "N° Sécurité-Sociale",
                "ST-ÉTIENNE CEDEX 2",
                "L'Haÿ-les-Roses",
                "Œuvre Ærø ß",
                "e\u{301}cole",
                "Paris 2e Arrondissement",
                "½ ² µ ª",
                "Jean\u{a0}Dupont",
            ]
            .map(String::from),
        );
        for (i, line) in lines(CODES_POSTAUX).enumerate() {
            if i % 7 == 0 {
                samples.push(line.to_string());
            }
        }
        for s in &samples {
            assert_eq!(
                crate::model::fold::fold(s),
                crate::model::fold::fold_nfd(s),
                "{s:?}"
            );
        }
    }
}
