//! Which cells of a delimited file's lines a search need not visit.

use super::Detector;
use crate::model::Screen;
use regex_automata::Input;

/// The bytes that end a cell of a delimited file: its delimiters, its
/// quote, its line breaks.
pub(super) const BREAKS: &[u8] = b";,\t|\"\n\r";

impl Detector<'_> {
    /// With no regex able to cross a cell's bounds: `ends` gets an offset
    /// inside each match of the combined regex in `text`, left to right. A
    /// delimited file's cell without one holds no regex finding: were a
    /// match inside it, the search would reach the cell before passing it,
    /// as every match before it ends in an earlier cell. So such a cell
    /// gives nothing at all when no name or address detector runs
    /// ([`Screen::Cells`]), else nothing from the regexes
    /// ([`Screen::Regexes`]). [`Screen::Off`] when a regex can cross.
    pub fn prescreen(&mut self, text: &[u8], ends: &mut Vec<usize>) -> Screen {
        let engine = self.engine;
        if !engine.within_cells {
            return Screen::Off;
        }
        let screen = if engine.names.is_some() || engine.addresses.is_some() {
            Screen::Regexes
        } else {
            Screen::Cells
        };
        let (Some(first), Some(cache)) = (engine.first.as_ref(), self.first_cache.as_mut()) else {
            return screen;
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
        screen
    }
}
