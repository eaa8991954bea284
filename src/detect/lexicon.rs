//! The vendored lexicons of `patterns/lexicons/` (see its README for
//! provenance and licences), parsed once on first use.

use crate::model::fold::{fold, fold_word};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

const PRENOMS: &str = include_str!("../../patterns/lexicons/prenoms.txt");
const PRENOMS_INSEE: &str = include_str!("../../patterns/lexicons/prenoms_insee.txt");
const PRENOMS_FAIBLES: &str = include_str!("../../patterns/lexicons/prenoms_faibles.txt");
const NOMS: &str = include_str!("../../patterns/lexicons/noms.txt");
const CODES_POSTAUX: &str = include_str!("../../patterns/lexicons/codes_postaux.tsv");

/// First names, surnames and postal codes.
#[derive(Debug)]
pub struct Lexicons {
    /// Folded first names (`elodie`).
    pub first_names: HashSet<String>,
    /// Folded first names that are also words or common surnames (`olive`,
    /// `abdou`): one only before a surname in capitals.
    pub weak_first_names: HashSet<String>,
    /// Folded surnames.
    pub surnames: HashSet<String>,
    /// Postal code → its communes.
    pub postcodes: Postcodes,
}

/// The communes of each postal code, keyed ([`commune_key`]) the first time
/// the code is looked up: 40,000 names folded at start-up were a third of a
/// scan's start (tens of milliseconds), and a share's addresses use a few
/// hundred codes.
#[derive(Debug, Default)]
pub struct Postcodes {
    codes: HashMap<u32, Communes>,
}

#[derive(Debug, Default)]
struct Communes {
    /// The list's lines for the code, without the code (`Bron|BRON`).
    written: Vec<&'static str>,
    keys: OnceLock<Vec<String>>,
}

impl Postcodes {
    fn parse(list: &'static str) -> Self {
        let mut codes: HashMap<u32, Communes> = HashMap::default();
        for l in lines(list) {
            let Some((code, names)) = l.split_once('\t') else {
                continue;
            };
            if let Ok(code) = code.parse::<u32>() {
                codes.entry(code).or_default().written.push(names);
            }
        }
        Postcodes { codes }
    }

    /// The communes of `code` as [`commune_key`]s, `None` for a code that
    /// is no commune's.
    pub fn get(&self, code: u32) -> Option<&[String]> {
        let c = self.codes.get(&code)?;
        Some(c.keys.get_or_init(|| keys(&c.written)))
    }
}

/// The keys of a code's communes, each once; "Paris 2e Arrondissement" is
/// also written "Paris".
fn keys(written: &[&str]) -> Vec<String> {
    let arrondissement = memchr::memmem::Finder::new(" arrondissement");
    let mut keys: Vec<String> = Vec::new();
    for n in written.iter().flat_map(|w| w.split('|')) {
        let k = commune_key(n);
        let city = arrondissement.find(k.as_bytes()).map(|i| {
            k[..i]
                .rsplit_once(' ')
                .map_or(&k[..i], |(c, _)| c)
                .to_string()
        });
        if !keys.contains(&k) {
            keys.push(k);
        }
        if let Some(city) = city.filter(|c| !keys.contains(c)) {
            keys.push(city);
        }
    }
    keys
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The lexicons (parsed on first call).
pub fn get() -> &'static Lexicons {
    static L: OnceLock<Lexicons> = OnceLock::new();
    L.get_or_init(|| Lexicons {
        first_names: lines(PRENOMS)
            .chain(lines(PRENOMS_INSEE))
            .map(fold_word)
            .collect(),
        weak_first_names: lines(PRENOMS_FAIBLES).map(fold_word).collect(),
        surnames: lines(NOMS).map(fold_word).collect(),
        postcodes: Postcodes::parse(CODES_POSTAUX),
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
        let has = |code: u32, name: &str| {
            l.postcodes
                .get(code)
                .is_some_and(|c| c.iter().any(|k| k == name))
        };
        assert!(has(75002, "paris"));
        assert!(has(42000, "saint etienne"));
        assert!(has(69002, "lyon"));
        assert!(l.postcodes.get(99999).is_none());
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
