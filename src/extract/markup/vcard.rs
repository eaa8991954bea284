//! vCard (`.vcf`, versions 2.1 to 4.0): contacts exported from a phone or a
//! mail client. Each card is a record: its formatted name (`FN`), its
//! structured name (`N`: family; given; …) when it has no `FN`, its postal
//! addresses (`ADR`: box; extended; street; locality; region; code;
//! country), its birthday (`BDAY`, `19910514` as `1991-05-14`), its numbers
//! and addresses and its free text, each read under its kind. Folded lines
//! are unfolded; quoted-printable values (version 2.1) and escaped commas
//! and semicolons are decoded. Identifiers of the card itself (`UID`,
//! `REV`, `PRODID`) and embedded pictures, sounds and keys are not read.
//!
//! iCalendar (`.ics`) is written the same way: each event's organiser and
//! attendees (`ATTENDEE;CN="Rose Ferreira":mailto:rose@…`: a name and an
//! e-mail address), its place, summary and description are read; its
//! times and identifiers are not.

use crate::extract::{Cx, ExtractError, Located, Origin, RowCell, Unit, UnitSink};
use crate::model::columns::ColumnRole;

/// True when `head` starts a vCard (after blanks and a byte-order mark).
pub(crate) fn looks_like_vcard(head: &[u8]) -> bool {
    begins(head, b"BEGIN:VCARD")
}

/// True when `head` starts an iCalendar file.
pub(crate) fn looks_like_calendar(head: &[u8]) -> bool {
    begins(head, b"BEGIN:VCALENDAR")
}

fn begins(head: &[u8], tag: &[u8]) -> bool {
    let h = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = h
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(h.len());
    h[start..]
        .get(..tag.len())
        .is_some_and(|b| b.eq_ignore_ascii_case(tag))
}

/// One logical line: the property, its value, and where
/// the value starts (byte offset, line, column).
struct Property {
    name: String,
    /// Its parameters as written (`TYPE=CELL`, `CN="Rose Ferreira"`).
    params: String,
    value: String,
    at: usize,
    line: u64,
    column: u64,
}

pub(super) fn vcard(
    src: &str,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let role = |header: &str| cx.columns.recognize(header);
    let (last, first) = (role("nom"), role("prenom"));
    let (street, extra, code, city) = (
        role("adresse"),
        role("complement"),
        role("code postal"),
        role("ville"),
    );
    let company = role("raison sociale");
    let mut card: Vec<Property> = Vec::new();
    for p in properties(src) {
        if cx.deadline.is_over() {
            return Ok(());
        }
        match p.name.as_str() {
            "BEGIN" => card.clear(),
            "END" => hand_over(
                &std::mem::take(&mut card),
                [last, first],
                [street, extra, code, city],
                company,
                sink,
            ),
            _ => card.push(p),
        }
    }
    // A file cut short: its last card all the same.
    hand_over(
        &card,
        [last, first],
        [street, extra, code, city],
        company,
        sink,
    );
    Ok(())
}

/// The kind under which a property's value is read (`None`: as plain text);
/// `Err(())` for a property that holds nothing to read.
fn kind_of(name: &str) -> Result<Option<&'static str>, ()> {
    Ok(match name {
        "FN" | "NICKNAME" => Some("name"),
        "TEL" => Some("phone"),
        "EMAIL" => Some("email"),
        "BDAY" => Some("birthdate"),
        "UID" | "REV" | "PRODID" | "VERSION" | "PHOTO" | "LOGO" | "SOUND" | "KEY" | "N" | "ADR"
        | "X-ABUID" | "CLIENTPIDMAP" | "KIND" | "GENDER" | "ATTENDEE" | "ORGANIZER" => {
            return Err(())
        }
        // A calendar's times, rules and settings.
        "DTSTAMP"
        | "DTSTART"
        | "DTEND"
        | "DUE"
        | "CREATED"
        | "LAST-MODIFIED"
        | "SEQUENCE"
        | "STATUS"
        | "TRANSP"
        | "CALSCALE"
        | "METHOD"
        | "TZID"
        | "TZOFFSETFROM"
        | "TZOFFSETTO"
        | "RRULE"
        | "EXDATE"
        | "RECURRENCE-ID"
        | "TRIGGER"
        | "ACTION"
        | "CLASS"
        | "PRIORITY"
        | "X-WR-TIMEZONE"
        | "X-MICROSOFT-CDO-BUSYSTATUS" => return Err(()),
        _ => None,
    })
}

