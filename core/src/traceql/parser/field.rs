//! Fields (intrinsics and attributes) and what is built from them outside
//! of `{ }`: aggregates, `by()`, `select()` and field lists.

use std::borrow::Cow;

use crate::syntax::{ParseError, Span};

use super::super::ast::*;
use super::super::errors;
use super::super::lexer::{Kw, Tok};
use super::pipeline::Item;
use super::Parser;

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

    pub(super) fn field_opt(&mut self) -> Result<Option<Field<'a>>, ParseError> {
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
                        if let Some(m) = crate::syntax::did_you_mean(word, names) {
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
