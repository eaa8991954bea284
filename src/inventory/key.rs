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
        let path = key_path(db);
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
                let mut f = crate::scan::create_private(&path, true)?;
                writeln!(f, "{}", hex(&key.0))?;
                f.sync_all()?;
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
        // HMAC accepts keys of any length: this cannot fail.
        let mut mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(canonical.as_bytes());
        let full = mac.finalize().into_bytes();
        let mut out = [0u8; FINGERPRINT_LEN];
        out.copy_from_slice(&full[..FINGERPRINT_LEN]);
        out
    }
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
