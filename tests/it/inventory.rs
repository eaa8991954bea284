//! The inventory (`scan --db`, `sweep`, `report`, `subject --db`): runs are
//! incremental, the database keeps no raw value, two sweeps never overlap,
//! and a killed sweep leaves an inventory the next one completes.

use crate::util::{pdscout, Dir, Run};
use serde_json::Value;
use std::path::Path;

const EMAIL: &str = "jean.dupont@example.fr";
const IBAN: &str = "FR76 3000 6000 0112 3456 7890 189";
const NIR: &str = "1 84 12 75 123 456 40";

fn scan_db(db: &Path, root: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<std::ffi::OsString> =
        vec!["scan".into(), "-q".into(), "--db".into(), db.into()];
    args.extend(extra.iter().map(Into::into));
    args.push(root.into());
    pdscout(args)
}

fn inventory(s: &Value) -> (u64, u64, u64) {
    let i = &s["inventory"];
    (
        i["files_read"].as_u64().unwrap(),
        i["files_unchanged"].as_u64().unwrap(),
        i["files_removed"].as_u64().unwrap(),
    )
}

fn report_json(db: &Path, extra: &[&str]) -> Value {
    let mut args: Vec<std::ffi::OsString> = vec![
        "report".into(),
        "--db".into(),
        db.into(),
        "--format".into(),
        "json".into(),
    ];
    args.extend(extra.iter().map(Into::into));
    let r = pdscout(args);
    serde_json::from_str(&r.stdout()).unwrap_or_else(|e| panic!("report json: {e}; {}", r.stderr()))
}

/// The file name of a record's `path`.
fn file_name(record: &Value) -> String {
    let path = record["path"].as_str().unwrap();
    path.rsplit('/').next().unwrap().to_string()
}

fn names(list: &Value) -> Vec<String> {
    let mut v: Vec<String> = list.as_array().unwrap().iter().map(file_name).collect();
    v.sort();
    v
}

/// A small share: three files with personal data.
fn share(d: &Dir) {
    d.file("share/RH/lettre.txt", format!("Écrire à {EMAIL}.\n"));
    d.file(
        "share/Locataires/rib.csv",
        format!("Nom;IBAN\nDupont;{IBAN}\n"),
    );
    d.file("share/Locataires/secu.txt", format!("NIR : {NIR}\n"));
}

