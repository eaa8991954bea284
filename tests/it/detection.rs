//! Detection wherever people write personal data (issue 20, points 3–7):
//! results that never depend on `--kinds`, address blocks beside a
//! letterhead, initials and signatures, names in file and folder names,
//! phones as forms hold them, and the decoys that look like identifiers.

use crate::util::{fixtures, scan_revealed, Dir, Run};
use std::collections::BTreeSet;

/// (file, location, value) of every finding of `kind`.
fn of_kind(run: &Run, kind: &str) -> BTreeSet<String> {
    run.of_type("finding")
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| format!("{} {} {}", f["path"], f["location"], f["value"]))
        .collect()
}

/// The values of `kind`, sorted.
fn values(run: &Run, kind: &str) -> Vec<String> {
    let mut v: Vec<String> = run
        .of_type("finding")
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| f["value"].as_str().unwrap_or_default().to_string())
        .collect();
    v.sort();
    v
}

/// (value, confidence) of the findings of `kind`.
fn weighed(run: &Run, kind: &str) -> Vec<(String, f64)> {
    run.of_type("finding")
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| {
            (
                f["value"].as_str().unwrap_or_default().to_string(),
                f["confidence"].as_f64().unwrap_or_default(),
            )
        })
        .collect()
}

/// Asserts the (value, confidence) of the findings of `kind`, in order.
fn assert_weighed(run: &Run, kind: &str, want: &[(&str, f64)]) {
    let want: Vec<(String, f64)> = want.iter().map(|(v, c)| (v.to_string(), *c)).collect();
    assert_eq!(weighed(run, kind), want);
}

fn scan_text(name: &str, text: &str, extra: &[&str]) -> Run {
    let dir = Dir::new();
    dir.file(name, text);
    let run = scan_revealed(dir.path(), extra);
    run.assert_code(0);
    run
}

#[test]
fn a_kind_finds_the_same_whatever_else_kinds_asks_for() {
    let root = fixtures();
    let all = scan_revealed(&root, &["--min-confidence", "0"]);
    let kinds: BTreeSet<String> = all
        .of_type("finding")
        .iter()
        .filter_map(|f| f["kind"].as_str().map(str::to_string))
        .collect();
    assert!(kinds.contains("name") && kinds.contains("address") && kinds.contains("phone"));
    for kind in &kinds {
        let alone = scan_revealed(&root, &["--min-confidence", "0", "--kinds", kind]);
        assert_eq!(of_kind(&alone, kind), of_kind(&all, kind), "--kinds {kind}");
    }
    let pair = scan_revealed(&root, &["--min-confidence", "0", "--kinds", "name,address"]);
    for kind in ["name", "address"] {
        assert_eq!(
            of_kind(&pair, kind),
            of_kind(&all, kind),
            "--kinds name,address"
        );
    }
}

#[test]
fn an_address_after_a_phone_on_its_line_is_found_with_every_kind() {
    // A short number runs into the street's number: the phone pattern saw
    // `04 78 12 34 14`, and the address was lost with every kind asked.
    let text = "Tél : 04 78 12 34 14 avenue Jean Jaurès 69007 Lyon\n\
                Mobile 0612345678 - 5 rue Paul Bert, 69003 Lyon\n";
    for kinds in [None, Some("address"), Some("name,address")] {
        let mut extra = vec!["--min-confidence", "0"];
        if let Some(k) = kinds {
            extra.extend(["--kinds", k]);
        }
        let run = scan_text("fiche.txt", text, &extra);
        assert_eq!(
            values(&run, "address"),
            [
                "14 avenue Jean Jaurès, 69007 Lyon",
                "5 rue Paul Bert, 69003 Lyon"
            ],
            "{kinds:?}"
        );
    }
}

