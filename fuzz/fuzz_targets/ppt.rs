//! Arbitrary bytes read as `a.ppt`: PowerPoint 97–2003 (records, persist directory).
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| common::extract_as("a.ppt", data));
