//! Encrypted files that lopdf does not open although their user password is
//! empty (owner password only, the common case): AES-256 (revision 6) with
//! indirect crypt filters, `/EncryptMetadata false`, no `/ID`, no key
//! length… Here the standard security handler (ISO 32000-2 §7.6.4) is
//! applied to the file rebuilt from its objects without `/Encrypt` in its
//! trailer ([`super::repair`]): the key from the empty password (RC4 and
//! AES-128 revisions 2–4, AES-256 revisions 5–6), checked against `/U`,
//! then every string and stream decrypted with its object key, and the
//! object streams opened afterwards. A file whose user password is not
//! empty stays encrypted (`None`).

use super::repair;
use super::stream::decode;
use aes::{Aes128, Aes256};
use cbc::cipher::{block_padding::NoPadding, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use lopdf::{Dictionary, Document, Object, ObjectId, ObjectStream, Stream};
use md5::{Digest as _, Md5};

/// The padding string of the password algorithms (§7.6.4.3.2).
const PAD: [u8; 32] = [
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
    0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
];

/// How strings or streams are encrypted.
#[derive(Clone, Copy, PartialEq)]
enum Method {
    None,
    Rc4,
    Aes128,
    Aes256,
}

struct Handler {
    key: Vec<u8>,
    streams: Method,
    strings: Method,
    /// `/EncryptMetadata false`: the metadata stream is in clear.
    clear_metadata: bool,
}

/// The document of an encrypted `data` opened with the empty user password.
pub(super) fn open(data: &[u8], cap: u64) -> Option<Document> {
    let encrypt = repair::encrypt_ref(data)?;
    let plain = repair::rebuild(data, false)?;
    let mut doc = Document::load_mem(&plain).ok()?;
    let dict = doc.get_object(encrypt).ok()?.as_dict().ok()?.clone();
    let id = match doc.trailer.get(b"ID").and_then(Object::as_array) {
        Ok(a) => a
            .first()
            .and_then(|o| o.as_str().ok())
            .unwrap_or(b"")
            .to_vec(),
        Err(_) => Vec::new(),
    };
    let handler = Handler::new(&doc, &dict, &id)?;
    let ids: Vec<ObjectId> = doc.objects.keys().copied().collect();
    for oid in ids {
        if oid == encrypt {
            continue;
        }
        if let Some(o) = doc.objects.get_mut(&oid) {
            handler.object(oid, o);
        }
    }
    doc.objects.remove(&encrypt);
    unpack_object_streams(&mut doc, cap);
    // Opened but without a page: not opened after all.
    let opened = doc.page_iter().next().is_some();
    opened.then_some(doc)
}

/// Objects of the (now decrypted) object streams, added where the rebuilt
/// file has no object of that number. The streams are inflated here under
/// the decompression cap (lopdf would inflate them without one).
fn unpack_object_streams(doc: &mut Document, cap: u64) {
    let mut budget = cap;
    let ids: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| o.as_stream().is_ok_and(|s| s.dict.has_type(b"ObjStm")))
        .map(|(id, _)| *id)
        .collect();
    let mut found = Vec::new();
    for id in ids {
        let Ok(s) = doc.get_object(id).and_then(Object::as_stream) else {
            continue;
        };
        let Ok(Some(data)) = decode(doc, s, &mut budget, cap) else {
            continue;
        };
        let mut plain = Stream::new(s.dict.clone(), data.into_owned());
        plain.dict.remove(b"Filter");
        plain.dict.remove(b"DecodeParms");
        if let Ok(os) = ObjectStream::new(&mut plain) {
            found.extend(os.objects);
        }
    }
    for (id, o) in found {
        doc.objects.entry(id).or_insert(o);
    }
}

fn num(dict: &Dictionary, key: &[u8]) -> Option<i64> {
    dict.get(key).ok()?.as_i64().ok()
}

fn bytes<'a>(dict: &'a Dictionary, key: &[u8]) -> &'a [u8] {
    dict.get(key).and_then(Object::as_str).unwrap_or(b"")
}

