//! LogQL (Loki 3.x) parser: query text to an AST with byte spans.
//! Placeholder until the parser lands; every query is rejected.

use crate::syntax::{ParseError, Span};

/// A parsed LogQL query.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr;

/// Parses one LogQL query.
pub fn parse(query: &str) -> Result<Expr, ParseError> {
    Err(ParseError::new(
        Span::at(query.len()),
        "LogQL parser not implemented",
    ))
}
