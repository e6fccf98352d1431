//! The TraceQL syntax tree: every node borrows from the query text and
//! carries the byte span it was parsed from.
//!
//! The query and pipeline level and literals are here; spanset filters and
//! field expressions are in `spanset.rs`, scalars and metrics in `scalar.rs`.

mod scalar;
mod spanset;

pub use scalar::*;
pub use spanset::*;

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
    /// `({ .a } | count()) > ({ .b } | count())`; boxed, being the largest.
    ScalarPipelineFilter(Box<ScalarPipelineFilter<'a>>),
    /// `{ } | rate() by (resource.service.name) | topk(5)`; boxed, being
    /// several times the size of the other bodies.
    Metrics(Box<Metrics<'a>>),
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

/// `with(name = value, ...)`: one entry of a hint list.
#[derive(Debug, Clone, PartialEq)]
pub struct Hint<'a> {
    pub name: &'a str,
    pub value: Static<'a>,
    pub span: Span,
}
