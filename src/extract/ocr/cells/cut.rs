//! Cutting a zone's band of a page into its lines and each line into its
//! cells.
//!
//! The band (where the engine saw the zone's lines) is straightened first:
//! the slope whose horizontal projection of the ink is sharpest (scans are
//! turned a degree or two; a 44-character line then drifts by more than a
//! line's height). Lines are the runs of inked rows. A line of `n`
//! characters of a monospaced font is `n` equal cells: the pitch and the
//! first cell's start are those whose `n + 1` boundaries cross the least
//! ink, between the line's first and last inked columns. Each cell is then
//! taken as the templates were drawn (`assets/mrz-glyphs/make_glyphs.py`):
//! a pitch wide, centred on its ink, from a margin above the capitals' top
//! to one below their baseline, averaged down to the templates' grid.

use super::glyphs::{normalise, GRID_H, GRID_W, MARGIN};
use super::pixels::Grey;

/// The band of a page, straightened, in ink (0 paper – 1 black).
pub struct Band {
    width: usize,
    height: usize,
    ink: Vec<f32>,
    /// Ink above this is a mark (Otsu's threshold of the band).
    mark: f32,
    /// Inked rows of each line, top to bottom.
    pub lines: Vec<(usize, usize)>,
}

/// A line cut into cells: each cell's grid (normalised; empty when the
/// cell holds no ink).
pub struct Cells {
    pub grids: Vec<Vec<f32>>,
}

impl Band {
    /// The band of `page` within `rect` (left, top, right, bottom).
    pub fn new(page: &Grey, rect: [u32; 4]) -> Option<Band> {
        let [l, t, r, b] = rect.map(|v| v as usize);
        let (r, b) = (r.min(page.width), b.min(page.height));
        if r <= l + 20 || b <= t + 10 {
            return None;
        }
        let (width, height) = (r - l, b - t);
        let mut hist = [0u32; 256];
        for y in t..b {
            for &v in &page.px[y * page.width + l..y * page.width + r] {
                hist[255 - v as usize] += 1;
            }
        }
        let mark = otsu(&hist) as f32 / 255.0;
        let slope = skew(page, rect, mark);
        let xc = (l + r) as f32 / 2.0;
        let mut ink = Vec::with_capacity(width * height);
        for y in 0..height {
            for x in 0..width {
                let (sx, sy) = ((l + x) as f32, (t + y) as f32);
                ink.push(1.0 - page.sample(sx, sy + slope * (sx - xc)) / 255.0);
            }
        }
        let mut band = Band {
            width,
            height,
            ink,
            mark,
            lines: Vec::new(),
        };
        band.lines = band.find_lines();
        Some(band)
    }

    fn at(&self, x: usize, y: usize) -> f32 {
        self.ink[y * self.width + x]
    }

    fn sample(&self, x: f32, y: f32) -> f32 {
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        let p = |dx: f32, dy: f32| {
            let (px, py) = (x0 + dx, y0 + dy);
            if px < 0.0 || py < 0.0 || px >= self.width as f32 || py >= self.height as f32 {
                0.0
            } else {
                self.at(px as usize, py as usize)
            }
        };
        let top = p(0.0, 0.0) * (1.0 - fx) + p(1.0, 0.0) * fx;
        let bottom = p(0.0, 1.0) * (1.0 - fx) + p(1.0, 1.0) * fx;
        top * (1.0 - fy) + bottom * fy
    }

    /// Runs of rows with ink, the thin ones (specks, a neighbour's edge)
    /// left out.
    fn find_lines(&self) -> Vec<(usize, usize)> {
        let rows: Vec<usize> = (0..self.height)
            .map(|y| {
                (0..self.width)
                    .filter(|&x| self.at(x, y) > self.mark)
                    .count()
            })
            .collect();
        let most = rows.iter().copied().max().unwrap_or(0);
        if most == 0 {
            return Vec::new();
        }
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut y = 0;
        while y < self.height {
            if rows[y] * 8 < most {
                y += 1;
                continue;
            }
            let start = y;
            while y < self.height && rows[y] * 8 >= most {
                y += 1;
            }
            match runs.last_mut() {
                Some(last) if start <= last.1 + 2 => last.1 = y,
                _ => runs.push((start, y)),
            }
        }
        let tallest = runs.iter().map(|r| r.1 - r.0).max().unwrap_or(0);
        runs.retain(|r| (r.1 - r.0) * 2 >= tallest);
        runs
    }

