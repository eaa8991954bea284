//! Walking: the roots → the regular files to read, in parallel.
//!
//! Built on `ignore`'s parallel walker with every ignore-file rule off (a
//! share's `.gitignore` says nothing about personal data; hidden files are
//! read). Symbolic links are not followed unless asked; when they are, loops
//! are reported and each real file is visited once. Only regular files are
//! ever opened: a FIFO would block forever.

pub mod stdin;

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{DirEntry, WalkBuilder, WalkState};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What to walk and how.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    pub roots: Vec<PathBuf>,
    /// Only files matching one of these (when any).
    pub include: Vec<String>,
    /// No file or folder matching one of these.
    pub exclude: Vec<String>,
    pub follow_links: bool,
    pub threads: usize,
    /// Larger files are reported as skipped.
    pub max_file_size: Option<u64>,
}

/// One thing the walk met.
#[derive(Debug)]
pub enum Item {
    /// A regular file to read.
    File {
        path: PathBuf,
        /// As the walk read it, when the walk needed it (a size limit, links
        /// followed); else `None`, and the reader asks the open file (a
        /// second lookup of the path costs more than reading a small file).
        meta: Option<std::fs::Metadata>,
    },
    /// Something that is reported and not read (too large, a FIFO, unreadable…).
    Skipped { path: PathBuf, reason: String },
}

/// Errors in the walk options.
#[derive(Debug, thiserror::Error)]
#[error("bad glob '{glob}': {message}")]
pub struct GlobError {
    glob: String,
    message: String,
}

fn globset(globs: &[String]) -> Result<Option<GlobSet>, GlobError> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).map_err(|e| GlobError {
            glob: g.clone(),
            message: e.to_string(),
        })?);
    }
    b.build().map(Some).map_err(|e| GlobError {
        glob: globs.join(" "),
        message: e.to_string(),
    })
}

/// Matches a glob against the path below its root and against the name, so
/// that `*.bak`, `Archives` and `RH/**/*.pdf` all do what one expects.
fn glob_matches(set: &GlobSet, path: &Path) -> bool {
    set.is_match(path) || path.file_name().is_some_and(|n| set.is_match(n))
}

/// Walks the roots in parallel. `make_visitor` is called once per worker
/// thread; its visitor receives each [`Item`] and returns `false` to stop
/// the whole walk.
pub fn walk<'s, F>(opts: &WalkOptions, mut make_visitor: F) -> Result<(), GlobError>
where
    F: FnMut() -> Box<dyn FnMut(Item) -> bool + Send + 's>,
{
    let include = globset(&opts.include)?;
    let exclude = globset(&opts.exclude)?;
    let Some((first, rest)) = opts.roots.split_first() else {
        return Ok(());
    };
    let mut b = WalkBuilder::new(first);
    for r in rest {
        b.add(r);
    }
    b.standard_filters(false)
        .hidden(false)
        .follow_links(opts.follow_links)
        .threads(opts.threads);
    if let Some(ex) = exclude.clone() {
        let roots = opts.roots.clone();
        b.filter_entry(move |e| e.depth() == 0 || !glob_matches(&ex, relative(&roots, e.path())));
    }
    let seen: Mutex<HashSet<(u64, u64)>> = Mutex::new(HashSet::new());
    let opts_ref = opts;
    b.build_parallel().run(|| {
        let mut visit = make_visitor();
        let include = include.clone();
        let seen = &seen;
        Box::new(move |result| {
            let item = match result {
                Ok(entry) => classify(entry, opts_ref, include.as_ref(), seen),
                Err(err) => Some(walk_error(err)),
            };
            match item {
                Some(item) => {
                    if visit(item) {
                        WalkState::Continue
                    } else {
                        WalkState::Quit
                    }
                }
                None => WalkState::Continue,
            }
        })
    });
    Ok(())
}

/// The path below whichever root it is under.
fn relative<'p>(roots: &[PathBuf], path: &'p Path) -> &'p Path {
    roots
        .iter()
        .find_map(|r| path.strip_prefix(r).ok())
        .unwrap_or(path)
}

fn classify(
    entry: DirEntry,
    opts: &WalkOptions,
    include: Option<&GlobSet>,
    seen: &Mutex<HashSet<(u64, u64)>>,
) -> Option<Item> {
    let ft = entry.file_type()?;
    if ft.is_dir() {
        return None;
    }
    let path = entry.path().to_path_buf();
    if ft.is_symlink() {
        // Not followed (without --follow-links): a link out of the root or
        // into a loop is not ours to read.
        return None;
    }
    if let Some(inc) = include {
        if !glob_matches(inc, relative(&opts.roots, &path)) {
            return None;
        }
    }
    if !ft.is_file() {
        return Some(Item::Skipped {
            path,
            reason: format!("not a regular file ({}): not read", special_kind(&ft)),
        });
    }
    if !(opts.follow_links || opts.max_file_size.is_some()) {
        return Some(Item::File { path, meta: None });
    }
    let meta = match entry.metadata() {
        Ok(m) => m,
        Err(e) => {
            return Some(Item::Skipped {
                path,
                reason: format!("cannot read metadata: {}", io_message(&e)),
            })
        }
    };
    if opts.follow_links {
        if let Some(id) = file_id(&meta) {
            let mut seen = seen.lock().unwrap_or_else(|p| p.into_inner());
            if !seen.insert(id) {
                return None; // the same file reached through another link
            }
        }
    }
    let size = meta.len();
    if let Some(max) = opts.max_file_size {
        if size > max {
            return Some(Item::Skipped {
                path,
                reason: format!("larger than --max-file-size ({size} bytes > {max}): not read"),
            });
        }
    }
    Some(Item::File {
        path,
        meta: Some(meta),
    })
}

