//! Fidelity on real-world document quirks (issue 18): a mail body of raw
//! 8-bit text naming no charset is read in the charset its bytes show, and
//! a PDF's Japanese text in a font without a ToUnicode map is read through
//! the predefined CMaps, and encrypted PDFs with an empty user password are
//! read where lopdf fails to open them.

use crate::util::{pdf, pdscout, Dir};
use serde_json::Value;

/// The text `pdscout extract` gives for `path`, and its file line.
pub(crate) fn extracted(path: &std::path::Path) -> (String, Value) {
    let run = pdscout([
        "extract".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        path.as_os_str(),
    ]);
    let lines: Vec<Value> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let text = lines
        .iter()
        .filter_map(|l| l["text"].as_str())
        .collect::<Vec<_>>()
        .join("\n");
    (text, lines.last().cloned().unwrap_or(Value::Null))
}

#[test]
fn a_raw_8bit_mail_body_without_charset_is_decoded_by_its_bytes() {
    let d = Dir::new();
    // "안녕하세요 홍길동 님, 계좌 정보를 보내드립니다." in EUC-KR, sent as
    // 8-bit without a charset parameter (old Korean clients).
    let (body, _, _) =
        encoding_rs::EUC_KR.encode("안녕하세요 홍길동 님, 계좌 정보를 보내드립니다.\r\n");
    let mut mail = b"From: a@example.kr\r\nTo: b@example.kr\r\nSubject: test\r\n\
Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        .to_vec();
    mail.extend_from_slice(&body);
    let p = d.file("kr.eml", &mail);
    let (text, file) = extracted(&p);
    assert_eq!(file["status"], "read");
    assert!(text.contains("홍길동"), "{text:?}");
    assert!(!text.contains('\u{FFFD}'));
}

#[test]
fn a_mail_body_in_a_named_cjk_charset_or_falsely_said_base64() {
    let d = Dir::new();
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("山田太郎様、お世話になっております。\r\n");
    let (euc, _, _) = encoding_rs::EUC_KR.encode("홍길동 님의 주소입니다.\r\n");
    for (name, charset, cte, body) in [
        ("jp.eml", "Shift_JIS", "8bit", &sjis[..]),
        ("kr.eml", "EUC-KR", "base64", &euc[..]),
    ] {
        let mut mail = format!(
            "From: a@example.jp\r\nSubject: t\r\nContent-Type: text/plain; charset={charset}\r\n\
             Content-Transfer-Encoding: {cte}\r\n\r\n"
        )
        .into_bytes();
        mail.extend_from_slice(body);
        let (text, _) = extracted(&d.file(name, &mail));
        assert!(
            text.contains("山田太郎") || text.contains("홍길동"),
            "{name}: {text:?}"
        );
        assert!(!text.contains('\u{FFFD}'), "{name}");
    }
}

#[test]
fn japanese_text_in_a_font_without_a_unicode_map() {
    // Shift-JIS codes under the predefined `90ms-RKSJ-H` CMap, and CIDs of
    // Adobe-Japan1 under `Identity-H`: no ToUnicode map, no embedded font.
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] \
         /Resources << /Font << /S 4 0 R /I 6 0 R >> >> /Contents 5 0 R >>"
            .to_string(),
        font("90ms-RKSJ-H"),
        {
            let c = "BT /S 12 Tf 10 150 Td <8E529363> Tj ET BT /I 12 Tf 10 100 Td <034B034D> Tj ET";
            format!("<< /Length {} >>\nstream\n{c}\nendstream", c.len())
        },
        font("Identity-H"),
    ];
    let d = Dir::new();
    let p = d.file("jp.pdf", pdf(&objects));
    let (text, file) = extracted(&p);
    assert_eq!(file["status"], "read", "{file}");
    assert_eq!(text, "山田\nあい");
}

fn font(encoding: &str) -> String {
    format!(
        "<< /Type /Font /Subtype /Type0 /BaseFont /Ryumin-Light /Encoding /{encoding} \
         /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /Ryumin-Light \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> >>] >>"
    )
}

#[test]
fn pdfs_with_an_empty_user_password_that_lopdf_does_not_open_are_read() {
    // Made by fixtures/pdf/make_encrypted.py (checked with pypdf): AES-128
    // without a crypt-filter length and with clear metadata; RC4 without
    // `/ID`; only embedded files encrypted. All were "encrypted" before.
    for name in [
        "chiffre_aes128_sans_longueur.pdf",
        "chiffre_rc4_sans_id.pdf",
        "chiffre_piece_jointe.pdf",
    ] {
        let (text, file) = extracted(&crate::util::fixtures().join("pdf").join(name));
        assert_eq!(file["status"], "read", "{name}: {file}");
        assert_eq!(
            text, "Locataire : Camille Roux, camille.roux@example.fr",
            "{name}"
        );
    }
    // A password that is not empty still makes the file encrypted.
    let (_, file) = extracted(&crate::util::fixtures().join("pdf/bulletin_chiffre_mdp.pdf"));
    assert_eq!(file["reason"], "encrypted", "{file}");
}
