//! Archives: zip, gzip, bzip2, xz, tar and compressed tars (7z and rar
//! are listed as not read, `unsupported archive`). Each file member is read (into
//! memory, or spilled to a temporary file, see below)
//! and handed to [`super::extract_member`], which picks its format by name and
//! content, so a spreadsheet in a zip is read as a spreadsheet and a zip in a
//! zip recurses (depth-limited there).
//!
//! Archives are hostile input (zip bombs, lying headers, quines), so every
//! member is read through `.take()` against three limits of [`super::Limits`],
//! checked on the declared size first and on the bytes actually produced:
//! its own size (`max_member_bytes`), its compression ratio (`max_ratio`,
//! for members above [`RATIO_FLOOR`]) and what the whole top-level archive
//! expanded to so far (`max_archive_bytes`, counted in [`Cx::expanded`]
//! across nested archives). A member beyond a limit, encrypted or corrupt is
//! reported as that member's error and the archive goes on. A member larger
//! than [`SPILL`] is spilled to an anonymous temporary file as it is
//! decompressed (an archive or text in it is then read from there): memory
//! stays bounded by the nesting depth times a few MB, whatever the members
//! expand to.
//!
//! A member with the same bytes as an archive enclosing it (a zip quine,
//! whose only member is itself, or an archive that holds its own copy
//! further down) is reported as such and not read: without this it would
//! be read again at each level until the depth limit. Enclosing archives
//! are recognised by their size and xxh3-128 ([`Enclosing`]).

use super::{
    extract_member, extract_spilled, ArchiveFormat, Cx, ExtractError, Limit, ReadSeek, UnitSink,
};
use flate2::read::MultiGzDecoder;
use std::cell::RefCell;
use std::io::{Cursor, Read, SeekFrom, Write};
use zip::result::ZipError;

/// Members smaller than this are never refused for their compression ratio
/// (a small CSV of repeated values compresses very well).
pub const RATIO_FLOOR: u64 = 1 << 20;

/// A top-level archive (a file on disk) is hashed, to recognise a member
/// with the same bytes, only up to this size: hashing reads it once more.
/// Nested archives, in memory, are always hashed. A larger self-containing
/// archive still stops at the depth limit.
pub const HASHED_TOP_LEVEL: u64 = 64 << 20;

thread_local! {
    /// The archives being read on this thread, outermost first.
    static ENCLOSING: RefCell<Vec<Enclosing>> = const { RefCell::new(Vec::new()) };
}

/// An archive being read: its size and, when it was hashed, its xxh3-128.
struct Enclosing {
    size: u64,
    hash: Option<u128>,
}

/// Removes the innermost [`Enclosing`] archive when its reading ends, panic
/// included (panics are caught at the file boundary and the thread goes on).
struct Entered;

impl Entered {
    fn push(entry: Enclosing) -> Entered {
        ENCLOSING.with_borrow_mut(|s| s.push(entry));
        Entered
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        ENCLOSING.with_borrow_mut(|s| {
            s.pop();
        });
    }
}

/// The xxh3-128 of a whole source, left at its start.
fn hash_source(source: &mut dyn ReadSeek) -> std::io::Result<u128> {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 64 << 10];
    source.seek(SeekFrom::Start(0))?;
    loop {
        match source.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    source.seek(SeekFrom::Start(0))?;
    Ok(h.digest128())
}

/// How many archives up the one with the same bytes as `data` is (1: the
/// archive holding it), if one is.
fn enclosing_copy(data: &[u8]) -> Option<usize> {
    enclosing_level(data.len() as u64, || {
        Some(xxhash_rust::xxh3::xxh3_128(data))
    })
}

