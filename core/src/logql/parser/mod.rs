//! Recursive-descent LogQL parser over the token vector: the token cursor and
//! error helpers here, expressions in `expr`, pipelines in `pipeline`, ranges in `range`.

mod expr;
mod pipeline;
mod range;

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt::{self, Write as _};

use crate::syntax::{ParseError, Span};

use super::ast::Expr;
use super::lexer::{self, Tok, Token};

/// Deepest nesting (parentheses, aggregations, label filter groups) we parse:
/// deep enough for any real query, shallow enough for a 256 KiB stack even in
/// debug builds (about 9 KiB of stack per level there).
pub const MAX_DEPTH: usize = 24;

/// Loki refuses queries of this many bytes or more (`maxInputSize`).
pub const MAX_QUERY_BYTES: usize = 5120;

pub(super) struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    lex_errors: Vec<String>,
    pos: usize,
    depth: usize,
}

pub(super) type PResult<T> = Result<T, ParseError>;

pub(super) fn parse(src: &str) -> PResult<Expr<'_>> {
    if src.len() >= MAX_QUERY_BYTES {
        return Err(ParseError::new(
            Span::new(0, 0),
            format!(
                "query is {} bytes long; Loki accepts queries shorter than {MAX_QUERY_BYTES} bytes",
                src.len()
            ),
        ));
    }
    let lexed = lexer::lex(src, TOKENS.with(Cell::take));
    let mut p = Parser {
        src,
        toks: lexed.tokens,
        lex_errors: lexed.errors,
        pos: 0,
        depth: 0,
    };
    let result = p.query();
    if p.toks.capacity() <= MAX_QUERY_BYTES {
        TOKENS.with(|t| t.set(p.toks));
    }
    result
}

thread_local! {
    /// The token buffer of the last query, reused by the next one on this
    /// thread: no allocation for tokens once the buffer has grown.
    static TOKENS: Cell<Vec<Token>> = const { Cell::new(Vec::new()) };
}

