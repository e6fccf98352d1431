//! Plain-words parse errors for TraceQL, with "did you mean" help for the
//! mistakes people make most: unscoped attributes, `==`, `and`, misspellings.

use crate::syntax::{did_you_mean, ParseError, Span};

use super::lexer::{Tok, Token, KEYWORDS};

/// Words that may stand alone inside `{ }`: intrinsics and enum values.
pub const INTRINSICS: &[&str] = &[
    "duration",
    "name",
    "status",
    "statusMessage",
    "kind",
    "childCount",
    "parent",
    "rootName",
    "rootServiceName",
    "traceDuration",
    "nestedSetLeft",
    "nestedSetRight",
    "nestedSetParent",
    "true",
    "false",
    "nil",
    "ok",
    "error",
    "unset",
    "unspecified",
    "internal",
    "server",
    "client",
    "producer",
    "consumer",
];

pub const SCOPES: &[&str] = &[
    "span",
    "resource",
    "event",
    "link",
    "instrumentation",
    "parent",
];
pub const COLON_SCOPES: &[&str] = &["span", "trace", "event", "link", "instrumentation"];

pub const FUNCTIONS: &[&str] = &[
    "count",
    "min",
    "max",
    "avg",
    "sum",
    "by",
    "select",
    "coalesce",
    "rate",
    "count_over_time",
    "min_over_time",
    "max_over_time",
    "avg_over_time",
    "sum_over_time",
    "quantile_over_time",
    "histogram_over_time",
    "compare",
    "topk",
    "bottomk",
];

/// OpenTelemetry resource attribute namespaces: `service.name` and friends
/// live on the resource, so the fix is `resource.service.name`.
const RESOURCE_NAMESPACES: &[&str] = &[
    "service",
    "k8s",
    "host",
    "cloud",
    "container",
    "deployment",
    "process",
    "telemetry",
    "os",
    "faas",
    "device",
    "webengine",
];

/// How a token reads in a message: "`{`", "end of query".
#[cold]
#[inline(never)]
pub fn describe(src: &str, token: &Token) -> String {
    if token.tok == Tok::Eof {
        return "end of query".to_string();
    }
    let text = src.get(token.span.range()).unwrap_or("");
    // At most 40 characters; 40 bytes are at most 40 characters.
    let cut = if text.len() <= 40 {
        text.len()
    } else {
        text.char_indices().nth(40).map_or(text.len(), |(i, _)| i)
    };
    if cut < text.len() {
        ["`", &text[..cut], "…`"].concat()
    } else {
        ["`", text, "`"].concat()
    }
}

/// An unknown word where a value, field or operator was expected: explain
/// what it might have meant. `next` is the byte right after it.
#[cold]
#[inline(never)]
pub fn unknown_word(word: &str, next: u8, span: Span, after_operand: bool) -> ParseError {
    if after_operand {
        let fix = if word.eq_ignore_ascii_case("and") {
            Some("&&")
        } else if word.eq_ignore_ascii_case("or") {
            Some("||")
        } else {
            None
        };
        if let Some(fix) = fix {
            return ParseError::new(
                span,
                ["`", word, "` is not an operator in TraceQL"].concat(),
            )
            .expected(&["&&", "||"])
            .help(["use `", fix, "`"].concat());
        }
    }
    if word == "&" {
        return ParseError::new(span, "`&` is not an operator in TraceQL")
            .expected(&["&&", "&>", "&>>", "&~"])
            .help("use `&&` to require both spansets");
    }
    if word.eq_ignore_ascii_case("not") {
        return ParseError::new(
            span,
            ["`", word, "` is not an operator in TraceQL"].concat(),
        )
        .expected(&["!"])
        .help("use `!` to negate, or `!=` / `!~` to compare");
    }
    match next {
        b'.' => {
            if let Some(scope) = did_you_mean(word, SCOPES) {
                return ParseError::new(span, ["unknown attribute scope `", word, ".`"].concat())
                    .expected(&["span.", "resource.", "."])
                    .help(["did you mean `", scope, ".`?"].concat());
            }
            let namespace = RESOURCE_NAMESPACES.contains(&word);
            let help = if namespace {
                format!(
                    "attributes need a scope: `resource.{word}...` (it is a resource attribute), \
                     or `.{word}...` to match any scope"
                )
            } else {
                format!("attributes need a scope: `span.{word}...`, `resource.{word}...`, or `.{word}...` for any scope")
            };
            ParseError::new(span, ["`", word, "` is not a scope"].concat())
                .expected(&["span.", "resource.", "."])
                .help(help)
        }
        b':' => {
            let help = match did_you_mean(word, COLON_SCOPES) {
                Some(scope) => ["did you mean `", scope, ":`?"].concat(),
                None => "scoped intrinsics start with `span:`, `trace:`, `event:`, `link:` or `instrumentation:`"
                    .to_string(),
            };
            ParseError::new(span, ["unknown intrinsic scope `", word, ":`"].concat())
                .expected(&["span:", "trace:"])
                .help(help)
        }
        b'(' => {
            let mut e = ParseError::new(span, ["unknown function `", word, "`"].concat());
            if let Some(f) = did_you_mean(word, FUNCTIONS) {
                e = e.help(["did you mean `", f, "(`?"].concat());
            }
            e
        }
        _ => {
            let mut e = ParseError::new(span, ["unknown word `", word, "`"].concat());
            if let Some(k) = did_you_mean(word, INTRINSICS).or_else(|| did_you_mean(word, KEYWORDS))
            {
                e = e.help(["did you mean `", k, "`?"].concat());
            } else if word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                e = e.help(format!(
                    "attributes start with a scope or a dot: `span.{word}`, `resource.{word}` or `.{word}`"
                ));
            }
            e
        }
    }
}

/// Help for a word right after a number: a broken or spaced duration unit.
pub fn unit_help(number: &str, word: &str, adjacent: bool, after_duration: bool) -> Option<String> {
    let unit_like = (adjacent && after_duration)
        || word
            .chars()
            .next()
            .is_some_and(|c| matches!(c, 'n' | 'u' | 'µ' | 'm' | 's' | 'h' | 'd' | 'w' | 'y'));
    if !unit_like {
        return None;
    }
    Some(if adjacent {
        format!(
            "`{number}{word}` is not a duration: give every number a unit (`1h30m`, `1.5s`); \
             units are ns, us, ms, s, m, h, d, w, y"
        )
    } else {
        format!("write the unit right after the number, without a space: `{number}{word}`")
    })
}
