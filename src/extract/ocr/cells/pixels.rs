//! A page's pixels in grey, decoded from the bytes handed to the engine.

use std::io::Cursor;

/// An 8-bit grey image, row by row (0 black, 255 white).
#[derive(Debug, Clone)]
pub struct Grey {
    pub width: usize,
    pub height: usize,
    pub px: Vec<u8>,
}

impl Grey {
    /// The grey level at (`x`, `y`), white outside the image.
    pub fn at(&self, x: isize, y: isize) -> u8 {
        if x < 0 || y < 0 || x as usize >= self.width || y as usize >= self.height {
            return 255;
        }
        self.px[y as usize * self.width + x as usize]
    }

    /// The grey level at a point between pixels (bilinear).
    pub fn sample(&self, x: f32, y: f32) -> f32 {
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        let (x0, y0) = (x0 as isize, y0 as isize);
        let p = |dx, dy| f32::from(self.at(x0 + dx, y0 + dy));
        let top = p(0, 0) * (1.0 - fx) + p(1, 0) * fx;
        let bottom = p(0, 1) * (1.0 - fx) + p(1, 1) * fx;
        top * (1.0 - fy) + bottom * fy
    }
}

/// Page `page` (1-based; a TIFF's directory) of an image in a format this
/// reader decodes (JPEG, PNG, TIFF, PNM, BMP); `None` for the others
/// (JPEG 2000, GIF, WebP: Tesseract alone reads them) or a broken file.
pub fn decode(data: &[u8], page: u32) -> Option<Grey> {
    if data.starts_with(b"II*\0") || data.starts_with(b"MM\0*") {
        return tiff_page(data, page);
    }
    if page != 1 {
        return None;
    }
    let img = image::load_from_memory(data).ok()?.into_luma8();
    let (width, height) = (img.width() as usize, img.height() as usize);
    Some(Grey {
        width,
        height,
        px: img.into_raw(),
    })
}

/// A page of a TIFF: 8-bit or 1-bit grey, or RGB.
fn tiff_page(data: &[u8], page: u32) -> Option<Grey> {
    use tiff::decoder::{Decoder, DecodingResult};
    use tiff::ColorType;
    let mut d = Decoder::new(Cursor::new(data)).ok()?;
    d.seek_to_image(page.checked_sub(1)? as usize).ok()?;
    let (w, h) = d.dimensions().ok()?;
    let (width, height) = (w as usize, h as usize);
    let colour = d.colortype().ok()?;
    let DecodingResult::U8(buf) = d.read_image().ok()? else {
        return None;
    };
    let px: Vec<u8> = match colour {
        ColorType::Gray(8) => buf,
        ColorType::RGB(8) => buf
            .chunks_exact(3)
            .map(|c| {
                ((u32::from(c[0]) * 299 + u32::from(c[1]) * 587 + u32::from(c[2]) * 114) / 1000)
                    as u8
            })
            .collect(),
        ColorType::Gray(1) => {
            // Packed rows, a set bit white (the decoder has applied the
            // photometric interpretation).
            let stride = width.div_ceil(8);
            (0..height)
                .flat_map(|y| {
                    let row = buf.get(y * stride..(y + 1) * stride).unwrap_or(&[]);
                    (0..width).map(move |x| match row.get(x / 8) {
                        Some(b) if b & (0x80 >> (x % 8)) != 0 => 255,
                        Some(_) => 0,
                        None => 255,
                    })
                })
                .collect()
        }
        _ => return None,
    };
    let mut px = px;
    if colour == ColorType::Gray(1) && px.iter().filter(|&&v| v == 0).count() * 2 > px.len() {
        // A fax page is mostly paper: mostly black means white is zero.
        px.iter_mut().for_each(|v| *v = 255 - *v);
    }
    (px.len() == width * height).then_some(Grey { width, height, px })
}
