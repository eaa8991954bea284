//! Tests of hostile structure: object streams that lopdf would inflate
//! without a bound.

use super::tests::{pdf, run, stream, zlib};
use super::ExtractError;

/// ASCII85 of `data` (groups of four bytes, `z` for zeros, `~>` at the end).
fn ascii85(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in data.chunks(4) {
        let mut group = [0u8; 4];
        group[..chunk.len()].copy_from_slice(chunk);
        let mut v = u32::from_be_bytes(group);
        if v == 0 && chunk.len() == 4 {
            out.push(b'z');
            continue;
        }
        let mut digits = [0u8; 5];
        for d in digits.iter_mut().rev() {
            *d = (v % 85) as u8 + b'!';
            v /= 85;
        }
        out.extend_from_slice(&digits[..chunk.len() + 1]);
    }
    out.extend_from_slice(b"~>");
    out
}

#[test]
fn an_object_stream_under_filters_not_inflated_beforehand_is_bounded() {
    // lopdf inflates object streams while loading; one behind ASCII85 (or
    // LZW) cannot be measured first, so it counts at the most it can expand to.
    let bomb = ascii85(&zlib(&vec![b' '; 2 << 20]));
    let objs = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
        stream(
            "/Type /ObjStm /N 0 /First 0 /Filter [/ASCII85Decode /FlateDecode]",
            &bomb,
        ),
    ];
    let (_, r) = run(&pdf(&objs), 1 << 20);
    assert!(matches!(r, Err(ExtractError::Limit(_))), "{r:?}");
    // The same stream is no bomb under a larger cap.
    let (_, r) = run(&pdf(&objs), 64 << 20);
    assert!(!matches!(r, Err(ExtractError::Limit(_))), "{r:?}");
}
