//! Names and addresses in structured exports: a JSON or XML object's keyed
//! members (`nom`/`prenom`, `lastName`/`firstName`, a nested `adresse`
//! object with `voie`, `code_postal`, `ville`) are assembled as a CSV row's
//! cells are.

use crate::util::{found, scan_revealed, Dir};

#[test]
fn json_objects_give_names_and_nested_addresses() {
    let dir = Dir::new();
    dir.file(
        "export/locataires.json",
        r#"{"locataires": [
 {"nom": "Grondin", "prenom": "Marie", "adresse": {"voie": "102 ter impasse du Moulin", "code_postal": "76000", "ville": "Rouen"}},
 {"lastName": "Martin", "firstName": "Paul", "streetAddress": "3 rue des Lilas", "zipCode": 69003, "city": "Lyon"},
 {"NOM": "Benali", "Prénom": "Karim", "version": "10.2.3.4"}
]}
"#,
    );
    let run = scan_revealed(dir.path(), &[]);
    run.assert_code(0);
    assert_eq!(
        found(&run, "name"),
        ["Karim Benali", "Marie Grondin", "Paul Martin"]
    );
    assert_eq!(
        found(&run, "address"),
        [
            "102 ter impasse du Moulin, 76000 Rouen",
            "3 rue des Lilas, 69003 Lyon"
        ]
    );
}

#[test]
fn xml_elements_and_attributes_give_names_and_addresses() {
    let dir = Dir::new();
    dir.file(
        "export/locataires.xml",
        "<locataires>\n\
         <locataire><nom>Grondin</nom><prenom>Marie</prenom><adresse><voie>102 ter impasse du Moulin</voie>\
         <cp>76000</cp><ville>Rouen</ville></adresse></locataire>\n\
         <locataire nom=\"Martin\" prenom=\"Paul\" adresse=\"3 rue des Lilas\" cp=\"69003\" ville=\"Lyon\"/>\n\
         </locataires>\n",
    );
    let run = scan_revealed(dir.path(), &[]);
    run.assert_code(0);
    assert_eq!(found(&run, "name"), ["Marie Grondin", "Paul Martin"]);
    assert_eq!(
        found(&run, "address"),
        [
            "102 ter impasse du Moulin, 76000 Rouen",
            "3 rue des Lilas, 69003 Lyon"
        ]
    );
}

#[test]
fn a_letter_quoted_in_a_reply_keeps_its_address() {
    let dir = Dir::new();
    dir.file(
        "mails/reponse.txt",
        "Le 12/03/2024, Marie Grondin a écrit :\n> Bonjour,\n> Mon adresse a changé :\n\
         > Mme Marie GRONDIN\n> 112 avenue de la Liberté\n> 74000 Annecy\n",
    );
    let run = scan_revealed(dir.path(), &[]);
    run.assert_code(0);
    assert_eq!(
        found(&run, "address"),
        ["112 avenue de la Liberté, 74000 Annecy"]
    );
    // Columns count the quote markers as the file has them.
    let address = &run
        .of_type("finding")
        .into_iter()
        .find(|f| f["kind"] == "address")
        .unwrap();
    assert_eq!(address["location"]["line"], 5);
    assert_eq!(address["location"]["column"], 3);
}

#[test]
fn a_vcard_export_gives_each_contacts_name_address_and_birthday() {
    let dir = Dir::new();
    let p = dir.file(
        "contacts.vcf",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kane;Abdou;;M.;\r\nFN:Abdou Kane\r\n\
         TEL;TYPE=CELL:+33 6 73 19 11 17\r\nADR;TYPE=HOME:;Bât. B Appt 12;14 rue Jules Verne;Saint-Nazaire;;44600;France\r\n\
         BDAY:19910514\r\nUID:742e2e28-f673-48d5-9dbf-45dfddb9d23a\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Gu=C3=A9rin;Gwena=C3=\r\n=ABlle;;;\r\n\
         EMAIL;HOME:gwen.guerin@example.fr\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Électricité Le Guen SAS\r\nORG:Électricité Le Guen SAS\r\n\
         TEL;TYPE=WORK:02 40 66 09 15\r\nADR;TYPE=WORK:;;18 rue Henri Gautier;Saint-Nazaire;;44600;France\r\nEND:VCARD\r\n",
    );
    let run = scan_revealed(&p, &[]);
    run.assert_code(0);
    assert_eq!(found(&run, "name"), ["Abdou Kane", "Gwenaëlle Guérin"]);
    // The company's card: its address and number are no one's.
    assert_eq!(
        found(&run, "address"),
        ["Bât. B Appt 12, 14 rue Jules Verne, 44600 Saint-Nazaire"]
    );
    assert_eq!(found(&run, "birthdate"), ["1991-05-14"]);
    assert_eq!(found(&run, "phone"), ["+33673191117"]);
    assert_eq!(found(&run, "email"), ["gwen.guerin@example.fr"]);
    assert_eq!(run.of_type("file")[0]["format"], "vcard");
}

#[test]
fn a_calendars_attendees_and_places_are_read_its_ids_and_times_are_not() {
    let dir = Dir::new();
    let p = dir.file(
        "agenda.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n\
         UID:0f3e4e00-2420-418c-8524-abbe16a0e7e5@habitat-loire-ocean.fr\r\n\
         DTSTART;TZID=Europe/Paris:20240521T150000\r\n\
         LOCATION:Résidence Océane\\, Bât. E\\, 8 rue Lamoricière\\, 44800 Saint-He\r\n rblain\r\n\
         ATTENDEE;CN=\"Rose Ferreira da Silva\";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTE\r\n D;RSVP=TRUE:mailto:rose.fdasilva@example.fr\r\n\
         DESCRIPTION:Tél. de Rose : 06.85.24.82.12\\nDigicode 3366B\r\n\
         END:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    let run = scan_revealed(&p, &[]);
    run.assert_code(0);
    assert_eq!(found(&run, "name"), ["Rose Ferreira da Silva"]);
    assert_eq!(found(&run, "email"), ["rose.fdasilva@example.fr"]);
    assert_eq!(
        found(&run, "address"),
        ["Résidence Océane, Bât. E, 8 rue Lamoricière, 44800 Saint-Herblain"]
    );
    assert_eq!(found(&run, "phone"), ["+33685248212"]);
    assert_eq!(run.of_type("file")[0]["format"], "icalendar");
}
