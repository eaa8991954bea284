//! The files of one run's part — its source, roots and shard — as the
//! inventory knows them, read page by page: a worker of a 100-million-file
//! register never holds its source's whole file list, only what the last
//! run knew of its own part ([`Known`], some 70 bytes a file), and each
//! page is a range of the `(source, path)` index.

use super::db::{params, Backend, DbError, Row, Value};
use super::Prev;
use crate::walk::Shard;
use std::collections::HashMap;

/// Rows read per query.
const PAGE: i64 = 20_000;

/// The separator that ends a root (absolute paths on Windows use `\`).
const SEP: char = std::path::MAIN_SEPARATOR;

/// The byte after [`SEP`]: paths below `root/` sort before `root0`.
const AFTER_SEP: char = if SEP == '/' { '0' } else { ']' };

/// The roots of a run as stored paths begin: absolute, each ending with the
/// separator; a root inside another is left out (its files are the
/// other's).
pub fn root_prefixes(roots: &[String]) -> Vec<String> {
    let mut out: Vec<String> = roots
        .iter()
        .map(|r| {
            let mut a = super::absolute(r);
            if !a.ends_with(SEP) {
                a.push(SEP);
            }
            a
        })
        .collect();
    out.sort();
    out.dedup();
    let all = out.clone();
    out.retain(|r| !all.iter().any(|o| o != r && r.starts_with(o.as_str())));
    out
}

/// Whether the file at `path` (stored form) below `root` (without its
/// separator) is `shard`'s, as the walk decides it.
pub fn in_shard(shard: Option<Shard>, root: &str, path: &str) -> bool {
    let Some(shard) = shard else {
        return true;
    };
    let path = super::path_of(path);
    let root = super::path_of(root);
    shard.holds(path.strip_prefix(&root).unwrap_or(&path))
}

/// Calls `f` on each file of `source` under `roots` (from
/// [`root_prefixes`]) that `shard` holds and `cond` (SQL on `files`, its
/// parameters `?4`… in `extra`) accepts, with the columns `path, cols`.
#[allow(clippy::too_many_arguments)]
pub fn each_file(
    db: &dyn Backend,
    source: &str,
    roots: &[String],
    shard: Option<Shard>,
    cols: &str,
    cond: &str,
    extra: &[Value],
    f: &mut dyn FnMut(&str, &Row) -> Result<(), DbError>,
) -> Result<(), DbError> {
    let page = format!(
        "SELECT path, {cols} FROM files WHERE source = ?1 AND path > ?2 AND path < ?3 {cond}
         ORDER BY path LIMIT {PAGE}"
    );
    // `?3` as in the pages (a root sorts before its end), so `cond`'s
    // parameters keep their numbers.
    let single = format!(
        "SELECT path, {cols} FROM files WHERE source = ?1 AND path = ?2 AND path < ?3 {cond}"
    );
    for prefix in roots {
        let root = prefix.trim_end_matches(SEP);
        // The root itself, when it is a file.
        let end = format!("{root}{AFTER_SEP}");
        let mut p: Vec<Value> = params![source, root, end.as_str()].to_vec();
        p.extend_from_slice(extra);
        for r in db.rows(&single, &p)? {
            f(&r.text(0)?, &r)?;
        }
        let mut last = prefix.clone();
        loop {
            let mut p: Vec<Value> = params![source, last.as_str(), end.as_str()].to_vec();
            p.extend_from_slice(extra);
            let rows = db.rows(&page, &p)?;
            for r in &rows {
                let path = r.text(0)?;
                if in_shard(shard, root, &path) {
                    f(&path, r)?;
                }
            }
            match rows.last() {
                Some(r) if rows.len() as i64 == PAGE => last = r.text(0)?,
                _ => break,
            }
        }
    }
    Ok(())
}

/// What the last run knew of each present file of a run's part, by a
/// 128-bit hash of its path (a path is some 100 bytes; its hash 16).
#[derive(Debug, Default)]
pub struct Known(HashMap<u128, Prev>);

impl Known {
    pub fn insert(&mut self, path: &str, prev: Prev) {
        self.0
            .insert(xxhash_rust::xxh3::xxh3_128(path.as_bytes()), prev);
    }

    pub fn get(&self, path: &str) -> Option<&Prev> {
        self.0.get(&xxhash_rust::xxh3::xxh3_128(path.as_bytes()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn nested_roots_count_once() {
        let roots = root_prefixes(&[
            "/srv/a/sub".into(),
            "/srv/a".into(),
            "/srv/ab".into(),
            "/srv/a/".into(),
        ]);
        assert_eq!(roots, ["/srv/a/", "/srv/ab/"]);
    }
}
