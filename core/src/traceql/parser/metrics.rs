//! The end of a metrics query: `| rate() by (...)`, its arguments, and the
//! second stage (`| topk(5)`, `| bottomk(3)`, `> 10`).

use crate::syntax::ParseError;

use super::super::ast::*;
use super::super::lexer::{Kw, Tok};
use super::operators::compare_op;
use super::pipeline::Item;
use super::Parser;

impl<'a> Parser<'a> {
    /// After `pipeline |`, at a metrics function keyword.
    pub(super) fn metrics(&mut self, pipeline: Pipeline<'a>) -> Result<Item<'a>, ParseError> {
        let function = self.metrics_function()?;
        let mut stages = Vec::new();
        loop {
            let t = self.peek();
            if let Some(op) = compare_op(t.tok) {
                self.bump();
                let start = self.peek();
                let negative = if start.tok == Tok::Sub {
                    self.bump();
                    true
                } else {
                    false
                };
                if !matches!(self.peek().tok, Tok::Int | Tok::Float | Tok::Duration) {
                    return Err(self
                        .unexpected("a number to compare the series with", &["number"])
                        .help("for example `| rate() > 10`"));
                }
                let mut value = self.static_value().expect("a number");
                if negative {
                    value.span = start.span.to(value.span);
                    match &mut value.value {
                        Value::Int(i) => *i = i.wrapping_neg(),
                        Value::Float(f) => *f = -*f,
                        Value::Duration(d) => *d = d.wrapping_neg(),
                        _ => {}
                    }
                }
                let span = t.span.to(value.span);
                stages.push(SecondStage::Filter { op, value, span });
                continue;
            }
            if t.tok != Tok::Pipe {
                break;
            }
            let next = self.peek_at(1);
            let top = match next.tok {
                Tok::Kw(Kw::Topk) => true,
                Tok::Kw(Kw::Bottomk) => false,
                _ => {
                    self.bump();
                    let mut e = self.unexpected("`topk(n)` or `bottomk(n)`", &["topk", "bottomk"]);
                    e = e.help(
                        "a metrics function ends the query; filter spans before it: `{ ... } | rate()`",
                    );
                    return Err(e);
                }
            };
            self.bump();
            let name = self.bump();
            let open = self.expect(Tok::LParen, "`(`")?;
            if !self.at(Tok::Int) {
                return Err(self
                    .unexpected("a positive whole number", &["integer"])
                    .help(format!("for example `{}(5)`", self.text(name))));
            }
            let n = self.bump();
            let k = self.text(n).parse().unwrap_or(0);
            let close = self.close(Tok::RParen, open, self.text(name))?;
            let span = name.span.to(close.span);
            stages.push(if top {
                SecondStage::TopK { k, span }
            } else {
                SecondStage::BottomK { k, span }
            });
        }
        let end = stages.last().map_or(function.span, |s| match s {
            SecondStage::TopK { span, .. }
            | SecondStage::BottomK { span, .. }
            | SecondStage::Filter { span, .. } => *span,
        });
        let span = pipeline.span.to(end);
        Ok(Item::Metrics(Box::new(Metrics {
            pipeline,
            function,
            stages,
            span,
        })))
    }

    fn metrics_function(&mut self) -> Result<MetricsFunction<'a>, ParseError> {
        let name = self.bump();
        let kind = match name.tok {
            Tok::Kw(Kw::Rate) => MetricsFn::Rate,
            Tok::Kw(Kw::CountOverTime) => MetricsFn::CountOverTime,
            Tok::Kw(Kw::MinOverTime) => MetricsFn::MinOverTime,
            Tok::Kw(Kw::MaxOverTime) => MetricsFn::MaxOverTime,
            Tok::Kw(Kw::AvgOverTime) => MetricsFn::AvgOverTime,
            Tok::Kw(Kw::SumOverTime) => MetricsFn::SumOverTime,
            Tok::Kw(Kw::QuantileOverTime) => MetricsFn::QuantileOverTime,
            Tok::Kw(Kw::HistogramOverTime) => MetricsFn::HistogramOverTime,
            _ => MetricsFn::Compare,
        };
        let text = self.text(name);
        if !self.at(Tok::LParen) {
            let example = match kind {
                MetricsFn::Rate | MetricsFn::CountOverTime => format!("`{text}()`"),
                MetricsFn::QuantileOverTime => format!("`{text}(duration, .99)`"),
                MetricsFn::Compare => format!("`{text}({{ status = error }})`"),
                _ => format!("`{text}(duration)`"),
            };
            return Err(self
                .unexpected("`(`", &["("])
                .help(format!("call it with parentheses: {example}")));
        }
        let open = self.bump();
        let mut function = MetricsFunction {
            kind,
            field: None,
            quantiles: Vec::new(),
            selection: None,
            compare_args: Vec::new(),
            by: Vec::new(),
            span: name.span,
        };
        match kind {
            MetricsFn::Rate | MetricsFn::CountOverTime => {
                if !self.at(Tok::RParen) {
                    return Err(self.unexpected("`)`", &[")"]).help(format!(
                        "`{text}()` takes no argument; group with `by (...)` after it"
                    )));
                }
            }
            MetricsFn::Compare => {
                if !self.at(Tok::LBrace) {
                    return Err(self
                        .unexpected("a spanset filter `{ ... }`", &["{"])
                        .help("for example `compare({ status = error })`"));
                }
                function.selection = Some(self.spanset_filter()?);
                let mut count = 0;
                while self.at(Tok::Comma) && count < 3 {
                    self.bump();
                    if !self.at(Tok::Int) {
                        return Err(self.unexpected("a whole number", &["integer"]));
                    }
                    let n = self.bump();
                    function
                        .compare_args
                        .push(self.text(n).parse().unwrap_or(0));
                    count += 1;
                }
                if count == 2 {
                    let t = self.peek();
                    return Err(ParseError::new(t.span, "`compare()` takes 1, 2 or 4 arguments")
                        .expected(&[","])
                        .help("give both the start and the end: `compare({ ... }, 10, start, end)`"));
                }
            }
            _ => {
                function.field = Some(self.field()?);
                if kind == MetricsFn::QuantileOverTime {
                    if !self.at(Tok::Comma) {
                        return Err(self
                            .unexpected("`,` and the quantiles", &[","])
                            .help("for example `quantile_over_time(duration, .5, .99)`"));
                    }
                    while self.at(Tok::Comma) {
                        self.bump();
                        let t = self.peek();
                        if !matches!(t.tok, Tok::Int | Tok::Float) {
                            return Err(self.unexpected("a quantile such as `0.99`", &["number"]));
                        }
                        self.bump();
                        function.quantiles.push(super::parse_float(self.text(t)));
                    }
                }
            }
        }
        let close = self.close(Tok::RParen, open, text)?;
        function.span = name.span.to(close.span);
        if self.at(Tok::Kw(Kw::By)) && kind != MetricsFn::Compare {
            self.bump();
            let open = self.expect(Tok::LParen, "`(`")?;
            function.by = self.field_list()?;
            let close = self.close(Tok::RParen, open, "by")?;
            function.span = function.span.to(close.span);
        }
        Ok(function)
    }
}
