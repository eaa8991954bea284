//! Arbitrary bytes read as `a.txt`: text decoding (UTF-8, UTF-16, Windows-1252) and chunked streaming.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| common::extract_as("a.txt", data));
