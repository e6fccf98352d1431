//! The pipeline level: stages joined by `|`, what a piece at that level
//! is ([`Item`]) and what may start where ([`Ctx`]), as Tempo's LALR states allow.
//!
//! Operators between pieces are in `operators.rs`, operands in `operands.rs`.

use crate::syntax::{ParseError, Span};

use super::super::ast::*;
use super::super::lexer::{Kw, Tok, Token};
use super::Parser;

/// What may start at a position, as Tempo's LALR states allow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ctx(u8);

impl Ctx {
    /// A spanset filter `{ }` or a parenthesised spanset expression.
    pub(super) const SE: u8 = 1;
    /// A parenthesised (wrapped) pipeline, combinable with spanset operators.
    pub(super) const SPE: u8 = 2;
    /// A scalar expression: numbers, aggregates.
    pub(super) const SCALAR: u8 = 4;
    /// `( pipeline | aggregate )` and arithmetic of those.
    pub(super) const SPIPE: u8 = 8;
    /// A literal (right of a scalar pipeline comparison).
    pub(super) const STATIC: u8 = 16;
    /// A pipeline stage: `by()`, `select()`, scalar filters.
    pub(super) const STAGE: u8 = 32;
    /// `coalesce()` (never first).
    pub(super) const COALESCE: u8 = 64;

    pub(super) const ROOT: Ctx =
        Ctx(Self::SE | Self::SPE | Self::SCALAR | Self::SPIPE | Self::STAGE);
    pub(super) const AFTER_PIPE: Ctx = Ctx(Self::SE | Self::SCALAR | Self::STAGE | Self::COALESCE);
    pub(super) const SPANSET: Ctx = Ctx(Self::SE);
    pub(super) const WRAPPED: Ctx = Ctx(Self::SPE);
    pub(super) const SCALARS: Ctx = Ctx(Self::SCALAR);
    pub(super) const SCALAR_PIPES: Ctx = Ctx(Self::SPIPE);
    pub(super) const SCALAR_PIPE_RHS: Ctx = Ctx(Self::SPIPE | Self::STATIC);

    pub(super) fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }

    /// What may start right inside a `(` opened where `self` holds.
    pub(super) fn inner(self) -> Ctx {
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

pub(super) fn spanset_span(e: &SpansetExpr) -> Span {
    match e {
        SpansetExpr::Filter(f) => f.span,
        SpansetExpr::Group { span, .. }
        | SpansetExpr::Binary { span, .. }
        | SpansetExpr::Chain { span, .. } => *span,
    }
}

pub(super) fn stage_span(s: &Stage) -> Span {
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

pub(super) fn spipe_span(e: &ScalarPipelineExpr) -> Span {
    match e {
        ScalarPipelineExpr::Pipeline { span, .. }
        | ScalarPipelineExpr::Paren { span, .. }
        | ScalarPipelineExpr::Chain { span, .. } => *span,
    }
}

pub(super) fn item_span(item: &Item) -> Span {
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

pub(super) fn is_metrics_kw(kw: Kw) -> bool {
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
                stages: Stages::one(Stage::Spansets(e)),
                span,
            }),
            Item::Pipeline(p) => Body::Pipeline(p),
            Item::Stage(s) => Body::Pipeline(Pipeline {
                stages: Stages::one(s),
                span,
            }),
            Item::ScalarPipelineFilter(f) => Body::ScalarPipelineFilter(Box::new(f)),
            Item::Metrics(m) => Body::Metrics(m),
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
        let mut stages = Stages::one(self.first_stage(first, pipe)?);
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
}
