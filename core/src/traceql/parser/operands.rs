//! Operands at the pipeline level: `{ }` filters, aggregates, numbers,
//! stages, and parentheses, read by what may start where they stand.

use crate::syntax::{ParseError, Span};

use super::super::ast::*;
use super::super::errors;
use super::super::lexer::{Kw, Tok};
use super::pipeline::{is_metrics_kw, spanset_span, stage_span, Ctx, Item};
use super::Parser;

impl<'a> Parser<'a> {
    /// One operand at the pipeline level.
    pub(super) fn primary(&mut self, ctx: Ctx) -> Result<Item<'a>, ParseError> {
        if self.at(Tok::LParen) {
            self.paren(ctx)
        } else {
            self.operand(ctx)
        }
    }

    #[inline(never)]
    fn operand(&mut self, ctx: Ctx) -> Result<Item<'a>, ParseError> {
        let t = self.peek();
        match t.tok {
            Tok::LBrace if ctx.has(Ctx::SE) => {
                Ok(Item::Spansets(SpansetExpr::Filter(self.spanset_filter()?)))
            }
            Tok::LParen => self.paren(ctx),
            Tok::Kw(Kw::Count | Kw::Min | Kw::Max | Kw::Avg | Kw::Sum) if ctx.has(Ctx::SCALAR) => {
                Ok(Item::Scalar(ScalarExpr::Aggregate(self.aggregate()?), true))
            }
            Tok::Int | Tok::Float | Tok::Duration if ctx.has(Ctx::SCALAR) => {
                let s = self.static_value().expect("a number");
                Ok(Item::Scalar(ScalarExpr::Literal(s), false))
            }
            Tok::Sub
                if ctx.has(Ctx::SCALAR)
                    && matches!(self.peek_at(1).tok, Tok::Int | Tok::Float | Tok::Duration) =>
            {
                self.bump();
                let mut s = self.static_value().expect("a number");
                s.span = t.span.to(s.span);
                negate(&mut s.value);
                Ok(Item::Scalar(ScalarExpr::Literal(s), false))
            }
            Tok::Str | Tok::Int | Tok::Float | Tok::Duration if ctx.has(Ctx::STATIC) => {
                Ok(Item::Static(self.static_value().expect("a value")))
            }
            Tok::Kw(kw) if ctx.has(Ctx::STATIC) && super::keyword_value(kw).is_some() => {
                Ok(Item::Static(self.static_value().expect("a value")))
            }
            Tok::Kw(Kw::By) if ctx.has(Ctx::STAGE) => self.group_by(),
            Tok::Kw(Kw::Select) if ctx.has(Ctx::STAGE) => self.select(),
            Tok::Kw(Kw::Coalesce) if ctx.has(Ctx::COALESCE) => {
                self.bump();
                let open = self.expect(Tok::LParen, "`(`")?;
                let close = self.close(Tok::RParen, open, "coalesce")?;
                Ok(Item::Stage(Stage::Coalesce {
                    span: t.span.to(close.span),
                }))
            }
            _ => Err(self.primary_error(ctx)),
        }
    }

    #[cold]
    #[inline(never)]
    fn primary_error(&mut self, ctx: Ctx) -> ParseError {
        let t = self.peek();
        let mut expected: Vec<&'static str> = Vec::new();
        if ctx.has(Ctx::SE) {
            expected.push("{");
        }
        expected.push("(");
        if ctx.has(Ctx::SCALAR) {
            expected.extend(["count()", "number"]);
        }
        if ctx.has(Ctx::STATIC) {
            expected.push("value");
        }
        let what = if ctx.has(Ctx::SE) {
            "a spanset filter `{ ... }`"
        } else if ctx.has(Ctx::SPE) {
            "a parenthesised pipeline `( ... )`"
        } else if ctx.has(Ctx::SPIPE) {
            "`( pipeline | aggregate )`"
        } else {
            "a number or aggregate"
        };
        match t.tok {
            Tok::Ident => {
                let word = self.text(t);
                let next = self.src.as_bytes().get(t.end()).copied().unwrap_or(0);
                return errors::unknown_word(word, next, t.span, false);
            }
            Tok::LBrace => {
                return ParseError::new(t.span, "a spanset filter `{ ... }` is not allowed here")
                    .expected(&["("])
                    .help("when combining parenthesised pipelines, wrap this side in parentheses too: `({ ... })`");
            }
            Tok::Kw(kw) if is_metrics_kw(kw) => {
                return ParseError::new(
                    t.span,
                    format!(
                        "`{}` must come after `|` at the end of the query",
                        kw.as_str()
                    ),
                )
                .expected(&["{"])
                .help(format!(
                    "select spans first: `{{ }} | {}(...)`",
                    kw.as_str()
                ));
            }
            Tok::Kw(kw @ (Kw::Topk | Kw::Bottomk)) => {
                return ParseError::new(
                    t.span,
                    format!("`{}()` must follow a metrics function", kw.as_str()),
                )
                .help(format!("for example `{{ }} | rate() | {}(5)`", kw.as_str()));
            }
            Tok::Kw(Kw::Coalesce) => {
                return ParseError::new(t.span, "`coalesce()` cannot start a pipeline")
                    .help("use it after `|`: `{ } | by(.a) | coalesce()`");
            }
            _ => {}
        }
        let mut e = self.unexpected(what, &[]);
        e.expected = expected.into();
        e
    }

    /// `( ... )`: Tempo reads it by its content and by what may start here.
    fn paren(&mut self, ctx: Ctx) -> Result<Item<'a>, ParseError> {
        let open = self.bump();
        self.enter(open.span)?;
        let item = self.pipeline(ctx.inner(), false)?;
        let close = self.close(Tok::RParen, open, "")?;
        self.leave();
        wrap_paren(item, ctx, open.span.to(close.span))
    }
}

