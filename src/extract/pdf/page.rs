//! Page reader: follows the text state through content streams and forms
//! and writes the page text, with spaces and newlines where the layout
//! shows gaps and line changes.

use super::annot;
use super::cmap::code_of;
use super::font::{num, Font};
use super::lexer::{Lexer, Operand};
use super::stream::decode;
use super::{MAX_FORM_DEPTH, OPS_PER_CHECK};
use crate::extract::ExtractError;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Instant;

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn translate(tx: f64, ty: f64, m: &Matrix) -> Matrix {
    mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], m)
}

/// Graphics state parameters that matter for text (saved by `q`).
#[derive(Clone)]
struct State {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    hscale: f64,
    leading: f64,
    /// Text rise (`Ts`): a superscript or subscript.
    rise: f64,
}

/// Where the previous text run ended on the page (device space).
#[derive(Clone, Copy)]
struct RunEnd {
    x: f64,
    y: f64,
    /// Unit vector of the baseline.
    dir: (f64, f64),
    size: f64,
}

pub(super) struct PageReader<'d> {
    doc: &'d Document,
    /// Decompressed bytes still allowed.
    pub(super) budget: u64,
    cap: u64,
    /// When the file's time is up, operators since the last look at the
    /// clock, and whether it was found up (the page is then left unfinished).
    at: Option<Instant>,
    ops: u32,
    pub(super) timed_out: bool,
    /// Fonts already read, by dictionary address.
    fonts: HashMap<usize, Rc<Font>>,
    /// Forms being drawn (against cycles).
    forms: Vec<ObjectId>,
    pub(super) text: String,
    last: Option<RunEnd>,
    pub(super) any_text: bool,
    pub(super) undecodable: bool,
    /// The page's largest inline image (`BI … ID … EI`), for OCR.
    pub(super) inline: Option<super::image::Inline>,
}

/// Gap (in font sizes) after which two runs on a line are separate words.
const WORD_GAP: f64 = 0.15;
/// Gap (in font sizes) after which the next run on a line stands in another
/// column (a payslip's employer and employee side by side, a letter's
/// sender and recipient): it is set at its place, as `pdftotext -layout`
/// does, so that the columns' lines stay apart and aligned.
const COLUMN_GAP: f64 = 3.0;
/// Average width of a character (in font sizes), to place a column's text.
const CHAR_WIDTH: f64 = 0.5;
/// Baseline shift (in font sizes) that starts a new line.
const LINE_SHIFT: f64 = 0.5;
/// Baseline shift (in font sizes) that makes a raised or lowered run (`Ts`)
/// a word of its own, as in poppler; a subscript or the lowered E of
/// "LaTeX" moves less and stays in its word.
const RISE_SHIFT: f64 = 0.4;
/// Cosine between two runs' baselines under which they are on different
/// lines.
const TURN: f64 = 0.9;

impl<'d> PageReader<'d> {
    /// A reader of `doc`'s pages, decompressing at most `cap` bytes in all
    /// and looking at the clock against `at`.
    pub(super) fn new(doc: &'d Document, cap: u64, at: Option<Instant>) -> Self {
        PageReader {
            doc,
            budget: cap,
            cap,
            at,
            ops: 0,
            timed_out: false,
            fonts: HashMap::new(),
            forms: Vec::new(),
            text: String::new(),
            last: None,
            any_text: false,
            undecodable: false,
            inline: None,
        }
    }

    /// Looks at the clock: the file's time is up.
    pub(super) fn out_of_time(&mut self) -> bool {
        self.ops = 0;
        self.timed_out = self.timed_out || self.at.is_some_and(|at| Instant::now() >= at);
        self.timed_out
    }