#[test]
fn a_tenants_block_beside_the_letterhead_is_the_tenants_address() {
    // A PDF's text: the tenant's block on the left, the letterhead on the right.
    let text = "Mme Lucie Bertrand                HABITAT EXEMPLE\n\
                27 rue des Glycines               Service Contentieux\n\
                38000 Grenoble                    1 place de la Mairie\n\
                \x20                                 69001 Lyon\n\
                \x20                                 www.habitat-exemple.fr\n\n\
                Objet : relance\n";
    let run = scan_text("lettre.txt", text, &[]);
    assert_eq!(
        weighed(&run, "address"),
        [("27 rue des Glycines, 38000 Grenoble".to_string(), 0.9)]
    );
    // Followed by the letterhead, line after line.
    let text = "Mme Lucie Bertrand\n27 rue des Glycines\n38000 Grenoble\n\
                Habitat Exemple\n1 place de la Mairie\n69001 Lyon\n\
                Tél : 04 72 00 00 00 - www.habitat-exemple.fr\n\nMadame,\n";
    let run = scan_text("lettre.txt", text, &[]);
    assert_eq!(
        values(&run, "address"),
        ["27 rue des Glycines, 38000 Grenoble"]
    );
}

#[test]
fn initials_and_staff_signatures_are_people() {
    let text = "Bonjour T. Schmitt,\n\nMerci de votre retour.\n\n\
                Madame A. Leduc\n\
                Le dossier suit son cours ; voir le rapport de S. Freud.\n\n\
                Cordialement,\nNoémi Carre / Comptable\n\n\
                M. J.-P. Durand\n12 rue J. Moulin\n";
    let run = scan_text("courrier.txt", text, &[]);
    assert_eq!(
        values(&run, "name"),
        ["A. Leduc", "J.-P. Durand", "Noémi Carre", "T. Schmitt"]
    );
}

#[test]
fn names_in_file_and_folder_names_are_findings_of_their_component() {
    let dir = Dir::new();
    dir.file("RH/CV_Caron_Monique.docx", "sans contenu lisible");
    dir.file("Scans/CNI_DUPONT_Jean.pdf", "%PDF-1.4\n");
    dir.file("Locataires/LEMAITRE Christelle/bail.txt", "Bail signé.\n");
    dir.file("Compta/Factures_2023/Rapport_Final.txt", "Bilan.\n");
    dir.file("Scans/attestation_185057800608491.txt", "Attestation.\n");
    let run = scan_revealed(dir.path(), &[]);
    let mut names: Vec<(String, String)> = run
        .of_type("finding")
        .iter()
        .filter(|f| f["kind"] == "name" || f["kind"] == "nir")
        .map(|f| {
            (
                f["value"].as_str().unwrap_or_default().to_string(),
                f["location"]["path_component"].to_string(),
            )
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("185057800608491".to_string(), "1".to_string()),
            ("Christelle LEMAITRE".to_string(), "1".to_string()),
            ("Jean DUPONT".to_string(), "1".to_string()),
            ("Monique Caron".to_string(), "1".to_string()),
        ]
    );
    // `subject` finds the person named by a file name only.
    let run = crate::util::pdscout([
        "subject".as_ref(),
        "-q".as_ref(),
        "--name".as_ref(),
        "Monique Caron".as_ref(),
        dir.path().as_os_str(),
    ]);
    let found = run.of_type("finding");
    assert_eq!(found.len(), 1, "{}", run.stdout());
    assert_eq!(found[0]["location"]["path_component"], 1);
    assert!(found[0]["path"]
        .as_str()
        .unwrap_or_default()
        .ends_with("CV_Caron_Monique.docx"));
}

#[test]
fn a_member_name_in_an_archive_names_its_person() {
    let dir = Dir::new();
    let bytes =
        crate::hostile_budget::zip_of(&[("Dossiers/Bail_Nadia_BENALI.txt", b"Bail.\n")], false);
    dir.file("archives.zip", bytes);
    let run = scan_revealed(dir.path(), &[]);
    let f = run.of_type("finding");
    assert_eq!(f.len(), 1, "{}", run.stdout());
    assert_eq!(f[0]["value"], "Nadia BENALI");
    assert_eq!(f[0]["entry"], "Dossiers/Bail_Nadia_BENALI.txt");
    assert_eq!(f[0]["location"]["path_component"], 1);
}

