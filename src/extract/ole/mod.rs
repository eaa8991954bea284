//! OLE2 compound files (Microsoft's Compound File Binary format): Word 97–2003
//! documents, PowerPoint 97–2003 presentations, Excel 97–2003 workbooks,
//! Outlook messages, and encrypted OOXML packages, which all start with the
//! same eight bytes. What a file is comes from its streams, never from its
//! name: `WordDocument` is a Word document, `PowerPoint Document` a
//! presentation, `Workbook` or `Book` a workbook (read by calamine, as
//! `.xls`), `__properties_version1.0` a message, and `EncryptedPackage` an
//! encrypted `.docx`/`.xlsx`/`.pptx`.
//!
//! The compound file is opened with the `cfb` crate over the bytes in memory
//! (at most [`super::Limits::max_document_bytes`]); every stream is read
//! through [`stream`], which never reads more than the stream's declared
//! length nor more than the file holds, so no allocation is sized by a number
//! in the file. The format readers ([`doc`], [`ppt`], [`msg`]) bound every
//! offset and count they take from the file with checked arithmetic and
//! `get`, and look at the time budget in their loops. These formats are read
//! in the supervised reader process (`supervise`).
//!
//! Encryption is reported, not guessed at: an encrypted file or member gives
//! a `skipped` record with the reason `encrypted` ([`encrypted`]), and is
//! counted as not covered — unless it is a workbook or an OOXML package
//! that Excel's default password opens (`decrypt`): that one is read.

pub mod doc;
mod lzfu;
pub mod msg;
pub(crate) mod paragraphs;
pub mod ppt;

use super::{Cx, ExtractError, Format, LegacyFormat, SheetFormat, UnitSink};
use std::io::{Cursor, Read};

/// An open compound file over bytes in memory.
pub(crate) type Ole<'a> = cfb::CompoundFile<Cursor<&'a [u8]>>;

/// The eight bytes every compound file starts with.
pub const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What a compound file holds, from its streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Word 97–2003 (and 6/95): a `WordDocument` stream.
    Doc,
    /// PowerPoint 97–2003: a `PowerPoint Document` stream.
    Ppt,
    /// Excel 5–2003: a `Workbook` or `Book` stream.
    Xls,
    /// Outlook item: a `__properties_version1.0` stream.
    Msg,
    /// An encrypted OOXML package: `EncryptedPackage` and `EncryptionInfo`.
    EncryptedPackage,
    /// None of these (a Visio drawing, a Works file, a thumbnail cache…).
    Other,
}

/// Opens the compound file in `data`.
pub(crate) fn open(data: &[u8]) -> Result<Ole<'_>, ExtractError> {
    cfb::CompoundFile::open(Cursor::new(data)).map_err(|e| corrupt("ole", &e))
}

/// A damaged file's error; `cfb`'s messages name sectors and streams, never
/// the file's text.
pub(crate) fn corrupt(format: &'static str, e: &dyn std::fmt::Display) -> ExtractError {
    ExtractError::Corrupt {
        format,
        message: e.to_string(),
    }
}

/// What the compound file holds, by the streams in its root storage (names
/// compared ignoring case, as the format does).
pub fn kind(ole: &Ole<'_>) -> Kind {
    let names: Vec<String> = ole
        .read_root_storage()
        .map(|e| e.name().to_ascii_lowercase())
        .collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("encryptedpackage") || (has("encryptioninfo") && !has("worddocument")) {
        Kind::EncryptedPackage
    } else if has("worddocument") {
        Kind::Doc
    } else if has("powerpoint document") {
        Kind::Ppt
    } else if has("workbook") || has("book") {
        Kind::Xls
    } else if has("__properties_version1.0") {
        Kind::Msg
    } else {
        Kind::Other
    }
}

/// The file's or member's error for an encrypted document of `format`: a
/// `skipped` record with the reason `encrypted`.
pub fn encrypted(format: &'static str) -> ExtractError {
    ExtractError::Skipped {
        format,
        reason: "encrypted",
    }
}

