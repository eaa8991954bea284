//! TLS to the PostgreSQL inventory (`sslmode`, `sslrootcert`, libpq's
//! way): a throwaway cluster that accepts TCP connections only over TLS
//! (`hostssl` in pg_hba.conf), with a certificate for `localhost` signed by
//! a CA made here with the `openssl` command.

use crate::inventory_pg::{key_file, Cluster};
use crate::util::{pdscout, Dir};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A CA and a server certificate for localhost signed by it; another CA
/// that signed nothing. `None` (said loudly) without the `openssl` command.
struct Certs {
    ca: PathBuf,
    wrong_ca: PathBuf,
    server_cert: PathBuf,
    server_key: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) -> bool {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn make_certs(dir: &Path) -> Option<Certs> {
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
    let ca = |name: &str| {
        let mut args = vec!["req", "-x509", "-nodes", "-days", "2"];
        args.extend(ec);
        let key = format!("{name}.key");
        let crt = format!("{name}.crt");
        let subj = format!("/CN=pdscout test {name}");
        args.extend(["-keyout", &key, "-out", &crt, "-subj", &subj]);
        openssl(dir, &args)
    };
    std::fs::write(dir.join("server.ext"), "subjectAltName=DNS:localhost\n").unwrap();
    let mut req = vec!["req", "-nodes", "-subj", "/CN=localhost"];
    req.extend(ec);
    req.extend(["-keyout", "server.key", "-out", "server.csr"]);
    let ok = ca("ca")
        && ca("wrong")
        && openssl(dir, &req)
        && openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                "server.ext",
                "-out",
                "server.crt",
            ],
        );
    if !ok {
        println!("SKIPPED: the openssl command cannot make test certificates");
        eprintln!("\n******** SKIPPED: openssl cannot make test certificates ********\n");
        return None;
    }
    Some(Certs {
        ca: dir.join("ca.crt"),
        wrong_ca: dir.join("wrong.crt"),
        server_cert: dir.join("server.crt"),
        server_key: dir.join("server.key"),
    })
}

#[test]
fn sslmode_and_sslrootcert_as_in_libpq() {
    let d = Dir::new();
    let certs_dir = d.path().join("certs");
    std::fs::create_dir(&certs_dir).unwrap();
    let Some(certs) = make_certs(&certs_dir) else {
        return;
    };
    let Some(pg) = Cluster::start_tls(&certs.server_cert, &certs.server_key) else {
        return;
    };
    pg.database("tls");
    d.file("share/a.txt", "Contact : jean.dupont@example.fr\n");
    let key = key_file(&d);
    let root = d.path().join("share");
    let scan = |query: &str| {
        let url = format!("postgres://pdscout@localhost:{}/tls?{query}", pg.port);
        pdscout([
            "scan",
            "-q",
            "--db",
            &url,
            "--key-file",
            key.to_str().unwrap(),
            root.to_str().unwrap(),
        ])
    };
    let ca = certs.ca.to_str().unwrap();

    let full = scan(&format!("sslmode=verify-full&sslrootcert={ca}"));
    full.assert_code(0);
    assert_eq!(full.summary()["inventory"]["files_read"], 1);
    scan("sslmode=require").assert_code(0);
    // The default, prefer, takes the TLS the server offers.
    scan("").assert_code(0);
    // The certificate names localhost, not 127.0.0.1: verify-ca checks
    // the chain only, verify-full the name too.
    let by_ip = |mode: &str| {
        let url = format!(
            "postgres://pdscout@127.0.0.1:{}/tls?sslmode={mode}&sslrootcert={ca}",
            pg.port
        );
        pdscout(["report", "--db", &url, "--key-file", key.to_str().unwrap()])
    };
    by_ip("verify-ca").assert_code(0);
    let r = by_ip("verify-full");
    r.assert_code(2);
    assert!(
        r.stderr()
            .contains("certificate not valid for name \"127.0.0.1\""),
        "{}",
        r.stderr()
    );

    let wrong = scan(&format!(
        "sslmode=verify-full&sslrootcert={}",
        certs.wrong_ca.display()
    ));
    wrong.assert_code(2);
    let err = wrong.stderr();
    assert!(err.contains("UnknownIssuer"), "{err}");
    assert!(err.contains("sslrootcert"), "{err}");
    assert!(!err.contains("jean.dupont"), "{err}");

    let clear = scan("sslmode=disable");
    clear.assert_code(2);
    let err = clear.stderr();
    assert!(
        err.contains("no pg_hba.conf entry") && err.contains("no encryption"),
        "{err}"
    );

    let bad = scan("sslmode=sometimes");
    bad.assert_code(2);
    assert!(
        bad.stderr().contains("sslmode=sometimes"),
        "{}",
        bad.stderr()
    );
}
