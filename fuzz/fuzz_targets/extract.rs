//! Every extractor on arbitrary bytes: the first byte picks the file name
//! (so that extension-based sniffing is exercised too), the rest is the
//! file. Units go through the real detectors. A panic that escapes the
//! extractors, a hang or an allocation beyond libFuzzer's limit is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pdscout::detect::columns::ColumnTable;
use pdscout::detect::{pattern, Detector, Engine, Finding};
use pdscout::extract::{extract_member, Buffers, Cx, Deadline, Limits, Located, UnitSink};
use std::sync::OnceLock;

const NAMES: &[&str] = &[
    "a.txt", "a.csv", "a.tsv", "a.xlsx", "a.xls", "a.xlsb", "a.ods", "a.pdf", "a.docx", "a.odt",
    "a.pptx", "a.eml", "a.mbox", "a.zip", "a.gz", "a.tar", "a.html", "a.xml", "a.json",
];

struct Parts {
    engine: Engine,
    columns: ColumnTable,
}

fn parts() -> &'static Parts {
    static P: OnceLock<Parts> = OnceLock::new();
    P.get_or_init(|| {
        // Panics inside third-party parsers are caught at the file boundary
        // (as in a scan) and are not crashes here; libfuzzer-sys's own hook
        // would abort on them. An uncaught panic still aborts.
        std::panic::set_hook(Box::new(|_| {}));
        Parts {
        engine: Engine::new(&pattern::builtin().expect("patterns"), None).expect("engine"),
        columns: ColumnTable::from_sources(&[("columns.toml", pattern::BUILTIN_COLUMNS)])
            .expect("columns"),
        }
    })
}

struct Sink<'e> {
    det: Detector<'e>,
    found: Vec<Finding>,
}

impl UnitSink for Sink<'_> {
    fn unit(&mut self, l: &Located<'_>) {
        self.found.clear();
        self.det.detect(&l.unit, &mut self.found);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let p = parts();
    // Small limits keep each run fast; the logic is the same as the defaults'.
    let limits = Limits {
        max_archive_bytes: 64 << 20,
        max_member_bytes: 16 << 20,
        max_document_bytes: 16 << 20,
        ..Limits::default()
    };
    let mut bufs = Buffers::default();
    let deadline = Deadline::unlimited();
    let mut cx = Cx {
        columns: &p.columns,
        bufs: &mut bufs,
        limits: &limits,
        depth: 0,
        expanded: 0,
        deadline: &deadline,
    };
    let mut sink = Sink {
        det: p.engine.detector(),
        found: Vec::new(),
    };
    extract_member(NAMES[usize::from(pick) % NAMES.len()], file, &mut cx, &mut sink);
});
