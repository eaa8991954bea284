//! What a file is: format families, each with its sub-formats as a typed
//! enum (the name printed in records is [`Format::name`]).

/// An enum of sub-formats with the names printed in records.
macro_rules! sub_formats {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            /// Every sub-format of the family.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name printed in `file` records and the summary.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }
    };
}

sub_formats! {
    /// A spreadsheet read with calamine.
    SheetFormat { Xlsx => "xlsx", Xlsm => "xlsm", Xlsb => "xlsb", Xls => "xls", Ods => "ods" }
}

sub_formats! {
    /// A zipped office document.
    DocFormat { Docx => "docx", Pptx => "pptx", Odt => "odt", Odp => "odp" }
}

sub_formats! {
    /// Markup read as text.
    MarkupFormat { Html => "html", Xml => "xml", Json => "json", Yaml => "yaml", Vcard => "vcard", Calendar => "icalendar" }
}

sub_formats! {
    /// E-mail: one message, or a mailbox of many.
    MailFormat { Eml => "eml", Mbox => "mbox" }
}

sub_formats! {
    /// An archive or a compressed file (`SevenZip` and `Rar` are listed as
    /// not read).
    ArchiveFormat {
        Zip => "zip", Gzip => "gzip", Bzip2 => "bzip2", Xz => "xz", Tar => "tar",
        SevenZip => "7z", Rar => "rar",
    }
}

sub_formats! {
    /// Word, PowerPoint and Outlook 97–2003 files, and RTF (`ole/`,
    /// `rtf.rs`). `Ole` is what [`super::sniff`] says of any OLE2 compound
    /// file: its streams say what it is when it is read.
    LegacyFormat { Doc => "doc", Ppt => "ppt", Msg => "msg", Rtf => "rtf", Ole => "ole" }
}

sub_formats! {
    /// A picture, read with OCR (`ocr/`) or listed as needing it.
    ImageFormat {
        Jpeg => "jpeg", Png => "png", Tiff => "tiff", Bmp => "bmp", Gif => "gif", Webp => "webp",
    }
}

/// What a file is, as far as extraction is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text in some encoding.
    Text,
    /// Delimited text with columns.
    Csv,
    /// Not text: control bytes besides NULs near the start, and no known
    /// format. Not read; listed (`file` record, status `skipped`) and counted.
    Binary,
    Spreadsheet(SheetFormat),
    Pdf,
    Office(DocFormat),
    Markup(MarkupFormat),
    Mail(MailFormat),
    Archive(ArchiveFormat),
    Legacy(LegacyFormat),
    Image(ImageFormat),
}

impl Format {
    /// The name printed in `file` records and the summary.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Csv => "csv",
            Format::Binary => "binary",
            Format::Pdf => "pdf",
            Format::Spreadsheet(f) => f.name(),
            Format::Office(f) => f.name(),
            Format::Markup(f) => f.name(),
            Format::Mail(f) => f.name(),
            Format::Archive(f) => f.name(),
            Format::Legacy(f) => f.name(),
            Format::Image(f) => f.name(),
        }
    }

    /// Every format, each sub-format once.
    pub fn all() -> impl Iterator<Item = Format> {
        [Format::Text, Format::Csv, Format::Binary, Format::Pdf]
            .into_iter()
            .chain(SheetFormat::ALL.iter().map(|&f| Format::Spreadsheet(f)))
            .chain(DocFormat::ALL.iter().map(|&f| Format::Office(f)))
            .chain(MarkupFormat::ALL.iter().map(|&f| Format::Markup(f)))
            .chain(MailFormat::ALL.iter().map(|&f| Format::Mail(f)))
            .chain(ArchiveFormat::ALL.iter().map(|&f| Format::Archive(f)))
            .chain(LegacyFormat::ALL.iter().map(|&f| Format::Legacy(f)))
            .chain(ImageFormat::ALL.iter().map(|&f| Format::Image(f)))
    }

    /// The format printed as `name`.
    pub fn by_name(name: &str) -> Option<Format> {
        Format::all().find(|f| f.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found_back() {
        let all: Vec<Format> = Format::all().collect();
        for f in &all {
            assert_eq!(Format::by_name(f.name()), Some(*f));
        }
        let mut names: Vec<&str> = all.iter().map(|f| f.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len());
    }
}
