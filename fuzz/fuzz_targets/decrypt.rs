//! Arbitrary bytes to the default-password decryption of Office files
//! (`extract::decrypt`): the first byte picks the reader. Even: an `xls`
//! `Workbook` stream (`FilePass`: RC4, RC4 CryptoAPI) to `biff::workbook`.
//! Odd: two bytes giving the length of an `EncryptionInfo` stream
//! (Standard or Agile descriptor), that stream, then the `EncryptedPackage`
//! stream, to `ooxml::package`. No panic, no allocation beyond the input's
//! size; a decrypted result is read as the workbook or package it claims
//! to be, as in a scan.
#![no_main]

#[path = "common.rs"]
mod common;

use pdscout::extract::decrypt::{biff, ooxml};

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    if pick % 2 == 0 {
        if let Some(clear) = biff::workbook(rest) {
            assert_eq!(clear.len(), rest.len(), "the stream keeps its length");
        }
        return;
    }
    let Some(len) = rest.get(..2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize) else {
        return;
    };
    let rest = &rest[2..];
    let (info, package) = rest.split_at(len.min(rest.len()));
    if let Some(zip) = ooxml::package(info, package) {
        assert!(zip.len() <= package.len(), "no more than the package");
        common::extract_as("a.xlsx", &zip);
    }
});
