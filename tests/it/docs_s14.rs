//! Damaged PDFs that poppler reads (issue 18, "errors only for what poppler
//! cannot read either"): objects lopdf cannot parse are read leniently when
//! the file shows no page otherwise.

use crate::docs_fidelity::extracted;
use crate::util::{pdf, Dir};

/// A content stream showing `text` in /F1.
fn content(text: &str) -> String {
    let data = format!("BT /F1 12 Tf 72 700 Td ({text}) Tj ET");
    format!("<< /Length {} >>\nstream\n{data}\nendstream", data.len())
}

const FONT: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

#[test]
fn objects_after_a_comment_in_an_object_stream_are_read() {
    // pdf.js's bug1539074: pdfTeX's uncompressed object stream writes
    // `% 2 0 obj` before each object; lopdf drops them all (no catalog).
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /Contents 5 0 R /Resources << /Font << /F1 4 0 R >> >> >>",
        FONT,
    ];
    let mut head = String::new();
    let mut body = String::new();
    for (i, o) in objs.iter().enumerate() {
        head.push_str(&format!("{} {} ", i + 1, body.len()));
        body.push_str(&format!("% {} 0 obj\n{o}\n", i + 1));
    }
    head.push('\n');
    let objstm = format!(
        "<< /Type /ObjStm /N 4 /First {} /Length {} >>\nstream\n{head}{body}\nendstream",
        head.len(),
        head.len() + body.len()
    );
    let mut out = b"%PDF-1.5\n".to_vec();
    let mut at = Vec::new();
    for (n, o) in [(5, content("Hello Salvage")), (6, objstm)] {
        at.push(out.len());
        out.extend_from_slice(format!("{n} 0 obj\n{o}\nendobj\n").as_bytes());
    }
    // A cross-reference stream: 1–4 in object stream 6, 5 and 6 plain.
    let mut rows = vec![0u8, 0, 0, 0xFF];
    for i in 0..4u8 {
        rows.extend_from_slice(&[2, 0, 6, i]);
    }
    for a in at {
        rows.extend_from_slice(&[1, (a >> 8) as u8, a as u8, 0]);
    }
    let xref = out.len();
    out.extend_from_slice(
        format!(
            "7 0 obj\n<< /Type /XRef /Size 8 /Index [0 7] /W [1 2 1] /Root 1 0 R /Length {} >>\nstream\n",
            rows.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&rows);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    let d = Dir::new();
    let (text, file) = extracted(&d.file("objstm.pdf", &out));
    assert_eq!(file["status"], "read", "{file}");
    assert!(text.contains("Hello Salvage"), "{text:?}");
}

/// Reads a file whose page tree's `/Kids` lost its `[` and whose page
/// object is `page`: its text must come out.
fn damaged_page_is_read(page: &str) {
    let doc = pdf(&[
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids \u{0}3 0 R] /Count 1 >>",
        page,
        FONT,
        &content("Hello Salvage"),
    ]);
    let d = Dir::new();
    let (text, file) = extracted(&d.file("damaged.pdf", &doc));
    assert_eq!(file["status"], "read", "{file}");
    assert!(text.contains("Hello Salvage"), "{text:?}");
}

#[test]
fn a_page_whose_own_object_is_unparsable_is_read_from_what_can_be() {
    // poppler-742-0-fuzzed: the page has a key that is not a name, garbage
    // in an array and a stray `]`.
    damaged_page_is_read(
        "<< /Type /Page /Parent 2 0 R (junk) 12 /TrimBox [0 0 612 792X:X ] ] \
         /Contents 5 0 R /Resources << /Font << /F1 4 0 R >> >> >>",
    );
}

#[test]
fn a_page_whose_type_is_damaged_is_found_by_its_parent() {
    // poppler-937-0-fuzzed: the page's `/Type` key is garbage, its
    // `/MediaBox` array never closed; the page tree still names it.
    damaged_page_is_read(
        "<< /T\u{7f}pe /Page /Parent 2 0 R /Contents 5 0 R \
         /Resources << /Font << /F1 4 0 R >> >> /MediaBox [0 0L612 792; >>",
    );
}
