//! `--format json`: the jsonl records as one JSON array, streamed.

use super::Printer;
use crate::report::Record;
use std::io::{self, Write};

pub struct Json {
    out: Box<dyn Write + Send>,
    first: bool,
}

impl Json {
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        Json { out, first: true }
    }
}

impl Printer for Json {
    fn record(&mut self, r: &Record) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"[\n" } else { b",\n" })?;
        self.first = false;
        serde_json::to_writer(&mut self.out, r)?;
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}
