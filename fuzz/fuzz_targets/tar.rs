//! Arbitrary bytes read as `a.tar`: tar members.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| common::extract_as("a.tar", data));
