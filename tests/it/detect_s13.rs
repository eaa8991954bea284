//! Cases the held-out evaluation set (eval/make_eval_heldout.py) found and
//! session 13 fixed: they stay fixed.

use crate::util::{fixtures, scan_revealed};

fn has(found: &[(String, String)], kind: &str, value: &str) -> bool {
    found.iter().any(|(k, v)| k == kind && v == value)
}

#[test]
fn a_form_with_a_blank_label_and_labelled_address_fields() {
    let run = scan_revealed(&fixtures().join("detect_s13/fiche_mutation.txt"), &[]);
    let found = run.kind_values();
    // "Nom d'usage :" left blank between Nom and Prénom.
    assert!(has(&found, "name", "Emre YILMAZ"), "{found:?}");
    assert!(!has(&found, "name", "YILMAZ"), "{found:?}");
    // "N° et voie : …" above "Code postal : 69100   Commune : …".
    assert!(
        has(&found, "address", "88 rue Gabriel Péri, 69100 Villeurbanne"),
        "{found:?}"
    );
}

#[test]
fn street_and_birth_date_columns_named_as_tenant_sheets_name_them() {
    let run = scan_revealed(&fixtures().join("detect_s13/etat_locatif.csv"), &[]);
    let found = run.kind_values();
    assert!(
        has(&found, "address", "7 rue Rosa Parks, 69009 Lyon"),
        "{found:?}"
    );
    assert!(has(&found, "birthdate", "1979-09-30"), "{found:?}");
    assert!(has(&found, "name", "Awa TRAORE"), "{found:?}");
}

#[test]
fn first_names_common_in_france_today_and_their_decoys() {
    let run = scan_revealed(&fixtures().join("detect_s13/note_rdv.txt"), &[]);
    let found = run.kind_values();
    // INSEE's first names (patterns/lexicons/prenoms_insee.txt).
    for name in ["Awa Diallo", "Emre Kaya", "Mai Tran"] {
        assert!(has(&found, "name", name), "{name}: {found:?}");
    }
    // A place named after a person; a contract's number.
    assert!(!has(&found, "name", "Frida Kahlo"), "{found:?}");
    assert!(!found.iter().any(|(k, _)| k == "phone"), "{found:?}");
}

#[test]
fn a_requester_written_without_a_turkish_dotless_i_is_found_with_it() {
    let dir = crate::util::Dir::new();
    dir.file(
        "export.json",
        r#"{"locataires":[{"nom":"Yılmaz","prenom":"Emre","tel":"06 12 34 56 78"},
            {"nom":"Martin","prenom":"Paul","tel":"07 11 22 33 44"}]}"#,
    );
    let run = crate::util::pdscout([
        "subject",
        dir.path().to_str().expect("utf-8 path"),
        "--name",
        "Emre Yilmaz",
        "--reveal",
        "--format",
        "jsonl",
    ]);
    let found = run.kind_values();
    assert!(has(&found, "name", "Emre Yılmaz"), "{found:?}");
    assert!(has(&found, "phone", "+33612345678"), "{found:?}");
    assert!(!has(&found, "phone", "+33711223344"), "{found:?}");
}
