//! One integration-test binary: each module is a feature, read as a
//! specification of what the real `pdscout` binary does.

mod util;

mod cli;
mod containers;
mod fixtures;
mod hostile;
mod interrupt;
mod inventory;
mod leaks;
mod office;
mod patterns;
mod pdf;
mod scan;
mod spreadsheet;
mod subject;
mod supervised;
