//! Tests of the whole reader on PDFs built in memory.

use super::*;

#[derive(Default)]
pub(super) struct Collect {
    pages: Vec<(u32, String)>,
    notes: Vec<String>,
}

impl UnitSink for Collect {
    fn unit(&mut self, l: &Located<'_>) {
        let Origin::Page { page } = l.origin else {
            panic!("not a page origin")
        };
        self.pages.push((page, l.unit.text.to_string()));
    }
    fn not_covered(&mut self, reason: &str) {
        self.notes.push(reason.into());
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/pdf")
        .join(name);
    std::fs::read(p).expect("test data")
}

pub(super) fn run(data: &[u8], cap: u64) -> (Collect, Result<(), ExtractError>) {
    let mut c = Collect::default();
    let r = extract_capped(data, cap, &Deadline::unlimited(), None, &mut c);
    (c, r)
}

pub(super) use super::testkit::pdf;

pub(super) fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut v = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    v.extend_from_slice(data);
    v.extend_from_slice(b"\nendstream");
    v
}

/// One page showing `content` with Helvetica as /F1.
fn one_page(content: &[u8]) -> Vec<u8> {
    one_page_with(content, "")
}

/// [`one_page`] with more catalog entries.
fn one_page_with(content: &[u8], catalog: &str) -> Vec<u8> {
    pdf(&[
        format!("<< /Type /Catalog /Pages 2 0 R {catalog} >>").into_bytes(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
        stream("", content),
    ])
}

pub(super) fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(data).expect("test data");
    z.finish().expect("test data")
}

#[test]
fn spaces_and_newlines_follow_the_layout() {
    let c = b"BT /F1 10 Tf 50 700 Td (IBAN) Tj 40 0 Td (FR76) Tj 30 0 Td (3000) Tj \
              0 -14 Td [(jean.du) 20 (pont) -30 (@example.fr)] TJ \
              0 -14 Td [(N\\260) -300 (SS)] TJ 12 TL T* (caf\\351) Tj ET";
    let (c, r) = run(&one_page(c), MAX_DECODED);
    r.expect("test data");
    assert_eq!(
        c.pages,
        vec![(
            1,
            "IBAN FR76 3000\njean.dupont@example.fr\nN° SS\ncafé".to_string()
        )]
    );
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let text = b"BT /F1 10 Tf (x@example.fr) Tj ET";
    let deep = format!("/X {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (_, r) = run(&one_page_with(text, &deep), MAX_DECODED);
    assert!(
        matches!(&r, Err(ExtractError::Corrupt { message, .. }) if message.contains("nested")),
        "{r:?}"
    );
    // Just under the limit, lopdf's recursion fits in the thread's stack.
    let n = MAX_NESTING / 2 - 1;
    let nested = format!("/X {}{}", "<< /A [".repeat(n), "] >>".repeat(n));
    let (c, r) = run(&one_page_with(text, &nested), MAX_DECODED);
    r.expect("test data");
    assert_eq!(c.pages, vec![(1, "x@example.fr".to_string())]);
    // Deep arrays inside a content stream are the lexer's business (flattened).
    let content = format!(
        "BT /F1 10 Tf {}(a@example.fr){} TJ ET",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    let (c, r) = run(&one_page(content.as_bytes()), MAX_DECODED);
    r.expect("test data");
    assert_eq!(c.pages, vec![(1, "a@example.fr".to_string())]);
}

#[test]
fn decompression_is_capped() {
    // A content stream: the page before it is read, then the limit.
    let (c, r) = run(&fixture("bombe_flate.pdf"), 4 << 20);
    assert!(matches!(r, Err(ExtractError::Limit(_))), "{r:?}");
    assert_eq!(
        c.pages,
        vec![(1, "Contact : avant.la.bombe@example.fr".to_string())]
    );
    // An object stream, which lopdf would inflate while loading.
    let big = zlib(&vec![b' '; 8 << 20]);
    let mut objs = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
    ];
    objs.push(stream(
        "/Type /ObjStm /N 0 /First 0 /Filter /FlateDecode",
        &big,
    ));
    let (_, r) = run(&pdf(&objs), 4 << 20);
    assert!(matches!(r, Err(ExtractError::Limit(_))), "{r:?}");
}

#[test]
fn fonts_type0_with_cmap_and_differences() {
    let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap \
        1 begincodespacerange <0000> <FFFF> endcodespacerange \
        2 beginbfchar <0001> <00E9> <0002> <0040> endbfchar \
        1 beginbfrange <0010> <0019> <0030> endbfrange endcmap end end";
    let doc = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /T0 4 0 R /G 7 0 R >> >> /Contents 5 0 R >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /ToUnicode 6 0 R \
           /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /DW 600 /W [1 [500] 16 25 550] >>] >>"
            .to_vec(),
        stream(
            "",
            b"BT /T0 10 Tf 10 10 Td <0001 0011 0012> Tj ET BT /G 10 Tf 10 30 Td <41E9C3> Tj ET",
        ),
        stream("/Filter /FlateDecode", &zlib(cmap)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica \
           /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [195 /Eacute 233 /uni00E0] >> >>"
            .to_vec(),
    ]);
    let (c, r) = run(&doc, MAX_DECODED);
    r.expect("test data");
    assert_eq!(c.pages, vec![(1, "é12\nAàÉ".to_string())]);
}

