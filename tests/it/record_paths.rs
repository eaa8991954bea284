//! Issue 20, point 1: a value of a JSON, NDJSON, YAML or XML record is
//! located by its path in the document besides its line (`"json_path":
//! "$.locataires[1].adresse"`, `"/export/locataire[2]/nom"`), in `scan`,
//! `subject`, and through the inventory (`subject --db`, schema 5).

use crate::inventory_pg::{key_file, Cluster};
use crate::util::{pdscout, scan_revealed, sqlite_schema_version, Dir, Run};
use serde_json::Value;
use std::path::Path;

/// The share of these tests: one export per format, the same two tenants.
fn share(d: &Dir) {
    d.file(
        "exports/locataires.json",
        r#"{"bailleur": "Habitat Exemple", "locataires": [
  {"nom": "Grondin", "prenom": "Marie", "courriel": "marie.grondin@exemple.fr",
   "adresse": {"voie": "12 rue des Lilas", "code_postal": "76000", "ville": "Rouen"}, "actif": true},
  {"nom": "Lefèvre", "prenom": "Paul", "contacts": [null, "paul.lefevre@exemple.fr"],
   "anciens": {"jean.dupont@exemple.fr": "ancien occupant"}}
]}
"#,
    );
    d.file(
        "exports/flux.ndjson",
        "{\"nom\":\"Martin\",\"prenom\":\"Alice\",\"mail\":\"alice.martin@exemple.fr\"}\n\
         {\"nom\":\"Bernard\",\"prenom\":\"Luc\",\"mail\":\"luc.bernard@exemple.fr\"}\n",
    );
    d.file(
        "exports/menages.yaml",
        "menages:\n  - nom: Grondin\n    prenom: Marie\n    date de naissance: 1971-04-12\n\
         \x20 - nom: Petitjean\n    prenom: Hugo\n    adresse:\n      voie: 5 avenue Foch\n      cp: '69003'\n      ville: Lyon\n",
    );
    d.file(
        "exports/export.xml",
        "<?xml version=\"1.0\"?>\n<export>\n\
         \x20 <locataire id=\"1\"><nom>Grondin</nom><prenom>Marie</prenom><email>marie.grondin@exemple.fr</email></locataire>\n\
         \x20 <locataire id=\"2\" courriel=\"hugo.petitjean@exemple.fr\"><nom>Petitjean</nom><prenom>Hugo</prenom>\n\
         \x20   <adresse><voie>5 avenue Foch</voie><cp>69003</cp><ville>Lyon</ville></adresse></locataire>\n\
         </export>\n",
    );
    d.file(
        "notes.txt",
        "Appeler Marie Grondin au sujet de marie.grondin@exemple.fr\n",
    );
}

