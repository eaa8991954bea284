//! Which cells of a delimited file's lines a search need not visit.

use super::{streams, Detector};
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
        let (mut pos, mut judged, mut split) = (0, false, false);
        while pos < text.len() {
            // Where the candidates are dense the rest is one search after
            // another, each from the last match's end: slices of it are
            // searched at once (no match crosses a line's end).
            if !split && walk.candidates.is_none() && (judged || screen != Screen::Regexes) {
                split = true;
                if self.half_ends_at_once(text, pos, ends).is_some() {
                    return screen;
                }
            }
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

    /// [`streams::half_ends`] over `text[pos..]`; `None` when the text is
    /// too short to cut or the DFA gave up (then `ends` is as it was).
    fn half_ends_at_once(&mut self, text: &[u8], pos: usize, ends: &mut Vec<usize>) -> Option<()> {
        let dfa = self.engine.anchored.as_ref()?;
        let cache = self.anchored_cache.as_deref_mut()?;
        let cuts = streams::cuts(text, pos, text.len(), b'\n')?;
        let kept = ends.len();
        match streams::half_ends(dfa, cache, text, &cuts, ends) {
            Ok(()) => Some(()),
            Err(streams::GaveUp) => {
                ends.truncate(kept);
                None
            }
        }
    }
}
