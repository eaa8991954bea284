//! Arbitrary bytes read as `a.eml`: e-mail headers, bodies, attachments (read by their own format).
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| common::extract_as("a.eml", data));
