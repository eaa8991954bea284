//! What every stage shares, and nothing else: the text unit extractors hand
//! to detectors ([`Unit`]), the column-header table that types table columns
//! ([`columns`]), the records a scan produces ([`record`]), the kinds of
//! personal data ([`kind`]), how values are masked ([`mask`]) and how text is folded for comparison ([`fold`]). It
//! depends on no other module of the crate.

pub mod columns;
pub mod fold;
pub mod kind;
pub mod location;
pub mod mask;
pub mod record;
mod unit;

pub use unit::{has_letters, RowCell, Screen, Unit, LONGEST_VALUE};
