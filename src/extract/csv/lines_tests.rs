//! The fast way through quote-free lines ([`super::lines`]) gives what the
//! parser gives, and a screening sink gets only the cells it may find in.

use super::*;
use crate::extract::TestCx;

/// What a sink is given: (line, field, text, column kind), and rows as
/// their cells' (line, field).
#[derive(Default, Debug, PartialEq)]
struct Given {
    units: Vec<(u64, u64, String, Option<String>)>,
    rows: Vec<Vec<(u64, u64)>>,
    /// The cells given as [`Unit::regex_free`].
    free: Vec<(u64, u64)>,
    /// With `Some(byte, screen)`: screens, reporting every occurrence of
    /// the byte.
    screen: Option<(u8, Screen)>,
    /// Forks this many sinks (see [`UnitSink::fork`]), each screening as
    /// this one does.
    forks: usize,
    /// The blocks given to forks.
    forked_blocks: usize,
}

fn field(o: &Origin<'_>) -> (u64, u64) {
    match o {
        Origin::Field { line, field } => (*line, *field),
        _ => panic!("a csv unit is a field"),
    }
}

impl UnitSink for Given {
    fn unit(&mut self, l: &Located<'_>) {
        let (line, f) = field(&l.origin);
        let kind = l.unit.column_kind.map(str::to_string);
        if l.unit.regex_free {
            self.free.push((line, f));
        }
        self.units.push((line, f, l.unit.text.to_string(), kind));
    }
    fn row(&mut self, cells: &[RowCell<'_>]) {
        self.rows
            .push(cells.iter().map(|c| field(&c.origin)).collect());
    }
    fn may_find(&mut self, text: &[u8], ends: &mut Vec<usize>) -> Screen {
        let Some((b, screen)) = self.screen else {
            return Screen::Off;
        };
        ends.extend(memchr::memchr_iter(b, text));
        screen
    }
    fn fork(&mut self, _helpers: usize) -> Vec<Box<dyn Fork + '_>> {
        (0..self.forks)
            .map(|_| {
                Box::new(Given {
                    screen: self.screen,
                    ..Given::default()
                }) as Box<dyn Fork>
            })
            .collect()
    }
    fn join(&mut self, done: Vec<Box<dyn std::any::Any + Send>>) {
        for d in done {
            let mut d = d.downcast::<Given>().expect("a fork of this sink");
            self.forked_blocks += usize::from(!d.units.is_empty());
            self.units.append(&mut d.units);
            self.rows.append(&mut d.rows);
            self.free.append(&mut d.free);
        }
    }
}

impl Fork for Given {
    fn done(self: Box<Self>) -> Box<dyn std::any::Any + Send> {
        self
    }
}

/// `bytes` read by [`extract`] (the fast way where it can), with a sink
/// screening on `screen`.
fn fast(bytes: &[u8], screen: Option<(u8, Screen)>) -> Given {
    forked(bytes, screen, 0)
}

/// [`fast`], with a sink giving the blocks after the header to `forks`
/// sinks at a time.
fn forked(bytes: &[u8], screen: Option<(u8, Screen)>, forks: usize) -> Given {
    let head = &bytes[..bytes.len().min(crate::extract::SNIFF_LEN)];
    let mut rest = &bytes[head.len()..];
    let mut owned = TestCx::new(ColumnTable::builtin(), Default::default());
    let mut cx = owned.cx();
    let mut given = Given {
        screen,
        forks,
        ..Given::default()
    };
    let stream = Stream {
        head,
        rest: &mut rest,
        encoding: encoding_rs::UTF_8,
        bom: 0,
    };
    let total = extract(stream, &mut cx, &mut given).expect("test data");
    assert_eq!(total, bytes.len() as u64);
    given.screen = None;
    given
}

/// `bytes` read by the parser alone.
fn parsed(bytes: &[u8]) -> Given {
    let columns = ColumnTable::builtin();
    let mut bufs = CsvBuffers::default();
    let mut table = Table {
        delimiter: sniff_delimiter(bytes),
        encoding: encoding_rs::UTF_8,
        columns: &columns,
        roles: Vec::new(),
        first: true,
        line: 1,
        total: 0,
    };
    let mut given = Given::default();
    let crlf = memchr::memmem::find(bytes, b"\r\n").is_some();
    let deadline = crate::extract::Deadline::unlimited();
    let mut input = bytes;
    records(
        &mut input, crlf, &mut table, &deadline, &mut bufs, &mut given,
    )
    .expect("test data");
    given
}

const FILES: &[&str] = &[
    "Nom;Prénom;Téléphone\nDupont;Jean;06 12 34 56 78\nMartin;;07 11 22 33 44\n",
    "Nom;Téléphone\r\nDupont;06 12 34 56 78\r\nMartin;07 11 22 33 44\r\n",
    "a;b\n  ;c\n;\nx;y",
    "   \nNom;Courriel\nDurand;d@example.org\n",
    "Nom;Adresse\nDupont;\"12, rue de la Paix\"\nMartin;3 rue Haute\n",
    "Nom;Note\nDupont;\"deux\nlignes\"\nMartin;x\n",
    "a;b\nc\rd;e\nf;g\n",
    "Nom;Ville\nL\u{e9}a;Lyon\nZo\u{e9};Caf\u{e9}\n",
    "Date;Montant\n01/02/2024;108 066,13\n",
    "x,y\n1,2\n3,4",
    "Nom;Note\nDupont;a\"b\nMartin;c\n",
];

