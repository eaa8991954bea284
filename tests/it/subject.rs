//! `pdscout subject`: one person's data wherever and however it is written,
//! with the other data of the same record, and never a look-alike's.
//!
//! `fixtures/subject/`: Jean Dupont (jean.dupont@example.fr, 06 12 34 56 78,
//! FR76 3000 6000 0112 3456 7890 189, NIR 1 84 12 75 123 456 40) in a tenant
//! export and a letter, next to Jeanne Dupont and Jean Dupond.

use crate::util::{fixtures, pdscout};
use std::collections::BTreeSet;

type Hit = (String, String, String, String, u64);

fn hits(extra: &[&str]) -> (BTreeSet<Hit>, crate::util::Run) {
    let mut args: Vec<String> = vec!["subject".into(), "-q".into(), "--reveal".into()];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(fixtures().join("subject").display().to_string());
    let run = pdscout(args);
    let set = run
        .of_type("finding")
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            (
                f["match"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
                f["value"].as_str().unwrap().to_string(),
                path.rsplit('/').next().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    (set, run)
}

fn hit(m: &str, kind: &str, value: &str, file: &str, line: u64) -> Hit {
    (m.into(), kind.into(), value.into(), file.into(), line)
}

#[test]
fn a_name_finds_the_person_and_their_records_not_look_alikes() {
    let (got, run) = hits(&["--name", "Jean Dupont"]);
    run.assert_code(0);
    let want: BTreeSet<Hit> = [
        hit("strong", "name", "Jean DUPONT", "locataires.csv", 2),
        hit(
            "record",
            "email",
            "jean.dupont@example.fr",
            "locataires.csv",
            2,
        ),
        hit("record", "phone", "+33612345678", "locataires.csv", 2),
        hit(
            "record",
            "iban",
            "FR7630006000011234567890189",
            "locataires.csv",
            2,
        ),
        hit("strong", "name", "Jean DUPONT", "courrier_dupont.txt", 4),
        hit(
            "record",
            "address",
            "12 rue de la Paix, 75002 Paris",
            "courrier_dupont.txt",
            5,
        ),
        // The NIR (line 13) is in another paragraph of a letter that also
        // names the adviser Sophie Girard: not drawn into the record.
        hit("weak", "name", "J. Dupont", "courrier_dupont.txt", 29),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, want);
}

#[test]
fn identifiers_match_however_written() {
    let (got, _) = hits(&[
        "--email",
        "JEAN.DUPONT@example.fr",
        "--phone",
        "+33 6 12 34 56 78",
    ]);
    assert!(got.contains(&hit(
        "strong",
        "email",
        "jean.dupont@example.fr",
        "locataires.csv",
        2
    )));
    assert!(got.contains(&hit("strong", "phone", "+33612345678", "locataires.csv", 2)));
    assert!(got.contains(&hit("record", "name", "Jean DUPONT", "locataires.csv", 2)));
    assert!(!got
        .iter()
        .any(|h| h.2.contains("jeanne") || h.2.contains("Dupond")));
    let (got, _) = hits(&[
        "--iban",
        "fr7630006000011234567890189",
        "--nir",
        "184127512345640",
    ]);
    assert!(got.contains(&hit(
        "strong",
        "iban",
        "FR7630006000011234567890189",
        "locataires.csv",
        2
    )));
    assert!(got.contains(&hit(
        "strong",
        "nir",
        "184127512345640",
        "courrier_dupont.txt",
        13
    )));
}

#[test]
fn a_look_alike_is_not_the_subject() {
    let (got, _) = hits(&["--name", "Jeanne Dupont"]);
    assert!(got.contains(&hit("strong", "name", "Jeanne DUPONT", "locataires.csv", 3)));
    assert!(got.contains(&hit(
        "strong",
        "name",
        "Jeanne Dupont",
        "courrier_jeanne.txt",
        1
    )));
    assert!(!got
        .iter()
        .any(|h| h.2.contains("jean.dupont") || h.2 == "Jean DUPONT"));
}

#[test]
fn no_identifier_is_a_usage_error() {
    pdscout(["subject", "fixtures"]).assert_code(2);
    pdscout(["subject", "--iban", "FR00 nope", "fixtures"]).assert_code(2);
}

#[test]
fn html_checklist_and_csv_for_it() {
    let dir = fixtures().join("subject").display().to_string();
    let html = pdscout([
        "subject",
        "-q",
        "--name",
        "Jean Dupont",
        "--format",
        "html",
        &dir,
    ]);
    html.assert_code(0);
    let page = html.stdout();
    assert!(page.contains("Demande d'accès ou d'effacement"));
    assert!(page.contains("effacé / anonymisé"));
    assert!(page.contains("courrier_dupont.txt") && page.contains("locataires.csv"));
    assert!(
        !page.contains("Jean Dupont") && !page.contains("jean.dupont@"),
        "values masked"
    );
    let csv = pdscout([
        "subject",
        "-q",
        "--name",
        "Jean Dupont",
        "--format",
        "csv",
        &dir,
    ]);
    let text = csv.stdout();
    assert!(text.lines().next().unwrap().ends_with(",match"));
    assert_eq!(text.lines().filter(|l| l.ends_with(",strong")).count(), 2);
}

#[test]
fn one_person_across_formats() {
    // Élodie Ménard appears in the fixtures of every format, spelt
    // "Élodie Ménard" or "MÉNARD;Élodie" (a CSV row, in a zip and attached
    // to an e-mail).
    let mut args: Vec<String> = vec![
        "subject".into(),
        "-q".into(),
        "--reveal".into(),
        "--name".into(),
        "Elodie MENARD".into(),
        "--exclude".into(),
        "*.py".into(),
    ];
    for d in ["pdf", "office", "archives", "mail", "csv", "text"] {
        args.push(fixtures().join(d).display().to_string());
    }
    let run = pdscout(args);
    run.assert_code(0);
    let root = fixtures().display().to_string();
    let strong: BTreeSet<(String, Option<String>, String)> = run
        .of_type("finding")
        .iter()
        .filter(|f| f["match"] == "strong")
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            (
                path.strip_prefix(&root)
                    .unwrap()
                    .trim_start_matches('/')
                    .to_string(),
                f["entry"].as_str().map(str::to_string),
                f["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let e = |p: &str, entry: Option<&str>, v: &str| {
        (p.to_string(), entry.map(str::to_string), v.to_string())
    };
    let want: BTreeSet<_> = [
        e(
            "archives/dossiers.zip",
            Some("locataires.csv"),
            "Élodie MÉNARD",
        ),
        e("csv/locataires_semicolon.csv", None, "Élodie MÉNARD"),
        e(
            "mail/dossier_locataire.eml",
            Some("locataires.csv"),
            "Élodie MÉNARD",
        ),
        // lettre_locataire.docx encrypted with Excel's default password.
        e("office/chiffre_defaut_standard.docx", None, "Élodie Ménard"),
        e("office/corps_illisible.docx", None, "Élodie Ménard"),
        e("office/lettre_locataire.docx", None, "Élodie Ménard"),
        e("office/lettre_locataire.odt", None, "Élodie Ménard"),
        e("pdf/bulletin_chiffre_rc4.pdf", None, "Élodie Ménard"),
        e("pdf/bulletin_chiffre_sans_mdp.pdf", None, "Élodie Ménard"),
        e("pdf/bulletin_objstm.pdf", None, "Élodie Ménard"),
        e("pdf/bulletin_paie.pdf", None, "Élodie Ménard"),
        e("text/courrier_utf8.txt", None, "Élodie Ménard"),
    ]
    .into_iter()
    .collect();
    assert_eq!(strong, want);
}

#[test]
fn any_kind_of_the_registry_is_an_identifier_with_id() {
    let dir = crate::util::Dir::new();
    dir.file(
        "avis.txt",
        "Avis d'impôt 2025\nMme Lucie Martin\nNuméro fiscal : 01 23 456 789 211\n\n\
         M. Paul Durand\nNuméro fiscal : 3012345678167\n",
    );
    let run = pdscout([
        "subject",
        "-q",
        "--reveal",
        "--id",
        "TAX_ID=0123456789211",
        dir.path().to_str().unwrap(),
    ]);
    run.assert_code(0);
    let strong: Vec<(String, String)> = run
        .of_type("finding")
        .iter()
        .filter(|f| f["match"] == "strong")
        .map(|f| {
            (
                f["kind"].as_str().unwrap().into(),
                f["value"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        strong,
        [("tax_id".to_string(), "0123456789211".to_string())]
    );
    // What was searched is shown masked, never as given.
    let summary = run.summary();
    assert!(!summary.to_string().contains("0123456789211"), "{summary}");

    let unknown = pdscout([
        "subject",
        "--id",
        "shoe_size=42",
        dir.path().to_str().unwrap(),
    ]);
    unknown.assert_code(2);
    assert!(
        unknown
            .stderr()
            .contains("no pattern finds the kind 'shoe_size'"),
        "{}",
        unknown.stderr()
    );
    assert!(!unknown.stderr().contains("42"), "{}", unknown.stderr());
}
