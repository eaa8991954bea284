//! One suite, both inventories: what `scan --db`, `report` and `subject
//! --db` answer is the same with a SQLite file and with PostgreSQL —
//! incremental runs, sharded sweeps (`--shard K/N`: every file once,
//! removals only in the shard's own part, generations complete or
//! missing shards), and several sources in one register (`--source`).

use crate::inventory_pg::{key_file, Cluster};
use crate::util::{pdscout, sqlite_schema_version, Dir, Run};
use serde_json::{json, Value};
use std::path::Path;

/// A backend under test: its `--db` and `--key-file`.
struct Db {
    db: String,
    key: String,
}

impl Db {
    fn run(&self, args: &[&str]) -> Run {
        let mut all: Vec<&str> = vec![args[0], "--db", &self.db, "--key-file", &self.key];
        all.extend(&args[1..]);
        pdscout(all)
    }

    fn scan(&self, root: &Path, extra: &[&str]) -> Value {
        let mut args = vec!["scan", "-q"];
        args.extend(extra);
        args.push(root.to_str().unwrap());
        let r = self.run(&args);
        assert!(r.code() == 0 || r.code() == 1, "{}", r.stderr());
        r.summary()["inventory"].clone()
    }

    fn report(&self) -> Value {
        let r = self.run(&["report", "--format", "json"]);
        serde_json::from_str(&r.stdout()).unwrap_or_else(|e| panic!("report: {e}; {}", r.stderr()))
    }

    /// `subject --db` as comparable text: its finding and file records.
    fn subject(&self, name: &str) -> Vec<String> {
        let r = self.run(&["subject", "--name", name, "--format", "jsonl"]);
        let mut v: Vec<String> = r
            .records()
            .into_iter()
            .filter(|x| x["type"] != "summary")
            .map(|x| x.to_string())
            .collect();
        v.sort();
        v
    }
}

