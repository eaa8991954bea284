//! Word-processing documents, slides and markup (fixtures/office,
//! fixtures/markup, made by `fixtures/office/make_office.py`): every finding
//! with its part (`entry`) and paragraph or source line, decoys not found,
//! broken files reported while the scan goes on.

use crate::util::{fixtures, scan_revealed, Dir};
use serde_json::Value;
use std::collections::BTreeSet;

const KINDS: &[&str] = &["--kinds", "email,iban,nir,phone,ip,birthdate,card"];

/// (entry, kind, value, line) of every finding.
type Found = BTreeSet<(Option<String>, String, String, u64)>;

fn found(path: &std::path::Path) -> (Found, Vec<Value>, i32) {
    let run = scan_revealed(path, KINDS);
    let set = run
        .of_type("finding")
        .iter()
        .map(|f| {
            (
                f["entry"].as_str().map(str::to_string),
                f["kind"].as_str().unwrap().to_string(),
                f["value"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    (set, run.of_type("error"), run.code())
}

fn expect(list: &[(Option<&str>, &str, &str, u64)]) -> Found {
    list.iter()
        .map(|(e, k, v, l)| (e.map(str::to_string), k.to_string(), v.to_string(), *l))
        .collect()
}

/// Decoys written in every fixture: bad-checksum IBAN, wrong-key NIR,
/// SIRET, dates without birth context, code in `<script>`.
fn assert_no_decoys(found: &Found) {
    for (_, _, value, _) in found {
        assert!(
            ![
                "FR7630006000011234567890188",
                "292027511504293",
                "73282932000074",
                "2024-03-12",
                "2024-04-05",
                "2019-09-01",
                "2024-01-15",
                "2024-06-15",
                "prenom.nom@exemple-domaine.fr",
                "style.decoy@example.fr",
            ]
            .contains(&value.as_str()),
            "decoy found: {value}"
        );
    }
}

const BODY: Option<&str> = None;

#[test]
fn docx_body_table_text_box_footer_and_comment() {
    let (got, errors, code) = found(&fixtures().join("office/lettre_locataire.docx"));
    assert_eq!(code, 0);
    assert!(errors.is_empty(), "{errors:?}");
    let want = expect(&[
        (BODY, "iban", "FR7630006000011234567890189", 5),
        // Split over two runs with spell-check marks between them.
        (BODY, "nir", "292027511504292", 6),
        (BODY, "birthdate", "1992-02-14", 7),
        // Two lines (w:br) of paragraph 8, a tab before the first.
        (BODY, "phone", "+33145678910", 8),
        (BODY, "phone", "+33781234567", 8),
        // Inside a text box in paragraph 10, once (the VML fallback repeats it).
        (BODY, "email", "gardien.tilleuls@example.fr", 11),
        // A table cell: cells are paragraphs 12-15.
        (BODY, "email", "elodie.menard@example.fr", 15),
        (
            Some("word/comments.xml"),
            "email",
            "karim.benali@example.fr",
            1,
        ),
        (Some("word/footer1.xml"), "phone", "+33612345678", 2),
    ]);
    assert_eq!(got, want);
    assert_no_decoys(&got);
}

#[test]
fn odt_same_letter_with_footnote_annotation_and_master_page_footer() {
    let (got, errors, _) = found(&fixtures().join("office/lettre_locataire.odt"));
    assert!(errors.is_empty(), "{errors:?}");
    let want = expect(&[
        // The footnote citation "1" right after the IBAN does not stick to it.
        (BODY, "iban", "FR7630006000011234567890189", 5),
        (BODY, "nir", "292027511504292", 7),
        (BODY, "birthdate", "1992-02-14", 8),
        (BODY, "phone", "+33145678910", 9),
        (BODY, "phone", "+33781234567", 9),
        (BODY, "email", "elodie.menard@example.fr", 14),
        // The annotation's paragraph, inside paragraph 15.
        (BODY, "email", "karim.benali@example.fr", 16),
        (Some("styles.xml"), "phone", "+33612345678", 2),
    ]);
    assert_eq!(got, want);
}

#[test]
fn pptx_slides_and_notes_are_entries() {
    let (got, errors, _) = found(&fixtures().join("office/reunion_locataires.pptx"));
    assert!(errors.is_empty(), "{errors:?}");
    let want = expect(&[
        (Some("ppt/slides/slide1.xml"), "phone", "+33698765432", 3),
        (
            Some("ppt/notesSlides/notesSlide1.xml"),
            "email",
            "sophie.girard@example.fr",
            1,
        ),
    ]);
    assert_eq!(got, want);
}

#[test]
fn broken_documents_are_reported_and_the_scan_goes_on() {
    let run = scan_revealed(&fixtures().join("office"), KINDS);
    run.assert_code(0);
    let errors: BTreeSet<(String, String)> = run.errors_by_name().into_iter().collect();
    let want: BTreeSet<(String, String)> = [
        (
            "tronque.docx",
            "corrupt docx: not a valid zip: invalid Zip archive: Could not find EOCD",
        ),
        (
            "corps_illisible.docx",
            "word/document.xml: corrupt xml: ends before its last element is closed (truncated?)",
        ),
        (
            "bombe.docx",
            "word/document.xml: compressed more than 250:1 (possible zip bomb): not read",
        ),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(errors, want);
    // What could be read of the broken ones is still reported.
    let (cut, _, _) = found(&fixtures().join("office/corps_illisible.docx"));
    assert_eq!(
        cut,
        expect(&[
            (BODY, "iban", "FR7630006000011234567890189", 5),
            (BODY, "nir", "292027511504292", 6),
            (
                Some("word/comments.xml"),
                "email",
                "karim.benali@example.fr",
                1
            ),
            (Some("word/footer1.xml"), "phone", "+33612345678", 2),
        ])
    );
    let (bomb, _, _) = found(&fixtures().join("office/bombe.docx"));
    assert_eq!(bomb.len(), 2, "{bomb:?}");
    // A text file named .docx is read as text.
    let (text, errors, _) = found(&fixtures().join("office/pas_un_docx.docx"));
    assert!(errors.is_empty());
    assert_eq!(
        text,
        expect(&[(BODY, "email", "chloe.coeur@example.fr", 2)])
    );
}

#[test]
fn html_newsletter_lines_of_the_source() {
    let (got, errors, _) = found(&fixtures().join("markup/newsletter_locataires.html"));
    assert!(errors.is_empty(), "{errors:?}");
    let want = expect(&[
        // mailto: link whose text is "écrire".
        (BODY, "email", "chloe.coeur@example.fr", 17),
        // mailto: link showing its address: found once.
        (BODY, "email", "julien.roux@example.fr", 18),
        // &#64; for @, &nbsp; between the phone's groups.
        (BODY, "email", "lucas.moreau@example.fr", 19),
        (BODY, "phone", "+33612345678", 19),
        // tel: link.
        (BODY, "phone", "+33698765432", 20),
        // "n&#xE9;e le" at the end of line 22, the date on line 23.
        (BODY, "birthdate", "1988-07-03", 23),
        // Two cells of one row: separate values.
        (BODY, "phone", "+33144556677", 24),
        (BODY, "phone", "+33144556678", 24),
        // An HTML comment is on the file share too.
        (BODY, "email", "ancien.gardien@example.fr", 26),
    ]);
    assert_eq!(got, want);
    assert_no_decoys(&got);
}

#[test]
fn xml_export_typed_by_element_and_attribute_names() {
    let (got, errors, _) = found(&fixtures().join("markup/export_locataires.xml"));
    assert!(errors.is_empty(), "{errors:?}");
    let want = expect(&[
        // Attribute telephone="0612345678".
        (BODY, "phone", "+33612345678", 3),
        // <date_naissance> makes a bare ISO date a birth date; <date_entree> does not.
        (BODY, "birthdate", "1992-02-14", 6),
        (BODY, "email", "elodie.menard@example.fr", 8),
        (BODY, "iban", "FR7630006000011234567890189", 9),
        (BODY, "nir", "292027511504292", 10),
        // A text node over two lines: "né le" on 11, the date on 12.
        (BODY, "birthdate", "1970-11-05", 12),
        (BODY, "nir", "170111305512304", 12),
        // CDATA.
        (BODY, "email", "julien.roux@example.fr", 15),
    ]);
    assert_eq!(got, want);
    assert_no_decoys(&got);
}

#[test]
fn xml_entities_are_never_expanded() {
    let t = std::time::Instant::now();
    let (got, errors, _) = found(&fixtures().join("markup/billion_laughs.xml"));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        got,
        expect(&[(BODY, "email", "karim.benali@example.fr", 15)])
    );
    assert!(t.elapsed().as_secs() < 10);
}

#[test]
fn json_export_typed_by_keys() {
    let (got, errors, _) = found(&fixtures().join("markup/candidats.json"));
    assert!(errors.is_empty(), "{errors:?}");
    let want = expect(&[
        (BODY, "birthdate", "1988-07-03", 5),
        // "telephone": 612345678, a number.
        (BODY, "phone", "+33612345678", 6),
        (BODY, "email", "julien.roux@example.fr", 7),
        // After a \n escape in the value: still the value's line.
        (BODY, "phone", "+33698765432", 14),
        (BODY, "birthdate", "1995-09-21", 19),
        // An array under "telephones".
        (BODY, "phone", "+33781234567", 21),
        // A NIR written as a number.
        (BODY, "nir", "295096938101724", 23),
        (BODY, "email", "sophie.girard@example.fr", 24),
    ]);
    assert_eq!(got, want);
    assert_no_decoys(&got);
    let (cut, errors, _) = found(&fixtures().join("markup/tronque.json"));
    assert_eq!(cut.len(), 3, "{cut:?}");
    assert_eq!(
        errors[0]["error"],
        "corrupt json: ends before its last element is closed (truncated?)"
    );
}

#[test]
fn deep_nesting_does_not_overflow() {
    let dir = Dir::new();
    let depth = 100_000;
    let json = format!(
        "{}{{\"email\": \"jean.dupont@example.fr\"}}{}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    dir.file("profond.json", json);
    let xml = format!(
        "<?xml version=\"1.0\"?>{}jean.dupont@example.fr{}",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    dir.file("profond.xml", xml);
    let html = format!("{}jean.dupont@example.fr", "<div><span>".repeat(depth));
    dir.file("profond.html", html);
    let run = scan_revealed(dir.path(), KINDS);
    run.assert_code(0);
    assert!(
        run.of_type("error").is_empty(),
        "{:?}",
        run.of_type("error")
    );
    assert_eq!(run.kind_values().len(), 3, "{:?}", run.kind_values());
}