/// [`enclosing_copy`] of bytes `len` long whose xxh3-128 `hash` gives
/// (asked only when an enclosing archive has that size).
fn enclosing_level(len: u64, hash: impl FnOnce() -> Option<u128>) -> Option<usize> {
    ENCLOSING.with_borrow(|stack| {
        if !stack.iter().any(|e| e.size == len && e.hash.is_some()) {
            return None;
        }
        let hash = hash()?;
        stack
            .iter()
            .rev()
            .position(|e| e.size == len && e.hash == Some(hash))
            .map(|i| i + 1)
    })
}

/// Hands a member's bytes to [`extract_member`] (or, spilled to a file, to
/// [`extract_spilled`]), unless they are those of an enclosing archive.
fn hand_on(name: &str, body: &mut Body, cx: &mut Cx<'_>, sink: &mut dyn UnitSink) {
    let level = match body {
        Body::Memory(data) => enclosing_copy(data),
        Body::File(file, len) => enclosing_level(*len, || hash_source(file).ok()),
    };
    match level {
        None => match body {
            Body::Memory(data) => extract_member(name, data, cx, sink),
            Body::File(file, _) => extract_spilled(name, file, cx, sink),
        },
        Some(levels) => refuse(name, Limit::SelfCopy { levels }.into(), sink),
    }
}

/// Extracts every file member of an archive (`kind` "zip", "gzip",
/// "bzip2", "xz" or "tar")
/// named `name` through [`super::extract_member`]; returns the size of the
/// archive, all of which was read.
pub fn extract(
    kind: ArchiveFormat,
    name: &str,
    source: &mut dyn ReadSeek,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<u64, ExtractError> {
    let size = source.seek(SeekFrom::End(0))?;
    source.seek(SeekFrom::Start(0))?;
    // No member can be larger than `max_member_bytes`: a larger archive is
    // never one of its members.
    let hashed = size <= cx.limits.max_member_bytes && (cx.depth > 0 || size <= HASHED_TOP_LEVEL);
    let hash = if hashed {
        Some(hash_source(source)?)
    } else {
        None
    };
    let _entered = Entered::push(Enclosing { size, hash });
    match kind {
        ArchiveFormat::Zip => zip(source, cx, sink)?,
        ArchiveFormat::Gzip | ArchiveFormat::Bzip2 | ArchiveFormat::Xz => {
            compressed(kind, name, source, size, cx, sink)?
        }
        // Listed as not read (not as binary): no decoder in this build.
        ArchiveFormat::SevenZip | ArchiveFormat::Rar => {
            return Err(ExtractError::Skipped {
                format: kind.name(),
                reason: "unsupported archive",
            })
        }
        ArchiveFormat::Tar => tar(tar::Archive::new(source).entries_with_seek(), cx, sink)?,
    }
    Ok(size)
}

/// Reports a member that is not read.
fn refuse(name: &str, error: ExtractError, sink: &mut dyn UnitSink) {
    sink.enter(name);
    sink.leave(&Err(error));
}

fn zip(
    source: &mut dyn ReadSeek,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let mut archive = zip::ZipArchive::new(source).map_err(|e| corrupt("zip", &e))?;
    // Byte ranges of the members read so far (start → end), and how many
    // members were refused for overlapping one of them.
    let mut ranges = std::collections::BTreeMap::new();
    let mut overlapping = 0u64;
    for i in 0..archive.len() {
        if cx.deadline.is_over() {
            break; // reported where the time ran out
        }
        let name = archive
            .name_for_index(i)
            .and_then(Result::ok)
            .map(std::borrow::Cow::into_owned)
            .unwrap_or_default();
        let refused = match archive.by_index(i) {
            Ok(file) if !file.is_file() => continue,
            Ok(mut file) => {
                let (size, packed) = (file.size(), file.compressed_size());
                // An overlapping zip bomb: many entries of the central
                // directory share one compressed kernel. A real archive's
                // members never overlap.
                let start = file.header_start();
                let end = file
                    .data_start()
                    .unwrap_or(start)
                    .saturating_add(packed)
                    .max(start + 1);
                if overlaps(&ranges, start, end) {
                    overlapping += 1;
                    continue;
                }
                ranges.insert(start, end);
                member("zip", &name, &mut file, size, Some(packed), cx, sink);
                continue;
            }
            Err(ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED)) => {
                ExtractError::Encrypted("zip")
            }
            Err(ZipError::UnsupportedArchive(what)) => ExtractError::Unsupported(what),
            Err(e) => corrupt("zip", &e),
        };
        refuse(&name, refused, sink);
    }
    if overlapping > 0 {
        sink.not_covered(&format!(
            "{overlapping} members share their data with another member (an overlapping zip bomb?): not read"
        ));
    }
    Ok(())
}

