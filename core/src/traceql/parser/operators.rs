//! Binary operators at the pipeline level: spanset operators, scalar
//! arithmetic and comparisons, by precedence climbing with a loop per level.

use crate::syntax::ParseError;

use super::super::ast::*;
use super::super::lexer::{Tok, Token};
use super::pipeline::{item_span, scalar_span, spanset_span, spipe_span, Ctx, Item};
use super::{Parser, Rest};

fn spanset_op(tok: Tok) -> Option<SpansetOp> {
    Some(match tok {
        Tok::And => SpansetOp::And,
        Tok::Or => SpansetOp::Or,
        Tok::Gt => SpansetOp::Child,
        Tok::Lt => SpansetOp::Parent,
        Tok::Desc => SpansetOp::Descendant,
        Tok::Anc => SpansetOp::Ancestor,
        Tok::Tilde => SpansetOp::Sibling,
        Tok::NotChild => SpansetOp::NotChild,
        Tok::NotParent => SpansetOp::NotParent,
        Tok::NotDesc => SpansetOp::NotDescendant,
        Tok::NotAnc => SpansetOp::NotAncestor,
        Tok::Nre => SpansetOp::NotSibling,
        Tok::UnionChild => SpansetOp::UnionChild,
        Tok::UnionParent => SpansetOp::UnionParent,
        Tok::UnionDesc => SpansetOp::UnionDescendant,
        Tok::UnionAnc => SpansetOp::UnionAncestor,
        Tok::UnionSibl => SpansetOp::UnionSibling,
        _ => return None,
    })
}

pub(super) fn compare_op(tok: Tok) -> Option<CompareOp> {
    Some(match tok {
        Tok::Eq => CompareOp::Eq,
        Tok::Neq => CompareOp::Neq,
        Tok::Lt => CompareOp::Lt,
        Tok::Lte => CompareOp::Lte,
        Tok::Gt => CompareOp::Gt,
        Tok::Gte => CompareOp::Gte,
        _ => return None,
    })
}

fn arith_op(tok: Tok) -> Option<ArithOp> {
    Some(match tok {
        Tok::Add => ArithOp::Add,
        Tok::Sub => ArithOp::Sub,
        Tok::Mul => ArithOp::Mul,
        Tok::Div => ArithOp::Div,
        Tok::Mod => ArithOp::Mod,
        Tok::Pow => ArithOp::Pow,
        _ => return None,
    })
}

/// Binding strength of a binary operator at the pipeline level (Tempo's
/// `%left` lines): `&& ||` < comparisons and structural < `+ -` < `* / %` < `^`.
fn level(tok: Tok) -> Option<u8> {
    Some(match tok {
        Tok::And | Tok::Or => 1,
        Tok::Eq | Tok::Neq | Tok::Lt | Tok::Lte | Tok::Gt | Tok::Gte | Tok::Re | Tok::Nre => 2,
        Tok::Desc | Tok::Anc | Tok::Tilde | Tok::NotChild | Tok::NotParent | Tok::NotDesc => 2,
        Tok::NotAnc | Tok::UnionChild | Tok::UnionParent | Tok::UnionDesc | Tok::UnionAnc => 2,
        Tok::UnionSibl => 2,
        Tok::Add | Tok::Sub => 3,
        Tok::Mul | Tok::Div | Tok::Mod => 5,
        Tok::Pow => 6,
        _ => return None,
    })
}

