//! TraceQL lexer over bytes, following Tempo's: Go-style numbers, strings and
//! comments, durations glued to numbers, and raw attribute names after a scope.
//!
//! One pass over the bytes into a `Vec<Token>` of spans: no token owns text.
//! Numbers (`numbers.rs`), strings (`strings.rs`) and attribute names
//! (`attributes.rs`) have their own files.

mod attributes;
mod numbers;
mod strings;
mod tokens;

pub use numbers::parse_float;
pub use tokens::*;

use std::borrow::Cow;

use crate::syntax::{ParseError, Span};

use super::ast::AttributeScope;

/// Lexes all of `src` into `tokens` (cleared first, so that a caller can
/// reuse its allocation from one query to the next); stops at the first
/// error, which ends the stream.
pub fn lex(src: &str, mut tokens: Vec<Token>) -> (Vec<Token>, Option<Box<ParseError>>) {
    tokens.clear();
    // A token per byte at most (plus the end), so short queries never
    // regrow; long ones regrow rarely enough.
    tokens.reserve(src.len().min(4096) + 1);
    let mut lexer = Lexer {
        src,
        bytes: src.as_bytes(),
        pos: 0,
        parent_scope: false,
        tokens,
    };
    // Boxed: the error is rare, and a small result moves cheaply.
    let error = lexer.run().err().map(Box::new);
    let end = lexer.pos.min(src.len());
    lexer.tokens.push(Token {
        tok: Tok::Eof,
        span: Span::at(if error.is_some() { end } else { src.len() }),
        aux: 0,
    });
    (lexer.tokens, error)
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Tempo remembers the last scope token; while it is `parent.`, a later
    /// `.resource.x` / `.span.x` lexes as a nested scope (a syntax error).
    parent_scope: bool,
    tokens: Vec<Token>,
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

fn is_ident_continue(c: char) -> bool {
    is_ident_start(c) || c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

impl<'a> Lexer<'a> {
    /// The character at byte `at` (which must be a boundary), if any.
    fn char_at(&self, at: usize) -> Option<char> {
        self.src.get(at..).and_then(|s| s.chars().next())
    }

    fn byte(&self, at: usize) -> u8 {
        self.bytes.get(at).copied().unwrap_or(0)
    }

    fn push(&mut self, tok: Tok, start: usize, aux: u32) {
        self.tokens.push(Token {
            tok,
            span: Span::new(start, self.pos),
            aux,
        });
    }

    fn error(&self, start: usize, end: usize, message: impl Into<Cow<'static, str>>) -> ParseError {
        ParseError::new(Span::new(start, end.min(self.src.len())), message)
    }

    fn run(&mut self) -> Result<(), ParseError> {
        loop {
            self.skip_trivia()?;
            let start = self.pos;
            let Some(&b) = self.bytes.get(start) else {
                return Ok(());
            };
            match b {
                b'0'..=b'9' => self.number(start)?,
                b'.' if self.byte(start + 1).is_ascii_digit() => self.number(start)?,
                b'.' => {
                    self.pos += 1;
                    self.attribute(start, AttributeScope::None, false)?;
                }
                b'"' => self.string(start)?,
                b'`' => self.raw_string(start)?,
                b'\'' => {
                    return Err(self
                        .error(
                            start,
                            start + 1,
                            "single quotes do not make a string in TraceQL",
                        )
                        .expected(&["\"", "`"])
                        .help("use double quotes (\"text\") or backticks (`text`)"));
                }
                b'_' | b'a'..=b'z' | b'A'..=b'Z' => self.word(start)?,
                0x80.. => match self.char_at(start) {
                    Some(c) if is_ident_start(c) => self.word(start)?,
                    Some('\u{feff}') => {
                        return Err(self.error(
                            start,
                            start + 3,
                            "invalid byte order mark inside the query",
                        ));
                    }
                    // Tempo reads any other character as an identifier of its own.
                    c => {
                        self.pos = start + c.map_or(1, char::len_utf8);
                        self.push(Tok::Ident, start, 0);
                    }
                },
                _ => self.operator(start, b)?,
            }
        }
    }

    fn skip_trivia(&mut self) -> Result<(), ParseError> {
        loop {
            match self.byte(self.pos) {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'/' if self.byte(self.pos + 1) == b'/' => {
                    self.pos = match memchr(b'\n', &self.bytes[self.pos..]) {
                        Some(i) => self.pos + i,
                        None => self.bytes.len(),
                    };
                }
                b'/' if self.byte(self.pos + 1) == b'*' => {
                    let start = self.pos;
                    match self.src[self.pos + 2..].find("*/") {
                        Some(i) => self.pos += 2 + i + 2,
                        None => {
                            return Err(self
                                .error(start, self.src.len(), "comment not terminated")
                                .expected(&["*/"])
                                .help("close the comment with `*/`"));
                        }
                    }
                }
                0xEF if self.pos == 0 && self.bytes.starts_with(&[0xEF, 0xBB, 0xBF]) => {
                    self.pos += 3;
                }
                _ => return Ok(()),
            }
        }
    }

    /// Punctuation and operators, at an ASCII byte `b` that starts no other token.
    fn operator(&mut self, start: usize, b: u8) -> Result<(), ParseError> {
        let next = self.byte(start + 1);
        let next2 = self.byte(start + 2);
        let (tok, len) = match b {
            b'{' => (Tok::LBrace, 1),
            b'}' => (Tok::RBrace, 1),
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            b',' => (Tok::Comma, 1),
            b'|' if next == b'|' => (Tok::Or, 2),
            b'|' => (Tok::Pipe, 1),
            b'=' if next == b'~' => (Tok::Re, 2),
            b'=' => (Tok::Eq, 1),
            b'!' if next == b'=' => (Tok::Neq, 2),
            b'!' if next == b'~' => (Tok::Nre, 2),
            b'!' if next == b'>' && next2 == b'>' => (Tok::NotDesc, 3),
            b'!' if next == b'>' => (Tok::NotChild, 2),
            b'!' if next == b'<' && next2 == b'<' => (Tok::NotAnc, 3),
            b'!' if next == b'<' => (Tok::NotParent, 2),
            b'!' => (Tok::Not, 1),
            b'>' if next == b'=' => (Tok::Gte, 2),
            b'>' if next == b'>' => (Tok::Desc, 2),
            b'>' => (Tok::Gt, 1),
            b'<' if next == b'=' => (Tok::Lte, 2),
            b'<' if next == b'<' => (Tok::Anc, 2),
            b'<' => (Tok::Lt, 1),
            b'&' if next == b'&' => (Tok::And, 2),
            b'&' if next == b'>' && next2 == b'>' => (Tok::UnionDesc, 3),
            b'&' if next == b'>' => (Tok::UnionChild, 2),
            b'&' if next == b'<' && next2 == b'<' => (Tok::UnionAnc, 3),
            b'&' if next == b'<' => (Tok::UnionParent, 2),
            b'&' if next == b'~' => (Tok::UnionSibl, 2),
            b'~' => (Tok::Tilde, 1),
            b'+' => (Tok::Add, 1),
            b'-' => (Tok::Sub, 1),
            b'*' => (Tok::Mul, 1),
            b'/' => (Tok::Div, 1),
            b'%' => (Tok::Mod, 1),
            b'^' => (Tok::Pow, 1),
            b'\0' => {
                return Err(self.error(start, start + 1, "invalid character NUL"));
            }
            // Tempo reads any other character as an identifier of its own.
            _ => (Tok::Ident, 1),
        };
        self.pos = start + len;
        self.push(tok, start, 0);
        Ok(())
    }

    /// A word: a keyword, a scope before `.` or `:`, or an identifier.
    fn word(&mut self, start: usize) -> Result<(), ParseError> {
        let mut end = start;
        while let Some(&b) = self.bytes.get(end) {
            if crate::syntax::is_ascii_word_byte(b) {
                end += 1;
            } else if b >= 0x80 {
                match self.char_at(end) {
                    Some(c) if is_ident_continue(c) => end += c.len_utf8(),
                    _ => break,
                }
            } else {
                break;
            }
        }
        self.pos = end;
        let word = &self.src[start..end];
        match self.byte(end) {
            b'.' => {
                let scope = match word {
                    "span" => Some((AttributeScope::Span, false)),
                    "resource" => Some((AttributeScope::Resource, false)),
                    "event" => Some((AttributeScope::Event, false)),
                    "link" => Some((AttributeScope::Link, false)),
                    "instrumentation" => Some((AttributeScope::Instrumentation, false)),
                    "parent" => Some((AttributeScope::None, true)),
                    _ => None,
                };
                if let Some((scope, parent)) = scope {
                    self.pos += 1;
                    self.parent_scope = parent;
                    return self.attribute(start, scope, parent);
                }
            }
            b':' => {
                let scope = match word {
                    "trace" => Some(ColonScope::Trace),
                    "span" => Some(ColonScope::Span),
                    "event" => Some(ColonScope::Event),
                    "link" => Some(ColonScope::Link),
                    "instrumentation" => Some(ColonScope::Instrumentation),
                    _ => None,
                };
                if let Some(scope) = scope {
                    self.pos += 1;
                    self.parent_scope = false;
                    self.push(Tok::ScopeColon(scope), start, 0);
                    return Ok(());
                }
            }
            _ => {}
        }
        let tok = Kw::from_word(word).map_or(Tok::Ident, Tok::Kw);
        self.push(tok, start, 0);
        Ok(())
    }
}

/// The index of the first `needle` in `haystack`.
fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}
