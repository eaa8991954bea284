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
