//! Expressions: operands (literals, parentheses, log queries, function calls),
//! label lists; binary operators in `binary`, aggregations in `aggregation`.

mod aggregation;
mod binary;
mod unknown;

use crate::syntax::ParseError;

use super::super::ast::*;
use super::super::lexer::{Tok, Token};
use super::{PResult, Parser};

impl<'a> Parser<'a> {
    /// `( label, ... )` after `by`, `on`, `group_left`...; may be empty.
    pub(in crate::logql::parser) fn label_list(&mut self, after: &str) -> PResult<Vec<Ident<'a>>> {
        if self.peek() != Tok::LParen {
            let mut e = self.unexpected(format_args!("`(` after `{after}`"), &["("]);
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
    pub(in crate::logql::parser) fn label_name(&mut self, wanted: &str) -> PResult<Ident<'a>> {
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
    pub(in crate::logql::parser) fn operand(&mut self) -> PResult<Expr<'a>> {
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

    pub(in crate::logql::parser) fn paren_expr(&mut self) -> PResult<Expr<'a>> {
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
    pub(in crate::logql::parser) fn literal(&mut self) -> PResult<Expr<'a>> {
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
    pub(in crate::logql::parser) fn sign_error(&self, sign: Token) -> ParseError {
        let mut e = self.unexpected(
            format_args!("a number after `{}`", self.text(sign)),
            &["number"],
        );
        if sign.tok == Tok::Sub && e.help.is_none() {
            e = e.help("only numbers take a sign; to negate an expression write `-1 * (...)`");
        }
        e
    }

    #[cold]
    #[inline(never)]
    pub(in crate::logql::parser) fn operand_error(&self) -> ParseError {
        let t = self.token();
        match t.tok {
            Tok::Ident | Tok::Other => self.unknown_function(t),
            Tok::Range => ParseError::new(
                Self::span(t),
                format!(
                    "unexpected range {}: a range follows a log selector",
                    self.found(t)
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
    pub(in crate::logql::parser) fn expect_call(&mut self, name: &str) -> PResult<Token> {
        if self.peek() == Tok::LParen {
            return Ok(self.bump());
        }
        Err(self.call_error(name))
    }

    #[cold]
    #[inline(never)]
    pub(in crate::logql::parser) fn call_error(&self, name: &str) -> ParseError {
        self.unexpected(format_args!("`(` after `{name}`"), &["("])
    }

    /// A number token (with its sign token `from`, if any).
    pub(in crate::logql::parser) fn number(
        &self,
        from: Token,
        n: Token,
        negative: bool,
    ) -> Number<'a> {
        let text = self.text(n);
        let value = parse_number(text);
        Number {
            text,
            value: if negative { -value } else { value },
            span: Self::span(from).to(Self::span(n)),
        }
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