/// Reads the compound file in `data` as what its streams say it is; `ext`
/// is the name's extension (lower case), which only names an encrypted
/// OOXML package (`docx`, `xlsx`…). Returns the format it was read as.
pub fn extract(
    data: &[u8],
    ext: &str,
    cx: &mut Cx<'_>,
    sink: &mut dyn UnitSink,
) -> Result<Format, ExtractError> {
    let xls = Format::Spreadsheet(SheetFormat::Xls);
    let padded;
    let opened = match open(data) {
        Err(e) => match short_fat(data) {
            Some(p) => {
                padded = p;
                open(&padded)
            }
            None => Err(e),
        },
        ok => ok,
    };
    let mut ole = match opened {
        Ok(ole) => ole,
        // A damaged workbook: calamine's reader, behind its guard, may
        // still read some of it, as it did before OLE files were sniffed.
        Err(_) if matches!(ext, "xls" | "xlt" | "xla" | "xlw") => {
            super::spreadsheet::extract(SheetFormat::Xls, data, cx, sink)?;
            return Ok(xls);
        }
        Err(e) => return Err(e),
    };
    Ok(match kind(&ole) {
        Kind::Doc => {
            doc::extract(&mut ole, cx, sink)?;
            Format::Legacy(LegacyFormat::Doc)
        }
        Kind::Ppt => {
            ppt::extract(&mut ole, cx, sink)?;
            Format::Legacy(LegacyFormat::Ppt)
        }
        Kind::Msg => {
            msg::extract(&mut ole, cx, sink)?;
            Format::Legacy(LegacyFormat::Msg)
        }
        Kind::Xls => {
            if xls_encrypted(&mut ole, data.len())? {
                let clear = decrypted_xls(&mut ole, data.len())?.ok_or(encrypted("xls"))?;
                super::spreadsheet::extract(SheetFormat::Xls, &clear, cx, sink)?;
            } else {
                super::spreadsheet::extract(SheetFormat::Xls, data, cx, sink)?;
            }
            xls
        }
        Kind::EncryptedPackage => {
            let Some(zip) = decrypted_package(&mut ole, data.len())? else {
                return Err(encrypted(ooxml_name(ext)));
            };
            let name = format!("package.{ext}");
            let format = super::sniff(&name, &zip[..zip.len().min(super::SNIFF_LEN)]).format;
            if !matches!(format, Format::Spreadsheet(_) | Format::Office(_)) {
                return Err(encrypted(ooxml_name(ext)));
            }
            super::extract_document(format, &name, &zip, cx, sink)?
        }
        Kind::Other => return Err(ExtractError::Unsupported("ole")),
    })
}

/// The format name of an encrypted OOXML package named with `ext`.
fn ooxml_name(ext: &str) -> &'static str {
    match ext {
        "docx" | "docm" | "dotx" => "docx",
        "xlsx" | "xlsm" | "xlsb" => "xlsx",
        "pptx" | "pptm" => "pptx",
        _ => "ooxml",
    }
}

/// Sectors a file may lack after its end, at most: writers often cut a
/// file after its last used sector although its last FAT sector counts
/// more (`cfb` refuses such a file; Word and antiword read it).
const MAX_MISSING_SECTORS: usize = 1024;

/// `data` padded with zeros to the sectors its allocation table counts,
/// when a few are missing at its end.
fn short_fat(data: &[u8]) -> Option<Vec<u8>> {
    let sector = match u16_at(data, 30)? {
        9 => 512usize,
        12 => 4096,
        _ => return None,
    };
    let fat_sectors = u32_at(data, 44)? as usize;
    let sectors = fat_sectors.checked_mul(sector / 4)?;
    let needed = sectors.checked_add(1)?.checked_mul(sector)?;
    let present = data.len().div_ceil(sector) * sector;
    if needed <= present || needed - present > MAX_MISSING_SECTORS * sector {
        return None;
    }
    let mut padded = data.to_vec();
    padded.resize(needed, 0);
    Some(padded)
}

/// The bytes of the stream at `path`, at most `limit` (the file's size
/// bounds it anyway: a chain cannot hold more sectors than the file).
pub(crate) fn stream(
    ole: &mut Ole<'_>,
    path: &str,
    limit: usize,
    format: &'static str,
) -> Result<Vec<u8>, ExtractError> {
    let s = ole.open_stream(path).map_err(|e| corrupt(format, &e))?;
    let len = s.len().min(limit as u64);
    let mut out = Vec::with_capacity(len.min(1 << 20) as usize);
    s.take(len)
        .read_to_end(&mut out)
        .map_err(|e| corrupt(format, &e))?;
    Ok(out)
}

/// Whether a stream exists at `path`.
pub(crate) fn has_stream(ole: &Ole<'_>, path: &str) -> bool {
    ole.is_stream(path)
}

