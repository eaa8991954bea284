//! Issue 17 (points 2 to 6): nothing is skipped in silence (text with NUL
//! bytes is read, binary files and unsupported archives are listed), error
//! floods are summarised, sizes and counts written in a file never size an
//! allocation, a panicking workbook is one error record, and the outputs
//! are safe to open (CSV formulas, terminal escapes, `-o` symlinks).

use crate::util::{pdscout, scan_revealed, Dir, Run};
use serde_json::Value;
use std::io::Write;

const NEIGHBOUR: &str = "voisin.txt";
const NEIGHBOUR_EMAIL: &str = "voisin.normal@example.fr";

pub(crate) fn neighbour(d: &Dir) {
    d.file(NEIGHBOUR, format!("Contact : {NEIGHBOUR_EMAIL}\n"));
}

pub(crate) fn assert_neighbour_found(run: &Run) {
    let found: Vec<String> = run
        .findings_of(NEIGHBOUR)
        .iter()
        .map(|f| f["value"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(found, [NEIGHBOUR_EMAIL], "stderr: {}", run.stderr());
}

/// The values found in the file named `name`, sorted.
pub(crate) fn values_of(run: &Run, name: &str) -> Vec<String> {
    let mut v: Vec<String> = run
        .findings_of(name)
        .iter()
        .map(|f| f["value"].as_str().unwrap_or("").to_string())
        .collect();
    v.sort();
    v
}

/// The `file` records of the file named `name` (last path component).
fn file_records_of(run: &Run, name: &str) -> Vec<Value> {
    run.of_type("file")
        .into_iter()
        .filter(|f| f["path"].as_str().unwrap().rsplit('/').next() == Some(name))
        .collect()
}

fn utf16(text: &str, be: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|u| if be { u.to_be_bytes() } else { u.to_le_bytes() })
        .collect()
}

fn utf32(text: &str, be: bool) -> Vec<u8> {
    text.chars()
        .flat_map(|c| {
            let u = c as u32;
            if be {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

pub(crate) fn zip_of(members: &[(&str, &[u8])], stored: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut opts = zip::write::SimpleFileOptions::default().large_file(true);
    if stored {
        opts = opts.compression_method(zip::CompressionMethod::Stored);
    }
    for (name, data) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

// ---------------------------------------------------------------------------
// 4. Nothing skipped in silence
// ---------------------------------------------------------------------------

#[test]
fn text_with_nul_bytes_is_read_in_every_wide_encoding_and_with_padding() {
    let d = Dir::new();
    neighbour(&d);
    let text = |who: &str| format!("Attestation\r\nÉcrire à {who}@exemple.fr, merci.\r\n");
    d.file("utf16le_sans_bom.txt", utf16(&text("utf16le"), false));
    d.file("utf16be_sans_bom.txt", utf16(&text("utf16be"), true));
    d.file(
        "utf32le_bom.txt",
        [&b"\xFF\xFE\0\0"[..], &utf32(&text("utf32le"), false)].concat(),
    );
    d.file("utf32be_sans_bom.txt", utf32(&text("utf32be"), true));
    d.file(
        "utf16le_bom.csv",
        [
            &b"\xFF\xFE"[..],
            &utf16("Nom;Email\r\nDupont;csv16@exemple.fr\r\n", false),
        ]
        .concat(),
    );
    // A preallocated log: text, then NUL bytes to the end.
    d.file(
        "journal.log",
        [text("journal").as_bytes(), &[0u8; 20_000]].concat(),
    );
    // A stray NUL in a CSV export.
    d.file(
        "export.csv",
        "Nom;Email;Note\nDupont;stray@exemple.fr;a\0b\nMartin;martin@exemple.fr;c\n",
    );
    let run = scan_revealed(d.path(), &[]);
    run.assert_code(0);
    for (file, who) in [
        ("utf16le_sans_bom.txt", "utf16le"),
        ("utf16be_sans_bom.txt", "utf16be"),
        ("utf32le_bom.txt", "utf32le"),
        ("utf32be_sans_bom.txt", "utf32be"),
        ("journal.log", "journal"),
    ] {
        assert_eq!(
            values_of(&run, file),
            [format!("{who}@exemple.fr")],
            "{file}: {}",
            run.stdout()
        );
    }
    // The CSV's columns are read as such: the "Nom" column gives a name.
    assert_eq!(
        values_of(&run, "utf16le_bom.csv"),
        ["Dupont", "csv16@exemple.fr"]
    );
    let csv16 = run.findings_of("utf16le_bom.csv");
    assert!(
        csv16.iter().all(|f| f["location"]["line"] == 2),
        "{csv16:?}"
    );
    assert_eq!(
        values_of(&run, "export.csv"),
        ["Dupont", "Martin", "martin@exemple.fr", "stray@exemple.fr"]
    );
    let s = run.summary();
    assert_eq!(s["files_skipped"], 0, "{s}");
    assert_eq!(s["errors"], 0, "{s}");
    assert_neighbour_found(&run);
}

#[test]
fn a_binary_file_is_listed_as_skipped_not_silently_clean() {
    let d = Dir::new();
    // Machine data: NULs and other control bytes.
    let bin: Vec<u8> = (0..4096u32)
        .flat_map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes())
        .collect();
    d.file("donnees.bin", &bin);
    let run = scan_revealed(d.path(), &[]);
    // Nothing found, but not in silence: the file is listed.
    run.assert_code(1);
    let files = run.of_type("file");
    assert_eq!(files.len(), 1, "{}", run.stdout());
    assert_eq!(files[0]["status"], "skipped");
    assert_eq!(files[0]["reason"], "binary");
    assert_eq!(files[0]["format"], "binary");
    assert!(files[0]["path"].as_str().unwrap().ends_with("donnees.bin"));
    let s = run.summary();
    assert_eq!(s["files_skipped"], 1);
    assert_eq!(s["files_with_findings"], 0);

    // `--format json` lists it the same way; the table counts it.
    let json = pdscout([
        "scan".into(),
        "-q".into(),
        "--format".into(),
        "json".into(),
        d.path().as_os_str().to_owned(),
    ]);
    let doc: Value = serde_json::from_str(&json.stdout()).unwrap();
    let listed = doc
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "file" && r["status"] == "skipped" && r["reason"] == "binary")
        .count();
    assert_eq!(listed, 1, "{}", json.stdout());
    let table = pdscout([
        "scan".into(),
        "-q".into(),
        "--format".into(),
        "table".into(),
        d.path().as_os_str().to_owned(),
    ]);
    assert!(
        table.stdout().contains("1 binary file skipped"),
        "{}",
        table.stdout()
    );
}

#[test]
fn a_binary_member_of_a_zip_is_listed_with_its_entry() {
    let d = Dir::new();
    let bin: Vec<u8> = (0..1024u32)
        .flat_map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes())
        .collect();
    let z = zip_of(
        &[
            ("image.raw", &bin),
            ("note.txt", b"ecrire a membre@exemple.fr\n"),
        ],
        false,
    );
    d.file("lot.zip", &z);
    let run = scan_revealed(d.path(), &[]);
    run.assert_code(0);
    let skipped: Vec<Value> = file_records_of(&run, "lot.zip")
        .into_iter()
        .filter(|f| f["status"] == "skipped")
        .collect();
    assert_eq!(skipped.len(), 1, "{}", run.stdout());
    assert_eq!(skipped[0]["entry"], "image.raw");
    assert_eq!(skipped[0]["reason"], "binary");
    assert_eq!(values_of(&run, "lot.zip"), ["membre@exemple.fr"]);
}

#[test]
fn inventory_keeps_binary_files_listed_on_the_next_run() {
    let d = Dir::new();
    let bin: Vec<u8> = (0..4096u32)
        .flat_map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes())
        .collect();
    d.file("share/donnees.bin", &bin);
    d.file("share/lettre.txt", "Écrire à jean@exemple.fr\n");
    let db = d.path().join("inv.db");
    let scan = || {
        pdscout([
            "scan".into(),
            "-q".into(),
            "--db".into(),
            db.as_os_str().to_owned(),
            d.path().join("share").into_os_string(),
        ])
    };
    for round in 0..2 {
        let run = scan();
        run.assert_code(0);
        let listed = file_records_of(&run, "donnees.bin");
        assert_eq!(listed.len(), 1, "round {round}: {}", run.stdout());
        assert_eq!(listed[0]["status"], "skipped");
        assert_eq!(run.summary()["files_with_findings"], 1, "round {round}");
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let status: String = conn
        .query_row(
            "SELECT status FROM files WHERE path LIKE '%donnees.bin'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "binary");
}

#[test]
fn an_export_cut_short_after_records_is_scanned_partly_not_unread() {
    let d = Dir::new();
    let records: String = (0..40)
        .map(|i| format!(r#"{{"nom":"Martin","courriel":"locataire{i}@exemple.fr"}},"#))
        .collect();
    // Cut inside a string: the records before it are read, then it stops.
    let cut = format!("[{records}{{\"nom\":\"Mart");
    d.file("share/export.json", &cut);
    let db = d.path().join("inv.db");
    let run = pdscout([
        "scan".into(),
        "-q".into(),
        "--db".into(),
        db.as_os_str().to_owned(),
        d.path().join("share").into_os_string(),
    ]);
    run.assert_code(0);
    let listed = file_records_of(&run, "export.json");
    assert_eq!(listed.len(), 1, "{}", run.stdout());
    assert_eq!(listed[0]["status"], "partial");
    assert_eq!(listed[0]["findings"]["email"], 40);
    // What was read is counted, as for a file stopped by a limit.
    assert_eq!(listed[0]["bytes"], cut.len() as u64);
    let summary = run.summary();
    assert_eq!(
        (&summary["files_scanned"], &summary["bytes_scanned"]),
        (&1.into(), &(cut.len() as u64).into())
    );
    assert_eq!(
        (&summary["errors"], &summary["not_covered"]),
        (&1.into(), &1.into())
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let status: String = conn
        .query_row("SELECT status FROM files", [], |r| r.get(0))
        .unwrap();
    assert_eq!(status, "partial");
}

#[test]
fn bzip2_and_xz_are_read_7z_and_rar_are_listed_as_unsupported_archives() {
    let d = Dir::new();
    let text = b"Contact : compresse@exemple.fr\n".repeat(50);
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    bz.write_all(&text).unwrap();
    d.file("note.txt.bz2", bz.finish().unwrap());
    let mut xz = lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::default()).unwrap();
    xz.write_all(b"Contact : xz@exemple.fr\n").unwrap();
    d.file("note.txt.xz", xz.finish().unwrap());
    // A tar inside an xz stream.
    let mut tar = tar::Builder::new(Vec::new());
    let body = b"Contact : dans.le.tar@exemple.fr\n";
    let mut h = tar::Header::new_gnu();
    h.set_size(body.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    tar.append_data(&mut h, "dossier/fiche.txt", &body[..])
        .unwrap();
    let mut xz = lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::default()).unwrap();
    xz.write_all(&tar.into_inner().unwrap()).unwrap();
    d.file("archive.tar.xz", xz.finish().unwrap());
    // 7z and rar signatures, then bytes no reader here decodes.
    d.file(
        "sauvegarde.7z",
        [&b"7z\xBC\xAF\x27\x1C\0\x04"[..], &[0x5A; 200]].concat(),
    );
    d.file(
        "vieux.rar",
        [&b"Rar!\x1A\x07\x01\0"[..], &[0xA5; 200]].concat(),
    );
    let run = scan_revealed(d.path(), &[]);
    run.assert_code(0);
    assert_eq!(values_of(&run, "note.txt.bz2").len(), 50);
    assert_eq!(values_of(&run, "note.txt.xz"), ["xz@exemple.fr"]);
    let tarred = run.findings_of("archive.tar.xz");
    assert_eq!(tarred.len(), 1, "{}", run.stdout());
    assert_eq!(tarred[0]["entry"], "dossier/fiche.txt");
    for (name, format) in [("sauvegarde.7z", "7z"), ("vieux.rar", "rar")] {
        let f = file_records_of(&run, name);
        assert_eq!(f.len(), 1, "{name}: {}", run.stdout());
        assert_eq!(f[0]["status"], "skipped");
        assert_eq!(f[0]["reason"], "unsupported archive");
        assert_eq!(f[0]["format"], format);
    }
    let s = run.summary();
    // Not covered, and not binary.
    assert_eq!(s["files_skipped"], 0, "{s}");
    assert_eq!(s["not_covered"], 2, "{s}");
}

// ---------------------------------------------------------------------------
// 3. Error floods are summarised
// ---------------------------------------------------------------------------

/// A nested zip (a small 42.zip) whose leaves are 3 × 5 × 12 = 180 members
/// refused for their compression ratio.
fn error_flood_zip() -> Vec<u8> {
    let zeros = vec![0u8; 2 << 20];
    let names: Vec<String> = (0..12).map(|i| format!("bombe{i}.bin")).collect();
    let leaves: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &zeros[..])).collect();
    let leaf = zip_of(&leaves, false);
    let mid_names: Vec<String> = (0..5).map(|i| format!("niveau2_{i}.zip")).collect();
    let mids: Vec<(&str, &[u8])> = mid_names.iter().map(|n| (n.as_str(), &leaf[..])).collect();
    let mid = zip_of(&mids, false);
    let top_names: Vec<String> = (0..3).map(|i| format!("niveau1_{i}.zip")).collect();
    let tops: Vec<(&str, &[u8])> = top_names.iter().map(|n| (n.as_str(), &mid[..])).collect();
    zip_of(&tops, false)
}

#[test]
fn an_error_flood_gives_a_hundred_records_and_one_with_the_count_of_the_rest() {
    let d = Dir::new();
    d.file("share/42.zip", error_flood_zip());
    d.file(
        &format!("share/{NEIGHBOUR}"),
        format!("Contact : {NEIGHBOUR_EMAIL}\n"),
    );
    let db = d.path().join("inv.db");
    let run = pdscout([
        "scan".into(),
        "-q".into(),
        "--reveal".into(),
        "--db".into(),
        db.as_os_str().to_owned(),
        d.path().join("share").into_os_string(),
    ]);
    run.assert_code(0);
    let errors = run.errors_of("42.zip");
    assert_eq!(errors.len(), 101, "{errors:?}");
    assert!(
        errors[..100].iter().all(|e| e.contains("zip bomb")),
        "{errors:?}"
    );
    assert_eq!(errors[100], "… and 80 more errors in this file");
    assert_eq!(run.summary()["errors"], 101);
    assert_eq!(run.summary()["not_covered"], 180);
    // The inventory keeps the same list.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let problems: Vec<String> = conn
        .prepare("SELECT error FROM problems ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(problems.len(), 101);
    assert_eq!(problems[100], "… and 80 more errors in this file");
    assert_neighbour_found(&run);
}

// ---------------------------------------------------------------------------
// 2. Budgets that cannot be lied to
// ---------------------------------------------------------------------------

/// An xlsx whose shared strings table starts with `sst_start` (everything
/// before `<si>`), one string and a sheet using it.
fn xlsx_with_sst(sst_start: &str) -> Vec<u8> {
    let ns = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
    let parts: Vec<(&str, String)> = vec![
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#.into(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into(),
        ),
        (
            "xl/workbook.xml",
            format!(r#"<?xml version="1.0"?><workbook {ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.into(),
        ),
        (
            "xl/sharedStrings.xml",
            format!("{sst_start}<si><t>classeur.partage@exemple.fr</t></si></sst>"),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"<?xml version="1.0"?><worksheet {ns}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#),
        ),
    ];
    let members: Vec<(&str, &[u8])> = parts.iter().map(|(n, b)| (*n, b.as_bytes())).collect();
    zip_of(&members, false)
}

#[test]
fn a_lying_shared_string_count_is_refused_however_it_is_written() {
    let ns = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
    let comment = format!("<!-- {} -->", "x".repeat(5000));
    let d = Dir::new();
    neighbour(&d);
    let lying = [
        // A space before the quote.
        format!(r#"<?xml version="1.0"?><sst {ns} count="1" uniqueCount= "100000000000">"#),
        // Single quotes, spaces around `=`.
        format!(r#"<?xml version="1.0"?><sst {ns} uniqueCount = '100000000000'>"#),
        // After a 5 KB comment.
        format!(r#"<?xml version="1.0"?>{comment}<sst {ns} uniqueCount="100000000000">"#),
    ];
    for (i, start) in lying.iter().enumerate() {
        d.file(&format!("menteur{i}.xlsx"), xlsx_with_sst(start));
    }
    // The same workbook telling the truth is read.
    d.file(
        "honnete.xlsx",
        xlsx_with_sst(&format!(
            r#"<?xml version="1.0"?>{comment}<sst {ns} count="1" uniqueCount="1">"#
        )),
    );
    let run = scan_revealed(d.path(), &[]);
    // Before: calamine reserved 2.4 TB and the process aborted (134).
    run.assert_code(0);
    for i in 0..lying.len() {
        assert_eq!(
            run.errors_of(&format!("menteur{i}.xlsx")),
            ["corrupt xlsx: the shared strings table declares more strings than it holds"],
            "menteur{i}.xlsx"
        );
    }
    assert_eq!(
        values_of(&run, "honnete.xlsx"),
        ["classeur.partage@exemple.fr"]
    );
    assert_neighbour_found(&run);
}

/// An ods whose one row, repeated `rows` times, holds one valued cell
/// repeated `cols` times, and a normal second sheet.
fn repeated_ods(rows: u32, cols: u32) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Bombe"><table:table-row table:number-rows-repeated="{rows}"><table:table-cell table:number-columns-repeated="{cols}" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip_of(
        &[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("META-INF/manifest.xml", manifest.as_bytes()),
            ("content.xml", content.as_bytes()),
        ],
        false,
    )
}

#[cfg(target_os = "linux")]
#[test]
fn repeated_rows_and_columns_of_an_ods_are_refused_before_they_are_expanded() {
    let d = Dir::new();
    let out = Dir::new();
    neighbour(&d);
    let bomb = repeated_ods(10_000, 1_000);
    assert!(bomb.len() < 2000, "{} bytes", bomb.len());
    d.file("repetitions.ods", &bomb);
    // A small repeated block is read as before.
    d.file("petit.ods", repeated_ods(3, 2));
    let (run, peak_kib) = crate::util::run_peak_rss(
        out.path(),
        std::time::Duration::from_secs(300),
        [
            "scan".into(),
            "-q".into(),
            "--reveal".into(),
            d.path().as_os_str().to_owned(),
        ],
    );
    run.assert_code(0);
    assert_eq!(
        run.errors_of("repetitions.ods"),
        ["corrupt ods: repeated rows and columns expand a sheet to too many cells"]
    );
    let small = file_records_of(&run, "petit.ods");
    assert!(small.is_empty(), "no finding, read whole: {small:?}");
    assert!(run.errors_of("petit.ods").is_empty());
    // Before: 10 million cells, 1.3 GB.
    eprintln!(
        "ods of 10 M repeated cells: peak RSS {} MiB",
        peak_kib >> 10
    );
    assert!(peak_kib < 200 << 10, "peak RSS {peak_kib} KiB");
    assert_neighbour_found(&run);
}

/// Text of about `len` bytes that deflates about 100 times (a line with a
/// varying number every few hundred bytes), with an e-mail address first
/// and last.
fn compressible_text(len: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(len + 200);
    v.extend_from_slice(b"premier : tout.au.debut@exemple.fr\n");
    let filler = "texte sans rien de personnel ".repeat(16);
    let mut i = 0u64;
    while v.len() < len {
        i = i.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        v.extend_from_slice(format!("{filler}{:x}\n", i >> 40).as_bytes());
    }
    v.extend_from_slice(b"dernier : tout.au.fond@exemple.fr\n");
    v
}

#[cfg(target_os = "linux")]
#[test]
fn seven_levels_of_stored_zips_are_read_in_bounded_memory() {
    let d = Dir::new();
    let out = Dir::new();
    neighbour(&d);
    // The innermost member: 300 MB of text, deflated; then 7 levels of
    // stored (uncompressed) zips around it.
    let text = compressible_text(300 << 20);
    let mut z = zip_of(&[("fond.txt", &text)], false);
    drop(text);
    for level in (1..7).rev() {
        z = zip_of(
            &[
                (
                    &format!("niveau{level}.txt"),
                    format!("niveau {level} : niveau{level}@exemple.fr\n").as_bytes(),
                ),
                (&format!("z{}.zip", level + 1), &z),
            ],
            true,
        );
    }
    eprintln!("7 levels of stored zips: {} bytes on disk", z.len());
    d.file("z1.zip", &z);
    d.file("z1_copie.zip", &z);
    let (run, peak_kib) = crate::util::run_peak_rss(
        out.path(),
        std::time::Duration::from_secs(300),
        [
            "scan".into(),
            "-q".into(),
            "--reveal".into(),
            "-j".into(),
            "2".into(),
            d.path().as_os_str().to_owned(),
        ],
    );
    run.assert_code(0);
    for name in ["z1.zip", "z1_copie.zip"] {
        let mut want: Vec<String> = (1..7).map(|l| format!("niveau{l}@exemple.fr")).collect();
        want.extend([
            "tout.au.debut@exemple.fr".into(),
            "tout.au.fond@exemple.fr".into(),
        ]);
        want.sort();
        assert_eq!(
            values_of(&run, name),
            want,
            "{name}: {:?}",
            run.errors_by_name()
        );
    }
    assert!(
        run.of_type("error").is_empty(),
        "{:?}",
        run.errors_by_name()
    );
    // Before: each level's member held in memory while the next was read
    // (the 300 MB text twice, with two workers).
    eprintln!(
        "7 levels of stored zips, -j 2: peak RSS {} MiB",
        peak_kib >> 10
    );
    assert!(peak_kib < 200 << 10, "peak RSS {peak_kib} KiB");
    assert_neighbour_found(&run);
}

// ---------------------------------------------------------------------------
// 6. Output safety
// ---------------------------------------------------------------------------

#[test]
fn csv_output_prefixes_formula_fields_including_paths_and_entries() {
    let d = Dir::new();
    d.file("=HYPERLINK(1).txt", "contact : formule@exemple.fr\n");
    d.file("@calc.txt", "Tél. 06 12 34 56 78\n");
    let z = zip_of(&[("-cmd.txt", b"ecrire a membre@exemple.fr\n")], false);
    d.file("+archive.zip", &z);
    let run = pdscout([
        "scan".into(),
        "-q".into(),
        "--reveal".into(),
        "--format".into(),
        "csv".into(),
        d.path().as_os_str().to_owned(),
    ]);
    run.assert_code(0);
    let out = run.stdout();
    let root = d.path().display().to_string();
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{out}");
    for row in &rows {
        let first = row.split(',').next().unwrap();
        // The path starts with the root here: not a formula, not prefixed.
        assert!(first.starts_with(&root), "{row}");
    }
    // Relative paths, as a user running from the share gets them.
    let rel = assert_cmd::Command::cargo_bin("pdscout")
        .unwrap()
        .current_dir(d.path())
        .args(["scan", "-q", "--reveal", "--format", "csv", "."])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&rel.stdout).into_owned();
    let mut firsts: Vec<(String, String, String)> = out
        .lines()
        .skip(1)
        .map(|r| {
            let f: Vec<&str> = r.split(',').collect();
            (f[0].to_string(), f[1].to_string(), f[3].to_string())
        })
        .collect();
    firsts.sort();
    // Paths under "." start with "./": only entries and values are at risk.
    assert!(
        firsts
            .iter()
            .any(|(p, e, _)| p.ends_with("+archive.zip") && e == "'-cmd.txt"),
        "{out}"
    );
    assert!(firsts.iter().any(|(_, _, v)| v == "'+33612345678"), "{out}");
    // Given as bare names, the paths themselves start with the character.
    let bare = assert_cmd::Command::cargo_bin("pdscout")
        .unwrap()
        .current_dir(d.path())
        .args([
            "scan",
            "-q",
            "--format",
            "csv",
            "=HYPERLINK(1).txt",
            "@calc.txt",
        ])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&bare.stdout).into_owned();
    let mut paths: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|r| r.split(',').next().unwrap())
        .collect();
    paths.sort();
    assert_eq!(paths, ["'=HYPERLINK(1).txt", "'@calc.txt"], "{out}");
}

#[cfg(unix)]
#[test]
fn table_output_escapes_control_characters_in_names() {
    let d = Dir::new();
    d.file("rouge\x1b[31m\x07.txt", "contact : terminal@exemple.fr\n");
    d.file("ligne\nfausse.txt", "contact : retour@exemple.fr\n");
    let run = pdscout([
        "scan".into(),
        "-q".into(),
        "--format".into(),
        "table".into(),
        d.path().as_os_str().to_owned(),
    ]);
    run.assert_code(0);
    let out = run.stdout();
    assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
    assert!(out.contains("rouge\\x1b[31m\\x07.txt"), "{out}");
    assert!(out.contains("ligne\\nfausse.txt"), "{out}");
}

#[cfg(unix)]
#[test]
fn output_file_that_is_a_symlink_is_not_followed() {
    let d = Dir::new();
    d.file("share/a.txt", "contact : lien@exemple.fr\n");
    let target = d.file("ailleurs.txt", "ne pas ecraser\n");
    let link = d.path().join("rapport.jsonl");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let run = pdscout([
        "scan".into(),
        "-q".into(),
        "-o".into(),
        link.as_os_str().to_owned(),
        d.path().join("share").into_os_string(),
    ]);
    run.assert_code(2);
    assert!(run.stderr().contains("symbolic link"), "{}", run.stderr());
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "ne pas ecraser\n"
    );
    // A regular file is written as before.
    let ok = d.path().join("vrai.jsonl");
    pdscout([
        "scan".into(),
        "-q".into(),
        "-o".into(),
        ok.as_os_str().to_owned(),
        d.path().join("share").into_os_string(),
    ])
    .assert_code(0);
    assert!(std::fs::read_to_string(&ok)
        .unwrap()
        .contains("\"finding\""));
}

// ---------------------------------------------------------------------------
// 5. calamine 0.38: damaged workbooks are one error record
// ---------------------------------------------------------------------------
