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

#[cfg(test)]
mod tests {
    use super::{biff, ooxml};
    use std::io::Read;

    fn stream(file: &str, name: &str) -> Vec<u8> {
        let data = std::fs::read(format!("fixtures/office/{file}")).expect("fixture");
        let mut ole = cfb::CompoundFile::open(std::io::Cursor::new(data)).expect("ole");
        let mut out = Vec::new();
        ole.open_stream(name)
            .expect("stream")
            .read_to_end(&mut out)
            .expect("read");
        out
    }

    /// `rounds` mutants of `data` ([`crate::extract::ole::mutant`]), half
    /// of the changes in the first 512 bytes.
    fn mutants(data: &[u8], rounds: u64, seed: u64, mut f: impl FnMut(&[u8])) {
        let mut rng = crate::TestRng(seed);
        for _ in 0..rounds {
            f(&crate::extract::ole::mutant(data, &mut rng, 6, Some(512)));
        }
    }

    fn rounds() -> u64 {
        std::env::var("DECRYPT_MUTANTS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(300)
    }

    #[test]
    fn damaged_rc4_workbooks_never_panic() {
        for file in ["chiffre_defaut_rc4.xls", "chiffre_defaut_cryptoapi.xls"] {
            let workbook = stream(file, "Workbook");
            assert!(biff::workbook(&workbook).is_some(), "{file}");
            mutants(&workbook, rounds(), 0x9e37_79b9_7f4a_7c15, |m| {
                if let Some(clear) = biff::workbook(m) {
                    assert_eq!(clear.len(), m.len(), "{file}");
                }
            });
        }
    }

    #[test]
    fn damaged_encryption_descriptors_never_panic() {
        // Agile files hash the password 100,000 times per try: fewer
        // mutants of them.
        for (file, share) in [
            ("chiffre_defaut_standard.docx", 1),
            ("chiffre_defaut_agile.xlsx", 30),
        ] {
            let info = stream(file, "EncryptionInfo");
            let package = stream(file, "EncryptedPackage");
            assert!(ooxml::package(&info, &package).is_some(), "{file}");
            let n = rounds() / share;
            mutants(&info, n, 0x2545_f491_4f6c_dd1d, |m| {
                ooxml::package(m, &package);
            });
            mutants(&package, n, 0x1234_5678_9abc_def1, |m| {
                if let Some(zip) = ooxml::package(&info, m) {
                    assert!(zip.len() <= m.len(), "{file}");
                }
            });
        }
    }
}
