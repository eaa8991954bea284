//! Column headers that name a kind (`patterns/columns.toml`): "Téléphone",
//! "N° SS", "Date de naissance"… A recognised header types its column so that
//! detectors can trust (and accept bare) values found under it.

use crate::model::fold::fold;
use rustc_hash::FxHashMap;
use serde::Deserialize;

/// The built-in column-header table (`patterns/columns.toml`).
pub const BUILTIN_COLUMNS: &str = include_str!("../../patterns/columns.toml");

/// The role and kind names of `patterns/columns.toml` that code relies on
/// (assembling a row's name and address, typing Nom/Prénom cells).
pub mod roles {
    pub const LAST_NAME: &str = "last_name";
    pub const FIRST_NAME: &str = "first_name";
    pub const ADDRESS: &str = "address";
    pub const ADDRESS_EXTRA: &str = "address_extra";
    pub const POSTCODE: &str = "postcode";
    pub const CITY: &str = "city";
    pub const COMPANY: &str = "company";
    /// The kind of a full address column.
    pub const ADDRESS_KIND: &str = "address";
    /// The kind of a street, complement, postcode or city column.
    pub const ADDRESS_PART_KIND: &str = "address-part";
    /// The kind of a Nom or Prénom column.
    pub const NAME_PART_KIND: &str = "name-part";
}

/// A column-header file that cannot be read as one.
#[derive(Debug, thiserror::Error)]
#[error("column table {file}: {message}")]
pub struct ColumnsError {
    pub file: String,
    pub message: String,
}

/// What a recognised column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRole {
    /// Fine-grained role (`first_name`, `postcode`…), for record assembly.
    pub role: String,
    /// The finding kind its values belong to.
    pub kind: String,
    /// Only a header equal to an alias names it, not one starting with it
    /// (`SIRET`, not `SIRET employeur`).
    pub exact: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnsFile {
    column: Vec<ColumnDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnDef {
    role: String,
    kind: String,
    headers: Vec<String>,
    #[serde(default)]
    exact: bool,
}

/// The header → role table.
#[derive(Debug, Clone, Default)]
pub struct ColumnTable {
    /// (folded alias, role index), longest alias first.
    aliases: Vec<(String, usize)>,
    /// Folded alias → role index of its first entry in `aliases`.
    index: FxHashMap<String, usize>,
    roles: Vec<ColumnRole>,
}

impl ColumnTable {
    /// The table of the built-in file alone (tests).
    #[cfg(test)]
    pub(crate) fn builtin() -> Self {
        ColumnTable::from_sources(&[("columns.toml", BUILTIN_COLUMNS)]).expect("built-in columns")
    }

    /// Builds the table from the built-in file and any extra files.
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<Self, ColumnsError> {
        let mut t = ColumnTable::default();
        for (name, text) in sources {
            let f: ColumnsFile = toml::from_str(text).map_err(|e| ColumnsError {
                file: name.to_string(),
                message: e.to_string(),
            })?;
            for c in f.column {
                let idx = t.roles.len();
                t.roles.push(ColumnRole {
                    role: c.role,
                    kind: c.kind,
                    exact: c.exact,
                });
                t.aliases.extend(c.headers.iter().map(|h| (fold(h), idx)));
            }
        }
        // Later files override earlier ones for equal aliases: stable sort keeps
        // insertion order, so reverse first to let the last definition win.
        t.aliases.reverse();
        t.aliases.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
        for (a, i) in &t.aliases {
            t.index.entry(a.clone()).or_insert(*i);
        }
        Ok(t)
    }

    /// The role named `role` with finding kind `kind`, if the table has it
    /// (how a reader process's column roles are found again).
    pub fn role(&self, role: &str, kind: &str) -> Option<&ColumnRole> {
        self.roles.iter().find(|r| r.role == role && r.kind == kind)
    }

    /// The role a header names, if any.
    pub fn recognize(&self, header: &str) -> Option<&ColumnRole> {
        let h = fold(header);
        if h.is_empty() {
            return None;
        }
        // The longest alias that is the header or its start before a space
        // (every CSV file's header cells are looked up: no scan of the list);
        // an exact role's alias only as the whole header.
        let spaces = memchr::memrchr_iter(b' ', h.as_bytes());
        std::iter::once(h.len())
            .chain(spaces)
            .find_map(|end| {
                self.index
                    .get(&h[..end])
                    .filter(|&&i| end == h.len() || !self.roles[i].exact)
            })
            .map(|i| &self.roles[*i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> ColumnTable {
        ColumnTable::builtin()
    }

    /// The index finds what a scan of the longest-first alias list finds.
    #[test]
    fn index_agrees_with_the_alias_list() {
        let t = table();
        let scan = |header: &str| {
            let h = fold(header);
            t.aliases
                .iter()
                .find(|(a, i)| {
                    h == *a
                        || (!t.roles[*i].exact
                            && h.len() > a.len()
                            && h.starts_with(a.as_str())
                            && h.as_bytes()[a.len()] == b' ')
                })
                .map(|(_, i)| &t.roles[*i])
        };
        let mut checked = 0;
        for (a, _) in &t.aliases {
            for h in [
                a.clone(),
                format!("{a} du locataire"),
                format!("{a}s"),
                format!("x {a}"),
                a.to_uppercase(),
            ] {
                assert_eq!(t.recognize(&h), scan(&h), "{h}");
                checked += usize::from(scan(&h).is_some());
            }
        }
        assert!(checked > 2 * t.aliases.len(), "{checked}");
    }

    #[test]
    fn recognises_french_headers() {
        let t = table();
        let kind = |h: &str| t.recognize(h).map(|r| r.kind.clone());
        assert_eq!(kind("Téléphone").as_deref(), Some("phone"));
        assert_eq!(kind("Tél. portable").as_deref(), Some("phone"));
        assert_eq!(kind("N° SS").as_deref(), Some("nir"));
        assert_eq!(kind("N° sécurité sociale").as_deref(), Some("nir"));
        assert_eq!(kind("Date de naissance").as_deref(), Some("birthdate"));
        assert_eq!(kind("E-mail").as_deref(), Some("email"));
        assert_eq!(kind("Adresse mail").as_deref(), Some("email"));
        assert_eq!(kind("Adresse").as_deref(), Some("address"));
        assert_eq!(kind("Date d'entrée"), None);
        assert_eq!(kind("Nombre"), None);
        assert_eq!(t.recognize("Prénom").expect("test data").role, "first_name");
        assert_eq!(t.recognize("NOM").expect("test data").role, "last_name");
        assert_eq!(
            t.recognize("Code postal").expect("test data").role,
            "postcode"
        );
    }
}
