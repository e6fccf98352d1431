//! Range aggregations and their log range argument: the selector, pipeline,
//! `[range]`, `offset` and `| unwrap` in every order Loki's grammar allows.

use crate::syntax::{ParseError, Span};

use super::super::ast::*;
use super::super::lexer::Tok;
use super::{PResult, Parser};

impl<'a> Parser<'a> {
    pub(super) fn range_aggregation(&mut self, op: RangeOp) -> PResult<Expr<'a>> {
        self.enter()?;
        let name = self.bump();
        let n = op.name();
        let open = self.expect_call(n)?;
        let mut param = None;
        if self.peek() == Tok::Number && self.peek_at(1) == Tok::Comma {
            let t = self.bump();
            self.bump();
            param = Some(self.number(t, t, false));
        }
        let range = self.log_range_arg(op)?;
        let close = self.close_paren(open, n)?;
        let grouping = self.opt_grouping()?;
        let end = grouping.as_ref().map_or(Self::span(close), |g| g.span);
        let agg = RangeAggregation {
            op,
            param,
            range,
            grouping,
            span: Self::span(name).to(end),
        };
        check_range_aggregation(&agg, Self::span(name))?;
        self.leave();
        Ok(Expr::RangeAggregation(Box::new(agg)))
    }

    /// The argument of a range aggregation, with a pointed error when the
    /// range is missing.
    fn log_range_arg(&mut self, op: RangeOp) -> PResult<LogRange<'a>> {
        match self.peek() {
            Tok::LBrace | Tok::LParen => self.log_range(),
            _ => Err(self.log_range_arg_error(op)),
        }
    }

    #[cold]
    #[inline(never)]
    fn log_range_arg_error(&self, op: RangeOp) -> ParseError {
        if self.peek() == Tok::Number && op == RangeOp::QuantileOverTime {
            return self.unexpected("`,` after the quantile", &[","]);
        }
        let mut e = self.unexpected("a log selector such as {app=\"foo\"}", &["{", "("]);
        if e.help.is_none() {
            let n = op.name();
            e = e.help(format!(
                "{n}(...) takes a log query and a range: {n}({{app=\"foo\"}}[5m])"
            ));
        }
        e
    }

    /// `{...} pipeline [5m] offset 1h | unwrap x`, or one of its bracketed forms.
    pub(super) fn log_range(&mut self) -> PResult<LogRange<'a>> {
        self.enter()?;
        let start = self.token();
        let out = if start.tok == Tok::LParen {
            let open = self.bump();
            if self.peek() == Tok::LParen {
                let mut inner = self.log_range()?;
                let close = self.close_paren(open, "")?;
                inner.span = Self::span(open).to(Self::span(close));
                inner
            } else {
                let selector = self.selector()?;
                let mut stages = Vec::new();
                self.pipeline(&mut stages)?;
                let unwrap = self.opt_unwrap()?;
                if self.peek() == Tok::RParen {
                    let close = self.bump();
                    let log = LogExpr {
                        span: selector.span.to(Self::span(close)),
                        selector,
                        pipeline: stages,
                    };
                    let bare = log.pipeline.is_empty() && unwrap.is_none();
                    let range = self.range_token()?;
                    let offset = self.opt_offset()?;
                    let unwrap = if bare { self.opt_unwrap()? } else { unwrap };
                    LogRange {
                        log,
                        range,
                        offset,
                        unwrap,
                        span: Self::span(open).to(Span::at(self.prev_end())),
                    }
                } else {
                    let mut inner = self.range_rest(selector, stages, unwrap)?;
                    let close = self.close_paren(open, "")?;
                    inner.span = Self::span(open).to(Self::span(close));
                    inner
                }
            }
        } else {
            let selector = self.selector()?;
            let mut stages = Vec::new();
            self.pipeline(&mut stages)?;
            let unwrap = self.opt_unwrap()?;
            self.range_rest(selector, stages, unwrap)?
        };
        self.leave();
        Ok(out)
    }

    /// After the selector, pipeline and unwrap that precede the range.
    fn range_rest(
        &mut self,
        selector: Selector<'a>,
        mut stages: Vec<Stage<'a>>,
        mut unwrap: Option<Unwrap<'a>>,
    ) -> PResult<LogRange<'a>> {
        let log_end = self.prev_end();
        let bare = stages.is_empty() && unwrap.is_none();
        let range = self.range_token()?;
        let offset = self.opt_offset()?;
        if bare {
            self.pipeline(&mut stages)?;
            unwrap = self.opt_unwrap()?;
        }
        let start = selector.span;
        let log_span = if bare && !stages.is_empty() {
            start.to(Span::at(self.prev_end()))
        } else {
            start.to(Span::at(log_end))
        };
        Ok(LogRange {
            log: LogExpr {
                selector,
                pipeline: stages,
                span: log_span,
            },
            range,
            offset,
            unwrap,
            span: start.to(Span::at(self.prev_end())),
        })
    }

    fn range_token(&mut self) -> PResult<Duration> {
        let t = self.token();
        if t.tok == Tok::Range {
            self.bump();
            return Ok(Duration {
                nanos: t.value,
                span: Self::span(t),
            });
        }
        let mut e = self.unexpected("a range such as [5m]", &["[range]"]);
        if e.help.is_none() {
            e = match t.tok {
                Tok::RParen | Tok::Eof => e.help("add a range such as [5m] after the log query"),
                Tok::Pipe if self.peek_at(1) == Tok::Unwrap => {
                    e.help("`| unwrap` goes before the range or after it, but only once")
                }
                Tok::Pipe | Tok::PipeExact | Tok::PipeMatch | Tok::Nre | Tok::Neq => {
                    e.help("line filters and parsers go before `| unwrap`")
                }
                _ => e,
            };
        }
        Err(e)
    }

    fn opt_offset(&mut self) -> PResult<Option<Duration>> {
        if self.peek() != Tok::Offset {
            return Ok(None);
        }
        self.bump();
        let t = self.token();
        if t.tok != Tok::Duration {
            return Err(self
                .unexpected("a duration after `offset`", &["duration"])
                .help("write e.g. offset 1h"));
        }
        self.bump();
        Ok(Some(Duration {
            nanos: t.value,
            span: Self::span(t),
        }))
    }

    /// `| unwrap label` or `| unwrap duration(label)`, then `| label filter`s.
    fn opt_unwrap(&mut self) -> PResult<Option<Unwrap<'a>>> {
        if !(self.peek() == Tok::Pipe && self.peek_at(1) == Tok::Unwrap) {
            return Ok(None);
        }
        let pipe = self.bump();
        self.bump();
        let conversion = match self.peek() {
            Tok::BytesConv => Some(ConvOp::Bytes),
            Tok::DurationConv => Some(ConvOp::Duration),
            Tok::DurationSecondsConv => Some(ConvOp::DurationSeconds),
            _ => None,
        };
        let label = if let Some(conv) = conversion {
            self.bump();
            let open = self.expect(Tok::LParen, "(", "`(`")?;
            let label = self.label_name("the label to unwrap")?;
            self.close_paren(open, conv.name())?;
            label
        } else {
            let mut_label = self.label_name("the label to unwrap");
            match mut_label {
                Ok(l) => l,
                Err(e) => {
                    return Err(e.help(
                        "unwrap takes a label name, or bytes(label), duration(label), duration_seconds(label)",
                    ))
                }
            }
        };
        let mut post_filters = Vec::new();
        while self.peek() == Tok::Pipe
            && matches!(self.peek_at(1), Tok::Ident | Tok::Other | Tok::LParen)
        {
            self.bump();
            post_filters.push(self.label_filter()?);
        }
        if self.peek() == Tok::Pipe {
            self.bump();
            return Err(self
                .unexpected("a label filter after `| unwrap`", &["label filter"])
                .help("only label filters can follow `| unwrap`; put parsers and line filters before it"));
        }
        Ok(Some(Unwrap {
            conversion,
            label,
            post_filters,
            span: Self::span(pipe).to(Span::at(self.prev_end())),
        }))
    }
}

