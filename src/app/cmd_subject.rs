//! `pdscout subject`: one person's data, by a scan of the files or from the
//! inventory (`--db`).

use super::cli::SubjectArgs;
use super::cmd_scan::{finish, scan, scan_config};
use crate::subject::SubjectIds;
use anyhow::Result;

/// `pdscout subject`.
pub(super) fn run(args: SubjectArgs) -> Result<i32> {
    let mut ids = SubjectIds::default();
    for (kind, values) in [
        ("name", args.name),
        ("email", args.email),
        ("phone", args.phone),
        ("iban", args.iban),
        ("nir", args.nir),
        ("birthdate", args.birthdate),
        ("address", args.address),
    ] {
        ids.add(kind, values);
    }
    for (kind, value) in args.id {
        ids.add(&kind, vec![value]);
    }
    anyhow::ensure!(
        !ids.is_empty(),
        "subject: give at least one identifier (--name, --email, --phone, --iban, --nir, --birthdate, --address, --id KIND=VALUE)"
    );
    let mut cfg = scan_config(args.paths, args.common)?;
    // Every kind is looked for: the person's record is all of it.
    cfg.kinds = None;
    cfg.subject = Some(ids);
    match cfg.db.take() {
        Some(db) => {
            if cfg.reveal && !args.verify {
                eprintln!("pdscout: the inventory keeps no values: add --verify to read them from the files");
            }
            let outcome = crate::scan::subject_from_index(&cfg, &db, args.verify)?;
            finish(&cfg, outcome)
        }
        None => scan(cfg),
    }
}
