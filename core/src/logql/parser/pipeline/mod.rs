//! Log queries: the stream selector and its matchers, string values and the
//! line filters; parser and formatting stages in `stages`, label filters in `label_filter`.

mod label_filter;
mod stages;

use std::borrow::Cow;

use crate::syntax::{ParseError, Span};

use super::super::ast::*;
use super::super::lexer::{unquote, Tok};
use super::super::regex;
use super::{PResult, Parser};

impl<'a> Parser<'a> {
    /// A log query outside ranges: selector and pipeline.
    pub(in crate::logql::parser) fn log_expr(&mut self) -> PResult<LogExpr<'a>> {
        let selector = self.selector()?;
        let mut pipeline = Vec::new();
        self.pipeline(&mut pipeline)?;
        if self.peek() == Tok::Pipe && self.peek_at(1) == Tok::Unwrap {
            return Err(ParseError::new(
                Self::span(self.toks[self.pos + 1]),
                "`unwrap` only goes inside a range aggregation",
            )
            .expected(&["|"])
            .help("unwrap a label inside e.g. sum_over_time({app=\"foo\"} | unwrap bytes [5m])"));
        }
        let span = selector.span.to(Span::at(self.prev_end()));
        Ok(LogExpr {
            selector,
            pipeline,
            span,
        })
    }

    /// `{name="value", ...}`, checked as Loki does (regexes compile, and at
    /// least one matcher does not match the empty string).
    pub(in crate::logql::parser) fn selector(&mut self) -> PResult<Selector<'a>> {
        if self.peek() != Tok::LBrace {
            let mut e = self.unexpected("a log selector such as {app=\"foo\"}", &["{"]);
            if e.help.is_none() && matches!(self.peek(), Tok::Ident | Tok::Other) {
                e = e.help(format!(
                    "LogQL selects streams with braces: {{app=\"{}\"}}",
                    self.text(self.token())
                ));
            }
            return Err(e);
        }
        let open = self.bump();
        let mut matchers = Vec::new();
        let mut all_match_empty = true;
        if self.peek() == Tok::RBrace {
            let close = self.bump();
            return Err(ParseError::new(
                Self::span(open).to(Self::span(close)),
                "a selector needs at least one label matcher; `{}` selects nothing",
            )
            .expected(&["label matcher"])
            .help("name the streams to read, e.g. {app=\"foo\"}"));
        }
        loop {
            let (matcher, matches_empty) = self.matcher()?;
            all_match_empty &= matches_empty;
            matchers.push(matcher);
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                    if self.peek() == Tok::RBrace {
                        return Err(self
                            .unexpected("a label matcher after `,`", &["label name"])
                            .help("remove the trailing `,`"));
                    }
                }
                Tok::RBrace => break,
                _ => {
                    let mut e = self.unexpected(
                        format_args!(
                            "`,` or `}}` to close the selector opened at byte {}",
                            open.start
                        ),
                        &[",", "}"],
                    );
                    if e.help.is_none() {
                        if matches!(self.peek(), Tok::Ident | Tok::Other) {
                            e = e.help("separate matchers with `,`");
                        } else if self.peek() == Tok::Eof {
                            e = e.help("add the missing `}`");
                        }
                    }
                    return Err(e);
                }
            }
        }
        let close = self.bump();
        let span = Self::span(open).to(Self::span(close));
        if all_match_empty {
            return Err(ParseError::new(
                span,
                "every matcher of this selector also matches streams without the label; \
                 Loki needs at least one that does not match the empty string",
            )
            .expected(&["label matcher"])
            .help("add a matcher such as app=\"foo\" or use app=~\".+\" instead of app=~\".*\""));
        }
        Ok(Selector { matchers, span })
    }

    /// `name op "value"` (in selectors, label filters, drop and keep).
    pub(in crate::logql::parser) fn matcher(&mut self) -> PResult<(Matcher<'a>, bool)> {
        let name = self.label_name("a label name")?;
        let op_tok = self.token();
        let op = match op_tok.tok {
            Tok::Eq => MatchOp::Eq,
            Tok::Neq => MatchOp::Neq,
            Tok::Re => MatchOp::Re,
            Tok::Nre => MatchOp::Nre,
            Tok::CmpEq => {
                return Err(
                    ParseError::new(Self::span(op_tok), "`==` does not match labels")
                        .expected(&["=", "!=", "=~", "!~"])
                        .help(format!("did you mean `{}=`?", name.name)),
                )
            }
            _ => {
                return Err(self.unexpected(
                    format_args!("`=`, `!=`, `=~` or `!~` after `{}`", name.name),
                    &["=", "!=", "=~", "!~"],
                ))
            }
        };
        self.bump();
        let value = self.matcher_value(name.name, op)?;
        self.matcher_checked(name, op, value)
    }

    pub(in crate::logql::parser) fn matcher_value(
        &mut self,
        name: &str,
        op: MatchOp,
    ) -> PResult<StringLit<'a>> {
        if matches!(self.peek(), Tok::String | Tok::RawString) {
            return self.string("a string");
        }
        let t = self.token();
        let mut e = self.unexpected("a quoted value", &["string"]);
        if e.help.is_none()
            && matches!(t.tok, Tok::Ident | Tok::Number | Tok::Duration | Tok::Bytes)
        {
            e = e.help(format!(
                "label values are quoted: {name}{}\"{}\"",
                op.as_str(),
                self.text(t)
            ));
        }
        Err(e)
    }

    pub(in crate::logql::parser) fn matcher_from(
        &self,
        name: Ident<'a>,
        op: MatchOp,
        value: StringLit<'a>,
    ) -> PResult<Matcher<'a>> {
        self.matcher_checked(name, op, value).map(|(m, _)| m)
    }

    /// The matcher, checked as Loki does, and whether it also matches a
    /// missing (empty) label value; the regex is parsed once for both.
    fn matcher_checked(
        &self,
        name: Ident<'a>,
        op: MatchOp,
        value: StringLit<'a>,
    ) -> PResult<(Matcher<'a>, bool)> {
        let matches_empty = match op {
            MatchOp::Eq => value.value.is_empty(),
            MatchOp::Neq => !value.value.is_empty(),
            MatchOp::Re | MatchOp::Nre => match regex::check(&value.value) {
                Ok(info) => info.matches_empty == (op == MatchOp::Re),
                Err(e) => {
                    return Err(ParseError::new(
                        value.span,
                        format!("invalid regular expression: {e}"),
                    )
                    .help("matchers use RE2 syntax; escape special characters with \\\\"))
                }
            },
        };
        let span = name.span.to(value.span);
        Ok((
            Matcher {
                name,
                op,
                value,
                span,
            },
            matches_empty,
        ))
    }

    /// A string literal token.
    pub(in crate::logql::parser) fn string(
        &mut self,
        wanted: impl std::fmt::Display,
    ) -> PResult<StringLit<'a>> {
        let t = self.token();
        let raw = match t.tok {
            Tok::String => false,
            Tok::RawString => true,
            _ => return Err(self.unexpected(wanted, &["string"])),
        };
        self.bump();
        let text = self.text(t);
        let value = if raw {
            Cow::Borrowed(&text[1..text.len() - 1])
        } else {
            unquote(text)
        };
        Ok(StringLit {
            value,
            raw,
            span: Self::span(t),
        })
    }

    /// Pipeline stages, up to (not including) `| unwrap` or anything else.
    pub(in crate::logql::parser) fn pipeline(
        &mut self,
        stages: &mut Vec<Stage<'a>>,
    ) -> PResult<()> {
        loop {
            match self.peek() {
                Tok::PipeExact
                | Tok::Neq
                | Tok::PipeMatch
                | Tok::Nre
                | Tok::PipePattern
                | Tok::Npa => {
                    stages.push(self.line_filter()?);
                }
                Tok::Pipe if self.peek_at(1) != Tok::Unwrap => {
                    stages.push(self.stage()?);
                }
                _ => return Ok(()),
            }
        }
    }

    pub(in crate::logql::parser) fn line_filter(&mut self) -> PResult<Stage<'a>> {
        let op_tok = self.bump();
        let op = match op_tok.tok {
            Tok::PipeExact => LineFilterOp::Contains,
            Tok::Neq => LineFilterOp::NotContains,
            Tok::PipeMatch => LineFilterOp::Match,
            Tok::Nre => LineFilterOp::NotMatch,
            Tok::PipePattern => LineFilterOp::Pattern,
            _ => LineFilterOp::NotPattern,
        };
        let mut values = vec![self.line_filter_value(self.text(op_tok))?];
        while self.peek() == Tok::Or {
            self.bump();
            if matches!(
                self.peek(),
                Tok::PipeExact | Tok::Neq | Tok::PipeMatch | Tok::Nre | Tok::PipePattern | Tok::Npa
            ) {
                let again = self.text(self.token());
                return Err(self
                    .unexpected("a string after `or`", &["string", "ip"])
                    .help(format!(
                        "the operator applies to every alternative: write `{again} \"a\" or \"b\"`"
                    )));
            }
            values.push(self.line_filter_value("or")?);
        }
        let span = Self::span(op_tok).to(Span::at(self.prev_end()));
        Ok(Stage {
            kind: StageKind::LineFilter(LineFilter { op, values, span }),
            span,
        })
    }

    pub(in crate::logql::parser) fn line_filter_value(
        &mut self,
        after: &str,
    ) -> PResult<LineFilterValue<'a>> {
        match self.peek() {
            Tok::String | Tok::RawString => Ok(LineFilterValue::String(self.string("a string")?)),
            Tok::Ip => {
                let ip = self.bump();
                let open = self.expect(Tok::LParen, "(", "`(` after `ip`")?;
                let s = self.string("the address or range as a string")?;
                self.close_paren(open, "ip")?;
                let _ = ip;
                Ok(LineFilterValue::Ip(s))
            }
            _ => {
                let t = self.token();
                let mut e =
                    self.unexpected(format_args!("a string after `{after}`"), &["string", "ip"]);
                if e.help.is_none() && matches!(t.tok, Tok::Ident | Tok::Number) {
                    e = e.help(format!("quote the text: {after} \"{}\"", self.text(t)));
                }
                Err(e)
            }
        }
    }
}
