//! Values made of several cells of one table row (CSV, sheet, JSON/XML
//! object): a name from its Nom and Prénom cells, an address from its street,
//! complement, postcode and city cells. A company's address (a supplier
//! table, a row naming a legal form) is kept but lowered below the default
//! threshold: it is not a person's.

use super::Engine;
use crate::model::columns::roles;
use crate::model::fold::collapse_spaces;
use crate::model::RowCell;

/// The confidence of an address in a company's row, at most: reported only
/// with `--min-confidence` lowered.
pub const COMPANY_ADDRESS_CONFIDENCE: f32 = 0.3;

/// A value assembled from a row, located at the cell `at` of the row.
#[derive(Debug, Clone, PartialEq)]
pub struct Assembled {
    /// The engine's pattern (the name or the address detector).
    pub pattern: usize,
    pub value: String,
    pub confidence: f32,
    pub at: usize,
}

/// The names and addresses a row's typed cells make together.
pub fn assemble(engine: &Engine, cells: &[RowCell<'_>]) -> Vec<Assembled> {
    let mut out = Vec::new();
    let cell = |role: &str| {
        cells
            .iter()
            .position(|c| c.role.is_some_and(|r| r.role == role))
    };
    let text = |role: &str| cell(role).map(|i| cells[i].text);
    if let (Some((pid, names)), Some(last)) = (engine.names(), cell(roles::LAST_NAME)) {
        if let Some((value, confidence)) =
            names.from_cells(cells[last].text, text(roles::FIRST_NAME))
        {
            out.push(Assembled {
                pattern: pid,
                value,
                confidence,
                at: last,
            });
        }
    }
    let (Some((pid, addresses)), Some(street)) = (engine.addresses(), cell(roles::ADDRESS)) else {
        return out;
    };
    // A full address in one cell was found in the cell itself.
    let has_postcode = cells[street]
        .text
        .as_bytes()
        .windows(5)
        .any(|w| w.iter().all(u8::is_ascii_digit));
    if has_postcode {
        return out;
    }
    // Numbered lines (`ligne1: Bât. B`, `ligne2: 85 rue des Glycines`): the
    // street is the line that reads as one; the lines keep their order.
    let (line, extra) = (cells[street].text, text(roles::ADDRESS_EXTRA));
    let first = extra.filter(|e| !addresses.is_street(line) && addresses.is_street(e));
    let found = match first {
        Some(street_line) => addresses
            .from_cells(street_line, None, text(roles::POSTCODE), text(roles::CITY))
            .map(|(v, c)| match collapse_spaces(line) {
                l if l.is_empty() => (v, c),
                l => (format!("{l}, {v}"), c),
            }),
        // Alone in its row, a cell must read as a street: under a
        // `Logement` header a flat's reference (`B12`) is no address.
        // (The cells' emptiness told first: it is cheaper.)
        None if [roles::POSTCODE, roles::CITY]
            .iter()
            .all(|r| text(r).is_none_or(|t| t.trim().is_empty()))
            && !addresses.is_street(line) =>
        {
            None
        }
        // A complement written before the street (`batiment` then
        // `adresse` in a record) leads the address, as on an envelope.
        None if cell(roles::ADDRESS_EXTRA).is_some_and(|e| e < street) => addresses
            .from_cells(line, None, text(roles::POSTCODE), text(roles::CITY))
            .map(|(v, c)| match extra.map(collapse_spaces) {
                Some(e) if !e.is_empty() => (format!("{e}, {v}"), c),
                _ => (v, c),
            }),
        None => addresses.from_cells(line, extra, text(roles::POSTCODE), text(roles::CITY)),
    };
    if let Some((value, confidence)) = found {
        let others = cells
            .iter()
            .filter(|c| {
                c.role.is_none_or(|r| {
                    r.kind != roles::ADDRESS_KIND && r.kind != roles::ADDRESS_PART_KIND
                })
            })
            .map(|c| c.text);
        let confidence = if company_table(cells) || addresses.row_is_company(others) {
            confidence.min(COMPANY_ADDRESS_CONFIDENCE)
        } else {
            confidence
        };
        out.push(Assembled {
            pattern: pid,
            value,
            confidence,
            at: street,
        });
    }
    out
}

/// A supplier list: a company (SIRET) column and no Nom or Prénom column (an
/// employee table may give its establishment's SIRET).
pub fn company_table(cells: &[RowCell<'_>]) -> bool {
    let has = |wanted: &[&str]| {
        cells
            .iter()
            .any(|c| c.role.is_some_and(|r| wanted.contains(&r.role.as_str())))
    };
    has(&[roles::COMPANY]) && !has(&[roles::LAST_NAME, roles::FIRST_NAME])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::columns::ColumnTable;
    use crate::model::location::Origin;

    fn engine() -> Engine {
        let files = super::super::pattern::builtin().expect("built-in patterns");
        Engine::new(&files, None).expect("built-in patterns")
    }

    /// The row `values` under the headers `headers`.
    fn assembled(headers: &[&str], values: &[&str]) -> Vec<(String, f32)> {
        let table = ColumnTable::builtin();
        let cells: Vec<RowCell<'_>> = headers
            .iter()
            .zip(values)
            .enumerate()
            .map(|(i, (h, v))| RowCell {
                text: v,
                role: table.recognize(h),
                origin: Origin::Field {
                    line: 2,
                    field: i as u64 + 1,
                },
            })
            .collect();
        assemble(&engine(), &cells)
            .into_iter()
            .map(|a| (a.value, a.confidence))
            .collect()
    }

    #[test]
    fn a_tenant_row_gives_a_name_and_an_address() {
        let found = assembled(
            &["Nom", "Prénom", "Adresse", "CP", "Ville"],
            &["DUPONT", "Jean", "12 rue des Lilas", "69003", "Lyon"],
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].0.contains("Jean") && found[0].0.contains("DUPONT"));
        assert!(found[1].0.starts_with("12 rue des Lilas"), "{found:?}");
        assert!(found[1].1 > COMPANY_ADDRESS_CONFIDENCE);
    }

    #[test]
    fn a_dwelling_cell_alone_must_read_as_a_street() {
        // A flat's reference under `Logement`, no postcode nor city: nothing.
        assert_eq!(
            assembled(&["Logement", "Observation"], &["B12", "voir commentaire"]),
            []
        );
        let found = assembled(&["Logement", "Solde"], &["14 rue des Acacias", "120,00"]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].0.starts_with("14 rue des Acacias"), "{found:?}");
    }

    #[test]
    fn a_supplier_row_address_is_lowered() {
        let found = assembled(
            &["Raison sociale", "SIRET", "Adresse", "CP", "Ville"],
            &[
                "Plomberie Martin",
                "73282932000074",
                "5 rue du Port",
                "69002",
                "Lyon",
            ],
        );
        let address = found.iter().find(|(v, _)| v.contains("rue du Port"));
        assert_eq!(
            address.map(|a| a.1 <= COMPANY_ADDRESS_CONFIDENCE),
            Some(true),
            "{found:?}"
        );
    }

    #[test]
    fn numbered_address_lines_in_either_order() {
        let found = assembled(
            &["ligne1", "ligne2", "cp", "commune"],
            &["Bât. B", "85 rue des Glycines", "69100", "Villeurbanne"],
        );
        assert_eq!(
            found.first().map(|f| f.0.as_str()),
            Some("Bât. B, 85 rue des Glycines, 69100 Villeurbanne")
        );
        let found = assembled(
            &["adresse1", "adresse2", "code_postal", "ville"],
            &["12 rue des Lilas", "Appt 4", "69003", "Lyon"],
        );
        assert_eq!(
            found.first().map(|f| f.0.as_str()),
            Some("12 rue des Lilas, Appt 4, 69003 Lyon")
        );
    }

    #[test]
    fn an_address_cell_with_its_postcode_is_left_to_the_cell() {
        let found = assembled(&["Adresse"], &["12 rue des Lilas 69003 Lyon"]);
        assert!(found.is_empty(), "{found:?}");
    }
}
