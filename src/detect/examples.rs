//! Patterns test themselves: every pattern file carries examples (text →
//! value) and negative examples (text → nothing of that kind a default scan
//! reports: a role mailbox or a letterhead's number found with a confidence
//! below the default `--min-confidence` passes). `pdscout
//! patterns check` and the test suite run them through the whole engine.

use super::{Engine, Unit};
use crate::model::columns::ColumnTable;

/// Runs every example of every pattern in force; returns one line per failure.
pub fn check(engine: &Engine, columns: &ColumnTable) -> Vec<String> {
    let mut det = engine.detector();
    let mut failures = Vec::new();
    let mut found = Vec::new();
    for p in engine.patterns() {
        for ex in &p.def.examples {
            let role = ex.column.as_deref().and_then(|c| columns.recognize(c));
            let unit = Unit {
                column_kind: role.map(|r| r.kind.as_str()),
                regex_free: false,
                ..Unit::whole(&ex.text)
            };
            found.clear();
            det.detect(&unit, &mut found);
            let ok = found
                .iter()
                .any(|f| engine.patterns()[f.pattern].kind == p.kind && f.value == ex.value);
            if !ok {
                let got: Vec<String> = found
                    .iter()
                    .map(|f| format!("{}={}", engine.patterns()[f.pattern].def.id, f.value))
                    .collect();
                failures.push(format!(
                    "{} [{}]: example {:?} should give {:?}, got [{}]",
                    p.source,
                    p.def.id,
                    ex.text,
                    ex.value,
                    got.join(", ")
                ));
            }
        }
        for text in &p.def.negative_examples {
            found.clear();
            det.detect(&Unit::whole(text), &mut found);
            let wrong: Vec<String> = found
                .iter()
                .filter(|f| {
                    engine.patterns()[f.pattern].kind == p.kind
                        && f.confidence >= super::DEFAULT_MIN_CONFIDENCE
                })
                .map(|f| format!("{}={}", engine.patterns()[f.pattern].def.id, f.value))
                .collect();
            if !wrong.is_empty() {
                failures.push(format!(
                    "{} [{}]: negative example {:?} found [{}]",
                    p.source,
                    p.def.id,
                    text,
                    wrong.join(", ")
                ));
            }
        }
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::super::pattern;
    use super::*;

    #[test]
    fn builtin_patterns_pass_their_examples() {
        let engine = Engine::new(&pattern::builtin().expect("test data"), None).expect("test data");
        let columns = ColumnTable::builtin();
        let failures = check(&engine, &columns);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
