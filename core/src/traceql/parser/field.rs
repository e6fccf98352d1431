//! Field expressions (inside `{ }` and aggregate arguments), fields,
//! attributes and the stages built from them: `by()`, `select()`.

use std::borrow::Cow;

use crate::syntax::{ParseError, Span};

use super::super::ast::*;
use super::super::errors;
use super::super::lexer::{Kw, Tok};
use super::pipeline::Item;
use super::{Parser, MAX_DEPTH};

/// Binding strength inside `{ }`: Tempo's `%left` lines, where unary `-`
/// and `!` take an operand of `* / % ^` strength.
fn level(tok: Tok) -> Option<u8> {
    Some(match tok {
        Tok::And | Tok::Or => 1,
        Tok::Eq | Tok::Neq | Tok::Lt | Tok::Lte | Tok::Gt | Tok::Gte | Tok::Re | Tok::Nre => 2,
        Tok::Add | Tok::Sub => 3,
        Tok::Mul | Tok::Div | Tok::Mod => 5,
        Tok::Pow => 6,
        _ => return None,
    })
}

fn binary_op(tok: Tok) -> Option<BinaryOp> {
    Some(match tok {
        Tok::And => BinaryOp::And,
        Tok::Or => BinaryOp::Or,
        Tok::Eq => BinaryOp::Eq,
        Tok::Neq => BinaryOp::Neq,
        Tok::Lt => BinaryOp::Lt,
        Tok::Lte => BinaryOp::Lte,
        Tok::Gt => BinaryOp::Gt,
        Tok::Gte => BinaryOp::Gte,
        Tok::Re => BinaryOp::Regex,
        Tok::Nre => BinaryOp::NotRegex,
        Tok::Add => BinaryOp::Add,
        Tok::Sub => BinaryOp::Sub,
        Tok::Mul => BinaryOp::Mul,
        Tok::Div => BinaryOp::Div,
        Tok::Mod => BinaryOp::Mod,
        Tok::Pow => BinaryOp::Pow,
        _ => return None,
    })
}

fn intrinsic(kw: Kw) -> Option<Intrinsic> {
    Some(match kw {
        Kw::Duration => Intrinsic::Duration,
        Kw::ChildCount => Intrinsic::ChildCount,
        Kw::Name => Intrinsic::Name,
        Kw::Status => Intrinsic::Status,
        Kw::StatusMessage => Intrinsic::StatusMessage,
        Kw::Kind => Intrinsic::Kind,
        Kw::Parent => Intrinsic::Parent,
        Kw::RootName => Intrinsic::RootName,
        Kw::RootServiceName => Intrinsic::RootServiceName,
        Kw::TraceDuration => Intrinsic::TraceDuration,
        Kw::NestedSetLeft => Intrinsic::NestedSetLeft,
        Kw::NestedSetRight => Intrinsic::NestedSetRight,
        Kw::NestedSetParent => Intrinsic::NestedSetParent,
        _ => return None,
    })
}

