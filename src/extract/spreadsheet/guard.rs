//! Checks done before calamine reads an OLE (`xls`) file: its reader trusts
//! the file's sector chains and sizes, and makes a dense grid of each `xls`
//! sheet, so a few damaged bytes could make it loop, copy gigabytes, or
//! allocate rows × columns cells for a sheet with a stray cell at `XFD65536`.

pub(super) const END: u32 = 0xFFFF_FFFE;

pub(super) fn u16_at(b: &[u8], i: usize) -> Option<u32> {
    b.get(i..i + 2)
        .map(|b| u32::from(b[0]) | u32::from(b[1]) << 8)
}

pub(super) fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u16_at(b, i)? | u16_at(b, i + 2)? << 16)
}

pub(super) fn words(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4).filter_map(|w| u32_at(w, 0))
}

/// An OLE compound file whose chains were checked.
pub(super) struct Ole<'a> {
    data: &'a [u8],
    size: usize,
    fat: Vec<u32>,
}

impl<'a> Ole<'a> {
    fn sector(&self, id: u32) -> Option<&'a [u8]> {
        let start = (id as usize + 1).checked_mul(self.size)?;
        self.data.get(start..self.data.len().min(start + self.size))
    }

    /// The sector ids of a chain, an error when it loops.
    fn chain(&self, table: &[u32], mut id: u32) -> Result<Vec<u32>, &'static str> {
        let mut ids = Vec::new();
        while id != END {
            if ids.len() > table.len() {
                return Err("cycle in an OLE sector chain");
            }
            ids.push(id);
            match table.get(id as usize) {
                Some(&next) => id = next,
                None => break,
            }
        }
        Ok(ids)
    }

    fn bytes(&self, ids: &[u32]) -> Vec<u8> {
        ids.iter()
            .filter_map(|&id| self.sector(id))
            .flatten()
            .copied()
            .collect()
    }
}

/// Reads the allocation tables and checks that the chains calamine
/// follows end, and that no stream is declared larger than the file.
pub(super) fn open(data: &[u8]) -> Result<(Ole<'_>, Vec<[u8; 128]>), &'static str> {
    let size: usize = match data.get(30) {
        Some(9) => 512,
        Some(12) => 4096,
        _ => return Err("not an OLE file"),
    };
    let header = |i| u32_at(data, i).ok_or("truncated OLE header");
    let max_steps = data.len() / size + 1;
    // calamine reserves 4 bytes per unit of a count it reads at offset
    // 62, across two header fields (its own bug): normal files give at
    // most a few million, damaged ones up to 4 Gi, i.e. a 16 GiB
    // allocation that aborts the process where memory is short.
    if header(62)? > 1 << 28 {
        return Err("implausible OLE header");
    }
    // It also reserves 4 bytes per FAT sector the header claims (offset
    // 44): there cannot be more of those than sectors in the file.
    if header(44)? as usize > data.len() / size + 1 {
        return Err("implausible OLE header");
    }
    let mut ole = Ole {
        data,
        size,
        fat: Vec::new(),
    };
    // Master allocation table: 109 entries in the header, then a chain
    // whose sectors end with the next one's id.
    let mut difat: Vec<u32> = words(data.get(76..512).unwrap_or_default()).collect();
    let mut id = header(68)?;
    let mut steps = 0;
    while id < 0xFFFF_FFFA {
        steps += 1;
        if steps > max_steps {
            return Err("cycle in the OLE allocation table chain");
        }
        let Some(s) = ole.sector(id) else { break };
        difat.extend(words(s));
        id = difat.pop().unwrap_or(END);
    }
    ole.fat = difat
        .iter()
        .filter(|&&id| id < 0xFFFF_FFFC)
        .filter_map(|&id| ole.sector(id))
        .flat_map(words)
        .collect();
    let mut entries = Vec::new();
    for id in ole.chain(&ole.fat, header(48)?)? {
        for e in ole.sector(id).unwrap_or_default().chunks_exact(128) {
            let mut entry = [0u8; 128];
            entry.copy_from_slice(e);
            let len = u64::from(u32_at(e, 120).unwrap_or(0))
                | if size == 512 {
                    0
                } else {
                    u64::from(u32_at(e, 124).unwrap_or(0)) << 32
                };
            if len > data.len() as u64 {
                return Err("an OLE stream is declared larger than the file");
            }
            entries.push(entry);
        }
    }
    if let Some(root) = entries.first() {
        ole.chain(&ole.fat, u32_at(root, 116).unwrap_or(END))?; // the mini stream
    }
    if header(64)? > 0 {
        ole.chain(&ole.fat, header(60)?)?; // its allocation table
    }
    Ok((ole, entries))
}

/// Checks an OLE file before calamine opens it.
pub(super) fn ole(data: &[u8]) -> Result<(), &'static str> {
    open(data).map(|_| ())
}

