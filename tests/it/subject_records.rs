//! A subject's answer holds the requester's data and nobody else's: a
//! record is the requester's row, JSON/XML object, message, paragraph or
//! log line, never the neighbours'; `subject --db` draws the same records
//! as a plain search; every identifier the requester gives is searched.

use crate::util::{file_name, pdscout, Dir};
use std::collections::BTreeSet;

/// (match, kind, value, file name) of every finding of a `subject` run.
type Hit = (String, String, String, String);

fn subject(
    root: &std::path::Path,
    ids: &[&str],
    extra: &[&str],
) -> (BTreeSet<Hit>, crate::util::Run) {
    let mut args: Vec<String> = vec!["subject".into(), "-q".into(), "--reveal".into()];
    args.extend(ids.iter().map(|s| s.to_string()));
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(root.display().to_string());
    let run = pdscout(args);
    (hits(&run), run)
}

fn hits(run: &crate::util::Run) -> BTreeSet<Hit> {
    run.of_type("finding")
        .iter()
        .map(|f| {
            (
                f["match"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
                f["value"].as_str().unwrap_or("").to_string(),
                file_name(f),
            )
        })
        .collect()
}

/// (match, kind, masked, file name, entry) of every finding: what `--db`
/// and a plain search must agree on (the inventory keeps no values).
fn masked_hits(run: &crate::util::Run) -> BTreeSet<(String, String, String, String, String)> {
    run.of_type("finding")
        .iter()
        .map(|f| {
            (
                f["match"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
                f["masked"].as_str().unwrap().to_string(),
                file_name(f),
                f["entry"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn h(m: &str, kind: &str, value: &str, file: &str) -> Hit {
    (m.into(), kind.into(), value.into(), file.into())
}

const TENANTS_JSON: &str = r#"[
  {"id": 1, "email": "paul.martin@example.org", "iban": "FR1420041010050500013M02606",
   "date_naissance": "1976-05-12"},
  {"id": 2, "email": "marie.grondin@example.fr", "iban": "FR7030002005500000157845Z02",
   "telephone": "06 12 34 56 78", "date_naissance": "1985-03-02"},
  {"id": 3, "email": "luc.bernard@example.net", "iban": "FR5310107001180001234567848"}
]
"#;

#[test]
fn a_json_record_is_the_requesters_object_not_the_previous_one() {
    let dir = Dir::new();
    dir.file("export/locataires.json", TENANTS_JSON);
    let (got, run) = subject(dir.path(), &["--email", "marie.grondin@example.fr"], &[]);
    run.assert_code(0);
    let want: BTreeSet<Hit> = [
        h(
            "strong",
            "email",
            "marie.grondin@example.fr",
            "locataires.json",
        ),
        h(
            "record",
            "iban",
            "FR7030002005500000157845Z02",
            "locataires.json",
        ),
        h("record", "phone", "+33612345678", "locataires.json"),
        h("record", "birthdate", "1985-03-02", "locataires.json"),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, want);
}

#[test]
fn an_xml_record_is_the_requesters_element() {
    let dir = Dir::new();
    dir.file(
        "export/locataires.xml",
        "<locataires>\n<locataire><email>paul.martin@example.org</email>\
         <iban>FR1420041010050500013M02606</iban></locataire>\n\
         <locataire><email>marie.grondin@example.fr</email>\
         <iban>FR7030002005500000157845Z02</iban></locataire>\n\
         <locataire email=\"luc.bernard@example.net\" iban=\"FR5310107001180001234567848\"/>\n\
         </locataires>\n",
    );
    let (got, run) = subject(dir.path(), &["--email", "MARIE.GRONDIN@example.fr"], &[]);
    run.assert_code(0);
    let want: BTreeSet<Hit> = [
        h(
            "strong",
            "email",
            "marie.grondin@example.fr",
            "locataires.xml",
        ),
        h(
            "record",
            "iban",
            "FR7030002005500000157845Z02",
            "locataires.xml",
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, want);
}

#[test]
fn a_log_line_is_its_own_record() {
    let dir = Dir::new();
    let mut log = String::new();
    for i in 1..=60u32 {
        let who = if i == 30 {
            "marie.grondin@example.fr".to_string()
        } else {
            format!("visiteur{i}@example.org")
        };
        log.push_str(&format!(
            "2024-03-12 10:{:02}:00 INFO login ok user={who} ip=198.51.100.{i}\n",
            i % 60
        ));
    }
    dir.file("logs/app.log", &log);
    let (got, run) = subject(dir.path(), &["--email", "marie.grondin@example.fr"], &[]);
    run.assert_code(0);
    let want: BTreeSet<Hit> = [
        h("strong", "email", "marie.grondin@example.fr", "app.log"),
        h("record", "ip", "198.51.100.30", "app.log"),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, want);
}

#[test]
fn a_text_export_line_and_a_letter_block_hold_only_the_requester() {
    let dir = Dir::new();
    dir.file(
        "export/locataires.txt",
        "DUPONTEL Sophie 07 56 12 34 56 FR1420041010050500013M02606\n\
         GRONDIN Marie 06 12 34 56 78 FR7030002005500000157845Z02\n\
         BERNARD Luc 01 23 45 67 89 FR5310107001180001234567848\n",
    );
    // Sophie Dupontel two lines above, in the same block: not the
    // requester's record. The next paragraph is Marie Grondin's alone.
    dir.file(
        "courriers/lettre.txt",
        "Copie à Mme Sophie DUPONTEL, 3 rue des Lilas 69003 Lyon, IBAN FR1420041010050500013M02606\n\
         \n\
         Madame Marie GRONDIN\n\
         102 impasse du Moulin\n\
         76000 Rouen\n\
         Tél. 06 12 34 56 78\n",
    );
    let (got, run) = subject(dir.path(), &["--name", "Marie Grondin"], &[]);
    run.assert_code(0);
    let want: BTreeSet<Hit> = [
        h("strong", "name", "Marie GRONDIN", "locataires.txt"),
        h("record", "phone", "+33612345678", "locataires.txt"),
        h(
            "record",
            "iban",
            "FR7030002005500000157845Z02",
            "locataires.txt",
        ),
        h("strong", "name", "Marie GRONDIN", "lettre.txt"),
        h(
            "record",
            "address",
            "102 impasse du Moulin, 76000 Rouen",
            "lettre.txt",
        ),
        h("record", "phone", "+33612345678", "lettre.txt"),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, want);
}

#[test]
fn a_mail_record_is_the_message_not_the_mailbox() {
    let dir = Dir::new();
    dir.file(
        "mail/boite.mbox",
        "From paul@example.org Tue Mar 12 10:00:00 2024\n\
         From: Paul Martin <paul.martin@example.org>\n\
         To: accueil@habitat-exemple.fr\n\
         Subject: RIB\n\
         \n\
         Mon IBAN : FR1420041010050500013M02606\n\
         \n\
         From marie@example.fr Tue Mar 12 11:00:00 2024\n\
         From: marie.grondin@example.fr\n\
         To: accueil@habitat-exemple.fr\n\
         Subject: RIB\n\
         \n\
         Mon IBAN : FR7030002005500000157845Z02\n",
    );
    let (got, run) = subject(dir.path(), &["--email", "marie.grondin@example.fr"], &[]);
    run.assert_code(0);
    assert!(got.contains(&h(
        "record",
        "iban",
        "FR7030002005500000157845Z02",
        "boite.mbox"
    )));
    assert!(
        !got.iter()
            .any(|x| x.2.contains("FR14") || x.2.contains("paul")),
        "{got:?}"
    );
}

#[test]
fn a_street_or_a_company_is_not_the_person() {
    let dir = Dir::new();
    dir.file(
        "courriers/travaux.txt",
        "Les travaux du 12 rue Jean Dupont, 75002 Paris, sont confiés à Dupont Immobilier SARL.\n\
         \n\
         Contact : SCI Dupont, société civile.\n",
    );
    let (got, run) = subject(dir.path(), &["--name", "Jean Dupont"], &[]);
    assert!(got.is_empty(), "{got:?}");
    run.assert_code(1);
}

#[test]
fn a_phone_that_fails_its_check_is_searched_as_given() {
    let dir = Dir::new();
    dir.file("notes.txt", "Rappeler au 07 26 78 37 47 pour le dossier.\n");
    let (got, run) = subject(dir.path(), &["--phone", "+33726783747"], &[]);
    run.assert_code(0);
    assert!(got.contains(&h("strong", "phone", "+33726783747", "notes.txt")));
    let err = run.stderr();
    assert!(
        err.contains("warning") && err.contains("searched as given"),
        "{err}"
    );
    assert!(
        !err.contains("726783747"),
        "the warning masks the value: {err}"
    );
    // Letters are no phone number at all.
    pdscout([
        "subject",
        "--phone",
        "06 12 ab 56 78",
        dir.path().to_str().unwrap(),
    ])
    .assert_code(2);
}

/// The records of a plain search and of `--db` for the same requester.
fn both(dir: &Dir, ids: &[&str]) -> (crate::util::Run, crate::util::Run) {
    let db = dir.path().join("inv.db");
    let root = dir.path().join("share");
    let scan = pdscout([
        "scan",
        "-q",
        "--db",
        db.to_str().unwrap(),
        root.to_str().unwrap(),
    ]);
    assert!(scan.code() == 0, "scan --db: {}", scan.stderr());
    let mut plain: Vec<&str> = vec!["subject", "-q"];
    plain.extend(ids);
    plain.push(root.to_str().unwrap());
    let mut indexed: Vec<&str> = vec!["subject", "-q", "--db", db.to_str().unwrap()];
    indexed.extend(ids);
    (pdscout(plain), pdscout(indexed))
}

#[test]
fn subject_db_draws_the_same_records_as_a_plain_search() {
    let dir = Dir::new();
    dir.file("share/export/locataires.json", TENANTS_JSON);
    // A CSV inside a zip: its rows are records, not ±15 lines.
    let mut csv = String::from("Nom;Prénom;Courriel;IBAN\n");
    for i in 0..40 {
        csv.push_str(&format!("MARTIN{i};Paul;paul{i}@example.org;\n"));
    }
    csv.push_str("GRONDIN;Marie;marie.grondin@example.fr;FR7030002005500000157845Z02\n");
    csv.push_str("BERNARD;Luc;luc.bernard@example.net;FR5310107001180001234567848\n");
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("locataires.csv", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut w, csv.as_bytes()).unwrap();
    dir.file(
        "share/archives/export.zip",
        w.finish().unwrap().into_inner(),
    );
    let mut log = String::new();
    for i in 1..=20u32 {
        let who = if i == 7 {
            "marie.grondin@example.fr".to_string()
        } else {
            format!("v{i}@example.org")
        };
        log.push_str(&format!(
            "2024-03-12 10:00:{i:02} login user={who} ip=198.51.100.{i}\n"
        ));
    }
    dir.file("share/logs/app.log", &log);
    dir.file(
        "share/courriers/lettre.txt",
        "Madame Marie GRONDIN\n102 impasse du Moulin\n76000 Rouen\n\nLe conseiller, Paul MARTIN\n",
    );
    let (plain, indexed) = both(
        &dir,
        &[
            "--email",
            "marie.grondin@example.fr",
            "--name",
            "Marie Grondin",
        ],
    );
    plain.assert_code(0);
    indexed.assert_code(0);
    let p = masked_hits(&plain);
    let records = |s: &BTreeSet<(String, String, String, String, String)>| {
        s.iter().filter(|x| x.0 == "record").count()
    };
    assert_eq!(masked_hits(&indexed), p, "--db and plain agree");
    // The JSON object (IBAN, phone, birth date), the zip's row (IBAN), the
    // log line (IP), the letter's block (address): 6 records, nobody else's.
    assert_eq!(records(&p), 6, "{p:?}");
}

#[test]
fn subject_db_finds_an_initial_as_a_plain_search_does() {
    let dir = Dir::new();
    dir.file(
        "share/locataires.csv",
        "Nom;Prénom;Courriel\nLEMAÎTRE;Claire;c.lemaitre@example.fr\nLEMAÎTRE;Paul;p.lemaitre@example.fr\n",
    );
    let (plain, indexed) = both(&dir, &["--name", "C. Lemaître"]);
    plain.assert_code(0);
    let p = masked_hits(&plain);
    assert_eq!(masked_hits(&indexed), p);
    assert_eq!(p.len(), 1, "Claire, a candidate; not Paul: {p:?}");
    assert_eq!(p.iter().next().unwrap().0, "weak");
}

#[test]
fn the_requesters_report_says_what_was_searched_where_and_when() {
    let dir = Dir::new();
    dir.file("share/export/locataires.json", TENANTS_JSON);
    let root = dir.path().join("share");
    let html = pdscout([
        "subject",
        "-q",
        "--email",
        "marie.grondin@example.fr",
        "--format",
        "html",
        root.to_str().unwrap(),
    ]);
    html.assert_code(0);
    let page = html.stdout();
    assert!(
        page.contains(&format!("pdscout {}", env!("CARGO_PKG_VERSION"))),
        "version"
    );
    assert!(
        page.contains(&format!("<li>{}</li>", root.display())),
        "the root searched"
    );
    let today = chrono_today();
    assert!(page.contains(&today), "the date");
    assert!(!page.contains("marie.grondin@"), "identifiers masked");
    let table = pdscout([
        "subject",
        "--no-progress",
        "--email",
        "marie.grondin@example.fr",
        "--format",
        "table",
        root.to_str().unwrap(),
    ]);
    let text = table.stdout();
    assert!(
        text.contains("1 strong matches") && text.contains("3 of their records"),
        "{text}"
    );
    assert!(
        text.contains("Every file (1):") && text.contains("locataires.json"),
        "{text}"
    );
}

/// Today's date as `YYYY-MM-DD` (local time, as the report writes it).
fn chrono_today() -> String {
    let out = std::process::Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
