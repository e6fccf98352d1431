//! Label filters (`status >= 400 and level="error"`): `or` loosest, then
//! `and` / `,` / juxtaposition, each chain read by a loop; groups in parentheses.

use crate::syntax::{did_you_mean, ParseError, Span};

use super::super::super::ast::*;
use super::super::super::lexer::Tok;
use super::super::{PResult, Parser};

const STAGES: [&str; 11] = [
    "json",
    "logfmt",
    "regexp",
    "pattern",
    "unpack",
    "decolorize",
    "line_format",
    "label_format",
    "drop",
    "keep",
    "unwrap",
];

impl<'a> Parser<'a> {
    /// Label filters joined by `or` (loosest), `and`, `,` or juxtaposition.
    pub(in crate::logql::parser) fn label_filter(&mut self) -> PResult<LabelFilter<'a>> {
        let mut lhs = self.label_filter_and()?;
        while self.peek() == Tok::Or {
            self.bump();
            let rhs = self.label_filter_and()?;
            lhs = LabelFilter::Or(Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    pub(in crate::logql::parser) fn label_filter_and(&mut self) -> PResult<LabelFilter<'a>> {
        let mut lhs = self.label_filter_primary()?;
        loop {
            match self.peek() {
                Tok::And | Tok::Comma => {
                    self.bump();
                }
                Tok::Ident | Tok::Other | Tok::LParen => {}
                _ => return Ok(lhs),
            }
            let rhs = self.label_filter_primary()?;
            lhs = LabelFilter::And(Box::new(lhs), Box::new(rhs));
        }
    }

    pub(in crate::logql::parser) fn label_filter_primary(&mut self) -> PResult<LabelFilter<'a>> {
        if self.peek() != Tok::LParen {
            return self.label_filter_leaf();
        }
        self.enter()?;
        let open = self.bump();
        let inner = self.label_filter()?;
        let close = self.close_paren(open, "")?;
        self.leave();
        Ok(LabelFilter::Paren(
            Box::new(inner),
            Self::span(open).to(Self::span(close)),
        ))
    }

    /// `name op value`.
    #[inline(never)]
    pub(in crate::logql::parser) fn label_filter_leaf(&mut self) -> PResult<LabelFilter<'a>> {
        if !matches!(self.peek(), Tok::Ident | Tok::Other) {
            return Err(self.unexpected(
                "a label filter such as level=\"error\"",
                &["label name", "("],
            ));
        }
        let name = self.label_name("a label name")?;
        let op_tok = self.token();
        let op = match op_tok.tok {
            Tok::Eq => CmpOp::Eq,
            Tok::Neq => CmpOp::Neq,
            Tok::CmpEq => CmpOp::CmpEq,
            Tok::Gt => CmpOp::Gt,
            Tok::Gte => CmpOp::Gte,
            Tok::Lt => CmpOp::Lt,
            Tok::Lte => CmpOp::Lte,
            Tok::Re | Tok::Nre => {
                self.bump();
                let op = if op_tok.tok == Tok::Re {
                    MatchOp::Re
                } else {
                    MatchOp::Nre
                };
                let value = self.matcher_value(name.name, op)?;
                return Ok(LabelFilter::Matcher(self.matcher_from(name, op, value)?));
            }
            _ => return Err(self.filter_op_error(name)),
        };
        self.bump();
        let v = self.token();
        let span = |p: &Self| name.span.to(Span::at(p.prev_end()));
        match v.tok {
            Tok::String | Tok::RawString if matches!(op, CmpOp::Eq | CmpOp::Neq) => {
                let value = self.string("a string")?;
                let mop = if op == CmpOp::Eq {
                    MatchOp::Eq
                } else {
                    MatchOp::Neq
                };
                Ok(LabelFilter::Matcher(self.matcher_from(name, mop, value)?))
            }
            Tok::String | Tok::RawString => {
                let msg = format!(
                    "`{}` compares numbers, durations or sizes, not strings",
                    self.text(op_tok)
                );
                let mut e =
                    ParseError::new(Self::span(v), msg).expected(&["number", "duration", "bytes"]);
                if op == CmpOp::CmpEq {
                    e = e.help(format!(
                        "to compare strings use `=`: {}={}",
                        name.name,
                        self.text(v)
                    ));
                }
                Err(e)
            }
            Tok::Ip if matches!(op, CmpOp::Eq | CmpOp::Neq) => {
                self.bump();
                let open = self.expect(Tok::LParen, "(", "`(` after `ip`")?;
                let value = self.string("the address or range as a string")?;
                self.close_paren(open, "ip")?;
                Ok(LabelFilter::Ip {
                    name,
                    negated: op == CmpOp::Neq,
                    value,
                    span: span(self),
                })
            }
            Tok::Duration => {
                self.bump();
                Ok(LabelFilter::Duration {
                    name,
                    op,
                    value: Duration {
                        nanos: v.value,
                        span: Self::span(v),
                    },
                    span: span(self),
                })
            }
            Tok::Bytes => {
                self.bump();
                Ok(LabelFilter::Bytes {
                    name,
                    op,
                    value: Bytes {
                        bytes: v.value as u64,
                        span: Self::span(v),
                    },
                    span: span(self),
                })
            }
            Tok::Number | Tok::Add | Tok::Sub => {
                self.bump();
                let (from, n) = if v.tok == Tok::Number {
                    (v, v)
                } else {
                    if self.peek() != Tok::Number {
                        return Err(self.unexpected("a number", &["number"]));
                    }
                    (v, self.bump())
                };
                let value = self.number(from, n, v.tok == Tok::Sub);
                Ok(LabelFilter::Number {
                    name,
                    op,
                    value,
                    span: span(self),
                })
            }
            _ => {
                let mut e = self.unexpected(
                    format_args!("a value after `{}`", self.text(op_tok)),
                    &["string", "number", "duration", "bytes"],
                );
                if e.help.is_none()
                    && matches!(v.tok, Tok::Ident)
                    && matches!(op, CmpOp::Eq | CmpOp::Neq)
                {
                    e = e.help(format!(
                        "label filter values are quoted: {}{}\"{}\"",
                        name.name,
                        self.text(op_tok),
                        self.text(v)
                    ));
                }
                Err(e)
            }
        }
    }

    pub(in crate::logql::parser) fn filter_op_error(&self, name: Ident<'a>) -> ParseError {
        let e = self.unexpected(
            format_args!("a comparison operator after `{}`", name.name),
            &["=", "!=", "=~", "!~", "==", ">", ">=", "<", "<="],
        );
        let after_pipe = self.pos >= 2 && self.toks[self.pos - 2].tok == Tok::Pipe;
        match did_you_mean(name.name, &STAGES) {
            Some(stage) if e.help.is_none() && after_pipe => {
                e.help(format!("did you mean `{stage}`?"))
            }
            _ => e,
        }
    }
}
