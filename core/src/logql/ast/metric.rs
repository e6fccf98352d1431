//! Metric queries in the syntax tree: range and vector aggregations with their
//! function names, log ranges with `| unwrap`, binary operations, calls.

use crate::syntax::Span;

use super::{Duration, Expr, Ident, LabelFilter, LogExpr, Number, StringLit};

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