/// Hands one card over: its properties as units, then its name and
/// address parts as rows.
fn hand_over(
    card: &[Property],
    name_roles: [Option<&ColumnRole>; 2],
    address_roles: [Option<&ColumnRole>; 4],
    company_role: Option<&ColumnRole>,
    sink: &mut dyn UnitSink,
) {
    let org = card
        .iter()
        .find(|p| p.name == "ORG")
        .map_or("", |p| p.value.split(';').next().unwrap_or(""));
    let has_fn = card
        .iter()
        .any(|p| p.name == "FN" && !p.value.trim().is_empty());
    let company = company_card(card);
    // In the file's order: a unit's findings may not start before the last
    // unit's end.
    for p in card {
        if matches!(p.name.as_str(), "ATTENDEE" | "ORGANIZER") {
            if let Some(name) = parameter(&p.params, "CN") {
                unit(&name, Some("name"), origin(p), sink);
            }
            let address = p.value.trim();
            let address = address
                .get(..7)
                .filter(|m| m.eq_ignore_ascii_case("mailto:"))
                .map_or(address, |_| &address[7..]);
            unit(address, Some("email"), origin(p), sink);
            continue;
        }
        let Ok(kind) = kind_of(&p.name) else {
            continue;
        };
        // A company's card: its name and switchboard are no one's.
        if company && matches!(p.name.as_str(), "FN" | "TEL") {
            continue;
        }
        let value = if p.name == "BDAY" {
            compact_date(&p.value)
        } else {
            p.value.clone()
        };
        unit(&value, kind, origin(p), sink);
    }
    for p in card {
        let parts = components(&p.value);
        let cells: Vec<(Option<&ColumnRole>, &str)> = match p.name.as_str() {
            "N" if !has_fn => vec![
                (name_roles[0], parts.first().map_or("", String::as_str)),
                (name_roles[1], parts.get(1).map_or("", String::as_str)),
            ],
            "ADR" => {
                let part = |i: usize| parts.get(i).map_or("", String::as_str);
                let mut cells = vec![
                    (address_roles[1], part(1)),
                    (address_roles[0], part(2)),
                    (address_roles[2], part(5)),
                    (address_roles[3], part(3)),
                ];
                if company {
                    cells.push((company_role, org));
                }
                cells
            }
            _ => continue,
        };
        let row: Vec<RowCell<'_>> = cells
            .into_iter()
            .filter(|(_, t)| !t.trim().is_empty())
            .filter_map(|(role, text)| {
                role.map(|role| RowCell {
                    text: text.trim(),
                    role: Some(role),
                    origin: origin(p),
                })
            })
            .collect();
        if !row.is_empty() {
            sink.row(&row);
        }
    }
}

/// A company's card: an organisation (`ORG`) and no person's name (no
/// family name in `N`, and an `FN` that is the organisation's, if any).
fn company_card(card: &[Property]) -> bool {
    let value = |name: &str| card.iter().find(|p| p.name == name).map(|p| p.value.trim());
    let Some(org) = value("ORG").map(|o| o.split(';').next().unwrap_or("").trim()) else {
        return false;
    };
    let family = value("N").map(|n| components(n).swap_remove(0));
    !org.is_empty()
        && family.is_none_or(|f| f.trim().is_empty())
        && value("FN").is_none_or(|f| f == org)
}

/// Hands `text` over as a unit under `kind`.
fn unit(text: &str, kind: Option<&str>, origin: Origin<'_>, sink: &mut dyn UnitSink) {
    if text.trim().is_empty() {
        return;
    }
    sink.unit(&Located {
        unit: Unit::typed(text, kind),
        origin,
    });
}

/// The value of the parameter `name` in `params` (`CN="Rose Ferreira"`),
/// its quotes taken off.
fn parameter(params: &str, name: &str) -> Option<String> {
    let mut rest = params;
    while !rest.is_empty() {
        let end = next_separator(rest);
        if let Some((k, v)) = rest[..end].split_once('=') {
            if k.trim().eq_ignore_ascii_case(name) {
                return Some(v.trim().trim_matches('"').to_string());
            }
        }
        rest = rest.get(end + 1..).unwrap_or("");
    }
    None
}

/// Where the next `;` outside quotes is (or the end).
fn next_separator(params: &str) -> usize {
    let mut quoted = false;
    for (i, c) in params.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => return i,
            _ => {}
        }
    }
    params.len()
}

fn origin(p: &Property) -> Origin<'static> {
    Origin::Text {
        line: p.line,
        column: p.column,
        offset: p.at as u64,
    }
}

