//! Placeholder: the archive extractor is being written (reports the format as not read).

use super::{Cx, ExtractError, ReadSeek, UnitSink};

/// Extracts every member of an archive through [`super::extract_member`];
/// returns the number of bytes of the archive read.
pub fn extract(
    kind: &'static str,
    name: &str,
    source: &mut dyn ReadSeek,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<u64, ExtractError> {
    let _ = (name, source, cx, sink);
    Err(ExtractError::Unsupported(kind))
}
