//! The inventory can be trusted: a missing or emptied root never reads as
//! "everything was removed", readers never break a sweep, a key or a
//! database that is not the inventory's is refused, nothing stored can
//! confirm a guessed content, every file name keeps its own row, and
//! settings that change findings make unchanged files be read again.

use crate::util::{file_name, pdscout, Dir, Run};
use serde_json::Value;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

const EMAIL: &str = "jean.dupont@example.fr";
const IBAN: &str = "FR76 3000 6000 0112 3456 7890 189";
const NIR: &str = "1 84 12 75 123 456 40";

fn scan_db(db: &Path, root: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<OsString> = vec!["scan".into(), "-q".into(), "--db".into(), db.into()];
    args.extend(extra.iter().map(Into::into));
    args.push(root.into());
    pdscout(args)
}

fn report(db: &Path) -> Value {
    let r = pdscout([
        "report".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    serde_json::from_str(&r.stdout()).unwrap_or_else(|e| panic!("report json: {e}; {}", r.stderr()))
}

/// (read, unchanged, removed) of a run's summary.
fn inventory(r: &Run) -> (u64, u64, u64) {
    let s = r.summary();
    let i = &s["inventory"];
    (
        i["files_read"].as_u64().unwrap(),
        i["files_unchanged"].as_u64().unwrap(),
        i["files_removed"].as_u64().unwrap(),
    )
}

fn share(d: &Dir) -> PathBuf {
    d.file("share/RH/lettre.txt", format!("Écrire à {EMAIL}.\n"));
    d.file(
        "share/Locataires/rib.csv",
        format!("Nom;IBAN\nDupont;{IBAN}\n"),
    );
    d.file("share/Locataires/secu.txt", format!("NIR : {NIR}\n"));
    d.path().join("share")
}

fn sweep(conf: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<OsString> = vec!["sweep".into(), "--config".into(), conf.into()];
    args.extend(extra.iter().map(Into::into));
    pdscout(args)
}

/// A sweep configuration over `share` into `inv.db`, with `extra` lines.
fn sweep_conf(d: &Dir, extra: &str) -> PathBuf {
    d.file(
        "pdscout.toml",
        format!("roots = [\"share\"]\ndb = \"inv.db\"\n{extra}\n"),
    )
}

fn sql<T: rusqlite::types::FromSql>(db: &Path, query: &str) -> T {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(query, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_missing_root_is_an_error_and_marks_nothing_removed() {
    let d = Dir::new();
    let root = share(&d);
    let db = d.path().join("inv.db");
    scan_db(&db, &root, &[]).assert_code(0);

    // The share is not there (an unmounted NAS, a typo in the crontab).
    let away = d.path().join("away");
    std::fs::rename(&root, &away).unwrap();
    let r = scan_db(&db, &root, &[]);
    r.assert_code(2);
    assert!(
        r.stderr().contains("no such file or folder"),
        "{}",
        r.stderr()
    );
    let conf = sweep_conf(&d, "");
    let s = sweep(&conf, &["-q"]);
    s.assert_code(2);
    assert!(s.stderr().contains("share"), "{}", s.stderr());
    let rep = report(&d.path().join("inv.db"));
    assert_eq!(rep["removed_total"], 0, "{rep}");
    assert_eq!(rep["files"], 3);

    // Without an inventory too: a path that does not exist is not "none found".
    let plain = pdscout([
        "scan".as_ref(),
        "-q".as_ref(),
        d.path().join("nothing-here").as_os_str(),
    ]);
    plain.assert_code(2);
    assert!(
        plain.stderr().contains("nothing-here"),
        "{}",
        plain.stderr()
    );

    std::fs::rename(&away, &root).unwrap();
    assert_eq!(inventory(&scan_db(&db, &root, &[])), (0, 3, 0));
}

#[test]
fn an_emptied_root_is_refused_unless_allowed() {
    let d = Dir::new();
    let root = share(&d);
    let db = d.path().join("inv.db");
    scan_db(&db, &root, &[]).assert_code(0);

    // The mount point is there, empty: the share was not mounted.
    std::fs::remove_dir_all(&root).unwrap();
    std::fs::create_dir(&root).unwrap();
    let r = scan_db(&db, &root, &[]);
    r.assert_code(2);
    assert!(
        r.stderr().contains("is empty") && r.stderr().contains("--allow-empty-root"),
        "{}",
        r.stderr()
    );
    let conf = sweep_conf(&d, "");
    sweep(&conf, &["-q"]).assert_code(2);
    assert_eq!(report(&db)["removed_total"], 0);

    // Emptied on purpose: the files are then removed.
    let conf = sweep_conf(&d, "allow_empty_root = true");
    sweep(&conf, &["-q"]).assert_code(1);
    assert_eq!(report(&db)["removed_total"], 3);
    let again = scan_db(&db, &root, &[]);
    again.assert_code(1); // nothing known under it any more: not refused
    assert_eq!(inventory(&again), (0, 0, 0));

    // The flag on the command line, for scan and sweep.
    let d = Dir::new();
    let root = share(&d);
    let db = d.path().join("inv.db");
    scan_db(&db, &root, &[]).assert_code(0);
    std::fs::remove_dir_all(&root).unwrap();
    std::fs::create_dir(&root).unwrap();
    let ok = scan_db(&db, &root, &["--allow-empty-root"]);
    ok.assert_code(1);
    assert_eq!(inventory(&ok), (0, 0, 3));
}

#[test]
fn readers_never_break_a_running_sweep() {
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
    let bin = assert_cmd::cargo::cargo_bin("pdscout");
    // The first run: the one that drops and rebuilds the look-up indexes.
    let mut writer = std::process::Command::new(&bin)
        .args([
            "scan".as_ref(),
            "-q".as_ref(),
            "-j".as_ref(),
            "1".as_ref(),
            "--db".as_ref(),
            db.as_os_str(),
            root.as_os_str(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut reads = 0;
    let status = loop {
        if let Some(status) = writer.try_wait().unwrap() {
            break status;
        }
        for args in [
            vec!["report", "--format", "json", "--db"],
            vec!["subject", "--email", "agent7@example.org", "--db"],
        ] {
            let out = std::process::Command::new(&bin)
                .args(&args)
                .arg(&db)
                .output()
                .unwrap();
            reads += usize::from(out.status.code() != Some(2));
        }
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut writer.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(0), "the sweep died: {err}");
    assert!(reads > 0, "no reader ran while the sweep wrote");
    let run: String = sql(&db, "SELECT status FROM runs ORDER BY id DESC LIMIT 1");
    assert_eq!(run, "complete");
    assert_eq!(report(&db)["files"], 3000);

    // A reader writes nothing, not even an index a dead run left out.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch("DROP INDEX findings_fingerprint").unwrap();
    drop(c);
    let r = pdscout([
        "subject".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        "--email".as_ref(),
        "agent7@example.org".as_ref(),
    ]);
    r.assert_code(0);
    let n: i64 = sql(
        &db,
        "SELECT count(*) FROM sqlite_master WHERE name = 'findings_fingerprint'",
    );
    assert_eq!(n, 0, "the reader created an index");
}

#[test]
fn a_key_of_another_inventory_is_refused() {
    let d = Dir::new();
    let root = share(&d);
    let a = d.path().join("a.db");
    let b = d.path().join("b.db");
    scan_db(&a, &root, &[]).assert_code(0);
    scan_db(&b, &root, &[]).assert_code(0);
    let key_a = pdscout::inventory::key_path(&a);
    std::fs::copy(pdscout::inventory::key_path(&b), &key_a).unwrap();

    let says = |r: &Run| {
        r.assert_code(2);
        assert!(
            r.stderr().contains("does not belong to the inventory"),
            "{}",
            r.stderr()
        );
    };
    says(&scan_db(&a, &root, &[]));
    says(&pdscout([
        "subject".as_ref(),
        "--db".as_ref(),
        a.as_os_str(),
        "--email".as_ref(),
        EMAIL.as_ref(),
    ]));
    says(&pdscout([
        "report".as_ref(),
        "--db".as_ref(),
        a.as_os_str(),
    ]));
    let conf = d.file("pdscout.toml", "roots = [\"share\"]\ndb = \"a.db\"\n");
    says(&sweep(&conf, &["-q"]));
    let runs: i64 = sql(&a, "SELECT count(*) FROM runs");
    assert_eq!(runs, 1, "a run was recorded under the wrong key");

    // An inventory made before key checks gets one from its next run.
    let c = rusqlite::Connection::open(&b).unwrap();
    let check: String = c
        .query_row("SELECT value FROM meta WHERE key = 'key_check'", [], |r| {
            r.get(0)
        })
        .unwrap();
    c.execute("DELETE FROM meta WHERE key = 'key_check'", [])
        .unwrap();
    drop(c);
    scan_db(&b, &root, &[]).assert_code(0);
    let again: String = sql(&b, "SELECT value FROM meta WHERE key = 'key_check'");
    assert_eq!(again, check);
    // No temporary key file is left beside the inventory.
    let names: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains(".tmp")), "{names:?}");
}

#[test]
fn no_stored_digest_confirms_a_guessed_content() {
    let d = Dir::new();
    let root = share(&d);
    let content = std::fs::read(root.join("Locataires/secu.txt")).unwrap();
    let plain = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&content));
    let db = d.path().join("inv.db");
    scan_db(&db, &root, &[]).assert_code(0);
    let stored: String = sql(&db, "SELECT hash FROM files WHERE path LIKE '%secu.txt'");
    assert_ne!(stored, plain, "files.hash is a plain digest of the content");
    // A guess at the content, checked as an attacker would, finds nothing.
    let hits: i64 = sql(
        &db,
        &format!("SELECT count(*) FROM files WHERE hash = '{plain}'"),
    );
    assert_eq!(hits, 0);

    // An inventory of an older pdscout: its plain digests are replaced.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute(
        "UPDATE files SET hash = ?1 WHERE path LIKE '%secu.txt'",
        [&plain],
    )
    .unwrap();
    c.execute("DELETE FROM meta WHERE key = 'file_hash'", [])
        .unwrap();
    drop(c);
    scan_db(&db, &root, &[]).assert_code(0);
    let after: String = sql(&db, "SELECT hash FROM files WHERE path LIKE '%secu.txt'");
    assert_eq!(after, stored, "the old digest is rekeyed, not kept");

    // A moved file is still recognised by its keyed digest.
    std::fs::rename(
        root.join("Locataires/secu.txt"),
        root.join("RH/secu-copie.txt"),
    )
    .unwrap();
    scan_db(&db, &root, &[]).assert_code(0);
    let rep = report(&db);
    let moved = rep["new_files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("secu-copie.txt"))
        .unwrap_or_else(|| panic!("{rep}"))
        .clone();
    assert!(
        moved["note"].as_str().unwrap_or("").contains("secu.txt"),
        "{moved}"
    );
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_keep_their_own_rows() {
    use std::os::unix::ffi::OsStrExt;
    let d = Dir::new();
    let root = d.path().join("share");
    std::fs::create_dir(&root).unwrap();
    for (name, who) in [
        (&b"courrier-\xe9t\xe9.txt"[..], "ete"),
        (&b"courrier-\xe8t\xe8.txt"[..], "ete2"),
    ] {
        std::fs::write(
            root.join(std::ffi::OsStr::from_bytes(name)),
            format!("Contact : {who}@example.fr\n"),
        )
        .unwrap();
    }
    let db = d.path().join("inv.db");
    let first = scan_db(&db, &root, &[]);
    first.assert_code(0);
    let mut paths: Vec<String> = first.of_type("file").iter().map(file_name).collect();
    paths.sort();
    assert_eq!(
        paths,
        ["courrier-\\xe8t\\xe8.txt", "courrier-\\xe9t\\xe9.txt"],
        "names printed escaped"
    );
    let rep = report(&db);
    assert_eq!(rep["files"], 2, "{rep}");
    // Both are found unchanged (their rows lead back to the files).
    assert_eq!(inventory(&scan_db(&db, &root, &[])), (0, 2, 0));
    std::fs::remove_file(root.join(std::ffi::OsStr::from_bytes(b"courrier-\xe8t\xe8.txt")))
        .unwrap();
    assert_eq!(inventory(&scan_db(&db, &root, &[])), (0, 1, 1));
}

#[test]
fn verify_says_a_file_is_gone_instead_of_a_stale_match() {
    let d = Dir::new();
    let root = share(&d);
    let db = d.path().join("inv.db");
    scan_db(&db, &root, &[]).assert_code(0);
    std::fs::remove_file(root.join("RH/lettre.txt")).unwrap();
    let r = pdscout([
        "subject".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        "--verify".as_ref(),
        "--email".as_ref(),
        EMAIL.as_ref(),
    ]);
    assert!(
        r.findings_of("lettre.txt").is_empty(),
        "a stale finding of a file that is gone: {}",
        r.stdout()
    );
    assert_eq!(r.errors_of("lettre.txt"), ["no such file or folder"]);
    assert_eq!(r.summary()["errors"], 1);
}

#[test]
fn a_database_that_is_not_an_inventory_is_left_alone() {
    let d = Dir::new();
    let root = share(&d);
    let db = d.path().join("compta.db");
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch("CREATE TABLE clients (nom TEXT); INSERT INTO clients VALUES ('x');")
        .unwrap();
    drop(c);
    let before = std::fs::read(&db).unwrap();
    let r = scan_db(&db, &root, &[]);
    r.assert_code(2);
    assert!(
        r.stderr().contains("is not a pdscout inventory"),
        "{}",
        r.stderr()
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the database was changed"
    );
    assert!(!pdscout::inventory::key_path(&db).exists());
    let rep = pdscout(["report".as_ref(), "--db".as_ref(), db.as_os_str()]);
    rep.assert_code(2);
    assert!(rep.stderr().contains("is not a pdscout inventory"));
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn the_lock_file_is_private_and_nobody_else_can_hold_the_inventory() {
    use std::os::unix::fs::PermissionsExt;
    let d = Dir::new();
    let root = share(&d);
    let db = d.path().join("inv.db");
    scan_db(&db, &root, &[]).assert_code(0);
    let lock = PathBuf::from(format!("{}.lock", db.display()));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&lock), 0o600);
    // One left readable by an older pdscout is made private.
    std::fs::set_permissions(&lock, std::fs::Permissions::from_mode(0o644)).unwrap();
    scan_db(&db, &root, &[]).assert_code(0);
    assert_eq!(mode(&lock), 0o600);

    // A link planted in its place is not followed.
    std::fs::remove_file(&lock).unwrap();
    let target = d.path().join("elsewhere");
    std::os::unix::fs::symlink(&target, &lock).unwrap();
    let r = scan_db(&db, &root, &[]);
    r.assert_code(0);
    assert!(!target.exists(), "the lock followed a link");

    // A lock file of another user, held: the sweep runs all the same.
    // (The tests may run as root, who can make it; otherwise skip that part.)
    std::fs::remove_file(&lock).unwrap();
    let theirs = std::fs::File::create(&lock).unwrap();
    if std::os::unix::fs::chown(&lock, Some(4242), Some(4242)).is_ok() {
        theirs.try_lock().unwrap();
        let r = scan_db(&db, &root, &[]);
        r.assert_code(0);
        assert!(r.stderr().contains("another user"), "{}", r.stderr());
        drop(theirs);
    }

    // The database file itself is the lock: held, the sweep does not run.
    let held = std::fs::File::open(&db).unwrap();
    held.try_lock().unwrap();
    let r = scan_db(&db, &root, &[]);
    r.assert_code(2);
    assert!(
        r.stderr().contains("in use by another pdscout"),
        "{}",
        r.stderr()
    );
}

#[test]
fn changed_settings_make_unchanged_files_be_read_again() {
    let d = Dir::new();
    let root = share(&d);
    let db = d.path().join("inv.db");
    let first = scan_db(&db, &root, &[]);
    assert_eq!(first.summary()["findings"]["email"], 1);

    // The e-mail is allowed now: the unchanged letter must not keep it.
    let allow = d.file("allow.txt", format!("email: {EMAIL}\n"));
    let allowed = pdscout([
        "scan".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        "--allow".as_ref(),
        allow.as_os_str(),
        root.as_os_str(),
    ]);
    assert!(
        allowed.stderr().contains("every file is read again"),
        "{}",
        allowed.stderr()
    );
    assert_eq!(inventory(&allowed), (3, 0, 0));
    assert!(allowed.summary()["findings"].get("email").is_none());
    // Same settings again: unchanged files are kept.
    let same = scan_db(&db, &root, &["--allow", allow.to_str().unwrap()]);
    assert_eq!(inventory(&same), (0, 3, 0));
    assert!(!same.stderr().contains("read again"));
    // The allow list's content counts, not its name.
    std::fs::write(&allow, "# nothing allowed\n").unwrap();
    let edited = scan_db(&db, &root, &["--allow", allow.to_str().unwrap()]);
    assert_eq!(inventory(&edited), (3, 0, 0));
    assert_eq!(edited.summary()["findings"]["email"], 1);
    // Kinds and the minimum confidence too.
    let kinds = scan_db(
        &db,
        &root,
        &["--allow", allow.to_str().unwrap(), "--kinds", "email"],
    );
    assert_eq!(inventory(&kinds), (3, 0, 0));
    let conf = scan_db(&db, &root, &["--kinds", "email", "--min-confidence", "0.9"]);
    assert_eq!(inventory(&conf).0, 3);
}

#[test]
fn sweep_configuration_values_are_checked_like_the_command_line() {
    let d = Dir::new();
    share(&d);
    for (line, key) in [
        ("min_confidence = 5", "min_confidence"),
        ("min_confidence = -0.1", "min_confidence"),
        ("threads = 0", "threads"),
        ("max_file_size = \"10x\"", "max_file_size"),
        ("kinds = [\"email\", \"passport\"]", "kinds"),
    ] {
        let conf = sweep_conf(&d, line);
        let r = sweep(&conf, &["-q"]);
        r.assert_code(2);
        assert!(r.stderr().contains(key), "{line}: {}", r.stderr());
        assert!(!d.path().join("inv.db").exists(), "{line}: a sweep ran");
    }
    let conf = sweep_conf(&d, "kinds = [\"email\"]\nmin_confidence = 0.5\nthreads = 1");
    let r = sweep(&conf, &["-q"]);
    r.assert_code(0);
    assert_eq!(
        report(&d.path().join("inv.db"))["kinds"][0]["kind"],
        "email"
    );
}
