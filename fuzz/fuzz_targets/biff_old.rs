//! Arbitrary bytes as an Excel 2.x–4.0 worksheet (`spreadsheet::biff_old`):
//! a BIFF4 `BOF` record is put before the input when it does not start with
//! one of BIFF2–4, so that every input reaches the record loop (`LABEL`,
//! `NUMBER`, `RK`, `STRING`, `CODEPAGE`) rather than calamine.
#![no_main]

#[path = "common.rs"]
mod common;

use pdscout::extract::spreadsheet::is_biff;

/// BOF (BIFF4), 6 bytes: version 0, worksheet (0x0010), build 0.
const BOF: &[u8] = &[0x09, 0x04, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00];

libfuzzer_sys::fuzz_target!(init: common::init(), |data: &[u8]| {
    if is_biff(data) {
        common::extract_as("a.xls", data);
    } else {
        let mut file = BOF.to_vec();
        file.extend_from_slice(data);
        common::extract_as("a.xls", &file);
    }
});
