//! The pipeline level: stages joined by `|`, spanset operators, scalar
//! filters, and which of Tempo's readings a parenthesis gets.

use crate::syntax::{ParseError, Span};

use super::super::ast::*;
use super::super::errors;
use super::super::lexer::{Kw, Tok, Token};
use super::Parser;

/// What may start at a position, as Tempo's LALR states allow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ctx(u8);

impl Ctx {
    /// A spanset filter `{ }` or a parenthesised spanset expression.
    const SE: u8 = 1;
    /// A parenthesised (wrapped) pipeline, combinable with spanset operators.
    const SPE: u8 = 2;
    /// A scalar expression: numbers, aggregates.
    const SCALAR: u8 = 4;
    /// `( pipeline | aggregate )` and arithmetic of those.
    const SPIPE: u8 = 8;
    /// A literal (right of a scalar pipeline comparison).
    const STATIC: u8 = 16;
    /// A pipeline stage: `by()`, `select()`, scalar filters.
    const STAGE: u8 = 32;
    /// `coalesce()` (never first).
    const COALESCE: u8 = 64;

    pub(super) const ROOT: Ctx =
        Ctx(Self::SE | Self::SPE | Self::SCALAR | Self::SPIPE | Self::STAGE);
    const AFTER_PIPE: Ctx = Ctx(Self::SE | Self::SCALAR | Self::STAGE | Self::COALESCE);
    const SPANSET: Ctx = Ctx(Self::SE);
    const WRAPPED: Ctx = Ctx(Self::SPE);
    const SCALARS: Ctx = Ctx(Self::SCALAR);
    const SCALAR_PIPES: Ctx = Ctx(Self::SPIPE);
    const SCALAR_PIPE_RHS: Ctx = Ctx(Self::SPIPE | Self::STATIC);

    fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }

    /// What may start right inside a `(` opened where `self` holds.
    fn inner(self) -> Ctx {
        let mut f = 0;
        if self.has(Self::SE) {
            f |= Self::SE;
        }
        if self.has(Self::SPE) {
            f |= Self::SE | Self::SPE | Self::SCALAR | Self::STAGE;
        }
        if self.has(Self::SCALAR) {
            f |= Self::SCALAR;
        }
        if self.has(Self::SPIPE) {
            f |= Self::SE | Self::SCALAR | Self::SPIPE | Self::STAGE;
        }
        Ctx(f)
    }
}

