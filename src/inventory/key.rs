//! The inventory's secret and the keyed fingerprints of values.
//!
//! A plain hash of a NIR or an IBAN can be reversed by trying every
//! possible value, so findings are fingerprinted with HMAC-SHA256 under a
//! secret made once per inventory and kept beside it (`<db>.key`, mode
//! 0600). Without the secret the fingerprints say nothing; with it, a
//! subject's identifiers can be looked up without storing any raw value.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Bytes of a fingerprint kept (128 bits: collisions are out of reach for
/// any inventory, and the index stays small).
pub const FINGERPRINT_LEN: usize = 16;

/// A value's fingerprint.
pub type Fingerprint = [u8; FINGERPRINT_LEN];

/// The secret of one inventory.
#[derive(Clone)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

/// Where the secret of the inventory `db` is kept.
pub fn key_path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".key");
    PathBuf::from(p)
}

impl Key {
    /// Reads the secret of `db`, or creates it when `create` (a new inventory).
    pub fn load_or_create(db: &Path, create: bool) -> io::Result<Key> {
        Self::load_or_create_at(&key_path(db), create)
    }

    /// Reads the secret kept at `path` (`--key-file`), or creates it there
    /// when `create`.
    pub fn load_or_create_at(path: &Path, create: bool) -> io::Result<Key> {
        let path = path.to_path_buf();
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(text.trim()).ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{} is not an inventory key", path.display()),
                )
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound && create => {
                let mut bytes = [0u8; 32];
                getrandom::fill(&mut bytes).map_err(|e| io::Error::other(e.to_string()))?;
                let key = Key(bytes);
                write_atomically(&path, format!("{}\n", hex(&key.0)).as_bytes())?;
                Ok(key)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "the inventory's key {} is missing: its fingerprints cannot be matched \
                     (restore the key, or start a new inventory)",
                    path.display()
                ),
            )),
            Err(e) => Err(e),
        }
    }

    fn parse(hex_text: &str) -> Option<Key> {
        if hex_text.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(hex_text.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Key(out))
    }

    /// The fingerprint of a value of `kind` in its canonical form.
    pub fn fingerprint(&self, kind: &str, canonical: &str) -> Fingerprint {
        self.mac(kind, canonical.as_bytes())
    }

    /// HMAC-SHA256 of `label`, a 0 byte and `data`, cut to
    /// [`FINGERPRINT_LEN`] bytes.
    pub fn mac(&self, label: &str, data: &[u8]) -> Fingerprint {
        // HMAC accepts keys of any length: this cannot fail.
        let mut mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(label.as_bytes());
        mac.update(&[0]);
        mac.update(data);
        let full = mac.finalize().into_bytes();
        let mut out = [0u8; FINGERPRINT_LEN];
        out.copy_from_slice(&full[..FINGERPRINT_LEN]);
        out
    }

    /// What the inventory stores to recognise its key (`meta.key_check`):
    /// the MAC of a fixed label, which says nothing of the key itself.
    pub fn check(&self) -> String {
        hex(&self.mac("pdscout inventory key check", b"v1"))
    }

    /// The keyed digest of a run's settings (`runs.settings`): the allow
    /// list they include may hold values.
    pub fn settings_digest(&self, settings: &str) -> String {
        hex(&self.mac("settings", settings.as_bytes()))
    }

    /// The keyed digest stored in `files.hash`: the MAC of the content's
    /// xxh3-128. Equal contents give equal digests under one key (a moved
    /// file is recognised), and without the key a digest cannot be tested
    /// against guessed contents.
    pub fn content_digest(&self, xxh3_128: u128) -> String {
        hex(&self.mac("file content", &xxh3_128.to_be_bytes()))
    }
}

/// Writes `bytes` to `path` so that it is either absent or complete (a full
/// disk or a crash leaves no empty key): a private temporary file in the
/// same folder, flushed to disk, then renamed over `path`; the folder is
/// synced so the rename itself survives a power loss.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let written = (|| {
        let mut f = crate::platform::create_private(&tmp, true)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_depend_on_key_kind_and_value() {
        let a = Key([1; 32]);
        let b = Key([2; 32]);
        let v = "fr7630006000011234567890189";
        assert_eq!(a.fingerprint("iban", v), a.fingerprint("iban", v));
        assert_ne!(a.fingerprint("iban", v), b.fingerprint("iban", v));
        assert_ne!(a.fingerprint("iban", v), a.fingerprint("nir", v));
        assert_eq!(Key::parse(&hex(&a.0)).map(|k| k.0), Some(a.0));
    }
}