/// Whether `start..end` overlaps one of the `ranges` (start → end, disjoint).
fn overlaps(ranges: &std::collections::BTreeMap<u64, u64>, start: u64, end: u64) -> bool {
    let before = ranges.range(..=start).next_back();
    let after = ranges.range(start..).next();
    before.is_some_and(|(_, &e)| e > start) || after.is_some_and(|(&s, _)| s < end)
}

/// A compressed file (`kind` gzip, bzip2 or xz): one member named after the
/// file (`x.csv.gz` → `x.csv`) or the gzip header, or the members of the tar
/// it holds (`.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz`).
fn compressed(
    kind: ArchiveFormat,
    name: &str,
    source: &mut dyn ReadSeek,
    size: u64,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    let gz_name = |d: &MultiGzDecoder<&mut dyn ReadSeek>| {
        d.header()
            .and_then(|h| h.filename())
            .map(|n| String::from_utf8_lossy(n).into_owned())
    };
    match kind {
        ArchiveFormat::Gzip => decompress(
            kind,
            name,
            MultiGzDecoder::new(source),
            gz_name,
            size,
            cx,
            sink,
        ),
        ArchiveFormat::Bzip2 => {
            let d = bzip2::read::MultiBzDecoder::new(source);
            decompress(kind, name, d, |_| None, size, cx, sink)
        }
        _ => {
            // The dictionary size the stream declares is not trusted: xz -9 needs
            // 65 MiB to decode.
            let d = lzma_rust2::XzReader::new_mem_limit(source, true, 96 << 10);
            decompress(kind, name, d, |_| None, size, cx, sink)
        }
    }
}

/// [`compressed`], with its `decoder` (`header_name`: the member's name
/// the stream gives, once its start is read).
fn decompress<R: Read>(
    kind: ArchiveFormat,
    name: &str,
    decoder: R,
    header_name: impl Fn(&R) -> Option<String>,
    size: u64,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    // The whole stream, members skipped included, is bounded: a bomb stops
    // at its ratio or at the archive's expansion budget.
    let budget = budget(cx, false, Some(size));
    let mut stream = Capped {
        inner: decoder,
        left: budget.0,
        reason: budget.1,
    };
    let mut head = Vec::with_capacity(512);
    (&mut stream)
        .take(512)
        .read_to_end(&mut head)
        .map_err(|e| stream_error(kind.name(), e))?;
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    let stem = [".gz", ".bz2", ".xz"]
        .iter()
        .find_map(|ext| lower.strip_suffix(ext))
        .filter(|s| !s.is_empty());
    let inner = if let Some(stem) = stem {
        base[..stem.len()].to_string()
    } else if let Some(t) = [".tgz", ".tbz2", ".tbz", ".txz"]
        .iter()
        .find_map(|ext| lower.strip_suffix(ext))
    {
        format!("{}.tar", &base[..t.len()])
    } else if let Some(n) = header_name(&stream.inner) {
        n
    } else {
        format!("{base} (decompressed)")
    };
    let is_tar =
        head.get(257..262) == Some(b"ustar") || inner.to_ascii_lowercase().ends_with(".tar");
    let mut rest = Cursor::new(head).chain(stream);
    if is_tar {
        return tar(tar::Archive::new(rest).entries(), cx, sink);
    }
    let mut body = Body::default();
    match read_member(kind.name(), &mut rest, 0, None, cx, &mut body) {
        Ok(()) => hand_on(&inner, &mut body, cx, sink),
        // A truncated or damaged stream: what came before the damage is
        // read, and the file reported as corrupt.
        Err(e @ ExtractError::Corrupt { .. }) if !body.is_empty() => {
            hand_on(&inner, &mut body, cx, sink);
            return Err(e);
        }
        Err(e) => refuse(&inner, e, sink),
    }
    Ok(())
}