#[test]
fn unallocated_numbers_where_a_phone_is_expected_and_foreign_numbers() {
    let text = "Tél : 07 12 34 56 78\n\
                Appelez le 07 02 03 04 05 demain.\n\
                Mobile : +212 6 61 23 45 67\n\
                Téléphone : +30 21 0 1234567\n\
                tel +351 912 345 678\n\
                Portable : 06 12 34 56 78\n";
    let run = scan_text("fiche.txt", text, &[]);
    let phones = weighed(&run, "phone");
    let conf = |v: &str| phones.iter().find(|(p, _)| p == v).map(|(_, c)| *c);
    let unallocated = conf("+33712345678").expect("a typed number beside Tél");
    let allocated = conf("+33612345678").expect("a mobile");
    assert!(unallocated > 0.35 && unallocated < allocated, "{phones:?}");
    assert!(conf("+33702030405").is_none(), "no phone expected there");
    for v in ["+212661234567", "+302101234567", "+351912345678"] {
        assert!(conf(v).is_some(), "{v}: {phones:?}");
    }
    // A phone column holds one too.
    let run = scan_text("contacts.csv", "Nom;Téléphone\nMartin;0712345678\n", &[]);
    assert_eq!(values(&run, "phone"), ["+33712345678"]);
}

#[test]
fn decoys_are_not_identifiers() {
    let text = "# Changelog\n\n## 2.9.13.100 - 2021-10-23\n- correctif\n\n\
                ### [3.4.12.201] (2022-01-05)\n\n\
                Code EAN : 4545355098534\n\
                Aspirateur sans sac 4545355098534 149,90 €\n\
                Appelez le 0123456789.\n\
                ISBN 0198526636\n\
                device_id=4000000000000000006\n\
                Écrire à ivan@xn--d1acufc.xn--p1ai\n";
    let run = scan_text("divers.md", text, &["--min-confidence", "0"]);
    let kinds: Vec<(String, String)> = run.kind_values();
    assert_eq!(
        kinds,
        [("email".to_string(), "ivan@xn--d1acufc.xn--p1ai".to_string())]
    );
}

#[test]
fn an_address_percent_encoded_in_a_logged_url_is_an_e_mail() {
    let log = "192.0.2.15 - - [10/May/2024:02:25:53 +0200] \"GET /extranet/mot-de-passe?email=capucine_reynaud%40outlook.com&lang=fr HTTP/1.1\" 302 7466\n\
               192.0.2.16 - - [10/May/2024:02:26:01 +0200] \"GET /newsletter?adresse=Jean.Dupont%2Bhlm%40Exemple.FR HTTP/1.1\" 200 512\n\
               192.0.2.17 - - [10/May/2024:02:26:09 +0200] \"GET /recherche?q=chauffage%20collectif%40batiment HTTP/1.1\" 200 88\n\
               192.0.2.18 - - [10/May/2024:02:26:12 +0200] \"GET /img/logo%402x.png HTTP/1.1\" 200 4096\n";
    let run = scan_text("access.log", log, &["--kinds", "email"]);
    assert_eq!(
        values(&run, "email"),
        ["capucine_reynaud@outlook.com", "jean.dupont+hlm@exemple.fr"]
    );
    // The located text is the encoded address as written.
    let columns: Vec<u64> = run
        .of_type("finding")
        .iter()
        .map(|f| f["location"]["column"].as_u64().unwrap())
        .collect();
    assert_eq!(columns, [79, 70]);
    // An access request by the decoded address finds the line.
    let dir = Dir::new();
    dir.file("access.log", log);
    let subject = crate::util::pdscout([
        "subject".into(),
        "-q".into(),
        "--email".into(),
        "capucine_reynaud@outlook.com".into(),
        dir.path().as_os_str().to_owned(),
    ]);
    subject.assert_code(0);
    let strong: Vec<_> = subject
        .of_type("finding")
        .into_iter()
        .filter(|f| f["match"] == "strong")
        .map(|f| f["location"]["line"].clone())
        .collect();
    assert_eq!(strong, [1]);
}

