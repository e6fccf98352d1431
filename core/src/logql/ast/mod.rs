//! The LogQL syntax tree: log queries (selector and pipeline) and metric
//! queries (aggregations, binary operations), every node with its byte span.

use std::borrow::Cow;

use crate::syntax::Span;

macro_rules! named_ops {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant,)* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            /// The name as written in LogQL.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
        }
    };
}

mod log;
mod metric;

pub use log::*;
pub use metric::*;

/// A LogQL query: a log query or a metric query.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr<'a> {
    /// `{app="a"} |= "x" | json`
    Log(LogExpr<'a>),
    /// `rate({app="a"}[5m])`
    RangeAggregation(Box<RangeAggregation<'a>>),
    /// `sum by (pod) (...)`, `topk(5, ...)`
    VectorAggregation(Box<VectorAggregation<'a>>),
    /// `a / on (pod) group_left b`
    Binary(Box<BinaryExpr<'a>>),
    /// `5`, `-1.5e3`
    Literal(Number<'a>),
    /// `vector(1)`
    Vector(Box<VectorExpr<'a>>),
    /// `label_replace(expr, "dst", "$1", "src", "(.*)")`
    LabelReplace(Box<LabelReplace<'a>>),
    /// `variants(count_over_time(...), ...) of ({app="a"}[5m])`
    Variants(Box<Variants<'a>>),
    /// `( expr )`
    Paren(Box<Paren<'a>>),
}

impl Expr<'_> {
    pub fn span(&self) -> Span {
        match self {
            Expr::Log(e) => e.span,
            Expr::RangeAggregation(e) => e.span,
            Expr::VectorAggregation(e) => e.span,
            Expr::Binary(e) => e.span,
            Expr::Literal(e) => e.span,
            Expr::Vector(e) => e.span,
            Expr::LabelReplace(e) => e.span,
            Expr::Variants(e) => e.span,
            Expr::Paren(e) => e.span,
        }
    }

    /// Whether this is a log query (possibly in parentheses), not a metric one.
    pub fn is_log(&self) -> bool {
        match self {
            Expr::Log(_) => true,
            Expr::Paren(p) => p.expr.is_log(),
            _ => false,
        }
    }

    /// Whether Loki folds this into a number (literals and operations on them).
    pub fn is_literal(&self) -> bool {
        match self {
            Expr::Literal(_) => true,
            Expr::Paren(p) => p.expr.is_literal(),
            Expr::Binary(b) => b.lhs.is_literal() && b.rhs.is_literal(),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paren<'a> {
    pub expr: Expr<'a>,
    pub span: Span,
}

/// An identifier: a label name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ident<'a> {
    pub name: &'a str,
    pub span: Span,
}

/// A string literal: `"double quoted"` (escapes resolved) or `` `raw` ``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringLit<'a> {
    pub value: Cow<'a, str>,
    pub raw: bool,
    pub span: Span,
}

/// A number as written, and its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number<'a> {
    pub text: &'a str,
    pub value: f64,
    pub span: Span,
}

/// A duration (`5m`, `1.5s`, `-1h`) in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    pub nanos: i64,
    pub span: Span,
}

/// A byte size (`5KiB`, `1MB`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bytes {
    pub bytes: u64,
    pub span: Span,
}