    /// Line `line` cut into `n` cells; `None` when its ink does not span
    /// enough columns for `n` characters.
    pub fn cells(&self, line: usize, n: usize) -> Option<Cells> {
        let (y0, y1) = *self.lines.get(line)?;
        let (y0, y1) = (y0.saturating_sub(1), (y1 + 1).min(self.height));
        let cols: Vec<f32> = (0..self.width)
            .map(|x| (y0..y1).map(|y| self.at(x, y)).sum())
            .collect();
        let marked = |x: usize| (y0..y1).any(|y| self.at(x, y) > self.mark);
        // The widest group of inked columns whose gaps are narrower than
        // the line is high (the zone, not a mark beside it).
        let gap = (y1 - y0) * 3 / 2;
        let mut groups: Vec<(usize, usize)> = Vec::new();
        for x in (0..self.width).filter(|&x| marked(x)) {
            match groups.last_mut() {
                Some(g) if x <= g.1 + gap => g.1 = x,
                _ => groups.push((x, x)),
            }
        }
        let (x0, x1) = groups.into_iter().max_by_key(|g| g.1 - g.0)?;
        let span = (x1 + 1 - x0) as f32;
        if span < n as f32 * 4.0 {
            return None;
        }
        let (pitch, start) = pitch(&cols, x0 as f32, x1 as f32 + 1.0, n)?;
        // Each cell's ink: its columns' centre, its rows' extent.
        let mut boxes = Vec::with_capacity(n);
        for k in 0..n {
            let (a, b) = (start + k as f32 * pitch, start + (k + 1) as f32 * pitch);
            let xs = (a.max(0.0).ceil() as usize)..(b.min(self.width as f32) as usize);
            let inked: Vec<usize> = xs.clone().filter(|&x| marked(x)).collect();
            let cx = match (inked.first(), inked.last()) {
                (Some(&f), Some(&l)) => (f + l + 1) as f32 / 2.0,
                _ => (a + b) / 2.0,
            };
            let rows: Vec<usize> = (y0..y1)
                .filter(|&y| xs.clone().any(|x| self.at(x, y) > self.mark))
                .collect();
            boxes.push((cx, rows.first().copied(), rows.last().map(|y| y + 1)));
        }
        // The capitals' top and baseline: medians over the tall cells.
        let mut heights: Vec<usize> = boxes
            .iter()
            .filter_map(|(_, t, b)| Some(b.as_ref()? - t.as_ref()?))
            .collect();
        heights.sort_unstable();
        let tall = *heights.get(heights.len() * 9 / 10)? as f32 * 0.75;
        let (mut tops, mut bottoms): (Vec<usize>, Vec<usize>) = boxes
            .iter()
            .filter_map(|(_, t, b)| Some((t.as_ref().copied()?, b.as_ref().copied()?)))
            .filter(|(t, b)| (b - t) as f32 >= tall)
            .unzip();
        tops.sort_unstable();
        bottoms.sort_unstable();
        let (top, bottom) = (
            *tops.get(tops.len() / 2)? as f32,
            *bottoms.get(bottoms.len() / 2)? as f32,
        );
        let h = bottom - top;
        if h < 6.0 {
            return None;
        }
        let (wy0, wy1) = (top - MARGIN * h, bottom + MARGIN * h);
        let grids = boxes
            .iter()
            .map(|&(cx, t, _)| {
                if t.is_none() {
                    return Vec::new();
                }
                let mut g = self.grid(cx - pitch / 2.0, cx + pitch / 2.0, wy0, wy1);
                if normalise(&mut g) {
                    g
                } else {
                    Vec::new()
                }
            })
            .collect();
        Some(Cells { grids })
    }

    /// The window `x0..x1` × `y0..y1` averaged down to the grid (3 × 3
    /// samples a grid cell).
    fn grid(&self, x0: f32, x1: f32, y0: f32, y1: f32) -> Vec<f32> {
        let (sx, sy) = ((x1 - x0) / GRID_W as f32, (y1 - y0) / GRID_H as f32);
        let mut g = Vec::with_capacity(GRID_W * GRID_H);
        for gy in 0..GRID_H {
            for gx in 0..GRID_W {
                let mut sum = 0.0;
                for j in 0..3 {
                    for i in 0..3 {
                        let x = x0 + (gx as f32 + (i as f32 + 0.5) / 3.0) * sx;
                        let y = y0 + (gy as f32 + (j as f32 + 0.5) / 3.0) * sy;
                        sum += self.sample(x - 0.5, y - 0.5);
                    }
                }
                g.push(sum / 9.0);
            }
        }
        g
    }
}

