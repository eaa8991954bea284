//! The PostgreSQL inventory (`--db postgres://…`): a throwaway cluster in a
//! temp folder (unix socket only, trust authentication, stopped when the
//! test ends, even on failure); the key file it requires; passwords never
//! on the command line; a killed shard completed by its next run; and the
//! deployment examples in `deploy/` use only flags that exist.
//!
//! When `initdb` cannot be found the PostgreSQL tests print
//! `SKIPPED: PostgreSQL not available` and pass.

use crate::util::{pdscout, Dir, Run};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A PostgreSQL server of a test, stopped when dropped.
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    /// Run the server's programs as this user (initdb refuses root).
    as_user: Option<String>,
    pub port: u16,
}

fn find_initdb() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("initdb"))
                .collect()
        })
        .unwrap_or_default();
    candidates.push("/usr/local/bin/initdb".into());
    if let Ok(versions) = std::fs::read_dir("/usr/lib/postgresql") {
        for v in versions.flatten() {
            candidates.push(v.path().join("bin/initdb"));
        }
    }
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .and_then(|p| p.canonicalize().ok())
}

impl Cluster {
    /// Starts a server, or says loudly why not (`None`).
    pub fn start() -> Option<Cluster> {
        Cluster::start_with(None)
    }

    /// A server that also listens on 127.0.0.1 with TLS only (`hostssl` in
    /// pg_hba.conf): `cert` and `key` are its certificate and key files.
    pub fn start_tls(cert: &Path, key: &Path) -> Option<Cluster> {
        Cluster::start_with(Some((cert, key)))
    }

