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
    if !(7..=15).contains(&b.len()) {
        return None;
    }
    let mut octets = [0u8; 4];
    let mut i = 0;
    for (k, o) in octets.iter_mut().enumerate() {
        if k > 0 {
            if b.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let start = i;
        let mut n: u32 = 0;
        while i < b.len() && i - start < 3 && b[i].is_ascii_digit() {
            n = n * 10 + u32::from(b[i] - b'0');
            i += 1;
        }
        let len = i - start;
        if len == 0 || (len > 1 && b[start] == b'0') || n > 255 {
            return None;
        }
        *o = n as u8;
    }
    (i == b.len()).then(|| Ipv4Addr::from(octets))
}

/// The eight groups of an IPv6 address written in full (`a:b:c:d:e:f:g:h`,
/// 1 to 4 hex digits each), and whether that text is already canonical
/// (RFC 5952 as std prints it: lower case, no leading zero, and no run of
/// two zero groups, which would be written `::`). Other forms (`::`, an
/// IPv4 tail) are left to std.
fn full_v6(text: &str) -> Option<([u16; 8], bool)> {
    let b = text.as_bytes();
    if b.len() > 39 {
        return None;
    }
    let mut groups = [0u16; 8];
    let mut canonical = true;
    let mut parts = b.split(|&c| c == b':');
    for g in &mut groups {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 4 {
            return None;
        }
        let mut n: u16 = 0;
        for &c in p {
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => {
                    canonical = false;
                    c - b'A' + 10
                }
                _ => return None,
            };
            n = (n << 4) | u16::from(d);
        }
        canonical &= p.len() == 1 || p[0] != b'0';
        *g = n;
    }
    if parts.next().is_some() {
        return None;
    }
    canonical &= !groups.windows(2).any(|w| w == [0, 0]);
    Some((groups, canonical))
}

fn parse_ip(text: &str) -> Option<IpAddr> {
    if let Some(a) = dotted_quad(text) {
        return Some(IpAddr::V4(a));
    }
    if let Some((groups, _)) = full_v6(text) {
        return Some(IpAddr::V6(groups.into()));
    }
    text.parse().ok()
}

/// Canonical text form, or `None` if the text is not an address.
pub fn canonical(text: &str) -> Option<String> {
    // A dotted quad that parses is already canonical (std rejects leading zeros).
    if dotted_quad(text).is_some() {
        return Some(text.to_string());
    }
    if let Some((_, true)) = full_v6(text) {
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
                // C++ and Perl scopes (`A::a`, `c::c`, `::ff`): an address
                // written without one decimal digit is none.
                || !v.bytes().any(|b| b.is_ascii_digit())
        }
    };
    if part_of_run || (matches!(ip, IpAddr::V4(_)) && (release_heading(c) || named_version(c))) {
        return None;
    }
    let special = match ip {
        IpAddr::V4(a) => a.is_loopback() || a.is_unspecified() || a.is_broadcast(),
        IpAddr::V6(a) => a.is_loopback() || a.is_unspecified(),
    };
    Some(if special { 0.35 } else { 1.0 })
}

/// A dotted quad of small numbers (`1.7.6.6`, `3.10.2.1`: every part below
/// 20, the first not 10): the shape of a software version (`Prepare for
/// 1.7.6.6`, `GestLoc 3.10.2.1`), which only network context makes an
/// address. A public address has such parts by chance one time in a few
/// thousand, and the few well-known ones (`1.1.1.1`, `8.8.8.8`, `9.9.9.9`)
/// are resolvers, nobody's; `10.1.2.3` is a private network's, kept. The
/// client field of an access-log line (`7.16.11.16 - - [22/Jul/2024…`) is
/// an address whatever its shape.
pub fn version_shaped(c: &Candidate, v: &str) -> bool {
    // `v` is canonical: a dotted quad's parts have no leading zero, so a
    // part below 20 is one digit, or `1` and one digit.
    let b = v.as_bytes();
    if b.len() > 11 || b.starts_with(b"10.") {
        return false;
    }
    let (mut parts, mut len) = (1, 0);
    for (i, &x) in b.iter().enumerate() {
        match x {
            b'.' => {
                parts += 1;
                len = 0;
            }
            b'0'..=b'9' => {
                len += 1;
                if len > 2 || (len == 2 && b[i - 1] != b'1') {
                    return false;
                }
            }
            _ => return false,
        }
    }
    parts == 4 && !access_log_client(c.after())
}

/// A release's version leading its line in a changelog: a Markdown
/// heading's first word (`## 2.9.13.100 - 2021-10-23`, `### [3.4.12.201]`),
/// or a line's first word dated right after (`4.1.0.12 (2022-01-05)`).
fn release_heading(c: &Candidate) -> bool {
    let line = c.line_range();
    let b = c.hay.as_bytes();
    let lead = &b[line.start..c.start];
    let marks = |x: &u8| matches!(x, b'#' | b'=' | b' ' | b'\t' | b'[' | b'(' | b'*' | b'-');
    let heading = lead.first() == Some(&b'#');
    let first_word = lead
        .iter()
        .rposition(|x| !marks(x))
        .is_none_or(|i| i == 0 && matches!(lead[0], b'v' | b'V'))
        && !lead.contains(&b'\t');
    if !first_word {
        return false;
    }
    if heading {
        return true;
    }
    // ` - 2021-10-23`, ` (2021-10-23)`, `] - 23/10/2021`
    let after = &b[c.end..line.end];
    let rest = after.trim_ascii_start();
    let rest = rest.strip_prefix(b"]").unwrap_or(rest).trim_ascii_start();
    let rest = match rest.first() {
        Some(b'-' | b'(' | b',') => rest[1..].trim_ascii_start(),
        _ if rest.starts_with("–".as_bytes()) => rest[3..].trim_ascii_start(),
        _ => return false,
    };
    let date = |r: &[u8]| {
        let d: Vec<bool> = r.iter().take(10).map(u8::is_ascii_digit).collect();
        d.len() == 10
            && ((d[..4].iter().all(|x| *x) && r[4] == b'-' && r[7] == b'-')
                || (d[..2].iter().all(|x| *x) && r[2] == b'/' && r[5] == b'/'))
    };
    date(rest)
}