/// (file name, kind, value, line, path) of each finding, sorted.
fn located(run: &Run) -> Vec<(String, String, String, u64, Option<String>)> {
    let mut v: Vec<_> = run
        .of_type("finding")
        .iter()
        .map(|f| {
            let l = &f["location"];
            (
                f["path"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                f["kind"].as_str().unwrap().to_string(),
                f["value"].as_str().unwrap_or("").to_string(),
                l["line"].as_u64().unwrap_or(0),
                l.get("json_path").map(|p| p.as_str().unwrap().to_string()),
            )
        })
        .collect();
    v.sort();
    v
}

fn row(
    file: &str,
    kind: &str,
    value: &str,
    line: u64,
    path: Option<&str>,
) -> (String, String, String, u64, Option<String>) {
    (
        file.into(),
        kind.into(),
        value.into(),
        line,
        path.map(Into::into),
    )
}

#[test]
fn scan_locates_record_values_by_their_path() {
    let d = Dir::new();
    share(&d);
    let run = scan_revealed(d.path(), &[]);
    run.assert_code(0);
    let all = located(&run);
    let of = |file: &str| -> Vec<_> { all.iter().filter(|r| r.0 == file).cloned().collect() };
    assert_eq!(
        of("locataires.json"),
        [
            row(
                "locataires.json",
                "address",
                "12 rue des Lilas, 76000 Rouen",
                3,
                Some("$.locataires[0].adresse")
            ),
            row(
                "locataires.json",
                "email",
                "jean.dupont@exemple.fr",
                5,
                Some("$.locataires[1].anciens.*")
            ),
            row(
                "locataires.json",
                "email",
                "marie.grondin@exemple.fr",
                2,
                Some("$.locataires[0].courriel")
            ),
            row(
                "locataires.json",
                "email",
                "paul.lefevre@exemple.fr",
                4,
                Some("$.locataires[1].contacts[1]")
            ),
            row(
                "locataires.json",
                "name",
                "Marie Grondin",
                2,
                Some("$.locataires[0]")
            ),
            row(
                "locataires.json",
                "name",
                "Paul Lefèvre",
                4,
                Some("$.locataires[1]")
            ),
        ]
    );
    // Each NDJSON line is a document of its own.
    assert_eq!(
        of("flux.ndjson"),
        [
            row(
                "flux.ndjson",
                "email",
                "alice.martin@exemple.fr",
                1,
                Some("$.mail")
            ),
            row(
                "flux.ndjson",
                "email",
                "luc.bernard@exemple.fr",
                2,
                Some("$.mail")
            ),
            row("flux.ndjson", "name", "Alice Martin", 1, Some("$")),
            row("flux.ndjson", "name", "Luc Bernard", 2, Some("$")),
        ]
    );
    assert_eq!(
        of("menages.yaml"),
        [
            row(
                "menages.yaml",
                "address",
                "5 avenue Foch, 69003 Lyon",
                8,
                Some("$.menages[1].adresse")
            ),
            row(
                "menages.yaml",
                "birthdate",
                "1971-04-12",
                4,
                Some("$.menages[0]['date de naissance']")
            ),
            row(
                "menages.yaml",
                "name",
                "Hugo Petitjean",
                5,
                Some("$.menages[1]")
            ),
            row(
                "menages.yaml",
                "name",
                "Marie Grondin",
                2,
                Some("$.menages[0]")
            ),
        ]
    );
    // XPath: `[n]` from the second sibling of a name on.
    assert_eq!(
        of("export.xml"),
        [
            row(
                "export.xml",
                "address",
                "5 avenue Foch, 69003 Lyon",
                5,
                Some("/export/locataire[2]/adresse")
            ),
            row(
                "export.xml",
                "email",
                "hugo.petitjean@exemple.fr",
                4,
                Some("/export/locataire[2]/@courriel")
            ),
            row(
                "export.xml",
                "email",
                "marie.grondin@exemple.fr",
                3,
                Some("/export/locataire/email")
            ),
            row(
                "export.xml",
                "name",
                "Hugo Petitjean",
                4,
                Some("/export/locataire[2]")
            ),
            row(
                "export.xml",
                "name",
                "Marie Grondin",
                3,
                Some("/export/locataire")
            ),
        ]
    );
    // Flowing text has no path, and its location has no such field.
    assert!(of("notes.txt").iter().all(|r| r.4.is_none()));
    let text = run
        .of_type("finding")
        .into_iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("notes.txt"))
        .unwrap();
    assert!(text["location"].get("json_path").is_none());
    // A key that is personal data is never written out.
    assert!(!run.stdout().contains("jean.dupont@exemple.fr\"}") && !run.stdout().contains(".jean"));
}

