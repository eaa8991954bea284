//! E-mail and archives: findings inside messages, attachments and archive
//! members carry the member in `entry` (`/`-separated when nested) and the
//! line in the message text or member; encrypted, corrupt, too deep and
//! bomb-like members are reported as errors while the rest is read.
//! Fixtures: fixtures/make_containers.py. Bombs are built here at run time.

use crate::util::{fixtures, scan_revealed, Dir, Run};
use std::collections::BTreeSet;
use std::io::Write;

const KINDS: &[&str] = &["--kinds", "email,iban,nir,phone,ip,birthdate,card"];

/// (entry, kind, value, line, column) of every finding.
type Found = BTreeSet<(String, String, String, u64, u64)>;

fn found(run: &Run) -> Found {
    run.of_type("finding")
        .iter()
        .map(|f| {
            (
                f["entry"].as_str().unwrap_or("").to_string(),
                f["kind"].as_str().unwrap().to_string(),
                f["value"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
                f["location"]["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn set(rows: &[(&str, &str, &str, u64, u64)]) -> Found {
    rows.iter()
        .map(|(e, k, v, l, c)| (e.to_string(), k.to_string(), v.to_string(), *l, *c))
        .collect()
}

/// The error records as (entry, error).
fn errors(run: &Run) -> Vec<(String, String)> {
    run.of_type("error")
        .iter()
        .map(|e| {
            (
                e["entry"].as_str().unwrap_or("").to_string(),
                e["error"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn scan(rel: &str) -> Run {
    let run = scan_revealed(&fixtures().join(rel), KINDS);
    run.assert_code(0);
    run
}

/// The rows of `locataires.csv` (record line, field), under `entry`; the
/// third data row holds only decoys (bad IBAN checksum, wrong NIR key).
fn locataires(entry: &str) -> Vec<(&str, &'static str, &'static str, u64, u64)> {
    vec![
        (entry, "birthdate", "1992-02-14", 2, 3),
        (entry, "phone", "+33745123456", 2, 4),
        (entry, "email", "elodie.menard@example.fr", 2, 5),
        (entry, "iban", "FR7620041010050500013202010", 2, 6),
        (entry, "nir", "292027505612335", 2, 7),
        (entry, "birthdate", "1985-07-03", 3, 3),
        (entry, "phone", "+33623456789", 3, 4),
        (entry, "email", "julien.roux@example.com", 3, 5),
        (entry, "iban", "FR7610278060760002105340194", 3, 6),
        (entry, "nir", "185076912304596", 3, 7),
    ]
}

#[test]
fn eml_headers_quoted_printable_body_and_base64_attachment() {
    let run = scan("mail/dossier_locataire.eml");
    // Lines are those of the message text: From, To, Cc, Subject, blank, body.
    // The agency's role mailbox (To:) is below the default --min-confidence.
    let mut want = vec![
        ("", "email", "elodie.lefevre@example.fr", 1, 23),
        ("", "email", "karim.benali@example.fr", 3, 19),
        ("", "email", "sophie.girard@example.org", 3, 45),
        ("", "phone", "+33612345678", 9, 27),
        ("", "iban", "FR7630006000011234567890189", 10, 56),
        ("", "nir", "184127512345640", 11, 34),
    ];
    want.extend(locataires("locataires.csv"));
    assert_eq!(found(&run), set(&want));
    // The RFC 2047 display name is decoded in front of the address.
    let files = run.of_type("file");
    assert_eq!(files.len(), 2);
    assert!(files
        .iter()
        .any(|f| f["entry"] == "locataires.csv" && f["format"] == "csv"));
    assert!(files
        .iter()
        .any(|f| f["entry"].is_null() && f["format"] == "eml"));
}

#[test]
fn html_only_mail_is_read_as_text() {
    let run = scan("mail/html_seul.eml");
    // ISO-8859-1, entities (&nbsp; between the phone's groups and in the
    // birth date), table cells apart; the visit date is no birth date.
    assert_eq!(
        found(&run),
        set(&[
            ("", "email", "chloe.coeur@example.fr", 2, 5),
            ("", "phone", "+33142685300", 7, 11),
            ("", "email", "chloe.coeur@example.fr", 8, 10),
            ("", "birthdate", "1990-06-05", 9, 8),
        ])
    );
}

#[test]
fn mbox_messages_are_entries_with_their_attachments_nested() {
    let run = scan("mail/boite.mbox");
    // The agency's role mailboxes (agence@, compta@) are below the default
    // --min-confidence.
    assert_eq!(
        found(&run),
        set(&[
            ("message 1", "email", "lucas.moreau@example.fr", 1, 21),
            // After the ">From " line, unescaped.
            ("message 1", "phone", "+33698765432", 7, 17),
            ("message 2", "email", "chloe.coeur@example.fr", 1, 19),
            (
                "message 2/liste.csv",
                "email",
                "chloe.coeur@example.fr",
                2,
                2
            ),
            ("message 2/liste.csv", "nir", "288051305501257", 2, 3),
            // windows-1252 quoted-printable "né le".
            ("message 3", "birthdate", "1991-07-03", 5, 17),
            // A forwarded message/rfc822 attachment is a message too.
            (
                "message 3/transfert.eml",
                "email",
                "lucas.moreau@example.fr",
                1,
                7
            ),
            (
                "message 3/transfert.eml",
                "iban",
                "FR7617515900000812345678938",
                5,
                11
            ),
            ("message 3/transfert.eml", "nir", "191033306310129", 6, 5),
        ])
    );
    assert!(errors(&run).is_empty(), "{:?}", errors(&run));
}

#[test]
fn zip_members_and_a_nested_zip() {
    let run = scan("archives/dossiers.zip");
    let mut want = locataires("locataires.csv");
    want.extend([
        // Decoys on the next line: SIRET, wrong-key NIR, bad IBAN.
        ("notes/visite.txt", "phone", "+33623456789", 2, 14),
        ("nested.zip/inner.csv", "phone", "+33745987654", 2, 2),
        (
            "nested.zip/inner.csv",
            "email",
            "karim.benali@example.fr",
            2,
            3,
        ),
    ]);
    assert_eq!(found(&run), set(&want));
    assert!(errors(&run).is_empty(), "{:?}", errors(&run));
    // Directories are not members.
    let entries: BTreeSet<_> = run
        .of_type("file")
        .iter()
        .map(|f| f["entry"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        entries,
        ["locataires.csv", "notes/visite.txt", "nested.zip/inner.csv"]
            .map(String::from)
            .into()
    );
}

#[test]
fn a_zip_with_a_lying_extension_is_read_as_a_zip() {
    let run = scan("archives/export.csv");
    assert_eq!(
        found(&run),
        set(&[("notes.txt", "phone", "+33623456789", 2, 14)])
    );
}

#[test]
fn tar_gz_members_and_gzip_log() {
    let run = scan("archives/courriers.tar.gz");
    assert_eq!(
        found(&run),
        set(&[
            ("courriers/relance.txt", "birthdate", "1992-02-14", 3, 23),
            ("courriers/relance.txt", "nir", "292027505612335", 3, 58),
            (
                "courriers/relance.txt",
                "iban",
                "FR7620041010050500013202010",
                4,
                33
            ),
        ])
    );
    // No name in the gzip header: the member is named after the file.
    let run = scan("archives/access.log.gz");
    assert_eq!(
        found(&run),
        set(&[
            ("access.log", "ip", "192.0.2.15", 1, 1),
            ("access.log", "ip", "198.51.100.7", 2, 1),
        ])
    );
}

#[test]
fn truncated_gzip_is_read_up_to_the_damage_and_reported() {
    let run = scan("archives/journal_tronque.log.gz");
    let want: Vec<_> = (1..=20)
        .map(|i| {
            (
                "journal_tronque.log".to_string(),
                "ip".to_string(),
                format!("203.0.113.{i}"),
                i,
                1,
            )
        })
        .collect();
    assert_eq!(found(&run), want.into_iter().collect());
    assert_eq!(
        errors(&run),
        [(
            String::new(),
            "corrupt gzip: incomplete deflate stream".into()
        )]
    );
}

#[test]
fn encrypted_member_is_reported_and_the_others_read() {
    let run = scan("archives/chiffre.zip");
    assert_eq!(
        found(&run),
        set(&[("lisezmoi.txt", "email", "julien.roux@example.com", 1, 27)])
    );
    assert!(errors(&run).is_empty(), "{:?}", errors(&run));
    // The encrypted member is listed as skipped, and counted as not covered.
    let skipped: Vec<_> = run
        .of_type("file")
        .into_iter()
        .filter(|f| f["status"] == "skipped")
        .map(|f| (f["entry"].clone(), f["reason"].clone()))
        .collect();
    assert_eq!(skipped, [("confidentiel.txt".into(), "encrypted".into())]);
    assert_eq!(run.summary()["not_covered"], 1);
}

#[test]
fn corrupt_zip_is_an_error_and_the_scan_goes_on() {
    let dir = Dir::new();
    let bad = std::fs::read(fixtures().join("archives/tronque.zip")).unwrap();
    dir.file("tronque.zip", bad);
    dir.file("lettre.txt", "Écrire à jean.dupont@example.fr\n");
    let run = scan_revealed(dir.path(), KINDS);
    run.assert_code(0);
    assert_eq!(
        run.kind_values(),
        [("email".to_string(), "jean.dupont@example.fr".to_string())]
    );
    let errs = run.of_type("error");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0]["path"].as_str().unwrap().ends_with("tronque.zip"));
    assert!(errs[0]["entry"].is_null());
    assert!(
        errs[0]["error"]
            .as_str()
            .unwrap()
            .starts_with("corrupt zip"),
        "{errs:?}"
    );
}

/// A zip of `members`, deflated.
fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    for (name, data) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A raw deflate stream of `mib` MiB of zeros (about 1 KB each), and its
/// CRC-32: one MiB compressed with a full flush (so it ends on a byte and
/// stands alone), repeated, then an empty final block. Quicker than
/// compressing 300 MB in a debug build.
fn deflated_zeros(mib: usize) -> (Vec<u8>, u32) {
    let zeros = vec![0u8; 1 << 20];
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let mut chunk = Vec::with_capacity(1 << 16);
    c.compress_vec(&zeros, &mut chunk, flate2::FlushCompress::Full)
        .unwrap();
    assert_eq!(c.total_in(), 1 << 20);
    let mut out = chunk.repeat(mib);
    out.extend_from_slice(&[0x03, 0x00]);
    let mut one = flate2::Crc::new();
    one.update(&zeros);
    let mut crc = flate2::Crc::new();
    for _ in 0..mib {
        crc.combine(&one);
    }
    (out, crc.sum())
}

/// A zip written by hand: `bombe.txt`, 300 MiB of zeros deflated to about
/// 300 KB (ratio about 1000) whose header declares `declared` bytes, then
/// `normal.txt` (stored) with an e-mail address.
fn bomb_zip(declared: u32) -> Vec<u8> {
    let (bomb, crc) = deflated_zeros(300);
    let normal = b"contact : jean.dupont@example.fr\n";
    let mut c = flate2::Crc::new();
    c.update(normal);
    let members: [(&str, u16, &[u8], u32, u32); 2] = [
        ("bombe.txt", 8, &bomb, crc, declared),
        ("normal.txt", 0, normal, c.sum(), normal.len() as u32),
    ];
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, method, data, crc, size) in members {
        let offset = out.len() as u32;
        let mut fixed = Vec::new();
        for v in [20u16, 0, method, 0, 0x21] {
            fixed.extend(v.to_le_bytes());
        }
        for v in [crc, data.len() as u32, size] {
            fixed.extend(v.to_le_bytes());
        }
        fixed.extend((name.len() as u16).to_le_bytes());
        fixed.extend(0u16.to_le_bytes());
        out.extend(b"PK\x03\x04");
        out.extend(&fixed);
        out.extend(name.as_bytes());
        out.extend(data);
        central.extend(b"PK\x01\x02\x14\x00");
        central.extend(&fixed);
        central.extend([0u8; 10]);
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(b"PK\x05\x06\0\0\0\0\x02\0\x02\0");
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend([0u8; 2]);
    out
}

#[test]
fn zip_bomb_member_is_refused_and_its_neighbour_read() {
    let dir = Dir::new();
    // Honest header: refused on its declared ratio, before reading.
    let bomb = bomb_zip(300 << 20);
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    dir.file("bombe.zip", &bomb);
    // Lying header: declares 1000 bytes; refused on the bytes it produces
    // (by the zip reader, since zip 9, past the declared size).
    dir.file("menteuse.zip", bomb_zip(1000));
    let run = scan_revealed(dir.path(), KINDS);
    run.assert_code(0);
    assert_eq!(
        run.kind_values(),
        vec![("email".to_string(), "jean.dupont@example.fr".to_string()); 2]
    );
    let errs = errors(&run);
    assert_eq!(errs.len(), 2, "{errs:?}");
    let mut reasons: Vec<&str> = errs.iter().map(|(_, e)| e.as_str()).collect();
    reasons.sort();
    assert!(
        errs.iter().all(|(entry, _)| entry == "bombe.txt"),
        "{errs:?}"
    );
    assert!(
        reasons[0].contains("compressed more than 250:1 (possible zip bomb)"),
        "{errs:?}"
    );
    assert!(
        reasons[1].contains("larger than its declared uncompressed size"),
        "{errs:?}"
    );
}

#[test]
fn gzip_bomb_is_refused() {
    let (deflate, crc) = deflated_zeros(300);
    let mut gz = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    gz.extend(deflate);
    gz.extend(crc.to_le_bytes());
    gz.extend((300u32 << 20).to_le_bytes());
    let dir = Dir::new();
    dir.file("journal.log.gz", gz);
    let run = scan_revealed(dir.path(), KINDS);
    run.assert_code(1);
    let errs = errors(&run);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].0, "journal.log");
    assert!(
        errs[0]
            .1
            .contains("compressed more than 250:1 (possible zip bomb)"),
        "{errs:?}"
    );
}

#[test]
fn member_larger_than_the_limit_is_reported_from_its_header() {
    // A tar whose second member declares 600 MiB (and is cut off): refused
    // from its header, never read.
    let data = b"jean.dupont@example.fr\n";
    let mut tar = Vec::new();
    for (name, size) in [("petit.txt", data.len() as u64), ("enorme.bin", 600 << 20)] {
        let mut h = tar::Header::new_ustar();
        h.set_path(name).unwrap();
        h.set_size(size);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        h.set_cksum();
        tar.extend(h.as_bytes());
        if name == "petit.txt" {
            tar.extend(data);
            tar.resize(1024, 0);
        }
    }
    let dir = Dir::new();
    dir.file("enorme.tar", tar);
    let run = scan_revealed(dir.path(), KINDS);
    run.assert_code(0);
    assert_eq!(
        found(&run),
        set(&[("petit.txt", "email", "jean.dupont@example.fr", 1, 1)])
    );
    assert_eq!(
        errors(&run),
        [(
            "enorme.bin".to_string(),
            "larger than 512 MiB: not read".to_string()
        )]
    );
}

#[test]
fn nesting_deeper_than_the_limit_is_reported() {
    // z10.zip holds z9.zip … holds z1.zip holds fin.txt.
    let mut data = zip_of(&[("fin.txt", b"jean.dupont@example.fr\n")]);
    for i in 1..10 {
        data = zip_of(&[(&format!("z{i}.zip"), &data)]);
    }
    let dir = Dir::new();
    dir.file("z10.zip", &data);
    let run = scan_revealed(dir.path(), KINDS);
    run.assert_code(1);
    let errs = errors(&run);
    assert_eq!(errs.len(), 1, "{errs:?}");
    // z10.zip is read at depth 0, z9.zip at 1 … z1.zip would be at 9.
    assert_eq!(
        errs[0].0,
        "z9.zip/z8.zip/z7.zip/z6.zip/z5.zip/z4.zip/z3.zip/z2.zip/z1.zip"
    );
    assert!(errs[0].1.contains("nested more than 8"), "{errs:?}");
}