#[cfg(unix)]
fn file_id(m: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

#[cfg(unix)]
fn special_kind(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        "fifo"
    } else if ft.is_socket() {
        "socket"
    } else if ft.is_block_device() || ft.is_char_device() {
        "device"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "special file"
}

fn io_message(e: &ignore::Error) -> String {
    match e.io_error() {
        Some(io) => io.to_string(),
        None => e.to_string(),
    }
}

/// A walk error as a skipped item with its path and a reason without the
/// path repeated.
fn walk_error(err: ignore::Error) -> Item {
    let mut path = PathBuf::new();
    let reason;
    let mut e = &err;
    loop {
        match e {
            ignore::Error::WithPath { path: p, err } => {
                path = p.clone();
                e = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                e = err
            }
            ignore::Error::Loop { child, .. } => {
                path = child.clone();
                reason = "symbolic link loop: not followed".to_string();
                break;
            }
            ignore::Error::Io(io) => {
                reason = match io.kind() {
                    std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
                    std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                    _ => io.to_string(),
                };
                break;
            }
            other => {
                reason = other.to_string();
                break;
            }
        }
    }
    Item::Skipped { path, reason }
}

/// One part of a sharded sweep (`--shard K/N`): N workers sweeping the same
/// roots with K = 1..N read every file exactly once. A file belongs to the
/// part given by a stable hash (xxh3) of its path below the root, or with
/// `by_folder` (`--shard-by folder`) of its top-level folder below the
/// root, so that a folder's files stay together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1..=n.
    pub k: u32,
    pub n: u32,
    pub by_folder: bool,
}

impl Shard {
    /// `K/N` with 1 ≤ K ≤ N.
    pub fn parse(s: &str, by_folder: bool) -> Option<Shard> {
        let (k, n) = s.trim().split_once('/')?;
        let (k, n): (u32, u32) = (k.trim().parse().ok()?, n.trim().parse().ok()?);
        (k >= 1 && k <= n).then_some(Shard { k, n, by_folder })
    }

    /// Whether the file at `relative` (below its root) is this part's.
    pub fn holds(&self, relative: &Path) -> bool {
        let bytes = relative.as_os_str().as_encoded_bytes();
        let key = if self.by_folder {
            // The first component; files directly under the root go together.
            let start = bytes.iter().position(|&b| b != b'/').unwrap_or(bytes.len());
            let rest = &bytes[start..];
            match rest.iter().position(|&b| b == b'/' || b == b'\\') {
                Some(end) => &rest[..end],
                None => &[][..],
            }
        } else {
            bytes
        };
        xxhash_rust::xxh3::xxh3_64(key) % u64::from(self.n) == u64::from(self.k - 1)
    }

    /// Whether `path`, found under one of `roots`, is this part's.
    pub fn holds_under(&self, roots: &[PathBuf], path: &Path) -> bool {
        self.holds(relative(roots, path))
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

#[cfg(test)]
mod shard_tests {
    use super::*;

    #[test]
    fn every_file_in_exactly_one_shard() {
        let paths: Vec<PathBuf> = (0..2000)
            .map(|i| PathBuf::from(format!("d{}/f{i}.txt", i % 37)))
            .collect();
        for by_folder in [false, true] {
            let shards: Vec<Shard> = (1..=3).map(|k| Shard { k, n: 3, by_folder }).collect();
            let mut sizes = [0usize; 3];
            for p in &paths {
                let owners: Vec<usize> = (0..3).filter(|&i| shards[i].holds(p)).collect();
                assert_eq!(owners.len(), 1, "{p:?}");
                sizes[owners[0]] += 1;
            }
            assert!(sizes.iter().all(|&s| s > 300), "{sizes:?}");
        }
        let s = Shard::parse("2/3", true).unwrap();
        assert_eq!(
            s.holds(Path::new("d1/a.txt")),
            s.holds(Path::new("d1/sub/b.txt"))
        );
        assert_eq!(Shard::parse("0/3", false), None);
        assert_eq!(Shard::parse("4/3", false), None);
        assert_eq!(s.to_string(), "2/3");
    }
}
