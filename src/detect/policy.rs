//! What is reported of what the detectors find: findings under the
//! confidence threshold are dropped, the organisation's own values (the allow
//! list) are suppressed and counted, and a text read in overlapping chunks
//! reports each value once.

use super::allow::AllowList;

/// Findings below this confidence are not reported unless asked
/// (`--min-confidence`): a negative example may be found below it.
pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.35;

/// The reporting rules of a run.
#[derive(Debug, Clone, Copy)]
pub struct Policy<'a> {
    pub min_confidence: f32,
    pub allow: &'a AllowList,
}

/// What becomes of one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Report,
    /// Under the confidence threshold: dropped silently.
    Below,
    /// On the allow list: not reported, counted as suppressed.
    Allowed,
}

impl Policy<'_> {
    /// The fate of a finding of `kind` with normalised `value`.
    pub fn judge(&self, kind: &str, value: &str, confidence: f32) -> Verdict {
        if confidence < self.min_confidence {
            Verdict::Below
        } else if self.allow.allows(kind, value) {
            Verdict::Allowed
        } else {
            Verdict::Report
        }
    }
}

/// Where the reported findings of a text read in chunks ended: the chunks
/// overlap, so that a value across a boundary is whole in one of them. A
/// finding is a repeat when it starts before the end of one an earlier
/// chunk reported; findings of one chunk never are (the engine settled their
/// overlaps: a name beside an address in a two-column letter lies within
/// the address's lines and is kept).
#[derive(Debug, Default, Clone, Copy)]
pub struct Overlap {
    /// The end of the earlier chunks' findings.
    last_end: u64,
    /// The current chunk's offset and its findings' end.
    base: Option<u64>,
    chunk_end: u64,
}

impl Overlap {
    /// True the first time a finding at `start..end` of a chunk starting at
    /// offset `base` of the text is seen (and notes its end).
    pub fn first_time(&mut self, base: u64, start: usize, end: usize) -> bool {
        if self.base != Some(base) {
            self.last_end = self.last_end.max(self.chunk_end);
            self.base = Some(base);
        }
        if base + (start as u64) < self.last_end {
            return false;
        }
        self.chunk_end = self.chunk_end.max(base + end as u64);
        true
    }

    /// A new text (a member, a part) starts.
    pub fn reset(&mut self) {
        *self = Overlap::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_then_allow_list() {
        let files = super::super::pattern::builtin().expect("built-in patterns");
        let engine = super::super::Engine::new(&files, None).expect("built-in patterns");
        let allow = AllowList::parse("email: contact@habitat-exemple.fr", &engine);
        let p = Policy {
            min_confidence: 0.5,
            allow: &allow,
        };
        assert_eq!(p.judge("email", "jean@x.fr", 0.9), Verdict::Report);
        assert_eq!(p.judge("email", "jean@x.fr", 0.4), Verdict::Below);
        assert_eq!(
            p.judge("email", "contact@habitat-exemple.fr", 0.9),
            Verdict::Allowed
        );
        // Below the threshold wins: an allowed value is not counted twice.
        assert_eq!(
            p.judge("email", "contact@habitat-exemple.fr", 0.1),
            Verdict::Below
        );
    }

    #[test]
    fn a_value_in_the_overlap_of_two_chunks_is_reported_once() {
        let mut o = Overlap::default();
        // Chunk 1 covers 0..100 and finds 90..98; chunk 2 starts at 80.
        assert!(o.first_time(0, 90, 98));
        assert!(!o.first_time(80, 10, 18));
        assert!(o.first_time(80, 30, 40));
        // One chunk's findings inside each other's span are all kept.
        assert!(o.first_time(200, 0, 50));
        assert!(o.first_time(200, 20, 30));
        o.reset();
        assert!(o.first_time(0, 0, 5));
    }
}
