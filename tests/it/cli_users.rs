//! What users meet first: options that take what they type, errors said
//! once, standard input, completions and the manual page, and reports
//! that say what they are.

use crate::util::{fixtures, pdscout, Dir};
use std::collections::BTreeSet;

/// Runs `pdscout ARGS` with `input` on standard input.
fn with_stdin(args: &[&str], input: &str) -> crate::util::Run {
    let out = assert_cmd::Command::cargo_bin("pdscout")
        .unwrap()
        .args(args)
        .write_stdin(input)
        .timeout(std::time::Duration::from_secs(600))
        .output()
        .unwrap();
    crate::util::Run { out }
}

const LETTER: &str = "Locataire : Jean Dupont\nNIR : 1 82 04 38 185 214 70\n\
    IBAN : FR76 3000 6000 0112 3456 7890 189\nCourriel : jean.dupont@example.fr\n\
    Téléphone : 06 12 34 56 78\n";

fn kinds(run: &crate::util::Run) -> BTreeSet<String> {
    run.of_type("finding")
        .iter()
        .map(|f| f["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn kinds_take_any_case_and_spaces() {
    let d = Dir::new();
    let f = d.file("lettre.txt", LETTER);
    let run = pdscout([
        "scan".as_ref(),
        "--kinds".as_ref(),
        "NIR, iban".as_ref(),
        f.as_os_str(),
    ]);
    run.assert_code(0);
    assert_eq!(kinds(&run), BTreeSet::from(["iban".into(), "nir".into()]));
    let help = pdscout(["scan", "--help"]).stdout();
    let kinds_help: String = help
        .split("--kinds")
        .nth(1)
        .unwrap()
        .split("--patterns")
        .next()
        .unwrap()
        .into();
    for k in ["email", "nir", "card", "name", "address"] {
        assert!(kinds_help.contains(k), "{k} missing from: {kinds_help}");
    }
}

#[test]
fn a_negative_confidence_is_a_range_error() {
    let run = pdscout(["scan", "--min-confidence", "-0.5", "."]);
    run.assert_code(2);
    let err = run.stderr();
    assert!(err.contains("between 0 and 1"), "{err}");
    assert!(!err.contains("unexpected argument"), "{err}");
    pdscout(["scan", "--min-confidence", "1.5", "."]).assert_code(2);
}

#[test]
fn an_os_error_is_said_once() {
    let d = Dir::new();
    let f = d.file("a.txt", "rien");
    let missing = d.path().join("nowhere/allow.txt");
    for opt in ["--allow", "-o"] {
        let run = pdscout([
            "scan".as_ref(),
            opt.as_ref(),
            missing.as_os_str(),
            f.as_os_str(),
        ]);
        run.assert_code(2);
        let err = run.stderr();
        assert_eq!(err.matches("os error 2").count(), 1, "{opt}: {err}");
    }
}

#[test]
fn one_file_is_one_file() {
    let d = Dir::new();
    let f = d.file("a.txt", "jean.dupont@example.fr\n");
    let err = pdscout(["scan".as_ref(), f.as_os_str()]).stderr();
    assert!(err.contains("1 file scanned"), "{err}");
    assert!(err.contains(": 1 finding "), "{err}");
    assert!(!err.contains("1 files"), "{err}");
}

#[test]
fn report_help_shows_its_default_once() {
    let help = pdscout(["report", "--help"]).stdout();
    assert_eq!(help.matches("[default: table]").count(), 1, "{help}");
}

#[test]
fn archive_members_are_entries_and_files_with_data_match_the_report() {
    let d = Dir::new();
    let zip = std::fs::read(fixtures().join("archives/dossiers.zip")).unwrap();
    d.file("share/dossiers.zip", zip);
    d.file("share/lettre.txt", LETTER);
    d.file("share/vide.txt", "rien à signaler\n");
    let db = d.path().join("inv.db");
    let share = d.path().join("share");
    let run = pdscout([
        "scan".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        share.as_os_str(),
    ]);
    run.assert_code(0);
    let s = run.summary();
    assert_eq!(s["files_scanned"], 3, "{s}");
    assert!(s["entries_scanned"].as_u64().unwrap() > 3, "{s}");
    // The zip and the letter, however many members hold data.
    assert_eq!(s["files_with_findings"], 2, "{s}");
    let err = run.stderr();
    assert!(err.contains("3 files scanned"), "{err}");
    assert!(err.contains("with archive members"), "{err}");
    let report = pdscout([
        "report".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let r: serde_json::Value = serde_json::from_str(&report.stdout()).unwrap();
    assert_eq!(r["files_with_findings"], s["files_with_findings"]);
}

#[test]
fn stdin_is_one_document_named_stdin() {
    let run = with_stdin(&["scan", "-", "--format", "jsonl"], LETTER);
    run.assert_code(0);
    let files = run.of_type("file");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["path"], "<stdin>");
    assert!(kinds(&run).contains("nir"));
    // With a folder besides.
    let d = Dir::new();
    d.file("a.txt", "karim.benali@example.fr\n");
    let dir = d.path().to_str().unwrap();
    let run = with_stdin(&["scan", "-", dir, "--format", "jsonl"], LETTER);
    let paths: BTreeSet<String> = run
        .of_type("file")
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert!(paths.contains("<stdin>") && paths.len() == 2, "{paths:?}");
    let run = with_stdin(
        &["subject", "-", "--name", "Jean Dupont", "--format", "jsonl"],
        LETTER,
    );
    run.assert_code(0);
    let strong: Vec<_> = run
        .of_type("finding")
        .into_iter()
        .filter(|f| f["match"] == "strong")
        .collect();
    assert!(!strong.is_empty() && strong.iter().all(|f| f["path"] == "<stdin>"));
    let db = d.path().join("inv.db");
    let run = with_stdin(&["scan", "-", "--db", db.to_str().unwrap()], LETTER);
    run.assert_code(2);
    assert!(run.stderr().contains("standard input"), "{}", run.stderr());
}

#[test]
fn completions_for_every_shell_and_a_manual_page() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef pdscout"),
        ("fish", "complete -c pdscout"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[pdscout]"),
    ] {
        let run = pdscout(["completions", shell]);
        run.assert_code(0);
        let out = run.stdout();
        assert!(out.contains(marker), "{shell}: no {marker}");
        assert!(out.contains("min-confidence"), "{shell}");
    }
    pdscout(["completions", "tcsh"]).assert_code(2);
    let man = pdscout(["man"]);
    man.assert_code(0);
    let page = man.stdout();
    assert!(page.contains(".TH pdscout 1"), "{page}");
    assert!(page.contains(".SH \"PDSCOUT SCAN\""), "{page}");
    assert!(page.contains("min\\-confidence"), "{page}");
}

/// Findings of one kind spread over many lines, to fill the Détail.
fn emails(n: usize) -> String {
    (0..n).map(|i| format!("contact{i}@example.fr\n")).collect()
}

#[test]
fn html_reports_say_when_what_and_over_what() {
    let d = Dir::new();
    d.file("a-courriels.txt", "jean.dupont@example.fr\n");
    d.file("z-banque.txt", LETTER);
    let out = d.path().join("r.html");
    let root = d.path().to_str().unwrap();
    pdscout([
        "scan",
        root,
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ])
    .assert_code(0);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("Rapport généré le "), "{html}");
    assert!(html.contains(&format!("pdscout {}", env!("CARGO_PKG_VERSION"))));
    assert!(html.contains("Commande : <code>pdscout scan "), "{html}");
    assert!(html.contains(&format!("<li>{root}</li>")), "{html}");
    // French kinds, dates that do not wrap.
    assert!(html.contains("<td>téléphone</td>"), "{html}");
    assert!(html.contains("<td>adresse</td>") || html.contains("<td>nom</td>"));
    assert!(html.contains("<td class=d>"), "{html}");
    assert!(html.contains("1 fichier non lu") || html.contains("0 fichier non lu"));
    // The file with a NIR and an IBAN first, though its name sorts last.
    let files = html.split("<h2>Fichiers</h2>").nth(1).unwrap();
    let (bank, mail) = (
        files.find("z-banque").unwrap(),
        files.find("a-courriels").unwrap(),
    );
    assert!(bank < mail, "sensitive file first");

    // A subject's command line is masked.
    let out = d.path().join("s.html");
    pdscout([
        "subject",
        root,
        "--name",
        "Jean Dupont",
        "--iban",
        "FR76 3000 6000 0112 3456 7890 189",
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ])
    .assert_code(0);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("--name &#39;J*** D*****&#39;"), "{html}");
    assert!(!html.contains("Dupont") && !html.contains("7890"), "{html}");
}

