//! Arbitrary bytes read as `a.xlsx`: xlsx through calamine and the guards.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| common::extract_as("a.xlsx", data));
