//! Compressed RTF ([MS-OXRTFCP]): the body of an Outlook message whose only
//! body is rich text (`PR_RTF_COMPRESSED`), an LZ77 variant over a 4 KiB
//! dictionary that starts with a fixed RTF prefix.

/// The dictionary's initial content.
const PREFIX: &[u8] = b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";

const COMPRESSED: u32 = 0x7546_5A4C; // "LZFu"
const UNCOMPRESSED: u32 = 0x414C_454D; // "MELA"

/// The RTF in `data`, at most `limit` bytes (the declared size is only
/// trusted below it); `None` when it is not compressed RTF.
pub fn decompress(data: &[u8], limit: usize) -> Option<Vec<u8>> {
    let word = |i: usize| -> Option<u32> {
        let b = data.get(i..i + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let raw_size = (word(4)? as usize).min(limit);
    let body = &data[16.min(data.len())..];
    match word(8)? {
        UNCOMPRESSED => return Some(body[..body.len().min(raw_size)].to_vec()),
        COMPRESSED => {}
        _ => return None,
    }
    let mut dict = [0u8; 4096];
    dict[..PREFIX.len()].copy_from_slice(PREFIX);
    let mut write = PREFIX.len();
    let mut out = Vec::with_capacity(raw_size.min(body.len().saturating_mul(8)));
    let mut i = 0;
    'outer: while i < body.len() && out.len() < raw_size {
        let flags = body[i];
        i += 1;
        for bit in 0..8 {
            if out.len() >= raw_size {
                break 'outer;
            }
            if flags & (1 << bit) == 0 {
                let Some(&b) = body.get(i) else { break 'outer };
                i += 1;
                out.push(b);
                dict[write] = b;
                write = (write + 1) % 4096;
            } else {
                let Some(r) = body.get(i..i + 2) else {
                    break 'outer;
                };
                i += 2;
                let r = u16::from_be_bytes([r[0], r[1]]) as usize;
                let (offset, len) = (r >> 4, (r & 0xF) + 2);
                if offset == write {
                    break 'outer; // the end marker
                }
                for k in 0..len {
                    let b = dict[(offset + k) % 4096];
                    out.push(b);
                    dict[write] = b;
                    write = (write + 1) % 4096;
                }
            }
        }
    }
    out.truncate(raw_size);
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_specification_example() {
        // [MS-OXRTFCP] 4.1: "{\rtf1\ansi\ansicpg1252\pard hello world}\r\n".
        let data: &[u8] = &[
            0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5,
            0xc7, 0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42,
            0x32, 0x0a, 0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0,
            0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f, 0xa0,
        ];
        let out = super::decompress(data, 1 << 20).expect("lzfu");
        assert_eq!(out, b"{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n");
    }
}
