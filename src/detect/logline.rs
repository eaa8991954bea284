//! Web-server access logs (Common and Combined Log Format, as Apache and
//! nginx write them): the fields of a line that hold no personal data and
//! need not be searched.
//!
//! ```text
//! 203.0.113.9 - - [12/Mar/2024:10:22:33 +0100] "GET /a?b=c HTTP/1.1" 200 512 "https://ref/" "Mozilla/5.0 (…) Chrome/120.0.0.0"
//!                 `-------- timestamp --------'             `-- protocol,  --'                `---------- user agent ----------'
//!                                                               status, size
//! ```
//!
//! The timestamp is the time of a request, never a birth date; the protocol,
//! status and size are numbers about the response; the user agent names
//! software (`Chrome/120.0.0.0` is a version, not an address; `Safari`,
//! `Gecko` and `Macintosh` are no one's names). Together they are more than
//! half of a log line, and the costliest part to search. Everything else (the
//! client address, the method, path and query string, the referrer, any
//! field after the user agent such as `X-Forwarded-For`) is searched as
//! usual by the identifier patterns. A user agent holding an `@` (a
//! crawler's contact address) is searched too. The name and address
//! detectors leave such a line out whole: its path, query and referrer are
//! URL-encoded (`q=Jean+Dupont`, `Marie%20Curie`), where neither finds
//! anything, and scanning them cost a third of a log's scan.

use crate::model::Unit;
use std::ops::Range;

/// A part of a log line not to search.
#[derive(Debug, Clone, PartialEq)]
pub struct Quiet {
    pub range: Range<usize>,
    /// The whole line, for the name and address detectors only (else a
    /// field that holds no personal data: a timestamp; a protocol, status
    /// and size; a user agent).
    pub line: bool,
}

/// Length of `[dd/Mon/yyyy:HH:MM:SS +zzzz]`.
const STAMP: usize = 28;

/// Appends to `out`, in order, the quiet fields (timestamp; protocol, status
/// and size; user agent) of the access-log lines of `b` that meet `range`.
/// Lines cut by the end of `b` are left alone.
pub fn quiet_spans(b: &[u8], range: Range<usize>, out: &mut Vec<Quiet>) {
    // A log line ends within `b` (below) and no line before `range` does: a
    // short text without a newline there (a table cell) holds none.
    let tail = &b[range.start..];
    if tail.len() < SHORT && !tail.contains(&b'\n') {
        return;
    }
    // Only lines with a `[` can be log lines: prose is passed over at the
    // speed of memchr.
    let mut line = memchr::memrchr(b'\n', &b[..range.start]).map_or(0, |i| i + 1);
    while line < range.end {
        let Some(i) = memchr::memchr(b'[', &b[line..range.end]) else {
            break;
        };
        let open = line + i;
        let start = memchr::memrchr(b'\n', &b[line..open]).map_or(line, |j| line + j + 1);
        let Some(nl) = memchr::memchr(b'\n', &b[open..]) else {
            break;
        };
        let end = open + nl;
        if open - start < HEAD {
            line_spans(b, start, open, end, out);
        }
        line = end + 1;
    }
}

/// Texts shorter than this are tested for a newline byte by byte (cheaper
/// than setting up a vector search).
const SHORT: usize = 64;

/// The timestamp comes after the client address, the identity and the user
/// (`- -` or a login): well inside the first bytes of a line.
const HEAD: usize = 160;

/// The quiet spans of the line `b[start..end]`, whose first `[` is at `open`.
fn line_spans(b: &[u8], start: usize, open: usize, end: usize, out: &mut Vec<Quiet>) {
    let line = &b[start..end];
    let open = open - start;
    if !is_stamp(&line[open..]) {
        return;
    }
    out.push(Quiet {
        range: start..end,
        line: true,
    });
    out.push(Quiet {
        range: start + open..start + open + STAMP,
        line: false,
    });
    let (middle, agent) = after_stamp(line, open + STAMP);
    for r in [middle, agent].into_iter().flatten() {
        out.push(Quiet {
            range: start + r.start..start + r.end,
            line: false,
        });
    }
}

/// `[dd/Mon/yyyy:HH:MM:SS +zzzz]` at the start of `s`.
fn is_stamp(s: &[u8]) -> bool {
    const DIGITS: [usize; 16] = [1, 2, 8, 9, 10, 11, 13, 14, 16, 17, 19, 20, 23, 24, 25, 26];
    s.len() >= STAMP
        && s[3] == b'/'
        && s[7] == b'/'
        && s[12] == b':'
        && s[15] == b':'
        && s[18] == b':'
        && s[21] == b' '
        && matches!(s[22], b'+' | b'-')
        && s[27] == b']'
        && s[4..7].iter().all(u8::is_ascii_alphabetic)
        && DIGITS.iter().all(|&i| s[i].is_ascii_digit())
}

