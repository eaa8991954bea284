//! Image files: their magic bytes, and their size read from the header,
//! without decoding (the cheap test before OCR).

use crate::extract::ImageFormat;

/// The image format of a file's first bytes.
pub fn magic(head: &[u8]) -> Option<ImageFormat> {
    Some(if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ImageFormat::Jpeg
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        ImageFormat::Png
    } else if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        ImageFormat::Tiff
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        ImageFormat::Gif
    } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        ImageFormat::Webp
    } else if head.len() >= 26
        && head.starts_with(b"BM")
        && matches!(
            u32::from_le_bytes([head[14], head[15], head[16], head[17]]),
            12 | 40 | 52 | 56 | 108 | 124
        )
    {
        // "BM" alone starts text files too: the DIB header's size must be one of the known ones.
        ImageFormat::Bmp
    } else {
        return None;
    })
}

/// Width and height in pixels, from the header (`None`: not found; TIFF
/// and WebP are not looked into).
pub fn dimensions(format: ImageFormat, d: &[u8]) -> Option<(u32, u32)> {
    let be16 = |i: usize| Some(u16::from_be_bytes([*d.get(i)?, *d.get(i + 1)?]) as u32);
    let le16 = |i: usize| Some(u16::from_le_bytes([*d.get(i)?, *d.get(i + 1)?]) as u32);
    let be32 = |i: usize| Some(u32::from_be_bytes(d.get(i..i + 4)?.try_into().ok()?));
    let le32 =
        |i: usize| Some(i32::from_le_bytes(d.get(i..i + 4)?.try_into().ok()?).unsigned_abs());
    match format {
        ImageFormat::Png => Some((be32(16)?, be32(20)?)),
        ImageFormat::Gif => Some((le16(6)?, le16(8)?)),
        ImageFormat::Bmp => Some((le32(18)?, le32(22)?)),
        ImageFormat::Jpeg => {
            // Segments up to the first start-of-frame marker.
            let mut i = 2;
            while i + 9 < d.len() {
                if d[i] != 0xFF {
                    return None;
                }
                let marker = d[i + 1];
                if marker == 0xFF {
                    i += 1;
                    continue;
                }
                let len = be16(i + 2)? as usize;
                if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
                    return Some((be16(i + 7)?, be16(i + 5)?));
                }
                i += 2 + len;
            }
            None
        }
        ImageFormat::Tiff | ImageFormat::Webp => None,
    }
}

/// How many pages the engine will read in an image: a TIFF's directories
/// (followed from its header, at most 10 000), 1 for the other formats.
pub fn pages(format: ImageFormat, d: &[u8]) -> u32 {
    if format != ImageFormat::Tiff {
        return 1;
    }
    let le = d.starts_with(b"II");
    let u16_at = |i: usize| {
        let b: [u8; 2] = d.get(i..i + 2)?.try_into().ok()?;
        Some(if le {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        } as usize)
    };
    let u32_at = |i: usize| {
        let b: [u8; 4] = d.get(i..i + 4)?.try_into().ok()?;
        Some(if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        } as usize)
    };
    let (mut n, mut at) = (0, u32_at(4).unwrap_or(0));
    // A directory: its entry count, 12 bytes an entry, the next one's offset.
    while at != 0 && n < 10_000 {
        let Some(next) = u16_at(at).and_then(|e| u32_at(at + 2 + 12 * e)) else {
            break;
        };
        n += 1;
        // Offsets go forward or elsewhere; a loop back ends the count.
        at = if next == at { 0 } else { next };
    }
    n.max(1)
}

/// Smallest picture OCR is tried on: a line of 10-point text at 150 dpi is
/// about 30 pixels high and a word 60 wide; icons, logos and thumbnails are
/// smaller.
const MIN_SIDE: u32 = 32;
const MIN_PIXELS: u64 = 100 * 100;

/// The picture is too small to hold a line of text (known from its header).
pub fn too_small(format: ImageFormat, data: &[u8]) -> bool {
    dimensions(format, data)
        .is_some_and(|(w, h)| w.min(h) < MIN_SIDE || u64::from(w) * u64::from(h) < MIN_PIXELS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_from_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&640u32.to_be_bytes());
        png.extend_from_slice(&16u32.to_be_bytes());
        assert_eq!(magic(&png), Some(ImageFormat::Png));
        assert_eq!(dimensions(ImageFormat::Png, &png), Some((640, 16)));
        assert!(too_small(ImageFormat::Png, &png));
        let gif = b"GIF89a\x20\x03\x58\x02";
        assert_eq!(dimensions(ImageFormat::Gif, gif), Some((800, 600)));
        assert!(!too_small(ImageFormat::Gif, gif));
        // SOI, APP0 (length 4), SOF0 with height 300 and width 200.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 1, 44, 0, 200, 1, 0, 0,
        ];
        assert_eq!(magic(&jpeg), Some(ImageFormat::Jpeg));
        assert_eq!(dimensions(ImageFormat::Jpeg, &jpeg), Some((200, 300)));
        assert_eq!(magic(b"BM is a text"), None);
    }

    #[test]
    fn pages_of_a_tiff() {
        // Header, then two directories of one entry each, chained.
        let mut tiff = b"II*\0\x08\0\0\0".to_vec();
        tiff.extend_from_slice(&[1, 0]);
        tiff.extend_from_slice(&[0; 12]);
        tiff.extend_from_slice(&26u32.to_le_bytes());
        tiff.extend_from_slice(&[1, 0]);
        tiff.extend_from_slice(&[0; 12]);
        tiff.extend_from_slice(&0u32.to_le_bytes());
        assert_eq!(pages(ImageFormat::Tiff, &tiff), 2);
        assert_eq!(pages(ImageFormat::Tiff, b"II*\0"), 1);
        assert_eq!(pages(ImageFormat::Png, &tiff), 1);
    }
}
