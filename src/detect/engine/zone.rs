//! The other fields of an identity document's machine-readable zone.

use super::{Candidate, Detector, Finding};

impl Detector<'_> {
    /// The name and birth date of each identity document's zone found in
    /// `out[from..]`, on the zone's other lines (see
    /// [`super::validate::mrz::spans`]), where no finding already is.
    pub(super) fn zone_fields(&self, hay: &str, out: &mut Vec<Finding>, from: usize) {
        use crate::detect::validate::{mrz, Validator};
        let patterns = &self.engine.patterns;
        let before = out.len();
        for i in from..before {
            let f = &out[i];
            if patterns[f.pattern].validator != Validator::Mrz {
                continue;
            }
            let c = Candidate {
                hay,
                start: f.start,
                end: f.end,
            };
            let confidence = f.confidence;
            let Some((zone, name, birth)) = mrz::spans(&c) else {
                continue;
            };
            for &pid in &self.engine.zone {
                let p = &patterns[pid];
                let Some(field) = p.normaliser.zone_field() else {
                    continue;
                };
                let span = if field == mrz::Field::Name {
                    &name
                } else {
                    &birth
                };
                let free = !out.iter().any(|g| g.start < span.end && span.start < g.end);
                if let (true, Some(value)) = (free, zone.field(field)) {
                    out.push(Finding {
                        pattern: pid,
                        start: span.start,
                        end: span.end,
                        value,
                        confidence: confidence.min(p.def.confidence),
                    });
                }
            }
        }
        if out.len() > before {
            out[from..].sort_by_key(|f| f.start);
        }
    }
}