#[test]
fn people_named_by_their_role_in_a_record_are_names_companies_are_not() {
    // Neither "Dorin" nor "Stoica" is in the bundled name lists: the key
    // says the value is a person.
    let ndjson = "{\"id\": 1, \"intervenant\": \"Dorin Stoica\", \"entreprise\": \"Nettoyage Reynaud Services\"}\n\
                  {\"id\": 2, \"gardien\": \"Zhu Qiong\", \"proprietaire\": \"SCI Les Tilleuls\"}\n";
    let run = scan_text("interventions.ndjson", ndjson, &["--kinds", "name"]);
    assert_eq!(values(&run, "name"), ["Dorin Stoica", "Zhu Qiong"]);
}

#[test]
fn a_title_and_a_surname_in_a_name_column_is_the_surname() {
    let csv = "id;locataire;ville\n\
               1;Mme DUPONT;Lyon\n\
               2;M. et Mme Martin;Lyon\n\
               3;M. & Mme Leroy;Lyon\n\
               4;Monsieur Bernard Petit;Lyon\n\
               5;Madame la Directrice;Lyon\n\
               6;M. Dupont SARL;Lyon\n\
               7;Mme;Lyon\n";
    let run = scan_text("locataires.csv", csv, &["--kinds", "name"]);
    assert_weighed(
        &run,
        "name",
        &[
            ("DUPONT", 0.85),
            ("Martin", 0.85),
            ("Leroy", 0.85),
            ("Bernard Petit", 0.9),
        ],
    );
}

#[test]
fn a_phone_sent_by_a_form_in_a_logged_url_is_found() {
    let log = "192.0.2.15 - - [10/May/2024:02:25:53 +0200] \"GET /rappel?nom=Martin&tel=06+12+34+56+78 HTTP/1.1\" 200 512\n\
               192.0.2.16 - - [10/May/2024:02:26:01 +0200] \"GET /rappel?telephone=04%2072%2010%2020%2030&motif=fuite HTTP/1.1\" 200 512\n\
               192.0.2.17 - - [10/May/2024:02:26:09 +0200] \"GET /page?id=06+12+34+56 HTTP/1.1\" 200 88\n";
    let run = scan_text("access.log", log, &["--kinds", "phone"]);
    assert_eq!(values(&run, "phone"), ["+33472102030", "+33612345678"]);
}

#[test]
fn rows_pasted_in_a_note_without_their_header_give_their_addresses() {
    let note = "Contacts à rappeler :\n\
                DUPONT;Jean;12 rue des Lilas;69003 Lyon;06 12 34 56 78\n\
                MARTIN;Claire;5 avenue Jean Jaurès;69007;LYON;07 56 12 34 56\n\
                SARL Plomberie Rey;8 rue de la Gare;69100;Villeurbanne;04 72 00 00 00\n\
                total;12;69003;Lyon\n\
                Adresse : 3 rue Garibaldi;69006 Lyon\n";
    let run = scan_text(
        "note.txt",
        note,
        &["--kinds", "address", "--min-confidence", "0"],
    );
    assert_weighed(
        &run,
        "address",
        &[
            ("12 rue des Lilas, 69003 Lyon", 0.9),
            ("5 avenue Jean Jaurès, 69007 LYON", 0.9),
            // A company's row: low.
            ("8 rue de la Gare, 69100 Villeurbanne", 0.3),
            ("3 rue Garibaldi, 69006 Lyon", 0.9),
        ],
    );
}

