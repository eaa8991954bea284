//! Arbitrary bytes read as `a.msg`: Outlook `.msg` (property streams, recipients, attachments, compressed RTF).
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| common::extract_as("a.msg", data));
