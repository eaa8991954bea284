//! A fixed-pitch reader of an identity document's machine-readable zone.
//!
//! Tesseract's general models misread the zone's OCR-B the same way in
//! both of its readings (a `9` read `I`, a `0` read `9`), so no choice
//! between them repairs it. The zone is monospaced and its lines' lengths
//! are known (TD1 3 × 30, the old French card 2 × 36, TD3 2 × 44): where
//! the engine saw the zone, its band is straightened and each line cut into
//! its cells ([`cut`]), each cell compared with templates of the 37
//! characters in OCR-B and DejaVu Sans Mono ([`glyphs`]; the set that
//! matches the zone best is used), three guesses a cell. The check digits
//! then choose among the guesses: the reading of least total loss (the
//! best guess's score minus the one taken, at most three cells changed)
//! whose check digits all hold as read ([`mrz::read_as_is`]); two such
//! readings close in loss with different numbers give none.

mod cut;
mod glyphs;
mod pixels;

use super::engine::Page;
use crate::detect::validate::mrz;
use glyphs::Guess;
use std::ops::Range;

pub use pixels::{decode, Grey};

/// A zone read from the pixels: its lines (each its length) and how well
/// its cells matched their characters (the mean correlation, 0–1).
#[derive(Debug, Clone)]
pub struct Reading {
    pub zone: mrz::Mrz,
    pub lines: Vec<String>,
    pub score: f32,
    /// Each line's cells' guesses, best first.
    pub guesses: Vec<Vec<Vec<u8>>>,
}

/// The zone shown by the lines `zone` of `page` (its text's byte ranges,
/// the engine's reading), read from `grey`, the page's pixels.
pub fn read(grey: &Grey, page: &Page, zone: &[Range<usize>]) -> Option<Reading> {
    let rect = band_rect(page, zone, grey)?;
    let band = cut::Band::new(grey, rect)?;
    let longest = zone
        .iter()
        .map(|r| mrz::clean_line(&page.text[r.clone()]).len())
        .max()
        .unwrap_or(0);
    read_band(&band, longest)
}

/// The engine's boxes of the zone's lines, joined, with room around them
/// (a line's box may miss a run of fillers at its end).
fn band_rect(page: &Page, zone: &[Range<usize>], grey: &Grey) -> Option<[u32; 4]> {
    let (from, to) = (zone.first()?.start as u32, zone.last()?.end as u32);
    let mut rect: Option<[u32; 4]> = None;
    for l in page.lines.iter().filter(|l| l.end > from && l.start < to) {
        let r = rect.get_or_insert(l.rect);
        *r = [
            r[0].min(l.rect[0]),
            r[1].min(l.rect[1]),
            r[2].max(l.rect[2]),
            r[3].max(l.rect[3]),
        ];
    }
    let [l, t, r, b] = rect?;
    let (w, h) = (r.saturating_sub(l), b.saturating_sub(t));
    // A zone line the engine read too badly to look like one is outside
    // the lines it gave: a line and a half more above and below.
    let line = h / zone.len().max(1) as u32;
    Some([
        l.saturating_sub(w / 10),
        t.saturating_sub(line * 3 / 2),
        (r + w / 10).min(grey.width as u32),
        (b + line * 3 / 2).min(grey.height as u32),
    ])
}

/// The zone of a cut band: each run of 3 lines read as TD1, of 2 as the
/// old card and TD3 (the length nearest the engine's `longest` line
/// first); the valid readings must agree on the number.
fn read_band(band: &cut::Band, longest: usize) -> Option<Reading> {
    let k = band.lines.len();
    if !(2..=MAX_LINES).contains(&k) {
        return None;
    }
    let mut twos = [36, 44];
    twos.sort_by_key(|n: &usize| n.abs_diff(longest));
    let mut found: Vec<Reading> = Vec::new();
    for (count, lengths) in [(3, &[30][..]), (2, &twos[..])] {
        for first in 0..=k.saturating_sub(count) {
            for &n in lengths {
                let Some(lines) = (first..first + count)
                    .map(|i| band.cells(i, n))
                    .collect::<Option<Vec<_>>>()
                else {
                    continue;
                };
                found.extend(read_cells(&lines));
            }
        }
    }
    let best = found.iter().max_by(|a, b| a.score.total_cmp(&b.score))?;
    found
        .iter()
        .all(|r| r.zone.number == best.zone.number)
        .then(|| best.clone())
}

