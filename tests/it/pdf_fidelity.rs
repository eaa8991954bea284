//! PDF text as real files hold it, read as poppler's `pdftotext` reads it:
//! junk before the header, damaged cross-references and stream lengths,
//! filters given by reference, form fields and comments, word spaces drawn
//! as glyphs of their own. Fixtures: fixtures/pdf/make_damaged.py.

use crate::pdf::{found, pdf, set, KINDS};
use crate::util::scan_revealed;

#[test]
fn a_byte_order_mark_and_a_blank_line_before_the_header_still_make_a_pdf() {
    let run = scan_revealed(&pdf("entete_bom.pdf"), &["--kinds", KINDS]);
    run.assert_code(0);
    assert_eq!(run.of_type("file")[0]["format"], "pdf");
    assert_eq!(found(&run), set(&[("email", "lucie.martin@example.fr", 1)]));
}

#[test]
fn damaged_cross_references_lengths_and_indirect_filters_are_read() {
    let run = scan_revealed(&pdf("xref_abime.pdf"), &["--kinds", KINDS]);
    run.assert_code(0);
    assert!(
        run.of_type("error").is_empty(),
        "{:?}",
        run.of_type("error")
    );
    assert_eq!(
        found(&run),
        set(&[
            ("email", "paul.bernard@example.fr", 1),
            ("iban", "FR7630006000011234567890189", 2),
            ("email", "claire.petit@example.org", 3),
        ])
    );
}

#[test]
fn form_fields_and_comments_are_read() {
    let run = scan_revealed(&pdf("formulaire_annotations.pdf"), &["--kinds", KINDS]);
    run.assert_code(0);
    assert_eq!(
        found(&run),
        set(&[
            ("email", "martine.lefebvre@example.fr", 1),
            ("phone", "+33612345678", 1),
        ])
    );
}

#[test]
fn space_glyphs_drawn_alone_keep_words_apart() {
    // Glued, the address would read "Contactathugo.roux@example.com".
    let run = scan_revealed(&pdf("espaces_glyphes.pdf"), &["--kinds", KINDS]);
    run.assert_code(0);
    assert_eq!(found(&run), set(&[("email", "hugo.roux@example.com", 1)]));
}