fn kinds(report: &Value) -> Vec<(String, u64, u64)> {
    let mut v: Vec<(String, u64, u64)> = report["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["kind"].as_str().unwrap().to_string(),
                k["findings"].as_u64().unwrap(),
                k["files"].as_u64().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

const PEOPLE: [&str; 3] = ["Jean Dupont", "Aïcha Lemaître", "Théo Girard"];

/// Sixty files in six folders, each with someone's e-mail and IBAN.
fn tree(d: &Dir, root: &str) {
    for i in 0..60 {
        let who = PEOPLE[i % 3];
        let mail = who
            .to_lowercase()
            .replace(' ', ".")
            .replace(['ï', 'î'], "i")
            .replace('é', "e");
        d.file(
            &format!("{root}/agence{}/dossier{i}.txt", i % 6),
            format!("Locataire : {who}\nCourriel : {mail}@example.fr\nIBAN : FR76 3000 6000 0112 3456 7890 189\n"),
        );
    }
}

/// The suite; returns what `subject` answered for each person, to compare
/// the two backends.
fn suite(db: &Db, d: &Dir) -> Vec<Vec<String>> {
    tree(d, "share");
    let root = d.path().join("share");
    let root_s = root.to_str().unwrap();

    // Incremental runs.
    assert_eq!(db.scan(&root, &[])["files_read"], 60);
    let again = db.scan(&root, &[]);
    assert_eq!(
        (
            again["files_read"].as_u64(),
            again["files_unchanged"].as_u64()
        ),
        (Some(0), Some(60))
    );
    let full = db.report();
    assert_eq!(full["files"], 60);
    let answers: Vec<Vec<String>> = PEOPLE.iter().map(|p| db.subject(p)).collect();
    assert!(
        answers.iter().all(|a| a.len() >= 20 * 3),
        "{:?}",
        answers[0].len()
    );

    // A sharded sweep of the same tree into a second source: every file
    // once, the same totals per kind, the same subject answers.
    let victim = "dossier0.txt";
    let mut owner = 0;
    let mut read = 0;
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let r = db.run(&[
            "scan",
            "-q",
            "--source",
            "sharded",
            "--shard",
            &shard,
            "--generation",
            "g1",
            root_s,
        ]);
        read += r.summary()["inventory"]["files_read"].as_u64().unwrap();
        if r.of_type("file")
            .iter()
            .any(|f| f["path"].as_str().unwrap().ends_with(victim))
        {
            owner = k;
        }
        if k == 2 {
            let g = &db.report()["generations"];
            let g = g
                .as_array()
                .unwrap()
                .iter()
                .find(|g| g["source"] == "sharded")
                .unwrap();
            assert_eq!(
                (g["complete"].clone(), g["missing"].clone()),
                (json!(false), json!([3]))
            );
        }
    }
    assert_eq!(read, 60);
    assert!(owner > 0);
    let both = db.report();
    assert_eq!(
        both["files"], 120,
        "two sources, the same paths, no collision"
    );
    let sources = both["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert!(sources.iter().all(|s| s["files"] == 60), "{sources:?}");
    let g = both["generations"].as_array().unwrap();
    assert_eq!(g[0]["complete"], true, "{g:?}");
    let doubled: Vec<(String, u64, u64)> = kinds(&full)
        .into_iter()
        .map(|(k, n, f)| (k, 2 * n, 2 * f))
        .collect();
    assert_eq!(kinds(&both), doubled);
    // `subject` groups by source: each finding twice, under each source.
    let dupont = db.subject("Jean Dupont");
    assert_eq!(dupont.len(), 2 * answers[0].len());
    assert!(
        dupont.iter().any(|r| r.contains("\"sharded:/")),
        "{:?}",
        dupont[0]
    );

    // A file removed from one shard's part: the other shards leave it, its
    // own shard marks it removed.
    std::fs::remove_file(root.join("agence0").join(victim)).unwrap();
    let order: Vec<u32> = (1..=3).filter(|&k| k != owner).chain([owner]).collect();
    for k in order {
        let shard = format!("{k}/3");
        let inv = db.scan(
            &root,
            &[
                "--source",
                "sharded",
                "--shard",
                &shard,
                "--generation",
                "g2",
            ],
        );
        let expected = u64::from(k == owner);
        assert_eq!(
            inv["files_removed"].as_u64(),
            Some(expected),
            "shard {k}, owner {owner}"
        );
    }
    answers
}

#[test]
fn backend_suite_sqlite() {
    let d = Dir::new();
    let db = Db {
        db: d.path().join("inv.db").to_str().unwrap().into(),
        key: key_file(&d).to_str().unwrap().into(),
    };
    suite(&db, &d);
}

#[test]
fn backend_suite_postgres_answers_as_sqlite() {
    let Some(pg) = Cluster::start() else { return };
    let d = Dir::new();
    let db = Db {
        db: pg.database("suite"),
        key: key_file(&d).to_str().unwrap().into(),
    };
    let answers = suite(&db, &d);
    // The same tree, the same key, in SQLite: the same answers.
    let s = Dir::new();
    std::fs::copy(&db.key, s.path().join("k")).unwrap();
    let lite = Db {
        db: s.path().join("inv.db").to_str().unwrap().into(),
        key: s.path().join("k").to_str().unwrap().into(),
    };
    // The tree as it was when PostgreSQL answered (the suite removed a file).
    tree(&d, "share");
    let root = d.path().join("share");
    lite.scan(&root, &[]);
    for (p, a) in PEOPLE.iter().zip(&answers) {
        assert_eq!(&lite.subject(p), a, "{p}");
    }
    assert_eq!(kinds(&lite.report()).len(), kinds(&db.report()).len());
}

/// The sweep configuration's keys: `key_file`, `source`, `shard` and
/// `shard_by = "folder"` (each top-level folder read by one shard only).
#[test]
fn sweep_configuration_shards_by_folder() {
    let d = Dir::new();
    tree(&d, "share");
    let key = key_file(&d);
    let db = d.path().join("inv.db");
    for k in 1..=2 {
        let conf = d.file(
            &format!("sweep{k}.toml"),
            format!(
                "roots = [\"share\"]\ndb = \"inv.db\"\nkey_file = \"{}\"\nsource = \"nas\"\n\
                 shard = \"{k}/2\"\nshard_by = \"folder\"\ngeneration = \"n1\"\n",
                key.display()
            ),
        );
        let r = pdscout(["sweep", "-q", "--config", conf.to_str().unwrap()]);
        assert_eq!(r.code(), 0, "{}", r.stderr());
    }
    assert!(
        !d.path().join("inv.db.key").exists(),
        "the key file given is used"
    );
    let c = rusqlite::Connection::open(&db).unwrap();
    let mut st = c
        .prepare("SELECT f.path, r.shard, f.source FROM files f JOIN runs r ON r.id = f.first_run")
        .unwrap();
    let rows: Vec<(String, String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 60);
    let mut owner = std::collections::BTreeMap::new();
    for (path, shard, source) in &rows {
        assert_eq!(source, "nas");
        let folder = path
            .split("/share/")
            .nth(1)
            .unwrap()
            .split('/')
            .next()
            .unwrap();
        let first = owner.entry(folder.to_string()).or_insert(shard.clone());
        assert_eq!(first, shard, "{folder} split between shards");
    }
    let shards: std::collections::BTreeSet<_> = owner.values().collect();
    assert_eq!(shards.len(), 2, "{owner:?}");
    let r = pdscout([
        "report",
        "--db",
        db.to_str().unwrap(),
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert!(
        r.stdout()
            .contains("nas, generation n1: 2/2 shards finished (complete)"),
        "{}",
        r.stdout()
    );
}

/// A name found in a file name keeps its location in the inventory
/// (`{"path_component": N}`, as `scan` prints it): `subject --db` shows it.
/// `downgrade` makes the inventory one of schema 3 (no such column), which
/// the next run migrates.
fn path_component_kept(db: &Db, d: &Dir, downgrade: &dyn Fn()) {
    d.file("names/RH/CV_Caron_Monique.docx", "sans contenu lisible");
    let root = d.path().join("names");
    db.scan(&root, &[]);
    let located = |db: &Db| -> Vec<Value> {
        let r = db.run(&["subject", "--name", "Monique Caron", "--format", "jsonl"]);
        r.of_type("finding")
            .iter()
            .map(|f| f["location"].clone())
            .collect()
    };
    assert_eq!(
        located(db),
        [
            json!({"line": null, "column": null, "sheet": null, "cell": null, "page": null, "path_component": 1})
        ]
    );
    downgrade();
    d.file(
        "names/RH/CV_Caron_Monique.docx",
        "sans contenu lisible, relu",
    );
    db.scan(&root, &[]);
    assert_eq!(located(db)[0]["path_component"], 1);
}

#[test]
fn path_component_kept_sqlite() {
    let d = Dir::new();
    let path = d.path().join("inv.db");
    let db = Db {
        db: path.to_str().unwrap().into(),
        key: key_file(&d).to_str().unwrap().into(),
    };
    path_component_kept(&db, &d, &|| {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "ALTER TABLE findings DROP COLUMN path_component;
             ALTER TABLE findings DROP COLUMN json_path;
             UPDATE meta SET value = '3' WHERE key = 'schema_version';",
        )
        .unwrap();
    });
    assert_eq!(sqlite_schema_version(&path), "5");
}

#[test]
fn path_component_kept_postgres() {
    let Some(pg) = Cluster::start() else { return };
    let d = Dir::new();
    let db = Db {
        db: pg.database("names"),
        key: key_file(&d).to_str().unwrap().into(),
    };
    path_component_kept(&db, &d, &|| {
        pg.client("names")
            .batch_execute(
                "ALTER TABLE findings DROP COLUMN path_component;
                 ALTER TABLE findings DROP COLUMN json_path;
                 UPDATE meta SET value = '3' WHERE key = 'schema_version';",
            )
            .unwrap();
    });
    let v: String = pg
        .client("names")
        .query_one("SELECT value FROM meta WHERE key = 'schema_version'", &[])
        .unwrap()
        .get(0);
    assert_eq!(v, "5");
}

/// `schedule` in a sweep configuration: the shards name their generation
/// after the scheduled start they belong to (UTC), with no `--generation`.
#[test]
fn the_schedule_names_the_generation() {
    let d = Dir::new();
    tree(&d, "share");
    let key = key_file(&d);
    for k in 1..=2 {
        let conf = d.file(
            &format!("sweep{k}.toml"),
            format!(
                "roots = [\"share\"]\ndb = \"inv.db\"\nkey_file = \"{}\"\nshard = \"{k}/2\"\n\
                 schedule = \"daily\"\n",
                key.display()
            ),
        );
        let r = pdscout(["sweep", "-q", "--config", conf.to_str().unwrap()]);
        assert_eq!(r.code(), 0, "{}", r.stderr());
    }
    let c = rusqlite::Connection::open(d.path().join("inv.db")).unwrap();
    let gens: Vec<String> = c
        .prepare("SELECT DISTINCT generation FROM runs")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    // Today (UTC), or tomorrow within 5 minutes of midnight.
    let day = |s: i64| {
        (chrono::Utc::now() + chrono::Duration::seconds(s))
            .format("%Y-%m-%d")
            .to_string()
    };
    assert_eq!(gens.len(), 1, "{gens:?}");
    assert!(gens[0] == day(0) || gens[0] == day(300), "{gens:?}");
    let bad = d.file(
        "bad.toml",
        "roots = [\"share\"]\ndb = \"inv.db\"\nschedule = \"nightly\"\n",
    );
    let r = pdscout(["sweep", "-q", "--config", bad.to_str().unwrap()]);
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("`schedule`"), "{}", r.stderr());
}
