//! Issue 20, second round: YAML exports read as records (as JSON objects
//! are), a lone `|` quote marker, rows pasted in text, two-column letters
//! whose recipient stands right of the letterhead, the organisation's
//! switchboard quoted in replies, SIRETs in a text table's column, and
//! country codes in brackets.

use crate::util::{found, scan_revealed, Dir};

#[test]
fn yaml_mappings_are_records_like_json_objects() {
    let dir = Dir::new();
    dir.file(
        "exports/menages.yaml",
        "# export\n\
         defaults:\n  bailleur: &b\n    raison_sociale: Habitat Exemple\n    adresse: 1 place de l'Hôtel de Ville\n    code_postal: '69001'\n    ville: Lyon\n\
         menages:\n\
         \x20 - titulaire:\n      lastName: GRONDIN\n      firstName: \"Marie\"\n\
         \x20   logement:\n      adresse: 102 ter impasse du Moulin\n      code_postal: 76000\n      ville: Rouen\n\
         \x20   occupants:\n      - {nom: Petit, prenom: Léa, ne_le: 2011-05-04}\n\
         \x20   bailleur: *b\n    version: 4.11.6.157\n",
    );
    dir.file(
        "exports/flux.yml",
        "---\nNom: Martin\nPrénom: Paul\nAdresse: { rue: '3 rue des Lilas', CP: 69003, Ville: Lyon }\n\
         Téléphone: 06 12 34 56 78\n---\nNOM: BENALI\nPRENOM: Karim\n",
    );
    let run = scan_revealed(dir.path(), &[]);
    run.assert_code(0);
    assert_eq!(
        found(&run, "name"),
        ["Karim BENALI", "Léa Petit", "Marie GRONDIN", "Paul Martin"]
    );
    // The landlord's block is a company's (below the default threshold).
    assert_eq!(
        found(&run, "address"),
        [
            "102 ter impasse du Moulin, 76000 Rouen",
            "3 rue des Lilas, 69003 Lyon"
        ]
    );
    assert_eq!(found(&run, "birthdate"), ["2011-05-04"]);
    assert_eq!(found(&run, "phone"), ["+33612345678"]);
    assert!(found(&run, "ip").is_empty(), "a version is no address");
    let formats: Vec<String> = run
        .of_type("file")
        .iter()
        .map(|f| f["format"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(formats, ["yaml", "yaml"]);
    // Located at the value's line.
    let grondin = run
        .of_type("finding")
        .into_iter()
        .find(|f| f["value"] == "Marie GRONDIN")
        .unwrap();
    assert_eq!(grondin["location"]["line"], 10);
}

#[test]
fn yaml_aliases_are_not_expanded_and_broken_yaml_is_read_as_text() {
    let dir = Dir::new();
    // A billion laughs: each level names the one before ten times.
    let mut lol = String::from("a: &a [\"lol\", \"lol\"]\n");
    for (i, c) in ('b'..='j').enumerate() {
        let prev = (b'a' + i as u8) as char;
        lol.push_str(&format!(
            "{c}: &{c} [{}]\n",
            vec![format!("*{prev}"); 10].join(", ")
        ));
    }
    lol.push_str("contact: jean.dupont@example.org\n");
    dir.file("lol.yaml", lol);
    dir.file(
        "casse.yml",
        "nom: Grondin\nprenom: Marie\n  mauvais: [retrait\n\
         Écrire à marie.grondin@example.org\n",
    );
    let run = scan_revealed(dir.path(), &[]);
    assert_eq!(
        found(&run, "email"),
        ["jean.dupont@example.org", "marie.grondin@example.org"]
    );
    let errors = run.errors_of("casse.yml");
    assert!(
        errors.iter().any(|e| e.contains("read as plain text")),
        "{errors:?}"
    );
    assert!(
        !errors.iter().any(|e| e.contains("Grondin")),
        "no data in notes"
    );
}

#[test]
fn a_lone_pipe_quote_marker_and_rows_pasted_in_text() {
    let dir = Dir::new();
    dir.file(
        "mails/reponse.txt",
        "Le 12/03/2024, Marie Grondin a écrit :\n| Bonjour,\n| Mme Marie GRONDIN\n| 112 avenue de la Liberté\n| 74000 Annecy\n",
    );
    dir.file(
        "notes/contacts.txt",
        "Contacts relogement\nNom;Prénom;Téléphone;Observation\nROGER;Sylvie;06 48 02 98 12;rappeler\n\
         HENRY;Gérard;(+221) 78 158 25 22;ok\n",
    );
    let run = scan_revealed(dir.path(), &[]);
    run.assert_code(0);
    assert_eq!(
        found(&run, "address"),
        ["112 avenue de la Liberté, 74000 Annecy"]
    );
    let names = found(&run, "name");
    for n in ["Gérard HENRY", "Marie GRONDIN", "Sylvie ROGER"] {
        assert!(names.contains(&n.to_string()), "{n} in {names:?}");
    }
    assert_eq!(found(&run, "phone"), ["+221781582522", "+33648029812"]);
}

#[test]
fn a_recipient_right_of_the_letterhead_whatever_the_kinds() {
    let letter = "HABITAT EXEMPLE\nAgence Est\n\
                  24 avenue Henri Barbusse        Madame Khadija EL IDRISSI\n\
                  69100 Villeurbanne              82 bd des Frères Lumière\n\
                  Tél. 04 72 10 20 30             42300 Roanne\n";
    let dir = Dir::new();
    dir.file("lettre.txt", letter);
    for kinds in [None, Some("name,address"), Some("name"), Some("address")] {
        let extra: Vec<&str> = kinds.map(|k| vec!["--kinds", k]).unwrap_or_default();
        let run = scan_revealed(dir.path(), &extra);
        if kinds != Some("address") {
            assert_eq!(found(&run, "name"), ["Khadija EL IDRISSI"], "{kinds:?}");
        }
        if kinds != Some("name") {
            assert_eq!(
                found(&run, "address"),
                ["82 bd des Frères Lumière, 42300 Roanne"],
                "{kinds:?}"
            );
        }
    }
}

#[test]
fn the_switchboard_quoted_in_replies_is_the_organisations() {
    let dir = Dir::new();
    dir.file(
        "mails/re.txt",
        "De : Gaëtan Nguyen <g.nguyen@habitat-exemple.fr>\nBonjour,\nLe plombier passera jeudi.\n\n\
         Gaëtan Nguyen\nHabitat Exemple – 04 72 10 20 30\n\n\
         Le 15/11/2024, Nathan Giraud a écrit :\n> Mon fixe : 04 78 12 34 56\n\
         > > Habitat Exemple – 04 72 10 20 30\n",
    );
    let run = scan_revealed(dir.path(), &[]);
    assert_eq!(found(&run, "phone"), ["+33478123456"]);
    let low = scan_revealed(dir.path(), &["--min-confidence", "0"]);
    assert_eq!(
        found(&low, "phone"),
        ["+33472102030", "+33472102030", "+33478123456"]
    );
}

#[test]
fn sirets_in_a_text_tables_column_are_not_cards() {
    let dir = Dir::new();
    dir.file(
        "all.txt",
        "2024-10-27T15:47:07 INFO job=2512 done\n\
         N° commande;Date;Fournisseur;SIRET;Montant HT\n\
         CMD-2024-190080;17/10/2024;Menuiseries Léonard;30075249008315;779,54\n\
         CMD-2023-475354;03/08/2023;Propreté Urbaine;36373690864581;100 260,65\n\
         SIRET : 30075249008315\n\
         Carte : 3007 524900 8315 exp 12/27\n",
    );
    let run = scan_revealed(dir.path(), &["--kinds", "card"]);
    run.assert_code(0);
    // The card written as a card, with its label, is still one.
    assert_eq!(found(&run, "card"), ["30075249008315"]);
    let cards = run.of_type("finding");
    assert_eq!(cards[0]["location"]["line"], 6);
}
