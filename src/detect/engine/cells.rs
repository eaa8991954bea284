//! Which cells of a delimited file's lines a search need not visit.

use super::Detector;
use regex_automata::Input;

/// The bytes that end a cell of a delimited file: its delimiters, its
/// quote, its line breaks.
pub(super) const BREAKS: &[u8] = b";,\t|\"\n\r";

impl Detector<'_> {
    /// With the regexes alone in force (no name or address detector) and
    /// none able to cross a cell's bounds: `ends` gets an offset inside each
    /// match of the combined regex in `text`, left to right, and `true`.
    /// A delimited file's cell without one gives no finding: were a match
    /// inside it, the search would reach the cell before passing it, as
    /// every match before it ends in an earlier cell. `false` otherwise.
    pub fn prescreen(&mut self, text: &[u8], ends: &mut Vec<usize>) -> bool {
        let engine = self.engine;
        if engine.names.is_some() || engine.addresses.is_some() || !engine.within_cells {
            return false;
        }
        let (Some(first), Some(cache)) = (engine.first.as_ref(), self.first_cache.as_mut()) else {
            return true;
        };
        let mut pos = 0;
        while pos < text.len() {
            let input = Input::new(text).range(pos..);
            let Some(end) = first.search_half_with(cache, &input) else {
                break;
            };
            let end = end.offset();
            // A match ends after its first byte: `end - 1` is inside it.
            if end > pos {
                ends.push(end - 1);
            }
            pos = end.max(pos + 1);
        }
        true
    }
}