    /// Reads the text of one page into `self.text`.
    pub(super) fn page(&mut self, id: ObjectId) -> Result<(), ExtractError> {
        self.text.clear();
        self.inline = None;
        self.last = None;
        let doc = self.doc;
        let Ok(dict) = doc.get_dictionary(id) else {
            return Ok(());
        };
        let resources = inherited(doc, dict, b"Resources").and_then(|o| o.as_dict().ok());
        let mut content = Vec::new();
        for sid in doc.get_page_contents(id) {
            if let Ok(s) = doc.get_object(sid).and_then(Object::as_stream) {
                if let Some(bytes) = decode(self.doc, s, &mut self.budget, self.cap)? {
                    content.extend_from_slice(&bytes);
                    content.push(b'\n');
                }
            }
        }
        let state = State {
            ctm: IDENTITY,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        self.run(&content, resources, state.clone())?;
        for a in annot::annotations(doc, dict) {
            if let Some((id, s, (x, y))) = a.appearance {
                // After a value or comment read from a dictionary (which
                // has no position), a line of its own.
                if self.last.is_none()
                    && !self.text.is_empty()
                    && !self.text.ends_with(char::is_whitespace)
                {
                    self.text.push('\n');
                }
                let mut st = state.clone();
                st.ctm = translate(x, y, &IDENTITY);
                self.draw_form(id, s, resources, &st)?;
            }
            if let Some(text) = a.text {
                self.last = None;
                if !self.text.is_empty() && !self.text.ends_with('\n') {
                    self.text.push('\n');
                }
                self.text.push_str(text.trim());
                self.any_text = true;
            }
        }
        Ok(())
    }

    /// Interprets a content stream (a page's or a form's).
    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'d Dictionary>,
        state: State,
    ) -> Result<(), ExtractError> {
        let mut lex = Lexer::new(content);
        let mut ops = Vec::new();
        let mut st = state;
        let mut saved: Vec<State> = Vec::new();
        let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
        while let Some(op) = lex.operation(&mut ops) {
            self.ops += 1;
            if self.timed_out || (self.ops >= OPS_PER_CHECK && self.out_of_time()) {
                break;
            }
            let n = |i: usize| match ops.get(i) {
                Some(Operand::Num(v)) => *v,
                _ => 0.0,
            };
            match op {
                b"q" if saved.len() < 64 => saved.push(st.clone()),
                b"Q" => {
                    if let Some(s) = saved.pop() {
                        st = s;
                    }
                }
                b"cm" => st.ctm = mul(&[n(0), n(1), n(2), n(3), n(4), n(5)], &st.ctm),
                b"BT" => (tm, tlm) = (IDENTITY, IDENTITY),
                b"Tf" => {
                    st.size = n(1);
                    st.font = match ops.first() {
                        Some(Operand::Name(name)) => self.font(resources, name)?,
                        _ => None,
                    };
                }
                b"Tc" => st.char_spacing = n(0),
                b"Tw" => st.word_spacing = n(0),
                b"Tz" => st.hscale = n(0) / 100.0,
                b"TL" => st.leading = n(0),
                b"Ts" => st.rise = n(0),
                b"Td" => {
                    tlm = translate(n(0), n(1), &tlm);
                    tm = tlm;
                }
                b"TD" => {
                    st.leading = -n(1);
                    tlm = translate(n(0), n(1), &tlm);
                    tm = tlm;
                }
                b"Tm" => {
                    tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    tm = tlm;
                }
                b"T*" => {
                    tlm = translate(0.0, -st.leading, &tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" => {
                    if op == b"\"" {
                        st.word_spacing = n(0);
                        st.char_spacing = n(1);
                    }
                    if op != b"Tj" {
                        tlm = translate(0.0, -st.leading, &tlm);
                        tm = tlm;
                    }
                    if let Some(Operand::Str(s)) = ops.last() {
                        self.show(s, &st, &mut tm);
                    }
                }
                b"TJ" => {
                    if let Some(Operand::Array(items)) = ops.first() {
                        for item in items {
                            match item {
                                Operand::Str(s) => self.show(s, &st, &mut tm),
                                Operand::Num(k) => {
                                    let t = -k / 1000.0 * st.size;
                                    tm = if st.font.as_ref().is_some_and(|f| f.vertical) {
                                        translate(0.0, t, &tm)
                                    } else {
                                        translate(t * st.hscale, 0.0, &tm)
                                    };
                                }
                                _ => {}
                            }
                        }
                    }
                }
                b"Do" => {
                    if let Some(Operand::Name(name)) = ops.first() {
                        self.form(resources, name, &st)?;
                    }
                }
                b"BI" if lex.image_dict(&mut ops) => {
                    let data = lex.skip_inline_image();
                    super::image::keep_inline(&mut self.inline, &ops, data);
                }
                b"ID" => {
                    let data = lex.skip_inline_image();
                    super::image::keep_inline(&mut self.inline, &ops, data);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Draws a form XObject (text inside forms: letterheads, filled fields).
    fn form(
        &mut self,
        resources: Option<&'d Dictionary>,
        name: &[u8],
        st: &State,
    ) -> Result<(), ExtractError> {
        let doc = self.doc;
        let Some(obj) = resources
            .and_then(|r| r.get_deref(b"XObject", doc).ok())
            .and_then(|x| x.as_dict().ok())
            .and_then(|x| x.get(name).ok())
        else {
            return Ok(());
        };
        let Ok((Some(id), Object::Stream(s))) = doc.dereference(obj) else {
            return Ok(());
        };
        self.draw_form(id, s, resources, st)
    }

    /// Draws the form `s` (object `id`) in the state `st`.
    fn draw_form(
        &mut self,
        id: ObjectId,
        s: &'d Stream,
        resources: Option<&'d Dictionary>,
        st: &State,
    ) -> Result<(), ExtractError> {
        let doc = self.doc;
        let is_form = s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form");
        if !is_form || self.forms.len() >= MAX_FORM_DEPTH || self.forms.contains(&id) {
            return Ok(());
        }
        let Some(content) = decode(self.doc, s, &mut self.budget, self.cap)? else {
            return Ok(());
        };
        let matrix = match s.dict.get(b"Matrix").and_then(Object::as_array) {
            Ok(a) if a.len() == 6 => {
                let v: Vec<f64> = a.iter().map(|o| num(o).unwrap_or(0.0)).collect();
                [v[0], v[1], v[2], v[3], v[4], v[5]]
            }
            _ => IDENTITY,
        };
        let own = s
            .dict
            .get_deref(b"Resources", doc)
            .and_then(Object::as_dict)
            .ok();
        let mut inner = st.clone();
        inner.ctm = mul(&matrix, &st.ctm);
        self.forms.push(id);
        let r = self.run(&content, own.or(resources), inner);
        self.forms.pop();
        r
    }

    /// Shows a string: separates it from the previous run, appends its text
    /// and advances the text matrix.
    fn show(&mut self, bytes: &[u8], st: &State, tm: &mut Matrix) {
        let Some(font) = st.font.clone() else {
            if !bytes.is_empty() {
                self.undecodable = true;
            }
            return;
        };
        // The run is drawn `rise` above the text line.
        let trm = mul(&translate(0.0, st.rise, tm), &st.ctm);
        let size = st.size.abs() * font.em * trm[2].hypot(trm[3]);
        let len = trm[0].hypot(trm[1]);
        // Vertical writing advances down the text space's y axis.
        let (dx, dy) = if font.vertical {
            (-trm[2], -trm[3])
        } else {
            (trm[0], trm[1])
        };
        let len = if font.vertical { dx.hypot(dy) } else { len };
        let dir = if len > 0.0 {
            (dx / len, dy / len)
        } else {
            (1.0, 0.0)
        };
        let mut run = String::new();
        let mut advance = 0.0;
        let mut i = 0;
        let mut decoded = true;
        while i < bytes.len() {
            // Simple fonts have one-byte codes whatever their ToUnicode
            // map's code space says (often `<0000> <FFFF>`).
            let n = match (&font.cmap, &font.charset) {
                (_, Some(cs)) => cs.code_len(&bytes[i..]),
                (Some(c), _) if font.code_len > 1 && !font.identity => {
                    c.code_len(&bytes[i..], font.code_len)
                }
                _ => font.code_len,
            }
            .min(bytes.len() - i);
            let code = code_of(&bytes[i..i + n]);
            let before = run.len();
            let mapped = match (&font.cmap, &font.table) {
                _ if font.charset.is_some() => font
                    .charset
                    .as_ref()
                    .is_some_and(|cs| cs.push(&bytes[i..i + n], &mut run)),
                (Some(c), _) if c.push(n, code, &mut run) => true,
                (_, Some(t)) => {
                    run.push_str(&t[bytes[i] as usize]);
                    true
                }
                (Some(_), None) => {
                    run.push('\u{FFFD}');
                    true
                }
                (None, None) => false,
            };
            decoded &= mapped;
            let spacing = if n == 1 && code == 32 {
                st.word_spacing
            } else {
                0.0
            };
            // A vertical font's glyphs advance 1 em (`DW2`'s default).
            let glyph = if font.vertical {
                1000.0
            } else {
                font.widths.of(code)
            };
            let width = (glyph * font.scale * st.size + st.char_spacing + spacing) * st.hscale;
            // A glyph without text that moves the pen a word space (a space
            // only named inside an embedded font's own encoding) separates
            // words, as the gap it draws would between two runs.
            if run.len() == before
                && font.widths.given(code)
                && width > WORD_GAP * st.size.abs() * font.em * st.hscale
                && !run.is_empty()
                && !run.ends_with(char::is_whitespace)
            {
                run.push(' ');
            }
            advance += width;
            i += n;
        }
        if !decoded {
            self.undecodable = true;
        }
        run.retain(|c| !c.is_control() || c == '\t');
        if run.chars().any(is_rtl) {
            run = logical_order(&run);
        }
        if !run.trim().is_empty() {
            self.any_text = true;
            self.separate(trm[4], trm[5], size, dir, run.chars().next());
            self.text.push_str(&run);
        } else if !run.is_empty() && !self.text.is_empty() {
            // A word space drawn as a run of its own (one glyph per `TJ`
            // item): the gap it leaves is measured from its end, so it is
            // kept here.
            self.separate(trm[4], trm[5], size, dir, Some(' '));
            if !self.text.ends_with(char::is_whitespace) {
                self.text.push(' ');
            }
        }
        *tm = if font.vertical {
            translate(0.0, -advance, tm)
        } else {
            translate(advance, 0.0, tm)
        };
        let end = mul(&translate(0.0, st.rise, tm), &st.ctm);
        if !run.is_empty() {
            self.last = Some(RunEnd {
                x: end[4],
                y: end[5],
                dir,
                size,
            });
        }
    }

    /// A newline or a space before a run starting at (x, y) with `first`,
    /// when the page shows a line change or a gap since the previous run. A
    /// word hyphenated at a line end is joined again when the next line goes
    /// on in lower case, as poppler does ("exam-" "ple" → "example").
    fn separate(&mut self, x: f64, y: f64, size: f64, dir: (f64, f64), first: Option<char>) {
        let starts_blank = first.is_some_and(char::is_whitespace);
        let Some(last) = self.last else {
            return;
        };
        let (dx, dy) = (x - last.x, y - last.y);
        let along = dx * last.dir.0 + dy * last.dir.1;
        let across = dy * last.dir.0 - dx * last.dir.1;
        let em = last.size.max(size).max(1e-6);
        // Another writing direction (vertical after horizontal text, a
        // rotated label) is another line, as in poppler.
        let turned = dir.0 * last.dir.0 + dir.1 * last.dir.1 < TURN;
        if across.abs() > LINE_SHIFT * em || turned {
            if first.is_some_and(char::is_lowercase) && self.hyphen_at_end() {
                self.text.pop();
            } else if !self.text.ends_with('\n') {
                let trimmed = self.text.trim_end_matches([' ', '\t']).len();
                self.text.truncate(trimmed);
                self.text.push('\n');
            }
        } else if (along > WORD_GAP * em || along < -em || across.abs() > RISE_SHIFT * em)
            && !starts_blank
            && !self.text.ends_with(char::is_whitespace)
        {
            let horizontal = dir.0 > TURN;
            if along > COLUMN_GAP * em && horizontal && across.abs() <= RISE_SHIFT * em {
                let line = self.text.rfind('\n').map_or(0, |i| i + 1);
                let written = self.text[line..].chars().count();
                let column = (x / (CHAR_WIDTH * size.max(1e-6)))
                    .round()
                    .clamp(0.0, 400.0) as usize;
                let pad = column.saturating_sub(written).max(3);
                self.text.extend(std::iter::repeat_n(' ', pad));
            } else {
                self.text.push(' ');
            }
        }
    }

    /// The text ends with a hyphen (or a soft one) after a letter.
    fn hyphen_at_end(&self) -> bool {
        let mut end = self.text.chars().rev();
        matches!(end.next(), Some('-' | '\u{AD}')) && end.next().is_some_and(char::is_alphabetic)
    }

    /// The font named `name` in `resources`, read once.
    fn font(
        &mut self,
        resources: Option<&'d Dictionary>,
        name: &[u8],
    ) -> Result<Option<Rc<Font>>, ExtractError> {
        let doc = self.doc;
        let Some(dict) = resources
            .and_then(|r| r.get_deref(b"Font", doc).ok())
            .and_then(|f| f.as_dict().ok())
            .and_then(|f| f.get_deref(name, doc).ok())
            .and_then(|f| f.as_dict().ok())
        else {
            return Ok(None);
        };
        let key = dict as *const Dictionary as usize;
        if let Some(f) = self.fonts.get(&key) {
            return Ok(Some(f.clone()));
        }
        let font = Rc::new(Font::read(self.doc, dict, &mut self.budget, self.cap)?);
        self.fonts.insert(key, font.clone());
        Ok(Some(font))
    }
}

/// A right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko…).
fn is_rtl(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
}

/// The glyphs of one string are drawn left to right, so Hebrew or Arabic
/// text in a string is in visual order: read backwards, with runs of
/// left-to-right letters and digits kept as they are, as a reader (and
/// poppler) reads it.
fn logical_order(run: &str) -> String {
    let ltr = |c: char| c.is_alphanumeric() && !is_rtl(c);
    let chars: Vec<char> = run.chars().rev().collect();
    let mut out = String::with_capacity(run.len());
    let mut i = 0;
    while i < chars.len() {
        if ltr(chars[i]) {
            // A left-to-right run, with the punctuation inside it ("12.5").
            let mut j = i;
            while j + 1 < chars.len()
                && (ltr(chars[j + 1])
                    || (!chars[j + 1].is_whitespace()
                        && !is_rtl(chars[j + 1])
                        && chars.get(j + 2).is_some_and(|c| ltr(*c))))
            {
                j += 1;
            }
            out.extend(chars[i..=j].iter().rev());
            i = j + 1;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A key of a page dictionary, inherited from the page tree when absent.
pub(super) fn inherited<'d>(
    doc: &'d Document,
    mut dict: &'d Dictionary,
    key: &[u8],
) -> Option<&'d Object> {
    for _ in 0..64 {
        if let Ok(o) = dict.get_deref(key, doc) {
            return Some(o);
        }
        dict = dict
            .get_deref(b"Parent", doc)
            .and_then(Object::as_dict)
            .ok()?;
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn right_to_left_strings_are_read_in_logical_order() {
        // "שלום עולם 2024 (PDF)" drawn left to right.
        let visual: String = "שלום עולם 2024 (PDF)".chars().rev().collect::<String>();
        let visual = visual.replace("4202", "2024").replace("FDP", "PDF");
        assert_eq!(super::logical_order(&visual), "שלום עולם 2024 (PDF)");
        assert_eq!(super::logical_order("12.5 םולש"), "שלום 12.5");
    }
}
