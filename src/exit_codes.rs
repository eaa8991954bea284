//! Exit status as a contract (README, "Exit status"): like grep.

/// Personal data was found.
pub const FOUND: i32 = 0;
/// The scan completed and found no personal data.
pub const NOT_FOUND: i32 = 1;
/// Usage or fatal error.
pub const ERROR: i32 = 2;
/// Interrupted by SIGINT/SIGTERM (128 + SIGINT).
pub const INTERRUPTED: i32 = 130;