#[test]
fn page_without_text_and_broken_files() {
    let (c, r) = run(&one_page(b"0 0 1 rg 10 10 100 100 re f"), MAX_DECODED);
    r.expect("test data");
    assert!(c.pages.is_empty());
    assert_eq!(c.notes, vec!["no text layer (scanned image?): not checked"]);
    let (_, r) = run(b"%PDF-1.4\n1 0 obj <<", MAX_DECODED);
    assert!(matches!(r, Err(ExtractError::Corrupt { .. })), "{r:?}");
}

/// The text of the only page of `doc`, with the reader's notes.
pub(super) fn text_of(doc: &[u8]) -> (String, Vec<String>) {
    let (c, r) = run(doc, MAX_DECODED);
    r.expect("test data");
    let text = c.pages.iter().map(|(_, t)| t.as_str()).collect();
    (text, c.notes)
}

#[test]
fn a_space_drawn_alone_separates_words() {
    // One glyph per string, as LibreOffice and many OCR layers write text:
    // the space glyph's own advance is the only gap.
    let c = b"BT /F1 10 Tf 10 10 Td [(Lorem)] TJ [( )] TJ [(ipsum)] TJ ( ) Tj (dolor) Tj ( ) Tj (sit) Tj ET";
    assert_eq!(text_of(&one_page(c)).0, "Lorem ipsum dolor sit");
}

#[test]
fn simple_font_codes_are_one_byte_whatever_the_cmap_code_space() {
    let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange \
        3 beginbfchar <4E> <004E> <61> <0061> <74> <0074> endbfchar";
    let doc = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /TrueType /BaseFont /X /ToUnicode 6 0 R >>".to_vec(),
        stream("", b"BT /F1 10 Tf 10 10 Td (Nat) Tj ET"),
        stream("", cmap),
    ]);
    assert_eq!(text_of(&doc).0, "Nat");
}

#[test]
fn damaged_cross_references_and_lengths_are_rebuilt() {
    let good = one_page(b"BT /F1 10 Tf 10 10 Td (repaired@example.fr) Tj ET");
    // The offset after `startxref` points nowhere.
    let mut bad_start = good.clone();
    let at = bad_start
        .windows(9)
        .rposition(|w| w == b"startxref")
        .expect("test data");
    bad_start.truncate(at);
    bad_start.extend_from_slice(b"startxref\n999999\n%%EOF\n");
    // No cross-reference table and no trailer at all.
    let at = good
        .windows(4)
        .rposition(|w| w == b"xref")
        .expect("test data");
    let no_xref = good[..at].to_vec();
    // A content stream whose `/Length` is wrong, then one without it.
    let content = b"BT /F1 10 Tf 10 10 Td (repaired@example.fr) Tj ET";
    let wrong = String::from_utf8_lossy(&good)
        .replace(&format!("/Length {} >>", content.len()), "/Length 7 >>");
    let missing =
        String::from_utf8_lossy(&good).replace(&format!("/Length {} ", content.len()), "");
    for doc in [bad_start, no_xref, wrong.into_bytes(), missing.into_bytes()] {
        assert_eq!(text_of(&doc).0, "repaired@example.fr");
    }
}

#[test]
fn a_filter_given_by_reference_is_followed() {
    let doc = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        stream(
            "/Filter 6 0 R",
            &zlib(b"BT /F1 10 Tf 10 10 Td (indirect) Tj ET"),
        ),
        b"[/FlateDecode]".to_vec(),
    ]);
    assert_eq!(text_of(&doc).0, "indirect");
}

