//! The harness: a temp-dir builder, a command runner and record helpers.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The path of the fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A scratch folder with files written into it.
pub struct Dir {
    pub tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Self {
        Dir {
            tmp: tempfile::tempdir().expect("temp dir"),
        }
    }
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }
    /// Writes `content` at `rel` (folders created).
    pub fn file(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.tmp.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, content).unwrap();
        p
    }
}

/// The result of running pdscout.
pub struct Run {
    pub out: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.out.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    /// The jsonl records of stdout.
    pub fn records(&self) -> Vec<Value> {
        self.stdout()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad jsonl {l:?}: {e}")))
            .collect()
    }
    /// Records of one type.
    pub fn of_type(&self, t: &str) -> Vec<Value> {
        self.records()
            .into_iter()
            .filter(|r| r["type"] == t)
            .collect()
    }
    /// (file name, reason) of every error record.
    pub fn errors_by_name(&self) -> Vec<(String, String)> {
        self.of_type("error")
            .iter()
            .map(|e| {
                let path = e["path"].as_str().unwrap();
                let name = path.rsplit('/').next().unwrap().to_string();
                (name, e["error"].as_str().unwrap().to_string())
            })
            .collect()
    }

    /// The summary record (the last one).
    pub fn summary(&self) -> Value {
        let recs = self.records();
        let last = recs.last().expect("no records").clone();
        assert_eq!(last["type"], "summary", "last record is not the summary");
        last
    }
    /// (kind, value) of every finding (needs --reveal).
    pub fn kind_values(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .of_type("finding")
            .iter()
            .map(|f| {
                (
                    f["kind"].as_str().unwrap().to_string(),
                    f["value"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        v.sort();
        v
    }
    /// Asserts the exit status, showing stderr when it differs.
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code(), code, "exit status; stderr: {}", self.stderr());
        self
    }
}

/// Runs `pdscout ARGS` (stdout is not a terminal: jsonl by default).
pub fn pdscout<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = assert_cmd::Command::cargo_bin("pdscout")
        .unwrap()
        .args(args)
        .output()
        .expect("run pdscout");
    Run { out }
}

/// Runs `pdscout scan -q --reveal ARGS... PATH`.
pub fn scan_revealed(path: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<std::ffi::OsString> = vec!["scan".into(), "-q".into(), "--reveal".into()];
    args.extend(extra.iter().map(Into::into));
    args.push(path.into());
    pdscout(args)
}
