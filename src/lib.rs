//! pdscout: personal-data discovery for GDPR inventories.
//!
//! The pipeline has four stages, each a module:
//! [`walk`] (paths → files) → [`extract`] (file → text units with locations) →
//! [`detect`] (text unit → findings, via patterns, validators and context) →
//! [`report`] (findings → records and printers). [`scan`] glues them together
//! with one worker per thread and one writer. The binary (`src/main.rs`) only
//! parses the command line into a [`config::ScanConfig`] and calls [`scan::run`].

pub mod config;
pub mod detect;
pub mod exit_codes;
pub mod extract;
pub mod inventory;
pub mod report;
pub mod scan;
pub mod text;
pub mod walk;
