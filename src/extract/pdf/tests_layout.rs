//! Tests of where words and lines break: fonts whose glyph space is their
//! own (Type 3), standard fonts without widths, runs drawn over each other,
//! raised runs and vertical runs.

use super::tests::{pdf, stream, text_of};

/// One page showing `content` with `font` as /F1 and `extra` as objects 6…
pub(super) fn page_with_font(font: &str, content: &[u8], extra: &[Vec<u8>]) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_vec(),
        font.as_bytes().to_vec(),
        stream("", content),
    ];
    objects.extend_from_slice(extra);
    pdf(&objects)
}

#[test]
fn a_type3_fonts_letter_size_comes_from_its_widths() {
    // issue9655: a Type 3 font with an identity matrix drawn at size 0.24,
    // one glyph per `Td`: the gaps between glyphs are many times the font
    // size, but a fraction of a letter's width.
    let font = "<< /Type /Font /Subtype /Type3 /FontMatrix [1 0 0 1 0 0] /FontBBox [0 -14 64 58] \
        /FirstChar 80 /LastChar 121 /Widths [37 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 31 0 0 0 0 0 0 0 0 0 34 34 0 22 0 19 0 0 0 0 31] /CharProcs << >> /Encoding << /Differences [] >> >>";
    let content = b"BT /F9 0.24 Tf ET BT /F1 0.24 Tf 1 0 0 1 0 0 Tm 192.24 738.48 Td (P) Tj \
        1 0 0 1 0 0 Tm 201.84 738.48 Td (ro) Tj 1 0 0 1 0 0 Tm 215.52 738.48 Td (p) Tj \
        1 0 0 1 0 0 Tm 223.92 738.48 Td (e) Tj 1 0 0 1 0 0 Tm 232.32 738.48 Td (r) Tj \
        1 0 0 1 0 0 Tm 237.6 738.48 Td (t) Tj 1 0 0 1 0 0 Tm 241.92 738.48 Td (y) Tj ET";
    assert_eq!(text_of(&page_with_font(font, content, &[])).0, "Property");
}

#[test]
fn a_standard_font_without_widths_is_measured_with_its_own() {
    // issue14755: Helvetica without `Widths`, three runs placed right after
    // each other ("ABC" is 20.56 wide at size 10).
    let font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
    let content = b"BT /F1 10 Tf 100 100 Td (ABC) Tj ET q BT /F1 10 Tf 120 100 Td (DEF) Tj ET Q \
        BT /F1 10 Tf 140 100 Td (GHI) Tj ET";
    assert_eq!(text_of(&page_with_font(font, content, &[])).0, "ABCDEFGHI");
}

#[test]
fn fields_whose_appearances_are_stale_show_their_values() {
    // bug1844583: `/NeedAppearances true`, and the appearance stream still
    // draws an old text; poppler and viewers show the value.
    let doc = |need: &str| {
        pdf(&[
            format!("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] {need} >> >>")
                .into_bytes(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> \
               /Contents 5 0 R /Annots [6 0 R 8 0 R] >>"
                .to_vec(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
            stream("", b""),
            b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (t) /V (Hello World) \
               /Rect [100 690 300 710] /AP << /N 7 0 R >> >>"
                .to_vec(),
            stream(
                "/Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font << /F1 4 0 R >> >>",
                b"BT /F1 10 Tf 2 5 Td (Dlrow Olleh) Tj ET",
            ),
            // A button, drawn by its appearance after the value.
            b"<< /Type /Annot /Subtype /Widget /FT /Btn /T (b) /Rect [100 600 200 620] \
               /AP << /N 9 0 R >> >>"
                .to_vec(),
            stream(
                "/Type /XObject /Subtype /Form /BBox [0 0 100 20] /Resources << /Font << /F1 4 0 R >> >>",
                b"BT /F1 10 Tf 2 5 Td (Click) Tj ET",
            ),
        ])
    };
    assert_eq!(
        text_of(&doc("/NeedAppearances true")).0,
        "Hello World\nClick"
    );
    assert_eq!(text_of(&doc("")).0, "Dlrow Olleh\nClick");
}

#[test]
fn a_raised_run_and_a_vertical_run_are_not_glued_to_the_line() {
    // pdfminer's simple3: `Ts` raises a run by half an em; a vertical
    // Japanese font (`/V`) goes on at the end of a horizontal run.
    let helvetica = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
    let content = b"BT /F1 48 Tf 0 700 Td (Hello) Tj 24 Ts (World) Tj 0 Ts ET";
    assert_eq!(
        text_of(&page_with_font(helvetica, content, &[])).0,
        "Hello World"
    );
    let doc = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R /F2 6 0 R >> >> \
          /Contents 5 0 R >>"
            .to_vec(),
        helvetica.as_bytes().to_vec(),
        stream(
            "",
            b"BT /F1 48 Tf 0 700 Td (Hello) Tj /F2 48 Tf <2422242424262428242A> Tj ET",
        ),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Ryumin-Light-V /Encoding /V \
          /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 \
          /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 1 >> >>] >>"
            .to_vec(),
    ]);
    assert_eq!(text_of(&doc).0, "Hello\nあいうえお");
}

#[test]
fn two_columns_side_by_side_stay_apart_and_aligned() {
    // A payslip's employer (left) and employee (right) blocks: each line
    // of the right column starts at its place, whatever the left one holds.
    let font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
    let content = b"BT /F1 10 Tf 50 700 Td (3 boulevard de Berlin) Tj ET \
        BT /F1 10 Tf 320 700 Td (85 quai de la Fosse) Tj ET \
        BT /F1 10 Tf 50 688 Td (44000 Nantes) Tj ET \
        BT /F1 10 Tf 320 688 Td (44400 Rez\\351) Tj ET";
    let text = text_of(&page_with_font(font, content, &[])).0;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text:?}");
    let right = |l: &str, w: &str| l.find(w).map(|i| l[..i].chars().count());
    assert_eq!(right(lines[0], "85 quai"), Some(64), "{text:?}");
    assert_eq!(right(lines[1], "44400"), Some(64), "{text:?}");
    assert!(lines[0].starts_with("3 boulevard de Berlin   "), "{text:?}");
}
