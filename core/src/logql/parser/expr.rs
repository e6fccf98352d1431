//! Expressions: binary operators by precedence climbing (a loop, no recursion
//! per operand), vector aggregations, literals, `vector`, `label_replace`.

use crate::syntax::{ParseError, Span};

use super::super::ast::*;
use super::super::lexer::{self, Tok, Token};
use super::super::suggest::suggest;
use super::{PResult, Parser};

/// Function names for "did you mean" on unknown functions.
const FUNCTION_NAMES: [&str; 29] = [
    "rate",
    "rate_counter",
    "count_over_time",
    "bytes_rate",
    "bytes_over_time",
    "avg_over_time",
    "sum_over_time",
    "min_over_time",
    "max_over_time",
    "stdvar_over_time",
    "stddev_over_time",
    "quantile_over_time",
    "first_over_time",
    "last_over_time",
    "absent_over_time",
    "sum",
    "avg",
    "max",
    "min",
    "count",
    "stddev",
    "stdvar",
    "bottomk",
    "topk",
    "sort",
    "sort_desc",
    "approx_topk",
    "vector",
    "label_replace",
];

/// PromQL functions people try in LogQL, with the LogQL way when there is one.
const PROMQL_ONLY: [(&[&str], &str); 3] = [
    (
        &["increase"],
        "to count log lines over a range use count_over_time({...}[5m]); to add up an unwrapped label use sum_over_time",
    ),
    (
        &["histogram_quantile"],
        "LogQL has no histograms: use quantile_over_time(0.99, {...} | unwrap label [5m])",
    ),
    (
        &["irate", "delta", "idelta", "deriv", "predict_linear", "resets", "changes"],
        "LogQL range functions are rate, count_over_time, bytes_rate, bytes_over_time, sum/avg/min/max_over_time, ...",
    ),
];

/// PromQL functions LogQL does not have at all.
const PROMQL_OTHER: [&str; 26] = [
    "abs",
    "ceil",
    "floor",
    "round",
    "exp",
    "ln",
    "log2",
    "log10",
    "sqrt",
    "clamp",
    "clamp_min",
    "clamp_max",
    "sgn",
    "timestamp",
    "time",
    "scalar",
    "label_join",
    "absent",
    "quantile",
    "count_values",
    "group",
    "holt_winters",
    "sort_by_label",
    "present_over_time",
    "limitk",
    "limit_ratio",
];

fn promql_only(name: &str) -> Option<&'static str> {
    let is = |n: &&str| n.eq_ignore_ascii_case(name);
    if let Some((_, help)) = PROMQL_ONLY.iter().find(|(names, _)| names.iter().any(is)) {
        return Some(help);
    }
    PROMQL_OTHER
        .iter()
        .any(is)
        .then_some("LogQL supports only a subset of PromQL functions")
}

