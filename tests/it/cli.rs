//! Command-line behaviour outside scanning.

use crate::util::pdscout;

#[test]
fn help_and_version() {
    let run = pdscout(["--help"]);
    run.assert_code(0);
    assert!(run.stdout().contains("scan"));
    pdscout(["--version"]).assert_code(0);
    let run = pdscout(["scan", "--help"]);
    for opt in [
        "--format",
        "--output",
        "--reveal",
        "--kinds",
        "--patterns",
        "--threads",
        "--exclude",
        "--include",
        "--max-file-size",
        "--follow-links",
        "--min-confidence",
        "--allow",
        "--quiet",
        "--no-progress",
    ] {
        assert!(run.stdout().contains(opt), "scan --help lacks {opt}");
    }
}
