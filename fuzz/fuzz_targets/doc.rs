//! Arbitrary bytes read as `a.doc`: Word 97–2003 (`WordDocument`, FIB, piece table).
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| common::extract_as("a.doc", data));