/// Words that name a software's version or system, and words of networks,
/// as the line before a dotted quad says them.
const VERSION_WORDS: &[&str] = &[
    "version", "versions", "build", "release", "firmware", "revision", "v",
];
const NETWORK_WORDS: &[&str] = &[
    "ip",
    "client",
    "remote",
    "connexion",
    "from",
    "src",
    "source",
    "dst",
    "destination",
    "depuis",
    "serveur",
    "server",
    "host",
    "hote",
    "passerelle",
    "gateway",
    "dns",
    "proxy",
    "addr",
    "adresse",
];

/// The line says a version before the quad and nothing of networks since
/// (`Version du connecteur : 3.2.1.4 ; du module de paiement : 2.11.0.58`):
/// the last of these words before it decides, within its field (a quoted
/// user agent, a tab's column: `"… Version/17.0 Safari/604.1" "83.201.14.77"`
/// is a forwarded client's address).
fn named_version(c: &Candidate) -> bool {
    let line = c.line_range();
    let before = &c.hay[line.start..c.start];
    let before = &before[before.rfind(['"', '\t', '|']).map_or(0, |i| i + 1)..];
    for w in before
        .rsplit(|ch: char| !ch.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.as_bytes()[0].is_ascii_digit())
    {
        let found = crate::detect::words::with_folded(w, |f| {
            if NETWORK_WORDS.contains(&f) {
                Some(false)
            } else if VERSION_WORDS.contains(&f) {
                Some(true)
            } else {
                None
            }
        });
        if let Some(version) = found {
            return version;
        }
    }
    false
}

/// `after` goes on as an access log's client field does: ident, user, then
/// the bracketed date (` - - [`, ` - jdupont [`), or the end of the text
/// where the detector left the date out (`logline`'s quiet spans).
fn access_log_client(after: &[u8]) -> bool {
    let mut fields = after.splitn(4, |&b| b == b' ');
    fields.next() == Some(b"")
        && fields.next().is_some_and(|f| !f.is_empty())
        && fields.next().is_some_and(|f| !f.is_empty())
        && fields
            .next()
            .is_some_and(|f| matches!(f.first(), None | Some(b'[')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_shaped_quads() {
        let alone = |v: &str, after: &str| {
            let hay = format!("{v}{after}");
            version_shaped(
                &Candidate {
                    hay: &hay,
                    start: 0,
                    end: v.len(),
                },
                v,
            )
        };
        for v in [
            "1.7.6.6",
            "3.10.2.1",
            "1.4.1.10",
            "8.8.8.8",
            "19.0.19.1",
            "0.1.2.3",
        ] {
            assert!(alone(v, " installé"), "{v}");
        }
        for v in [
            "10.1.2.3",
            "2.14.201.7",
            "20.1.1.1",
            "192.168.1.1",
            "127.0.0.1",
            "::1",
        ] {
            assert!(!alone(v, ""), "{v}");
        }
        assert!(!alone("7.16.11.16", " - - [22/Jul/2024:06:30:41 +0100]"));
        assert!(!alone(
            "7.16.11.16",
            " - jdupont [22/Jul/2024:06:30:41 +0100]"
        ));
        assert!(!alone("7.16.11.16", " - - "));
        assert!(alone("7.16.11.16", " - notes de version"));
        assert!(alone("7.16.11.16", " - notes"));
    }

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

    #[test]
    fn full_ipv6_as_std_parses_and_prints_it() {
        let mut texts: Vec<String> = [
            "2001:861:ba61:1c05:9c49:2e4f:cdf7:c80",
            "2001:DB8:0:0:1:0:0:1",
            "2001:db8:0:1:0:1:0:1",
            "0:0:0:0:0:0:0:0",
            "0:0:0:0:0:0:0:1",
            "0:1:0:1:0:1:0:1",
            "1:0:0:2:0:0:0:3",
            "fe80:0:0:0:1ff:fe23:4567:890a",
            "2001:0db8:0000:0000:0000:0000:0000:0001",
            "0:0:0:0:0:ffff:c000:280",
            "0:0:0:0:0:0:c000:280",
            "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7:",
            "1:2:3:4:5:6:7:12345",
            "1:2:3:4:5:6:7:g",
            "1::2:3:4:5:6:7",
            "::",
            "1:2:3:4:5:6:1.2.3.4",
        ]
        .map(String::from)
        .to_vec();
        // Every pattern of zero and non-zero groups, in both cases.
        for bits in 0u32..256 {
            let groups: Vec<&str> = (0..8)
                .map(|i| if bits & (1 << i) != 0 { "0" } else { "aB0" })
                .collect();
            texts.push(groups.join(":"));
            texts.push(groups.join(":").to_lowercase());
        }
        for t in &texts {
            let std = t.parse::<std::net::Ipv6Addr>().ok();
            let ours = full_v6(t);
            if let Some((groups, canonical)) = ours {
                let std = std.expect("std parses what we parse");
                assert_eq!(std::net::Ipv6Addr::from(groups), std, "{t:?}");
                assert_eq!(canonical, std.to_string() == *t, "{t:?}");
            }
            assert_eq!(
                canonical(t),
                t.parse::<IpAddr>().ok().map(|ip| ip.to_string()),
                "{t:?}"
            );
        }
    }
}
