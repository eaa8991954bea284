//! Reporting: findings → records (README, "Output records") → printers.
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
//!   to the contract's fields, `files_skipped` (binary files), `formats`
//!   {format: files}, `not_covered` (files not or only partly read) and
//!   `interrupted`.
//!
//! Printers never know how files were walked or decoded.

pub mod inventory_report;
pub mod printer;
pub mod summary;

pub use crate::model::record::{
    ErrorRecord, FileRecord, FindingRecord, FindingView, Record, Summary,
};

/// The command line of this process as reports show it (identifiers
/// masked), set once by the binary; empty for a library caller.
static COMMAND_LINE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Records the command line reports show (its identifiers already masked).
pub fn set_command_line(masked: String) {
    let _ = COMMAND_LINE.set(masked);
}

/// The command line reports show ([`set_command_line`]).
pub fn command_line() -> &'static str {
    COMMAND_LINE.get().map_or("", String::as_str)
}
