//! TraceQL parser: recursive descent with precedence climbing over the
//! tokens, following the acceptance rules of Tempo's goyacc grammar.
//!
//! The pipeline level (`pipeline.rs`) tracks what a position may hold with
//! [`Ctx`] flags, which reproduce how Tempo's LALR parser resolves `(`.

mod field;
mod field_expr;
mod metrics;
mod operands;
mod operators;
mod pipeline;

use std::borrow::Cow;
use std::cell::Cell;

use crate::syntax::{ParseError, Span};

use super::ast::*;
use super::errors;
use super::lexer::{self, Kw, Tok, Token};
use super::MAX_DEPTH;

pub fn parse(src: &str) -> Result<Query<'_>, ParseError> {
    let (tokens, lex_error) = lexer::lex(src, TOKENS.with(Cell::take));
    let mut p = Parser {
        src,
        tokens,
        pos: 0,
        depth: 0,
        lex_error,
    };
    let result = p.query();
    // Keep a buffer of any everyday size; drop the one a huge query grew.
    if p.tokens.capacity() <= 4096 + 1 {
        TOKENS.with(|t| t.set(p.tokens));
    }
    result
}

/// The operators and right operands of a chain read so far: a single one,
/// the commonest case, needs no list.
#[derive(Default)]
pub(crate) enum Rest<O, E> {
    #[default]
    None,
    One(O, Span, E),
    Many(Vec<(O, Span, E)>),
}

impl<O, E> Rest<O, E> {
    fn push(&mut self, op: O, op_span: Span, rhs: E) {
        *self = match std::mem::take(self) {
            Rest::None => Rest::One(op, op_span, rhs),
            Rest::One(op0, span0, rhs0) => {
                let mut many = Vec::with_capacity(4);
                many.push((op0, span0, rhs0));
                many.push((op, op_span, rhs));
                Rest::Many(many)
            }
            Rest::Many(mut many) => {
                many.push((op, op_span, rhs));
                Rest::Many(many)
            }
        };
    }
}

thread_local! {
    /// The token buffer of the last query, reused by the next one on this
    /// thread: no allocation for tokens once the buffer has grown.
    static TOKENS: Cell<Vec<Token>> = const { Cell::new(Vec::new()) };
}

pub(crate) struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    /// The lexer's error, reported when the parser reaches the token it ended at.
    lex_error: Option<Box<ParseError>>,
}

impl<'a> Parser<'a> {
    /// The current token. `pos` never passes the final `Eof` (see `bump`).
    fn peek(&self) -> Token {
        self.tokens[self.pos]
    }

    fn peek_at(&self, ahead: usize) -> Token {
        self.tokens[(self.pos + ahead).min(self.tokens.len() - 1)]
    }

    fn at(&self, tok: Tok) -> bool {
        self.peek().tok == tok
    }

    fn bump(&mut self) -> Token {
        let t = self.peek();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn text(&self, t: Token) -> &'a str {
        self.src.get(t.span.range()).unwrap_or("")
    }