impl Handler {
    fn new(doc: &Document, dict: &Dictionary, id: &[u8]) -> Option<Handler> {
        if dict.get(b"Filter").and_then(Object::as_name).ok()? != b"Standard" {
            return None;
        }
        let v = num(dict, b"V").unwrap_or(0);
        let r = num(dict, b"R")?;
        let (o, u) = (bytes(dict, b"O"), bytes(dict, b"U"));
        let clear_metadata = matches!(dict.get(b"EncryptMetadata"), Ok(Object::Boolean(false)));
        // The crypt filter named by `StmF`/`StrF` (V 4 and 5).
        let method = |key: &[u8]| -> Method {
            if v < 4 {
                return Method::Rc4;
            }
            let name = dict
                .get(key)
                .and_then(Object::as_name)
                .unwrap_or(b"Identity");
            if name == b"Identity" {
                return Method::None;
            }
            let cfm = dict
                .get_deref(b"CF", doc)
                .and_then(Object::as_dict)
                .and_then(|cf| cf.get_deref(name, doc))
                .and_then(Object::as_dict)
                .and_then(|f| f.get(b"CFM"))
                .and_then(Object::as_name)
                .unwrap_or(b"None");
            match cfm {
                b"V2" => Method::Rc4,
                b"AESV2" => Method::Aes128,
                b"AESV3" => Method::Aes256,
                _ => Method::None,
            }
        };
        let (streams, strings) = (method(b"StmF"), method(b"StrF"));
        // Only embedded files encrypted (`/AuthEvent /EFOpen`): the document
        // is in clear, whatever the password.
        let key = if streams == Method::None && strings == Method::None {
            Vec::new()
        } else if r >= 5 {
            key_aes256(r, u, bytes(dict, b"UE"))?
        } else {
            // Bytes: 5 for V 1 (and by default), else `/Length` bits (16
            // bytes when V 4 does not say).
            let len = match (v, num(dict, b"Length")) {
                (2.., Some(bits)) => (bits / 8).clamp(5, 16) as usize,
                (4.., None) => 16,
                _ => 5,
            };
            let p = num(dict, b"P").unwrap_or(0) as i32;
            let key = key_rc4(r, len, o, p, id, r >= 4 && clear_metadata);
            check_user(r, &key, u, id).then_some(key)?
        };
        Some(Handler {
            key,
            streams,
            strings,
            clear_metadata,
        })
    }

    fn object(&self, (n, g): ObjectId, o: &mut Object) {
        match o {
            Object::String(s, _) => *s = self.apply(self.strings, n, g, s),
            Object::Array(a) => a.iter_mut().for_each(|i| self.object((n, g), i)),
            Object::Dictionary(d) => d.iter_mut().for_each(|(_, i)| self.object((n, g), i)),
            Object::Stream(s) => {
                s.dict.iter_mut().for_each(|(_, i)| self.object((n, g), i));
                let skip = s.dict.has_type(b"XRef")
                    || (self.clear_metadata && s.dict.has_type(b"Metadata"));
                if !skip {
                    s.content = self.apply(self.streams, n, g, &s.content);
                }
            }
            _ => {}
        }
    }

    /// The clear bytes of a string or stream of object `n` `g`.
    fn apply(&self, method: Method, n: u32, g: u16, data: &[u8]) -> Vec<u8> {
        let object_key = || {
            let mut h = Md5::new();
            h.update(&self.key);
            h.update(&n.to_le_bytes()[..3]);
            h.update(g.to_le_bytes());
            if method == Method::Aes128 {
                h.update(b"sAlT");
            }
            let k = h.finalize();
            k[..(self.key.len() + 5).min(16)].to_vec()
        };
        match method {
            Method::None => data.to_vec(),
            Method::Rc4 => rc4(&object_key(), data),
            Method::Aes128 => aes_cbc(&object_key(), data),
            Method::Aes256 => aes_cbc(&self.key, data),
        }
    }
}

/// Algorithm 2: the file key of revisions 2–4 for the empty password.
fn key_rc4(r: i64, len: usize, o: &[u8], p: i32, id: &[u8], clear_metadata: bool) -> Vec<u8> {
    let mut h = Md5::new();
    h.update(PAD);
    h.update(&o[..o.len().min(32)]);
    h.update(p.to_le_bytes());
    h.update(id);
    if clear_metadata {
        h.update([0xFF; 4]);
    }
    let mut key = h.finalize().to_vec();
    if r >= 3 {
        for _ in 0..50 {
            key = Md5::digest(&key[..len]).to_vec();
        }
    }
    key.truncate(len);
    key
}

/// Algorithms 4 and 5: the key opens the file with the empty user password.
fn check_user(r: i64, key: &[u8], u: &[u8], id: &[u8]) -> bool {
    if r == 2 {
        return u.len() >= 32 && rc4(key, &PAD) == u[..32];
    }
    let mut h = Md5::new();
    h.update(PAD);
    h.update(id);
    let mut x = rc4(key, &h.finalize());
    for i in 1..=19u8 {
        let k: Vec<u8> = key.iter().map(|b| b ^ i).collect();
        x = rc4(&k, &x);
    }
    u.len() >= 16 && x[..16] == u[..16]
}

