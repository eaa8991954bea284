//! The harness: a temp-dir builder, a command runner and record helpers.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The path of the fixtures folder.
/// The file name of a record's `path` (the last component).
pub fn file_name(record: &Value) -> String {
    let path = record["path"].as_str().unwrap_or_default();
    path.rsplit('/').next().unwrap_or(path).to_string()
}

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

/// A hang guard for every run: far beyond what any test needs.
const HANG_GUARD: std::time::Duration = std::time::Duration::from_secs(600);

/// Runs `pdscout ARGS` (stdout is not a terminal: jsonl by default).
pub fn pdscout<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    pdscout_within(HANG_GUARD, args)
}

/// Runs `pdscout scan -q --reveal ARGS... PATH`.
pub fn scan_revealed(path: &Path, extra: &[&str]) -> Run {
    scan_within(HANG_GUARD, path, extra)
}

/// Runs `pdscout ARGS`, killed after `limit` (a hang guard: a failure says
/// so, never a timing assertion).
pub fn pdscout_within<I, S>(limit: std::time::Duration, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = assert_cmd::Command::cargo_bin("pdscout")
        .unwrap()
        .args(args)
        .timeout(limit)
        .output()
        .unwrap_or_else(|e| panic!("pdscout did not finish within {limit:?}: {e}"));
    Run { out }
}

/// `pdscout scan -q --reveal ARGS... PATH`, killed after `limit`.
pub fn scan_within(limit: std::time::Duration, path: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<std::ffi::OsString> = vec!["scan".into(), "-q".into(), "--reveal".into()];
    args.extend(extra.iter().map(Into::into));
    args.push(path.into());
    pdscout_within(limit, args)
}

impl Run {
    /// The reasons of the error records of the file named `name` (last
    /// path component).
    pub fn errors_of(&self, name: &str) -> Vec<String> {
        self.errors_by_name()
            .into_iter()
            .filter(|(n, _)| n == name)
            .map(|(_, e)| e)
            .collect()
    }
    /// The finding records of the file named `name`.
    pub fn findings_of(&self, name: &str) -> Vec<Value> {
        self.of_type("finding")
            .into_iter()
            .filter(|f| {
                f["path"]
                    .as_str()
                    .is_some_and(|p| p.rsplit('/').next() == Some(name))
            })
            .collect()
    }
    /// (kind, value, location's `place`: `line`, `page`…) of the findings
    /// of the file named `name`.
    pub fn placed_findings_of(
        &self,
        name: &str,
        place: &str,
    ) -> std::collections::BTreeSet<(String, String, u64)> {
        self.findings_of(name)
            .iter()
            .map(|f| {
                (
                    f["kind"].as_str().unwrap().to_string(),
                    f["value"].as_str().unwrap().to_string(),
                    f["location"][place].as_u64().expect("place"),
                )
            })
            .collect()
    }
}

/// Writes a file streaming: `head`, then `filler` repeated up to about `len`
/// bytes, then `tail` (a large file is never held in memory).
pub fn big_file(path: &Path, head: &[u8], filler: &[u8], len: u64, tail: &[u8]) {
    use std::io::Write;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    w.write_all(head).unwrap();
    let block = filler.repeat(((1 << 20) / filler.len()).max(1));
    let mut written = head.len() as u64;
    while written + (block.len() as u64) <= len {
        w.write_all(&block).unwrap();
        written += block.len() as u64;
    }
    w.write_all(tail).unwrap();
    w.flush().unwrap();
}

/// An xlsx file with one sheet named `sheet`, written streaming: `rows` is
/// called with a writer for the worksheet's `<sheetData>` content;
/// `doctype` goes before the worksheet element.
pub fn xlsx_streamed(
    out: impl std::io::Write + std::io::Seek,
    sheet: &str,
    doctype: &str,
    rows: impl FnOnce(&mut dyn std::io::Write),
) {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(out);
    let opts = zip::write::SimpleFileOptions::default().large_file(true);
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            format!(r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
    ];
    for (name, body) in parts {
        z.start_file(name, opts).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    write!(z, r#"<?xml version="1.0"?>{doctype}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#).unwrap();
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut z);
        rows(&mut w);
        w.flush().unwrap();
    }
    z.write_all(b"</sheetData></worksheet>").unwrap();
    z.finish().unwrap();
}

/// An inline-string cell of an xlsx row.
pub fn xlsx_cell(cell: &str, text: &str) -> String {
    format!(r#"<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// Runs `pdscout ARGS` with its output in files under `dir` (a large
/// report never blocks on a pipe), killed after `limit`; returns the run and
/// its peak resident memory in KiB (Linux: `VmHWM` of /proc/PID/status, a
/// high-water mark, sampled until the process exits).
#[cfg(target_os = "linux")]
pub fn run_peak_rss<I, S>(dir: &Path, limit: std::time::Duration, args: I) -> (Run, u64)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let (out_path, err_path) = (dir.join("stdout"), dir.join("stderr"));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pdscout"))
        .args(args)
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let status = loop {
        if let Ok(s) = std::fs::read_to_string(&status_path) {
            if let Some(kib) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = peak.max(kib);
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("pdscout did not finish within {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let out = Output {
        status,
        stdout: std::fs::read(&out_path).unwrap(),
        stderr: std::fs::read(&err_path).unwrap(),
    };
    (Run { out }, peak)
}

/// The `value`s of the findings of `kind` (run with `--reveal`), sorted.
pub fn found(run: &Run, kind: &str) -> Vec<String> {
    let mut v: Vec<String> = run
        .of_type("finding")
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| f["value"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

pub use pdscout::extract::pdf::testkit::pdf;

/// The schema version an SQLite inventory records.
pub fn sqlite_schema_version(db: &Path) -> String {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}
