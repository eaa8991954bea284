//! The detectors on arbitrary text: no panic, no overlapping or unordered
//! findings, every finding inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pdscout::detect::{pattern, Engine, Unit};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new(&pattern::builtin().expect("patterns"), None).expect("engine"))
}

fuzz_target!(init: { engine(); }, |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut found = Vec::new();
    engine().detector().detect(&Unit::whole(&text), &mut found);
    let mut last = 0;
    for f in &found {
        assert!(f.start >= last, "findings out of order");
        assert!(f.end <= text.len() && f.start < f.end);
        last = f.start;
    }
});
