//! Office files protected with the default password. Excel encrypts a
//! workbook that is only write-protected ("read-only recommended", a
//! protected structure) with the fixed password `VelvetSweatshop` and opens
//! it without asking: such a file is no secret, and its cells are read like
//! any other's. A file that password does not open stays reported as
//! encrypted (`ole::encrypted`).
//!
//! [`biff`] decrypts an `xls` workbook stream (`FilePass`: RC4, RC4
//! CryptoAPI), [`ooxml`] an `EncryptedPackage` (ECMA-376 Standard and
//! Agile encryption). Both only ever answer `None` on a file they cannot
//! open (another password, another method, damaged fields): the caller then
//! reports it encrypted. Lengths and counts come from the file and are
//! checked before use; nothing is allocated beyond the file's own size.

use crate::extract::ole::{u16_at, u32_at};

pub mod biff;
pub mod ooxml;

/// The password Excel uses when the user gives none.
pub const DEFAULT_PASSWORD: &str = "VelvetSweatshop";

/// A password as the formats hash it: UTF-16LE, no terminator.
fn utf16le(password: &str) -> Vec<u8> {
    password.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn sha1(parts: &[&[u8]]) -> [u8; 20] {
    use sha1::Digest;
    let mut h = sha1::Sha1::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}
