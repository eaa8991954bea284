//! Tests of font paths met in the public test documents (pdf.js, pdfminer,
//! poppler): partial or broken ToUnicode maps, glyph names, CFF programs.

use super::tests::{stream, text_of, zlib};
use super::tests_layout::page_with_font;

const CMAP_HEAD: &str = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap \
    /CMapType 2 def 1 begincodespacerange <00> <FF> endcodespacerange ";
const CMAP_TAIL: &str = "endcmap CMapName currentdict /CMap defineresource pop end end";

/// A composite font (`Identity-H`) embedding a TrueType program whose
/// `cmap` maps 'J' to glyph 3 and 'é' to glyph 4, with `to_unicode`.
fn composite(to_unicode: &str) -> Vec<u8> {
    let program = super::truetype::font_with_cmap(&[(u16::from(b'J'), 3), (0xE9, 4)]);
    page_with_font(
        "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /ToUnicode 7 0 R \
           /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /FontDescriptor \
           << /Type /FontDescriptor /FontFile2 6 0 R >> >>] >>",
        b"BT /F1 10 Tf 10 10 Td <000300040005> Tj ET",
        &[
            stream("", &program),
            stream("", format!("{CMAP_HEAD}{to_unicode}{CMAP_TAIL}").as_bytes()),
        ],
    )
}

#[test]
fn identity_codes_are_two_bytes_whatever_the_tounicode_code_space() {
    // bug898853, outlines_se: a one-byte code space in the ToUnicode map of
    // an `Identity-H` font split each code in two (a U+FFFD before each letter).
    let doc = composite("3 beginbfchar <03> <0043> <04> <0061> <05> <006E> endbfchar ");
    assert_eq!(text_of(&doc).0, "Can");
}

#[test]
fn a_partial_or_empty_tounicode_map_is_filled_from_the_font() {
    // issue_566: codes the map leaves out come from the font's own `cmap`.
    let (text, notes) = text_of(&composite("1 beginbfchar <05> <0021> endbfchar "));
    assert_eq!(text, "Jé!");
    assert!(notes.is_empty(), "{notes:?}");
    // issue7696, issue2884: a map with only its code space is no map.
    let text = text_of(&composite("")).0;
    assert!(text.starts_with("Jé"), "{text:?}");
}

#[test]
fn differences_name_glyphs_of_the_whole_glyph_list() {
    // issue8229: Czech letters named in `Differences` (`ccaron`, `uring`).
    let doc = page_with_font(
        "<< /Type /Font /Subtype /TrueType /BaseFont /T \
           /Encoding << /Type /Encoding /Differences [1 /R /o /z /uacute /ccaron /t /uring] >> >>",
        b"BT /F1 10 Tf 10 10 Td <0102030405060702> Tj ET",
        &[],
    );
    assert_eq!(text_of(&doc).0, "Rozúčtůo");
}

/// A CFF font program with glyphs `.notdef`, `fi` (standard string 109) and
/// `ccaron` (its own string), drawn by codes 0x0C and 0x41 of its encoding.
fn cff_program() -> Vec<u8> {
    fn index(items: &[&[u8]]) -> Vec<u8> {
        if items.is_empty() {
            return vec![0, 0];
        }
        let mut v = (items.len() as u16).to_be_bytes().to_vec();
        v.push(1); // offset size
        let mut at = 1u8;
        v.push(at);
        for i in items {
            at += i.len() as u8;
            v.push(at);
        }
        items.iter().for_each(|i| v.extend_from_slice(i));
        v
    }
    let int = |n: i32| {
        let mut v = vec![29];
        v.extend_from_slice(&n.to_be_bytes());
        v
    };
    // Top DICT of fixed size: charset (15), Encoding (16), CharStrings (17).
    let top_len = 3 * 6;
    let head = [1u8, 0, 4, 1];
    let names = index(&[b"F"]);
    let strings = index(&[b"ccaron"]);
    let globals = index(&[]);
    let top_index_len = 2 + 1 + 2 + top_len;
    let charset_at = head.len() + names.len() + top_index_len + strings.len() + globals.len();
    let charset = [0u8, 0, 109, 1, 135]; // format 0: SIDs of glyphs 1, 2
    let encoding_at = charset_at + charset.len();
    let encoding = [0u8, 2, 0x0C, 0x41]; // format 0: codes of glyphs 1, 2
    let strings_at = encoding_at + encoding.len();
    let mut top = int(charset_at as i32);
    top.push(15);
    top.extend(int(encoding_at as i32));
    top.push(16);
    top.extend(int(strings_at as i32));
    top.push(17);
    let mut out = head.to_vec();
    out.extend(names);
    out.extend(index(&[&top]));
    out.extend(strings);
    out.extend(globals);
    out.extend_from_slice(&charset);
    out.extend_from_slice(&encoding);
    out.extend(index(&[&[14], &[14], &[14]])); // endchar
    out
}

#[test]
fn a_cff_programs_own_encoding_names_its_glyphs() {
    // issue3566, issue11016: a Type1C font without `/Encoding`: code 0x0C is
    // `fi` and 0x41 `ccaron` only in the program's encoding and charset.
    let doc = page_with_font(
        "<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+CMR9 \
           /FontDescriptor << /Type /FontDescriptor /FontFile3 6 0 R >> >>",
        b"BT /F1 10 Tf 10 10 Td (\\014nal A) Tj ET",
        &[stream(
            "/Subtype /Type1C /Filter /FlateDecode",
            &zlib(&cff_program()),
        )],
    );
    assert_eq!(text_of(&doc).0, "final č");
}
