//! Encrypted OOXML packages ([MS-OFFCRYPTO] 2.3.4): an OLE file whose
//! `EncryptionInfo` stream says how the `EncryptedPackage` stream (the
//! `.xlsx`/`.docx`/`.pptx` zip, its size first) was encrypted. Standard
//! encryption (Office 2007: AES-ECB, a SHA-1 key spun 50,000 times) and
//! Agile encryption (Office 2010 and later: AES-CBC in 4,096-byte segments,
//! the hash and spin count named in an XML descriptor) are read with the
//! default password; Extensible encryption and certificates are not.

use super::{sha1, u16_at, u32_at, utf16le, DEFAULT_PASSWORD};
use aes::cipher::{generic_array::GenericArray, BlockDecrypt, KeyInit};

/// Hash iterations an Agile descriptor may ask for, at most. Office writes
/// 100,000; the format allows 10 million, which would hold a worker for
/// seconds on every encrypted file of a share (the default password is
/// tried on each) and cannot be interrupted: such a file stays reported
/// encrypted.
const MAX_SPIN: u32 = 1_000_000;

/// The package `EncryptedPackage` holds, decrypted with the default
/// password (`None`: another password, another method, damaged fields).
pub fn package(info: &[u8], encrypted: &[u8]) -> Option<Vec<u8>> {
    let size = usize::try_from(u64::from_le_bytes(encrypted.get(..8)?.try_into().ok()?)).ok()?;
    let data = encrypted.get(8..)?;
    if size > data.len() {
        return None;
    }
    let mut plain = match (u16_at(info, 0)?, u16_at(info, 2)?) {
        (2..=4, 2) => standard(info, data)?,
        (4, 4) => agile(info.get(8..)?, data)?,
        _ => return None,
    };
    plain.truncate(size);
    Some(plain)
}

/// AES with a key of 16, 24 or 32 bytes.
enum Aes {
    A128(aes::Aes128),
    A192(aes::Aes192),
    A256(aes::Aes256),
}

impl Aes {
    fn new(key: &[u8]) -> Option<Aes> {
        Some(match key.len() {
            16 => Aes::A128(aes::Aes128::new_from_slice(key).ok()?),
            24 => Aes::A192(aes::Aes192::new_from_slice(key).ok()?),
            32 => Aes::A256(aes::Aes256::new_from_slice(key).ok()?),
            _ => return None,
        })
    }

    fn block(&self, b: &mut [u8]) {
        let b = GenericArray::from_mut_slice(b);
        match self {
            Aes::A128(c) => c.decrypt_block(b),
            Aes::A192(c) => c.decrypt_block(b),
            Aes::A256(c) => c.decrypt_block(b),
        }
    }

    /// ECB over the whole 16-byte blocks of `data` (a partial tail is dropped).
    fn ecb(&self, data: &[u8]) -> Vec<u8> {
        let mut out = data[..data.len() / 16 * 16].to_vec();
        out.chunks_exact_mut(16).for_each(|b| self.block(b));
        out
    }

    /// CBC from `iv` (16 bytes) over the whole blocks of `data`.
    fn cbc(&self, iv: &[u8], data: &[u8]) -> Vec<u8> {
        let mut out = self.ecb(data);
        for (i, b) in out.chunks_exact_mut(16).enumerate() {
            let prev = if i == 0 {
                iv
            } else {
                &data[(i - 1) * 16..i * 16]
            };
            b.iter_mut().zip(prev).for_each(|(x, p)| *x ^= p);
        }
        out
    }
}

/// Standard encryption: the header's key size, the verifier after it.
fn standard(info: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    let header = u32_at(info, 8)? as usize;
    let key_len = match u32_at(info, 12 + 16)? {
        0 => 16,
        bits @ (128 | 192 | 256) => bits as usize / 8,
        _ => return None,
    };
    let v = 12usize.checked_add(header)?;
    if u32_at(info, v)? != 16 {
        return None; // salt size
    }
    let salt = info.get(v + 4..v + 20)?;
    let mut h = sha1(&[salt, &utf16le(DEFAULT_PASSWORD)]);
    for i in 0u32..50_000 {
        h = sha1(&[&i.to_le_bytes(), &h]);
    }
    let h = sha1(&[&h, &0u32.to_le_bytes()]);
    // [MS-OFFCRYPTO] 2.3.4.7: two hashes of the hash XORed into 64-byte pads.
    let pad = |fill: u8| {
        let mut b = [fill; 64];
        b.iter_mut().zip(h).for_each(|(x, y)| *x ^= y);
        sha1(&[&b])
    };
    let derived = [pad(0x36), pad(0x5C)].concat();
    let aes = Aes::new(&derived[..key_len])?;
    let verifier = aes.ecb(info.get(v + 20..v + 36)?);
    let hash = aes.ecb(info.get(v + 40..v + 72)?);
    if sha1(&[&verifier])[..] != hash[..20] {
        return None;
    }
    Some(aes.ecb(data))
}

