//! Arbitrary bytes read as `a.ods`: ods through calamine.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| common::extract_as("a.ods", data));
