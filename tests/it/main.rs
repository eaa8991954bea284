//! One integration-test binary: each module is a feature, read as a
//! specification of what the real `pdscout` binary does.

mod util;

mod cli;
mod cli_users;
mod containers;
mod detect_s13;
mod detect_s14;
mod detect_s15;
mod detect_s16;
mod detection;
mod detection_records;
mod docs;
mod docs_fidelity;
mod docs_s14;
mod fixtures;
mod hostile;
mod hostile_archives;
mod hostile_budget;
mod hostile_xlsb;
mod interrupt;
mod inventory;
mod inventory_backends;
mod inventory_pg;
mod inventory_tls;
mod inventory_trust;
mod layers;
mod leaks;
mod legacy;
mod mail;
mod ocr;
mod office;
mod office_encrypted;
mod office_s13;
mod patterns;
mod pdf;
mod pdf_fidelity;
mod record_paths;
mod scan;
mod spreadsheet;
mod structured;
mod subject;
mod subject_records;
mod supervised;