/// The hashes an Agile descriptor may name.
#[derive(Clone, Copy)]
enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn named(name: &[u8]) -> Option<Hash> {
        Some(match name {
            b"SHA1" | b"SHA-1" => Hash::Sha1,
            b"SHA256" => Hash::Sha256,
            b"SHA384" => Hash::Sha384,
            b"SHA512" => Hash::Sha512,
            _ => return None,
        })
    }

    fn of(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: sha2::Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut h = D::new();
            parts.iter().for_each(|p| h.update(p));
            h.finalize().to_vec()
        }
        match self {
            Hash::Sha1 => sha1(parts).to_vec(),
            Hash::Sha256 => run::<sha2::Sha256>(parts),
            Hash::Sha384 => run::<sha2::Sha384>(parts),
            Hash::Sha512 => run::<sha2::Sha512>(parts),
        }
    }
}

/// `h` cut or padded with 0x36 to `len` bytes ([MS-OFFCRYPTO] 2.3.4.11).
fn fit(mut h: Vec<u8>, len: usize) -> Vec<u8> {
    h.resize(len, 0x36);
    h
}

/// The attributes of one element of the Agile descriptor.
#[derive(Default)]
struct Attrs(Vec<(Vec<u8>, Vec<u8>)>);

impl Attrs {
    fn raw(&self, name: &str) -> Option<&[u8]> {
        self.0
            .iter()
            .find(|(k, _)| k == name.as_bytes())
            .map(|(_, v)| v.as_slice())
    }
    fn num(&self, name: &str) -> Option<u32> {
        std::str::from_utf8(self.raw(name)?)
            .ok()?
            .trim()
            .parse()
            .ok()
    }
    fn bytes(&self, name: &str) -> Option<Vec<u8>> {
        mail_parser::decoders::base64::base64_decode(self.raw(name)?)
    }
    fn hash(&self) -> Option<Hash> {
        Hash::named(self.raw("hashAlgorithm")?)
    }
    fn key_len(&self) -> Option<usize> {
        Some(self.num("keyBits")? as usize / 8)
    }
}

/// The descriptor's `keyData` and password `encryptedKey` elements.
fn descriptor(xml: &[u8]) -> Option<(Attrs, Attrs)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let (mut key_data, mut key) = (None, None);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name().as_ref().to_vec();
                let attrs = Attrs(
                    e.attributes()
                        .filter_map(Result::ok)
                        .map(|a| (a.key.local_name().as_ref().to_vec(), a.value.to_vec()))
                        .collect(),
                );
                match name.as_slice() {
                    b"keyData" if key_data.is_none() => key_data = Some(attrs),
                    // A certificate's key has no spin count.
                    b"encryptedKey" if key.is_none() && attrs.raw("spinCount").is_some() => {
                        key = Some(attrs)
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Some((key_data?, key?))
}

/// Agile encryption: the password's key opens the package's secret key.
fn agile(xml: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    let (key_data, key) = descriptor(xml)?;
    let (hash, salt, spin) = (key.hash()?, key.bytes("saltValue")?, key.num("spinCount")?);
    if spin > MAX_SPIN || salt.len() < 16 {
        return None;
    }
    let mut h = hash.of(&[&salt, &utf16le(DEFAULT_PASSWORD)]);
    for i in 0..spin {
        h = hash.of(&[&i.to_le_bytes(), &h]);
    }
    let key_len = key.key_len()?;
    let open = |block_key: &[u8], field: &str| -> Option<Vec<u8>> {
        let k = fit(hash.of(&[&h, block_key]), key_len);
        Some(Aes::new(&k)?.cbc(&salt[..16], &key.bytes(field)?))
    };
    let input = open(
        &[0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79],
        "encryptedVerifierHashInput",
    )?;
    let value = open(
        &[0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e],
        "encryptedVerifierHashValue",
    )?;
    let expected = hash.of(&[input.get(..salt.len())?]);
    if value.get(..expected.len())? != expected.as_slice() {
        return None;
    }
    let secret = open(
        &[0x14, 0x6e, 0x0b, 0xe7, 0xab, 0xac, 0xd0, 0xd6],
        "encryptedKeyValue",
    )?;
    let aes = Aes::new(secret.get(..key_data.key_len()?)?)?;
    let (data_hash, data_salt) = (key_data.hash()?, key_data.bytes("saltValue")?);
    let mut out = Vec::with_capacity(data.len());
    for (i, segment) in data.chunks(4096).enumerate() {
        let iv = fit(data_hash.of(&[&data_salt, &(i as u32).to_le_bytes()]), 16);
        out.extend(aes.cbc(&iv, segment));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_or_short_headers_are_not_opened() {
        assert_eq!(package(&[4, 0, 4, 0], &[0; 7]), None);
        assert_eq!(package(&[3, 0, 3, 0], &[0; 16]), None);
        assert_eq!(package(&[4, 0, 4, 0, 0x40, 0, 0, 0, b'<'], &[0; 24]), None);
    }
}
