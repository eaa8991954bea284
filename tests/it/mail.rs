//! E-mail headers and mailboxes: every header that holds a mailbox is read
//! (Delivered-To, Return-Path, Resent-*, Disposition-Notification-To…), a
//! byte-order mark before the first header loses nothing, and a store of
//! several messages is read one message per entry, whatever its name.

use crate::util::{scan_revealed, Dir, Run};
use std::collections::BTreeSet;

const EMAIL: &[&str] = &["--kinds", "email"];

/// (entry, address, line) of every e-mail address found.
fn addresses(run: &Run) -> BTreeSet<(String, String, u64)> {
    run.of_type("finding")
        .iter()
        .map(|f| {
            (
                f["entry"].as_str().unwrap_or("").to_string(),
                f["value"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn at(rows: &[(&str, &str, u64)]) -> BTreeSet<(String, String, u64)> {
    rows.iter()
        .map(|(e, a, l)| (e.to_string(), a.to_string(), *l))
        .collect()
}

const TRACE_HEADERS: &str = "Return-Path: <bounce.menard@example.fr>\r\n\
Delivered-To: jean.dupont@habitat-exemple.fr\r\n\
X-Original-To: marie.durand@habitat-exemple.fr\r\n\
Envelope-To: paul.martin@habitat-exemple.fr\r\n\
Received: from mx.example.fr by mx.habitat-exemple.fr\r\n\
From: =?utf-8?q?=C3=89lodie_M=C3=A9nard?= <elodie.menard@example.fr>\r\n\
To: Jean Dupont <jean.dupont@habitat-exemple.fr>\r\n\
Resent-From: Karim Benali <karim.benali@example.fr>\r\n\
Resent-To: lucas.moreau@example.fr\r\n\
Disposition-Notification-To: =?utf-8?q?Chlo=C3=A9?= <chloe.coeur@example.fr>\r\n\
Errors-To: erreurs@example.fr\r\n\
X-Sender: sophie.girard@example.fr\r\n\
List-Post: <mailto:anne.leroy@listes.example.fr>\r\n\
Message-ID: <20240311093000.1234@mx.example.fr>\r\n\
Subject: Attestation\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Bonjour, merci de me rappeler.\r\n";

#[test]
fn every_header_that_holds_a_mailbox_is_read() {
    let d = Dir::new();
    d.file("trace.eml", TRACE_HEADERS);
    let run = scan_revealed(d.path(), EMAIL);
    run.assert_code(0);
    // One line per header read, in the message's order; Received and
    // Message-ID are not mailboxes.
    assert_eq!(
        addresses(&run),
        at(&[
            ("", "bounce.menard@example.fr", 1),
            ("", "jean.dupont@habitat-exemple.fr", 2),
            ("", "marie.durand@habitat-exemple.fr", 3),
            ("", "paul.martin@habitat-exemple.fr", 4),
            ("", "elodie.menard@example.fr", 5),
            ("", "jean.dupont@habitat-exemple.fr", 6),
            ("", "karim.benali@example.fr", 7),
            ("", "lucas.moreau@example.fr", 8),
            ("", "chloe.coeur@example.fr", 9),
            ("", "erreurs@example.fr", 10),
            ("", "sophie.girard@example.fr", 11),
            ("", "anne.leroy@listes.example.fr", 12),
        ])
    );
}

#[test]
fn a_byte_order_mark_before_the_first_header_loses_nothing() {
    let d = Dir::new();
    let mut eml = b"\xEF\xBB\xBF".to_vec();
    eml.extend_from_slice(
        b"From: elodie.menard@example.fr\r\nTo: jean.dupont@example.fr\r\nSubject: x\r\n\r\ncorps\r\n",
    );
    d.file("bom.eml", &eml);
    let mut mbox = b"\xEF\xBB\xBF".to_vec();
    mbox.extend_from_slice(
        b"From elodie Mon Mar 11 10:00:00 2024\nFrom: elodie.menard@example.fr\nSubject: a\n\nun\n\
          From karim Mon Mar 11 11:00:00 2024\nFrom: karim.benali@example.fr\nSubject: b\n\ndeux\n",
    );
    d.file("bom.mbox", &mbox);
    let run = scan_revealed(d.path(), EMAIL);
    run.assert_code(0);
    let found = addresses(&run);
    assert!(
        found.contains(&("".into(), "elodie.menard@example.fr".into(), 1)),
        "{found:?}"
    );
    assert!(
        found.contains(&("".into(), "jean.dupont@example.fr".into(), 2)),
        "{found:?}"
    );
    assert!(
        found.contains(&("message 1".into(), "elodie.menard@example.fr".into(), 1)),
        "{found:?}"
    );
    assert!(
        found.contains(&("message 2".into(), "karim.benali@example.fr".into(), 1)),
        "{found:?}"
    );
}

/// Three messages in mboxrd form (a quoted `>From ` line in a body).
const STORE: &[u8] = b"From elodie.menard@example.fr Mon Mar 11 10:00:00 2024\n\
From: elodie.menard@example.fr\nSubject: un\n\n>From the start, merci.\n\n\
From karim.benali@example.fr Mon Mar 11 11:00:00 2024\n\
From: karim.benali@example.fr\nSubject: deux\n\nBonjour\n\n\
From ???@??? Mon Mar 11 12:00:00 2024\n\
From: lucas.moreau@example.fr\nSubject: trois\n\nAu revoir\n";

#[test]
fn a_store_of_several_messages_is_read_one_message_per_entry_whatever_its_name() {
    let d = Dir::new();
    d.file("Boite de reception.box", STORE);
    d.file("archive.eml", STORE);
    d.file("sans_extension", STORE);
    let run = scan_revealed(d.path(), EMAIL);
    run.assert_code(0);
    for name in ["Boite de reception.box", "archive.eml", "sans_extension"] {
        let entries: BTreeSet<(String, String)> = run
            .findings_of(name)
            .iter()
            .map(|f| {
                (
                    f["entry"].as_str().unwrap_or("").to_string(),
                    f["value"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            entries,
            [
                ("message 1", "elodie.menard@example.fr"),
                ("message 2", "karim.benali@example.fr"),
                ("message 3", "lucas.moreau@example.fr"),
            ]
            .iter()
            .map(|(e, v)| (e.to_string(), v.to_string()))
            .collect(),
            "{name}"
        );
    }
}
