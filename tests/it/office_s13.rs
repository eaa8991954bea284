//! Session 13, issue 18 (other readers than PDF): what the public test
//! documents showed pdscout losing in mail, each with a small inline
//! message: mbox body lines that only look like envelopes, `Content-Length`
//! stores, HTML alternatives with their own text, group names, US-ASCII
//! bodies written in UTF-8, folded trace headers before the first typical
//! header, base64 parts whose closing boundary is missing.

use crate::util::{pdscout, scan_revealed, Dir};
use std::collections::BTreeSet;

/// The text `pdscout extract` prints for `file`.
fn extracted(file: &std::path::Path) -> String {
    let run = pdscout([std::ffi::OsStr::new("extract"), file.as_os_str()]);
    run.assert_code(0);
    run.stdout()
}

/// (entry, address) of every e-mail address found in `name`.
fn addresses(d: &Dir, name: &str) -> BTreeSet<(String, String)> {
    let run = scan_revealed(d.path(), &["--kinds", "email"]);
    run.assert_code(0);
    run.findings_of(name)
        .iter()
        .map(|f| {
            (
                f["entry"].as_str().unwrap_or("").to_string(),
                f["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(rows: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    rows.iter()
        .map(|(e, v)| (e.to_string(), v.to_string()))
        .collect()
}

#[test]
fn a_from_line_in_a_body_does_not_start_a_message() {
    // Thunderbird writes `From -` and no quoting: "From Russia with love"
    // (even followed by a line with a colon) stays in its message.
    let d = Dir::new();
    d.file(
        "bond.mbox",
        "From -\nFrom: elodie.menard@example.fr\nSubject: un\n\nFilm :\n\n\
         From Russia with love\nYear: 1963\ncontact karim.benali@example.fr\n\n\
         From -\nFrom: lucas.moreau@example.fr\nSubject: deux\n\nfin\n",
    );
    assert_eq!(
        addresses(&d, "bond.mbox"),
        pairs(&[
            ("message 1", "elodie.menard@example.fr"),
            ("message 1", "karim.benali@example.fr"),
            ("message 2", "lucas.moreau@example.fr"),
        ])
    );
}

#[test]
fn an_mboxcl2_content_length_keeps_an_unquoted_envelope_in_its_body() {
    let body = "Transfert :\n\nFrom karim.benali@example.fr Mon Mar 11 11:00:00 2024\n\
                To: chloe.coeur@example.fr\n\nfin\n";
    let store = format!(
        "From elodie.menard@example.fr Mon Mar 11 10:00:00 2024\n\
         From: elodie.menard@example.fr\nContent-Length: {}\n\n{body}\n\
         From lucas.moreau@example.fr Mon Mar 11 12:00:00 2024\n\
         From: lucas.moreau@example.fr\nSubject: deux\n\nfin\n",
        body.len()
    );
    let d = Dir::new();
    d.file("cl2.mbox", store);
    assert_eq!(
        addresses(&d, "cl2.mbox"),
        pairs(&[
            ("message 1", "elodie.menard@example.fr"),
            ("message 1", "karim.benali@example.fr"),
            ("message 1", "chloe.coeur@example.fr"),
            ("message 2", "lucas.moreau@example.fr"),
        ])
    );
}

#[test]
fn an_html_alternative_with_its_own_text_is_read_and_a_copy_is_not() {
    let eml = "From: elodie.menard@example.fr\r\nSubject: x\r\nMIME-Version: 1.0\r\n\
        Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n\
        --b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour Karim\r\n\
        --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
        <p>Bonjour Karim</p><p>ecrire a chloe.coeur@example.fr</p>\r\n\
        --b--\r\n";
    let copy = eml.replace(
        "<p>ecrire a chloe.coeur@example.fr</p>",
        "<p><b>Bonjour</b></p>",
    );
    let d = Dir::new();
    let own = d.file("own.eml", eml);
    let same = d.file("same.eml", copy);
    assert!(extracted(&own).contains("ecrire a chloe.coeur@example.fr"));
    assert_eq!(extracted(&same).matches("Bonjour").count(), 1);
}

#[test]
fn group_names_empty_headers_and_obsolete_address_spaces_are_kept() {
    let d = Dir::new();
    let eml = d.file(
        "groups.eml",
        "From: Pete <pete@example.fr>\r\n\
         To: Equipe Loyers: Chris <chris@example.fr>, jdoe@test . example;\r\n\
         Cc: Undisclosed recipients:;\r\nSubject: \r\n\r\nTest.\r\n",
    );
    let text = extracted(&eml);
    assert!(
        text.contains("To: Equipe Loyers: Chris <chris@example.fr>, jdoe@test.example;"),
        "{text}"
    );
    assert!(text.contains("Cc: Undisclosed recipients: ;"), "{text}");
    assert!(text.contains("Subject:"), "{text}");
}

#[test]
fn a_us_ascii_body_written_in_utf8_is_read_as_utf8() {
    let d = Dir::new();
    let eml = d.file(
        "bell.eml",
        "From: x@example.fr\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n\
         Envoy\u{e9} par Bell Mobilit\u{e9}.\r\n",
    );
    let text = extracted(&eml);
    assert!(text.contains("Envoyé par Bell Mobilité."), "{text}");
}

#[test]
fn a_message_starting_with_long_trace_headers_is_read_as_mail() {
    // One typical header (Received) in the first 512 bytes, the rest long
    // folded trace headers: still a message, not a text file.
    let mut eml = String::from("Received: from mx.example.fr (192.0.2.1) by mx2.example.fr\r\n (192.0.2.2) with SMTP; Mon, 10 Oct 2022\r\n 15:11:35 -0500\r\n");
    eml.push_str("Authentication-Results: mx.example.fr; spf=None\r\n");
    eml.push_str("X-IPAS-Result:");
    for _ in 0..12 {
        eml.push_str(" =?us-ascii?q?A0C0kgB4e0RjYQqF5JhaGgEBAQEBKwEBAQEDAQEBAQEBA?=\r\n");
    }
    eml.push_str(
        "From: =?UTF-8?B?w4lsb2RpZQ==?= <elodie.menard@example.fr>\r\nSubject: x\r\n\r\ncorps\r\n",
    );
    let d = Dir::new();
    let file = d.file("mail_test", eml);
    let text = extracted(&file);
    assert!(text.contains("read as eml"), "{text}");
    assert!(
        text.contains("From: Élodie <elodie.menard@example.fr>"),
        "{text}"
    );
}

#[test]
fn a_base64_attachment_without_its_closing_boundary_is_decoded() {
    // "jean.dupont@example.fr\n" in base64, the message cut after it.
    let eml = "From: x@example.fr\r\nMIME-Version: 1.0\r\n\
        Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
        --b\r\nContent-Type: text/plain\r\n\r\ncorps\r\n\
        --b\r\nContent-Type: text/plain; name=\"liste.txt\"\r\n\
        Content-Disposition: attachment; filename=\"liste.txt\"\r\n\
        Content-Transfer-Encoding: base64\r\n\r\n\
        amVhbi5kdXBvbnRAZXhhbXBsZS5mcgo=\r\n";
    let d = Dir::new();
    d.file("cut.eml", eml);
    assert_eq!(
        addresses(&d, "cut.eml"),
        pairs(&[
            ("", "x@example.fr"),
            ("liste.txt", "jean.dupont@example.fr")
        ])
    );
}
