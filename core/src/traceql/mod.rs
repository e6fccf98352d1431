//! TraceQL (Tempo 2.x) parser: query text to an AST with byte spans.
//! Placeholder until the parser lands; every query is rejected.

use crate::syntax::{ParseError, Span};

/// A parsed TraceQL query.
#[derive(Debug, Clone, PartialEq)]
pub struct Query;

/// Parses one TraceQL query.
pub fn parse(query: &str) -> Result<Query, ParseError> {
    Err(ParseError::new(
        Span::at(query.len()),
        "TraceQL parser not implemented",
    ))
}
