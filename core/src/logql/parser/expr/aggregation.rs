//! Vector aggregations (`sum by (a) (...)`, `topk(5, ...)`) with their checks,
//! groupings, and the other calls: `vector`, `label_replace`, `variants`.

use crate::syntax::{ParseError, Span};

use super::super::super::ast::*;
use super::super::super::lexer::Tok;
use super::super::{PResult, Parser};

impl<'a> Parser<'a> {
    pub(in crate::logql::parser) fn vector_aggregation(
        &mut self,
        op: VectorOp,
    ) -> PResult<Expr<'a>> {
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
    pub(in crate::logql::parser) fn log_in_aggregation(
        &self,
        name: &str,
        span: Span,
    ) -> ParseError {
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
    pub(in crate::logql::parser) fn second_grouping_error(&self) -> ParseError {
        self.unexpected("no second grouping", &[])
            .help("give `by`/`without` once, before or after the arguments")
    }

    pub(in crate::logql::parser) fn check_vector_params(
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
    pub(in crate::logql::parser) fn opt_grouping(&mut self) -> PResult<Option<Grouping<'a>>> {
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

    pub(in crate::logql::parser) fn vector_expr(&mut self) -> PResult<Expr<'a>> {
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

    pub(in crate::logql::parser) fn label_replace(&mut self) -> PResult<Expr<'a>> {
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
        if let Err(e) = super::super::super::regex::check(&regex.value) {
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
    pub(in crate::logql::parser) fn label_replace_arg(
        &mut self,
        n: usize,
    ) -> PResult<StringLit<'a>> {
        const WHAT: [&str; 4] = [
            "destination label",
            "replacement",
            "source label",
            "regular expression",
        ];
        let what = WHAT[n.min(3)];
        if self.peek() != Tok::Comma {
            return Err(self
                .unexpected(format_args!("`,` then the {what}"), &[","])
                .help("label_replace(<expr>, \"dst\", \"replacement\", \"src\", \"regex\")"));
        }
        self.bump();
        self.string(format_args!("the {what} as a string"))
    }

    #[cold]
    #[inline(never)]
    pub(in crate::logql::parser) fn label_replace_regex_error(span: Span, e: String) -> ParseError {
        ParseError::new(
            span,
            format!("invalid regular expression in label_replace: {e}"),
        )
    }

    pub(in crate::logql::parser) fn variants(&mut self) -> PResult<Expr<'a>> {
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

/// Go's `strconv.Atoi`: optional sign and decimal digits.
fn go_atoi(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}