/// The named stream of an OLE file (from the mini stream when small).
pub(super) fn stream(data: &[u8], names: &[&str]) -> Result<Option<Vec<u8>>, &'static str> {
    let (ole, entries) = open(data)?;
    let name_of = |e: &[u8; 128]| {
        let n = (u16_at(e, 64).unwrap_or(0) as usize).clamp(2, 64) / 2 - 1;
        let units: Vec<u16> = (0..n)
            .filter_map(|i| u16_at(e, i * 2).map(|u| u as u16))
            .collect();
        String::from_utf16_lossy(&units)
    };
    let Some(e) = entries
        .iter()
        .find(|e| names.contains(&name_of(e).as_str()))
    else {
        return Ok(None);
    };
    let (start, len) = (
        u32_at(e, 116).unwrap_or(END),
        u32_at(e, 120).unwrap_or(0) as usize,
    );
    let mut bytes = if len >= 4096 {
        ole.bytes(&ole.chain(&ole.fat, start)?)
    } else {
        let root = entries.first().ok_or("no OLE root entry")?;
        let mini = ole.bytes(&ole.chain(&ole.fat, u32_at(root, 116).unwrap_or(END))?);
        let header = |i| u32_at(data, i).unwrap_or(END);
        let minifat: Vec<u32> = words(&ole.bytes(&ole.chain(&ole.fat, header(60))?)).collect();
        ole.chain(&minifat, start)?
            .iter()
            .filter_map(|&id| mini.get(id as usize * 64..(id as usize * 64 + 64).min(mini.len())))
            .flatten()
            .copied()
            .collect()
    };
    bytes.truncate(len);
    Ok(Some(bytes))
}

/// Decompressed bytes of a workbook part a guard reads, at most: the
/// start of the shared strings table, or a whole `content.xml`.
pub(super) const GUARD_READ: u64 = 64 << 20;

/// The members whose path (case and `\\` ignored, as calamine finds
/// them) ends with `/suffix` or is `suffix`: with duplicate names
/// calamine takes one of them, and an xlsx may put its workbook's parts
/// in any folder (`_rels/.rels` says which), so each is checked.
pub(super) fn parts(zip: &zip::ZipArchive<std::io::Cursor<&[u8]>>, suffix: &str) -> Vec<String> {
    let suffix = suffix.to_ascii_lowercase();
    // A name that is not text makes calamine fail to open the file.
    zip.file_names()
        .filter_map(Result::ok)
        .filter(|n| {
            let n = n.replace('\\', "/").to_ascii_lowercase();
            n == suffix || n.ends_with(&format!("/{suffix}"))
        })
        .map(std::borrow::Cow::into_owned)
        .collect()
}

/// An XML reader over a part, configured as calamine configures its own
/// (so that both see the same elements), at most [`GUARD_READ`] bytes.
pub(super) fn xml_reader<R: std::io::Read>(
    part: R,
) -> quick_xml::Reader<std::io::BufReader<std::io::Take<R>>> {
    let mut r = quick_xml::Reader::from_reader(std::io::BufReader::new(part.take(GUARD_READ)));
    let config = r.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    r
}

/// The number an attribute value gives, read leniently (spaces, a
/// sign, leading zeros: whatever a number parser might accept), or
/// `None` without digits; saturating.
pub(super) fn lenient_number(value: &[u8]) -> Option<u64> {
    let digits = value
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || **b == b'+')
        .take_while(|b| b.is_ascii_digit());
    let mut n: Option<u64> = None;
    for d in digits {
        n = Some(
            n.unwrap_or(0)
                .saturating_mul(10)
                .saturating_add(u64::from(d - b'0')),
        );
    }
    n
}

/// Checks the count of strings an `xlsx` declares in its shared strings
/// table, for which calamine reserves memory before reading them: each
/// takes at least 4 bytes of the table (`<si/>`), and the table cannot
/// inflate more than 16 times the whole file's size in strings. The
/// table's start is parsed as calamine parses it (an XML parser: spaces
/// around `=`, either quote, comments before the element), not matched
/// as bytes; every `sst` attribute named `uniqueCount` counts.
pub(super) fn shared_strings(data: &[u8]) -> Result<(), &'static str> {
    use quick_xml::events::Event;
    const LYING: &str = "the shared strings table declares more strings than it holds";
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(data)) else {
        return Ok(()); // calamine reports it
    };
    for name in parts(&zip, "sharedStrings.xml") {
        let Ok(file) = zip.by_name(&name) else {
            continue;
        };
        // calamine reserves 24 bytes a string: at most 768 MiB.
        let max = (file.size() / 4).min(16 * data.len() as u64).min(1 << 25);
        let mut xml = xml_reader(file);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) if e.local_name().as_ref() == b"sst" => {
                    for a in e.attributes().with_checks(false).flatten() {
                        if a.key.local_name().as_ref() == b"uniqueCount"
                            && lenient_number(&a.value).is_some_and(|n| n > max)
                        {
                            return Err(LYING);
                        }
                    }
                    break;
                }
                // calamine stops there too (and reports a damaged one).
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            if xml.buffer_position() >= GUARD_READ {
                return Err("the shared strings table does not start within 64 MiB");
            }
        }
    }
    Ok(())
}

