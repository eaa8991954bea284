//! Arbitrary bytes read as `a.json`: JSON strings and keys.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| common::extract_as("a.json", data));