/// What `( item )` is where `ctx` holds.
#[inline(never)]
fn wrap_paren<'a>(item: Item<'a>, ctx: Ctx, span: Span) -> Result<Item<'a>, ParseError> {
    {
        let group = |pipeline: Pipeline<'a>| SpansetExpr::Group {
            pipeline: Box::new(pipeline),
            span,
        };
        let single = |e: SpansetExpr<'a>| {
            let s = spanset_span(&e);
            Pipeline {
                stages: Stages::one(Stage::Spansets(e)),
                span: s,
            }
        };
        let wrong = |what: &str, help: &str| {
            Err(ParseError::new(span, format!("{what} is not allowed here")).help(help.to_string()))
        };
        match item {
            Item::Spansets(e) if ctx.has(Ctx::SE) => Ok(Item::Spansets(group(single(e)))),
            Item::Spansets(e) if ctx.has(Ctx::SPE) => Ok(Item::Wrapped(group(single(e)))),
            Item::Wrapped(e) if ctx.has(Ctx::SPE) => Ok(Item::Wrapped(group(single(e)))),
            Item::Pipeline(p) if ctx.has(Ctx::SPE) => Ok(Item::Wrapped(group(p))),
            Item::Stage(s) if ctx.has(Ctx::SPE) => {
                let ss = stage_span(&s);
                Ok(Item::Wrapped(group(Pipeline {
                    stages: Stages::one(s),
                    span: ss,
                })))
            }
            Item::Scalar(e, _) if ctx.has(Ctx::SCALAR) => Ok(Item::Scalar(
                ScalarExpr::Paren {
                    inner: Box::new(e),
                    span,
                },
                false,
            )),
            Item::PipelineAggregate(p, a) if ctx.has(Ctx::SPIPE) => {
                Ok(Item::ScalarPipeline(ScalarPipelineExpr::Pipeline {
                    pipeline: Box::new(p),
                    aggregate: a,
                    span,
                }))
            }
            Item::ScalarPipeline(e) if ctx.has(Ctx::SPIPE) => {
                Ok(Item::ScalarPipeline(ScalarPipelineExpr::Paren {
                    inner: Box::new(e),
                    span,
                }))
            }
            Item::Spansets(_) | Item::Wrapped(_) | Item::Pipeline(_) | Item::Stage(_) => wrong(
                "a parenthesised pipeline",
                if ctx.has(Ctx::SPIPE) {
                    "end it with an aggregate to compare it: `({ ... } | count()) > 2`"
                } else {
                    "parenthesised pipelines only combine with each other at the top level: `({ ... } | ...) && ({ ... })`"
                },
            ),
            Item::Scalar(_, _) => wrong(
                "a parenthesised number or aggregate",
                "aggregates belong in a pipeline stage: `{ } | count() > 2`",
            ),
            Item::PipelineAggregate(..) | Item::ScalarPipeline(_) => wrong(
                "a scalar pipeline",
                "compare scalar pipelines at the top level: `({ } | count()) > 2`",
            ),
            Item::ScalarPipelineFilter(_) => {
                wrong("a scalar pipeline comparison", "it must be the whole query")
            }
            Item::Static(_) | Item::Metrics(_) => wrong("this", "remove the parentheses"),
        }
    }
}

fn negate(v: &mut Value) {
    match v {
        Value::Int(i) => *i = i.wrapping_neg(),
        Value::Float(f) => *f = -*f,
        Value::Duration(d) => *d = d.wrapping_neg(),
        _ => {}
    }
}
