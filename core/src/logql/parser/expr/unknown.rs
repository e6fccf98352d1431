//! Errors for a word where an expression goes: unknown functions ("did you
//! mean"), PromQL-only functions, function names without `(`, stray matchers.

use crate::syntax::{did_you_mean, ParseError};

use super::super::super::lexer::{self, Tok, Token};
use super::super::Parser;

/// Function names for "did you mean" on unknown functions.
const FUNCTION_NAMES: [&str; 29] = [
    "rate",
    "rate_counter",
    "count_over_time",
    "bytes_rate",
    "bytes_over_time",
    "avg_over_time",
    "sum_over_time",
    "min_over_time",
    "max_over_time",
    "stdvar_over_time",
    "stddev_over_time",
    "quantile_over_time",
    "first_over_time",
    "last_over_time",
    "absent_over_time",
    "sum",
    "avg",
    "max",
    "min",
    "count",
    "stddev",
    "stdvar",
    "bottomk",
    "topk",
    "sort",
    "sort_desc",
    "approx_topk",
    "vector",
    "label_replace",
];

/// PromQL functions people try in LogQL, with the LogQL way when there is one.
const PROMQL_ONLY: [(&[&str], &str); 3] = [
    (
        &["increase"],
        "to count log lines over a range use count_over_time({...}[5m]); to add up an unwrapped label use sum_over_time",
    ),
    (
        &["histogram_quantile"],
        "LogQL has no histograms: use quantile_over_time(0.99, {...} | unwrap label [5m])",
    ),
    (
        &["irate", "delta", "idelta", "deriv", "predict_linear", "resets", "changes"],
        "LogQL range functions are rate, count_over_time, bytes_rate, bytes_over_time, sum/avg/min/max_over_time, ...",
    ),
];

/// PromQL functions LogQL does not have at all.
const PROMQL_OTHER: [&str; 26] = [
    "abs",
    "ceil",
    "floor",
    "round",
    "exp",
    "ln",
    "log2",
    "log10",
    "sqrt",
    "clamp",
    "clamp_min",
    "clamp_max",
    "sgn",
    "timestamp",
    "time",
    "scalar",
    "label_join",
    "absent",
    "quantile",
    "count_values",
    "group",
    "holt_winters",
    "sort_by_label",
    "present_over_time",
    "limitk",
    "limit_ratio",
];

impl<'a> Parser<'a> {
    pub(in crate::logql::parser) fn unknown_function(&self, t: Token) -> ParseError {
        let name = self.text(t);
        let span = Self::span(t);
        let next = self.peek_at(1);
        if let Some(help) = promql_only(name) {
            if next == Tok::LParen {
                return ParseError::new(span, format!("`{name}` is a PromQL function, not LogQL"))
                    .expected(&["function"])
                    .help(help);
            }
        }
        if lexer::function(name).is_some() {
            // A function name Loki did not read as one: no `(` after it.
            if matches!(next, Tok::By | Tok::Without) {
                let kw = self.toks[(self.pos + 1).min(self.toks.len() - 1)];
                let label = self.toks[(self.pos + 2).min(self.toks.len() - 1)];
                let kw_text = self.text(kw);
                let mut e = ParseError::new(
                    Self::span(label),
                    format!(
                        "expected `(` after `{kw_text}`, found {}",
                        self.found(label)
                    ),
                )
                .expected(&["("]);
                if matches!(label.tok, Tok::Ident | Tok::Other) {
                    e = e.help(format!(
                        "put the labels in parentheses: `{kw_text} ({})`",
                        self.text(label)
                    ));
                }
                return e;
            }
            let after = self.toks[(self.pos + 1).min(self.toks.len() - 1)];
            return ParseError::new(
                Self::span(after),
                format!("expected `(` after `{name}`, found {}", self.found(after)),
            )
            .expected(&["("])
            .help(format!("call it as {name}(...)"));
        }
        if next == Tok::LParen {
            let mut e =
                ParseError::new(span, format!("unknown function `{name}`")).expected(&["function"]);
            if let Some(m) = did_you_mean(name, &FUNCTION_NAMES) {
                e = e.help(format!("did you mean `{m}`?"));
            }
            return e;
        }
        if matches!(next, Tok::Eq | Tok::Neq | Tok::Re | Tok::Nre) {
            return ParseError::new(
                span,
                format!("expected an expression, found the label matcher `{name}...` outside a selector"),
            )
            .expected(&["{"])
            .help("label matchers go inside braces: {app=\"foo\"}");
        }
        let mut e = ParseError::new(span, format!("expected an expression, found `{name}`"))
            .expected(&["{", "(", "number", "function"]);
        if let Some(h) = self.generic_help() {
            e = e.help(h);
        } else if next == Tok::LBrace || next == Tok::Range {
            e = e.help("a log selector is written in braces: {app=\"foo\"}");
        }
        e
    }
}

fn promql_only(name: &str) -> Option<&'static str> {
    let is = |n: &&str| n.eq_ignore_ascii_case(name);
    if let Some((_, help)) = PROMQL_ONLY.iter().find(|(names, _)| names.iter().any(is)) {
        return Some(help);
    }
    PROMQL_OTHER
        .iter()
        .any(is)
        .then_some("LogQL supports only a subset of PromQL functions")
}
