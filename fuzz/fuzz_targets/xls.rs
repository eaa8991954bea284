//! Arbitrary bytes read as `a.xls`: xls (OLE/BIFF) through the guards and calamine.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| common::extract_as("a.xls", data));
