//! Inputs found by fuzzing (`fuzz/`): each must give an error record and
//! never take the scan down.
//!
//! - `fuzz_difat_16gib.xls`: an OLE header whose count makes calamine
//!   reserve 16 GiB (an abort, not a panic), refused before calamine sees it.
//! - `fuzz_fat_len_6gib.xls`: the same with the header's FAT-sector count.
//! - `fuzz_calamine_panic.xlsb`: a truncated record that makes calamine index
//!   past a slice; the panic is caught at the file boundary.

use crate::util::{fixtures, scan_revealed};

#[test]
fn fuzz_regressions_are_errors_not_crashes() {
    let run = scan_revealed(&fixtures().join("hostile"), &[]);
    run.assert_code(1);
    let mut errors = run.errors_by_name();
    errors.sort();
    let names: Vec<&str> = errors.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "fuzz_calamine_panic.xlsb",
            "fuzz_difat_16gib.xls",
            "fuzz_fat_len_6gib.xls"
        ]
    );
    assert!(
        errors.iter().all(|(_, e)| e.starts_with("corrupt")),
        "{errors:?}"
    );
}
