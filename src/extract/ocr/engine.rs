//! Running `tesseract` on one image and reading its TSV.

use super::{OcrError, Settings};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One word of a recognised page: where it is in the page's text, and how
/// sure the engine is of it (0–1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Word {
    pub start: u32,
    pub end: u32,
    pub confidence: f32,
}

/// The words of the unit that follows (see [`super::emit`]).
pub type Recognised = [Word];

/// One page of an image as the engine read it.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// 1-based (a multi-page TIFF has several).
    pub number: u32,
    /// Words separated by spaces, lines by newlines, blocks by an empty line.
    pub text: String,
    pub words: Vec<Word>,
    /// The text's lines as the engine found them: each one's bytes in
    /// `text` and its box in the image (the zone reader cuts its cells
    /// there); empty once the text is rewritten.
    pub lines: Vec<TextLine>,
}

/// One line of a page's text and where the engine saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLine {
    pub start: u32,
    pub end: u32,
    /// Left, top, right, bottom, in pixels of the image.
    pub rect: [u32; 4],
}

/// A word the engine is at least this sure of (0–100) makes a page hold text.
const SURE: f32 = 60.0;

impl Page {
    /// At least one word of two letters or digits that the engine is sure of
    /// ([`SURE`]): a photo gives a few unsure fragments.
    pub fn has_text(&self) -> bool {
        self.words.iter().any(|w| {
            w.confidence * 100.0 >= SURE
                && self.text[w.start as usize..w.end as usize]
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .count()
                    >= 2
        })
    }
}

/// The models `program` has (`--list-langs`); `None` if it does not run.
pub(super) fn languages(program: &Path) -> Option<Vec<String>> {
    let out = Command::new(program)
        .arg("--list-langs")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Some(
        text.lines()
            .skip(1) // "List of available languages in …"
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
    )
}

/// How often the clock is read while the engine works.
const TICK: Duration = Duration::from_millis(20);

/// How the engine reads a page: its whole layout, or every line as one
/// block with only the characters of an identity document's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    Layout,
    Zone,
}

impl Pass {
    fn args(self) -> &'static [&'static str] {
        match self {
            Pass::Layout => &["--psm", "3"],
            Pass::Zone => &[
                "--psm",
                "6",
                "-c",
                "tessedit_char_whitelist=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<",
            ],
        }
    }
}

/// Recognises the text of an image (any format the engine reads; every page
/// of a TIFF) in one `pass`, stopping the engine at `deadline`.
pub(super) fn run(
    settings: &Settings,
    image: &[u8],
    deadline: Instant,
    pass: Pass,
) -> Result<Vec<Page>, OcrError> {
    let failed = |e: std::io::Error| OcrError::Failed(e.to_string());
    let mut child = Command::new(&settings.program)
        .args(["stdin", "stdout", "-l", &settings.languages])
        .args(pass.args())
        .arg("tsv")
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(failed)?;
    let (Some(mut stdin), Some(mut stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(OcrError::Failed("no pipe to the engine".into()));
    };
    let tsv = std::thread::scope(|s| {
        // The image is written while the result is read: neither pipe fills.
        s.spawn(move || {
            let _ = stdin.write_all(image);
        });
        let reader = s.spawn(move || {
            let mut out = Vec::new();
            stdout.read_to_end(&mut out).map(|_| out)
        });
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(OcrError::TimeUp(0));
                }
                Ok(None) => std::thread::sleep(TICK),
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(failed(e));
                }
            }
        }?;
        let out = reader
            .join()
            .map_err(|_| OcrError::Failed("reading the engine's output".into()))?
            .map_err(failed)?;
        if !status.success() {
            return Err(OcrError::Failed(match status.code() {
                Some(c) => format!("the engine exited with status {c} (unreadable image?)"),
                None => "the engine was ended by a signal".into(),
            }));
        }
        Ok(out)
    })?;
    Ok(parse_tsv(&String::from_utf8_lossy(&tsv)))
}

/// The pages of the engine's TSV output: `level page_num block_num par_num
/// line_num word_num left top width height conf text`, one row a box; words
/// are level 5.
pub(super) fn parse_tsv(tsv: &str) -> Vec<Page> {
    let mut pages: Vec<Page> = Vec::new();
    let mut last: Option<(u32, u32, u32, u32)> = None;
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.splitn(12, '\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let num = |i: usize| f[i].parse::<u32>().unwrap_or(0);
        let (page, block, par, line) = (num(1), num(2), num(3), num(4));
        let word = f[11].trim();
        if word.is_empty() {
            continue;
        }
        let rect = {
            let (l, t) = (num(6), num(7));
            [l, t, l.saturating_add(num(8)), t.saturating_add(num(9))]
        };
        let conf = f[10].parse::<f32>().unwrap_or(0.0).clamp(0.0, 100.0) / 100.0;
        if pages.last().is_none_or(|p| p.number != page) {
            pages.push(Page {
                number: page.max(1),
                ..Page::default()
            });
            last = None;
        }
        let Some(p) = pages.last_mut() else { continue };
        let sep = match last {
            None => "",
            Some((_, b, _, _)) if b != block => "\n\n",
            Some((_, _, pa, l)) if pa != par || l != line => "\n",
            Some(_) => " ",
        };
        p.text.push_str(sep);
        let start = p.text.len() as u32;
        p.text.push_str(word);
        p.words.push(Word {
            start,
            end: p.text.len() as u32,
            confidence: conf,
        });
        let end = p.text.len() as u32;
        match p.lines.last_mut() {
            Some(l) if sep == " " => {
                l.end = end;
                l.rect = [
                    l.rect[0].min(rect[0]),
                    l.rect[1].min(rect[1]),
                    l.rect[2].max(rect[2]),
                    l.rect[3].max(rect[3]),
                ];
            }
            _ => p.lines.push(TextLine { start, end, rect }),
        }
        last = Some((page, block, par, line));
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_to_lines_and_blocks() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t96.5\tNom\n\
                   5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t91\t:\n\
                   5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t40\tDUPONT\n\
                   5\t1\t2\t1\t1\t1\t0\t0\t1\t1\t90\tParis\n\
                   5\t2\t1\t1\t1\t1\t0\t0\t1\t1\t88\tpage2\n";
        let pages = parse_tsv(tsv);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].text, "Nom :\nDUPONT\n\nParis");
        let w = pages[0].words[2];
        assert_eq!(&pages[0].text[w.start as usize..w.end as usize], "DUPONT");
        assert!((w.confidence - 0.4).abs() < 1e-6);
        assert_eq!(pages[1].number, 2);
        assert!(pages[0].has_text());
        let l = &pages[0].lines[0];
        assert_eq!(&pages[0].text[l.start as usize..l.end as usize], "Nom :");
        assert_eq!(l.rect, [0, 0, 1, 1]);
        assert_eq!(pages[0].lines.len(), 3);
    }
}