/// Whether a workbook's globals start with a `FilePass` record (BIFF8 RC4
/// or XOR encryption), which calamine would report as a password error.
fn xls_encrypted(ole: &mut Ole<'_>, size: usize) -> Result<bool, ExtractError> {
    let path = if has_stream(ole, "/Workbook") {
        "/Workbook"
    } else {
        "/Book"
    };
    // The globals' first records are enough: FilePass follows BOF.
    let head = stream(ole, path, size.min(64 << 10), "xls")?;
    let mut i = 0usize;
    for _ in 0..256 {
        let (Some(kind), Some(len)) = (u16_at(&head, i), u16_at(&head, i + 2)) else {
            break;
        };
        match kind {
            0x002F => return Ok(true),
            0x000A => break, // EOF of the globals
            _ => i += 4 + usize::from(len),
        }
    }
    Ok(false)
}

/// A workbook encrypted with the default password (`decrypt::biff`), as a
/// compound file holding its clear `Workbook` stream; `None` when that
/// password does not open it.
fn decrypted_xls(ole: &mut Ole<'_>, size: usize) -> Result<Option<Vec<u8>>, ExtractError> {
    let path = if has_stream(ole, "/Workbook") {
        "/Workbook"
    } else {
        "/Book"
    };
    let Some(clear) = super::decrypt::biff::workbook(&stream(ole, path, size, "xls")?) else {
        return Ok(None);
    };
    let write = || -> std::io::Result<Vec<u8>> {
        use std::io::Write;
        let mut out =
            cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
        out.create_stream("/Workbook")?.write_all(&clear)?;
        out.flush()?;
        Ok(out.into_inner().into_inner())
    };
    write().map(Some).map_err(|e| corrupt("xls", &e))
}

/// The zip of an OOXML package encrypted with the default password
/// (`decrypt::ooxml`); `None` when that password does not open it.
fn decrypted_package(ole: &mut Ole<'_>, size: usize) -> Result<Option<Vec<u8>>, ExtractError> {
    if !has_stream(ole, "/EncryptionInfo") || !has_stream(ole, "/EncryptedPackage") {
        return Ok(None);
    }
    let info = stream(ole, "/EncryptionInfo", size.min(1 << 20), "ooxml")?;
    let package = stream(ole, "/EncryptedPackage", size, "ooxml")?;
    Ok(super::decrypt::ooxml::package(&info, &package).filter(|z| z.starts_with(b"PK")))
}

