//! Field expressions, inside `{ }` and as aggregate arguments: precedence
//! climbing over Tempo's operator levels, unary operators and `nil` tests.

use crate::syntax::ParseError;

use super::super::ast::*;
use super::super::errors;
use super::super::lexer::{Kw, Tok};
use super::{Parser, Rest, MAX_DEPTH};

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
        let mut rest = Rest::None;
        let mut wraps = 0;
        while level(self.peek().tok) == Some(lvl) {
            let op = self.bump();
            let bop = binary_op(op.tok).expect("a binary operator");
            if matches!(bop, BinaryOp::Eq | BinaryOp::Neq) && self.at(Tok::Kw(Kw::Nil)) {
                let nil = self.bump();
                wraps += 1;
                if self.depth + wraps > MAX_DEPTH {
                    return Err(super::too_deep(nil.span));
                }
                let operand = chained(std::mem::take(&mut rest), first);
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
            rest.push(bop, op.span, rhs);
        }
        Ok(chained(rest, first))
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

    #[cold]
    #[inline(never)]
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

/// `first` followed by the operators of `rest`.
fn chained<'a>(rest: Rest<BinaryOp, FieldExpr<'a>>, first: FieldExpr<'a>) -> FieldExpr<'a> {
    match rest {
        Rest::None => first,
        Rest::One(op, op_span, rhs) => FieldExpr::Binary {
            op,
            op_span,
            span: first.span().to(rhs.span()),
            operands: Box::new([first, rhs]),
        },
        Rest::Many(rest) => FieldExpr::Chain {
            span: first
                .span()
                .to(rest.last().map_or(first.span(), |r| r.2.span())),
            first: Box::new(first),
            rest,
        },
    }
}
