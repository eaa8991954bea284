//! What every extractor target shares: the real detectors and column table,
//! small limits, and a sink that runs the detectors on each unit.
//! Included by each target with `#[path = "common.rs"] mod common;`.

use pdscout::model::columns::ColumnTable;
use pdscout::detect::{pattern, Detector, Engine, Finding};
use pdscout::extract::{extract_member, Buffers, Cx, Deadline, Limits, Located, UnitSink};
use std::sync::OnceLock;

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
            columns: ColumnTable::from_sources(&[("columns.toml", pdscout::model::columns::BUILTIN_COLUMNS)])
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

/// Compiles the detectors before the first input (libFuzzer's `-timeout`
/// would count their start-up, slow under the sanitizer, against it).
pub fn init() {
    parts();
}

/// Reads `data` as a file named `name` (its extension picks the extractor
/// unless the magic bytes say otherwise, as in a scan).
pub fn extract_as(name: &str, data: &[u8]) {
    let p = parts();
    // Small limits keep each run fast; the logic is the same as the defaults'.
    let limits = Limits {
        max_archive_bytes: 64 << 20,
        max_member_bytes: 16 << 20,
        max_document_bytes: 16 << 20,
        ..Limits::default()
    };
    let mut bufs = Buffers::default();
    // No time budget: a slow input must show as a libFuzzer timeout.
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
    extract_member(name, data, &mut cx, &mut sink);
}