/// A band of more lines than this is no zone's (each run of 2 or 3 of its
/// lines is tried: text above the zone may be in it).
const MAX_LINES: usize = 12;

/// Below this mean correlation, the cells are no zone of these fonts.
const MIN_SCORE: f32 = 0.55;

/// A guess this much worse than the cell's best is not tried.
const MAX_LOSS: f32 = 0.25;

/// At most this many cells' other guesses are tried, at most `MAX_CHANGED`
/// of them at once.
const MAX_OTHERS: usize = 14;
const MAX_CHANGED: usize = 3;

/// Two valid readings closer in loss than this, with different numbers,
/// give no zone: the check digits cannot tell them apart.
const AMBIGUOUS: f32 = 0.1;

/// The zone read from lines of cells: the font that matches best, then its
/// guesses chosen by the check digits.
fn read_cells(lines: &[cut::Cells]) -> Option<Reading> {
    let (guesses, score) = glyphs::fonts()
        .iter()
        .map(|f| {
            let g: Vec<Vec<Vec<Guess>>> = lines
                .iter()
                .map(|l| {
                    l.grids
                        .iter()
                        .map(|c| {
                            if c.is_empty() {
                                Vec::new()
                            } else {
                                f.classify(c)
                            }
                        })
                        .collect()
                })
                .collect();
            let cells: Vec<f32> = g
                .iter()
                .flatten()
                .map(|c| c.first().map_or(0.0, |g| g.score))
                .collect();
            let score = cells.iter().sum::<f32>() / cells.len().max(1) as f32;
            (g, score)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    if score < MIN_SCORE {
        return None;
    }
    let chars = guesses
        .iter()
        .map(|l| l.iter().map(|c| c.iter().map(|g| g.c).collect()).collect())
        .collect();
    choose(&guesses).map(|(zone, lines)| Reading {
        zone,
        lines,
        score,
        guesses: chars,
    })
}

/// The reading of least loss whose check digits hold (see the module).
fn choose(guesses: &[Vec<Vec<Guess>>]) -> Option<(mrz::Mrz, Vec<String>)> {
    let best: Vec<Vec<u8>> = guesses
        .iter()
        .map(|l| l.iter().map(|c| c.first().map_or(b'<', |g| g.c)).collect())
        .collect();
    // Other guesses: (line, cell, character, loss), least loss first.
    let mut others: Vec<(usize, usize, u8, f32)> = Vec::new();
    for (i, l) in guesses.iter().enumerate() {
        for (j, c) in l.iter().enumerate() {
            let Some(top) = c.first() else { continue };
            others.extend(
                c.iter()
                    .skip(1)
                    .filter(|g| top.score - g.score <= MAX_LOSS)
                    .map(|g| (i, j, g.c, top.score - g.score)),
            );
        }
    }
    others.sort_by(|a, b| a.3.total_cmp(&b.3));
    others.truncate(MAX_OTHERS);
    // Every set of at most MAX_CHANGED of them (one guess a cell), by loss.
    let mut sets: Vec<(f32, Vec<usize>)> = vec![(0.0, Vec::new())];
    for (k, o) in others.iter().enumerate() {
        let grown: Vec<(f32, Vec<usize>)> = sets
            .iter()
            .filter(|(_, s)| {
                s.len() < MAX_CHANGED && s.iter().all(|&m| (others[m].0, others[m].1) != (o.0, o.1))
            })
            .map(|(loss, s)| (loss + o.3, s.iter().copied().chain([k]).collect()))
            .collect();
        sets.extend(grown);
    }
    sets.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut held: Option<(f32, mrz::Mrz, Vec<String>)> = None;
    for (loss, set) in sets {
        if held.as_ref().is_some_and(|h| loss > h.0 + AMBIGUOUS) {
            break;
        }
        let mut lines = best.clone();
        for &m in &set {
            let (i, j, c, _) = others[m];
            lines[i][j] = c;
        }
        let lines: Vec<String> = lines
            .into_iter()
            .map(|l| String::from_utf8_lossy(&l).into_owned())
            .collect();
        let Some(zone) = mrz::read_as_is(&lines.join("\n")) else {
            continue;
        };
        match &held {
            None => held = Some((loss, zone, lines)),
            Some(h) if h.1.number != zone.number => return None,
            Some(_) => {}
        }
    }
    held.map(|(_, z, l)| (z, l))
}

#[cfg(test)]
mod tests;
