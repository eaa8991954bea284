//! Cases the 200 MB single-file benchmark corpus (CSV exports pasted into
//! one text file, far from their headers) found and session 16 fixed.

use crate::util::{scan_revealed, Dir};

#[test]
fn pasted_order_and_journal_rows_give_no_card_and_no_reference_surname() {
    let dir = Dir::new();
    // Order rows whose SIRET has a Diners prefix (36, 39) and passes Luhn,
    // journal rows whose supplier is followed by its piece reference, and a
    // tenant row: only the tenant's values are personal data.
    let text = "CMD-2022-233750;07/12/2022;Ascenseurs Réunis;39972423410179;27 620,46;99,03;facturée;9844\n\
                CMD-2025-926086;10/12/2025;Ascenseurs Réunis;36920439575959;50,13;7,20;facturée;4654\n\
                AC;Journal;754310;20230111;401000;Fournisseurs;F64887;Menuiseries Léonard;PC2023-10151;20230111;Facture 5715860 lot 6054;0,00;17,54\n\
                BQ;Journal;541595;20210718;401000;Fournisseurs;F51332;Propreté Urbaine;PC2021-58825;20210718;Facture 5640208 lot 5400;0,00;51 127,83\n\
                BAILLY;Hervé;1978-02-01;06 53 73 20 17;herve.bailly@example.fr\n";
    let path = dir.file("export_colle.txt", text);
    let found = scan_revealed(&path, &[]).kind_values();
    assert!(!found.iter().any(|(k, _)| k == "card"), "{found:?}");
    let names: Vec<&str> = found
        .iter()
        .filter(|(k, _)| k == "name")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(names, ["Hervé BAILLY"], "{found:?}");
    assert!(found
        .iter()
        .any(|(k, v)| k == "email" && v == "herve.bailly@example.fr"));
    // The same number is a card where a card is spoken of, or printed 4-6-4.
    let card = dir.file(
        "carte.txt",
        "Payé par carte Diners 36920439575959.\nDiners 3692 043957 5959\n",
    );
    let cards: Vec<String> = scan_revealed(&card, &[])
        .kind_values()
        .into_iter()
        .filter(|(k, _)| k == "card")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(cards, ["36920439575959", "36920439575959"]);
}

#[test]
fn a_delimited_export_saved_as_text_is_read_as_a_table() {
    let dir = Dir::new();
    let header = "Nom;Prénom;Date de naissance;Téléphone;Adresse;CP;Ville\n";
    let row = "BAILLY;Hervé;1978-02-01;06 53 73 20 17;17 rue des Tilleuls;30000;Nîmes\n";
    for name in ["export_locataires.txt", "EXTRACTION"] {
        let path = dir.file(name, format!("{header}{row}"));
        let run = scan_revealed(&path, &[]);
        let file = &run.of_type("file")[0];
        assert_eq!(file["format"], "csv", "{name}");
        let found = run.kind_values();
        for (kind, value) in [
            ("address", "17 rue des Tilleuls, 30000 Nîmes"),
            ("birthdate", "1978-02-01"),
            ("name", "Hervé BAILLY"),
        ] {
            assert!(
                found.iter().any(|(k, v)| k == kind && v == value),
                "{name}: {kind} {value}: {found:?}"
            );
        }
    }
    // Text that only holds `;` or tabs stays text: a note with a pasted
    // list under a sentence, a letter laid out in two columns, a log (each
    // with a finding, so that its file record is written).
    for (name, text) in [
        (
            "note.txt",
            "Contacts du conseil :\nDUPONT;Jean;06 12 34 56 78\nMARTIN;Julie;06 98 76 54 32\n",
        ),
        (
            "courrier.txt",
            "Habitat Exemple\t\tM. Jean DUPONT\n1 place Bellecour\t\t12 rue des Lilas\n",
        ),
        (
            "app.log",
            "2024-03-01 10:00:01 | INFO | login jean.dupont@example.fr\n2024-03-01 10:00:02 | INFO | job done\n",
        ),
    ] {
        let path = dir.file(name, text);
        let run = scan_revealed(&path, &[]);
        assert_eq!(run.of_type("file")[0]["format"], "text", "{name}");
    }
}
