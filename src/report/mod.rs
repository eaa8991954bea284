//! Reporting: findings → records (SPEC) → printers.
//!
//! Record types (`--format jsonl`, one JSON object a line, `"type"` first):
//!
//! - `finding`: `path`, `entry`, `kind`, `value` (only with `--reveal`),
//!   `masked`, `location` {line, column, sheet, cell, page}, `confidence`, `pattern`;
//! - `file`: `path`, `entry`, `format`, `bytes`, `findings` {kind: count},
//!   for each file holding personal data;
//! - `error`: `path`, `entry`, `error`, for each file not read or skipped;
//! - `summary` (last): `files_scanned`, `bytes_scanned`, `files_with_findings`,
//!   `findings` {kind: count}, `suppressed`, `errors`, `elapsed_ms`, and, added
//!   to the SPEC's fields, `files_skipped` (binary files), `formats`
//!   {format: files}, `not_covered` (files not or only partly read) and
//!   `interrupted`.
//!
//! Printers never know how files were walked or decoded.

pub mod inventory;
pub mod printer;
pub mod summary;

pub use crate::model::record::{
    ErrorRecord, FileRecord, FindingRecord, FindingView, Record, Summary,
};
