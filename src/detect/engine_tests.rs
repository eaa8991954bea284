//! Tests of the parent module (kept apart: the module is long enough).
#[test]
fn quote_markers_are_blanked_in_place() {
    let t = "Bonjour\n> 112 avenue de la Liberté\n> > 74000 Annecy\n  | x > y\nfin > là";
    let u = super::unmark(t, false).expect("quoted lines");
    assert_eq!(u.len(), t.len());
    assert_eq!(
        u,
        "Bonjour\n  112 avenue de la Liberté\n    74000 Annecy\n    x > y\nfin > là"
    );
    assert_eq!(super::unmark("a > b\nc", false), None);
}
use super::*;
use crate::detect::pattern;

fn engine() -> Engine {
    Engine::new(&pattern::builtin().expect("test data"), None).expect("test data")
}

#[test]
fn builtin_patterns_are_prefiltered() {
    // If this fails, a built-in regex changed: check that its matches
    // still fit the description in `prefilter`.
    assert!(engine().prefilter);
}

/// Texts rich in what the prefilter looks at: digits, `+`, `:`, `@`,
/// bytes that end matches, and values of every kind.
fn texts() -> Vec<String> {
    let mut v = Vec::new();
    for f in pattern::builtin().expect("test data") {
        for p in &f.file.patterns {
            v.extend(p.examples.iter().map(|e| e.text.clone()));
            v.extend(p.negative_examples.iter().cloned());
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["fixtures/text", "fixtures/csv", "eval/corpus"] {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in rd.flatten() {
            if let Ok(t) = std::fs::read_to_string(e.path()) {
                v.push(t);
            }
        }
    }
    // Pseudo-random text over a small alphabet of the bytes that matter.
    let pieces = [
        "1",
        "0",
        "7",
        "_",
        "a1",
        "%",
        "12",
        "2001",
        ":",
        "::",
        "+",
        "+33 ",
        "@",
        "a",
        "Ab",
        "FR76",
        "é",
        "fé",
        "vr",
        " ",
        ".",
        "-",
        "/",
        ",",
        "\n",
        "'",
        "x@y.fr",
        "jean.dupont",
        "06 12 34 56 78",
        "192.168.1.",
        "fe80",
        "née le ",
        "1er mars 1985",
        "FR76 3000 6000 0112 3456 7890 189",
        "4111 1111 1111 1111",
        "1 84 12 75 123 456 40",
        "tél ",
        "version ",
    ];
    let mut rng = crate::TestRng(0x2545_f491_4f6c_dd1d);
    for _ in 0..300 {
        let mut t = String::new();
        for _ in 0..60 {
            t.push_str(pieces[rng.below(pieces.len() as u64) as usize]);
        }
        v.push(t);
    }
    v
}

#[test]
fn prefilter_finds_what_the_full_search_finds() {
    let with = engine();
    let mut without = engine();
    without.prefilter = false;
    let (mut d1, mut d2) = (with.detector(), without.detector());
    let mut checked = 0;
    for t in texts() {
        let cuts = [0, t.len() / 3, t.len() / 2, t.len()];
        for &a in &cuts {
            for &b in &cuts {
                if a > b || !t.is_char_boundary(a) || !t.is_char_boundary(b) {
                    continue;
                }
                let unit = Unit {
                    text: &t,
                    report: a..b,
                    column_kind: None,
                    regex_free: false,
                };
                let (mut f1, mut f2) = (Vec::new(), Vec::new());
                d1.detect_patterns(&unit, &mut f1, &mut 0);
                d2.detect_patterns(&unit, &mut f2, &mut 0);
                assert_eq!(f1, f2, "{a}..{b} of {t:?}");
                checked += f1.len();
            }
        }
    }
    assert!(checked > 1000, "only {checked} findings compared");
}

#[test]
fn a_repeated_cell_is_found_again_and_a_barren_one_only_in_its_own_column() {
    let e = engine();
    let mut d = e.detector();
    let cell = |text: &'static str, column_kind: Option<&'static str>| Unit {
        text,
        report: 0..text.len(),
        column_kind,
        regex_free: false,
    };
    let mut found = |u: &Unit<'_>| {
        let mut out = Vec::new();
        d.detect(u, &mut out);
        out.iter()
            .map(|f| e.patterns[f.pattern].kind.clone())
            .collect::<Vec<_>>()
    };
    // A date alone is nobody's birth date, twice; in a birth-date column it is.
    assert!(found(&cell("12/03/1985", None)).is_empty());
    assert!(found(&cell("12/03/1985", None)).is_empty());
    assert_eq!(found(&cell("12/03/1985", Some("birthdate"))), ["birthdate"]);
    // A value found is found every time.
    for _ in 0..3 {
        assert_eq!(found(&cell("jean.dupont@example.fr", None)), ["email"]);
    }
    // Many barren cells later (the memory is forgotten and refilled), the
    // same answers.
    for i in 0..10_000 {
        let text: &'static str = Box::leak(format!("lot {i}").into_boxed_str());
        assert!(found(&cell(text, None)).is_empty());
    }
    assert_eq!(found(&cell("12/03/1985", Some("birthdate"))), ["birthdate"]);
    assert!(found(&cell("12/03/1985", None)).is_empty());
}

#[test]
fn slices_searched_at_once_find_what_one_search_finds() {
    let at_once = engine();
    let mut one = engine();
    one.within_lines = false;
    let (mut d1, mut d2) = (at_once.detector(), one.detector());
    // Long texts dense in digits, and every few lines a label ending its
    // line before a value on the next: a slice must not start between them
    // (there its search would not see the label).
    let pieces = [
        "2024-01-15 10:22:33 ",
        "id=3760123456789 ",
        "12/03/1985 ",
        "06 12 34 56 78 ",
        "612345678 ",
        "1 84 12 75 123 456 ",
        "x@y.fr ",
        "dur=45ms ",
        "192.168.1.7 ",
        "21 75 A01 234 567 ",
    ];
    let labels = [
        "Date de naissance :\n12/03/1985 ",
        "né le\n1 mars 1990 ",
        "Tél :\n612345678 ",
        "N° SS\n1 84 12 75 123 456 ",
        "Référence de l'avis\n21 75 A01 234 567 ",
    ];
    let mut rng = crate::TestRng(0x9e37_79b9_7f4a_7c15);
    let (mut compared, mut rounds) = (0, 0);
    for round in 0..30 {
        let mut t = String::new();
        let mut line = 0;
        while t.len() < 30_000 {
            for _ in 0..1 + rng.below(5) {
                t.push_str(pieces[rng.below(pieces.len() as u64) as usize]);
            }
            line += 1;
            if line % 8 == 0 {
                t.push_str(labels[rng.below(labels.len() as u64) as usize]);
            }
            t.push('\n');
        }
        let from = [0, 1, 999][round % 3];
        let unit = Unit {
            text: &t,
            report: from..t.len() - round * 10,
            column_kind: None,
            regex_free: false,
        };
        let (mut f1, mut f2) = (Vec::new(), Vec::new());
        let (mut e1, mut e2) = (0, 0);
        d1.detect_patterns(&unit, &mut f1, &mut e1);
        d2.detect_patterns(&unit, &mut f2, &mut e2);
        assert_eq!(f1, f2, "round {round}");
        assert_eq!(e1, e2, "round {round}");
        compared += f1.len();
        rounds += 1;
    }
    assert!(
        compared > 10_000,
        "only {compared} findings compared in {rounds}"
    );
}
