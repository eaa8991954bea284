//! The Unicode of glyphs in an embedded TrueType font, for composite fonts
//! that come without a ToUnicode map (pdf.js and poppler read the font's own
//! `cmap` table the same way): the table maps characters to glyphs, read
//! here the other way round.

use std::collections::HashMap;

/// Characters mapped at most (the Unicode planes a font may cover).
const MAX_CHARS: usize = 1 << 17;

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

/// Glyph index → character, from the font's Unicode `cmap` subtable
/// (format 4 or 12). Empty when the font has none or is not TrueType.
pub(super) fn glyph_chars(font: &[u8]) -> HashMap<u16, char> {
    let mut out = HashMap::new();
    let _ = read(font, &mut out);
    out
}

fn read(font: &[u8], out: &mut HashMap<u16, char>) -> Option<()> {
    let tables = usize::from(u16_at(font, 4)?);
    let cmap = (0..tables).find_map(|i| {
        let rec = 12 + 16 * i;
        (font.get(rec..rec + 4)? == b"cmap").then(|| u32_at(font, rec + 8))?
    })? as usize;
    let cmap = font.get(cmap..)?;
    let count = usize::from(u16_at(cmap, 2)?);
    // Unicode subtables: Windows (3, 1 / 3, 10), then Unicode platform (0, *).
    let mut best: Option<(u8, usize)> = None;
    for i in 0..count.min(64) {
        let rec = 4 + 8 * i;
        let (platform, encoding) = (u16_at(cmap, rec)?, u16_at(cmap, rec + 2)?);
        let rank = match (platform, encoding) {
            (3, 10) => 3,
            (3, 1) => 2,
            (0, _) => 1,
            _ => continue,
        };
        let offset = u32_at(cmap, rec + 4)? as usize;
        if best.is_none_or(|(r, _)| rank > r) {
            best = Some((rank, offset));
        }
    }
    let sub = cmap.get(best?.1..)?;
    match u16_at(sub, 0)? {
        4 => format4(sub, out),
        12 => format12(sub, out),
        _ => None,
    }
}

fn put(out: &mut HashMap<u16, char>, c: u32, gid: u32) {
    if let (Some(ch), Ok(gid)) = (char::from_u32(c), u16::try_from(gid)) {
        // The first character of a glyph wins (several may share one).
        if gid != 0 && out.len() < MAX_CHARS {
            out.entry(gid).or_insert(ch);
        }
    }
}

fn format4(sub: &[u8], out: &mut HashMap<u16, char>) -> Option<()> {
    let segs = usize::from(u16_at(sub, 6)? / 2);
    let (ends, starts) = (14, 16 + 2 * segs);
    let (deltas, ranges) = (starts + 2 * segs, starts + 4 * segs);
    for s in 0..segs {
        let end = u32::from(u16_at(sub, ends + 2 * s)?);
        let start = u32::from(u16_at(sub, starts + 2 * s)?);
        let delta = u32::from(u16_at(sub, deltas + 2 * s)?);
        let range_at = ranges + 2 * s;
        let range = usize::from(u16_at(sub, range_at)?);
        for c in start..=end.min(0xFFFE) {
            let gid = if range == 0 {
                c.wrapping_add(delta) & 0xFFFF
            } else {
                let at = range_at + range + 2 * (c - start) as usize;
                match u16_at(sub, at).map(u32::from) {
                    Some(0) | None => continue,
                    Some(g) => g.wrapping_add(delta) & 0xFFFF,
                }
            };
            put(out, c, gid);
        }
    }
    Some(())
}

fn format12(sub: &[u8], out: &mut HashMap<u16, char>) -> Option<()> {
    let groups = u32_at(sub, 12)? as usize;
    for g in 0..groups.min(MAX_CHARS) {
        let rec = 16 + 12 * g;
        let (start, end, glyph) = (
            u32_at(sub, rec)?,
            u32_at(sub, rec + 4)?,
            u32_at(sub, rec + 8)?,
        );
        for c in start..=end.min(start.saturating_add(MAX_CHARS as u32)) {
            put(out, c, glyph.wrapping_add(c - start));
            if out.len() >= MAX_CHARS {
                return Some(());
            }
        }
    }
    Some(())
}

#[cfg(test)]
/// A font file with only a `cmap` table holding one format 4 subtable.
pub(super) fn font_with_cmap(pairs: &[(u16, u16)]) -> Vec<u8> {
    let mut sub = Vec::new();
    let segs = pairs.len() + 1;
    let mut push = |v: u16| sub.extend_from_slice(&v.to_be_bytes());
    push(4);
    push(0); // length (not read)
    push(0);
    push(2 * segs as u16);
    push(0);
    push(0);
    push(0);
    for (c, _) in pairs {
        push(*c);
    }
    push(0xFFFF);
    push(0);
    for (c, _) in pairs {
        push(*c);
    }
    push(0xFFFF);
    for (c, g) in pairs {
        push(g.wrapping_sub(*c));
    }
    push(1);
    for _ in 0..segs {
        push(0);
    }
    let mut f = vec![0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    f.extend_from_slice(b"cmap");
    f.extend_from_slice(&[0; 4]);
    f.extend_from_slice(&28u32.to_be_bytes());
    f.extend_from_slice(&0u32.to_be_bytes());
    f.extend_from_slice(&[0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12]);
    f.extend_from_slice(&sub);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format4_read_backwards() {
        let m = glyph_chars(&font_with_cmap(&[(0x41, 7), (0xE9, 9)]));
        assert_eq!(m.get(&7), Some(&'A'));
        assert_eq!(m.get(&9), Some(&'é'));
        assert_eq!(m.len(), 2);
        assert!(glyph_chars(b"junk").is_empty());
    }
}