    /// The error for the current token: the lexer's own when it stopped
    /// here, else "expected X, found Y".
    #[cold]
    #[inline(never)]
    fn unexpected(
        &mut self,
        what: &str,
        expected: impl Into<Cow<'static, [&'static str]>>,
    ) -> ParseError {
        let t = self.peek();
        if t.tok == Tok::Eof {
            if let Some(e) = self.lex_error.take() {
                return *e;
            }
        }
        let found = errors::describe(self.src, &t);
        let mut e = ParseError::new(t.span, ["expected ", what, ", found ", &found].concat())
            .expected(expected);
        if let Some(help) = self.token_help(t) {
            e = e.help(help);
        }
        e
    }

    /// A fix for common slips at token `t`: `==`, a unit split from its number.
    fn token_help(&self, t: Token) -> Option<String> {
        let prev = (self.pos > 0).then(|| self.tokens[self.pos - 1]);
        match (t.tok, prev) {
            (Tok::Eq, Some(p)) if p.tok == Tok::Eq => {
                Some("TraceQL compares with a single `=`".to_string())
            }
            (Tok::Ident, Some(p)) if matches!(p.tok, Tok::Int | Tok::Float | Tok::Duration) => {
                errors::unit_help(
                    self.text(p),
                    self.text(t),
                    p.end() == t.start(),
                    p.tok == Tok::Duration,
                )
            }
            _ => None,
        }
    }

    #[inline]
    fn expect(&mut self, tok: Tok, what: &'static str) -> Result<Token, ParseError> {
        if self.at(tok) {
            Ok(self.bump())
        } else {
            Err(self.unexpected(what, vec![what_token(what)]))
        }
    }

    /// `)` closing the `(` at `open`.
    #[inline]
    fn close(&mut self, close: Tok, open: Token, what: &str) -> Result<Token, ParseError> {
        if self.at(close) {
            return Ok(self.bump());
        }
        Err(self.close_error(close, open, what))
    }

    /// Why `close` is not here.
    #[cold]
    #[inline(never)]
    fn close_error(&mut self, close: Tok, open: Token, what: &str) -> ParseError {
        let (c, o) = match close {
            Tok::RBrace => ("}", "{"),
            _ => (")", "("),
        };
        let t = self.peek();
        if t.tok == Tok::Eof {
            if let Some(e) = self.lex_error.take() {
                return *e;
            }
        }
        let found = errors::describe(self.src, &t);
        let at = open.start().to_string();
        let message = [
            "expected `",
            c,
            "` to close `",
            what,
            o,
            "` opened at byte ",
            &at,
            ", found ",
            &found,
        ]
        .concat();
        let mut e = ParseError::new(t.span, message).expected(if close == Tok::RBrace {
            &["}"]
        } else {
            &[")"]
        });
        if let Some(help) = self.token_help(t) {
            e = e.help(help);
        } else if t.tok == Tok::Ident {
            let word = self.text(t);
            let next = self.src.as_bytes().get(t.end()).copied().unwrap_or(0);
            let w = errors::unknown_word(word, next, t.span, true);
            if let Some(h) = w.help {
                e = e.help(h);
            }
        }
        e
    }

    #[inline]
    fn enter(&mut self, at: Span) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(too_deep(at));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn query(&mut self) -> Result<Query<'a>, ParseError> {
        let body = self.root()?;
        let mut hints = Vec::new();
        while self.at(Tok::Kw(Kw::With)) {
            self.hints(&mut hints)?;
        }
        if !self.at(Tok::Eof) {
            return Err(self.trailing());
        }
        if let Some(e) = self.lex_error.take() {
            return Err(*e);
        }
        Ok(Query {
            body,
            hints,
            span: Span::new(0, self.src.len()),
        })
    }

    /// Something left after a complete query.
    #[cold]
    #[inline(never)]
    fn trailing(&mut self) -> ParseError {
        let t = self.peek();
        match t.tok {
            Tok::RParen => {
                ParseError::new(t.span, "unmatched `)`").help("remove it, or add the `(` it closes")
            }
            Tok::RBrace => {
                ParseError::new(t.span, "unmatched `}`").help("remove it, or add the `{` it closes")
            }
            Tok::Ident => {
                let word = self.text(t);
                let next = self.src.as_bytes().get(t.end()).copied().unwrap_or(0);
                errors::unknown_word(word, next, t.span, true)
            }
            Tok::Kw(
                kw @ (Kw::Rate
                | Kw::CountOverTime
                | Kw::MinOverTime
                | Kw::MaxOverTime
                | Kw::AvgOverTime
                | Kw::SumOverTime
                | Kw::QuantileOverTime
                | Kw::HistogramOverTime
                | Kw::Compare),
            ) => ParseError::new(t.span, format!("`{}` must follow a `|`", kw.as_str()))
                .expected(&["|"])
                .help(format!("write `| {}(...)`", kw.as_str())),
            _ => self.unexpected("the end of the query", &["|", "with"]),
        }
    }

    fn hints(&mut self, out: &mut Vec<Hint<'a>>) -> Result<(), ParseError> {
        let with = self.bump();
        let open = self.expect(Tok::LParen, "`(` after `with`")?;
        loop {
            let name = self.peek();
            if name.tok != Tok::Ident {
                return Err(self.unexpected("a hint name such as `sample`", &["hint name"]));
            }
            self.bump();
            self.expect(Tok::Eq, "`=`")?;
            let value = match self.static_value() {
                Some(v) => v,
                None => {
                    return Err(self.unexpected(
                        "a hint value (a number, duration, string or boolean)",
                        &["value"],
                    ))
                }
            };
            out.push(Hint {
                name: self.text(name),
                span: name.span.to(value.span),
                value,
            });
            if self.at(Tok::Comma) {
                self.bump();
                continue;
            }
            break;
        }
        let _ = with;
        self.close(Tok::RParen, open, "with")?;
        Ok(())
    }

    /// A literal (Tempo's `static`), consumed when the current token is one.
    fn static_value(&mut self) -> Option<Static<'a>> {
        let t = self.peek();
        let value = match t.tok {
            Tok::Str => Value::String(self.string_value(t)),
            Tok::Int => Value::Int(self.text(t).parse().ok()?),
            Tok::Float => Value::Float(parse_float(self.text(t))),
            Tok::Duration => Value::Duration(super::duration::parse(self.text(t)).unwrap_or(0)),
            Tok::Kw(kw) => keyword_value(kw)?,
            _ => return None,
        };
        self.bump();
        Some(Static {
            value,
            span: t.span,
        })
    }

    fn string_value(&self, t: Token) -> Cow<'a, str> {
        let raw = self.text(t);
        let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
        if raw.starts_with('`') {
            if t.aux == 0 {
                Cow::Borrowed(inner)
            } else {
                Cow::Owned(inner.replace('\r', ""))
            }
        } else if t.aux == 0 {
            Cow::Borrowed(inner)
        } else {
            Cow::Owned(unescape(inner))
        }
    }
}

