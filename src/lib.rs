//! pdscout: personal-data discovery for GDPR inventories.
//!
//! The pipeline has four stages, each a module:
//! [`walk`] (paths → files) → [`extract`] (file → text units with locations) →
//! [`detect`] (text unit → findings, via patterns, validators and context) →
//! [`report`] (findings → records and printers). [`scan`] glues them together
//! with one worker per thread and one writer; [`supervise`] runs the
//! extractors of untrusted binary formats in reader processes. The binary (`src/main.rs`) only
//! parses the command line into a [`config::ScanConfig`] and calls [`scan::run`].

pub mod app;
pub mod config;
pub mod detect;
pub mod exit_codes;
pub mod extract;
pub mod inventory;
pub mod model;
pub mod platform;
pub mod report;
pub mod scan;
pub mod subject;
pub mod supervise;
pub mod walk;

/// A small deterministic pseudo-random sequence (xorshift64) for the tests
/// that try many generated inputs.
#[cfg(test)]
pub(crate) struct TestRng(pub u64);

#[cfg(test)]
impl TestRng {
    /// The next value (also left in `self.0`).
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// The next value below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
