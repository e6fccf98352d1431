//! Scalars in the syntax tree: aggregates and their arithmetic, scalar
//! filters and scalar pipelines, and metrics queries with their stages.

use crate::syntax::Span;

use super::{Field, FieldExpr, Pipeline, SpansetFilter, Static};

/// `lhs op rhs` between scalar expressions inside a pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalarFilter<'a> {
    pub lhs: ScalarExpr<'a>,
    pub op: CompareOp,
    pub rhs: ScalarExpr<'a>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    Eq,
    Neq,
    Lt,
    Lte,
    Gt,
    Gte,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
}

/// Numbers, durations and aggregates combined arithmetically.
#[derive(Debug, Clone, PartialEq)]
pub enum ScalarExpr<'a> {
    /// A number or duration, negated when written `-3`.
    Literal(Static<'a>),
    Aggregate(Aggregate<'a>),
    Paren {
        inner: Box<ScalarExpr<'a>>,
        span: Span,
    },
    /// One precedence level, left to right (`^` groups to the right).
    Chain {
        first: Box<ScalarExpr<'a>>,
        rest: Vec<(ArithOp, Span, ScalarExpr<'a>)>,
        span: Span,
    },
}

/// `count()`, `avg(duration)`, `max(span.size)`...
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate<'a> {
    pub function: AggregateFn,
    /// `None` for `count()`.
    pub argument: Option<Box<FieldExpr<'a>>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggregateFn {
    Count,
    Min,
    Max,
    Avg,
    Sum,
}

/// `({ ... } | count()) > ({ ... } | count())` or `... > 3`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalarPipelineFilter<'a> {
    pub lhs: ScalarPipelineExpr<'a>,
    pub op: CompareOp,
    pub rhs: ScalarPipelineOperand<'a>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ScalarPipelineOperand<'a> {
    Expr(ScalarPipelineExpr<'a>),
    Static(Static<'a>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ScalarPipelineExpr<'a> {
    /// `( pipeline | aggregate )`.
    Pipeline {
        pipeline: Box<Pipeline<'a>>,
        aggregate: Aggregate<'a>,
        span: Span,
    },
    Paren {
        inner: Box<ScalarPipelineExpr<'a>>,
        span: Span,
    },
    Chain {
        first: Box<ScalarPipelineExpr<'a>>,
        rest: Vec<(ArithOp, Span, ScalarPipelineExpr<'a>)>,
        span: Span,
    },
}

/// `pipeline | function(...) by (...) | topk(5) > 10`.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics<'a> {
    pub pipeline: Pipeline<'a>,
    pub function: MetricsFunction<'a>,
    pub stages: Vec<SecondStage<'a>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MetricsFunction<'a> {
    pub kind: MetricsFn,
    /// The measured field of `*_over_time(field, ...)`.
    pub field: Option<Field<'a>>,
    /// The quantiles of `quantile_over_time(field, q1, q2...)`.
    pub quantiles: Vec<f64>,
    /// `compare({ selection }, topN, start, end)`.
    pub selection: Option<SpansetFilter<'a>>,
    pub compare_args: Vec<i64>,
    pub by: Vec<Field<'a>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetricsFn {
    Rate,
    CountOverTime,
    MinOverTime,
    MaxOverTime,
    AvgOverTime,
    SumOverTime,
    QuantileOverTime,
    HistogramOverTime,
    Compare,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SecondStage<'a> {
    TopK {
        k: i64,
        span: Span,
    },
    BottomK {
        k: i64,
        span: Span,
    },
    /// `> 10`, `<= 0.5`, `!= -3` on the series values.
    Filter {
        op: CompareOp,
        value: Static<'a>,
        span: Span,
    },
}
