//! Tests of the parent module (kept apart: the module is long enough).
use super::*;
use crate::detect::pattern;

fn subject(ids: SubjectIds) -> Subject {
    let engine = Engine::new(&pattern::builtin().expect("test data"), None).expect("test data");
    Subject::new(&ids, &engine).expect("test data")
}

#[test]
fn canonical_forms_meet_the_subjects_identifiers() {
    let s = subject(SubjectIds {
        names: vec!["LEFÈVRE Élodie".into()],
        exact: vec![("iban".into(), "fr76 3000 6000 0112 3456 7890 189".into())],
        addresses: vec!["12 bd de la Paix 75002 Paris".into()],
    });
    let ids = s.canonical_ids();
    let has = |kind: &str, value: &str, part: bool| {
        let (whole, p) = canonical_forms(kind, value);
        let form = if part { p.unwrap() } else { whole };
        ids.iter()
            .any(|(k, c, _, is_part)| k == kind && *c == form && *is_part == part)
    };
    assert!(has("name", "Elodie Lefevre", false));
    assert!(has("name", "E. Lefèvre", true));
    assert!(
        !has("name", "Emma Lefèvre", true),
        "another first name with the same initial is a look-alike"
    );
    assert!(!has("name", "Pierre Lefèvre", true));
    assert!(!has("name", "Emma Lefèvre", false));
    assert!(has("iban", "FR7630006000011234567890189", false));
    assert!(has(
        "address",
        "12 boulevard de la Paix, 75002 Paris",
        false
    ));
}

#[test]
fn names_in_any_order_and_case() {
    let s = subject(SubjectIds {
        names: vec!["Élodie Lefèvre".into()],
        ..Default::default()
    });
    assert_eq!(s.matches("name", "LEFEVRE Elodie"), Some(Strength::Strong));
    assert_eq!(s.matches("name", "Élodie LEFÈVRE"), Some(Strength::Strong));
    assert_eq!(s.matches("name", "E. Lefèvre"), Some(Strength::Weak));
    assert_eq!(s.matches("name", "Lefèvre"), Some(Strength::Weak));
    assert_eq!(s.matches("name", "Marie Lefèvre"), None);
    let s = subject(SubjectIds {
        names: vec!["Jean Dupont".into()],
        ..Default::default()
    });
    assert_eq!(s.matches("name", "Jeanne Dupont"), None);
    assert_eq!(s.matches("name", "Jean Dupond"), None);
}

#[test]
fn identifiers_however_written() {
    let s = subject(SubjectIds {
        exact: [
            ("email", "Jean.Dupont@Example.fr"),
            ("phone", "06 12 34 56 78"),
            ("iban", "fr76 3000 6000 0112 3456 7890 189"),
            ("nir", "1 84 12 75 123 456 40"),
            ("birthdate", "1985-03-12"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .to_vec(),
        addresses: vec!["12 bd Victor Hugo 75016 Paris".into()],
        ..Default::default()
    });
    assert_eq!(
        s.matches("email", "jean.dupont@example.fr"),
        Some(Strength::Strong)
    );
    assert_eq!(s.matches("phone", "+33612345678"), Some(Strength::Strong));
    assert_eq!(
        s.matches("iban", "FR7630006000011234567890189"),
        Some(Strength::Strong)
    );
    assert_eq!(s.matches("nir", "184127512345640"), Some(Strength::Strong));
    assert_eq!(s.matches("birthdate", "1985-03-12"), Some(Strength::Weak));
    assert!(s
        .matches("address", "12 boulevard Victor Hugo, 75016 Paris")
        .is_some());
    assert!(s
        .matches("address", "14 boulevard Victor Hugo, 75016 Paris")
        .is_none());
}

#[test]
fn a_requester_known_by_an_initial_has_candidates_only() {
    let s = subject(SubjectIds {
        names: vec!["C. Lemaître".into()],
        ..Default::default()
    });
    assert_eq!(s.matches("name", "Claire LEMAÎTRE"), Some(Strength::Weak));
    assert_eq!(s.matches("name", "C. Lemaître"), Some(Strength::Weak));
    assert_eq!(s.matches("name", "Paul Lemaître"), None);
    let ids = s.canonical_ids();
    assert!(ids.iter().all(|(_, _, st, _)| *st == Strength::Weak));
    let (_, part) = canonical_forms("name", "Claire Lemaître");
    assert!(ids
        .iter()
        .any(|(_, c, _, p)| *p && Some(c) == part.as_ref()));
}

#[test]
fn streets_and_companies_are_not_people() {
    let t = "au 12 rue Jean Dupont, puis Dupont Immobilier SARL, la SCI Dupont, Ets Dupont & Fils, et M. Dupont.";
    let at = |w: &str, nth: usize| {
        let i = t.match_indices(w).nth(nth).unwrap().0;
        (i, i + w.len())
    };
    let (s0, e0) = at("Jean Dupont", 0);
    assert!(not_a_person(t, s0, e0));
    for n in 1..4 {
        let (s, e) = at("Dupont", n);
        assert!(not_a_person(t, s, e), "{n}");
    }
    let (s, e) = at("Dupont", 4);
    assert!(!not_a_person(t, s, e));
}

#[test]
fn mentions_in_text() {
    let s = subject(SubjectIds {
        names: vec!["Élodie Lefèvre".into()],
        ..Default::default()
    });
    let mut out = Vec::new();
    let t = "Reçu de E. Lefèvre ; LEFEVRE, Élodie ; Mme Lefevre ; Lefèvreux";
    s.mentions(t, 0..t.len(), &mut out);
    let got: Vec<(&str, Strength)> = out.iter().map(|m| (m.value.as_str(), m.strength)).collect();
    assert_eq!(
        got,
        vec![
            ("E. Lefèvre", Strength::Weak),
            ("LEFEVRE, Élodie", Strength::Strong),
            ("Lefevre", Strength::Weak)
        ]
    );
}

#[test]
fn several_first_names_are_a_full_name_only_all_together() {
    let s = subject(SubjectIds {
        names: vec!["Thi Lan Nguyen".into()],
        ..Default::default()
    });
    assert_eq!(s.matches("name", "NGUYEN Thi Lan"), Some(Strength::Strong));
    assert_eq!(s.matches("name", "Lan Nguyen"), Some(Strength::Weak));
    let mut out = Vec::new();
    let t = "Thi Lan NGUYEN ; Lan NGUYEN ; NGUYEN Thi Lan ; NGUYEN Lan ; Jean-Pierre Nguyen";
    s.mentions(t, 0..t.len(), &mut out);
    let got: Vec<(&str, Strength)> = out.iter().map(|m| (m.value.as_str(), m.strength)).collect();
    assert_eq!(
        got,
        vec![
            ("Thi Lan NGUYEN", Strength::Strong),
            ("Lan NGUYEN", Strength::Weak),
            ("NGUYEN Thi Lan", Strength::Strong),
            ("NGUYEN Lan", Strength::Weak),
            ("Nguyen", Strength::Weak)
        ]
    );
    let s = subject(SubjectIds {
        names: vec!["Jean-Pierre Martin".into()],
        ..Default::default()
    });
    let mut out = Vec::new();
    let t = "M. Jean-Pierre MARTIN ; Pierre Martin";
    s.mentions(t, 0..t.len(), &mut out);
    let got: Vec<Strength> = out.iter().map(|m| m.strength).collect();
    assert_eq!(got, vec![Strength::Strong, Strength::Weak]);
}