impl<'a> Parser<'a> {
    /// The whole query: an expression, then the end.
    fn query(&mut self) -> PResult<Expr<'a>> {
        if self.peek() == Tok::Eof {
            return Err(
                ParseError::new(Span::at(self.src.len()), "the query is empty")
                    .expected(&["{", "function"])
                    .help("start with a log selector such as {app=\"foo\"}"),
            );
        }
        let expr = self.expr_top()?;
        self.end(&expr)?;
        Ok(expr)
    }

    /// The current token. `pos` never passes the final `Eof` (see `bump`).
    fn token(&self) -> Token {
        self.toks[self.pos]
    }

    fn peek(&self) -> Tok {
        self.token().tok
    }

    fn peek_at(&self, n: usize) -> Tok {
        self.toks[(self.pos + n).min(self.toks.len() - 1)].tok
    }

    fn bump(&mut self) -> Token {
        let t = self.token();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn text(&self, t: Token) -> &'a str {
        &self.src[t.start as usize..t.end as usize]
    }

    fn span(t: Token) -> Span {
        Span::new(t.start as usize, t.end as usize)
    }

    /// Whether the current token is glued to the previous one (no space).
    fn glued(&self) -> bool {
        self.pos > 0 && self.toks[self.pos - 1].end == self.token().start
    }

    /// The end of the previous token.
    fn prev_end(&self) -> usize {
        if self.pos == 0 {
            0
        } else {
            self.toks[self.pos - 1].end as usize
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::new(
                Self::span(self.token()),
                format!("query nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// How a token reads in a message, written straight into it.
    fn found(&self, t: Token) -> Found<'a> {
        match t.tok {
            Tok::Eof => Found::End,
            _ => {
                let text = self.text(t);
                match text.char_indices().nth(24) {
                    Some((cut, _)) => Found::Cut(&text[..cut]),
                    None => Found::Whole(text),
                }
            }
        }
    }

    /// "expected X, found Y" at the current token (or the lexer's own error
    /// when the token is malformed).
    fn unexpected(
        &self,
        wanted: impl fmt::Display,
        expected: impl Into<Cow<'static, [&'static str]>>,
    ) -> ParseError {
        let t = self.token();
        if let Tok::Error(i) = t.tok {
            return self.lex_error(t, i);
        }
        // Sized for most messages up front: growing it costs more than writing it.
        let mut message = String::with_capacity(128);
        let _ = write!(message, "expected {wanted}, found {}", self.found(t));
        let mut e = ParseError::new(Self::span(t), message).expected(expected);
        if let Some(help) = self.generic_help() {
            e = e.help(help);
        }
        e
    }

    fn lex_error(&self, t: Token, i: u16) -> ParseError {
        let msg = self
            .lex_errors
            .get(i as usize)
            .cloned()
            .unwrap_or_else(|| "malformed token".into());
        let text = self.text(t);
        let mut e = ParseError::new(Self::span(t), msg);
        if text.starts_with('\'') {
            let inner = text.trim_matches('\'');
            e = e.help(format!(
                "write \"{inner}\" (double quotes) or `{inner}` (backticks)"
            ));
        }
        e
    }

    /// Fixes for mistakes recognisable from the current token alone.
    fn generic_help(&self) -> Option<String> {
        let t = self.token();
        let text = self.text(t);
        match t.tok {
            Tok::Other if text.starts_with('\'') => {
                let inner = text.trim_matches('\'');
                Some(format!("strings use double quotes: write \"{inner}\""))
            }
            Tok::Other if text == "~" && self.glued() => {
                let prev = self.toks[self.pos - 1].tok;
                match prev {
                    Tok::PipeExact => Some("did you mean `|~`? (`|=~` is not an operator)".into()),
                    Tok::Neq => Some("did you mean `!~`? (`!=~` is not an operator)".into()),
                    Tok::Eq => Some("did you mean `=~`?".into()),
                    _ => None,
                }
            }
            Tok::Other if text == "$" || text.starts_with("$") => Some(
                "Grafana variables such as $var are replaced before the query reaches Loki; \
                 this one was not"
                    .into(),
            ),
            _ => None,
        }
    }

    fn expect(&mut self, tok: Tok, shown: &'static str, wanted: &str) -> PResult<Token> {
        if self.peek() == tok {
            Ok(self.bump())
        } else {
            Err(self.unexpected(wanted, vec![shown]))
        }
    }

    /// Expects the `)` closing the `(` at `open`.
    fn close_paren(&mut self, open: Token, after: &str) -> PResult<Token> {
        if self.peek() == Tok::RParen {
            return Ok(self.bump());
        }
        Err(self.close_error(open, after))
    }

    /// Why the `(` at `open` is not closed here.
    fn close_error(&self, open: Token, after: &str) -> ParseError {
        let mut e = self.unexpected(
            format_args!("`)` to close `{after}(` opened at byte {}", open.start),
            &[")"],
        );
        if e.help.is_none() {
            if self.peek() == Tok::Eof {
                e = e.help("add the missing `)`");
            } else if self.peek() == Tok::Range {
                e = e.help("the range goes right after the log query, inside the parentheses");
            }
        }
        e
    }

    /// After a complete query: only the end may follow.
    fn end(&mut self, expr: &Expr<'a>) -> PResult<()> {
        let t = self.token();
        match t.tok {
            Tok::Eof => Ok(()),
            Tok::RParen => Err(ParseError::new(
                Self::span(t),
                "unexpected `)`: there is no `(` left to close",
            )
            .expected(&["end of query"])
            .help("remove this `)` or add the matching `(`")),
            Tok::PipeExact
            | Tok::PipeMatch
            | Tok::PipePattern
            | Tok::Npa
            | Tok::Nre
            | Tok::Neq
            | Tok::Pipe
                if !expr.is_log() =>
            {
                Err(ParseError::new(
                    Self::span(t),
                    format!(
                        "unexpected {} after a metric query: a log pipeline cannot follow it",
                        self.found(t)
                    ),
                )
                .expected(&["end of query", "binary operator"])
                .help(
                    "move the pipeline inside the range aggregation, before the range: \
                     count_over_time({app=\"foo\"} |= \"error\" [5m])",
                ))
            }
            Tok::Range => {
                let help = if expr.is_log() {
                    "a range selects logs for a range aggregation: wrap the query, e.g. \
                     count_over_time({app=\"foo\"}[5m])"
                } else {
                    "LogQL has no subqueries: the range goes inside the range aggregation"
                };
                Err(
                    ParseError::new(Self::span(t), format!("unexpected range {}", self.found(t)))
                        .expected(&["end of query"])
                        .help(help),
                )
            }
            Tok::Eq => Err(ParseError::new(
                Self::span(t),
                "unexpected `=`: it is not a binary operator",
            )
            .expected(&["=="])
            .help("to compare values, use `==`")),
            Tok::Error(i) => Err(self.lex_error(t, i)),
            _ => {
                let mut e = ParseError::new(
                    Self::span(t),
                    format!("unexpected {} after a complete query", self.found(t)),
                )
                .expected(&["end of query", "binary operator"]);
                if let Some(h) = self.generic_help() {
                    e = e.help(h);
                } else if matches!(t.tok, Tok::By | Tok::Without) {
                    e = e.help("only aggregations such as sum(...) take `by`/`without`");
                }
                Err(e)
            }
        }
    }
}

/// A token as shown in a message: `text`, its first 24 characters, or the end.
enum Found<'a> {
    End,
    Whole(&'a str),
    Cut(&'a str),
}

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::End => f.write_str("the end of the query"),
            Found::Whole(t) => {
                f.write_str("`")?;
                f.write_str(t)?;
                f.write_str("`")
            }
            Found::Cut(t) => {
                f.write_str("`")?;
                f.write_str(t)?;
                f.write_str("...`")
            }
        }
    }
}

#[cfg(test)]
mod tests;