/// The file members of a tar, plain (seekable: skipped members are not read)
/// or decompressed from a gzip stream.
fn tar<R: Read>(
    entries: std::io::Result<tar::Entries<'_, R>>,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<(), ExtractError> {
    for entry in entries.map_err(|e| stream_error("tar", e))? {
        if cx.deadline.is_over() {
            break; // reported where the time ran out
        }
        let mut entry = entry.map_err(|e| match stream_error("tar", e) {
            // A gzip stream over its budget while skipping a member.
            ExtractError::Limit(why) => Limit::RestOfArchive(Box::new(why)).into(),
            other => other,
        })?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let size = entry.size();
        member("tar", &name, &mut entry, size, None, cx, sink);
    }
    Ok(())
}

/// How many uncompressed bytes may be read now, and what to say when that is
/// exceeded: the smallest of the member limit (for one `member`), the ratio
/// limit (when the compressed size is known) and what is left of the
/// archive's budget.
pub(super) fn budget(cx: &Cx<'_>, member: bool, packed: Option<u64>) -> (u64, Limit) {
    let l = cx.limits;
    let member = member.then(|| {
        let mib = l.max_member_bytes >> 20;
        (l.max_member_bytes, Limit::MemberSize { mib })
    });
    let ratio = packed.map(|p| {
        let by_ratio = p.saturating_mul(l.max_ratio).max(RATIO_FLOOR);
        (by_ratio, Limit::Ratio { ratio: l.max_ratio })
    });
    let left = l.max_archive_bytes.saturating_sub(cx.expanded);
    let whole = (
        left,
        Limit::Expanded {
            mib: l.max_archive_bytes >> 20,
        },
    );
    // The smallest cap decides; on a tie, the member's, then the ratio's.
    [ratio, member]
        .into_iter()
        .flatten()
        .fold(whole, |cap, c| if c.0 <= cap.0 { c } else { cap })
}

/// A member held in memory up to this size; a larger one is spilled to an
/// anonymous temporary file as it is decompressed, so that nested archives
/// hold at most this much a level, not each level's expanded size.
pub const SPILL: u64 = 4 << 20;

/// A member's bytes: in memory, or spilled to a temporary file (deleted
/// when closed) of the given length.
enum Body {
    Memory(Vec<u8>),
    File(std::fs::File, u64),
}

impl Default for Body {
    fn default() -> Self {
        Body::Memory(Vec::new())
    }
}

impl Body {
    fn is_empty(&self) -> bool {
        match self {
            Body::Memory(d) => d.is_empty(),
            Body::File(_, len) => *len == 0,
        }
    }
}

