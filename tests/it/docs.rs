//! `pdscout extract FILE…`: the text units a file gives, with their
//! locations, members and parts, as `scan` reads them; no detection.

use crate::util::{fixtures, pdscout, Dir};
use serde_json::Value;

/// The JSON Lines of `pdscout extract --format json ARGS`.
fn extract_json(args: &[&std::ffi::OsStr]) -> (Vec<Value>, i32) {
    let mut all: Vec<&std::ffi::OsStr> =
        vec!["extract".as_ref(), "--format".as_ref(), "json".as_ref()];
    all.extend_from_slice(args);
    let run = pdscout(all);
    let lines = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad json {l:?}: {e}")))
        .collect();
    (lines, run.code())
}

#[test]
fn a_text_file_gives_its_lines_and_a_file_line() {
    let d = Dir::new();
    let p = d.file("a.txt", "Bonjour\nJean Dupont, jean.dupont@example.fr\n");
    let (lines, code) = extract_json(&[p.as_os_str()]);
    assert_eq!(code, 0);
    let text: String = lines.iter().filter_map(|l| l["text"].as_str()).collect();
    assert!(text.contains("jean.dupont@example.fr"), "{lines:?}");
    assert_eq!(lines[0]["location"]["line"], 1);
    let last = lines.last().unwrap();
    assert_eq!(last["status"], "read");
    assert_eq!(last["format"], "text");
    assert!(last["file"].as_str().unwrap().ends_with("a.txt"));
}

#[test]
fn office_parts_and_archive_members_are_named() {
    let docx = fixtures().join("office/lettre_locataire.docx");
    let (lines, code) = extract_json(&[docx.as_os_str()]);
    assert_eq!(code, 0);
    // The footer's paragraphs are in their part, the body's in none.
    assert!(lines
        .iter()
        .any(|l| l["part"] == "word/footer1.xml" && l["text"].is_string()));
    assert!(lines
        .iter()
        .any(|l| l.get("part").is_none() && l["location"]["line"].is_u64()));
    let zip = fixtures().join("archives/dossiers.zip");
    let (lines, _) = extract_json(&[zip.as_os_str()]);
    assert!(
        lines
            .iter()
            .any(|l| l["member"].is_string() && l["text"].is_string()),
        "{lines:?}"
    );
}

#[test]
fn spreadsheet_cells_have_sheet_and_cell() {
    let xlsx = fixtures().join("spreadsheets/locataires.xlsx");
    let (lines, code) = extract_json(&[xlsx.as_os_str()]);
    assert_eq!(code, 0);
    let cell = lines
        .iter()
        .find(|l| l["location"]["cell"] == "A1")
        .expect("cell A1");
    assert!(cell["location"]["sheet"].is_string());
}

#[test]
fn unreadable_files_are_reported_and_the_next_is_read() {
    let d = Dir::new();
    let bad = d.file("casse.docx", b"PK\x03\x04 not a zip at all");
    let good = d.file("b.txt", "suite\n");
    let (lines, code) = extract_json(&[bad.as_os_str(), good.as_os_str()]);
    assert_eq!(code, 1, "a file not read: exit 1");
    let ends: Vec<&Value> = lines.iter().filter(|l| l["status"].is_string()).collect();
    assert_eq!(ends.len(), 2);
    assert_eq!(ends[0]["status"], "error");
    assert!(ends[0]["error"].as_str().unwrap().contains("docx"));
    assert_eq!(ends[1]["status"], "read");
}

#[test]
fn plain_text_output_shows_locations() {
    let xlsx = fixtures().join("spreadsheets/locataires.xlsx");
    let run = pdscout([std::ffi::OsStr::new("extract"), xlsx.as_os_str()]);
    run.assert_code(0);
    let out = run.stdout();
    assert!(out.lines().any(|l| l.contains("!A1\t")), "{out}");
    assert!(
        out.lines().last().unwrap().contains("read as xlsx"),
        "{out}"
    );
}

#[test]
fn in_process_reads_the_same_units() {
    let docx = fixtures().join("office/lettre_locataire.docx");
    let (a, _) = extract_json(&[docx.as_os_str()]);
    let (b, _) = extract_json(&["--in-process".as_ref(), docx.as_os_str()]);
    assert_eq!(a, b);
}

// ---------------------------------------------------------------------------
// Text the public corpus (eval/docs) showed missing, and its follow-ups.
// ---------------------------------------------------------------------------