    fn start_with(tls: Option<(&Path, &Path)>) -> Option<Cluster> {
        let Some(initdb) = find_initdb() else {
            skipped("initdb not found");
            return None;
        };
        let bin = initdb.parent().unwrap().to_path_buf();
        let dir = tempfile::tempdir().unwrap();
        // SAFETY: geteuid has no preconditions.
        let root = unsafe { libc::geteuid() } == 0;
        let as_user = root.then(|| "postgres".to_string());
        let data = dir.path().join("pg");
        std::fs::create_dir(&data).unwrap();
        if let Some(user) = &as_user {
            let id = |flag: &str| -> Option<u32> {
                let out = Command::new("id").args([flag, user]).output().ok()?;
                String::from_utf8_lossy(&out.stdout).trim().parse().ok()
            };
            let (Some(uid), Some(gid)) = (id("-u"), id("-g")) else {
                skipped("running as root and there is no postgres user");
                return None;
            };
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
            std::os::unix::fs::chown(&data, Some(uid), Some(gid)).unwrap();
        }
        let port = 20_000 + (std::process::id() % 20_000) as u16 + rand_offset();
        let c = Cluster {
            dir,
            bin,
            as_user,
            port,
        };
        let db = c.data();
        let ok = c
            .run(
                "initdb",
                &[
                    "-D",
                    db.to_str().unwrap(),
                    "-U",
                    "pdscout",
                    "--auth=trust",
                    "--no-sync",
                    "-E",
                    "UTF8",
                    "--locale=C",
                ],
            )
            .is_some_and(|o| o.status.success());
        if !ok {
            skipped("initdb failed");
            return None;
        }
        let mut opts = format!("-k {} -p {port} -c fsync=off", c.socket().display());
        match tls {
            None => opts.push_str(" -c listen_addresses=''"),
            Some((cert, key)) => {
                // Beside the data, where the server's user can read them
                // (and its key only when it alone can).
                let cert_copy = c.dir.path().join("server.crt");
                std::fs::copy(cert, &cert_copy).unwrap();
                let owned = c.dir.path().join("server.key");
                std::fs::copy(key, &owned).unwrap();
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&owned, std::fs::Permissions::from_mode(0o600)).unwrap();
                if c.as_user.is_some() {
                    let ok = Command::new("chown")
                        .arg(format!("{0}:{0}", c.as_user.as_deref().unwrap()))
                        .arg(&owned)
                        .status()
                        .is_ok_and(|s| s.success());
                    assert!(ok, "chown of the server key");
                }
                opts.push_str(&format!(
                    " -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                    cert_copy.display(),
                    owned.display()
                ));
                std::fs::write(
                    db.join("pg_hba.conf"),
                    "local all all trust\nhostssl all all 127.0.0.1/32 trust\n",
                )
                .unwrap();
            }
        }
        let log = c.socket().join("server.log");
        let started = c
            .run(
                "pg_ctl",
                &[
                    "-D",
                    db.to_str().unwrap(),
                    "-l",
                    log.to_str().unwrap(),
                    "-o",
                    &opts,
                    "-w",
                    "start",
                ],
            )
            .is_some_and(|o| o.status.success());
        if !started {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            panic!("PostgreSQL was found but did not start:\n{log}");
        }
        Some(c)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("pg/data")
    }

    fn socket(&self) -> PathBuf {
        self.dir.path().join("pg")
    }

    fn run(&self, program: &str, args: &[&str]) -> Option<std::process::Output> {
        let exe = self.bin.join(program);
        let mut cmd = match &self.as_user {
            Some(u) => {
                let mut c = Command::new("runuser");
                c.args(["-u", u, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        cmd.args(args).current_dir(self.dir.path()).output().ok()
    }

    /// A new database's URL.
    pub fn database(&self, name: &str) -> String {
        let mut c = self.client("postgres");
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        format!(
            "postgres://pdscout@localhost:{}/{name}?host={}",
            self.port,
            self.socket().display()
        )
    }

    /// A connection of the test itself.
    pub fn client(&self, db: &str) -> postgres::Client {
        postgres::Config::new()
            .host_path(self.socket())
            .port(self.port)
            .user("pdscout")
            .dbname(db)
            .connect(postgres::NoTls)
            .unwrap()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
    }
}

/// A little more spread between test threads of one process.
fn rand_offset() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed) * 7
}

fn skipped(why: &str) {
    let line = format!("SKIPPED: PostgreSQL not available ({why})");
    println!("{line}");
    eprintln!("\n******** {line} ********\n");
}

/// A key file as an operator makes one.
pub fn key_file(d: &Dir) -> PathBuf {
    let p = d.file("inventory.key", format!("{}\n", "ab".repeat(32)));
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    p
}

fn run(args: &[&str]) -> Run {
    pdscout(args)
}

#[test]
fn postgres_needs_a_key_file_and_never_a_password_on_the_command_line() {
    let d = Dir::new();
    d.file("share/a.txt", "jean.dupont@example.fr\n");
    let root = d.path().join("share");
    let root = root.to_str().unwrap();
    let r = run(&["scan", "-q", "--db", "postgres://u@localhost:1/x", root]);
    r.assert_code(2);
    assert!(
        r.stderr().contains("--key-file is required"),
        "{}",
        r.stderr()
    );
    let key = key_file(&d);
    let key = key.to_str().unwrap();
    let r = run(&[
        "scan",
        "-q",
        "--db",
        "postgres://u:s3cr3t-pw@localhost:1/x",
        "--key-file",
        key,
        root,
    ]);
    r.assert_code(2);
    assert!(r.stderr().contains("PGPASSWORD"), "{}", r.stderr());
    assert!(!r.stderr().contains("s3cr3t-pw"), "{}", r.stderr());
    let r = run(&[
        "report",
        "--db",
        "postgresql://u@localhost:1/x?sslmode=verify-ful",
        "--key-file",
        key,
    ]);
    r.assert_code(2);
    assert!(r.stderr().contains("not one of disable"), "{}", r.stderr());
    let r = run(&["scan", "-q", "--shard", "4/3", root]);
    r.assert_code(2);
    assert!(r.stderr().contains("not a shard"), "{}", r.stderr());
}

#[test]
fn a_killed_shard_is_marked_aborted_and_its_next_run_completes_it() {
    let Some(pg) = Cluster::start() else { return };
    let d = Dir::new();
    for i in 0..30 {
        d.file(
            &format!("share/d{}/f{i}.txt", i % 5),
            format!("Contact : agent{i}@example.fr\n"),
        );
    }
    let url = pg.database("killed");
    let key = key_file(&d);
    let root = d.path().join("share");
    let shard = |k: u32| {
        run(&[
            "scan",
            "-q",
            "--db",
            &url,
            "--key-file",
            key.to_str().unwrap(),
            "--shard",
            &format!("{k}/2"),
            "--generation",
            "nuit-1",
            root.to_str().unwrap(),
        ])
    };
    shard(1).assert_code(0);
    shard(2).assert_code(0);
    // As a kill -9 leaves it: shard 2's run still "running", one of its
    // files cut short (partial, no size).
    let mut c = pg.client("killed");
    c.batch_execute(
        "UPDATE runs SET status = 'running', ended = NULL WHERE shard = '2/2';
         UPDATE files SET status = 'partial', size = NULL
         WHERE id = (SELECT min(id) FROM files WHERE seen_run = (SELECT id FROM runs WHERE shard = '2/2'))",
    )
    .unwrap();
    let report = || -> serde_json::Value {
        let r = run(&[
            "report",
            "--db",
            &url,
            "--key-file",
            key.to_str().unwrap(),
            "--format",
            "json",
        ]);
        serde_json::from_str(&r.stdout()).unwrap_or_else(|e| panic!("{e}: {}", r.stderr()))
    };
    let g = &report()["generations"][0];
    assert_eq!(g["complete"], false, "{g}");
    assert_eq!(g["missing"], serde_json::json!([2]), "{g}");
    let table = run(&["report", "--db", &url, "--key-file", key.to_str().unwrap()]);
    assert!(
        table
            .stdout()
            .contains("generation nuit-1: 1/2 shards finished, missing 2"),
        "{}",
        table.stdout()
    );
    let again = shard(2);
    again.assert_code(0);
    let inv = &again.summary()["inventory"];
    assert_eq!(inv["files_read"], 1, "{inv}");
    let status: Vec<String> = c
        .query(
            "SELECT status FROM runs WHERE shard = '2/2' ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(status, ["aborted", "complete"]);
    let g = &report()["generations"][0];
    assert_eq!(g["complete"], true, "{g}");
    assert_eq!(g["missing"], serde_json::json!([]), "{g}");
}

/// Every `--flag` given to pdscout in `deploy/` exists.
#[test]
fn deployment_examples_use_flags_that_exist() {
    let deploy = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy");
    let help = run(&["sweep", "--help"]).stdout();
    let mut checked = 0;
    for entry in std::fs::read_dir(&deploy).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // The Job and the unit run `pdscout sweep`; only its flags are there.
        if !(name.ends_with(".yaml") || name.ends_with(".service")) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let commands: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        for flag in commands
            .split(|c: char| c.is_whitespace() || "\"',=[]".contains(c))
            .filter(|w| w.starts_with("--") && w.len() > 2)
        {
            assert!(
                help.contains(flag),
                "{name}: {flag} is not a flag of pdscout sweep"
            );
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} flags found in deploy/");
    let job = std::fs::read_to_string(deploy.join("pdscout-sweep-job.yaml")).unwrap();
    assert!(job.contains("completionMode: Indexed") && job.contains("JOB_COMPLETION_INDEX"));
    let unit = std::fs::read_to_string(deploy.join("pdscout-sweep@.service")).unwrap();
    assert!(unit.contains("%i") && unit.contains("--key-file"));
}

/// A worker locks its part of the register — source, roots and shard — for
/// its run: the same part twice is refused at once, another root of the
/// same source and shard is not.
#[test]
fn the_lock_covers_source_roots_and_shard() {
    let Some(pg) = Cluster::start() else { return };
    let d = Dir::new();
    d.file("rh/a.txt", "Contact : jean.dupont@example.fr\n");
    d.file("compta/b.txt", "Contact : marie.curie@example.fr\n");
    let url = pg.database("locks");
    let key = key_file(&d);
    let rh = d.path().join("rh").to_str().unwrap().to_string();
    let compta = d.path().join("compta").to_str().unwrap().to_string();
    // Another worker holding the part (nas, [rh], 1/1), as a running
    // pdscout would.
    let what = format!(
        "source nas, roots {}, shard 1/1",
        serde_json::to_string(&[&rh]).unwrap()
    );
    let id = xxhash_rust::xxh3::xxh3_64(what.as_bytes()) as i64;
    let mut holder = pg.client("locks");
    holder
        .execute("SELECT pg_advisory_lock($1)", &[&id])
        .unwrap();
    let scan = |root: &str| {
        run(&[
            "scan",
            "-q",
            "--db",
            &url,
            "--key-file",
            key.to_str().unwrap(),
            "--source",
            "nas",
            "--shard",
            "1/1",
            root,
        ])
    };
    let busy = scan(&rh);
    busy.assert_code(2);
    assert!(
        busy.stderr().contains("is being swept by another pdscout"),
        "{}",
        busy.stderr()
    );
    scan(&compta).assert_code(0);
    drop(holder);
    scan(&rh).assert_code(0);
}