/// Checks each sheet of an `ods` workbook before calamine makes a
/// dense grid of it: repeated rows and columns
/// (`number-rows-repeated` × `number-columns-repeated`) are counted as
/// calamine expands them, and a sheet whose grid (the box of its cells
/// with a value, or the cells the repeats make) exceeds
/// [`SPARSE_CELLS`] must be at least 1/64 written out in the file. An
/// 824-byte file would otherwise make 10 million cells (1.3 GB).
pub(super) fn ods(data: &[u8]) -> Result<(), &'static str> {
    use quick_xml::events::Event;
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(data)) else {
        return Ok(()); // calamine reports it
    };
    for name in parts(&zip, "content.xml")
        .into_iter()
        .filter(|n| !n.contains(['/', '\\']))
    {
        let Ok(file) = zip.by_name(&name) else {
            continue;
        };
        let mut xml = xml_reader(file);
        let mut buf = Vec::new();
        let mut sheet = OdsSheet::default();
        loop {
            buf.clear();
            let (start, e) = match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) => (true, e.into_owned()),
                Ok(Event::End(e)) => {
                    match e.local_name().as_ref() {
                        b"table" => std::mem::take(&mut sheet).check()?,
                        b"table-row" => sheet.end_row(),
                        _ => {}
                    }
                    continue;
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => continue,
            };
            debug_assert!(start);
            let repeat = |attr: &[u8]| {
                e.attributes()
                    .with_checks(false)
                    .flatten()
                    .filter(|a| a.key.local_name().as_ref() == attr)
                    .filter_map(|a| lenient_number(&a.value))
                    .max()
                    .unwrap_or(1)
                    .max(1)
            };
            match e.local_name().as_ref() {
                b"table" => sheet = OdsSheet::default(),
                b"table-row" => sheet.start_row(repeat(b"number-rows-repeated")),
                b"table-cell" | b"covered-table-cell" => {
                    let valued = e
                        .attributes()
                        .with_checks(false)
                        .flatten()
                        .any(|a| a.key.local_name().as_ref() == b"value-type");
                    sheet.cell(repeat(b"number-columns-repeated"), valued);
                }
                _ => {}
            }
        }
        sheet.check()?;
    }
    Ok(())
}

/// Rows of an `ods` sheet, at most (calamine's cap).
pub(super) const ODS_ROWS: u64 = 1 << 20;
/// Columns of an `ods` row, at most (calamine's cap).
pub(super) const ODS_COLUMNS: u64 = 1 << 14;

/// What [`ods`] counts of one sheet.
#[derive(Default)]
pub(super) struct OdsSheet {
    /// The current row (0-based, repeats counted) and its repeat.
    row: u64,
    row_repeat: u64,
    /// The next cell's column in the current row.
    col: u64,
    /// The box of the cells with a value: rows and columns, min and max.
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
    /// Cells with a value, as expanded.
    expanded: u64,
    /// Cell elements written in the file.
    written: u64,
}

impl OdsSheet {
    fn start_row(&mut self, repeat: u64) {
        self.row_repeat = repeat.min(ODS_ROWS);
        self.col = 0;
    }

    fn end_row(&mut self) {
        self.row = (self.row + self.row_repeat.max(1)).min(ODS_ROWS);
        self.row_repeat = 0;
    }

    fn cell(&mut self, repeat: u64, valued: bool) {
        self.written += 1;
        let repeat = repeat.min(ODS_COLUMNS.saturating_sub(self.col));
        if valued && repeat > 0 {
            let last_row = (self.row + self.row_repeat.max(1) - 1).min(ODS_ROWS - 1);
            let last_col = self.col + repeat - 1;
            let widen = |b: Option<(u64, u64)>, lo: u64, hi: u64| {
                Some(b.map_or((lo, hi), |(a, z)| (a.min(lo), z.max(hi))))
            };
            self.rows = widen(self.rows, self.row, last_row);
            self.cols = widen(self.cols, self.col, last_col);
            self.expanded = self
                .expanded
                .saturating_add(repeat.saturating_mul(self.row_repeat.max(1)));
        }
        self.col = (self.col + repeat).min(ODS_COLUMNS);
    }

