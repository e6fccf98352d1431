//! LogQL (Loki 3.x) parser: query text to a typed AST with byte spans, and
//! errors that say what was expected and how to fix it.
//!
//! The grammar and its checks follow Loki's Go parser (`pkg/logql/syntax`),
//! which is what the server accepts; `tests/logql_differential.rs` compares
//! the verdicts with the official Lezer grammar and lists where the two differ.

pub mod ast;
mod lexer;
mod parser;
mod regex;
mod units;

pub use ast::*;
pub use parser::{MAX_DEPTH, MAX_QUERY_BYTES};

use crate::syntax::ParseError;

/// Parses one LogQL query, as Loki would after Grafana replaced its variables.
pub fn parse(query: &str) -> Result<Expr<'_>, ParseError> {
    parser::parse(query)
}