/// Loki's checks on a range aggregation: which take a parameter, a grouping,
/// and which need (or refuse) `| unwrap`.
fn check_range_aggregation(agg: &RangeAggregation<'_>, name: Span) -> PResult<()> {
    use RangeOp::*;
    let n = agg.op.name();
    match (agg.op, agg.param) {
        (QuantileOverTime, None) => {
            return Err(
                ParseError::new(name, "quantile_over_time needs the quantile first")
                    .expected(&["number"])
                    .help("write quantile_over_time(0.99, {...} | unwrap label [5m])"),
            )
        }
        (QuantileOverTime, Some(_)) | (_, None) => {}
        (_, Some(p)) => {
            return Err(ParseError::new(p.span, format!("`{n}` takes no parameter"))
                .help("only quantile_over_time takes a parameter"))
        }
    }
    if let Some(g) = &agg.grouping {
        let allowed = matches!(
            agg.op,
            AvgOverTime
                | StddevOverTime
                | StdvarOverTime
                | QuantileOverTime
                | MaxOverTime
                | MinOverTime
                | FirstOverTime
                | LastOverTime
        );
        if !allowed {
            return Err(
                ParseError::new(g.span, format!("grouping is not allowed for {n}")).help(format!(
                    "aggregate the result instead: sum by (...) ({n}(...))"
                )),
            );
        }
    }
    let unwrap = agg.range.unwrap.as_ref();
    match unwrap {
        Some(u) => {
            let allowed = !matches!(agg.op, CountOverTime | BytesRate | BytesOverTime);
            if !allowed {
                return Err(ParseError::new(
                    u.span,
                    format!("{n} counts log lines or bytes and cannot use `| unwrap`"),
                )
                .help(
                    "use sum_over_time, avg_over_time, rate... to aggregate an unwrapped label",
                ));
            }
        }
        None => {
            let allowed = matches!(
                agg.op,
                BytesOverTime | BytesRate | CountOverTime | Rate | AbsentOverTime
            );
            if !allowed {
                return Err(ParseError::new(
                    name,
                    format!("{n} needs a label to aggregate: add `| unwrap <label>`"),
                )
                .expected(&["| unwrap"])
                .help(format!(
                    "e.g. {n}({{app=\"foo\"}} | logfmt | unwrap duration [5m])"
                )));
            }
        }
    }
    Ok(())
}