#[test]
fn rescans_only_what_changed_and_notices_added_removed_and_moved_files() {
    let d = Dir::new();
    share(&d);
    let db = d.path().join("inv.db");
    let root = d.path().join("share");

    let first = scan_db(&db, &root, &[]);
    first.assert_code(0);
    assert_eq!(inventory(&first.summary()), (3, 0, 0));
    let findings = first.summary()["findings"].clone();

    // Nothing changed: nothing is read, the inventory answers the same.
    let second = scan_db(&db, &root, &[]);
    second.assert_code(0);
    let s = second.summary();
    assert_eq!(inventory(&s), (0, 3, 0));
    assert_eq!(s["files_scanned"], 0);
    assert_eq!(s["findings"], findings);
    assert_eq!(
        second.of_type("file").len(),
        3,
        "unchanged files keep their file records"
    );
    assert!(second.of_type("finding").is_empty());

    // Changed, added, removed and moved files.
    d.file(
        "share/RH/lettre.txt",
        format!("Écrire à {EMAIL} ou à marie.curie@example.org.\n"),
    );
    d.file("share/RH/nouveau.txt", "Tél. 06 12 34 56 78\n");
    std::fs::remove_file(root.join("Locataires/secu.txt")).unwrap();
    std::fs::rename(
        root.join("Locataires/rib.csv"),
        root.join("RH/rib_dupont.csv"),
    )
    .unwrap();
    let third = scan_db(&db, &root, &[]);
    third.assert_code(0);
    assert_eq!(inventory(&third.summary()), (3, 0, 2));
    let s = third.summary();
    assert_eq!(s["findings"]["email"], 2);
    assert_eq!(s["findings"]["phone"], 1);
    assert!(
        s["findings"].get("nir").is_none(),
        "the removed file's NIR is gone: {s}"
    );

    let r = report_json(&db, &[]);
    assert_eq!(names(&r["new_files"]), ["nouveau.txt", "rib_dupont.csv"]);
    assert_eq!(names(&r["removed"]), ["rib.csv", "secu.txt"]);
    let moved = r["new_files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("rib_dupont.csv"))
        .unwrap();
    assert!(
        moved["note"].as_str().unwrap_or("").contains("rib.csv"),
        "a moved file is recognised by its content: {moved}"
    );
    assert_eq!(r["files"], 3);
    assert_eq!(r["last_run"]["files_removed"], 2);

    // --full reads everything again.
    let full = scan_db(&db, &root, &["--full"]);
    assert_eq!(inventory(&full.summary()), (3, 0, 0));
}

#[test]
fn excluded_files_are_not_marked_removed() {
    let d = Dir::new();
    share(&d);
    let db = d.path().join("inv.db");
    let root = d.path().join("share");
    scan_db(&db, &root, &[]).assert_code(0);
    let narrow = scan_db(&db, &root, &["--exclude", "*.csv"]);
    assert_eq!(inventory(&narrow.summary()).2, 0);
    assert_eq!(report_json(&db, &[])["files"], 3);
}

#[test]
fn the_inventory_holds_no_raw_value_and_is_private() {
    let d = Dir::new();
    share(&d);
    let db = d.path().join("inv.db");
    scan_db(&db, &d.path().join("share"), &[]).assert_code(0);
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let p = format!("{}{suffix}", db.display());
        if let Ok(b) = std::fs::read(&p) {
            bytes.extend(b);
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    for raw in [EMAIL, "3000600001123456789", "1841275123456", "dupont"] {
        assert!(
            !text.to_lowercase().contains(raw),
            "raw value {raw:?} stored in the inventory"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for p in [db.clone(), pdscout::inventory::key_path(&db)] {
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", p.display());
        }
    }
}

#[test]
fn a_second_sweep_on_the_same_inventory_exits_at_once() {
    let d = Dir::new();
    share(&d);
    let db = d.path().join("inv.db");
    scan_db(&db, &d.path().join("share"), &[]).assert_code(0);
    // Another pdscout holds the lock.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(format!("{}.lock", db.display()))
        .unwrap();
    lock.try_lock().unwrap();
    let second = scan_db(&db, &d.path().join("share"), &[]);
    second.assert_code(2);
    assert!(
        second.stderr().contains("in use by another pdscout"),
        "{}",
        second.stderr()
    );
    drop(lock);
    scan_db(&db, &d.path().join("share"), &[]).assert_code(0);
}

#[test]
fn subject_is_answered_from_the_index_and_verified() {
    let d = Dir::new();
    share(&d);
    d.file(
        "share/Autre/jeanne.txt",
        "Madame Jeanne Dupont, jeanne.dupont@example.fr\n",
    );
    d.file(
        "share/Locataires/liste.csv",
        format!("Nom;Prénom;Courriel;IBAN\nDUPONT;Jean;{EMAIL};{IBAN}\nMARTIN;Paul;paul.martin@example.org;\n"),
    );
    let db = d.path().join("inv.db");
    scan_db(&db, &d.path().join("share"), &[]).assert_code(0);

    // The IBAN grouped differently, the e-mail in capitals.
    let r = pdscout([
        "subject".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        "--iban".as_ref(),
        "fr7630006000011234567890189".as_ref(),
        "--email".as_ref(),
        "JEAN.DUPONT@EXAMPLE.FR".as_ref(),
        "--name".as_ref(),
        "DUPONT Jean".as_ref(),
    ]);
    r.assert_code(0);
    let hits: Vec<(String, String, String)> = r
        .of_type("finding")
        .iter()
        .map(|f| {
            (
                file_name(f),
                f["kind"].as_str().unwrap().to_string(),
                f["match"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let has = |file: &str, kind: &str, m: &str| {
        hits.contains(&(file.to_string(), kind.to_string(), m.to_string()))
    };
    assert!(has("rib.csv", "iban", "strong"), "{hits:?}");
    assert!(has("lettre.txt", "email", "strong"), "{hits:?}");
    assert!(has("liste.csv", "name", "strong"), "{hits:?}");
    assert!(has("liste.csv", "iban", "strong"), "{hits:?}");
    // Jeanne Dupont is a candidate at most, never the subject.
    assert!(
        !hits
            .iter()
            .any(|(f, _, m)| f == "jeanne.txt" && m == "strong"),
        "{hits:?}"
    );
    // Paul Martin's row is not Jean Dupont's record.
    assert_eq!(
        hits.iter().filter(|(f, ..)| f == "liste.csv").count(),
        3,
        "{hits:?}"
    );
    assert!(r
        .of_type("finding")
        .iter()
        .all(|f| f.get("value").is_none()));
    // File records give the size and date read at the last run.
    let liste = r
        .of_type("file")
        .into_iter()
        .find(|f| file_name(f) == "liste.csv")
        .expect("a file record for liste.csv");
    let size = std::fs::metadata(d.path().join("share/Locataires/liste.csv"))
        .unwrap()
        .len();
    assert_eq!(liste["bytes"].as_u64(), Some(size), "{liste}");
    assert_eq!(
        liste["modified"].as_str().map(str::len),
        Some(10),
        "{liste}"
    );

    // --verify reads the files again, with record context and values.
    let v = pdscout([
        "subject".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        "--verify".as_ref(),
        "--reveal".as_ref(),
        "--email".as_ref(),
        EMAIL.as_ref(),
    ]);
    v.assert_code(0);
    assert!(v
        .kind_values()
        .contains(&("email".to_string(), EMAIL.to_string())));
    assert!(v.summary()["files_scanned"].as_u64().unwrap() >= 2);
}

#[test]
fn sweep_runs_from_a_config_file_with_retention_rules() {
    let d = Dir::new();
    share(&d);
    d.file(
        "share/Candidatures/cv_2019.txt",
        format!("Candidat : {EMAIL}\n"),
    );
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3 * 365 * 86400);
    std::fs::File::options()
        .write(true)
        .open(d.path().join("share/Candidatures/cv_2019.txt"))
        .unwrap()
        .set_modified(old)
        .unwrap();
    let conf = d.file(
        "pdscout.toml",
        "roots = [\"share\"]\ndb = \"inv.db\"\nexclude = [\"*.tmp\"]\nreport = \"rapport.html\"\nmax_file_time = 30\n\n\
         [[retention]]\npath = \"Candidatures/**\"\nkeep = \"2y\"\npurpose = \"recrutement\"\n\n\
         [[retention]]\npath = \"**\"\nkeep = \"5y\"\n",
    );
    let r = pdscout([
        "sweep".as_ref(),
        "--config".as_ref(),
        conf.as_os_str(),
        "-q".as_ref(),
    ]);
    r.assert_code(0);
    assert!(r.stdout().is_empty(), "a sweep prints no records");
    let html = std::fs::read_to_string(d.path().join("rapport.html")).unwrap();
    assert!(html.contains("cv_2019.txt") && html.contains("recrutement"));
    assert!(!html.contains(EMAIL));

    let rep = pdscout([
        "report".as_ref(),
        "--config".as_ref(),
        conf.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let rep: Value = serde_json::from_str(&rep.stdout()).unwrap();
    assert_eq!(rep["retention_total"], 1);
    assert_eq!(rep["retention"][0]["purpose"], "recrutement");
    assert!(rep["retention"][0]["age_days"].as_u64().unwrap() > 1000);

    // --older-than catches every file with personal data older than that.
    let db = d.path().join("inv.db");
    assert_eq!(
        report_json(&db, &["--older-than", "1y"])["retention_total"],
        1
    );
    assert_eq!(
        report_json(&db, &["--older-than", "0d"])["retention_total"],
        4
    );

    for format in ["table", "html", "csv"] {
        let out = pdscout([
            "report".as_ref(),
            "--db".as_ref(),
            db.as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
        ]);
        out.assert_code(0);
        assert!(!out.stdout().contains(EMAIL), "{format}");
    }
}

#[test]
fn a_killed_sweep_leaves_an_inventory_the_next_one_completes() {
    let d = Dir::new();
    for i in 0..3000 {
        d.file(
            &format!("share/d{}/f{i}.txt", i % 30),
            format!(
                "Fiche {i} : agent{i}@example.org, tél. 06 12 34 {:02} {:02}\n",
                i % 100,
                i / 100 % 100
            ),
        );
    }
    let db = d.path().join("inv.db");
    let root = d.path().join("share");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pdscout"))
        .args([
            "scan".as_ref(),
            "-q".as_ref(),
            "--db".as_ref(),
            db.as_os_str(),
            root.as_os_str(),
        ])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    let _ = child.kill(); // SIGKILL: no clean-up at all
    let _ = child.wait();

    let next = scan_db(&db, &root, &[]);
    next.assert_code(0);
    let s = next.summary();
    assert_eq!(s["findings"]["email"], 3000, "{s}");
    let again = scan_db(&db, &root, &[]);
    assert_eq!(inventory(&again.summary()), (0, 3000, 0));
    assert_eq!(again.summary()["findings"]["email"], 3000);
    let r = report_json(&db, &[]);
    assert_eq!(r["files"], 3000);
}

#[test]
fn report_on_a_missing_inventory_is_an_error() {
    let d = Dir::new();
    let r = pdscout([
        "report".as_ref(),
        "--db".as_ref(),
        d.path().join("none.db").as_os_str(),
    ]);
    r.assert_code(2);
    assert!(r.stderr().contains("no such inventory"), "{}", r.stderr());
    assert!(!d.path().join("none.db").exists());
}

#[test]
fn an_inventory_from_a_newer_pdscout_or_without_its_key_is_refused() {
    let d = Dir::new();
    share(&d);
    let db = d.path().join("inv.db");
    let root = d.path().join("share");
    scan_db(&db, &root, &[]).assert_code(0);
    let key = pdscout::inventory::key_path(&db);
    let saved = std::fs::read(&key).unwrap();
    std::fs::remove_file(&key).unwrap();
    let r = scan_db(&db, &root, &[]);
    r.assert_code(2);
    assert!(
        r.stderr().contains("key") && r.stderr().contains("missing"),
        "{}",
        r.stderr()
    );
    std::fs::write(&key, saved).unwrap();

    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE meta SET value = '99' WHERE key = 'schema_version'",
        [],
    )
    .unwrap();
    drop(conn);
    let r = scan_db(&db, &root, &[]);
    r.assert_code(2);
    assert!(r.stderr().contains("schema version 99"), "{}", r.stderr());
}
