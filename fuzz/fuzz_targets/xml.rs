//! Arbitrary bytes read as `a.xml`: XML text and attributes.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| common::extract_as("a.xml", data));
