//! The LogQL lexer: bytes to tokens the way Loki's Go lexer (text/scanner plus
//! its duration, bytes, flag and function-name rules) splits a query.

mod numbers;
mod strings;
mod words;

use super::ast::{RangeOp, VectorOp};
use super::units;

pub use strings::unquote;
pub use words::function;
use words::Word;

/// What a token is. Keywords are matched case-insensitively, as Loki does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Ident,
    /// A character Go's scanner does not know (`@`, `$`, `:`...): Loki treats
    /// it as an identifier.
    Other,
    Number,
    Duration,
    Bytes,
    String,
    RawString,
    /// `[5m]`, a whole range with its duration.
    Range,
    /// `--strict`, `--keep-empty`.
    Flag,
    LBrace,
    RBrace,
    LParen,
    RParen,
    RBracket,
    Comma,
    Dot,
    Eq,
    Neq,
    Re,
    Nre,
    CmpEq,
    Gt,
    Gte,
    Lt,
    Lte,
    Pipe,
    PipeExact,
    PipeMatch,
    PipePattern,
    Npa,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    By,
    Without,
    Bool,
    On,
    Ignoring,
    GroupLeft,
    GroupRight,
    Offset,
    Or,
    And,
    Unless,
    Json,
    Regexp,
    Logfmt,
    Unpack,
    Pattern,
    LabelFormat,
    LineFormat,
    Decolorize,
    Drop,
    Keep,
    Unwrap,
    Variants,
    Of,
    /// Function names, only when a `(` (or `by (`/`without (`) follows.
    RangeFn(RangeOp),
    VectorFn(VectorOp),
    Vector,
    LabelReplace,
    BytesConv,
    DurationConv,
    DurationSecondsConv,
    Ip,
    /// A lexical error; its message is in `Lexed::errors`.
    Error(u16),
    Eof,
}

#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub tok: Tok,
    pub start: u32,
    pub end: u32,
    /// Nanoseconds for `Duration` and `Range`, bytes for `Bytes`.
    pub value: i64,
}

pub struct Lexed {
    pub tokens: Vec<Token>,
    pub errors: Vec<String>,
}

/// Whitespace that separates tokens (Go's scanner: space, tab, CR, LF).
fn is_go_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_continue(c: char) -> bool {
    c == '_' || c.is_alphabetic() || is_unicode_digit(c)
}

/// Go's `unicode.IsDigit` (category Nd); `char::is_numeric` is wider, so
/// approximate with ASCII digits plus decimal digits of other scripts.
fn is_unicode_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric() && c.to_digit(10).is_none() && is_nd(c))
}

fn is_nd(c: char) -> bool {
    // Decimal digits of other scripts come in runs of ten starting at a zero;
    // a cheap check that excludes fractions and superscripts (No, Nl).
    !matches!(c, '\u{b2}' | '\u{b3}' | '\u{b9}' | '\u{bc}'..='\u{be}')
        && !('\u{2150}'..='\u{218f}').contains(&c)
        && !('\u{2070}'..='\u{209f}').contains(&c)
        && !('\u{2460}'..='\u{24ff}').contains(&c)
        && !('\u{2776}'..='\u{2793}').contains(&c)
        && !('\u{3007}'..='\u{3007}').contains(&c)
        && !('\u{16ee}'..='\u{16f0}').contains(&c)
}

pub(super) struct Lexer<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    out: Lexed,
}

/// Splits `src` into tokens, ending with `Eof`, into `tokens` (cleared first,
/// so that a caller can reuse its allocation from one query to the next).
pub fn lex(src: &str, mut tokens: Vec<Token>) -> Lexed {
    tokens.clear();
    tokens.reserve(src.len() / 3 + 2);
    let mut lx = Lexer {
        src,
        b: src.as_bytes(),
        pos: 0,
        out: Lexed {
            tokens,
            errors: Vec::new(),
        },
    };
    if src.starts_with('\u{feff}') {
        lx.pos = 3;
    }
    lx.run();
    lx.out
}

impl<'a> Lexer<'a> {
    fn char_at(&self, i: usize) -> Option<char> {
        self.src.get(i..).and_then(|s| s.chars().next())
    }

    fn push(&mut self, tok: Tok, start: usize, end: usize, value: i64) {
        self.out.tokens.push(Token {
            tok,
            start: start as u32,
            end: end as u32,
            value,
        });
    }

    fn error(&mut self, start: usize, end: usize, msg: impl Into<String>) {
        let idx = self.out.errors.len().min(u16::MAX as usize) as u16;
        self.out.errors.push(msg.into());
        self.push(Tok::Error(idx), start, end, 0);
    }

