//! Content-stream lexer (no recursion; arrays flattened, dictionaries
//! skipped), also used for CMaps.

/// One operand of a content-stream operator.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Operand {
    Num(f64),
    Name(Vec<u8>),
    Str(Vec<u8>),
    /// A `[...]` array (nested arrays flattened).
    Array(Vec<Operand>),
    /// `true` or `false`, and a dictionary as its keys and values in turn:
    /// values only in an inline image's dictionary ([`Lexer::image_dict`]).
    Bool(bool),
    Dict(Vec<Operand>),
}

/// A token of PostScript-like syntax (content streams, CMaps).
#[derive(Debug, PartialEq)]
pub(super) enum Token<'a> {
    Operand(Operand),
    ArrayStart,
    ArrayEnd,
    DictStart,
    DictEnd,
    Operator(&'a [u8]),
}

#[derive(Clone)]
pub(super) struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_white(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
        Lexer { data, pos: 0 }
    }

    fn peek(&self, off: usize) -> Option<u8> {
        self.data.get(self.pos + off).copied()
    }

    /// The next token, or `None` at the end.
    pub(super) fn token(&mut self) -> Option<Token<'a>> {
        loop {
            let b = self.peek(0)?;
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while self.peek(0).is_some_and(|b| b != b'\n' && b != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
        let b = self.peek(0)?;
        let start = self.pos;
        self.pos += 1;
        Some(match b {
            b'(' => Token::Operand(Operand::Str(self.literal())),
            b'<' if self.peek(0) == Some(b'<') => {
                self.pos += 1;
                Token::DictStart
            }
            b'<' => Token::Operand(Operand::Str(self.hex())),
            b'>' if self.peek(0) == Some(b'>') => {
                self.pos += 1;
                Token::DictEnd
            }
            b'[' => Token::ArrayStart,
            b']' => Token::ArrayEnd,
            b'/' => {
                let raw = self.regular();
                Token::Operand(Operand::Name(unescape_name(raw)))
            }
            b')' | b'>' | b'{' | b'}' => Token::Operator(&self.data[start..self.pos]),
            _ => {
                self.pos = start;
                let raw = self.regular();
                let num = (b.is_ascii_digit() || b == b'-' || b == b'+' || b == b'.')
                    .then(|| std::str::from_utf8(raw).ok()?.parse::<f64>().ok())
                    .flatten();
                match num {
                    Some(n) if n.is_finite() => Token::Operand(Operand::Num(n)),
                    _ => Token::Operator(raw),
                }
            }
        })
    }

    /// Regular characters from the current position.
    fn regular(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek(0).is_some_and(|b| !is_white(b) && !is_delim(b)) {
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    /// A literal string after its `(`.
    fn literal(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        while let Some(b) = self.peek(0) {
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' if depth == 0 => break,
                b')' => {
                    depth -= 1;
                    out.push(b);
                }
                b'\\' => {
                    let Some(e) = self.peek(0) else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek(0) {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        b'\r' => {
                            if self.peek(0) == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        out
    }

    /// A hexadecimal string after its `<`.
    fn hex(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(b) = self.peek(0) {
            self.pos += 1;
            let v = match b {
                b'>' => break,
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => continue,
            };
            match high.take() {
                Some(h) => out.push(h << 4 | v),
                None => high = Some(v),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        out
    }

    /// Skips inline image data after the `ID` operator, up to `EI`, and
    /// returns it.
    pub(super) fn skip_inline_image(&mut self) -> &'a [u8] {
        let data: &'a [u8] = self.data;
        let rest = &data[self.pos.min(data.len())..];
        let end = rest
            .windows(4)
            .position(|w| is_white(w[0]) && &w[1..3] == b"EI" && (is_white(w[3]) || is_delim(w[3])))
            .map(|i| i + 3)
            .or_else(|| rest.ends_with(b"EI").then_some(rest.len()))
            .unwrap_or(rest.len());
        self.pos += end;
        // One white byte after `ID`, then the data, then ` EI`.
        let from = usize::from(rest.first().is_some_and(|b| is_white(*b)));
        &rest[from.min(end)..end.saturating_sub(3).max(from.min(end))]
    }

    /// The dictionary of an inline image after `BI`, up to its `ID`, as keys
    /// and values in turn: unlike other operands, `true`/`false` and a
    /// dictionary (`/DP << /K -1 >>`) are values here. `false` when another
    /// operator comes first (a broken stream).
    pub(super) fn image_dict(&mut self, operands: &mut Vec<Operand>) -> bool {
        operands.clear();
        let (mut dict, mut array): (Option<Vec<Operand>>, Option<Vec<Operand>>) = (None, None);
        while let Some(tok) = self.token() {
            let o = match tok {
                Token::Operator(b"ID") => return true,
                Token::Operator(b"true") => Operand::Bool(true),
                Token::Operator(b"false") => Operand::Bool(false),
                Token::Operator(_) => return false,
                Token::DictStart => {
                    dict = Some(Vec::new());
                    continue;
                }
                Token::ArrayStart => {
                    array = Some(Vec::new());
                    continue;
                }
                Token::DictEnd => match dict.take() {
                    Some(d) => Operand::Dict(d),
                    None => continue,
                },
                Token::ArrayEnd => match array.take() {
                    Some(a) => Operand::Array(a),
                    None => continue,
                },
                Token::Operand(o) => o,
            };
            let into = match (array.as_mut(), dict.as_mut()) {
                (Some(a), _) => a,
                (None, Some(d)) => d,
                (None, None) => &mut *operands,
            };
            push_capped(into, o);
        }
        false
    }

    /// The next operator with its operands; arrays collected (flattened),
    /// dictionaries skipped. `None` at the end.
    pub(super) fn operation(&mut self, operands: &mut Vec<Operand>) -> Option<&'a [u8]> {
        operands.clear();
        let mut array: Option<Vec<Operand>> = None;
        let mut depth = 0usize; // arrays inside the current one
        let mut dicts = 0usize;
        loop {
            let tok = self.token()?;
            if dicts > 0 {
                match tok {
                    Token::DictStart => dicts += 1,
                    Token::DictEnd => dicts -= 1,
                    _ => {}
                }
                continue;
            }
            match tok {
                Token::DictStart => dicts = 1,
                Token::DictEnd => {}
                Token::ArrayStart => match array {
                    Some(_) => depth += 1,
                    None => array = Some(Vec::new()),
                },
                Token::ArrayEnd => {
                    if depth > 0 {
                        depth -= 1;
                    } else if let Some(a) = array.take() {
                        push_capped(operands, Operand::Array(a));
                    }
                }
                Token::Operand(o) => match array.as_mut() {
                    Some(a) => push_capped(a, o),
                    None => push_capped(operands, o),
                },
                Token::Operator(op) => {
                    if array.is_none() {
                        return Some(op);
                    }
                    // An operator inside an array: a broken stream; keep going.
                }
            }
        }
    }
}

/// Operands kept per operator (and elements per array), at most.
const MAX_OPERANDS: usize = 1 << 16;

fn push_capped(v: &mut Vec<Operand>, o: Operand) {
    if v.len() < MAX_OPERANDS {
        v.push(o);
    }
}

/// A name with its `#xx` escapes decoded.
fn unescape_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = raw
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (raw[i], hex) {
            (b'#', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexer_tokens() {
        let mut l = Lexer::new(b"[(a\\(b\\051) -250 <4142>] TJ /F#31 12 Tf << /A [1 2] >> BDC");
        let mut ops = Vec::new();
        assert_eq!(l.operation(&mut ops), Some(&b"TJ"[..]));
        assert_eq!(
            ops,
            vec![Operand::Array(vec![
                Operand::Str(b"a(b)".to_vec()),
                Operand::Num(-250.0),
                Operand::Str(b"AB".to_vec()),
            ])]
        );
        assert_eq!(l.operation(&mut ops), Some(&b"Tf"[..]));
        assert_eq!(ops[0], Operand::Name(b"F1".to_vec()));
        assert_eq!(l.operation(&mut ops), Some(&b"BDC"[..]));
        assert!(ops.is_empty());
        assert_eq!(l.operation(&mut ops), None);
    }

    #[test]
    fn an_inline_images_dictionary_keeps_its_decode_parameters() {
        let mut l = Lexer::new(
            b"BI /W 8 /IM true /F [/CCF] /DP << /K -1 /BlackIs1 true >> /H 2 ID \x00\xff EI",
        );
        let mut ops = Vec::new();
        assert_eq!(l.operation(&mut ops), Some(&b"BI"[..]));
        assert!(l.image_dict(&mut ops));
        let name = |n: &[u8]| Operand::Name(n.to_vec());
        assert_eq!(
            ops,
            vec![
                name(b"W"),
                Operand::Num(8.0),
                name(b"IM"),
                Operand::Bool(true),
                name(b"F"),
                Operand::Array(vec![name(b"CCF")]),
                name(b"DP"),
                Operand::Dict(vec![
                    name(b"K"),
                    Operand::Num(-1.0),
                    name(b"BlackIs1"),
                    Operand::Bool(true)
                ]),
                name(b"H"),
                Operand::Num(2.0),
            ]
        );
        assert_eq!(l.skip_inline_image(), b"\x00\xff");
    }
}
