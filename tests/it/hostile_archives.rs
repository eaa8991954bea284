//! Hostile containers and documents: zips nested twenty deep, zip quines,
//! overlapping zip bombs, billion laughs in office files, PDF reference cycles.
//! Each ends as a reported error or limit, never a hang, and the normal file
//! beside it is still read.

use crate::hostile::{assert_neighbour_found, located, neighbour, GUARD, NEIGHBOUR_EMAIL};
use crate::util::{fixtures, pdf, scan_within, xlsx_cell, xlsx_streamed, Dir, Run};
use std::io::Write;

fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, data) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn zips_nested_twenty_deep_stop_at_the_depth_limit() {
    let d = Dir::new();
    neighbour(&d);
    let mut z = zip_of(&[("fond.txt", b"contact : au.fond@example.fr\n")]);
    for level in (1..20).rev() {
        let text = format!("niveau {level} : niveau{level}@example.fr\n");
        z = zip_of(&[
            (&format!("niveau{level}.txt"), text.as_bytes()),
            (&format!("z{}.zip", level + 1), &z),
        ]);
    }
    d.file("z1.zip", &z);
    let run = scan_within(GUARD, d.path(), &[]);
    run.assert_code(0);
    let mut levels: Vec<String> = run
        .findings_of("z1.zip")
        .iter()
        .map(|f| f["value"].as_str().unwrap().to_string())
        .collect();
    levels.sort();
    // The default depth is 8: z1.zip's members are at depth 1, the members
    // of z9.zip (depth 9) are not read.
    let want: Vec<String> = {
        let mut v: Vec<String> = (1..=8).map(|l| format!("niveau{l}@example.fr")).collect();
        v.sort();
        v
    };
    assert_eq!(levels, want);
    let mut errors: Vec<(String, String)> = run
        .of_type("error")
        .iter()
        .map(|e| {
            (
                e["entry"].as_str().unwrap().to_string(),
                e["error"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    errors.sort();
    let deep = "z2.zip/z3.zip/z4.zip/z5.zip/z6.zip/z7.zip/z8.zip/z9.zip";
    let limit = "nested more than 8 containers deep: not read".to_string();
    assert_eq!(
        errors,
        [
            (format!("{deep}/niveau9.txt"), limit.clone()),
            (format!("{deep}/z10.zip"), limit)
        ]
    );
    assert_neighbour_found(&run);
}

/// What a member with the bytes of the archive holding it is reported as.
pub(crate) const QUINE_REASON: &str =
    "identical to the archive holding it (a self-referencing archive, or zip quine): not read";

/// `fixtures/hostile/quine.zip`, checked to be a quine: its one member,
/// decompressed, is the file itself.
fn quine() -> Vec<u8> {
    let bytes = std::fs::read(fixtures().join("hostile/quine.zip")).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    assert_eq!(z.len(), 1);
    let mut member = Vec::new();
    std::io::Read::read_to_end(&mut z.by_index(0).unwrap(), &mut member).unwrap();
    assert_eq!(member, bytes, "quine.zip is no longer a quine");
    bytes
}

/// (entry, reason) of every error record.
fn entry_errors(run: &Run) -> Vec<(String, String)> {
    let mut errors: Vec<(String, String)> = run
        .of_type("error")
        .iter()
        .map(|e| {
            (
                e["entry"].as_str().unwrap_or("").to_string(),
                e["error"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    errors.sort();
    errors
}

#[test]
fn a_zip_quine_is_reported_as_self_referencing_not_read_again() {
    let d = Dir::new();
    neighbour(&d);
    d.file("quine.zip", quine());
    let run = scan_within(GUARD, d.path(), &[]);
    run.assert_code(0);
    // The member is recognised at once (not read level after level down to
    // the depth limit) and the file counted as not fully read.
    assert_eq!(
        entry_errors(&run),
        [("quine.zip".to_string(), QUINE_REASON.to_string())]
    );
    assert_eq!(run.errors_of("quine.zip").len(), 1);
    assert_eq!(run.summary()["not_covered"], 1);
    assert!(run.findings_of("quine.zip").is_empty());
    assert_neighbour_found(&run);
}

#[test]
fn a_zip_quine_inside_a_zip_is_reported_the_same_way() {
    let d = Dir::new();
    neighbour(&d);
    let q = quine();
    d.file(
        "colis.zip",
        zip_of(&[
            ("lisez-moi.txt", b"contact : dans.le.colis@example.fr\n"),
            ("quine.zip", &q),
        ]),
    );
    let run = scan_within(GUARD, d.path(), &[]);
    run.assert_code(0);
    // One level down: quine.zip is read as an archive; its member is itself.
    assert_eq!(
        entry_errors(&run),
        [("quine.zip/quine.zip".to_string(), QUINE_REASON.to_string())]
    );
    assert_eq!(
        located(&run, "colis.zip"),
        [("dans.le.colis@example.fr".to_string(), 1, 11)]
    );
    assert_eq!(run.summary()["not_covered"], 1);
    assert_neighbour_found(&run);
}

/// An overlapping zip bomb (after D. Fifield): `n` central-directory
/// entries that all point at one deflated kernel of 1 MiB, plus a normal
/// member after it.
fn overlapping_zip(n: u32) -> Vec<u8> {
    let kernel_text: Vec<u8> = (0..(1u32 << 20))
        .map(|i| b"abcdefghijklmnopqrstuvwxyz"[(i.wrapping_mul(2_654_435_761) >> 27) as usize % 26])
        .collect();
    let mut c = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    c.write_all(&kernel_text).unwrap();
    let kernel = c.finish().unwrap();
    let mut crc = flate2::Crc::new();
    crc.update(&kernel_text);
    let normal = b"contact : hors.bombe@example.fr\n";
    let mut ncrc = flate2::Crc::new();
    ncrc.update(normal);
    let header = |method: u16, crc: u32, packed: u32, size: u32, name: &str| {
        let mut h = Vec::new();
        for v in [20u16, 0, method, 0, 0x21] {
            h.extend(v.to_le_bytes());
        }
        for v in [crc, packed, size] {
            h.extend(v.to_le_bytes());
        }
        h.extend((name.len() as u16).to_le_bytes());
        h.extend(0u16.to_le_bytes());
        h
    };
    let mut out = Vec::new();
    let k = header(
        8,
        crc.sum(),
        kernel.len() as u32,
        kernel_text.len() as u32,
        "k.txt",
    );
    out.extend(b"PK\x03\x04");
    out.extend(&k);
    out.extend(b"k.txt");
    out.extend(&kernel);
    let normal_at = out.len() as u32;
    let nh = header(
        0,
        ncrc.sum(),
        normal.len() as u32,
        normal.len() as u32,
        "normal.txt",
    );
    out.extend(b"PK\x03\x04");
    out.extend(&nh);
    out.extend(b"normal.txt");
    out.extend(normal);
    let mut central = Vec::new();
    let mut entry = |fixed: &[u8], name: &str, offset: u32| {
        central.extend(b"PK\x01\x02\x14\x00");
        central.extend(fixed);
        central.extend([0u8; 10]);
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    };
    // Distinct names, as in a real bomb (a reader may merge equal names).
    for i in 0..n {
        let name = format!("k{i:05}.txt");
        let h = header(
            8,
            crc.sum(),
            kernel.len() as u32,
            kernel_text.len() as u32,
            &name,
        );
        entry(&h, &name, 0);
    }
    entry(&nh, "normal.txt", normal_at);
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(b"PK\x05\x06\0\0\0\0");
    out.extend(((n + 1) as u16).to_le_bytes());
    out.extend(((n + 1) as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend([0u8; 2]);
    out
}

#[test]
fn overlapping_zip_bomb_reads_its_kernel_once() {
    let d = Dir::new();
    neighbour(&d);
    // 5,000 entries × 1 MiB: 5 GiB if each were expanded.
    d.file("chevauchement.zip", overlapping_zip(5000));
    let run = scan_within(GUARD, d.path(), &[]);
    run.assert_code(0);
    assert_eq!(
        located(&run, "chevauchement.zip"),
        [("hors.bombe@example.fr".to_string(), 1, 11)]
    );
    let errors = run.errors_of("chevauchement.zip");
    assert_eq!(
        errors,
        ["4999 members share their data with another member (an overlapping zip bomb?): not read"]
    );
    assert_neighbour_found(&run);
}

// ---------------------------------------------------------------------------
// XML entity expansion in office documents and workbooks
// ---------------------------------------------------------------------------

const LAUGHS: &str = r#"<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>"#;

#[test]
fn billion_laughs_in_docx_odt_and_xlsx_are_not_expanded() {
    let d = Dir::new();
    neighbour(&d);
    let docx = format!(
        r#"<?xml version="1.0"?>{LAUGHS}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p><w:p><w:r><w:t>contact : docx.rire@example.fr</w:t></w:r></w:p></w:body></w:document>"#
    );
    d.file(
        "rire.docx",
        zip_of(&[("word/document.xml", docx.as_bytes())]),
    );
    let odt = format!(
        r#"<?xml version="1.0"?>{LAUGHS}<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>&lol9;</text:p><text:p>contact : odt.rire@example.fr</text:p></office:text></office:body></office:document-content>"#
    );
    d.file(
        "rire.odt",
        zip_of(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", odt.as_bytes()),
        ]),
    );
    let f = std::fs::File::create(d.path().join("rire.xlsx")).unwrap();
    xlsx_streamed(f, "Feuil1", LAUGHS, |w| {
        write!(
            w,
            r#"<row r="1">{}</row><row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>"#,
            xlsx_cell("A1", "xlsx.rire@example.fr")
        )
        .unwrap();
    });
    let run = scan_within(GUARD, d.path(), &["--max-file-time", "3600"]);
    run.assert_code(0);
    let mut found: Vec<String> = run
        .of_type("finding")
        .iter()
        .map(|f| f["value"].as_str().unwrap().to_string())
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "docx.rire@example.fr",
            "odt.rire@example.fr",
            NEIGHBOUR_EMAIL,
            "xlsx.rire@example.fr"
        ],
        "{:?}",
        run.errors_by_name()
    );
    // Nothing expanded. Word and OpenDocument texts skip the unknown
    // entity; calamine stops the sheet at it (no workbook holds a DTD): the
    // cells before it are reported, the sheet as not fully read, without
    // quoting the entity.
    assert_eq!(
        run.errors_by_name(),
        [(
            "rire.xlsx".to_string(),
            "xlsx sheet \"Feuil1\" not (fully) read: malformed XML".to_string()
        )]
    );
}

// ---------------------------------------------------------------------------
// PDF object cycles
// ---------------------------------------------------------------------------

#[test]
fn pdf_reference_cycles_finish() {
    let d = Dir::new();
    neighbour(&d);
    let text = b"BT /F1 12 Tf 72 700 Td (contact : cycle.pdf@example.fr) Tj ET";
    let page_font =
        "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>";
    // Page 1's contents are a reference to a reference to itself; its
    // resources a cycle too; page 2 is normal, with a Length that refers to
    // an object referring to itself.
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources 5 0 R >>".to_vec(),
        b"5 0 R".to_vec(),
        b"4 0 R".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /Contents 7 0 R {page_font} >>").into_bytes(),
        [
            format!("<< /Length {} >>\nstream\n", text.len()).as_bytes(),
            text,
            b"\nendstream",
        ]
        .concat(),
        b"8 0 R".to_vec(),
    ];
    d.file("cycle.pdf", pdf(&objects));
    let run = scan_within(GUARD, d.path(), &[]);
    run.assert_code(0);
    let found: Vec<(String, u64)> = run
        .findings_of("cycle.pdf")
        .iter()
        .map(|f| {
            (
                f["value"].as_str().unwrap().to_string(),
                f["location"]["page"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, [("cycle.pdf@example.fr".to_string(), 2)]);
    assert_neighbour_found(&run);
}