/// Algorithm 2.A: the file key of revisions 5 and 6 for the empty password,
/// when `/U` accepts it.
fn key_aes256(r: i64, u: &[u8], ue: &[u8]) -> Option<Vec<u8>> {
    if u.len() < 48 || ue.len() < 32 {
        return None;
    }
    let (validation, key_salt) = (&u[32..40], &u[40..48]);
    if hash(r, validation)[..] != u[..32] {
        return None;
    }
    let mut key = ue[..32].to_vec();
    cbc::Decryptor::<Aes256>::new_from_slices(&hash(r, key_salt), &[0; 16])
        .ok()?
        .decrypt_padded_mut::<NoPadding>(&mut key)
        .ok()?;
    Some(key)
}

/// Algorithm 2.B (revision 6; plain SHA-256 in revision 5) of the empty
/// password with `salt`.
fn hash(r: i64, salt: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256, Sha384, Sha512};
    let mut k: Vec<u8> = Sha256::digest(salt).to_vec();
    if r == 5 {
        return k[..32].try_into().unwrap_or([0; 32]);
    }
    let mut round = 0usize;
    loop {
        let mut block = k.repeat(64);
        let Ok(enc) = cbc::Encryptor::<Aes128>::new_from_slices(&k[..16], &k[16..32]) else {
            return [0; 32];
        };
        let len = block.len();
        let Ok(e) = enc.encrypt_padded_mut::<NoPadding>(&mut block, len) else {
            return [0; 32];
        };
        let e = e.to_vec();
        let m: u32 = e[..16].iter().map(|b| u32::from(*b)).sum::<u32>() % 3;
        k = match m {
            0 => Sha256::digest(&e).to_vec(),
            1 => Sha384::digest(&e).to_vec(),
            _ => Sha512::digest(&e).to_vec(),
        };
        round += 1;
        if round >= 64 && usize::from(*e.last().unwrap_or(&0)) + 32 <= round {
            break;
        }
    }
    k[..32].try_into().unwrap_or([0; 32])
}

fn rc4(key: &[u8], data: &[u8]) -> Vec<u8> {
    if key.is_empty() {
        return data.to_vec();
    }
    let mut s: [u8; 256] = std::array::from_fn(|i| i as u8);
    let mut j = 0u8;
    for i in 0..256 {
        j = j.wrapping_add(s[i]).wrapping_add(key[i % key.len()]);
        s.swap(i, usize::from(j));
    }
    let (mut i, mut j) = (0u8, 0u8);
    data.iter()
        .map(|b| {
            i = i.wrapping_add(1);
            j = j.wrapping_add(s[usize::from(i)]);
            s.swap(usize::from(i), usize::from(j));
            b ^ s[usize::from(s[usize::from(i)].wrapping_add(s[usize::from(j)]))]
        })
        .collect()
}

/// AES-CBC with the IV in the first block and PKCS#7 padding (left as is
/// when wrong: a damaged stream gives what it has); AES-128 or AES-256 by
/// the key's length.
fn aes_cbc(key: &[u8], data: &[u8]) -> Vec<u8> {
    if data.len() < 16 {
        return Vec::new();
    }
    let (iv, body) = data.split_at(16);
    let mut buf = body[..body.len() / 16 * 16].to_vec();
    let done = match key.len() {
        16 => cbc::Decryptor::<Aes128>::new_from_slices(key, iv)
            .map(|d| d.decrypt_padded_mut::<NoPadding>(&mut buf).is_ok()),
        _ => cbc::Decryptor::<Aes256>::new_from_slices(key, iv)
            .map(|d| d.decrypt_padded_mut::<NoPadding>(&mut buf).is_ok()),
    };
    if done != Ok(true) {
        return Vec::new();
    }
    let pad = usize::from(*buf.last().unwrap_or(&0));
    if (1..=16).contains(&pad)
        && buf[buf.len() - pad..]
            .iter()
            .all(|b| usize::from(*b) == pad)
    {
        buf.truncate(buf.len() - pad);
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rc4_test_vector() {
        // RFC 6229 style check: key "Key", plaintext "Plaintext".
        assert_eq!(
            rc4(b"Key", b"Plaintext"),
            [0xBB, 0xF3, 0x16, 0xE8, 0xD9, 0x40, 0xAF, 0x0A, 0xD3]
        );
    }
}