#[test]
fn a_long_detail_is_paginated_never_cut() {
    let d = Dir::new();
    d.file("liste.txt", emails(4500));
    let out = d.path().join("r.html");
    pdscout([
        "scan",
        d.path().to_str().unwrap(),
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ])
    .assert_code(0);
    let html = std::fs::read_to_string(&out).unwrap();
    let detail = html.split("<h2 id=detail>Détail</h2>").nth(1).unwrap();
    assert!(!detail.contains("contact4499@"), "values masked");
    assert_eq!(detail.matches("<td>e-mail</td>").count(), 4500);
    assert!(detail.contains("Détail, page 3 / 3"), "three pages");
    assert!(detail.contains("<a href=\"#detail-2\">2</a>"));
}

#[test]
fn the_inventory_report_says_when_and_over_what() {
    let d = Dir::new();
    d.file("share/RH/lettre.txt", LETTER);
    let db = d.path().join("inv.db");
    let share = d.path().join("share");
    pdscout([
        "scan".as_ref(),
        "-q".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        share.as_os_str(),
    ])
    .assert_code(0);
    let run = pdscout([
        "report".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        "--format".as_ref(),
        "html".as_ref(),
    ]);
    let html = run.stdout();
    assert!(html.contains("Rapport généré le "), "{html}");
    assert!(
        html.contains("Commande : <code>pdscout report --db "),
        "{html}"
    );
    assert!(
        html.contains(&format!("<li>{}</li>", share.display())),
        "{html}"
    );
    assert!(html.contains("<td>complet</td>"), "{html}");
    assert!(html.contains("<td>NIR</td>"), "{html}");
    assert!(html.contains(&format!("{}/RH", share.display())), "{html}");
}
