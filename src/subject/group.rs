//! A subject search holds the findings of one record-to-be (a table row, a
//! page, a document) until it ends; then it keeps the requester's matches and
//! the findings of their own record ([`super::record::select`]), and drops the
//! rest. A direct mention of the requester's surname becomes a name finding.

use super::record::{self, Member};
use super::{Mention, Strength, Subject};
use crate::detect::Finding;
use crate::model::location::Origin;
use crate::model::record::FindingRecord;

/// Findings held at most per record: past it, only the requester's own
/// matches are kept (a huge log or JSON array held whole).
pub const MAX_HELD: usize = 20_000;

/// The confidence of a direct mention of the requester's full name, and of
/// their surname alone.
pub const STRONG_MENTION_CONFIDENCE: f32 = 0.9;
pub const WEAK_MENTION_CONFIDENCE: f32 = 0.5;

/// The stretch of findings held together: a table row, else the page, else
/// the whole document (file, member or message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordKey {
    Row(Option<String>, u64),
    Cell(Option<String>, String, u64),
    Page(Option<String>, u32),
    Document(Option<String>),
}

impl RecordKey {
    /// The stretch of a finding at `origin` of the member `entry`.
    pub fn of(entry: Option<&str>, origin: &Origin<'_>) -> Self {
        let entry = entry.map(str::to_string);
        match origin {
            Origin::Field { line, .. } => RecordKey::Row(entry, *line),
            Origin::Cell { sheet, cell } => {
                let row = cell
                    .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                    .parse()
                    .unwrap_or(0);
                RecordKey::Cell(entry, sheet.to_string(), row)
            }
            Origin::Page { page } => RecordKey::Page(entry, *page),
            Origin::Text { .. } => RecordKey::Document(entry),
        }
    }
}

/// The findings of the current stretch.
#[derive(Default)]
pub struct Holder {
    held: Vec<(FindingRecord, Member)>,
    key: Option<RecordKey>,
}

impl Holder {
    /// Holds a finding of the stretch `key`; when `key` starts a new
    /// stretch, the one before is ended first and its findings returned.
    pub fn hold(
        &mut self,
        subject: &Subject,
        key: &RecordKey,
        rec: FindingRecord,
        member: Member,
    ) -> Vec<FindingRecord> {
        let done = if self.key.as_ref() != Some(key) {
            let done = self.flush(subject);
            self.key = Some(key.clone());
            done
        } else {
            Vec::new()
        };
        self.held.push((rec, member));
        if self.held.len() > MAX_HELD {
            self.held.retain(|(_, m)| m.strength.is_some());
        }
        done
    }

    /// Ends the current stretch: its matches (`match` strong or weak) and
    /// the findings of their records (`record`), in order.
    pub fn flush(&mut self, subject: &Subject) -> Vec<FindingRecord> {
        let held = std::mem::take(&mut self.held);
        self.key = None;
        let members: Vec<Member> = held.iter().map(|(_, m)| m.clone()).collect();
        let in_record = record::select(&members, &|kind| subject.gave(kind));
        held.into_iter()
            .zip(in_record)
            .filter_map(|((mut rec, m), in_record)| {
                rec.matched = match m.strength {
                    Some(s) => Some(s.name()),
                    None if in_record => Some("record"),
                    None => return None,
                };
                Some(rec)
            })
            .collect()
    }
}

/// The requester's surname written in `text` (within `range`) where no
/// finding of `found` covers it, as name findings of pattern `pid` with the
/// mention's strength.
pub fn mention_findings(
    subject: &Subject,
    pid: usize,
    text: &str,
    range: std::ops::Range<usize>,
    found: &[Finding],
) -> Vec<(Finding, Strength)> {
    let mut mentions: Vec<Mention> = Vec::new();
    subject.mentions(text, range, &mut mentions);
    mentions
        .into_iter()
        // Inside a finding (a name, an e-mail address) it is that finding.
        .filter(|m| !found.iter().any(|f| f.start < m.end && m.start < f.end))
        .map(|m| {
            let confidence = match m.strength {
                Strength::Strong => STRONG_MENTION_CONFIDENCE,
                Strength::Weak => WEAK_MENTION_CONFIDENCE,
            };
            let f = Finding {
                pattern: pid,
                start: m.start,
                end: m.end,
                value: m.value,
                confidence,
            };
            (f, m.strength)
        })
        .collect()
}
