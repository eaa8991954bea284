//! The kinds of personal data, as the pattern files declare them: how a
//! value of each is masked and whether it is sensitive (counted apart in
//! reports: a NIR, an IBAN or a card number can be used against the person
//! on its own). A new kind is one pattern file (`--patterns DIR`): its header
//! says `mask = "…"`, `sensitive = true|false`, `label = "…"` (its name
//! in French reports), `per_person = N` (how many values one person has)
//! and `shared = true` (a value many share), read here; the rest of
//! the file is the detectors' (`detect::pattern`).

use serde::Deserialize;
use std::sync::RwLock;

/// The built-in pattern files, compiled into the binary (one per kind).
pub const BUILTIN_PATTERNS: &[(&str, &str)] = &[
    ("email.toml", include_str!("../../patterns/email.toml")),
    ("iban.toml", include_str!("../../patterns/iban.toml")),
    ("nir.toml", include_str!("../../patterns/nir.toml")),
    ("phone.toml", include_str!("../../patterns/phone.toml")),
    ("ip.toml", include_str!("../../patterns/ip.toml")),
    (
        "birthdate.toml",
        include_str!("../../patterns/birthdate.toml"),
    ),
    ("card.toml", include_str!("../../patterns/card.toml")),
    ("name.toml", include_str!("../../patterns/name.toml")),
    ("address.toml", include_str!("../../patterns/address.toml")),
    (
        "id_document.toml",
        include_str!("../../patterns/id_document.toml"),
    ),
    ("tax_id.toml", include_str!("../../patterns/tax_id.toml")),
];

/// How a value is masked in reports (see [`crate::model::mask`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MaskStyle {
    /// `j***@example.fr`.
    Email,
    /// `FR76 **** **** **** **** ***0 189`.
    Iban,
    /// `2 84 ** ** *** *** 42`.
    Nir,
    /// `+336******78`.
    Phone,
    /// `**** **** **** 1111`.
    Card,
    /// `192.168.*.*`.
    Ip,
    /// `1984-**-**`.
    Year,
    /// `J*** D*****`.
    Initials,
    /// The first character and the last two.
    #[default]
    Ends,
}

/// What the registry knows of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kind {
    pub name: String,
    pub mask: MaskStyle,
    pub sensitive: bool,
    /// The name French reports give it (`téléphone`), when not its own.
    pub label: Option<String>,
    /// How many values of it one person usually has (one IBAN, a mobile
    /// and a landline): more in one record may be someone else's.
    pub per_person: Option<usize>,
    /// A value others share (a birth date): matching it alone says little.
    pub shared: bool,
}

/// The kind-level keys of a pattern file (the rest is ignored here).
#[derive(Deserialize)]
struct Header {
    kind: String,
    #[serde(default)]
    mask: MaskStyle,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    per_person: Option<usize>,
    #[serde(default)]
    shared: bool,
}

/// The kinds in force: the built-in ones, then those registered from
/// `--patterns` files (a later file redefines a kind).
static REGISTRY: RwLock<Vec<Kind>> = RwLock::new(Vec::new());

/// Reads the kind-level keys of a pattern file's TOML text.
pub fn header(text: &str) -> Result<Kind, toml::de::Error> {
    let h: Header = toml::from_str(text)?;
    Ok(Kind {
        name: h.kind,
        mask: h.mask,
        sensitive: h.sensitive,
        label: h.label,
        per_person: h.per_person,
        shared: h.shared,
    })
}

fn with<T>(f: impl FnOnce(&[Kind]) -> T) -> T {
    {
        let r = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
        if !r.is_empty() {
            return f(&r);
        }
    }
    let mut w = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    if w.is_empty() {
        // The built-in files parse (a test checks it): the keys are theirs.
        w.extend(BUILTIN_PATTERNS.iter().filter_map(|(_, t)| header(t).ok()));
    }
    f(&w)
}

/// Adds (or redefines) a kind, from a pattern file given with `--patterns`.
pub fn register(kind: Kind) {
    with(|_| ());
    let mut w = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    match w.iter_mut().find(|k| k.name == kind.name) {
        Some(k) => *k = kind,
        None => w.push(kind),
    }
}

/// How values of `kind` are masked ([`MaskStyle::Ends`] for a kind no
/// pattern file declares).
pub fn mask_style(kind: &str) -> MaskStyle {
    with(|ks| {
        ks.iter()
            .find(|k| k.name == kind)
            .map_or(MaskStyle::Ends, |k| k.mask)
    })
}

/// The name of `kind` in French reports: its `label`, else the kind itself.
pub fn label(kind: &str) -> String {
    with(|ks| {
        ks.iter()
            .find(|k| k.name == kind)
            .and_then(|k| k.label.clone())
            .unwrap_or_else(|| kind.to_string())
    })
}

/// How many values of `kind` one person usually has ([`Kind::per_person`]).
pub fn per_person(kind: &str) -> Option<usize> {
    with(|ks| {
        ks.iter()
            .find(|k| k.name == kind)
            .and_then(|k| k.per_person)
    })
}

/// Whether values of `kind` are shared by many people ([`Kind::shared`]).
pub fn shared(kind: &str) -> bool {
    with(|ks| ks.iter().any(|k| k.name == kind && k.shared))
}

/// The names of the kinds in force, in registry order.
pub fn names() -> Vec<String> {
    with(|ks| ks.iter().map(|k| k.name.clone()).collect())
}

/// The sensitive kinds in force, in registry order.
pub fn sensitive() -> Vec<String> {
    with(|ks| {
        ks.iter()
            .filter(|k| k.sensitive)
            .map(|k| k.name.clone())
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_kinds_declare_their_mask_and_sensitivity() {
        let kinds: Vec<Kind> = BUILTIN_PATTERNS
            .iter()
            .map(|(n, t)| header(t).unwrap_or_else(|e| panic!("{n}: {e}")))
            .collect();
        let style = |n: &str| kinds.iter().find(|k| k.name == n).map(|k| k.mask);
        assert_eq!(style("email"), Some(MaskStyle::Email));
        assert_eq!(style("name"), Some(MaskStyle::Initials));
        assert_eq!(style("birthdate"), Some(MaskStyle::Year));
        let label = |n: &str| {
            kinds
                .iter()
                .find(|k| k.name == n)
                .and_then(|k| k.label.clone())
        };
        assert_eq!(label("phone").as_deref(), Some("téléphone"));
        assert_eq!(label("address").as_deref(), Some("adresse"));
        let mut s: Vec<&str> = kinds
            .iter()
            .filter(|k| k.sensitive)
            .map(|k| k.name.as_str())
            .collect();
        s.sort_unstable();
        assert_eq!(s, ["card", "iban", "id_document", "nir", "tax_id"]);
    }

    #[test]
    fn a_registered_kind_is_masked_its_way() {
        register(Kind {
            name: "test_kind_x".into(),
            mask: MaskStyle::Card,
            sensitive: true,
            label: None,
            per_person: Some(1),
            shared: false,
        });
        assert_eq!(per_person("test_kind_x"), Some(1));
        assert_eq!(per_person("phone"), Some(2));
        assert!(shared("birthdate") && !shared("nir"));
        assert_eq!(mask_style("test_kind_x"), MaskStyle::Card);
        assert!(sensitive().contains(&"test_kind_x".to_string()));
        assert_eq!(mask_style("no_such_kind"), MaskStyle::Ends);
    }
}