/// Reads one member of a `format` archive whose header declares `declared`
/// bytes (0: unknown), `packed` of them compressed, within [`budget`], into
/// `body` (spilled to a temporary file past [`SPILL`] bytes); counts it in
/// [`Cx::expanded`]. On a read error `body` holds what came before it.
fn read_member(
    format: &'static str,
    reader: &mut dyn Read,
    declared: u64,
    packed: Option<u64>,
    cx: &mut Cx<'_>,
    body: &mut Body,
) -> Result<(), ExtractError> {
    let (cap, reason) = budget(cx, true, packed);
    if declared > cap {
        return Err(reason.into());
    }
    // Never trust the declared size: grow as bytes actually come.
    let mut data = Vec::new();
    let mut limited = reader.take(cap.saturating_add(1));
    let read = (&mut limited).take(SPILL + 1).read_to_end(&mut data);
    let mut total = data.len() as u64;
    let spilled = if read.is_ok() && total > SPILL {
        // Without a temporary file (none can be made), it stays in memory.
        tempfile::tempfile().ok()
    } else {
        None
    };
    let read = match spilled {
        Some(mut file) => {
            let copied = file
                .write_all(&data)
                .and_then(|()| std::io::copy(&mut limited, &mut file));
            *body = Body::File(file, total);
            drop(data);
            match copied {
                Ok(n) => {
                    total += n;
                    if let Body::File(_, len) = body {
                        *len = total;
                    }
                    Ok(())
                }
                Err(e) => Err(e),
            }
        }
        None => {
            let r = read.and_then(|_| limited.read_to_end(&mut data).map(|_| ()));
            total = data.len() as u64;
            *body = Body::Memory(data);
            r
        }
    };
    cx.expanded = cx.expanded.saturating_add(total);
    read.map_err(|e| stream_error(format, e))?;
    if total > cap {
        return Err(reason.into());
    }
    Ok(())
}

/// Reads one member with [`read_member`] and hands it on, or reports it.
fn member(
    format: &'static str,
    name: &str,
    reader: &mut dyn Read,
    declared: u64,
    packed: Option<u64>,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) {
    let mut body = Body::default();
    match read_member(format, reader, declared, packed, cx, &mut body) {
        Ok(()) => hand_on(name, &mut body, cx, sink),
        Err(e) => refuse(name, e, sink),
    }
}

/// A decompressed stream that fails once it has given `left` bytes.
struct Capped<R> {
    inner: R,
    left: u64,
    reason: Limit,
}

/// The error [`Capped`] fails with.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct OverBudget(Limit);

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = buf.len().min(
            usize::try_from(self.left)
                .unwrap_or(usize::MAX)
                .saturating_add(1),
        );
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            return Err(std::io::Error::other(OverBudget(self.reason.clone())));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// An I/O error while decompressing: a [`Capped`] limit, or damaged data.
fn stream_error(format: &'static str, e: std::io::Error) -> ExtractError {
    if let Some(over) = e.get_ref().and_then(|i| i.downcast_ref::<OverBudget>()) {
        return over.0.clone().into();
    }
    match e.kind() {
        std::io::ErrorKind::InvalidData
        | std::io::ErrorKind::InvalidInput
        | std::io::ErrorKind::UnexpectedEof
        | std::io::ErrorKind::Other => corrupt(format, &e),
        _ => ExtractError::Io(e),
    }
}

fn corrupt(format: &'static str, e: &dyn std::fmt::Display) -> ExtractError {
    ExtractError::Corrupt {
        format,
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_of_an_enclosing_archive_is_found_at_its_level() {
        let outer = b"outer archive bytes".to_vec();
        let inner = b"inner archive".to_vec();
        let enter = |data: &[u8]| {
            Entered::push(Enclosing {
                size: data.len() as u64,
                hash: Some(xxhash_rust::xxh3::xxh3_128(data)),
            })
        };
        {
            let _outer = enter(&outer);
            let _unhashed = Entered::push(Enclosing {
                size: 5,
                hash: None,
            });
            let _inner = enter(&inner);
            assert_eq!(enclosing_copy(&inner), Some(1));
            assert_eq!(enclosing_copy(&outer), Some(3));
            assert_eq!(enclosing_copy(b"other"), None);
            // Same size, other bytes.
            assert_eq!(enclosing_copy(b"inner_archive"), None);
        }
        // Left when their reading ended.
        assert_eq!(enclosing_copy(&inner), None);
        assert!(ENCLOSING.with_borrow(Vec::is_empty));
    }
}