/// A structured value's components, split at unescaped `;`, each unescaped.
fn components(value: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => out.last_mut().map_or((), |s| s.push(' ')),
                Some(e) => out.last_mut().map_or((), |s| s.push(e)),
                None => {}
            },
            ';' => out.push(String::new()),
            c => out.last_mut().map_or((), |s| s.push(c)),
        }
    }
    out
}

/// A date written without separators (`19910514`) with them (`1991-05-14`).
fn compact_date(v: &str) -> String {
    let v = v.trim();
    let b = v.as_bytes();
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        format!("{}-{}-{}", &v[..4], &v[4..6], &v[6..])
    } else {
        v.to_string()
    }
}

/// The logical lines of `src`, unfolded and decoded.
fn properties(src: &str) -> Vec<Property> {
    let mut out: Vec<Property> = Vec::new();
    let physical: Vec<&str> = src.split('\n').collect();
    let mut i = 0;
    let mut at = 0usize;
    while i < physical.len() {
        let (start, first_line) = (at, i as u64 + 1);
        let first = physical[i].trim_end_matches('\r');
        let mut logical = first.to_string();
        at += physical[i].len() + 1;
        i += 1;
        // Folded lines start with a blank (anywhere: in the parameters too).
        while let Some(next) = physical.get(i).filter(|n| n.starts_with([' ', '\t'])) {
            logical.push_str(next[1..].trim_end_matches('\r'));
            at += next.len() + 1;
            i += 1;
        }
        let Some(colon) = value_colon(&logical) else {
            continue;
        };
        let (head, value) = (&logical[..colon], &logical[colon + 1..]);
        let (name, params) = head.split_once(';').unwrap_or((head, ""));
        // `item1.EMAIL`: a group's prefix.
        let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
        let params = params.to_string();
        let mut value = value.to_string();
        if params.to_ascii_uppercase().contains("QUOTED-PRINTABLE") {
            // A quoted-printable value's soft line break is a `=` at the end.
            while value.ends_with('=') {
                let Some(next) = physical.get(i) else { break };
                value.pop();
                value.push_str(next.trim_end_matches('\r'));
                at += next.len() + 1;
                i += 1;
            }
            value = quoted_printable(&value);
        }
        let value = if matches!(name.as_str(), "N" | "ADR") {
            value
        } else {
            unescape(&value)
        };
        // Where the value starts, when its first physical line shows it.
        let shown = value_colon(first).map_or(0, |c| c + 1);
        out.push(Property {
            name,
            params,
            value,
            at: start + shown,
            line: first_line,
            column: first[..shown].chars().count() as u64,
        });
    }
    out
}

/// The colon ending a property's name and parameters (not one inside a
/// quoted parameter value).
fn value_colon(line: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// `\,`, `\;`, `\\` and `\n` as written.
fn unescape(v: &str) -> String {
    components(&v.replace(';', "\\;")).concat()
}

/// Quoted-printable (`=C3=A9` → `é`), invalid UTF-8 replaced.
fn quoted_printable(v: &str) -> String {
    crate::model::fold::hex_unescape(v, b'=', false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_unfolded_and_decoded() {
        let src = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:H=C3=A9lo=\r\n=C3=AFse;Marie\r\nNOTE:Appeler apr\r\n \u{e8}s 10h\\, merci\r\nEND:VCARD\r\n";
        let p = properties(src);
        let names: Vec<&str> = p.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["BEGIN", "VERSION", "N", "NOTE", "END"]);
        assert_eq!(components(&p[2].value), ["Héloïse", "Marie"]);
        assert_eq!(p[3].value, "Appeler après 10h, merci");
        assert_eq!((p[3].line, p[3].column), (5, 5));
        assert_eq!(compact_date("19910514"), "1991-05-14");
        assert!(looks_like_vcard(b"\xEF\xBB\xBF\r\nbegin:vcard\r\n"));
        assert!(!looks_like_vcard(b"BEGIN:VCALENDAR"));
        assert!(looks_like_calendar(b"BEGIN:VCALENDAR\r\n"));
        let ics = "BEGIN:VEVENT\r\nATTENDEE;CN=\"Rose Ferreira; da Silva\";ROLE=REQ-PARTICIPANT;RSV\r\n P=TRUE:mailto:rose@example.fr\r\nEND:VEVENT\r\n";
        let p = properties(ics);
        assert_eq!(p[1].name, "ATTENDEE");
        assert_eq!(p[1].value, "mailto:rose@example.fr");
        assert_eq!(
            parameter(&p[1].params, "cn").as_deref(),
            Some("Rose Ferreira; da Silva")
        );
        assert_eq!(parameter(&p[1].params, "RSVP").as_deref(), Some("TRUE"));
    }
}