impl<'a> Parser<'a> {
    pub(super) fn expr_top(&mut self) -> PResult<Expr<'a>> {
        self.expr(0)
    }

    /// Operators binding at least as tight as `min_prec`. On the recursion
    /// path: the work between recursive calls is in separate functions so that
    /// this frame stays small.
    pub(super) fn expr(&mut self, min_prec: u8) -> PResult<Expr<'a>> {
        let mut lhs = self.pow_chain()?;
        while let Some(op) = self.binary_op() {
            let prec = op.precedence();
            if prec < min_prec || op == BinaryOp::Pow {
                break;
            }
            let head = self.binary_head(op)?;
            let rhs = self.expr(prec + 1)?;
            lhs = self.binary(lhs, head, rhs)?;
        }
        Ok(lhs)
    }

    /// The operator token and its modifiers.
    #[inline(never)]
    fn binary_head(&mut self, op: BinaryOp) -> PResult<Box<(BinaryOp, Token, BinModifier<'a>)>> {
        let op_tok = self.bump();
        let modifier = self.bin_modifier()?;
        Ok(Box::new((op, op_tok, modifier)))
    }

    /// `a ^ b ^ c`, right-associative, collected in a loop.
    fn pow_chain(&mut self) -> PResult<Expr<'a>> {
        let first = self.operand()?;
        if self.peek() != Tok::Pow {
            return Ok(first);
        }
        self.pow_rest(first)
    }

    #[inline(never)]
    fn pow_rest(&mut self, first: Expr<'a>) -> PResult<Expr<'a>> {
        let mut operands = vec![first];
        let mut heads = Vec::new();
        while self.peek() == Tok::Pow {
            heads.push(self.binary_head(BinaryOp::Pow)?);
            operands.push(self.operand()?);
        }
        let mut rhs = operands
            .pop()
            .ok_or_else(|| self.unexpected("an expression", &[]))?;
        while let (Some(lhs), Some(head)) = (operands.pop(), heads.pop()) {
            rhs = self.binary(lhs, head, rhs)?;
        }
        Ok(rhs)
    }

    fn binary_op(&self) -> Option<BinaryOp> {
        Some(match self.peek() {
            Tok::Or => BinaryOp::Or,
            Tok::And => BinaryOp::And,
            Tok::Unless => BinaryOp::Unless,
            Tok::Add => BinaryOp::Add,
            Tok::Sub => BinaryOp::Sub,
            Tok::Mul => BinaryOp::Mul,
            Tok::Div => BinaryOp::Div,
            Tok::Mod => BinaryOp::Mod,
            Tok::Pow => BinaryOp::Pow,
            Tok::CmpEq => BinaryOp::Eq,
            Tok::Neq => BinaryOp::Neq,
            Tok::Gt => BinaryOp::Gt,
            Tok::Gte => BinaryOp::Gte,
            Tok::Lt => BinaryOp::Lt,
            Tok::Lte => BinaryOp::Lte,
            _ => return None,
        })
    }

    /// Loki's checks on a binary operation: metric queries on both sides, no
    /// number on either side of `and`/`or`/`unless`.
    #[inline(never)]
    #[expect(
        clippy::boxed_local,
        reason = "the operator head stays boxed so expr()'s recursive frame is small"
    )]
    fn binary(
        &self,
        lhs: Expr<'a>,
        head: Box<(BinaryOp, Token, BinModifier<'a>)>,
        rhs: Expr<'a>,
    ) -> PResult<Expr<'a>> {
        let (op, op_tok, modifier) = *head;
        let op_span = Self::span(op_tok);
        for (side, e) in [("left", &lhs), ("right", &rhs)] {
            if e.is_log() {
                return Err(ParseError::new(
                    e.span(),
                    format!(
                        "the {side} side of `{}` is a log query; binary operators work on metric queries",
                        op.as_str()
                    ),
                )
                .expected(&["metric query"])
                .help("turn the log query into a metric, e.g. count_over_time({app=\"foo\"}[5m])"));
            }
            if op.is_set_op() && e.is_literal() {
                return Err(ParseError::new(
                    e.span(),
                    format!(
                        "the {side} side of `{}` is a number; `and`, `or` and `unless` need metric queries on both sides",
                        op.as_str()
                    ),
                )
                .expected(&["metric query"])
                .help("use vector(...) to turn a number into a metric, e.g. `or vector(0)`"));
            }
        }
        let span = lhs.span().to(rhs.span());
        Ok(Expr::Binary(Box::new(BinaryExpr {
            op,
            op_span,
            modifier,
            lhs,
            rhs,
            span,
        })))
    }

    /// `bool`, `on (...)`/`ignoring (...)`, `group_left (...)`/`group_right (...)`.
    fn bin_modifier(&mut self) -> PResult<BinModifier<'a>> {
        let mut m = BinModifier::default();
        if self.peek() == Tok::Bool {
            self.bump();
            m.return_bool = true;
        }
        if matches!(self.peek(), Tok::On | Tok::Ignoring) {
            let kw = self.bump();
            let on = kw.tok == Tok::On;
            let labels = self.label_list(if on { "on" } else { "ignoring" })?;
            let mut span = Self::span(kw).to(Span::at(self.prev_end()));
            let mut group = None;
            if matches!(self.peek(), Tok::GroupLeft | Tok::GroupRight) {
                let g = self.bump();
                let labels = if self.peek() == Tok::LParen {
                    self.label_list(if g.tok == Tok::GroupLeft {
                        "group_left"
                    } else {
                        "group_right"
                    })?
                } else {
                    Vec::new()
                };
                let gspan = Self::span(g).to(Span::at(self.prev_end()));
                span = span.to(gspan);
                group = Some(GroupModifier {
                    left: g.tok == Tok::GroupLeft,
                    labels,
                    span: gspan,
                });
            }
            m.matching = Some(VectorMatching {
                on,
                labels,
                group,
                span,
            });
        } else if matches!(self.peek(), Tok::GroupLeft | Tok::GroupRight) {
            let t = self.token();
            return Err(ParseError::new(
                Self::span(t),
                format!(
                    "{} needs `on (...)` or `ignoring (...)` before it",
                    self.describe(t)
                ),
            )
            .expected(&["on", "ignoring"])
            .help(format!("write e.g. `on (pod) {}`", self.text(t))));
        }
        Ok(m)
    }

    /// `( label, ... )` after `by`, `on`, `group_left`...; may be empty.
    pub(super) fn label_list(&mut self, after: &str) -> PResult<Vec<Ident<'a>>> {
        if self.peek() != Tok::LParen {
            let mut e = self.unexpected(&format!("`(` after `{after}`"), &["("]);
            if matches!(self.peek(), Tok::Ident | Tok::Other) {
                let label = self.text(self.token());
                e = e.help(format!(
                    "put the labels in parentheses: `{after} ({label})`"
                ));
            }
            return Err(e);
        }
        let open = self.bump();
        let mut labels = Vec::new();
        if self.peek() == Tok::RParen {
            self.bump();
            return Ok(labels);
        }
        loop {
            labels.push(self.label_name("a label name")?);
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                }
                Tok::RParen => {
                    self.bump();
                    return Ok(labels);
                }
                _ => return Err(self.close_error(open, after)),
            }
        }
    }

    /// An identifier where a label name goes.
    pub(super) fn label_name(&mut self, wanted: &str) -> PResult<Ident<'a>> {
        let t = self.token();
        if matches!(t.tok, Tok::Ident | Tok::Other) {
            self.bump();
            return Ok(Ident {
                name: self.text(t),
                span: Self::span(t),
            });
        }
        let text = self.text(t);
        let is_keyword = !text.is_empty()
            && text.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !matches!(
                t.tok,
                Tok::Number | Tok::Duration | Tok::Bytes | Tok::Error(_)
            );
        if is_keyword {
            return Err(ParseError::new(
                Self::span(t),
                format!("expected {wanted}, found the keyword `{text}`"),
            )
            .expected(&["label name"])
            .help(format!(
                "`{text}` is a LogQL keyword and cannot be used as a label name here"
            )));
        }
        if matches!(t.tok, Tok::Comma | Tok::RParen)
            && self.pos > 0
            && self.toks[self.pos - 1].tok == Tok::Comma
        {
            return Err(self
                .unexpected(wanted, &["label name"])
                .help("remove the trailing `,`"));
        }
        Err(self.unexpected(wanted, &["label name"]))
    }

    /// One operand: literal, parenthesised expression, log query or function.
    /// On the recursion path, so its frame stays small: errors are built in
    /// separate cold functions.
    fn operand(&mut self) -> PResult<Expr<'a>> {
        match self.peek() {
            Tok::LBrace => Ok(Expr::Log(self.log_expr()?)),
            Tok::LParen => self.paren_expr(),
            Tok::Number | Tok::Add | Tok::Sub => self.literal(),
            Tok::RangeFn(op) => self.range_aggregation(op),
            Tok::VectorFn(op) => self.vector_aggregation(op),
            Tok::Vector => self.vector_expr(),
            Tok::LabelReplace => self.label_replace(),
            Tok::Variants => self.variants(),
            _ => Err(self.operand_error()),
        }
    }

    fn paren_expr(&mut self) -> PResult<Expr<'a>> {
        self.enter()?;
        let open = self.bump();
        let inner = self.expr(0)?;
        let close = self.close_paren(open, "")?;
        self.leave();
        Ok(Expr::Paren(Box::new(Paren {
            expr: inner,
            span: Self::span(open).to(Self::span(close)),
        })))
    }

    /// `5`, `-1.5`, `+2`.
    fn literal(&mut self) -> PResult<Expr<'a>> {
        let t = self.bump();
        if t.tok == Tok::Number {
            return Ok(Expr::Literal(self.number(t, t, false)));
        }
        let n = self.token();
        if n.tok != Tok::Number {
            return Err(self.sign_error(t));
        }
        self.bump();
        Ok(Expr::Literal(self.number(t, n, t.tok == Tok::Sub)))
    }

    #[cold]
    #[inline(never)]
    fn sign_error(&self, sign: Token) -> ParseError {
        let mut e = self.unexpected(
            &format!("a number after `{}`", self.text(sign)),
            &["number"],
        );
        if sign.tok == Tok::Sub && e.help.is_none() {
            e = e.help("only numbers take a sign; to negate an expression write `-1 * (...)`");
        }
        e
    }

    #[cold]
    #[inline(never)]
    fn operand_error(&self) -> ParseError {
        let t = self.token();
        match t.tok {
            Tok::Ident | Tok::Other => self.unknown_function(t),
            Tok::Range => ParseError::new(
                Self::span(t),
                format!(
                    "unexpected range {}: a range follows a log selector",
                    self.describe(t)
                ),
            )
            .expected(&["{"])
            .help(
                "ranges apply to log selectors inside range aggregations: rate({app=\"foo\"}[5m])",
            ),
            _ => self.unexpected("an expression", &["{", "(", "number", "function"]),
        }
    }

    /// The `(` after a function name.
    pub(super) fn expect_call(&mut self, name: &str) -> PResult<Token> {
        if self.peek() == Tok::LParen {
            return Ok(self.bump());
        }
        Err(self.call_error(name))
    }

    #[cold]
    #[inline(never)]
    fn call_error(&self, name: &str) -> ParseError {
        self.unexpected(&format!("`(` after `{name}`"), &["("])
    }

    /// A number token (with its sign token `from`, if any).
    pub(super) fn number(&self, from: Token, n: Token, negative: bool) -> Number<'a> {
        let text = self.text(n);
        let value = parse_number(text);
        Number {
            text,
            value: if negative { -value } else { value },
            span: Self::span(from).to(Self::span(n)),
        }
    }

    fn unknown_function(&self, t: Token) -> ParseError {
        let name = self.text(t);
        let span = Self::span(t);
        let next = self.peek_at(1);
        if let Some(help) = promql_only(name) {
            if next == Tok::LParen {
                return ParseError::new(span, format!("`{name}` is a PromQL function, not LogQL"))
                    .expected(&["function"])
                    .help(help);
            }
        }
        if lexer::function(name).is_some() {
            // A function name Loki did not read as one: no `(` after it.
            if matches!(next, Tok::By | Tok::Without) {
                let kw = self.toks[(self.pos + 1).min(self.toks.len() - 1)];
                let label = self.toks[(self.pos + 2).min(self.toks.len() - 1)];
                let kw_text = self.text(kw);
                let mut e = ParseError::new(
                    Self::span(label),
                    format!(
                        "expected `(` after `{kw_text}`, found {}",
                        self.describe(label)
                    ),
                )
                .expected(&["("]);
                if matches!(label.tok, Tok::Ident | Tok::Other) {
                    e = e.help(format!(
                        "put the labels in parentheses: `{kw_text} ({})`",
                        self.text(label)
                    ));
                }
                return e;
            }
            let after = self.toks[(self.pos + 1).min(self.toks.len() - 1)];
            return ParseError::new(
                Self::span(after),
                format!(
                    "expected `(` after `{name}`, found {}",
                    self.describe(after)
                ),
            )
            .expected(&["("])
            .help(format!("call it as {name}(...)"));
        }
        if next == Tok::LParen {
            let mut e =
                ParseError::new(span, format!("unknown function `{name}`")).expected(&["function"]);
            if let Some(m) = suggest(name, &FUNCTION_NAMES) {
                e = e.help(format!("did you mean `{m}`?"));
            }
            return e;
        }
        if matches!(next, Tok::Eq | Tok::Neq | Tok::Re | Tok::Nre) {
            return ParseError::new(
                span,
                format!("expected an expression, found the label matcher `{name}...` outside a selector"),
            )
            .expected(&["{"])
            .help("label matchers go inside braces: {app=\"foo\"}");
        }
        let mut e = ParseError::new(span, format!("expected an expression, found `{name}`"))
            .expected(&["{", "(", "number", "function"]);
        if let Some(h) = self.generic_help() {
            e = e.help(h);
        } else if next == Tok::LBrace || next == Tok::Range {
            e = e.help("a log selector is written in braces: {app=\"foo\"}");
        }
        e
    }

    fn vector_aggregation(&mut self, op: VectorOp) -> PResult<Expr<'a>> {
        self.enter()?;
        let name = self.bump();
        let mut grouping = self.opt_grouping()?;
        let open = self.expect_call(op.name())?;
        let mut param = None;
        if self.peek() == Tok::Number && self.peek_at(1) == Tok::Comma {
            let n = self.bump();
            self.bump();
            param = Some(self.number(n, n, false));
        }
        let expr = self.expr(0)?;
        let close = self.close_paren(open, op.name())?;
        if expr.is_log() {
            return Err(self.log_in_aggregation(op.name(), expr.span()));
        }
        let mut end = Self::span(close);
        if grouping.is_none() {
            grouping = self.opt_grouping()?;
        } else if matches!(self.peek(), Tok::By | Tok::Without) {
            return Err(self.second_grouping_error());
        }
        if let Some(g) = &grouping {
            end = end.to(g.span);
        }
        let span = Self::span(name).to(end);
        self.check_vector_params(op, param, grouping.as_ref(), Self::span(name))?;
        self.leave();
        Ok(Expr::VectorAggregation(Box::new(VectorAggregation {
            op,
            param,
            expr,
            grouping,
            span,
        })))
    }

    #[cold]
    #[inline(never)]
    pub(super) fn log_in_aggregation(&self, name: &str, span: Span) -> ParseError {
        ParseError::new(
            span,
            format!("`{name}` aggregates metric queries, and this is a log query"),
        )
        .expected(&["metric query"])
        .help(format!(
            "count the log lines first, e.g. {name}(count_over_time({{...}}[5m]))"
        ))
    }

    #[cold]
    #[inline(never)]
    fn second_grouping_error(&self) -> ParseError {
        self.unexpected("no second grouping", &[])
            .help("give `by`/`without` once, before or after the arguments")
    }

    fn check_vector_params(
        &self,
        op: VectorOp,
        param: Option<Number<'a>>,
        grouping: Option<&Grouping<'a>>,
        name: Span,
    ) -> PResult<()> {
        let n = op.name();
        match op {
            VectorOp::Topk | VectorOp::Bottomk | VectorOp::ApproxTopk => {
                let Some(p) = param else {
                    return Err(ParseError::new(
                        name,
                        format!("`{n}` needs a count first: {n}(5, ...)"),
                    )
                    .expected(&["number"])
                    .help(format!("write {n}(10, <expression>)")));
                };
                match go_atoi(p.text) {
                    Some(k) if k > 0 => {}
                    Some(_) => {
                        return Err(ParseError::new(
                            p.span,
                            format!("the count of `{n}` must be greater than 0"),
                        ))
                    }
                    None => {
                        return Err(ParseError::new(
                            p.span,
                            format!(
                                "the count of `{n}` must be a whole number, not `{}`",
                                p.text
                            ),
                        ))
                    }
                }
                if op == VectorOp::ApproxTopk {
                    if let Some(g) = grouping {
                        return Err(ParseError::new(
                            g.span,
                            "grouping is not allowed for approx_topk",
                        )
                        .help("remove the `by`/`without` clause"));
                    }
                }
            }
            _ => {
                if let Some(p) = param {
                    return Err(
                        ParseError::new(p.span, format!("`{n}` takes no parameter")).help(format!(
                            "only topk, bottomk and approx_topk take a count: {n}(<expression>)"
                        )),
                    );
                }
                if matches!(op, VectorOp::Sort | VectorOp::SortDesc) {
                    if let Some(g) = grouping.filter(|g| !g.labels.is_empty()) {
                        return Err(ParseError::new(
                            g.span,
                            format!("`{n}` does not allow grouping by labels"),
                        )
                        .help("sort orders by value; remove the `by`/`without` clause"));
                    }
                }
            }
        }
        Ok(())
    }

    /// `by (...)` / `without (...)`, if present.
    pub(super) fn opt_grouping(&mut self) -> PResult<Option<Grouping<'a>>> {
        if !matches!(self.peek(), Tok::By | Tok::Without) {
            return Ok(None);
        }
        let kw = self.bump();
        let without = kw.tok == Tok::Without;
        let labels = self.label_list(if without { "without" } else { "by" })?;
        Ok(Some(Grouping {
            without,
            labels,
            span: Self::span(kw).to(Span::at(self.prev_end())),
        }))
    }

    fn vector_expr(&mut self) -> PResult<Expr<'a>> {
        self.enter()?;
        let name = self.bump();
        let open = self.expect_call("vector")?;
        let n = self.token();
        if n.tok != Tok::Number {
            return Err(self
                .unexpected("a number", &["number"])
                .help("vector takes a plain number: vector(0)"));
        }
        self.bump();
        let close = self.close_paren(open, "vector")?;
        self.leave();
        Ok(Expr::Vector(Box::new(VectorExpr {
            value: self.number(n, n, false),
            span: Self::span(name).to(Self::span(close)),
        })))
    }

    fn label_replace(&mut self) -> PResult<Expr<'a>> {
        self.enter()?;
        let name = self.bump();
        let open = self.expect_call("label_replace")?;
        let expr = self.expr(0)?;
        if expr.is_log() {
            return Err(self.log_in_aggregation("label_replace", expr.span()));
        }
        let dst = self.label_replace_arg(0)?;
        let replacement = self.label_replace_arg(1)?;
        let src = self.label_replace_arg(2)?;
        let regex = self.label_replace_arg(3)?;
        let close = self.close_paren(open, "label_replace")?;
        if let Err(e) = super::super::regex::check(&regex.value) {
            return Err(Self::label_replace_regex_error(regex.span, e));
        }
        self.leave();
        Ok(Expr::LabelReplace(Box::new(LabelReplace {
            expr,
            dst,
            replacement,
            src,
            regex,
            span: Self::span(name).to(Self::span(close)),
        })))
    }

    /// `, "string"`: argument `n` (after the expression) of label_replace.
    #[inline(never)]
    fn label_replace_arg(&mut self, n: usize) -> PResult<StringLit<'a>> {
        const WHAT: [&str; 4] = [
            "destination label",
            "replacement",
            "source label",
            "regular expression",
        ];
        let what = WHAT[n.min(3)];
        if self.peek() != Tok::Comma {
            return Err(self
                .unexpected(&format!("`,` then the {what}"), &[","])
                .help("label_replace(<expr>, \"dst\", \"replacement\", \"src\", \"regex\")"));
        }
        self.bump();
        self.string(&format!("the {what} as a string"))
    }

    #[cold]
    #[inline(never)]
    fn label_replace_regex_error(span: Span, e: String) -> ParseError {
        ParseError::new(
            span,
            format!("invalid regular expression in label_replace: {e}"),
        )
    }

    fn variants(&mut self) -> PResult<Expr<'a>> {
        self.enter()?;
        let name = self.bump();
        let open = self.expect_call("variants")?;
        let mut variants = Vec::new();
        loop {
            let e = self.expr(0)?;
            if e.is_log() {
                return Err(ParseError::new(
                    e.span(),
                    "each variant must be a metric query",
                ));
            }
            variants.push(e);
            if self.peek() == Tok::Comma {
                self.bump();
                continue;
            }
            break;
        }
        self.close_paren(open, "variants")?;
        self.expect(Tok::Of, "of", "`of` after the variants")?;
        let open = self.expect(Tok::LParen, "(", "`(` after `of`")?;
        let of = self.log_range()?;
        let close = self.close_paren(open, "of ")?;
        self.leave();
        Ok(Expr::Variants(Box::new(Variants {
            variants,
            of,
            span: Self::span(name).to(Self::span(close)),
        })))
    }
}

/// The value of a number as Go's scanner reads it (decimal, hex, octal,
/// binary, with `_` separators).
fn parse_number(text: &str) -> f64 {
    let b = text.as_bytes();
    let prefixed = b.len() > 1 && b[0] == b'0' && matches!(b[1] | 0x20, b'x' | b'o' | b'b');
    if !prefixed && !b.contains(&b'_') {
        return text.parse().unwrap_or(f64::NAN);
    }
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    let radix = |digits: &str, r: u32| {
        u64::from_str_radix(digits, r)
            .map(|v| v as f64)
            .unwrap_or(f64::NAN)
    };
    if let Some(h) = lower.strip_prefix("0x") {
        return radix(h, 16);
    }
    if let Some(o) = lower.strip_prefix("0o") {
        return radix(o, 8);
    }
    if let Some(b) = lower.strip_prefix("0b") {
        return radix(b, 2);
    }
    lower.parse().unwrap_or(f64::NAN)
}

/// Go's `strconv.Atoi`: optional sign and decimal digits.
fn go_atoi(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}