impl<'a> Parser<'a> {
    /// Operators of binding strength `min` and above, left to right.
    pub(super) fn binary(&mut self, min: u8, ctx: Ctx) -> Result<Item<'a>, ParseError> {
        let mut left = self.primary(ctx)?;
        while let Some(lvl) = level(self.peek().tok) {
            if lvl < min {
                break;
            }
            left = self.chain(left, lvl, ctx)?;
        }
        Ok(left)
    }

    /// Consumes every operator of level `lvl` after `left`, checking that
    /// the operator and right operands fit what `left` is.
    #[inline(never)]
    fn chain(&mut self, left: Item<'a>, lvl: u8, ctx: Ctx) -> Result<Item<'a>, ParseError> {
        let op = self.peek();
        match left {
            Item::Spansets(first) => self.spanset_chain(first, lvl, false),
            Item::Wrapped(first) => self.spanset_chain(first, lvl, true),
            Item::Scalar(first, bare) => {
                if let Some(cmp) = compare_op(op.tok) {
                    if !ctx.has(Ctx::STAGE) {
                        return Err(ParseError::new(
                            op.span,
                            format!("a comparison `{}` is not allowed here", self.text(op)),
                        )
                        .help(
                            "comparisons of aggregates are pipeline stages: `{ } | count() > 2`",
                        ));
                    }
                    self.bump();
                    let rhs = self.binary(lvl + 1, Ctx::SCALARS)?;
                    let Item::Scalar(rhs, _) = rhs else {
                        return Err(ParseError::new(
                            item_span(&rhs),
                            "expected a number or aggregate",
                        ));
                    };
                    let span = scalar_span(&first).to(scalar_span(&rhs));
                    return Ok(Item::Stage(Stage::ScalarFilter(Box::new(ScalarFilter {
                        lhs: first,
                        op: cmp,
                        rhs,
                        span,
                    }))));
                }
                if arith_op(op.tok).is_none() {
                    return Err(self.bad_operator(op, "numbers and aggregates", bare));
                }
                let mut rest = Vec::with_capacity(2);
                while level(self.peek().tok) == Some(lvl) {
                    let op = self.bump();
                    let Some(a) = arith_op(op.tok) else { break };
                    let rhs = self.binary(lvl + 1, Ctx::SCALARS)?;
                    let Item::Scalar(rhs, _) = rhs else {
                        return Err(ParseError::new(
                            item_span(&rhs),
                            "expected a number or aggregate",
                        ));
                    };
                    rest.push((a, op.span, rhs));
                }
                let span =
                    scalar_span(&first).to(scalar_span(&rest.last().expect("one operand").2));
                Ok(Item::Scalar(
                    ScalarExpr::Chain {
                        first: Box::new(first),
                        rest,
                        span,
                    },
                    false,
                ))
            }
            Item::ScalarPipeline(first) => {
                if let Some(cmp) = compare_op(op.tok) {
                    self.bump();
                    let rhs = self.binary(lvl + 1, Ctx::SCALAR_PIPE_RHS)?;
                    let rhs = match rhs {
                        Item::ScalarPipeline(e) => ScalarPipelineOperand::Expr(e),
                        Item::Static(s) => ScalarPipelineOperand::Static(s),
                        other => {
                            return Err(ParseError::new(
                                item_span(&other),
                                "expected `( pipeline | aggregate )` or a value",
                            ))
                        }
                    };
                    let end = match &rhs {
                        ScalarPipelineOperand::Expr(e) => spipe_span(e),
                        ScalarPipelineOperand::Static(s) => s.span,
                    };
                    let span = spipe_span(&first).to(end);
                    return Ok(Item::ScalarPipelineFilter(ScalarPipelineFilter {
                        lhs: first,
                        op: cmp,
                        rhs,
                        span,
                    }));
                }
                if arith_op(op.tok).is_none() {
                    return Err(self.bad_operator(op, "scalar pipelines", false));
                }
                let mut rest = Vec::with_capacity(2);
                while level(self.peek().tok) == Some(lvl) {
                    let op = self.bump();
                    let Some(a) = arith_op(op.tok) else { break };
                    let rhs = self.binary(lvl + 1, Ctx::SCALAR_PIPES)?;
                    let Item::ScalarPipeline(rhs) = rhs else {
                        return Err(ParseError::new(
                            item_span(&rhs),
                            "expected `( pipeline | aggregate )`",
                        ));
                    };
                    rest.push((a, op.span, rhs));
                }
                let span = spipe_span(&first).to(spipe_span(&rest.last().expect("one operand").2));
                Ok(Item::ScalarPipeline(ScalarPipelineExpr::Chain {
                    first: Box::new(first),
                    rest,
                    span,
                }))
            }
            Item::Stage(Stage::ScalarFilter(_)) if compare_op(op.tok).is_some() => {
                Err(ParseError::new(op.span, "comparisons cannot be chained")
                    .help("combine conditions inside `{ }`, or add another `|` stage"))
            }
            Item::Static(_) => Err(ParseError::new(
                op.span,
                format!("unexpected `{}` after a value", self.text(op)),
            )
            .expected(&["with"])
            .help("the right side of this comparison must be a single value")),
            other => {
                let what = match other {
                    Item::Stage(Stage::GroupBy { .. }) => "`by(...)`",
                    Item::Stage(Stage::Select { .. }) => "`select(...)`",
                    Item::Stage(Stage::Coalesce { .. }) => "`coalesce()`",
                    Item::Stage(_) => "a comparison",
                    _ => "this",
                };
                Err(
                    ParseError::new(op.span, format!("`{}` cannot follow {what}", self.text(op)))
                        .expected(&["|", "with"])
                        .help("separate pipeline stages with `|`"),
                )
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn bad_operator(&self, op: Token, what: &str, _bare: bool) -> ParseError {
        let text = self.text(op);
        ParseError::new(op.span, format!("`{text}` cannot combine {what}"))
            .expected(&["+", "-", "*", "/", "=", ">", "<"])
    }

    /// `first op x op y ...` with spanset operators of level `lvl`.
    fn spanset_chain(
        &mut self,
        first: SpansetExpr<'a>,
        lvl: u8,
        wrapped: bool,
    ) -> Result<Item<'a>, ParseError> {
        let ctx = if wrapped { Ctx::WRAPPED } else { Ctx::SPANSET };
        let mut rest = Rest::None;
        while level(self.peek().tok) == Some(lvl) {
            let op = self.peek();
            let Some(sop) = spanset_op(op.tok) else {
                let text = self.text(op);
                let mut e = ParseError::new(op.span, format!("`{text}` cannot combine spansets"))
                    .expected(&["&&", "||", ">", ">>", "<", "<<", "~", "|"]);
                e = match op.tok {
                    Tok::Eq | Tok::Neq | Tok::Re | Tok::Lte | Tok::Gte => {
                        e.help("conditions go inside the braces: `{ .a = 1 }`")
                    }
                    _ => e.help(
                        "spansets combine with `&&`, `||` or structural operators such as `>>`",
                    ),
                };
                return Err(e);
            };
            self.bump();
            let rhs = self.binary(lvl + 1, ctx)?;
            let rhs = match rhs {
                Item::Spansets(e) if !wrapped => e,
                Item::Wrapped(e) if wrapped => e,
                other => return Err(ParseError::new(item_span(&other), "mismatched operand").help(
                    "spanset operators combine `{ ... }` filters, or parenthesised pipelines on both sides",
                )),
            };
            rest.push(sop, op.span, rhs);
        }
        let chain = match rest {
            Rest::None => {
                let op = self.peek();
                let text = self.text(op);
                return Err(
                    ParseError::new(op.span, format!("`{text}` cannot combine spansets"))
                        .expected(&["&&", "||", ">", ">>", "<", "<<", "~", "|"])
                        .help(
                            "spansets combine with `&&`, `||` or structural operators such as `>>`",
                        ),
                );
            }
            Rest::One(op, op_span, rhs) => SpansetExpr::Binary {
                op,
                op_span,
                span: spanset_span(&first).to(spanset_span(&rhs)),
                operands: Box::new([first, rhs]),
            },
            Rest::Many(rest) => SpansetExpr::Chain {
                span: spanset_span(&first).to(spanset_span(&rest.last().expect("two operands").2)),
                first: Box::new(first),
                rest,
            },
        };
        Ok(if wrapped {
            Item::Wrapped(chain)
        } else {
            Item::Spansets(chain)
        })
    }
}
