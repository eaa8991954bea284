//! Which cells of a delimited file's lines a search need not visit.

use super::Detector;
use crate::detect::prefilter::Walk;
use crate::model::Screen;

/// The bytes that end a cell of a delimited file: its delimiters, its
/// quote, its line breaks.
pub(super) const BREAKS: &[u8] = b";,\t|\"\n\r";

/// How far the screen reads before it judges how dense the matches are; with
/// names and addresses on, it goes on only where fewer than one cell in
/// [`HITS_PER_CELL`] holds a match (a tenant table has one in two, an
/// accounting journal one in ten, most of them dates).
const DENSE_AFTER: usize = 512;
const HITS_PER_CELL: usize = 3;

impl Detector<'_> {
    /// With no regex able to cross a cell's bounds: `ends` gets an offset
    /// inside each match of the combined regex in `text`, left to right. A
    /// delimited file's cell without one holds no regex finding: were a
    /// match inside it, the search would reach the cell before passing it,
    /// as every match before it ends in an earlier cell. So such a cell
    /// gives nothing at all when no name or address detector runs
    /// ([`Screen::Cells`]), else nothing from the regexes, and nothing at
    /// all without a letter ([`Screen::Regexes`]). [`Screen::Off`] when a
    /// regex can cross.
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
        if engine.first.is_none() {
            return screen;
        }
        let mut walk = Walk::new(engine.prefilter, 0);
        let (mut pos, mut judged) = (0, false);
        while pos < text.len() {
            let Some(m) = self.next_match(&mut walk, text, pos, text.len(), true) else {
                break;
            };
            let end = m.end();
            // A match ends after its first byte: `end - 1` is inside it.
            if end > pos {
                ends.push(end - 1);
            }
            pos = end.max(pos + 1);
            // Where names and addresses are searched anyway and most cells
            // hold a match (a tenant table: a date, a phone, an e-mail and
            // an IBAN on every line), the screen would spare little and cost
            // a second search of each: it is left, judged once on the first
            // bytes. (Alone, the regexes gain from it even there: the rows
            // without a match are not handed over at all.)
            if screen == Screen::Regexes && !judged && pos > DENSE_AFTER {
                judged = true;
                let cells = 1 + text[..pos].iter().filter(|b| BREAKS.contains(b)).count();
                if ends.len() * HITS_PER_CELL > cells {
                    ends.clear();
                    return Screen::Off;
                }
            }
        }
        screen
    }
}