#[test]
fn quote_free_lines_are_read_as_the_parser_reads_them() {
    for file in FILES {
        assert_eq!(
            fast(file.as_bytes(), None),
            parsed(file.as_bytes()),
            "{file:?}"
        );
    }
    // Longer than a block, with a quoted line far on.
    let mut long = String::from("Nom;Téléphone\n");
    for i in 0..40_000 {
        long.push_str(&format!("Nom{i};06 12 34 {:02} {:02}\n", i % 100, i / 400));
    }
    long.push_str("\"Dupont\";x\nMartin;y\n");
    assert_eq!(fast(long.as_bytes(), None), parsed(long.as_bytes()));
}

#[test]
fn a_blank_line_after_crlf_lines_is_counted() {
    // The parser counts the blank line's "\r\n" as one line break in all.
    let file = "Nom;Téléphone\r\nDupont;06 12 34 56 78\r\n\r\nMartin;07 11 22 33 44\r\n";
    let lines: Vec<u64> = fast(file.as_bytes(), None)
        .units
        .iter()
        .map(|u| u.0)
        .collect();
    assert_eq!(lines, [1, 1, 2, 2, 4, 4]);
    // The parser's line count lags after blank lines; the lines' does not.
    let file = "a;b\n\n\n  ;c\n;\nx;y";
    let lines: Vec<u64> = fast(file.as_bytes(), None)
        .units
        .iter()
        .map(|u| u.0)
        .collect();
    assert_eq!(lines, [1, 1, 4, 6, 6]);
}

#[test]
fn a_screening_sink_gets_the_cells_it_may_find_in() {
    for file in FILES {
        let all = parsed(file.as_bytes());
        let screened = fast(file.as_bytes(), Some((b'@', Screen::Cells)));
        // The header row always; quoted lines (read by the parser) whole;
        // else only the cells holding the byte.
        for u in &screened.units {
            assert!(all.units.contains(u), "{file:?}: {u:?}");
        }
        for u in all.units.iter().filter(|u| u.2.contains('@')) {
            assert!(screened.units.contains(u), "{file:?}: {u:?}");
        }
    }
    let file = "Nom;Courriel;Tel\nDurand;d@example.org;06\nMartin;m.example.org;07\n";
    let screened = fast(file.as_bytes(), Some((b'@', Screen::Cells)));
    let lines: Vec<(u64, u64)> = screened.units.iter().map(|u| (u.0, u.1)).collect();
    assert_eq!(lines, [(1, 1), (1, 2), (1, 3), (2, 2)]);
    assert_eq!(screened.rows, [vec![(2, 1), (2, 2), (2, 3)]]);
}

#[test]
fn a_sink_screening_regexes_gets_every_cell_with_a_match_or_a_letter() {
    for file in FILES {
        let all = parsed(file.as_bytes());
        let marked = fast(file.as_bytes(), Some((b'@', Screen::Regexes)));
        // Every cell but those with neither the byte nor a letter, which
        // give nothing (`06 12 34 56 78` where only `@` is matched).
        let given: Vec<_> = all
            .units
            .iter()
            .filter(|u| u.0 == 1 || u.2.contains('@') || crate::model::has_letters(&u.2))
            .cloned()
            .collect();
        assert_eq!(marked.units, given, "{file:?}");
        // A row is given whole when one of its cells is.
        let rows: Vec<_> = all
            .rows
            .iter()
            .filter(|r| r.iter().any(|c| given.iter().any(|u| (u.0, u.1) == *c)))
            .cloned()
            .collect();
        assert_eq!(marked.rows, rows, "{file:?}");
        // A marked cell never holds the byte.
        for u in all.units.iter().filter(|u| u.2.contains('@')) {
            assert!(!marked.free.contains(&(u.0, u.1)), "{file:?}: {u:?}");
        }
    }
    let file = "Nom;Courriel;Tel\nDurand;d@example.org;06\nMartin;m.example.org;07\n1;2;3\n";
    let marked = fast(file.as_bytes(), Some((b'@', Screen::Regexes)));
    // Not the phones, nor the line of numbers.
    assert_eq!(marked.units.len(), 7);
    // The header row is searched whole, as no column's.
    assert_eq!(marked.free, [(2, 1), (3, 1), (3, 2)]);
    assert_eq!(marked.rows.len(), 2);
}

#[test]
fn blocks_searched_by_forks_give_what_one_sink_is_given() {
    // Blocks of whole lines, then (from a quoted line on) records read by
    // the parser, with a field over two lines, and a last line without
    // its line break; the same with CRLF line breaks, and quoted from the
    // start.
    let mut long = String::from("Nom;Courriel;Téléphone\n");
    for i in 0..60_000 {
        let mail = if i % 7 == 0 { "n@example.org" } else { "-" };
        long.push_str(&format!(
            "Nom{i};{mail};06 12 34 {:02} {:02}\n",
            i % 100,
            i / 400
        ));
    }
    long.push_str("\"Dupont\";x\nMartin;y\n");
    for i in 0..40_000 {
        long.push_str(&format!("Nom{i};x@y;{i}\n"));
        if i == 30_000 {
            long.push_str("\"deux\nlignes\";\"a@b\";1\n\n");
        }
    }
    long.push_str("Fin;z;1");
    let crlf = long.replace('\n', "\r\n");
    let quoted = long.replace("Nom", "\"Nom\"");
    for file in [&long, &crlf, &quoted] {
        for screen in [
            None,
            Some((b'@', Screen::Cells)),
            Some((b'@', Screen::Regexes)),
        ] {
            let one = fast(file.as_bytes(), screen);
            for forks in [1, 2, 3] {
                let many = forked(file.as_bytes(), screen, forks);
                assert!(many.forked_blocks > 1, "{forks} forks");
                assert_eq!(many.units, one.units, "{forks} forks, {screen:?}");
                assert_eq!(many.rows, one.rows, "{forks} forks, {screen:?}");
                assert_eq!(many.free, one.free, "{forks} forks, {screen:?}");
            }
        }
    }
}