/// Little-endian integers at an offset, `None` past the end.
pub(crate) fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    let s = b.get(i..i.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

pub(crate) fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    let s = b.get(i..i.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// UTF-16LE bytes as text (an odd last byte dropped).
pub(crate) fn utf16(b: &[u8]) -> String {
    let units: Vec<u16> = b
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// A damaged copy of `data` for the mutation tests (here and in
/// `decrypt`): 1 to `max_edits` edits, each a byte changed, a 32-bit field
/// set to an extreme value (a length, an offset, a sector id), a high bit
/// flipped or the file cut short; with `head`, half of them in the first
/// `head` bytes, where the headers, sizes and descriptors are.
#[cfg(test)]
pub(crate) fn mutant(
    data: &[u8],
    rng: &mut crate::TestRng,
    max_edits: u64,
    head: Option<usize>,
) -> Vec<u8> {
    let mut m = data.to_vec();
    for _ in 0..1 + rng.next() % max_edits {
        let span = match head {
            Some(h) if rng.next().is_multiple_of(2) => m.len().min(h),
            _ => m.len(),
        };
        let at = (rng.next() % span.max(1) as u64) as usize;
        match rng.next() % 4 {
            0 => m[at] = rng.next() as u8,
            1 => {
                let v: u32 =
                    [0, 1, 0x7FFF_FFFF, 0xFFFF_FFFE, 0xFFFF_FFFF][(rng.next() % 5) as usize];
                for (k, b) in v.to_le_bytes().iter().enumerate() {
                    if let Some(x) = m.get_mut(at + k) {
                        *x = *b;
                    }
                }
            }
            2 => m.truncate(at.max(1)),
            _ => m[at] ^= 0x80,
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Limits, Located, Origin};

    /// Every unit as `part|line|text`.
    #[derive(Default)]
    struct Units(Vec<String>, String);
    impl UnitSink for Units {
        fn unit(&mut self, l: &Located<'_>) {
            if let Origin::Text { line, .. } = l.origin {
                self.0.push(format!("{}|{line}|{}", self.1, l.unit.text));
            }
        }
        fn enter_part(&mut self, name: &str) {
            self.1 = name.to_string();
        }
        fn leave_part(&mut self) {
            self.1.clear();
        }
    }

    /// Reads `data` as a member named `name` (no panic, whatever it holds).
    fn read_member(name: &str, data: &[u8]) -> usize {
        let columns = crate::model::columns::ColumnTable::default();
        let limits = Limits {
            max_document_bytes: 1 << 20,
            ..Limits::default()
        };
        let mut owned = crate::extract::TestCx::new(columns, limits);
        let mut cx = owned.cx();
        let mut sink = Units::default();
        crate::extract::extract_member(name, data, &mut cx, &mut sink);
        sink.0.len()
    }

    #[test]
    fn damaged_files_never_panic() {
        // Mutants of each fixture: bytes changed, 32-bit fields set to
        // extreme values (lengths, offsets, sector ids), files cut short.
        let rounds: u64 = std::env::var("LEGACY_MUTANTS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(300);
        let mut rng = crate::TestRng(0x2545_f491_4f6c_dd1d);
        // Also the Excel 4.0 worksheet (`spreadsheet::biff_old`, no OLE
        // container) and the workbooks encrypted with the default password
        // (`decrypt`, then calamine on the decrypted stream).
        for file in [
            "legacy/lettre.doc",
            "legacy/reunion.ppt",
            "legacy/courriel.msg",
            "legacy/corps_rtf.msg",
            "legacy/lettre.rtf",
            "office/excel4.xls",
            "office/chiffre_defaut_rc4.xls",
            "office/chiffre_defaut_cryptoapi.xls",
        ] {
            let data = std::fs::read(format!("fixtures/{file}")).expect("fixture");
            for _ in 0..rounds {
                let m = super::mutant(&data, &mut rng, 8, None);
                read_member(file, &m);
            }
        }
    }

    fn units(file: &str) -> Vec<String> {
        let data = std::fs::read(format!("fixtures/legacy/{file}")).expect("fixture");
        let mut owned = crate::extract::TestCx::default();
        let mut cx = owned.cx();
        let mut sink = Units::default();
        extract(&data, "", &mut cx, &mut sink).expect("read");
        sink.0
    }

    #[test]
    fn word_paragraphs_parts_fields_and_tables() {
        let expected = [
            "|1|Office Public de l'Habitat du Val",
            "|2|Objet : régularisation des charges",
            "|3|Madame Élodie Ménard,",
            "|4|Suite à votre courriel (elodie.menard@example.fr), nous vous confirmons le remboursement.",
            "|5|IBAN : FR76 3000 6000 0112 3456 7890 189",
            // A UTF-16 piece: a line break, a field's instructions and result.
            "|6|Joignable au 06 12 34 56 78\u{2028}ou par   HYPERLINK \"mailto:cache@example.org\"  karim.benali@example.fr.",
            // Table cells are paragraphs (an empty row end, 9).
            "|7|N° de sécurité sociale",
            "|8|2920275056123 35",
            "|10|Ŝtefan Œuvray — gardien",
            "footnotes|1| Contact : lucas.moreau@example.fr",
            "headers|1|Agence Nord — 01 45 67 89 10",
        ];
        assert_eq!(units("lettre.doc"), expected);
    }

    #[test]
    fn powerpoint_slides_notes_and_comments() {
        let expected = [
            // The slide list's placeholders, 8-bit then UTF-16 text.
            "slide 1|1|Réunion des locataires",
            "slide 1|2|Résidence Les Tilleuls",
            "slide 1|3|Bâtiment B",
            "slide 2|1|Contacts",
            "slide 2|2|Gardien : Karim Benali",
            "slide 2|3|06 98 76 54 32",
            "slide 2|4|karim.benali@example.fr",
            "masters|1|Cliquez pour modifier le style du titre",
            // A comment (author, text), and a text box, located on their slides through
            // the persist directory; numbering goes on in each part.
            "slide 1|4|Élodie",
            "slide 1|5|Vérifier l'IBAN FR1420041010050500013M02606",
            "slide 2|5|Permanence le mardi — Lucas Moreau, lucas.moreau@example.fr",
            "notes 1|1|Rappeler Mme Ménard au 01 45 67 89 10",
        ];
        assert_eq!(units("reunion.ppt"), expected);
    }
}