#[test]
fn the_account_a_suppliers_invoice_asks_to_be_paid_to_is_not_a_persons() {
    let dir = Dir::new();
    dir.file(
        "facture.txt",
        "PLOMBERIE DURAND SARL\n12 rue de l'Industrie\n44800 Saint-Herblain\n\
         SIRET 552 100 554 00025 – TVA FR40552100554\n\n\
         FACTURE N° F2024-118      du 12/03/2024\n\
         Client : Habitat Loire, 3 quai Ceineray, 44000 Nantes\n\
         Remplacement mitigeur     1   180,00 €\n\
         Règlement par virement : FR76 3000 6000 0112 3456 7890 189 – BIC AGRIFRPP\n",
    );
    // A rent notice debits the tenant's account; a payslip pays the
    // employee's; a file about an applicant lists an invoice among its
    // papers: each account is a person's.
    dir.file(
        "avis.txt",
        "AVIS D'ÉCHÉANCE – FACTURE N° 2024-03\nHabitat Loire – SIRET 272 900 016 00015\n\
         Locataire : Mme Rose Le Bihan\nMontant prélevé le 5 avril sur le compte\n\
         FR14 2004 1010 0505 0001 3M02 606\n",
    );
    dir.file(
        "paie.txt",
        "BULLETIN DE PAIE – mars 2024\nHabitat Loire – SIRET 272 900 016 00015\n\
         Salarié : Marin Tessier\nNet payé par virement : DE89 3704 0044 0532 0130 00\n",
    );
    dir.file(
        "dossier.txt",
        "CONTRÔLE DES PIÈCES\nDemandeur : M. Pascal Olive\n\
         IBAN fourni : GB82 WEST 1234 5698 7654 32\nSIRET employeur : 552 100 554 00025\n\
         Facture du 10/05/2024 n° FA548530\n",
    );
    let run = scan_revealed(dir.path(), &["--kinds", "iban", "--min-confidence", "0"]);
    run.assert_code(0);
    let mut got: Vec<String> = run
        .of_type("finding")
        .iter()
        .map(|f| format!("{} {} {}", f["path"], f["value"], f["confidence"]))
        .collect();
    got.sort();
    let path = |n: &str| dir.path().join(n).display().to_string();
    assert_eq!(
        got,
        [
            format!(
                "\"{}\" \"FR1420041010050500013M02606\" 0.99",
                path("avis.txt")
            ),
            format!(
                "\"{}\" \"GB82WEST12345698765432\" 0.99",
                path("dossier.txt")
            ),
            format!(
                "\"{}\" \"FR7630006000011234567890189\" 0.3",
                path("facture.txt")
            ),
            format!("\"{}\" \"DE89370400440532013000\" 0.99", path("paie.txt")),
        ]
    );
}

#[test]
fn what_a_form_sent_in_a_logged_query_string_is_found_once() {
    let log = "88.54.50.22 - - [06/May/2024:08:01:19 +0200] \"GET /recherche?nom=Van+den+Broeck&prenom=Marin&ok=1 HTTP/1.1\" 200 5864 \"-\" \"Mozilla/5.0\"\n\
               90.89.89.32 - - [06/May/2024:08:18:13 +0200] \"GET /demande?adresse=81+all%C3%A9e+des+Tanneurs&cp=44470&ville=Carquefou&ddn=14%2F05%2F1991 HTTP/1.1\" 200 27506 \"-\" \"Mozilla/5.0\"\n\
               77.10.192.13 - - [06/May/2024:08:20:30 +0200] \"GET /inscription?email=marin.vdb%40free.fr&tel=06+24+16+00+00&mobile=%2B33694470861 HTTP/1.1\" 404 19 \"-\" \"Mozilla/5.0\"\n\
               77.10.192.14 - - [06/May/2024:08:21:30 +0200] \"GET /quittances?annee=2024&page=2 HTTP/1.1\" 200 19 \"-\" \"Mozilla/5.0\"\n";
    let run = scan_text("portail_access.log", log, &[]);
    let mut got: Vec<String> = run
        .of_type("finding")
        .iter()
        .filter(|f| f["kind"] != "ip")
        .map(|f| {
            let l = &f["location"];
            let kind = f["kind"].as_str().unwrap_or_default();
            format!("{kind} {} {}:{}", f["value"], l["line"], l["column"])
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            // Each at its value's line and column; the e-mail and the
            // first phone found in the line itself, not again decoded.
            "address \"81 allée des Tanneurs, 44470 Carquefou\" 2:68",
            "birthdate \"1991-05-14\" 2:124",
            "email \"marin.vdb@free.fr\" 3:71",
            "name \"Marin Van den Broeck\" 1:66",
            "phone \"+33624160000\" 3:95",
            "phone \"+33694470861\" 3:117",
        ]
    );
}

