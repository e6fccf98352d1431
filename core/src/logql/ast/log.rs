//! Log queries in the syntax tree: the selector and its matchers, and every
//! pipeline stage (line filters, parsers, formatting, label filters).

use crate::syntax::Span;

use super::{Bytes, Duration, Ident, Number, StringLit};

#[derive(Debug, Clone, PartialEq)]
pub struct LogExpr<'a> {
    pub selector: Selector<'a>,
    pub pipeline: Vec<Stage<'a>>,
    pub span: Span,
}

/// `{name="value", ...}`
#[derive(Debug, Clone, PartialEq)]
pub struct Selector<'a> {
    pub matchers: Vec<Matcher<'a>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchOp {
    /// `=`
    Eq,
    /// `!=`
    Neq,
    /// `=~`
    Re,
    /// `!~`
    Nre,
}

impl MatchOp {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchOp::Eq => "=",
            MatchOp::Neq => "!=",
            MatchOp::Re => "=~",
            MatchOp::Nre => "!~",
        }
    }
}

/// `name op "value"`
#[derive(Debug, Clone, PartialEq)]
pub struct Matcher<'a> {
    pub name: Ident<'a>,
    pub op: MatchOp,
    pub value: StringLit<'a>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stage<'a> {
    pub kind: StageKind<'a>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StageKind<'a> {
    /// `|= "a" or "b"`, `!~ "re"`, `|> "<_> x"`, `|= ip("10.0.0.0/8")`
    LineFilter(LineFilter<'a>),
    /// `| json` or `| json a="b.c", d`
    Json(Vec<Extraction<'a>>),
    /// `| logfmt --strict a, b="c"`
    Logfmt {
        strict: bool,
        keep_empty: bool,
        params: Vec<Extraction<'a>>,
    },
    /// `| regexp "(?P<x>...)"`
    Regexp(StringLit<'a>),
    /// `| pattern "<ip> - <_>"`
    Pattern(StringLit<'a>),
    /// `| unpack`
    Unpack,
    /// `| decolorize`
    Decolorize,
    /// `| status >= 400 and level="error"`
    LabelFilter(LabelFilter<'a>),
    /// `| line_format "{{.msg}}"`
    LineFormat(StringLit<'a>),
    /// `| label_format a="{{.b}}", c=d`
    LabelFormat(Vec<LabelFormat<'a>>),
    /// `| drop a, b="v"`
    Drop(Vec<NamedMatcher<'a>>),
    /// `| keep a, b="v"`
    Keep(Vec<NamedMatcher<'a>>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFilterOp {
    /// `|=`
    Contains,
    /// `!=`
    NotContains,
    /// `|~`
    Match,
    /// `!~`
    NotMatch,
    /// `|>`
    Pattern,
    /// `!>`
    NotPattern,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LineFilter<'a> {
    pub op: LineFilterOp,
    /// The first value and those chained with `or`.
    pub values: Vec<LineFilterValue<'a>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LineFilterValue<'a> {
    String(StringLit<'a>),
    /// `ip("...")`
    Ip(StringLit<'a>),
}

/// `name` or `name="expression"` after `json` / `logfmt`.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction<'a> {
    pub name: Ident<'a>,
    pub expression: Option<StringLit<'a>>,
    pub span: Span,
}

/// `dst=src` (rename) or `dst="{{template}}"`.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelFormat<'a> {
    pub name: Ident<'a>,
    pub value: LabelFormatValue<'a>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LabelFormatValue<'a> {
    Rename(Ident<'a>),
    Template(StringLit<'a>),
}

/// `name` or `name="value"` after `drop` / `keep`.
#[derive(Debug, Clone, PartialEq)]
pub enum NamedMatcher<'a> {
    Name(Ident<'a>),
    Matcher(Matcher<'a>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    /// `==`
    CmpEq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LabelFilter<'a> {
    /// `level="error"`, `path=~"/api.*"`
    Matcher(Matcher<'a>),
    /// `addr = ip("10.0.0.0/8")`
    Ip {
        name: Ident<'a>,
        negated: bool,
        value: StringLit<'a>,
        span: Span,
    },
    /// `latency > 250ms`
    Duration {
        name: Ident<'a>,
        op: CmpOp,
        value: Duration,
        span: Span,
    },
    /// `size >= 1KiB`
    Bytes {
        name: Ident<'a>,
        op: CmpOp,
        value: Bytes,
        span: Span,
    },
    /// `status >= 400`
    Number {
        name: Ident<'a>,
        op: CmpOp,
        value: Number<'a>,
        span: Span,
    },
    /// `a and b`, `a, b`, `a b`
    And(Box<LabelFilter<'a>>, Box<LabelFilter<'a>>),
    /// `a or b`
    Or(Box<LabelFilter<'a>>, Box<LabelFilter<'a>>),
    /// `( filter )`
    Paren(Box<LabelFilter<'a>>, Span),
}

impl LabelFilter<'_> {
    pub fn span(&self) -> Span {
        match self {
            LabelFilter::Matcher(m) => m.span,
            LabelFilter::Ip { span, .. }
            | LabelFilter::Duration { span, .. }
            | LabelFilter::Bytes { span, .. }
            | LabelFilter::Number { span, .. }
            | LabelFilter::Paren(_, span) => *span,
            LabelFilter::And(a, b) | LabelFilter::Or(a, b) => a.span().to(b.span()),
        }
    }
}