/// A parsed piece at the pipeline level, by what Tempo would reduce it to.
pub(super) enum Item<'a> {
    /// A spanset expression (`spansetExpression`).
    Spansets(SpansetExpr<'a>),
    /// Wrapped pipelines combined (`spansetPipelineExpression`).
    Wrapped(SpansetExpr<'a>),
    /// A pipeline of several stages.
    Pipeline(Pipeline<'a>),
    /// One stage that is not a spanset expression.
    Stage(Stage<'a>),
    /// A scalar expression; `true` when it is a bare aggregate.
    Scalar(ScalarExpr<'a>, bool),
    /// `pipeline | aggregate` (inside parentheses it becomes a scalar pipeline).
    PipelineAggregate(Pipeline<'a>, Aggregate<'a>),
    ScalarPipeline(ScalarPipelineExpr<'a>),
    ScalarPipelineFilter(ScalarPipelineFilter<'a>),
    Static(Static<'a>),
    Metrics(Box<Metrics<'a>>),
}

fn spanset_span(e: &SpansetExpr) -> Span {
    match e {
        SpansetExpr::Filter(f) => f.span,
        SpansetExpr::Group { span, .. } | SpansetExpr::Chain { span, .. } => *span,
    }
}

fn stage_span(s: &Stage) -> Span {
    match s {
        Stage::Spansets(e) => spanset_span(e),
        Stage::ScalarFilter(f) => f.span,
        Stage::GroupBy { span, .. } | Stage::Select { span, .. } | Stage::Coalesce { span } => {
            *span
        }
    }
}

pub(super) fn scalar_span(e: &ScalarExpr) -> Span {
    match e {
        ScalarExpr::Literal(s) => s.span,
        ScalarExpr::Aggregate(a) => a.span,
        ScalarExpr::Paren { span, .. } | ScalarExpr::Chain { span, .. } => *span,
    }
}

fn spipe_span(e: &ScalarPipelineExpr) -> Span {
    match e {
        ScalarPipelineExpr::Pipeline { span, .. }
        | ScalarPipelineExpr::Paren { span, .. }
        | ScalarPipelineExpr::Chain { span, .. } => *span,
    }
}

fn item_span(item: &Item) -> Span {
    match item {
        Item::Spansets(e) | Item::Wrapped(e) => spanset_span(e),
        Item::Pipeline(p) => p.span,
        Item::Stage(s) => stage_span(s),
        Item::Scalar(e, _) => scalar_span(e),
        Item::PipelineAggregate(p, a) => p.span.to(a.span),
        Item::ScalarPipeline(e) => spipe_span(e),
        Item::ScalarPipelineFilter(f) => f.span,
        Item::Static(s) => s.span,
        Item::Metrics(m) => m.span,
    }
}

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

fn is_metrics_kw(kw: Kw) -> bool {
    matches!(
        kw,
        Kw::Rate
            | Kw::CountOverTime
            | Kw::MinOverTime
            | Kw::MaxOverTime
            | Kw::AvgOverTime
            | Kw::SumOverTime
            | Kw::QuantileOverTime
            | Kw::HistogramOverTime
            | Kw::Compare
    )
}

impl<'a> Parser<'a> {
    /// The query before its hints.
    pub(super) fn root(&mut self) -> Result<Body<'a>, ParseError> {
        let item = self.pipeline(Ctx::ROOT, true)?;
        let span = item_span(&item);
        Ok(match item {
            Item::Spansets(e) | Item::Wrapped(e) => Body::Pipeline(Pipeline {
                stages: vec![Stage::Spansets(e)],
                span,
            }),
            Item::Pipeline(p) => Body::Pipeline(p),
            Item::Stage(s) => Body::Pipeline(Pipeline {
                stages: vec![s],
                span,
            }),
            Item::ScalarPipelineFilter(f) => Body::ScalarPipelineFilter(f),
            Item::Metrics(m) => Body::Metrics(*m),
            Item::Scalar(_, _) => {
                return Err(ParseError::new(
                    span,
                    "an aggregate or number must be compared to something",
                )
                .expected(&["=", "!=", ">", ">=", "<", "<="])
                .help("compare it, e.g. `count() > 2`"))
            }
            Item::PipelineAggregate(_, a) => return Err(ParseError::new(
                a.span,
                "an aggregate at the end of a pipeline must be compared to something",
            )
            .expected(&["=", "!=", ">", ">=", "<", "<="])
            .help(
                "compare it, e.g. `| count() > 2`, or use a metrics function such as `| rate()`",
            )),
            Item::ScalarPipeline(_) => {
                return Err(ParseError::new(
                    span,
                    "a scalar pipeline must be compared to something",
                )
                .expected(&["=", "!=", ">", ">=", "<", "<="])
                .help("compare it, e.g. `({ } | count()) > 2`"))
            }
            Item::Static(_) => {
                return Err(ParseError::new(span, "a query cannot be a lone value")
                    .help("start with a spanset filter such as `{ }`"))
            }
        })
    }

    /// Stages joined by `|`. At the root, a metrics function may end it.
    pub(super) fn pipeline(&mut self, ctx: Ctx, root: bool) -> Result<Item<'a>, ParseError> {
        let first = self.binary(1, ctx)?;
        if !self.at(Tok::Pipe) {
            return Ok(first);
        }
        self.pipeline_rest(first, root)
    }

    /// The stages after the first; kept out of `pipeline` so that nesting
    /// does not carry this frame.
    #[inline(never)]
    fn pipeline_rest(&mut self, first: Item<'a>, root: bool) -> Result<Item<'a>, ParseError> {
        let start = item_span(&first);
        let pipe = self.peek();
        let mut stages = Vec::with_capacity(4);
        stages.push(self.first_stage(first, pipe)?);
        while self.at(Tok::Pipe) {
            let pipe = self.bump();
            let t = self.peek();
            if let Tok::Kw(kw) = t.tok {
                if is_metrics_kw(kw) {
                    if !root {
                        return Err(ParseError::new(
                            t.span,
                            format!("`{}()` cannot be used inside parentheses", kw.as_str()),
                        )
                        .help("metrics functions end the whole query: `{ ... } | rate()`"));
                    }
                    let span = start.to(pipe.span);
                    let pipeline = Pipeline { stages, span };
                    return self.metrics(pipeline);
                }
                if matches!(kw, Kw::Topk | Kw::Bottomk) {
                    return Err(ParseError::new(
                        t.span,
                        format!("`{}()` must follow a metrics function", kw.as_str()),
                    )
                    .help(format!(
                        "for example `{{ }} | rate() by (resource.service.name) | {}(5)`",
                        kw.as_str()
                    )));
                }
            }
            let item = self.binary(1, Ctx::AFTER_PIPE)?;
            match item {
                Item::Spansets(e) => stages.push(Stage::Spansets(e)),
                Item::Stage(s) => stages.push(s),
                Item::Scalar(ScalarExpr::Aggregate(a), true) if !self.at(Tok::Pipe) => {
                    let span = start.to(stage_span(stages.last().expect("a stage")));
                    return Ok(Item::PipelineAggregate(Pipeline { stages, span }, a));
                }
                Item::Scalar(e, _) => {
                    return Err(ParseError::new(scalar_span(&e), "this value must be compared to something")
                        .expected(&["=", "!=", ">", ">=", "<", "<="])
                        .help("compare it, e.g. `| count() > 2`"))
                }
                other => {
                    return Err(ParseError::new(item_span(&other), "this cannot be a pipeline stage")
                        .help("stages are `{ ... }`, `by(...)`, `select(...)`, `coalesce()` or comparisons such as `count() > 2`"))
                }
            }
        }
        let span = start.to(stage_span(stages.last().expect("a stage")));
        Ok(Item::Pipeline(Pipeline { stages, span }))
    }

    /// The first stage, now known to be followed by `|`.
    fn first_stage(&mut self, first: Item<'a>, pipe: Token) -> Result<Stage<'a>, ParseError> {
        match first {
            Item::Spansets(e) => Ok(Stage::Spansets(e)),
            Item::Stage(s) => Ok(s),
            Item::Wrapped(_) => Err(ParseError::new(
                pipe.span,
                "a parenthesised pipeline cannot be followed by `|`",
            )
            .expected(&["&&", "||", ">", ">>", "with"])
            .help("move the `|` stage inside the parentheses")),
            Item::Scalar(e, _) => Err(ParseError::new(
                scalar_span(&e),
                "this value must be compared before `|`",
            )
            .expected(&["=", "!=", ">", ">=", "<", "<="])
            .help("compare it, e.g. `count() > 2 | ...`")),
            _ => Err(ParseError::new(pipe.span, "`|` cannot follow this").help(
                "a pipeline starts with `{ ... }`, `by(...)`, `select(...)` or a comparison",
            )),
        }
    }

    /// Operators of binding strength `min` and above, left to right.
    fn binary(&mut self, min: u8, ctx: Ctx) -> Result<Item<'a>, ParseError> {
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
                    return Ok(Item::Stage(Stage::ScalarFilter(ScalarFilter {
                        lhs: first,
                        op: cmp,
                        rhs,
                        span,
                    })));
                }
                if arith_op(op.tok).is_none() {
                    return Err(self.bad_operator(op, "numbers and aggregates", bare));
                }
                let mut rest = Vec::new();
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
                let mut rest = Vec::new();
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
        let mut rest = Vec::new();
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
            rest.push((sop, op.span, rhs));
        }
        if rest.is_empty() {
            let op = self.peek();
            let text = self.text(op);
            return Err(
                ParseError::new(op.span, format!("`{text}` cannot combine spansets"))
                    .expected(&["&&", "||", ">", ">>", "<", "<<", "~", "|"])
                    .help("spansets combine with `&&`, `||` or structural operators such as `>>`"),
            );
        }
        let span = spanset_span(&first).to(spanset_span(&rest.last().expect("one operand").2));
        let chain = SpansetExpr::Chain {
            first: Box::new(first),
            rest,
            span,
        };
        Ok(if wrapped {
            Item::Wrapped(chain)
        } else {
            Item::Spansets(chain)
        })
    }

    /// One operand at the pipeline level.
    fn primary(&mut self, ctx: Ctx) -> Result<Item<'a>, ParseError> {
        if self.at(Tok::LParen) {
            self.paren(ctx)
        } else {
            self.operand(ctx)
        }
    }

    #[inline(never)]
    fn operand(&mut self, ctx: Ctx) -> Result<Item<'a>, ParseError> {
        let t = self.peek();
        match t.tok {
            Tok::LBrace if ctx.has(Ctx::SE) => {
                Ok(Item::Spansets(SpansetExpr::Filter(self.spanset_filter()?)))
            }
            Tok::LParen => self.paren(ctx),
            Tok::Kw(Kw::Count | Kw::Min | Kw::Max | Kw::Avg | Kw::Sum) if ctx.has(Ctx::SCALAR) => {
                Ok(Item::Scalar(ScalarExpr::Aggregate(self.aggregate()?), true))
            }
            Tok::Int | Tok::Float | Tok::Duration if ctx.has(Ctx::SCALAR) => {
                let s = self.static_value().expect("a number");
                Ok(Item::Scalar(ScalarExpr::Literal(s), false))
            }
            Tok::Sub
                if ctx.has(Ctx::SCALAR)
                    && matches!(self.peek_at(1).tok, Tok::Int | Tok::Float | Tok::Duration) =>
            {
                self.bump();
                let mut s = self.static_value().expect("a number");
                s.span = t.span.to(s.span);
                negate(&mut s.value);
                Ok(Item::Scalar(ScalarExpr::Literal(s), false))
            }
            Tok::Str | Tok::Int | Tok::Float | Tok::Duration if ctx.has(Ctx::STATIC) => {
                Ok(Item::Static(self.static_value().expect("a value")))
            }
            Tok::Kw(kw) if ctx.has(Ctx::STATIC) && super::keyword_value(kw).is_some() => {
                Ok(Item::Static(self.static_value().expect("a value")))
            }
            Tok::Kw(Kw::By) if ctx.has(Ctx::STAGE) => self.group_by(),
            Tok::Kw(Kw::Select) if ctx.has(Ctx::STAGE) => self.select(),
            Tok::Kw(Kw::Coalesce) if ctx.has(Ctx::COALESCE) => {
                self.bump();
                let open = self.expect(Tok::LParen, "`(`")?;
                let close = self.close(Tok::RParen, open, "coalesce")?;
                Ok(Item::Stage(Stage::Coalesce {
                    span: t.span.to(close.span),
                }))
            }
            _ => Err(self.primary_error(ctx)),
        }
    }

    fn primary_error(&mut self, ctx: Ctx) -> ParseError {
        let t = self.peek();
        let mut expected: Vec<&'static str> = Vec::new();
        if ctx.has(Ctx::SE) {
            expected.push("{");
        }
        expected.push("(");
        if ctx.has(Ctx::SCALAR) {
            expected.extend(["count()", "number"]);
        }
        if ctx.has(Ctx::STATIC) {
            expected.push("value");
        }
        let what = if ctx.has(Ctx::SE) {
            "a spanset filter `{ ... }`"
        } else if ctx.has(Ctx::SPE) {
            "a parenthesised pipeline `( ... )`"
        } else if ctx.has(Ctx::SPIPE) {
            "`( pipeline | aggregate )`"
        } else {
            "a number or aggregate"
        };
        match t.tok {
            Tok::Ident => {
                let word = self.text(t);
                let next = self.src.as_bytes().get(t.end()).copied().unwrap_or(0);
                return errors::unknown_word(word, next, t.span, false);
            }
            Tok::LBrace => {
                return ParseError::new(t.span, "a spanset filter `{ ... }` is not allowed here")
                    .expected(&["("])
                    .help("when combining parenthesised pipelines, wrap this side in parentheses too: `({ ... })`");
            }
            Tok::Kw(kw) if is_metrics_kw(kw) => {
                return ParseError::new(
                    t.span,
                    format!(
                        "`{}` must come after `|` at the end of the query",
                        kw.as_str()
                    ),
                )
                .expected(&["{"])
                .help(format!(
                    "select spans first: `{{ }} | {}(...)`",
                    kw.as_str()
                ));
            }
            Tok::Kw(kw @ (Kw::Topk | Kw::Bottomk)) => {
                return ParseError::new(
                    t.span,
                    format!("`{}()` must follow a metrics function", kw.as_str()),
                )
                .help(format!("for example `{{ }} | rate() | {}(5)`", kw.as_str()));
            }
            Tok::Kw(Kw::Coalesce) => {
                return ParseError::new(t.span, "`coalesce()` cannot start a pipeline")
                    .help("use it after `|`: `{ } | by(.a) | coalesce()`");
            }
            _ => {}
        }
        let mut e = self.unexpected(what, &[]);
        e.expected = expected;
        e
    }

    /// `( ... )`: Tempo reads it by its content and by what may start here.
    fn paren(&mut self, ctx: Ctx) -> Result<Item<'a>, ParseError> {
        let open = self.bump();
        self.enter(open.span)?;
        let item = self.pipeline(ctx.inner(), false)?;
        let close = self.close(Tok::RParen, open, "")?;
        self.leave();
        wrap_paren(item, ctx, open.span.to(close.span))
    }
}

/// What `( item )` is where `ctx` holds.
#[inline(never)]
fn wrap_paren<'a>(item: Item<'a>, ctx: Ctx, span: Span) -> Result<Item<'a>, ParseError> {
    {
        let group = |pipeline: Pipeline<'a>| SpansetExpr::Group {
            pipeline: Box::new(pipeline),
            span,
        };
        let single = |e: SpansetExpr<'a>| {
            let s = spanset_span(&e);
            Pipeline {
                stages: vec![Stage::Spansets(e)],
                span: s,
            }
        };
        let wrong = |what: &str, help: &str| {
            Err(ParseError::new(span, format!("{what} is not allowed here")).help(help.to_string()))
        };
        match item {
            Item::Spansets(e) if ctx.has(Ctx::SE) => Ok(Item::Spansets(group(single(e)))),
            Item::Spansets(e) if ctx.has(Ctx::SPE) => Ok(Item::Wrapped(group(single(e)))),
            Item::Wrapped(e) if ctx.has(Ctx::SPE) => Ok(Item::Wrapped(group(single(e)))),
            Item::Pipeline(p) if ctx.has(Ctx::SPE) => Ok(Item::Wrapped(group(p))),
            Item::Stage(s) if ctx.has(Ctx::SPE) => {
                let ss = stage_span(&s);
                Ok(Item::Wrapped(group(Pipeline {
                    stages: vec![s],
                    span: ss,
                })))
            }
            Item::Scalar(e, _) if ctx.has(Ctx::SCALAR) => Ok(Item::Scalar(
                ScalarExpr::Paren {
                    inner: Box::new(e),
                    span,
                },
                false,
            )),
            Item::PipelineAggregate(p, a) if ctx.has(Ctx::SPIPE) => {
                Ok(Item::ScalarPipeline(ScalarPipelineExpr::Pipeline {
                    pipeline: Box::new(p),
                    aggregate: a,
                    span,
                }))
            }
            Item::ScalarPipeline(e) if ctx.has(Ctx::SPIPE) => {
                Ok(Item::ScalarPipeline(ScalarPipelineExpr::Paren {
                    inner: Box::new(e),
                    span,
                }))
            }
            Item::Spansets(_) | Item::Wrapped(_) | Item::Pipeline(_) | Item::Stage(_) => wrong(
                "a parenthesised pipeline",
                if ctx.has(Ctx::SPIPE) {
                    "end it with an aggregate to compare it: `({ ... } | count()) > 2`"
                } else {
                    "parenthesised pipelines only combine with each other at the top level: `({ ... } | ...) && ({ ... })`"
                },
            ),
            Item::Scalar(_, _) => wrong(
                "a parenthesised number or aggregate",
                "aggregates belong in a pipeline stage: `{ } | count() > 2`",
            ),
            Item::PipelineAggregate(..) | Item::ScalarPipeline(_) => wrong(
                "a scalar pipeline",
                "compare scalar pipelines at the top level: `({ } | count()) > 2`",
            ),
            Item::ScalarPipelineFilter(_) => {
                wrong("a scalar pipeline comparison", "it must be the whole query")
            }
            Item::Static(_) | Item::Metrics(_) => wrong("this", "remove the parentheses"),
        }
    }
}

fn negate(v: &mut Value) {
    match v {
        Value::Int(i) => *i = i.wrapping_neg(),
        Value::Float(f) => *f = -*f,
        Value::Duration(d) => *d = d.wrapping_neg(),
        _ => {}
    }
}
