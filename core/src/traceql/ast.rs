//! The TraceQL syntax tree: every node borrows from the query text and
//! carries the byte span it was parsed from.

use std::borrow::Cow;

use crate::syntax::Span;

/// A whole query: a spanset pipeline, a scalar comparison between wrapped
/// pipelines, or a metrics query, followed by any `with(...)` hints.
#[derive(Debug, Clone, PartialEq)]
pub struct Query<'a> {
    pub body: Body<'a>,
    pub hints: Vec<Hint<'a>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body<'a> {
    /// `{ .a = 1 } | by(.b) | count() > 2`, `{ .a } >> { .b }`,
    /// `({ .a } | count() > 1) && ({ .b })`.
    Pipeline(Pipeline<'a>),
    /// `({ .a } | count()) > ({ .b } | count())`.
    ScalarPipelineFilter(ScalarPipelineFilter<'a>),
    /// `{ } | rate() by (resource.service.name) | topk(5)`.
    Metrics(Metrics<'a>),
}

/// Stages separated by `|`; a single stage is a pipeline of one.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline<'a> {
    pub stages: Vec<Stage<'a>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stage<'a> {
    Spansets(SpansetExpr<'a>),
    /// `count() > 2`, `avg(duration) + 1s < max(duration)`.
    ScalarFilter(ScalarFilter<'a>),
    /// `by(resource.service.name)`.
    GroupBy {
        field: FieldExpr<'a>,
        span: Span,
    },
    /// `select(span.http.url, duration)`.
    Select {
        fields: Vec<Field<'a>>,
        span: Span,
    },
    /// `coalesce()`.
    Coalesce {
        span: Span,
    },
}

/// Spansets combined by logical and structural operators.
#[derive(Debug, Clone, PartialEq)]
pub enum SpansetExpr<'a> {
    /// `{ ... }`.
    Filter(SpansetFilter<'a>),
    /// `( ... )`: a parenthesised spanset expression, or a whole pipeline
    /// wrapped in parentheses so that it can be combined with others.
    Group {
        pipeline: Box<Pipeline<'a>>,
        span: Span,
    },
    /// `first op rest[0] op rest[1] ...`: operators of one precedence level,
    /// applied left to right (`&&`/`||` bind looser than the structural ones).
    Chain {
        first: Box<SpansetExpr<'a>>,
        rest: Vec<(SpansetOp, Span, SpansetExpr<'a>)>,
        span: Span,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpansetOp {
    And,
    Or,
    Child,
    Parent,
    Descendant,
    Ancestor,
    Sibling,
    NotChild,
    NotParent,
    NotDescendant,
    NotAncestor,
    NotSibling,
    UnionChild,
    UnionParent,
    UnionDescendant,
    UnionAncestor,
    UnionSibling,
}

impl SpansetOp {
    pub fn as_str(self) -> &'static str {
        match self {
            SpansetOp::And => "&&",
            SpansetOp::Or => "||",
            SpansetOp::Child => ">",
            SpansetOp::Parent => "<",
            SpansetOp::Descendant => ">>",
            SpansetOp::Ancestor => "<<",
            SpansetOp::Sibling => "~",
            SpansetOp::NotChild => "!>",
            SpansetOp::NotParent => "!<",
            SpansetOp::NotDescendant => "!>>",
            SpansetOp::NotAncestor => "!<<",
            SpansetOp::NotSibling => "!~",
            SpansetOp::UnionChild => "&>",
            SpansetOp::UnionParent => "&<",
            SpansetOp::UnionDescendant => "&>>",
            SpansetOp::UnionAncestor => "&<<",
            SpansetOp::UnionSibling => "&~",
        }
    }
}

/// `{ }` (every span) or `{ condition }`.
#[derive(Debug, Clone, PartialEq)]
pub struct SpansetFilter<'a> {
    pub condition: Option<FieldExpr<'a>>,
    pub span: Span,
}

/// An expression evaluated per span, inside `{ }` and as aggregate arguments.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldExpr<'a> {
    Static(Static<'a>),
    Field(Field<'a>),
    Paren {
        inner: Box<FieldExpr<'a>>,
        span: Span,
    },
    Unary {
        op: UnaryOp,
        operand: Box<FieldExpr<'a>>,
        span: Span,
    },
    /// Operators of one precedence level applied left to right, except `^`
    /// chains, which group to the right.
    Chain {
        first: Box<FieldExpr<'a>>,
        rest: Vec<(BinaryOp, Span, FieldExpr<'a>)>,
        span: Span,
    },
    /// `x != nil` / `nil != x` (exists) and `x = nil` / `nil = x` (does not).
    Existence {
        operand: Box<FieldExpr<'a>>,
        exists: bool,
        span: Span,
    },
    /// `nil = nil` or `nil != nil` (both false in Tempo).
    NilComparison {
        span: Span,
    },
}

impl FieldExpr<'_> {
    pub fn span(&self) -> Span {
        match self {
            FieldExpr::Static(s) => s.span,
            FieldExpr::Field(f) => f.span(),
            FieldExpr::Paren { span, .. }
            | FieldExpr::Unary { span, .. }
            | FieldExpr::Chain { span, .. }
            | FieldExpr::Existence { span, .. }
            | FieldExpr::NilComparison { span } => *span,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    And,
    Or,
    Eq,
    Neq,
    Lt,
    Lte,
    Gt,
    Gte,
    Regex,
    NotRegex,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
}

impl BinaryOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::And => "&&",
            BinaryOp::Or => "||",
            BinaryOp::Eq => "=",
            BinaryOp::Neq => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Lte => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Gte => ">=",
            BinaryOp::Regex => "=~",
            BinaryOp::NotRegex => "!~",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Pow => "^",
        }
    }
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub struct Static<'a> {
    pub value: Value<'a>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `"text"` or `` `raw` ``, unescaped.
    String(Cow<'a, str>),
    Int(i64),
    Float(f64),
    /// Nanoseconds: `1h30m`, `1.5s`, `100ns`, `2d`.
    Duration(i64),
    Bool(bool),
    Status(Status),
    Kind(SpanKind),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Ok,
    Error,
    Unset,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpanKind {
    Unspecified,
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

/// Something read from a span: an intrinsic or an attribute.
#[derive(Debug, Clone, PartialEq)]
pub enum Field<'a> {
    Intrinsic { intrinsic: Intrinsic, span: Span },
    Attribute(Attribute<'a>),
}

impl Field<'_> {
    pub fn span(&self) -> Span {
        match self {
            Field::Intrinsic { span, .. } => *span,
            Field::Attribute(a) => a.span,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Intrinsic {
    Duration,
    ChildCount,
    Name,
    Status,
    StatusMessage,
    Kind,
    Parent,
    RootName,
    RootServiceName,
    TraceDuration,
    NestedSetLeft,
    NestedSetRight,
    NestedSetParent,
    TraceId,
    SpanId,
    ParentId,
    EventName,
    EventTimeSinceStart,
    LinkTraceId,
    LinkSpanId,
    InstrumentationName,
    InstrumentationVersion,
}

/// `.name`, `span.http.url`, `parent.resource."service name"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute<'a> {
    pub scope: AttributeScope,
    /// `parent.` was written before the scope.
    pub parent: bool,
    /// The name with quotes removed and `\"` / `\\` unescaped.
    pub name: Cow<'a, str>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttributeScope {
    /// `.name`: any scope.
    None,
    Span,
    Resource,
    Event,
    Link,
    Instrumentation,
}

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

/// `with(name = value, ...)`: one entry of a hint list.
#[derive(Debug, Clone, PartialEq)]
pub struct Hint<'a> {
    pub name: &'a str,
    pub value: Static<'a>,
    pub span: Span,
}