#[test]
fn the_employers_siret_under_its_address_leaves_the_employees_beside_it_alone() {
    let payslip = "EMPLOYEUR                           SALARIÉ\n\
                   Habitat Loire Océan                 Mme Marie-Josée PICHON\n\
                   3 boulevard de Berlin               85 quai de la Fosse\n\
                   44000 Nantes                        44400 Rezé\n\
                   SIRET 87995291925946                Matricule : 55599\n";
    let run = scan_text(
        "bulletin.txt",
        payslip,
        &["--kinds", "address", "--min-confidence", "0"],
    );
    assert_weighed(&run, "address", &[("85 quai de la Fosse, 44400 Rezé", 0.9)]);
}

#[test]
fn a_first_name_that_is_a_month_counts_among_other_name_words() {
    let note = "Locataire : Mme Thi Mai NGUYEN\n\
                Présente : Mme Nguyen Thi Mai (bât. C)\n\
                Réunion du 12 Mai 2024 avec Mme Martin\n";
    let run = scan_text("note.txt", note, &["--kinds", "name"]);
    assert_eq!(
        values(&run, "name"),
        ["Martin", "Thi Mai NGUYEN", "Thi Mai Nguyen"]
    );
}

#[test]
fn a_first_name_that_is_a_word_or_a_surname_counts_beside_a_surname_in_capitals() {
    let note = "Comptable : Olive MARCHAIS, poste 6041\n\
                KANE Abdou (gardien)\n\
                Florin DIMITROV Technicien\n\
                Huile d'Olive vierge, Olive Marchais, Abdou Kane\n\
                ÉCHÉANCIER Avril 2024, Colline VERTE SARL\n";
    let run = scan_text("annuaire.txt", note, &["--kinds", "name"]);
    assert_eq!(
        values(&run, "name"),
        ["Abdou KANE", "Florin DIMITROV", "Olive MARCHAIS"]
    );
}

#[test]
fn an_addressee_under_a_letterhead_and_a_form_with_labels_give_their_addresses() {
    let letter = "HABITAT LOIRE OCÉAN\n\
                  Agence de Saint-Nazaire – 12 avenue de la République, 44600 Saint-Nazaire\n\
                  Tél. 02 40 22 51 00 – www.habitat-loire-ocean.fr\n\
                  SIRET 87995291925946\n\
                  Madame Nour Haddou\n\
                  39 boulevard Jean Moulin\n\
                  44110 Châteaubriant\n\n\
                  Fiche locataire\nAdresse\n137 rue Anne de Bretagne\nCode postal / Ville\n44200 Nantes\n";
    let run = scan_text(
        "lettre.txt",
        letter,
        &["--kinds", "address", "--min-confidence", "0"],
    );
    assert_weighed(
        &run,
        "address",
        &[
            // The letterhead's, a company's.
            ("12 avenue de la République, 44600 Saint-Nazaire", 0.3),
            ("39 boulevard Jean Moulin, 44110 Châteaubriant", 0.9),
            ("137 rue Anne de Bretagne, 44200 Nantes", 0.9),
        ],
    );
}

#[test]
fn a_database_dumps_rows_give_names_addresses_and_birth_dates() {
    let dump = "-- MySQL dump 10.13\n\
                INSERT INTO `locataires` (`id`, `nom`, `prenom`, `date_naissance`, `adresse`, `cp`, `ville`) VALUES\n\
                (1000,'NGUYEN','Mai','1991-05-14','14 rue Jules Verne','44600','SAINT-NAZAIRE'),\n\
                (1003,'N''GUESSAN','Ioana','2002-10-06','129 boulevard de la Légion d''Honneur',NULL,NULL);\n\
                INSERT INTO `interventions` (`id`, `date`, `montant`) VALUES (1,'2024-05-02','120.00');\n";
    let run = scan_text("gestloc.sql", dump, &["--kinds", "name,address,birthdate"]);
    assert_eq!(values(&run, "name"), ["Ioana N'GUESSAN", "Mai NGUYEN"]);
    assert_eq!(
        values(&run, "address"),
        [
            "129 boulevard de la Légion d'Honneur",
            "14 rue Jules Verne, 44600 SAINT-NAZAIRE"
        ]
    );
    assert_eq!(values(&run, "birthdate"), ["1991-05-14", "2002-10-06"]);
}
