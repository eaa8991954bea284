//! E-mail addresses, minus URL credentials (`https://user:pass@host`) and
//! retina image names (`logo@2x.png`).

use super::Candidate;

/// File extensions that end `name@2x.png`-like strings, never a TLD in use for mail.
const FILE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "css", "js", "tif", "tiff", "pdf",
    "mp4", "woff", "woff2", "ttf",
];

/// True for a plausible personal e-mail address.
pub fn valid(c: &Candidate, v: &str) -> bool {
    let Some((local, domain)) = v.rsplit_once('@') else {
        return false;
    };
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return false;
    }
    let tld = domain.rsplit('.').next().unwrap_or("");
    if FILE_EXTENSIONS.contains(&tld) {
        return false;
    }
    let before = c.before();
    // The end of a longer local part that was rejected ("x:Gx7-pass@…").
    if matches!(before.last(), Some(b) if b.is_ascii_alphanumeric() || b"._%+-".contains(b)) {
        return false;
    }
    // URL credentials: the token the address sits in has "://" and then a
    // ':' ("ftp://user:pass@host").
    let token_start = before
        .iter()
        .rposition(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'<' | b'(' | b'\''))
        .map_or(0, |i| i + 1);
    let token = &before[token_start..];
    if let Some(i) = token.windows(3).position(|w| w == b"://") {
        if token[i + 3..].contains(&b':') {
            return false;
        }
    }
    true
}