    fn run(&mut self) {
        loop {
            while self.pos < self.b.len() && is_go_whitespace(self.b[self.pos]) {
                self.pos += 1;
            }
            let start = self.pos;
            let c = match self.b.get(start) {
                Some(&b) if b.is_ascii() => Some(b as char),
                _ => self.char_at(start),
            };
            let Some(c) = c else {
                self.push(Tok::Eof, start, start, 0);
                return;
            };
            match c {
                '#' => {
                    while self.pos < self.b.len() && self.b[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                '/' if matches!(self.b.get(start + 1), Some(b'/')) => {
                    while self.pos < self.b.len() && self.b[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                '/' if matches!(self.b.get(start + 1), Some(b'*')) => {
                    match self.src[start + 2..].find("*/") {
                        Some(i) => self.pos = start + 2 + i + 2,
                        None => {
                            self.pos = self.b.len();
                            self.error(start, start + 2, "comment `/*` is never closed by `*/`");
                        }
                    }
                }
                'a'..='z' | 'A'..='Z' | '_' => self.ident(start),
                '0'..='9' => self.number(start),
                '.' if matches!(self.b.get(start + 1), Some(b'0'..=b'9')) => self.number(start),
                '"' => self.string(start),
                '`' => self.raw_string(start),
                '\'' => self.char_literal(start),
                '[' => self.range(start),
                '-' => self.minus(start),
                '\0' => {
                    self.pos += 1;
                    self.error(
                        start,
                        start + 1,
                        "the NUL character is not allowed in a query",
                    );
                }
                c if !c.is_ascii() && is_ident_start(c) => self.ident(start),
                _ => self.operator(start, c),
            }
        }
    }

    fn ident(&mut self, start: usize) {
        // ASCII fast path; fall back to characters at the first non-ASCII byte.
        let mut end = start;
        while self
            .b
            .get(end)
            .copied()
            .is_some_and(crate::syntax::is_ascii_word_byte)
        {
            end += 1;
        }
        if self.b.get(end).is_some_and(|b| !b.is_ascii()) {
            let ascii_end = end;
            for (i, c) in self.src[ascii_end..].char_indices() {
                if !is_ident_continue(c) {
                    end = ascii_end + i;
                    break;
                }
                end = ascii_end + i + c.len_utf8();
            }
        }
        self.pos = end;
        let word = &self.src[start..end];
        let tok = match words::lookup(word) {
            Some(Word::Function(f)) if self.is_function(end) => f,
            Some(Word::Keyword(k)) => k,
            _ => Tok::Ident,
        };
        self.push(tok, start, end, 0);
    }

    /// Loki's `isFunction`: the next non-space text is `(`, or `by`/`without`
    /// then `(`.
    fn is_function(&self, at: usize) -> bool {
        let rest = self.src[at..].trim_start_matches(char::is_whitespace);
        if rest.starts_with('(') {
            return true;
        }
        let word_then_paren = |w: &str| {
            rest.get(..w.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(w))
                && rest[w.len()..]
                    .trim_start_matches(char::is_whitespace)
                    .starts_with('(')
        };
        let starts = |w: &str| {
            rest.get(..w.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(w))
        };
        if starts("by") {
            return word_then_paren("by");
        }
        starts("without") && word_then_paren("without")
    }

    fn scan_while(&self, at: usize, ok: impl Fn(char) -> bool) -> usize {
        let mut end = at;
        for c in self.src[at..].chars() {
            if c.is_whitespace() || !ok(c) {
                break;
            }
            end += c.len_utf8();
        }
        end
    }

    fn range(&mut self, start: usize) {
        let Some(i) = self.src[start + 1..].find(']') else {
            self.pos = self.b.len();
            self.error(
                start,
                start + 1,
                "`[` is never closed: expected a range such as [5m]",
            );
            return;
        };
        let end = start + 1 + i + 1;
        self.pos = end;
        let inner = &self.src[start + 1..end - 1];
        match units::prometheus_duration(inner) {
            Some(n) => self.push(Tok::Range, start, end, n),
            None => self.error(
                start,
                end,
                format!(
                    "`{inner}` is not a duration: a range is written like [5m], [1h30m] or [500ms]"
                ),
            ),
        }
    }

    fn minus(&mut self, start: usize) {
        if self.b.get(start + 1) == Some(&b'-') {
            let end = self.scan_while(start + 1, |c| c.is_alphabetic() || c == '-');
            let flag = &self.src[start..end];
            if flag == "--strict" || flag == "--keep-empty" {
                self.pos = end;
                self.push(Tok::Flag, start, end, 0);
                return;
            }
        }
        if let Some((end, nanos)) = self.try_duration(start, start + 1) {
            self.pos = end;
            self.push(Tok::Duration, start, end, nanos);
            return;
        }
        self.pos = start + 1;
        self.push(Tok::Sub, start, start + 1, 0);
    }

    fn operator(&mut self, start: usize, c: char) {
        let next = self.b.get(start + 1).copied();
        let two = match (c, next) {
            ('!', Some(b'=')) => Some(Tok::Neq),
            ('!', Some(b'~')) => Some(Tok::Nre),
            ('!', Some(b'>')) => Some(Tok::Npa),
            ('=', Some(b'~')) => Some(Tok::Re),
            ('=', Some(b'=')) => Some(Tok::CmpEq),
            ('|', Some(b'=')) => Some(Tok::PipeExact),
            ('|', Some(b'~')) => Some(Tok::PipeMatch),
            ('|', Some(b'>')) => Some(Tok::PipePattern),
            ('>', Some(b'=')) => Some(Tok::Gte),
            ('<', Some(b'=')) => Some(Tok::Lte),
            _ => None,
        };
        if let Some(tok) = two {
            self.pos = start + 2;
            self.push(tok, start, start + 2, 0);
            return;
        }
        let tok = match c {
            ',' => Tok::Comma,
            '.' => Tok::Dot,
            '{' => Tok::LBrace,
            '}' => Tok::RBrace,
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            ']' => Tok::RBracket,
            '=' => Tok::Eq,
            '|' => Tok::Pipe,
            '+' => Tok::Add,
            '*' => Tok::Mul,
            '/' => Tok::Div,
            '%' => Tok::Mod,
            '^' => Tok::Pow,
            '>' => Tok::Gt,
            '<' => Tok::Lt,
            _ => Tok::Other,
        };
        let end = start + c.len_utf8();
        self.pos = end;
        self.push(tok, start, end, 0);
    }
}