#[test]
fn a_record_path_survives_a_reader_process() {
    // A zip is read in a reader process: its members' paths come through.
    let d = Dir::new();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("export.json", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(
        &mut zip,
        br#"[{"nom": "Grondin", "prenom": "Marie", "email": "marie.grondin@exemple.fr"}]"#,
    )
    .unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    d.file("archive.zip", bytes);
    let run = scan_revealed(d.path(), &[]);
    let paths: Vec<_> = located(&run).into_iter().map(|r| (r.1, r.4)).collect();
    assert_eq!(
        paths,
        [
            ("email".into(), Some("$[0].email".into())),
            ("name".into(), Some("$[0]".into()))
        ]
    );
}

#[test]
fn subject_shows_the_path_of_its_record_values() {
    let d = Dir::new();
    share(&d);
    let run = pdscout([
        "subject",
        d.path().to_str().unwrap(),
        "--name",
        "Hugo Petitjean",
        "--format",
        "jsonl",
    ]);
    let mut xml: Vec<(String, String)> = run
        .of_type("finding")
        .iter()
        .filter(|f| f["path"].as_str().unwrap().ends_with("export.xml"))
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["location"]["json_path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    xml.sort();
    assert_eq!(
        xml,
        [
            ("address".into(), "/export/locataire[2]/adresse".into()),
            ("email".into(), "/export/locataire[2]/@courriel".into()),
            ("name".into(), "/export/locataire[2]".into()),
        ]
    );
}

/// The inventory at `db` with the key file of `d`.
fn inv(db: &str, key: &Path, args: &[&str]) -> Run {
    let mut all = vec![args[0], "--db", db, "--key-file", key.to_str().unwrap()];
    all.extend(&args[1..]);
    pdscout(all)
}

/// (kind, path) of the findings `subject --db` gives for Hugo Petitjean in
/// the YAML and XML exports.
fn subject_db(db: &str, key: &Path) -> Vec<(String, Option<String>)> {
    let r = inv(
        db,
        key,
        &["subject", "--name", "Hugo Petitjean", "--format", "jsonl"],
    );
    let mut v: Vec<_> = r
        .of_type("finding")
        .iter()
        .filter(|f| !f["path"].as_str().unwrap().ends_with(".json"))
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["location"]
                    .get("json_path")
                    .map(|p| p.as_str().unwrap().to_string()),
            )
        })
        .collect();
    v.sort();
    v
}

fn expected_db() -> Vec<(String, Option<String>)> {
    [
        ("address", "$.menages[1].adresse"),
        ("address", "/export/locataire[2]/adresse"),
        ("email", "/export/locataire[2]/@courriel"),
        ("name", "$.menages[1]"),
        ("name", "/export/locataire[2]"),
    ]
    .iter()
    .map(|(k, p)| (k.to_string(), Some(p.to_string())))
    .collect()
}

/// Scans the share into the inventory, checks `subject --db`, makes the
/// inventory one of schema 4 (`downgrade`), scans a changed share and
/// checks again: the migration adds the column, the file read again gets
/// its paths, and `report --db` reads the migrated inventory.
fn inventory_round_trip(db: &str, d: &Dir, downgrade: &dyn Fn()) {
    share(d);
    let key = key_file(d);
    let root = d.path().join("exports");
    let scan = |extra: &str| {
        d.file("exports/extra.txt", extra);
        let r = inv(db, &key, &["scan", "-q", root.to_str().unwrap()]);
        assert!(r.code() == 0 || r.code() == 1, "{}", r.stderr());
    };
    scan("un");
    assert_eq!(subject_db(db, &key), expected_db());
    downgrade();
    d.file(
        "exports/menages.yaml",
        "menages:\n  - nom: Grondin\n    prenom: Marie\n\
         \x20 - nom: Petitjean\n    prenom: Hugo\n    adresse:\n      voie: 5 avenue Foch\n      cp: '69003'\n      ville: Lyon\n",
    );
    scan("deux");
    let after = subject_db(db, &key);
    // The XML export was not read again: its findings keep what the older
    // schema stored (no path); the YAML export, changed, has its paths.
    assert!(
        after.contains(&("name".into(), Some("$.menages[1]".into()))),
        "{after:?}"
    );
    assert!(after.contains(&("name".into(), None)), "{after:?}");
    let r = inv(db, &key, &["report", "--format", "json"]);
    r.assert_code(0);
    let report: Value = serde_json::from_str(&r.stdout()).unwrap();
    assert_eq!(report["schema_version"], 5, "{report}");
}

#[test]
fn subject_db_shows_record_paths_sqlite() {
    let d = Dir::new();
    let db = d.path().join("inv.db");
    let db_str = db.to_str().unwrap().to_string();
    inventory_round_trip(&db_str, &d, &|| {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(
            "ALTER TABLE findings DROP COLUMN json_path;
             UPDATE meta SET value = '4' WHERE key = 'schema_version';",
        )
        .unwrap();
    });
    assert_eq!(sqlite_schema_version(&db), "5");
}

#[test]
fn subject_db_shows_record_paths_postgres() {
    let Some(pg) = Cluster::start() else { return };
    let d = Dir::new();
    let db = pg.database("paths");
    inventory_round_trip(&db, &d, &|| {
        pg.client("paths")
            .batch_execute(
                "ALTER TABLE findings DROP COLUMN json_path;
                 UPDATE meta SET value = '4' WHERE key = 'schema_version';",
            )
            .unwrap();
    });
}
