//! Spansets in the syntax tree: `{ }` filters and the operators combining
//! them, field expressions evaluated per span, intrinsics and attributes.

use std::borrow::Cow;

use crate::syntax::Span;

use super::{Pipeline, Static};

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
    /// One spanset operator: `operands` are its left and right side (one
    /// allocation for both).
    Binary {
        op: SpansetOp,
        op_span: Span,
        operands: Box<[SpansetExpr<'a>; 2]>,
        span: Span,
    },
    /// `first op rest[0] op rest[1] ...`: two or more operators of one
    /// precedence level, applied left to right (`&&`/`||` bind looser than
    /// the structural ones).
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
    /// One binary operator: `operands` are its left and right side (one
    /// allocation for both, the commonest node of all).
    Binary {
        op: BinaryOp,
        op_span: Span,
        operands: Box<[FieldExpr<'a>; 2]>,
        span: Span,
    },
    /// Two or more operators of one precedence level applied left to right,
    /// except `^` chains, which group to the right. Kept flat, so that a
    /// long `a && b && ...` nests no deeper than one operator.
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
            | FieldExpr::Binary { span, .. }
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
