//! Dates as people write them in France (`12/03/1985`, `12-03-1985`,
//! `12.03.1985`, `1985-03-12`, `12 mars 1985`, `1er mars 1985`), and the
//! English `12 March 1985` → ISO.

use chrono::{Datelike, NaiveDate};

const MONTHS: &[(&str, u32)] = &[
    ("janvier", 1),
    ("janv", 1),
    ("jan", 1),
    ("fevrier", 2),
    ("fevr", 2),
    ("fev", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("aout", 8),
    ("septembre", 9),
    ("sept", 9),
    ("sep", 9),
    ("octobre", 10),
    ("oct", 10),
    ("novembre", 11),
    ("nov", 11),
    ("decembre", 12),
    ("dec", 12),
    // English, for the odd form filled in abroad.
    ("january", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
];

/// ISO `YYYY-MM-DD` of a written date, if it is a real calendar day.
pub fn to_iso(text: &str) -> Option<String> {
    let text = text.trim();
    // ASCII text (almost every date) is lower-cased on the stack: nothing
    // is allocated until the result.
    let mut lower = [0u8; 32];
    if text.is_ascii() && text.len() <= lower.len() {
        for (d, s) in lower.iter_mut().zip(text.bytes()) {
            *d = s.to_ascii_lowercase();
        }
        return iso(std::str::from_utf8(&lower[..text.len()]).ok()?);
    }
    iso(&crate::model::fold::strip_accents_lower(text))
}

/// [`to_iso`] of a lower-cased text without accents.
fn iso(t: &str) -> Option<String> {
    let mut parts = t.split(['/', '-', '.', ' ']).filter(|p| !p.is_empty());
    let (Some(a), Some(b), Some(c), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let (y, m, d): (i32, u32, u32) = if a.len() == 4 {
        (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?)
    } else {
        let day = a.trim_end_matches("er").parse().ok()?;
        let month = match b.parse::<u32>() {
            Ok(m) => m,
            Err(_) => MONTHS.iter().find(|(n, _)| *n == b)?.1,
        };
        let year = match c.len() {
            // `12/03/85`: the most recent year ending so, not in the future.
            2 => {
                let yy: i32 = c.parse().ok()?;
                let this = today().year();
                this - (this - yy).rem_euclid(100)
            }
            _ => c.parse().ok()?,
        };
        (year, month, day)
    };
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    Some(crate::model::fold::iso_date(date))
}

/// True for an ISO date after 1900 and not in the future.
pub fn plausible_birthdate(iso: &str) -> bool {
    let Some(d) = ymd(iso).or_else(|| NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()) else {
        return false;
    };
    d.year() >= 1900 && d <= today()
}

/// `YYYY-MM-DD` read directly (the normalisers' form; every date candidate
/// is checked, and chrono's format parser is costly for so little).
fn ymd(iso: &str) -> Option<NaiveDate> {
    let b = iso.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// Today, asked of the clock once a run (not once a date).
fn today() -> NaiveDate {
    static TODAY: std::sync::OnceLock<NaiveDate> = std::sync::OnceLock::new();
    *TODAY.get_or_init(|| chrono::Local::now().date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direct_reading_agrees_with_chrono() {
        let chrono = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
        for t in [
            "1985-03-12",
            "2000-02-29",
            "1900-02-29",
            "1985-13-01",
            "1985-00-10",
            "1985-01-00",
            "0985-03-01",
            "1985-3-12",
            "1985-03-1a",
            "+1985-03-12",
            "19850312",
            "1985/03/12",
            "1985-02-31",
            "9999-12-31",
            "0000-01-01",
        ] {
            if let Some(d) = ymd(t) {
                assert_eq!(Some(d), chrono(t), "{t}");
            } else if t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-' {
                assert_eq!(chrono(t), None, "{t}");
            }
        }
        assert!(plausible_birthdate("1985-03-12"));
        assert!(!plausible_birthdate("1899-12-31"));
        assert!(!plausible_birthdate("2999-01-01"));
        assert!(!plausible_birthdate("1985-02-30"));
    }

    #[test]
    fn forms() {
        for t in [
            "12/03/1985",
            "12-03-1985",
            "12.03.1985",
            "1985-03-12",
            "12 mars 1985",
            "12 MARS 1985",
        ] {
            assert_eq!(to_iso(t).as_deref(), Some("1985-03-12"), "{t}");
        }
        assert_eq!(to_iso("1er février 1990").as_deref(), Some("1990-02-01"));
        assert_eq!(to_iso("12/03/85").as_deref(), Some("1985-03-12"));
        assert_eq!(to_iso("12 March 1985").as_deref(), Some("1985-03-12"));
        assert_eq!(to_iso("3 aug. 1979").as_deref(), Some("1979-08-03"));
        assert_eq!(to_iso("12/03/00").as_deref(), Some("2000-03-12"));
        let yy = today().year() % 100;
        let this = format!("01/01/{yy:02}");
        assert_eq!(to_iso(&this), Some(format!("{}-01-01", today().year())));
        let next = format!("01/01/{:02}", (yy + 1) % 100);
        assert_eq!(
            to_iso(&next),
            Some(format!("{}-01-01", today().year() - 99))
        );
        assert_eq!(to_iso("31/02/1990"), None);
        assert_eq!(to_iso("29/02/2000").as_deref(), Some("2000-02-29"));
        assert_eq!(to_iso("29/02/1900"), None);
        assert_eq!(to_iso(" 1ER MARS 1970 ").as_deref(), Some("1970-03-01"));
        assert_eq!(to_iso("1/3/0985").as_deref(), Some("0985-03-01"));
        assert_eq!(to_iso("1/3/12345").as_deref(), Some("+12345-03-01"));
        assert_eq!(to_iso("12 sept. 1985").as_deref(), Some("1985-09-12"));
        assert_eq!(to_iso("12/03/1985/4"), None);
        assert_eq!(to_iso("12 03"), None);
        assert!(plausible_birthdate("1985-03-12"));
        assert!(!plausible_birthdate("2999-01-01"));
        assert!(!plausible_birthdate("1850-01-01"));
    }
}