impl<'a> Parser<'a> {
    /// `{ }` or `{ condition }`.
    pub(super) fn spanset_filter(&mut self) -> Result<SpansetFilter<'a>, ParseError> {
        let open = self.bump();
        self.enter(open.span)?;
        let condition = if self.at(Tok::RBrace) {
            None
        } else {
            Some(self.field_expr()?)
        };
        let close = self.close(Tok::RBrace, open, "")?;
        self.leave();
        Ok(SpansetFilter {
            condition,
            span: open.span.to(close.span),
        })
    }

    /// `count()`, `min(field)`, `max(...)`, `avg(...)`, `sum(...)`.
    pub(super) fn aggregate(&mut self) -> Result<Aggregate<'a>, ParseError> {
        let name = self.bump();
        let function = match name.tok {
            Tok::Kw(Kw::Count) => AggregateFn::Count,
            Tok::Kw(Kw::Min) => AggregateFn::Min,
            Tok::Kw(Kw::Max) => AggregateFn::Max,
            Tok::Kw(Kw::Avg) => AggregateFn::Avg,
            _ => AggregateFn::Sum,
        };
        let kw = self.text(name);
        if !self.at(Tok::LParen) {
            return Err(self
                .unexpected("`(`", &["("])
                .help(format!("call it with parentheses: `{kw}()`")));
        }
        let open = self.bump();
        let argument = if function == AggregateFn::Count {
            None
        } else {
            if self.at(Tok::RParen) {
                return Err(self
                    .unexpected("a field such as `duration`", &["field"])
                    .help(format!("`{kw}` needs a field: `{kw}(duration)`")));
            }
            Some(Box::new(self.field_expr()?))
        };
        if function == AggregateFn::Count && !self.at(Tok::RParen) && !self.at(Tok::Eof) {
            return Err(self
                .unexpected("`)`", &[")"])
                .help("`count()` takes no argument"));
        }
        let close = self.close(Tok::RParen, open, kw)?;
        Ok(Aggregate {
            function,
            argument,
            span: name.span.to(close.span),
        })
    }

    /// `by(field expression)`.
    pub(super) fn group_by(&mut self) -> Result<Item<'a>, ParseError> {
        let by = self.bump();
        let open = self.expect(Tok::LParen, "`(`")?;
        let field = self.field_expr()?;
        if self.at(Tok::Comma) {
            let t = self.peek();
            return Err(
                ParseError::new(t.span, "`by()` in a pipeline takes a single field")
                    .expected(&[")"])
                    .help(
                        "group by one expression, or use a metrics query: `| rate() by (.a, .b)`",
                    ),
            );
        }
        let close = self.close(Tok::RParen, open, "by")?;
        Ok(Item::Stage(Stage::GroupBy {
            field,
            span: by.span.to(close.span),
        }))
    }

    /// `select(field, ...)`.
    pub(super) fn select(&mut self) -> Result<Item<'a>, ParseError> {
        let select = self.bump();
        let open = self.expect(Tok::LParen, "`(`")?;
        let fields = self.field_list()?;
        let close = self.close(Tok::RParen, open, "select")?;
        Ok(Item::Stage(Stage::Select {
            fields,
            span: select.span.to(close.span),
        }))
    }

    /// `field (, field)*` for `select()` and `by ()` of metrics.
    pub(super) fn field_list(&mut self) -> Result<Vec<Field<'a>>, ParseError> {
        let mut fields = vec![self.field()?];
        while self.at(Tok::Comma) {
            self.bump();
            fields.push(self.field()?);
        }
        Ok(fields)
    }

    /// An intrinsic (`duration`, `span:id`) or an attribute (`.a`, `span.a`).
    pub(super) fn field(&mut self) -> Result<Field<'a>, ParseError> {
        match self.field_opt()? {
            Some(f) => Ok(f),
            None => {
                let t = self.peek();
                if t.tok == Tok::Ident {
                    let word = self.text(t);
                    let next = self.src.as_bytes().get(t.end()).copied().unwrap_or(0);
                    return Err(errors::unknown_word(word, next, t.span, false));
                }
                Err(self.unexpected("a field such as `duration` or `span.http.url`", &["field"]))
            }
        }
    }

    fn field_opt(&mut self) -> Result<Option<Field<'a>>, ParseError> {
        let t = self.peek();
        match t.tok {
            Tok::Kw(kw) => match intrinsic(kw) {
                Some(intrinsic) => {
                    self.bump();
                    Ok(Some(Field::Intrinsic {
                        intrinsic,
                        span: t.span,
                    }))
                }
                None => Ok(None),
            },
            Tok::Attr { scope, parent } => {
                self.bump();
                let name_start = t.aux as usize;
                let raw = self.src.get(name_start..t.end()).unwrap_or("");
                if raw.is_empty() {
                    let shown = self.text(t);
                    return Err(ParseError::new(
                        Span::at(t.end()),
                        format!("expected an attribute name after `{shown}`"),
                    )
                    .expected(&["attribute name"])
                    .help("write the name right after the dot, without spaces: `span.http.url`"));
                }
                let name = if raw.contains('"') {
                    Cow::Owned(unquote_attribute(raw))
                } else {
                    Cow::Borrowed(raw)
                };
                Ok(Some(Field::Attribute(Attribute {
                    scope,
                    parent,
                    name,
                    span: t.span,
                })))
            }
            Tok::ScopeColon(scope) => {
                self.bump();
                let n = self.peek();
                let found = match n.tok {
                    Tok::Kw(kw) => scope.intrinsic(kw),
                    _ => None,
                };
                match found {
                    Some(intrinsic) => {
                        self.bump();
                        Ok(Some(Field::Intrinsic {
                            intrinsic,
                            span: t.span.to(n.span),
                        }))
                    }
                    None => {
                        let names = scope.names();
                        let word = self.text(n);
                        let mut e = ParseError::new(
                            n.span,
                            format!(
                                "`{}` has no intrinsic {}",
                                scope.as_str(),
                                errors::describe(self.src, &n)
                            ),
                        )
                        .expected(names);
                        if let Some(m) = errors::suggest(word, names) {
                            e = e.help(format!("did you mean `{}{m}`?", scope.as_str()));
                        } else {
                            e = e.help(format!(
                                "`{}` is followed by one of: {}",
                                scope.as_str(),
                                names.join(", ")
                            ));
                        }
                        Err(e)
                    }
                }
            }
            _ => Ok(None),
        }
    }

    /// A condition or value evaluated per span.
    pub(super) fn field_expr(&mut self) -> Result<FieldExpr<'a>, ParseError> {
        self.field_binary(1)
    }

    fn field_binary(&mut self, min: u8) -> Result<FieldExpr<'a>, ParseError> {
        let mut left = self.field_unary()?;
        while let Some(lvl) = level(self.peek().tok) {
            if lvl < min {
                break;
            }
            left = self.field_chain(left, lvl)?;
        }
        Ok(left)
    }

    /// Every operator of level `lvl` after `first`; `x = nil` and
    /// `x != nil` wrap everything before them, as Tempo reduces them.
    #[inline(never)]
    fn field_chain(&mut self, first: FieldExpr<'a>, lvl: u8) -> Result<FieldExpr<'a>, ParseError> {
        let mut first = first;
        let mut rest: Vec<(BinaryOp, Span, FieldExpr<'a>)> = Vec::new();
        let mut wraps = 0;
        while level(self.peek().tok) == Some(lvl) {
            let op = self.bump();
            let bop = binary_op(op.tok).expect("a binary operator");
            if matches!(bop, BinaryOp::Eq | BinaryOp::Neq) && self.at(Tok::Kw(Kw::Nil)) {
                let nil = self.bump();
                wraps += 1;
                if self.depth + wraps > MAX_DEPTH {
                    return Err(ParseError::new(
                        nil.span,
                        format!("query nested more than {MAX_DEPTH} levels deep"),
                    ));
                }
                let operand = close_chain(first, std::mem::take(&mut rest));
                let span = operand.span().to(nil.span);
                first = FieldExpr::Existence {
                    operand: Box::new(operand),
                    exists: bop == BinaryOp::Neq,
                    span,
                };
                continue;
            }
            if op.tok == Tok::Eq && self.at(Tok::Eq) && self.peek().start() == op.end() {
                let t = self.peek();
                return Err(ParseError::new(
                    op.span.to(t.span),
                    "`==` is not an operator in TraceQL",
                )
                .expected(&["=", "!="])
                .help("TraceQL compares with a single `=`"));
            }
            let rhs = self.field_binary(lvl + 1)?;
            rest.push((bop, op.span, rhs));
        }
        Ok(close_chain(first, rest))
    }

    fn field_unary(&mut self) -> Result<FieldExpr<'a>, ParseError> {
        let t = self.peek();
        match t.tok {
            Tok::Sub | Tok::Not => {
                self.bump();
                self.enter(t.span)?;
                let operand = self.field_binary(5)?;
                self.leave();
                let span = t.span.to(operand.span());
                let op = if t.tok == Tok::Sub {
                    UnaryOp::Neg
                } else {
                    UnaryOp::Not
                };
                Ok(FieldExpr::Unary {
                    op,
                    operand: Box::new(operand),
                    span,
                })
            }
            Tok::LParen => {
                let open = self.bump();
                self.enter(open.span)?;
                let inner = self.field_expr()?;
                let close = self.close(Tok::RParen, open, "")?;
                self.leave();
                Ok(FieldExpr::Paren {
                    inner: Box::new(inner),
                    span: open.span.to(close.span),
                })
            }
            _ => self.field_leaf(),
        }
    }

    /// A literal, field or `nil` comparison: everything but nesting.
    #[inline(never)]
    fn field_leaf(&mut self) -> Result<FieldExpr<'a>, ParseError> {
        let t = self.peek();
        match t.tok {
            Tok::Kw(Kw::Nil) => {
                let nil = self.bump();
                let op = self.peek();
                if !matches!(op.tok, Tok::Eq | Tok::Neq) {
                    return Err(self
                        .unexpected("`=` or `!=` after `nil`", &["=", "!="])
                        .help(
                            "`nil` tests whether an attribute exists: `.a != nil` or `.a = nil`",
                        ));
                }
                self.bump();
                if self.at(Tok::Kw(Kw::Nil)) {
                    let n = self.bump();
                    return Ok(FieldExpr::NilComparison {
                        span: nil.span.to(n.span),
                    });
                }
                self.enter(nil.span)?;
                let operand = self.field_binary(3)?;
                self.leave();
                let span = nil.span.to(operand.span());
                Ok(FieldExpr::Existence {
                    operand: Box::new(operand),
                    exists: op.tok == Tok::Neq,
                    span,
                })
            }
            Tok::Str | Tok::Int | Tok::Float | Tok::Duration => {
                Ok(FieldExpr::Static(self.static_value().expect("a literal")))
            }
            Tok::Kw(kw) if super::keyword_value(kw).is_some() => {
                Ok(FieldExpr::Static(self.static_value().expect("a literal")))
            }
            _ => match self.field_opt()? {
                Some(f) => Ok(FieldExpr::Field(f)),
                None => Err(self.field_error()),
            },
        }
    }

    fn field_error(&mut self) -> ParseError {
        let t = self.peek();
        let after_operand = self.pos > 0
            && matches!(
                self.tokens[self.pos - 1].tok,
                Tok::Attr { .. } | Tok::Str | Tok::Int | Tok::Float | Tok::Duration | Tok::RParen
            );
        match t.tok {
            Tok::Ident => {
                let word = self.text(t);
                let next = self.src.as_bytes().get(t.end()).copied().unwrap_or(0);
                errors::unknown_word(word, next, t.span, after_operand)
            }
            Tok::Eq if self.pos > 0 && self.tokens[self.pos - 1].tok == Tok::Eq => {
                ParseError::new(t.span, "`==` is not an operator in TraceQL")
                    .expected(&["=", "!="])
                    .help("TraceQL compares with a single `=`")
            }
            Tok::Kw(kw) => {
                let mut e = self.unexpected("a field or value", &["field", "value"]);
                if let Tok::ScopeColon(_) = self.tokens[self.pos.saturating_sub(1)].tok {
                } else if matches!(
                    kw,
                    Kw::Id
                        | Kw::TraceId
                        | Kw::SpanId
                        | Kw::ParentId
                        | Kw::TimeSinceStart
                        | Kw::Version
                        | Kw::RootService
                ) {
                    e = e.help(format!(
                        "`{}` needs a scope, such as `span:{}` or `trace:{}`",
                        kw.as_str(),
                        kw.as_str(),
                        kw.as_str()
                    ));
                } else {
                    e = e.help(format!(
                        "`{}` is a keyword; to read an attribute of that name write `.{}`",
                        kw.as_str(),
                        kw.as_str()
                    ));
                }
                e
            }
            _ => self.unexpected("a field or value", &["field", "value", "("]),
        }
    }
}

fn close_chain<'a>(
    first: FieldExpr<'a>,
    rest: Vec<(BinaryOp, Span, FieldExpr<'a>)>,
) -> FieldExpr<'a> {
    if rest.is_empty() {
        return first;
    }
    let span = first
        .span()
        .to(rest.last().map_or(first.span(), |r| r.2.span()));
    FieldExpr::Chain {
        first: Box::new(first),
        rest,
        span,
    }
}

/// An attribute name with its `"quoted parts"` unquoted.
fn unquote_attribute(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut quoted = false;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            c => out.push(c),
        }
    }
    out
}
