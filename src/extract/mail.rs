//! Placeholder: the mail extractor is being written (reports the format as not read).

use super::{Cx, ExtractError, UnitSink};

/// Extracts the text units of a mail document held in memory.
pub fn extract(
    kind: &'static str,
    data: &[u8],
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let _ = (data, cx, sink);
    Err(ExtractError::Unsupported(kind))
}
