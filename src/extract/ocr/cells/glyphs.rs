//! The glyph templates of the zone's 37 characters and the classifier.
//!
//! Templates are data (`assets/mrz-glyphs/`, drawn by its `make_glyphs.py`
//! from OCR-B and DejaVu Sans Mono, their licences beside them): a cell of
//! a scanned line, cut as [`super::cut`] cuts it, is compared with each by
//! normalised correlation on the same grid.

use std::sync::OnceLock;

/// The grid a cell is averaged down to.
pub const GRID_W: usize = 16;
pub const GRID_H: usize = 24;
pub const CELLS: usize = GRID_W * GRID_H;

/// Above and below the capitals, this share of their height is in a cell.
pub const MARGIN: f32 = 0.15;

/// Ink levels of the text format, light to dark.
const LEVELS: &str = " .:-=+*#%@";

/// The characters of a zone.
#[cfg(test)]
pub const ALPHABET: &[u8; 37] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";

/// One font's templates: each character's grid, zero mean and unit norm.
pub struct Font {
    #[cfg(test)]
    name: &'static str,
    glyphs: Vec<(u8, Vec<f32>)>,
}

/// The template sets, read once.
pub fn fonts() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(|| {
        [
            (
                "OCR-B",
                include_str!("../../../../assets/mrz-glyphs/ocrb.txt"),
            ),
            (
                "DejaVu Sans Mono",
                include_str!("../../../../assets/mrz-glyphs/dejavu-mono.txt"),
            ),
        ]
        .into_iter()
        .map(|(_name, text)| Font {
            #[cfg(test)]
            name: _name,
            glyphs: parse(text),
        })
        .collect()
    })
}

/// The glyphs of a template file: `char C` then `GRID_H` rows of levels.
fn parse(text: &str) -> Vec<(u8, Vec<f32>)> {
    let mut glyphs = Vec::new();
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        let Some(c) = l.strip_prefix("char ").and_then(|c| c.bytes().next()) else {
            continue;
        };
        let mut grid = Vec::with_capacity(CELLS);
        for row in lines.by_ref().take(GRID_H) {
            let mut levels: Vec<f32> = row
                .chars()
                .map(|ch| LEVELS.find(ch).unwrap_or(0) as f32)
                .collect();
            levels.resize(GRID_W, 0.0);
            grid.extend(levels);
        }
        if grid.len() == CELLS && normalise(&mut grid) {
            glyphs.push((c, grid));
        }
    }
    glyphs
}

/// Smoothed (a 3 × 3 binomial filter: a stroke a grid column off still
/// matches, thin strokes count as much as wide bars), then zero mean and
/// unit norm; `false` for a flat grid (nothing to compare).
pub fn normalise(v: &mut [f32]) -> bool {
    let at = |x: isize, y: isize| {
        let (x, y) = (
            x.clamp(0, GRID_W as isize - 1),
            y.clamp(0, GRID_H as isize - 1),
        );
        v[y as usize * GRID_W + x as usize]
    };
    let smooth: Vec<f32> = (0..GRID_H as isize)
        .flat_map(|y| (0..GRID_W as isize).map(move |x| (x, y)))
        .map(|(x, y)| {
            let mut s = 0.0;
            for (dy, wy) in [(-1, 1.0), (0, 2.0), (1, 1.0)] {
                for (dx, wx) in [(-1, 1.0), (0, 2.0), (1, 1.0)] {
                    s += wx * wy * at(x + dx, y + dy);
                }
            }
            s / 16.0
        })
        .collect();
    v.copy_from_slice(&smooth);
    let mean = v.iter().sum::<f32>() / v.len() as f32;
    v.iter_mut().for_each(|x| *x -= mean);
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm < 1e-3 {
        return false;
    }
    v.iter_mut().for_each(|x| *x /= norm);
    true
}

/// A character a cell may be, and how alike they are (correlation, −1–1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guess {
    pub c: u8,
    pub score: f32,
}

/// How many guesses are kept per cell.
pub const KEPT: usize = 3;

impl Font {
    /// The `KEPT` characters most like `ink` (a normalised grid), best first.
    pub fn classify(&self, ink: &[f32]) -> Vec<Guess> {
        let mut all: Vec<Guess> = self
            .glyphs
            .iter()
            .map(|(c, g)| Guess {
                c: *c,
                score: g.iter().zip(ink).map(|(a, b)| a * b).sum(),
            })
            .collect();
        all.sort_by(|a, b| b.score.total_cmp(&a.score));
        all.truncate(KEPT);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_in_both_sets() {
        for f in fonts() {
            assert_eq!(f.glyphs.len(), 37, "{}", f.name);
            for (i, (c, g)) in f.glyphs.iter().enumerate() {
                assert_eq!(*c, ALPHABET[i]);
                // A template is itself first, clearly.
                let guesses = f.classify(g);
                assert_eq!(guesses[0].c, *c);
                assert!(guesses[1].score < 0.98, "{} {}", f.name, *c as char);
            }
        }
    }
}
