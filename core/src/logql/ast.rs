//! The LogQL syntax tree: log queries (selector and pipeline) and metric
//! queries (aggregations, binary operations), every node with its byte span.

use std::borrow::Cow;

use crate::syntax::Span;

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

named_ops!(
    /// Functions over a log range (`rate`, `count_over_time`...).
    RangeOp {
        Rate => "rate",
        RateCounter => "rate_counter",
        CountOverTime => "count_over_time",
        BytesRate => "bytes_rate",
        BytesOverTime => "bytes_over_time",
        AvgOverTime => "avg_over_time",
        SumOverTime => "sum_over_time",
        MinOverTime => "min_over_time",
        MaxOverTime => "max_over_time",
        StdvarOverTime => "stdvar_over_time",
        StddevOverTime => "stddev_over_time",
        QuantileOverTime => "quantile_over_time",
        FirstOverTime => "first_over_time",
        LastOverTime => "last_over_time",
        AbsentOverTime => "absent_over_time",
    }
);

named_ops!(
    /// Aggregations over a vector (`sum`, `topk`...).
    VectorOp {
        Sum => "sum",
        Avg => "avg",
        Max => "max",
        Min => "min",
        Count => "count",
        Stddev => "stddev",
        Stdvar => "stdvar",
        Bottomk => "bottomk",
        Topk => "topk",
        Sort => "sort",
        SortDesc => "sort_desc",
        ApproxTopk => "approx_topk",
    }
);

named_ops!(
    /// Conversions of an unwrapped label.
    ConvOp {
        Bytes => "bytes",
        Duration => "duration",
        DurationSeconds => "duration_seconds",
    }
);

/// `{...} | pipeline [5m] offset 1h | unwrap x`, the argument of a range aggregation.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRange<'a> {
    pub log: LogExpr<'a>,
    pub range: Duration,
    pub offset: Option<Duration>,
    pub unwrap: Option<Unwrap<'a>>,
    pub span: Span,
}

/// `| unwrap label`, `| unwrap duration(label)`, then label filters.
#[derive(Debug, Clone, PartialEq)]
pub struct Unwrap<'a> {
    pub conversion: Option<ConvOp>,
    pub label: Ident<'a>,
    pub post_filters: Vec<LabelFilter<'a>>,
    pub span: Span,
}

/// `by (a, b)` or `without (a)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Grouping<'a> {
    pub without: bool,
    pub labels: Vec<Ident<'a>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RangeAggregation<'a> {
    pub op: RangeOp,
    /// `quantile_over_time(0.99, ...)`
    pub param: Option<Number<'a>>,
    pub range: LogRange<'a>,
    pub grouping: Option<Grouping<'a>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VectorAggregation<'a> {
    pub op: VectorOp,
    /// `topk(5, ...)`
    pub param: Option<Number<'a>>,
    pub expr: Expr<'a>,
    pub grouping: Option<Grouping<'a>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Unless,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
}

impl BinaryOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Unless => "unless",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Pow => "^",
            BinaryOp::Eq => "==",
            BinaryOp::Neq => "!=",
            BinaryOp::Gt => ">",
            BinaryOp::Gte => ">=",
            BinaryOp::Lt => "<",
            BinaryOp::Lte => "<=",
        }
    }

    /// Binding power, higher binds tighter (as Loki's grammar declares).
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And | BinaryOp::Unless => 2,
            BinaryOp::Eq
            | BinaryOp::Neq
            | BinaryOp::Gt
            | BinaryOp::Gte
            | BinaryOp::Lt
            | BinaryOp::Lte => 3,
            BinaryOp::Add | BinaryOp::Sub => 4,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 5,
            BinaryOp::Pow => 6,
        }
    }

    pub fn is_set_op(self) -> bool {
        matches!(self, BinaryOp::Or | BinaryOp::And | BinaryOp::Unless)
    }
}

/// `bool`, `on (a)` / `ignoring (a)`, `group_left (b)` / `group_right`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BinModifier<'a> {
    pub return_bool: bool,
    pub matching: Option<VectorMatching<'a>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VectorMatching<'a> {
    /// `on` (true) or `ignoring` (false).
    pub on: bool,
    pub labels: Vec<Ident<'a>>,
    pub group: Option<GroupModifier<'a>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupModifier<'a> {
    /// `group_left` (true) or `group_right` (false).
    pub left: bool,
    pub labels: Vec<Ident<'a>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BinaryExpr<'a> {
    pub op: BinaryOp,
    pub op_span: Span,
    pub modifier: BinModifier<'a>,
    pub lhs: Expr<'a>,
    pub rhs: Expr<'a>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VectorExpr<'a> {
    pub value: Number<'a>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LabelReplace<'a> {
    pub expr: Expr<'a>,
    pub dst: StringLit<'a>,
    pub replacement: StringLit<'a>,
    pub src: StringLit<'a>,
    pub regex: StringLit<'a>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variants<'a> {
    pub variants: Vec<Expr<'a>>,
    pub of: LogRange<'a>,
    pub span: Span,
}
