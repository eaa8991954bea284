//! Arbitrary bytes read as `a.mbox`: mailboxes: messages split, each read as an e-mail.
#![no_main]

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| common::extract_as("a.mbox", data));
