//! IP addresses (IPv4 and IPv6): canonical text, not part of a longer dotted
//! run (OIDs, version strings) or colon run; loopback, unspecified and
//! broadcast addresses get a low confidence.

use super::Candidate;
use std::net::IpAddr;

/// Canonical text form, or `None` if the text is not an address.
pub fn canonical(text: &str) -> Option<String> {
    // A dotted quad that parses is already canonical (std rejects leading zeros).
    if text.parse::<std::net::Ipv4Addr>().is_ok() {
        return Some(text.to_string());
    }
    text.parse::<IpAddr>().ok().map(|ip| ip.to_string())
}

/// `Some(confidence factor)` for an address standing alone.
pub fn check(c: &Candidate, v: &str) -> Option<f32> {
    let ip: IpAddr = v.parse().ok()?;
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
