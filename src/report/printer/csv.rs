//! `--format csv`: one row per finding, for spreadsheets and IT checklists.

use super::Printer;
use crate::report::Record;
use std::io::{self, Write};

pub struct Csv {
    w: ::csv::Writer<Box<dyn Write + Send>>,
    reveal: bool,
    header_done: bool,
}

impl Csv {
    pub fn new(out: Box<dyn Write + Send>, reveal: bool) -> Self {
        Csv {
            w: ::csv::Writer::from_writer(out),
            reveal,
            header_done: false,
        }
    }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn io_err(e: ::csv::Error) -> io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl Printer for Csv {
    fn record(&mut self, r: &Record) -> io::Result<()> {
        if !self.header_done {
            self.header_done = true;
            let mut h = vec!["path", "entry", "kind"];
            if self.reveal {
                h.push("value");
            }
            h.extend([
                "masked",
                "line",
                "column",
                "sheet",
                "cell",
                "page",
                "confidence",
                "pattern",
            ]);
            self.w.write_record(&h).map_err(io_err)?;
        }
        let Record::Finding(f) = r else {
            return Ok(());
        };
        let mut row = vec![f.path.clone(), opt(&f.entry), f.kind.clone()];
        if self.reveal {
            row.push(opt(&f.value));
        }
        let l = &f.location;
        row.extend([
            f.masked.clone(),
            opt(&l.line),
            opt(&l.column),
            opt(&l.sheet),
            opt(&l.cell),
            opt(&l.page),
            format!("{:.2}", f.confidence),
            f.pattern.clone(),
        ]);
        self.w.write_record(&row).map_err(io_err)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}
