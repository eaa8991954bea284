//! `pdscout patterns`: rules as self-testing data, extendable with --patterns.

use crate::util::{pdscout, scan_revealed, Dir};

#[test]
fn builtin_patterns_pass_their_own_examples() {
    let run = pdscout(["patterns", "check"]);
    run.assert_code(0);
    assert!(run.stdout().contains(" 0 failed"), "{}", run.stdout());
}

#[test]
fn list_names_each_pattern_and_its_file() {
    let run = pdscout(["patterns", "list"]);
    run.assert_code(0);
    for id in [
        "email",
        "iban",
        "nir",
        "phone-fr",
        "ipv4",
        "ipv6",
        "birthdate-numeric",
        "card",
    ] {
        assert!(run.stdout().contains(id), "{id} not listed");
    }
    assert!(run.stdout().contains("patterns/nir.toml"));
}

#[test]
fn test_shows_what_is_found() {
    let run = pdscout(["patterns", "test", "née le 12/03/1985, tél 06 12 34 56 78"]);
    run.assert_code(0);
    assert!(run.stdout().contains("1985-03-12"));
    assert!(run.stdout().contains("+33612345678"));
    pdscout(["patterns", "test", "version 1.2.3.4"]).assert_code(1);
    let run = pdscout([
        "patterns",
        "test",
        "12/03/1985",
        "--column",
        "Date de naissance",
    ]);
    run.assert_code(0);
}

#[test]
fn extra_pattern_dir_adds_a_kind() {
    let d = Dir::new();
    d.file(
        "pat/matricule.toml",
        r#"
kind = "matricule"
[[pattern]]
id = "matricule-salarie"
regex = '''\bMAT-[0-9]{6}\b'''
normaliser = "trim"
confidence = 0.9
examples = [{ text = "matricule MAT-123456", value = "MAT-123456" }]
negative_examples = ["MAT-12"]
"#,
    );
    d.file(
        "data/fiche.txt",
        "Salarié MAT-004211, jean.dupont@example.fr\n",
    );
    let pat = d.path().join("pat");
    let run = scan_revealed(
        &d.path().join("data"),
        &["--patterns", pat.to_str().unwrap(), "--kinds", "matricule"],
    );
    assert_eq!(
        run.kind_values(),
        vec![("matricule".into(), "MAT-004211".into())]
    );
    let check = pdscout(["patterns", "check", "--patterns", pat.to_str().unwrap()]);
    check.assert_code(0);
}

#[test]
fn a_broken_pattern_file_is_a_usage_error() {
    let d = Dir::new();
    d.file(
        "pat/bad.toml",
        "kind = \"x\"\n[[pattern]]\nid = \"x\"\nregex = \"(\"\nconfidence = 0.5\n",
    );
    let run = pdscout([
        "patterns",
        "list",
        "--patterns",
        d.path().join("pat").to_str().unwrap(),
    ]);
    run.assert_code(2);
    assert!(run.stderr().contains("bad.toml"));
}

#[test]
fn a_new_kind_is_one_file_masked_its_way_and_the_prefilter_stays_on() {
    let d = Dir::new();
    d.file(
        "pat/matricule.toml",
        r#"
kind = "matricule"
mask = "card"
sensitive = true
[[pattern]]
id = "matricule-salarie"
regex = '''\bMAT-[0-9]{6}\b'''
normaliser = "trim"
confidence = 0.9
examples = [{ text = "matricule MAT-123456", value = "MAT-123456" }]
"#,
    );
    d.file("data/fiche.txt", "Salarié MAT-004211\n");
    let pat = d.path().join("pat");
    let pat = pat.to_str().unwrap();
    let list = pdscout(["patterns", "list", "--patterns", pat]);
    list.assert_code(0);
    assert!(list.stdout().contains("matricule-salarie"));
    assert!(list.stdout().contains("prefilter: on"), "{}", list.stdout());
    // Masked as the file says (a card's style: the last four shown).
    let run = pdscout([
        "scan",
        d.path().join("data").to_str().unwrap(),
        "--patterns",
        pat,
        "--format",
        "jsonl",
    ]);
    run.assert_code(0);
    assert!(
        run.stdout().contains(r#""masked":"**** **42 11""#),
        "{}",
        run.stdout()
    );
    // A regex that may match inside a word turns the fast path off, and the
    // findings stay the same.
    d.file(
        "pat2/code.toml",
        "kind = \"code\"\n[[pattern]]\nid = \"code\"\nregex = '''[0-9]{6}'''\nconfidence = 0.9\n",
    );
    let slow = pdscout([
        "patterns",
        "list",
        "--patterns",
        d.path().join("pat2").to_str().unwrap(),
    ]);
    assert!(
        slow.stdout().contains("prefilter: off"),
        "{}",
        slow.stdout()
    );
}
