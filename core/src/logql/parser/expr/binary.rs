//! Binary operators by precedence climbing (a loop, no recursion per operand),
//! their `bool` / `on` / `group_left` modifiers and Loki's checks of both sides.

use crate::syntax::{ParseError, Span};

use super::super::super::ast::*;
use super::super::super::lexer::{Tok, Token};
use super::super::{PResult, Parser};

impl<'a> Parser<'a> {
    pub(in crate::logql::parser) fn expr_top(&mut self) -> PResult<Expr<'a>> {
        self.expr(0)
    }

    /// Operators binding at least as tight as `min_prec`. On the recursion
    /// path: the work between recursive calls is in separate functions so that
    /// this frame stays small.
    pub(in crate::logql::parser) fn expr(&mut self, min_prec: u8) -> PResult<Expr<'a>> {
        let mut lhs = self.pow_chain()?;
        while let Some(op) = self.binary_op() {
            let prec = op.precedence();
            if prec < min_prec || op == BinaryOp::Pow {
                break;
            }
            let head = self.binary_head(op)?;
            let rhs = self.expr(prec + 1)?;
            lhs = self.binary(lhs, head, rhs)?;
        }
        Ok(lhs)
    }

    /// The operator token and its modifiers.
    #[inline(never)]
    pub(in crate::logql::parser) fn binary_head(
        &mut self,
        op: BinaryOp,
    ) -> PResult<Box<(BinaryOp, Token, BinModifier<'a>)>> {
        let op_tok = self.bump();
        let modifier = self.bin_modifier()?;
        Ok(Box::new((op, op_tok, modifier)))
    }

    /// `a ^ b ^ c`, right-associative, collected in a loop.
    pub(in crate::logql::parser) fn pow_chain(&mut self) -> PResult<Expr<'a>> {
        let first = self.operand()?;
        if self.peek() != Tok::Pow {
            return Ok(first);
        }
        self.pow_rest(first)
    }

    #[inline(never)]
    pub(in crate::logql::parser) fn pow_rest(&mut self, first: Expr<'a>) -> PResult<Expr<'a>> {
        let mut operands = vec![first];
        let mut heads = Vec::new();
        while self.peek() == Tok::Pow {
            heads.push(self.binary_head(BinaryOp::Pow)?);
            operands.push(self.operand()?);
        }
        let mut rhs = operands
            .pop()
            .ok_or_else(|| self.unexpected("an expression", &[]))?;
        while let (Some(lhs), Some(head)) = (operands.pop(), heads.pop()) {
            rhs = self.binary(lhs, head, rhs)?;
        }
        Ok(rhs)
    }

    pub(in crate::logql::parser) fn binary_op(&self) -> Option<BinaryOp> {
        Some(match self.peek() {
            Tok::Or => BinaryOp::Or,
            Tok::And => BinaryOp::And,
            Tok::Unless => BinaryOp::Unless,
            Tok::Add => BinaryOp::Add,
            Tok::Sub => BinaryOp::Sub,
            Tok::Mul => BinaryOp::Mul,
            Tok::Div => BinaryOp::Div,
            Tok::Mod => BinaryOp::Mod,
            Tok::Pow => BinaryOp::Pow,
            Tok::CmpEq => BinaryOp::Eq,
            Tok::Neq => BinaryOp::Neq,
            Tok::Gt => BinaryOp::Gt,
            Tok::Gte => BinaryOp::Gte,
            Tok::Lt => BinaryOp::Lt,
            Tok::Lte => BinaryOp::Lte,
            _ => return None,
        })
    }

    /// Loki's checks on a binary operation: metric queries on both sides, no
    /// number on either side of `and`/`or`/`unless`.
    #[inline(never)]
    #[expect(
        clippy::boxed_local,
        reason = "the operator head stays boxed so expr()'s recursive frame is small"
    )]
    pub(in crate::logql::parser) fn binary(
        &self,
        lhs: Expr<'a>,
        head: Box<(BinaryOp, Token, BinModifier<'a>)>,
        rhs: Expr<'a>,
    ) -> PResult<Expr<'a>> {
        let (op, op_tok, modifier) = *head;
        let op_span = Self::span(op_tok);
        for (side, e) in [("left", &lhs), ("right", &rhs)] {
            if e.is_log() {
                return Err(ParseError::new(
                    e.span(),
                    format!(
                        "the {side} side of `{}` is a log query; binary operators work on metric queries",
                        op.as_str()
                    ),
                )
                .expected(&["metric query"])
                .help("turn the log query into a metric, e.g. count_over_time({app=\"foo\"}[5m])"));
            }
            if op.is_set_op() && e.is_literal() {
                return Err(ParseError::new(
                    e.span(),
                    format!(
                        "the {side} side of `{}` is a number; `and`, `or` and `unless` need metric queries on both sides",
                        op.as_str()
                    ),
                )
                .expected(&["metric query"])
                .help("use vector(...) to turn a number into a metric, e.g. `or vector(0)`"));
            }
        }
        let span = lhs.span().to(rhs.span());
        Ok(Expr::Binary(Box::new(BinaryExpr {
            op,
            op_span,
            modifier,
            lhs,
            rhs,
            span,
        })))
    }

    /// `bool`, `on (...)`/`ignoring (...)`, `group_left (...)`/`group_right (...)`.
    pub(in crate::logql::parser) fn bin_modifier(&mut self) -> PResult<BinModifier<'a>> {
        let mut m = BinModifier::default();
        if self.peek() == Tok::Bool {
            self.bump();
            m.return_bool = true;
        }
        if matches!(self.peek(), Tok::On | Tok::Ignoring) {
            let kw = self.bump();
            let on = kw.tok == Tok::On;
            let labels = self.label_list(if on { "on" } else { "ignoring" })?;
            let mut span = Self::span(kw).to(Span::at(self.prev_end()));
            let mut group = None;
            if matches!(self.peek(), Tok::GroupLeft | Tok::GroupRight) {
                let g = self.bump();
                let labels = if self.peek() == Tok::LParen {
                    self.label_list(if g.tok == Tok::GroupLeft {
                        "group_left"
                    } else {
                        "group_right"
                    })?
                } else {
                    Vec::new()
                };
                let gspan = Self::span(g).to(Span::at(self.prev_end()));
                span = span.to(gspan);
                group = Some(GroupModifier {
                    left: g.tok == Tok::GroupLeft,
                    labels,
                    span: gspan,
                });
            }
            m.matching = Some(VectorMatching {
                on,
                labels,
                group,
                span,
            });
        } else if matches!(self.peek(), Tok::GroupLeft | Tok::GroupRight) {
            let t = self.token();
            return Err(ParseError::new(
                Self::span(t),
                format!(
                    "{} needs `on (...)` or `ignoring (...)` before it",
                    self.found(t)
                ),
            )
            .expected(&["on", "ignoring"])
            .help(format!("write e.g. `on (pod) {}`", self.text(t))));
        }
        Ok(m)
    }
}