pub(crate) fn keyword_value(kw: Kw) -> Option<Value<'static>> {
    Some(match kw {
        Kw::True => Value::Bool(true),
        Kw::False => Value::Bool(false),
        Kw::Ok => Value::Status(Status::Ok),
        Kw::Error => Value::Status(Status::Error),
        Kw::Unset => Value::Status(Status::Unset),
        Kw::Unspecified => Value::Kind(SpanKind::Unspecified),
        Kw::Internal => Value::Kind(SpanKind::Internal),
        Kw::Server => Value::Kind(SpanKind::Server),
        Kw::Client => Value::Kind(SpanKind::Client),
        Kw::Producer => Value::Kind(SpanKind::Producer),
        Kw::Consumer => Value::Kind(SpanKind::Consumer),
        _ => return None,
    })
}

#[cold]
#[inline(never)]
fn too_deep(at: Span) -> ParseError {
    ParseError::new(
        at,
        format!("query nested more than {MAX_DEPTH} levels deep"),
    )
    .help("simplify the query: remove redundant parentheses or split it")
}

fn what_token(what: &'static str) -> &'static str {
    match what {
        "`(`" | "`(` after `with`" => "(",
        "`)`" => ")",
        "`=`" => "=",
        "`,`" => ",",
        _ => what,
    }
}

pub(crate) fn parse_float(text: &str) -> f64 {
    lexer::parse_float(text).unwrap_or(0.0)
}

/// Go escapes of a validated double-quoted string body.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else { break };
        let hex = |n: usize| {
            s.get(i + 2..i + 2 + n)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
        };
        match e {
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                if let Some(v) = hex(n) {
                    if e == 'x' {
                        // A byte; bytes >= 0x80 are not valid UTF-8 on their own.
                        out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                    } else {
                        out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                    }
                }
                for _ in 0..n {
                    chars.next();
                }
            }
            '0'..='7' => {
                if let Some(v) = s
                    .get(i + 1..i + 4)
                    .and_then(|o| u32::from_str_radix(o, 8).ok())
                {
                    out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                }
                chars.next();
                chars.next();
            }
            other => out.push(other),
        }
    }
    out
}