/// The pitch and the first cell's start whose `n + 1` cell boundaries
/// cross the least ink (`cols`: ink per column), the cells covering the
/// inked columns `x0..x1`.
fn pitch(cols: &[f32], x0: f32, x1: f32, n: usize) -> Option<(f32, f32)> {
    let at = |x: f32| -> f32 {
        if x < 0.0 || x >= (cols.len() - 1) as f32 {
            return 0.0;
        }
        let i = x.floor();
        let f = x - i;
        cols[i as usize] * (1.0 - f) + cols[i as usize + 1] * f
    };
    let span = x1 - x0;
    // The last glyph is narrower than a pitch: `span` lies between
    // (n − 1) and n pitches (a little more for a wide first glyph).
    let (lo, hi) = (span / (n as f32 + 0.3), span / (n as f32 - 1.0));
    let mut best: Option<(f32, f32, f32)> = None;
    let mut p = lo;
    while p <= hi {
        let mut lead = 0.0;
        while lead <= p * 0.6 {
            let start = x0 - lead;
            // Every inked column inside the cells.
            if start + n as f32 * p >= x1 - 0.5 {
                let cost: f32 = (0..=n).map(|k| at(start + k as f32 * p)).sum();
                if best.is_none_or(|b| cost < b.0) {
                    best = Some((cost, p, start));
                }
            }
            lead += 0.25;
        }
        p += 0.02;
    }
    best.map(|(_, p, s)| (p, s))
}

/// Otsu's threshold of a histogram of ink levels.
fn otsu(hist: &[u32; 256]) -> usize {
    let total: f64 = hist.iter().map(|&c| f64::from(c)).sum();
    let sum: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * f64::from(c))
        .sum();
    let (mut w0, mut s0, mut best, mut at) = (0.0, 0.0, 0.0, 128);
    for (i, &c) in hist.iter().enumerate() {
        w0 += f64::from(c);
        s0 += i as f64 * f64::from(c);
        let w1 = total - w0;
        if w0 == 0.0 || w1 == 0.0 {
            continue;
        }
        let (m0, m1) = (s0 / w0, (sum - s0) / w1);
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            at = i;
        }
    }
    at
}

/// The slope (rows per column) that makes the ink's rows sharpest within
/// `rect`: ±0.06 (3.4°), in steps of 0.002 then 0.0004.
fn skew(page: &Grey, rect: [u32; 4], mark: f32) -> f32 {
    let [l, t, r, b] = rect.map(|v| v as usize);
    let (r, b) = (r.min(page.width), b.min(page.height));
    let level = ((1.0 - mark) * 255.0) as u8;
    let xc = (l + r) as f32 / 2.0;
    let dots: Vec<(f32, f32)> = (t..b)
        .flat_map(|y| (l..r).map(move |x| (x, y)))
        .filter(|&(x, y)| page.px[y * page.width + x] < level)
        .map(|(x, y)| (x as f32 - xc, (y - t) as f32))
        .collect();
    let pad = (r - l) as f32 * 0.07;
    let rows = (b - t) + 2 * pad as usize + 2;
    let sharpness = |s: f32| -> f64 {
        let mut h = vec![0u32; rows];
        for &(x, y) in &dots {
            let i = (y - s * x + pad) as isize;
            if let Some(c) = h.get_mut(i.max(0) as usize) {
                *c += 1;
            }
        }
        h.iter().map(|&c| f64::from(c) * f64::from(c)).sum()
    };
    let search = |from: f32, to: f32, step: f32| -> f32 {
        let mut best = (f64::MIN, 0.0);
        let mut s = from;
        while s <= to + 1e-6 {
            let v = sharpness(s);
            if v > best.0 {
                best = (v, s);
            }
            s += step;
        }
        best.1
    };
    let coarse = search(-0.06, 0.06, 0.002);
    search(coarse - 0.002, coarse + 0.002, 0.0004)
}
