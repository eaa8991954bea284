//! Arbitrary bytes read as `a.rtf`: RTF (groups, code pages, `\uN`, `\bin`).
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| common::extract_as("a.rtf", data));
