//! One integration-test binary: each module is a feature, read as a
//! specification of what the real `pdscout` binary does.

mod util;

mod cli;
mod fixtures;
mod patterns;
mod scan;
