//! Arbitrary bytes read as `a.zip`: zip members and their limits (nested members read by format).
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| common::extract_as("a.zip", data));
