//! Every extractor on arbitrary bytes: the first byte picks the file name
//! (so that extension-based sniffing is exercised too), the rest is the
//! file. Units go through the real detectors. A panic that escapes the
//! extractors, a hang or an allocation beyond libFuzzer's limit is a bug.
//! The per-format targets (`pdf`, `xlsx`…) feed one extractor each, so that
//! libFuzzer's coverage feedback is not shared across formats.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "a.txt", "a.csv", "a.tsv", "a.xlsx", "a.xls", "a.xlsb", "a.ods", "a.pdf", "a.docx", "a.odt",
    "a.pptx", "a.eml", "a.mbox", "a.zip", "a.gz", "a.tar", "a.html", "a.xml", "a.json", "a.doc",
    "a.ppt", "a.msg", "a.rtf",
];

fuzz_target!(init: common::init(), |data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    common::extract_as(NAMES[usize::from(pick) % NAMES.len()], file);
});
