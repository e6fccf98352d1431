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
    pub stages: Stages<'a>,
    pub span: Span,
}

/// A pipeline's stages, read as a slice: a single stage, what most
/// pipelines have, is held in place instead of in a list of its own.
#[derive(Clone)]
pub struct Stages<'a>(StagesRepr<'a>);

#[derive(Clone)]
enum StagesRepr<'a> {
    One(Stage<'a>),
    /// Two or more.
    Many(Vec<Stage<'a>>),
}

impl<'a> Stages<'a> {
    pub fn one(stage: Stage<'a>) -> Self {
        Stages(StagesRepr::One(stage))
    }

    pub fn push(&mut self, stage: Stage<'a>) {
        // `Vec::new()` allocates nothing: a placeholder while `self` is rebuilt.
        self.0 = match std::mem::replace(&mut self.0, StagesRepr::Many(Vec::new())) {
            StagesRepr::One(first) => {
                let mut many = Vec::with_capacity(4);
                many.push(first);
                many.push(stage);
                StagesRepr::Many(many)
            }
            StagesRepr::Many(mut many) => {
                many.push(stage);
                StagesRepr::Many(many)
            }
        };
    }
}

impl<'a> std::ops::Deref for Stages<'a> {
    type Target = [Stage<'a>];

    fn deref(&self) -> &[Stage<'a>] {
        match &self.0 {
            StagesRepr::One(stage) => std::slice::from_ref(stage),
            StagesRepr::Many(many) => many,
        }
    }
}

impl<'s, 'a> IntoIterator for &'s Stages<'a> {
    type Item = &'s Stage<'a>;
    type IntoIter = std::slice::Iter<'s, Stage<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq for Stages<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Stages<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stage<'a> {
    Spansets(SpansetExpr<'a>),
    /// `count() > 2`, `avg(duration) + 1s < max(duration)`; boxed, being
    /// half again the size of the other stages, which every pipeline moves.
    ScalarFilter(Box<ScalarFilter<'a>>),
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
