//! The cutter and the classifier on lines drawn from the templates and on
//! a zone rendered in OCR-B (`fixtures/ocr/make_ocr_fixtures.py`), no
//! engine needed.

use super::glyphs::{fonts, ALPHABET, GRID_H, GRID_W};
use super::*;

/// `lines` drawn with the templates of `font` (each grid cell `scale`
/// pixels), a pitch apart, the page turned by `slope` (rows per column).
fn drawn(font: &str, lines: &[&str], scale: usize, slope: f32) -> Grey {
    let text = match font {
        "ocrb" => include_str!("../../../../assets/mrz-glyphs/ocrb.txt"),
        _ => include_str!("../../../../assets/mrz-glyphs/dejavu-mono.txt"),
    };
    let levels = " .:-=+*#%@";
    let grid = |c: char| -> Vec<u8> {
        let at = text.find(&format!("char {c}\n")).expect("a glyph") + 7;
        text[at..]
            .lines()
            .take(GRID_H)
            .flat_map(|r| {
                let mut v: Vec<u8> = r
                    .chars()
                    .map(|ch| levels.find(ch).unwrap_or(0) as u8)
                    .collect();
                v.resize(GRID_W, 0);
                v
            })
            .collect()
    };
    let (cw, ch) = (GRID_W * scale, GRID_H * scale);
    let (width, height) = (cw * (lines[0].len() + 4), ch * (lines.len() * 3 / 2 + 3));
    let mut flat = vec![255u8; width * height];
    for (i, line) in lines.iter().enumerate() {
        for (k, c) in line.chars().enumerate() {
            let g = grid(c);
            for y in 0..ch {
                for x in 0..cw {
                    let level = g[(y / scale) * GRID_W + x / scale];
                    let (px, py) = (2 * cw + k * cw + x, ch + i * ch * 3 / 2 + y);
                    flat[py * width + px] = 255 - (u32::from(level) * 255 / 9) as u8;
                }
            }
        }
    }
    let straight = Grey {
        width,
        height,
        px: flat,
    };
    let xc = width as f32 / 2.0;
    let px = (0..height)
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .map(|(x, y)| straight.sample(x as f32, y as f32 - slope * (x as f32 - xc)) as u8)
        .collect();
    Grey { width, height, px }
}

const TD1: [&str; 3] = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
];

#[test]
fn a_turned_zone_cut_into_its_cells() {
    for (font, slope) in [("ocrb", 0.03), ("mono", -0.025)] {
        let grey = drawn(font, &TD1, 2, slope);
        let band =
            cut::Band::new(&grey, [0, 0, grey.width as u32, grey.height as u32]).expect("a band");
        assert_eq!(band.lines.len(), 3, "{font}");
        let cells = band.cells(0, 30).expect("cells");
        assert_eq!(cells.grids.len(), 30);
        let reading = read_band(&band, 30).expect("a zone");
        assert_eq!(reading.lines, TD1, "{font}");
        assert_eq!(reading.zone.number, "D23145890");
    }
}

/// A cell read `8` (0.8), else `3` (`second`).
fn read_8_or_3(second: f32) -> Vec<Guess> {
    vec![
        Guess {
            c: b'8',
            score: 0.8,
        },
        Guess {
            c: b'3',
            score: second,
        },
    ]
}

#[test]
fn the_check_digits_choose_among_the_guesses() {
    // The best guesses misread the number's `3` as `8`; the second guess
    // of that cell is the `3`, and only it makes the check digits hold.
    let sure = |c: u8| {
        vec![
            Guess { c, score: 0.9 },
            Guess {
                c: b'<',
                score: 0.2,
            },
        ]
    };
    let mut lines: Vec<Vec<Vec<Guess>>> =
        TD1.iter().map(|l| l.bytes().map(sure).collect()).collect();
    lines[0][7] = read_8_or_3(0.78);
    let (zone, text) = choose(&lines).expect("a zone");
    assert_eq!(zone.number, "D23145890");
    assert_eq!(text[0], TD1[0]);
    // Nothing near enough: no zone.
    lines[0][7] = read_8_or_3(0.4);
    assert!(choose(&lines).is_none());
}

#[test]
fn every_template_is_its_own_best_guess() {
    assert_eq!(fonts().len(), 2);
    assert_eq!(ALPHABET.len(), 37);
}

#[test]
fn a_zone_rendered_in_ocr_b() {
    let png = include_bytes!("../../../../fixtures/ocr/zone_td3.png");
    let grey = decode(png, 1).expect("a PNG");
    let text = "zone\nzone";
    let page = Page {
        number: 1,
        text: text.into(),
        words: Vec::new(),
        lines: vec![super::super::engine::TextLine {
            start: 0,
            end: text.len() as u32,
            rect: [0, 0, grey.width as u32, grey.height as u32],
        }],
    };
    let reading = read(&grey, &page, &[0..4, 5..9]).expect("a zone");
    assert_eq!(reading.zone.number, "19ZP22970");
    assert_eq!(
        reading.lines[1],
        "19ZP229706FRA7204014F3001145<<<<<<<<<<<<<<<0"
    );
}