#[test]
fn annotations_fields_and_comments_are_read() {
    let doc = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R \
           /Annots [6 0 R 7 0 R 8 0 R 9 0 R] >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        stream("", b"BT /F1 10 Tf 10 700 Td (Name:) Tj ET"),
        // A filled field drawn by its appearance stream.
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (ignored) /Rect [100 690 300 710] \
           /AP << /N 10 0 R >> >>"
            .to_vec(),
        // A field without appearance: its value, inherited from its parent.
        b"<< /Type /Annot /Subtype /Widget /Rect [100 600 300 620] /Parent << /T (mail) \
           /V <FEFF0061004000620063002E00660072> >> >>"
            .to_vec(),
        // A comment, and a hidden one.
        b"<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /Contents (Call Ann on 0601020304) >>"
            .to_vec(),
        b"<< /Type /Annot /Subtype /FreeText /F 2 /Rect [0 0 10 10] /AP << /N 11 0 R >> >>"
            .to_vec(),
        stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font << /F1 4 0 R >> >>",
            b"BT /F1 10 Tf 2 5 Td (Jean Dupont) Tj ET",
        ),
        stream("/Type /XObject /Subtype /Form /BBox [0 0 9 9]", b"BT /F1 10 Tf (hidden) Tj ET"),
    ]);
    let (text, _) = text_of(&doc);
    assert_eq!(text, "Name: Jean Dupont\na@bc.fr\nCall Ann on 0601020304");
}

#[test]
fn composite_fonts_without_tounicode() {
    // Identity-H codes are glyph numbers: the embedded font's cmap names them.
    let font = super::truetype::font_with_cmap(&[(u16::from(b'J'), 3), (0xE9, 4)]);
    // A predefined Unicode encoding: the codes are UTF-16.
    let doc = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /T 4 0 R /U 7 0 R >> >> /Contents 5 0 R >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H \
           /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /FontDescriptor \
           << /Type /FontDescriptor /FontFile2 6 0 R >> >>] >>"
            .to_vec(),
        stream("", b"BT /T 10 Tf 10 30 Td <00030004> Tj ET BT /U 10 Tf 10 10 Td <65E5672C> Tj ET"),
        stream("", &font),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Y /Encoding /UniJIS-UCS2-H \
           /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 >>] >>"
            .to_vec(),
    ]);
    let (text, notes) = text_of(&doc);
    assert_eq!(text, "Jé\n日本");
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn a_file_needing_a_user_password_is_reported_encrypted() {
    // lopdf loads such a file without error but without objects: it used to
    // end as "no pages found".
    let mut objs = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R >>".to_vec(),
    ];
    objs.push(
        format!(
            "<< /Filter /Standard /V 1 /R 2 /P -4 /O <{}> /U <{}> >>",
            "ab".repeat(32),
            "cd".repeat(32)
        )
        .into_bytes(),
    );
    let doc = String::from_utf8_lossy(&pdf(&objs)).replace(
        "/Root 1 0 R",
        "/Root 1 0 R /Encrypt 4 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]",
    );
    let (_, r) = run(doc.as_bytes(), MAX_DECODED);
    assert!(matches!(r, Err(ExtractError::Encrypted("pdf"))), "{r:?}");
}

#[test]
fn a_glyph_without_text_as_wide_as_a_space_separates_words() {
    // Code 2 is the space only in the embedded font's own encoding.
    let doc = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+Times /FirstChar 0 /LastChar 2 \
           /Widths [0 0 250] >>"
            .to_vec(),
        stream("", b"BT /F1 10 Tf 10 10 Td (Anne\\002Marie\\001x) Tj ET"),
    ]);
    assert_eq!(text_of(&doc).0, "Anne Mariex");
}

