//! Arbitrary bytes read as `a.pdf`: PDF: prescan, lopdf, content-stream lexer, fonts and CMaps.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| common::extract_as("a.pdf", data));