/// The quiet fields of `line` after its timestamp (which ends at `from`):
/// ` "GET /path HTTP/1.1" 200 1234 "referrer" "user agent"`: the protocol,
/// status and size (from `HTTP/` to the referrer's quote), and the user
/// agent's text inside its quotes (unless it holds an `@`).
fn after_stamp(line: &[u8], from: usize) -> (Option<Range<usize>>, Option<Range<usize>>) {
    let quoted = |at: usize| -> Option<Range<usize>> {
        let open = at + 1;
        (line.get(at..open)? == b"\"")
            .then(|| memchr::memchr(b'"', &line[open..]).map(|n| open..open + n))?
    };
    let expect = |at: usize, what: &[u8]| line.get(at..at + what.len()) == Some(what);
    if !expect(from, b" ") {
        return (None, None);
    }
    let Some(request) = quoted(from + 1) else {
        return (None, None);
    };
    // ` 200 1234 ` (the size may be `-`).
    let mut at = request.end + 1;
    if !expect(at, b" ") {
        return (None, None);
    }
    at += 1;
    let status = line[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    if status != 3 || !expect(at + 3, b" ") {
        return (None, None);
    }
    at += 4;
    let size = line[at..]
        .iter()
        .take_while(|&&c| c.is_ascii_digit() || c == b'-')
        .count();
    if size == 0 {
        return (None, None);
    }
    // The protocol is the request's last word; a request without one (`-`,
    // a malformed line) is searched whole.
    let protocol = memchr::memrchr(b' ', &line[request.clone()])
        .map(|i| request.start + i + 1)
        .filter(|&p| line[p..].starts_with(b"HTTP/"))
        .unwrap_or(request.end);
    let middle = Some(protocol..at + size);
    if !expect(at + size, b" ") {
        return (middle, None);
    }
    let Some(referrer) = quoted(at + size + 1) else {
        return (middle, None);
    };
    if !expect(referrer.end + 1, b" ") {
        return (middle, None);
    }
    let agent = quoted(referrer.end + 2)
        .filter(|agent| memchr::memchr(b'@', &line[agent.clone()]).is_none());
    (middle, agent)
}

/// Calls `f` with each part of `unit` between the `quiet` spans that `skip`
/// accepts: the part's report range, and its text cut where the next such
/// span starts (no match runs into it).
pub(super) fn each_part(
    unit: &Unit<'_>,
    quiet: &[Quiet],
    skip: impl Fn(&Quiet) -> bool,
    mut f: impl FnMut(Unit<'_>),
) {
    let mut start = unit.report.start;
    let mut spans = quiet.iter().filter(|q| skip(q)).map(|q| &q.range);
    loop {
        let (end, limit, next) = match spans.next() {
            Some(q) => (q.start.min(unit.report.end), q.start, q.end),
            None => (unit.report.end, unit.text.len(), usize::MAX),
        };
        if start < end {
            f(Unit {
                text: &unit.text[..limit],
                report: start..end,
                column_kind: unit.column_kind,
                regex_free: unit.regex_free,
            });
        }
        start = start.max(next);
        if start >= unit.report.end {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quiet fields (the whole-line spans are checked apart).
    fn spans(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        quiet_spans(text.as_bytes(), 0..text.len(), &mut out);
        out.into_iter()
            .filter(|q| !q.line)
            .map(|q| &text[q.range])
            .collect()
    }

    const COMBINED: &str = "203.0.113.9 - - [12/Mar/2024:10:22:33 +0100] \"GET /a?mail=x@y.fr HTTP/1.1\" 200 512 \"https://ref.example/\" \"Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0\"\n";

    #[test]
    fn combined_line_timestamp_and_user_agent() {
        assert_eq!(
            spans(COMBINED),
            [
                "[12/Mar/2024:10:22:33 +0100]",
                "HTTP/1.1\" 200 512",
                "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0"
            ]
        );
    }

    #[test]
    fn common_log_format_and_vhost_and_forwarded_for() {
        let common = "example.fr:443 2001:db8::1 - jdupont [01/Jan/2025:00:00:01 -0500] \"POST /login HTTP/2.0\" 302 -\n";
        assert_eq!(
            spans(common),
            ["[01/Jan/2025:00:00:01 -0500]", "HTTP/2.0\" 302 -"]
        );
        // nginx with X-Forwarded-For after the user agent: that field is searched.
        let xff = "10.0.0.1 - - [01/Jan/2025:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8.5.0\" \"198.51.100.7\"\n";
        assert_eq!(
            spans(xff),
            [
                "[01/Jan/2025:00:00:01 +0000]",
                "HTTP/1.1\" 200 5",
                "curl/8.5.0"
            ]
        );
    }

    #[test]
    fn what_is_not_quiet() {
        // A crawler's contact address in the user agent.
        let bot = "10.0.0.1 - - [01/Jan/2025:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"bot/1.0 (+mailto:ops@crawler.example)\"\n";
        assert_eq!(
            spans(bot),
            ["[01/Jan/2025:00:00:01 +0000]", "HTTP/1.1\" 200 5"]
        );
        // A last line without its newline, prose with brackets, an escaped quote.
        assert!(spans(COMBINED.trim_end()).is_empty());
        assert!(spans("Né le [12/03/1985] à Lyon\n").is_empty());
        let escaped = "10.0.0.1 - - [01/Jan/2025:00:00:01 +0000] \"GET /\\\"x HTTP/1.1\" 200 5 \"-\" \"curl/8\"\n";
        assert_eq!(spans(escaped), ["[01/Jan/2025:00:00:01 +0000]"]);
    }

    #[test]
    fn only_lines_meeting_the_range() {
        let two = format!("{COMBINED}{COMBINED}");
        let mut out = Vec::new();
        let second = COMBINED.len() + 3;
        quiet_spans(two.as_bytes(), second..second + 20, &mut out);
        assert_eq!(out.len(), 4);
        // The whole line first (without its newline), then its fields.
        assert_eq!(out[0].range, COMBINED.len()..two.len() - 1);
        assert!(out[0].line && out[1..].iter().all(|q| !q.line));
    }
}

/// True when `line` starts like a log line: a timestamp (`2024-03-12
/// 10:22`, `2024-03-12T10:22`, `12/03/2024 10:22`, syslog's `Mar 12
/// 10:22:33`, `[12/Mar/2024:…`, `[2024-…`) or an access log's client field
/// (`203.0.113.9 - `). Each such line is one event, of one visitor or user:
/// a subject's record is the line alone.
pub fn starts_like_log(line: &str) -> bool {
    let t = line.trim_start().as_bytes();
    let digits = |b: &[u8]| !b.is_empty() && b.iter().all(u8::is_ascii_digit);
    let time_at = |i: usize| {
        t.len() >= i + 5 && digits(&t[i..i + 2]) && t[i + 2] == b':' && digits(&t[i + 3..i + 5])
    };
    // 2024-03-12 10:22, 2024-03-12T10:22
    if t.len() >= 16
        && digits(&t[..4])
        && t[4] == b'-'
        && digits(&t[5..7])
        && t[7] == b'-'
        && digits(&t[8..10])
        && matches!(t[10], b' ' | b'T')
        && time_at(11)
    {
        return true;
    }
    // 12/03/2024 10:22
    if t.len() >= 16
        && digits(&t[..2])
        && t[2] == b'/'
        && digits(&t[3..5])
        && t[5] == b'/'
        && digits(&t[6..10])
        && t[10] == b' '
        && time_at(11)
    {
        return true;
    }
    // [12/Mar/2024:…] or [2024-03-12 …]
    if t.len() >= 2 && t[0] == b'[' && t[1].is_ascii_digit() {
        return true;
    }
    // Mar 12 10:22:33, Mar  2 10:22:33
    if t.len() >= 15 && t[..3].iter().all(u8::is_ascii_alphabetic) && t[3] == b' ' {
        let rest = &t[4..];
        let rest = rest.strip_prefix(b" ").unwrap_or(rest);
        let day = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if (1..=2).contains(&day) && rest.get(day) == Some(&b' ') {
            let r = &rest[day + 1..];
            if r.len() >= 5 && digits(&r[..2]) && r[2] == b':' && digits(&r[3..5]) {
                return true;
            }
        }
    }
    // 203.0.113.9 - - [ (Common/Combined Log Format)
    let client = t.iter().take_while(|b| **b != b' ').count();
    client >= 3
        && t[..client]
            .iter()
            .all(|b| b.is_ascii_hexdigit() || matches!(b, b'.' | b':'))
        && t[..client].iter().any(|b| matches!(b, b'.' | b':'))
        && t[client..].starts_with(b" - ")
}

#[cfg(test)]
mod log_start_tests {
    use super::starts_like_log;

    #[test]
    fn log_lines_and_others() {
        for l in [
            "2024-03-12 10:22:33 INFO user=jean.dupont@example.fr",
            "2024-03-12T10:22:33Z login",
            "12/03/2024 10:22 connexion",
            "[12/Mar/2024:10:22:33 +0100] GET",
            "Mar  2 10:22:33 host sshd[1]: Accepted",
            "203.0.113.9 - - [12/Mar/2024:10:22:33 +0100] \"GET / HTTP/1.1\"",
            "2001:db8::1 - jean [12/Mar/2024:10:22:33 +0100]",
        ] {
            assert!(starts_like_log(l), "{l}");
        }
        for l in [
            "Monsieur DUPONT Jean",
            "2024-03-12;DUPONT;Jean",
            "12 rue de la Paix",
            "Nov 2024 : relevé",
            "",
        ] {
            assert!(!starts_like_log(l), "{l}");
        }
    }
}
