//! `xls` workbooks encrypted with RC4 ([MS-OFFCRYPTO] 2.3.6: RC4 with an
//! MD5 key, Excel 97; 2.3.5: RC4 CryptoAPI with a SHA-1 key, Excel 2002 and
//! later), as Excel does when the user gives no password.
//!
//! The cipher runs over the whole `Workbook` stream, re-keyed every 1,024
//! bytes, with the stream offset as position: record headers, the records
//! [MS-XLS] 2.2.10 leaves in clear (`BOF`, `FilePass`, `InterfaceHdr`…) and
//! the sheet offsets of `BoundSheet8` consume key stream but are not
//! encrypted. The stream keeps its length and offsets; only `FilePass` is
//! blanked (record id 0, as msoffcrypto-tool does), so that calamine reads
//! the result as a clear workbook. XOR obfuscation is not read (reported
//! encrypted).

use super::{sha1, u16_at, u32_at, utf16le, DEFAULT_PASSWORD};
use md5::{Digest, Md5};
use rc4::{consts::U16, KeyInit, Rc4, StreamCipher};

/// Bytes encrypted with one key.
const BLOCK: usize = 1024;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const FILE_PASS: u16 = 0x002F;
const BOUND_SHEET: u16 = 0x0085;
/// Records never encrypted ([MS-XLS] 2.2.10).
const CLEAR: [u16; 7] = [BOF, FILE_PASS, 0x0194, 0x0195, 0x00E1, 0x0196, 0x0138];

/// How the block keys are made from the password.
enum Method {
    /// RC4, MD5 key: the first five bytes of the salted password hash.
    Md5 { truncated: [u8; 5] },
    /// RC4 CryptoAPI, SHA-1 key of `len` bytes (5: 40 bits, or 16).
    Sha1 { h0: [u8; 20], len: usize },
}

impl Method {
    /// The RC4 key of block `block`.
    fn key(&self, block: u32) -> [u8; 16] {
        let mut key = [0u8; 16];
        match self {
            Method::Md5 { truncated } => {
                let mut h = Md5::new();
                h.update(truncated);
                h.update(block.to_le_bytes());
                key.copy_from_slice(&h.finalize()[..16]);
            }
            Method::Sha1 { h0, len } => {
                let h = sha1(&[h0, &block.to_le_bytes()]);
                key[..*len].copy_from_slice(&h[..*len]);
            }
        }
        key
    }

    fn cipher(&self, block: u32) -> Rc4<U16> {
        Rc4::<U16>::new(&self.key(block).into())
    }
}

/// The method of a `FilePass` record's body, with the default password,
/// if that password is the one the record's verifier was made with.
fn open(body: &[u8]) -> Option<Method> {
    if u16_at(body, 0)? != 1 {
        return None; // XOR obfuscation
    }
    let pw = utf16le(DEFAULT_PASSWORD);
    let (method, verifier, hash_len) = match (u16_at(body, 2)?, u16_at(body, 4)?) {
        (1, 1) => {
            let salt = body.get(6..22)?;
            let h0 = Md5::digest(&pw);
            let mut h = Md5::new();
            for _ in 0..16 {
                h.update(&h0[..5]);
                h.update(salt);
            }
            let mut truncated = [0u8; 5];
            truncated.copy_from_slice(&h.finalize()[..5]);
            (Method::Md5 { truncated }, body.get(22..54)?, 16)
        }
        (2..=4, 2) => {
            let header = u32_at(body, 10)? as usize;
            let len = match u32_at(body, 14 + 16)? {
                0 | 40 => 5,
                128 => 16,
                _ => return None,
            };
            let v = 14usize.checked_add(header)?;
            if u32_at(body, v)? != 16 {
                return None; // salt size
            }
            let salt = body.get(v + 4..v + 20)?;
            let h0 = sha1(&[salt, &pw]);
            (Method::Sha1 { h0, len }, body.get(v + 20..v + 36)?, 20)
        }
        _ => return None,
    };
    // The verifier, then its hash, under block 0's key stream; the hash
    // field after the verifier's size word for CryptoAPI.
    let mut buf = verifier.to_vec();
    if hash_len == 20 {
        let v = 14 + u32_at(body, 10)? as usize;
        buf.extend_from_slice(body.get(v + 40..v + 60)?);
    }
    method.cipher(0).apply_keystream(&mut buf);
    let (verifier, hash) = buf.split_at(16);
    let ok = match method {
        Method::Md5 { .. } => Md5::digest(verifier)[..] == hash[..16],
        Method::Sha1 { .. } => sha1(&[verifier])[..] == hash[..20],
    };
    ok.then_some(method)
}

/// The `Workbook` stream `stream` decrypted with the default password, its
/// `FilePass` record blanked; `None` when it has no RC4 `FilePass` in its
/// globals or that password does not open it.
pub fn workbook(stream: &[u8]) -> Option<Vec<u8>> {
    if u16_at(stream, 0)? != BOF {
        return None;
    }
    let mut i = 4 + usize::from(u16_at(stream, 2)?);
    let method = loop {
        let (kind, len) = (u16_at(stream, i)?, usize::from(u16_at(stream, i + 2)?));
        match kind {
            FILE_PASS => break open(stream.get(i + 4..i + 4 + len)?)?,
            EOF => return None,
            _ => i += 4 + len,
        }
    };
    let mut out = stream.to_vec();
    let mut pad = [0u8; BLOCK];
    let mut block = None;
    let mut i = 0usize;
    while let (Some(kind), Some(len)) = (u16_at(&out, i), u16_at(&out, i + 2)) {
        let start = i + 4;
        let end = (start + usize::from(len)).min(out.len());
        let clear_to = match kind {
            k if CLEAR.contains(&k) => end,
            BOUND_SHEET => (start + 4).min(end), // lbPlyPos
            _ => start,
        };
        for p in clear_to..end {
            let b = (p / BLOCK) as u32;
            if block != Some(b) {
                pad = [0u8; BLOCK];
                method.cipher(b).apply_keystream(&mut pad);
                block = Some(b);
            }
            out[p] ^= pad[p % BLOCK];
        }
        if kind == FILE_PASS {
            out[i..end].iter_mut().for_each(|b| *b = 0);
            out[i + 2..i + 4].copy_from_slice(&len.to_le_bytes());
        }
        i = start + usize::from(len);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_without_file_pass_is_not_decrypted() {
        let mut s = vec![0x09, 0x08, 2, 0, 0, 6];
        s.extend_from_slice(&[0x0A, 0, 0, 0]);
        assert_eq!(workbook(&s), None);
        assert_eq!(workbook(&[0x09]), None);
    }
}
