//! IP addresses (IPv4 and IPv6): canonical text, not part of a longer dotted
//! run (OIDs, version strings) or colon run; loopback, unspecified and
//! broadcast addresses get a low confidence.

use super::Candidate;
use std::net::{IpAddr, Ipv4Addr};

/// `str::parse::<Ipv4Addr>` for the common case, without std's general
/// parser: four decimal parts of 1 to 3 digits, at most 255, no leading
/// zero; anything else is left to std (which would reject it too).
fn dotted_quad(text: &str) -> Option<Ipv4Addr> {
    let b = text.as_bytes();
    if b.len() > 15 {
        return None;
    }
    let mut octets = [0u8; 4];
    let mut parts = b.split(|&c| c == b'.');
    for o in &mut octets {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || (p.len() > 1 && p[0] == b'0') {
            return None;
        }
        let mut n: u32 = 0;
        for &d in p {
            if !d.is_ascii_digit() {
                return None;
            }
            n = n * 10 + u32::from(d - b'0');
        }
        *o = u8::try_from(n).ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(Ipv4Addr::from(octets))
}

fn parse_ip(text: &str) -> Option<IpAddr> {
    match dotted_quad(text) {
        Some(a) => Some(IpAddr::V4(a)),
        None => text.parse().ok(),
    }
}

/// Canonical text form, or `None` if the text is not an address.
pub fn canonical(text: &str) -> Option<String> {
    // A dotted quad that parses is already canonical (std rejects leading zeros).
    if dotted_quad(text).is_some() || text.parse::<Ipv4Addr>().is_ok() {
        return Some(text.to_string());
    }
    text.parse::<IpAddr>().ok().map(|ip| ip.to_string())
}

/// `Some(confidence factor)` for an address standing alone.
pub fn check(c: &Candidate, v: &str) -> Option<f32> {
    let ip: IpAddr = parse_ip(v)?;
    let (before, after) = (c.before(), c.after());
    let part_of_run = match ip {
        IpAddr::V4(_) => {
            matches!(before, [.., d, b'.'] if d.is_ascii_digit())
                || matches!(before, [.., d] if d.is_ascii_alphanumeric())
                || matches!(after, [b'.', d, ..] if d.is_ascii_digit())
                || matches!(after, [d, ..] if d.is_ascii_alphanumeric())
        }
        IpAddr::V6(_) => {
            matches!(before, [.., d] if d.is_ascii_alphanumeric() || *d == b':')
                || matches!(after, [d, ..] if d.is_ascii_alphanumeric() || *d == b':')
        }
    };
    if part_of_run {
        return None;
    }
    let special = match ip {
        IpAddr::V4(a) => a.is_loopback() || a.is_unspecified() || a.is_broadcast(),
        IpAddr::V6(a) => a.is_loopback() || a.is_unspecified(),
    };
    Some(if special { 0.35 } else { 1.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_quads_as_std_parses_them() {
        let mut texts: Vec<String> = [
            "",
            ".",
            "1.2.3",
            "1.2.3.4",
            "1.2.3.4.",
            "1.2.3.4.5",
            "01.2.3.4",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "1.2.3.04",
            "1..3.4",
            "1.2.3.-4",
            "+1.2.3.4",
            "1.2.3.4 ",
            "１.2.3.4",
            "999.999.999.999",
            "1000.1.1.1",
            "00.1.1.1",
        ]
        .map(String::from)
        .to_vec();
        for a in [
            "0", "1", "9", "10", "99", "100", "199", "200", "249", "250", "255", "256", "300",
            "01", "001",
        ] {
            texts.push(format!("{a}.{a}.0.{a}"));
        }
        for t in &texts {
            assert_eq!(dotted_quad(t), t.parse::<Ipv4Addr>().ok(), "{t:?}");
        }
    }
}