/// A zip of `parts` (name, content) at `rel` in `d`.
fn zipped(d: &Dir, rel: &str, parts: &[(&str, &str)]) -> std::path::PathBuf {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    for (name, content) in parts {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(content.as_bytes()).unwrap();
    }
    z.finish().unwrap();
    d.file(rel, buf.into_inner())
}

/// (entry, value) of the e-mail findings of a scan of `path`.
fn emails(path: &std::path::Path) -> Vec<(Option<String>, String, f64)> {
    let run = crate::util::scan_revealed(path, &["--kinds", "email"]);
    let mut v: Vec<_> = run
        .of_type("finding")
        .iter()
        .map(|f| {
            (
                f["entry"].as_str().map(str::to_string),
                f["value"].as_str().unwrap().to_string(),
                f["confidence"].as_f64().unwrap(),
            )
        })
        .collect();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    v
}

#[test]
fn pptx_comments_and_smartart_text_are_read() {
    let d = Dir::new();
    const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
    const P: &str = "http://schemas.openxmlformats.org/presentationml/2006/main";
    let slide = format!(
        r#"<p:sld xmlns:a="{A}" xmlns:p="{P}"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>Réunion des locataires</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
    );
    let comment = format!(
        r#"<p:cmLst xmlns:p="{P}"><p:cm authorId="0" idx="1"><p:pos x="10" y="10"/><p:text>Copie à karim.benali@example.fr</p:text></p:cm></p:cmLst>"#
    );
    let smartart = format!(
        r#"<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" xmlns:a="{A}"><dgm:ptLst><dgm:pt modelId="1"><dgm:t><a:bodyPr/><a:p><a:r><a:t>Gardien : gardien.tilleuls@example.fr</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>"#
    );
    let p = zipped(
        &d,
        "reunion.pptx",
        &[
            ("ppt/slides/slide1.xml", &slide),
            ("ppt/comments/comment1.xml", &comment),
            ("ppt/diagrams/data1.xml", &smartart),
        ],
    );
    let found: Vec<(Option<String>, String)> =
        emails(&p).into_iter().map(|(e, v, _)| (e, v)).collect();
    assert_eq!(
        found,
        [
            (
                Some("ppt/diagrams/data1.xml".to_string()),
                "gardien.tilleuls@example.fr".to_string()
            ),
            (
                Some("ppt/comments/comment1.xml".to_string()),
                "karim.benali@example.fr".to_string()
            ),
        ]
    );
}

#[test]
fn password_protected_opendocuments_are_reported_encrypted() {
    let d = Dir::new();
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">
  <manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">
   <manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>
  </manifest:encryption-data>
 </manifest:file-entry>
</manifest:manifest>"#;
    for (ext, mime) in [
        ("odt", "application/vnd.oasis.opendocument.text"),
        ("odp", "application/vnd.oasis.opendocument.presentation"),
    ] {
        let p = zipped(
            &d,
            &format!("secret.{ext}"),
            &[
                ("mimetype", mime),
                ("META-INF/manifest.xml", manifest),
                // Encrypted bytes, not XML.
                ("content.xml", "\u{1}\u{2}ÿþ garbage <<"),
            ],
        );
        let (lines, code) = extract_json(&[p.as_os_str()]);
        assert_eq!(code, 1);
        let last = lines.last().unwrap();
        assert_eq!(last["status"], "skipped", "{lines:?}");
        assert_eq!(last["reason"], "encrypted", "{lines:?}");
    }
}

#[test]
fn an_email_in_an_html_comment_is_found_at_a_lower_confidence() {
    let d = Dir::new();
    let p = d.file(
        "page.html",
        "<html><body>\n<p>Contact : jean.dupont@example.fr</p>\n<!-- ancien : ancien.gardien@example.fr -->\n</body></html>\n",
    );
    let found = emails(&p);
    assert_eq!(found.len(), 2, "{found:?}");
    let (hidden, shown) = (&found[0], &found[1]);
    assert_eq!(hidden.1, "ancien.gardien@example.fr");
    assert_eq!(shown.1, "jean.dupont@example.fr");
    assert!(hidden.2 < shown.2, "{found:?}");
    assert!(hidden.2 >= 0.5, "still reported by default: {found:?}");
    // Where it is written.
    let run = crate::util::scan_revealed(&p, &["--kinds", "email"]);
    let f = run.findings_of("page.html");
    let line = f
        .iter()
        .find(|f| f["value"] == "ancien.gardien@example.fr")
        .unwrap()["location"]["line"]
        .clone();
    assert_eq!(line, 3);
}