#[test]
fn predefined_cjk_cmaps_without_tounicode() {
    // Shift-JIS codes (`90ms-RKSJ-H`), CIDs of Adobe-Japan1 (`Identity-V`,
    // written downwards: one word, not one line per glyph) and 7-bit JIS (`H`).
    let cid_font = |o: &str| {
        format!(
            "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /Ryumin-Light \
             /CIDSystemInfo << /Registry (Adobe) /Ordering ({o}) /Supplement 2 >> >>"
        )
    };
    let type0 = |enc: &str, o: &str| {
        format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /Ryumin-Light /Encoding /{enc} \
             /DescendantFonts [{}] >>",
            cid_font(o)
        )
        .into_bytes()
    };
    let doc = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /S 4 0 R /V 6 0 R /J 7 0 R >> >> \
           /Contents 5 0 R >>"
            .to_vec(),
        type0("90ms-RKSJ-H", "Japan1"),
        stream(
            "",
            b"BT /S 10 Tf 10 90 Td <82A082A2> Tj ET \
              BT /V 10 Tf 10 70 Td [<034B> <034D>] TJ ET \
              BT /J 10 Tf 50 10 Td <24222424> Tj ET",
        ),
        type0("Identity-V", "Japan1"),
        type0("H", "Japan1"),
    ]);
    let (text, notes) = text_of(&doc);
    assert_eq!(text, "あい\nあい\nあい");
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn a_word_hyphenated_at_a_line_end_is_joined() {
    let c =
        b"BT /F1 10 Tf 50 700 Td (Schil-) Tj 0 -12 Td (ler and Marie-) Tj 0 -12 Td (Claire) Tj ET";
    let (c, r) = run(&one_page(c), MAX_DECODED);
    r.expect("test data");
    assert_eq!(c.pages[0].1, "Schiller and Marie-\nClaire");
}

#[test]
fn a_type1_programs_own_encoding_and_identity_cids() {
    // A TeX font: code 12 is `fi` in the font program only. A composite
    // font of the Adobe-Identity collection, not embedded, without a
    // ToUnicode map: its CIDs are read as Unicode, as poppler does.
    let program = b"%!PS-AdobeFont-1.0: CMR10\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n\
dup 12 /fi put\ndup 97 /a put\nreadonly def\ncurrentfile eexec\n\x80\x81 dup 13 /fl put";
    let doc = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R /I 7 0 R >> >> /Contents 5 0 R >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+CMR10 \
           /FontDescriptor << /Type /FontDescriptor /FontFile 6 0 R >> >>"
            .to_vec(),
        stream("", b"BT /F1 10 Tf 10 30 Td (\\014nal\\015) Tj ET BT /I 10 Tf 10 10 Td <0159> Tj ET"),
        stream("", program),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Arial /Encoding /Identity-H \
           /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Arial \
           /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>] >>"
            .to_vec(),
    ]);
    assert_eq!(text_of(&doc).0, "final\nř");
}

#[test]
fn own_security_handler_opens_what_qpdf_encrypted_with_an_empty_user_password() {
    // The handler that takes over where lopdf fails, checked on files lopdf
    // opens: AES-256 (revision 6) and RC4 128-bit (revision 3) by qpdf.
    for name in ["bulletin_chiffre_sans_mdp.pdf", "bulletin_chiffre_rc4.pdf"] {
        let doc = super::decrypt::open(&fixture(name), MAX_DECODED).expect(name);
        let mut reader = PageReader::new(&doc, MAX_DECODED, None);
        let first = doc.page_iter().next().expect(name);
        reader.page(first).expect(name);
        assert!(reader.text.contains("Bulletin de paie"), "{name}");
    }
    assert!(super::decrypt::open(&fixture("bulletin_chiffre_mdp.pdf"), MAX_DECODED).is_none());
}

#[test]
fn pages_are_found_without_a_page_tree() {
    // issue21436: the catalog's `/Pages` is the page itself; pdf.js and
    // poppler then look for the page objects.
    let doc = pdf(&[
        b"<< /Type /Catalog /Pages 3 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [9 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        stream("", b"BT /F1 10 Tf 10 10 Td (Jean Dupont) Tj ET"),
    ]);
    assert_eq!(text_of(&doc).0, "Jean Dupont");
}

#[test]
fn zero_bytes_after_the_end_are_ignored() {
    // selenium-pypdf-issue-177: 20 kB of zero bytes after `%%EOF` made
    // lopdf miss the cross-reference table, and the rebuilt file (which
    // keeps no `/Info`) lost objects.
    let doc = one_page(b"BT /F1 10 Tf 10 10 Td (Hello World) Tj ET");
    let text = String::from_utf8_lossy(&doc).replace("/Root 1 0 R", "/Root 1 0 R /Info 1 0 R");
    let mut doc = text.into_bytes();
    doc.resize(doc.len() + 20_000, 0);
    let loaded = load(&doc, MAX_DECODED, true).expect("test data");
    assert!(loaded.trailer.get(b"Info").is_ok(), "the file was rebuilt");
    assert_eq!(text_of(&doc).0, "Hello World");
}
