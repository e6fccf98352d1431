//! TraceQL (Tempo 2.x) parser: query text to a typed syntax tree with byte
//! spans, accepting exactly what Tempo's own parser accepts.
//!
//! [`parse`] is the entry point; [`lint`] flags queries that parse but that
//! Tempo rejects or misreads when it validates them (`status = "error"`).

mod ast;
mod duration;
mod errors;
mod lexer;
mod lint;
mod parser;
#[cfg(test)]
mod tests;

pub use ast::*;
pub use lint::lint;

use crate::syntax::ParseError;

/// Parentheses, braces and unary operators may nest this deep.
pub const MAX_DEPTH: usize = 40;

/// Parses one TraceQL query.
pub fn parse(query: &str) -> Result<Query<'_>, ParseError> {
    parser::parse(query)
}