#[test]
fn a_filled_form_saved_as_a_page_gives_what_was_typed() {
    let d = Dir::new();
    let p = d.file(
        "demande.html",
        "<form>\n<input type=\"hidden\" name=\"csrf\" value=\"4a450652ce8ddf22\">\n\
         <label>Civilité</label><input type=\"radio\" name=\"civ\" value=\"Mme\" checked>\n\
         <label>Courriel</label><input name=\"email\" type=\"email\" value=\"mai.nguyen91@gmail.com\">\n\
         <label>IBAN</label><input name=\"iban\" value=\"FR76 3000 6000 0112 3456 7890 189\">\n\
         <input type=\"submit\" value=\"contact@example.fr\">\n</form>\n",
    );
    let run = crate::util::scan_revealed(&p, &["--kinds", "email,iban"]);
    let mut got: Vec<String> = run
        .findings_of("demande.html")
        .iter()
        .map(|f| format!("{} {}", f["value"], f["location"]["line"]))
        .collect();
    got.sort();
    // Each on its input's line; a button's caption is no one's.
    assert_eq!(
        got,
        [
            "\"FR7630006000011234567890189\" 5",
            "\"mai.nguyen91@gmail.com\" 4"
        ]
    );
}

#[test]
fn a_csv_header_row_is_searched_too() {
    let d = Dir::new();
    let p = d.file(
        "rapport.csv",
        "Nom;Courriel;Suivi par jean.dupont@example.fr\nMartin;claire.martin@example.fr;ok\n",
    );
    let found: Vec<String> = emails(&p).into_iter().map(|(_, v, _)| v).collect();
    assert_eq!(
        found,
        ["claire.martin@example.fr", "jean.dupont@example.fr"],
        "the header cell's address is found"
    );
}

#[test]
fn an_odp_footer_declaration_is_read() {
    let d = Dir::new();
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"><office:body><office:presentation><presentation:footer-decl presentation:name="ftr1">Contact : claire.martin@example.fr</presentation:footer-decl><draw:page draw:name="p1"><draw:frame><draw:text-box><text:p>Assemblée générale</text:p></draw:text-box></draw:frame></draw:page></office:presentation></office:body></office:document-content>"#;
    let p = zipped(
        &d,
        "ag.odp",
        &[
            (
                "mimetype",
                "application/vnd.oasis.opendocument.presentation",
            ),
            ("content.xml", content),
        ],
    );
    let found: Vec<String> = emails(&p).into_iter().map(|(_, v, _)| v).collect();
    assert_eq!(found, ["claire.martin@example.fr"]);
}

#[test]
fn xlsx_inline_strings_in_cdata_are_read() {
    // calamine 0.38 reads a CDATA section inside an inline string's `<t>`
    // (older versions gave an empty cell): kept as a regression test.
    let d = Dir::new();
    let p = d.path().join("cdata.xlsx");
    let f = std::fs::File::create(&p).unwrap();
    crate::util::xlsx_streamed(f, "Feuil1", "", |w| {
        w.write_all(
            br#"<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[Contact : jean.dupont@example.fr]]></t></is></c></row>"#,
        )
        .unwrap();
    });
    let found: Vec<String> = emails(&p).into_iter().map(|(_, v, _)| v).collect();
    assert_eq!(found, ["jean.dupont@example.fr"]);
}

/// A form written one field a paragraph (a lease's guarantor block in Word):
/// the paragraphs are read together, as a text file's lines, so the name
/// and the address are whole, each at its paragraph's line.
#[test]
fn a_docx_form_one_field_a_paragraph_is_read_whole() {
    let d = Dir::new();
    let body: String = [
        "Acte de cautionnement",
        "",
        "Nom : MARCHAND",
        "Prénom(s) : Sylvie",
        "Adresse : 12 rue des Lilas",
        "69003 Lyon",
    ]
    .iter()
    .map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>"))
    .collect();
    let doc = format!(
        "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    zipped(&d, "caution.docx", &[("word/document.xml", &doc)]);
    let run = crate::util::scan_revealed(d.path(), &["--kinds", "name,address"]);
    assert_eq!(
        run.placed_findings_of("caution.docx", "line"),
        [
            ("address".into(), "12 rue des Lilas, 69003 Lyon".into(), 5),
            ("name".into(), "Sylvie MARCHAND".into(), 3),
        ]
        .into()
    );
}