    fn check(self) -> Result<(), &'static str> {
        let area = match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1) * (c1 - c0 + 1),
            _ => 0,
        };
        let dense = area.max(self.expanded);
        if dense > SPARSE_CELLS && dense > 64 * self.written {
            return Err("repeated rows and columns expand a sheet to too many cells");
        }
        Ok(())
    }
}

/// Dense cells a sheet may make, at most, when it is not mostly full.
pub(super) const SPARSE_CELLS: u64 = 4 << 20;

/// What [`biff`] says of an encrypted workbook (its sizes cannot be checked,
/// and nothing can be read without the password).
pub(super) const ENCRYPTED: &str = "encrypted";

/// Checks the sheets of an `xls` workbook before calamine makes a dense
/// grid of each: a sheet's extent (from its DIMENSIONS record, for which
/// calamine reserves memory, and from its cells) must stay within what
/// a BIFF8 sheet holds (65536 × 256), and a sheet more than 4 Mi cells
/// large must be at least 1/64 full. Returns whether the workbook is BIFF8
/// (its first BOF says version 0x0600).
pub(super) fn biff(data: &[u8]) -> Result<bool, &'static str> {
    const TOO_LARGE: &str = "a sheet is larger than a workbook can hold";
    let Some(s) = stream(data, &["Workbook", "Book"])? else {
        return Ok(false); // calamine reports it
    };
    let biff8 = u16_at(&s, 0) == Some(0x0809) && u16_at(&s, 4) == Some(0x0600);
    let mut i = 0;
    // (first row, last row, first col, last col, cells) of the sheet.
    let mut extent: Option<(u32, u32, u32, u32, u64)> = None;
    while let (Some(typ), Some(len)) = (u16_at(&s, i), u16_at(&s, i + 2)) {
        let r = s.get(i + 4..i + 4 + len as usize).unwrap_or_default();
        i += 4 + len as usize;
        let cells = match typ {
            // FILEPASS: the records after it are encrypted.
            0x002F => return Err(ENCRYPTED),
            0x0809 => {
                extent = None;
                continue;
            }
            0x000A => {
                sparse(extent.take())?;
                continue;
            }
            0x0200 => {
                if dimensions(r).is_some_and(|n| n > 65_536 * 256) {
                    return Err(TOO_LARGE);
                }
                continue;
            }
            // Number, Label, BoolErr, Rk, LabelSst, Formula: one cell.
            0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x0006 => u16_at(r, 2).map(|c| (c, c)),
            // MulRk: columns first..last.
            0x00BD => u16_at(r, 2).zip(len.checked_sub(2).and_then(|l| u16_at(r, l as usize))),
            _ => None,
        };
        let (Some(row), Some((c0, c1))) = (u16_at(r, 0), cells) else {
            continue;
        };
        if c0 > 0xFF || c1 > 0xFF {
            return Err(TOO_LARGE);
        }
        let n = u64::from(c1.saturating_sub(c0) + 1);
        extent = Some(match extent {
            None => (row, row, c0, c1, n),
            Some((r0, r1, a, b, k)) => (r0.min(row), r1.max(row), a.min(c0), b.max(c1), k + n),
        });
    }
    sparse(extent).map(|()| biff8)
}

/// A sheet more than [`SPARSE_CELLS`] large must be 1/64 full.
pub(super) fn sparse(extent: Option<(u32, u32, u32, u32, u64)>) -> Result<(), &'static str> {
    let Some((r0, r1, c0, c1, n)) = extent else {
        return Ok(());
    };
    let area = u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
    if area > SPARSE_CELLS && area > 64 * n {
        return Err("a sheet is too sparse to be read safely");
    }
    Ok(())
}

/// The cells a DIMENSIONS record declares, computed as calamine does.
pub(super) fn dimensions(r: &[u8]) -> Option<u64> {
    let (rf, rl, cf, cl) = match r.len() {
        10 => (u16_at(r, 0)?, u16_at(r, 2)?, u16_at(r, 4)?, u16_at(r, 6)?),
        14 => (u32_at(r, 0)?, u32_at(r, 4)?, u16_at(r, 8)?, u16_at(r, 10)?),
        _ => return None,
    };
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    if rl == 0 || cl == 0 {
        return None;
    }
    let rows = (rl - 1).wrapping_sub(rf).wrapping_add(1);
    let cols = (cl - 1).wrapping_sub(cf).wrapping_add(1);
    Some(u64::from(rows) * u64::from(cols))
}
