//! PromQL semantics worth a warning, in the spirit of pint and Grafana's
//! dashboard-linter: raw counters, `histogram_quantile` losing `le`, short
//! hard-coded rate ranges, and multi-value variables matched with `=`.

use promql_parser::label::Labels;
use promql_parser::parser::{Expr, LabelModifier};

use crate::model::DashboardModel;
use crate::validate::codes;
use crate::validate::finding::{Finding, Fix, Severity};
use crate::validate::interpolate::references;

/// Functions that turn a counter into something meaningful.
const COUNTER_FUNCTIONS: [&str; 10] = [
    "rate",
    "irate",
    "increase",
    "resets",
    "changes",
    "absent",
    "absent_over_time",
    "present_over_time",
    "count_over_time",
    "timestamp",
];
/// Functions whose range should follow the scrape interval (`$__rate_interval`).
const RANGE_FUNCTIONS: [&str; 4] = ["rate(", "irate(", "increase(", "delta("];
const COUNTER_SUFFIXES: [&str; 4] = ["_total", "_count", "_sum", "_bucket"];

/// Semantic warnings for a query that parsed. `original` is the query as
/// written (offsets point into it), `ast` the parse of its interpolation.
pub fn check(
    model: &DashboardModel,
    pointer: &str,
    original: &str,
    ast: &Expr,
    out: &mut Vec<Finding>,
) {
    let mut raw = Vec::new();
    raw_counters(ast, false, &mut raw);
    raw.sort();
    raw.dedup();
    for name in raw {
        let offset = original.find(name.as_str()).unwrap_or(0);
        out.push(
            Finding::dashboard(
                codes::PROMQL_COUNTER,
                Severity::Warning,
                pointer,
                format!(
                    "`{name}` is a counter: its raw value only grows and resets on restart; \
                     wrap it in rate() or increase()"
                ),
            )
            .with_offset(offset)
            .with_fix(Fix::describe(format!("use rate({name}[$__rate_interval])"))),
        );
    }
    if let Some(dropped) = quantile_without_le(ast) {
        out.push(
            Finding::dashboard(
                codes::PROMQL_HISTOGRAM_LE,
                Severity::Warning,
                pointer,
                format!(
                    "histogram_quantile() needs the `le` label, but the aggregation inside it {dropped}; \
                     the result is NaN or wrong"
                ),
            )
            .with_offset(original.find("histogram_quantile").unwrap_or(0))
            .with_fix(Fix::describe("aggregate with `by (le, ...)`")),
        );
    }
    short_ranges(original, pointer, out);
    multi_value_equals(model, original, pointer, out);
}

fn is_counter_name(name: &str) -> bool {
    COUNTER_SUFFIXES.iter().any(|s| name.ends_with(s))
}

fn raw_counters(expr: &Expr, wrapped: bool, out: &mut Vec<String>) {
    match expr {
        Expr::VectorSelector(vs) => {
            if let Some(name) = &vs.name {
                if !wrapped && is_counter_name(name) {
                    out.push(name.clone());
                }
            }
        }
        Expr::MatrixSelector(ms) => {
            if let Some(name) = &ms.vs.name {
                if !wrapped && is_counter_name(name) {
                    out.push(name.clone());
                }
            }
        }
        Expr::Call(call) => {
            let counts = COUNTER_FUNCTIONS.contains(&call.func.name);
            for arg in &call.args.args {
                raw_counters(arg, wrapped || counts, out);
            }
        }
        Expr::Aggregate(agg) => {
            let op = agg.op.to_string();
            let counts = matches!(op.as_str(), "count" | "count_values" | "group");
            raw_counters(&agg.expr, wrapped || counts, out);
        }
        Expr::Binary(b) => {
            // Counter minus or over counter (`mallocs - frees`, `_sum / _count`)
            // is a deliberate computation, not a raw counter on a graph.
            let (mut lhs, mut rhs) = (Vec::new(), Vec::new());
            raw_counters(&b.lhs, wrapped, &mut lhs);
            raw_counters(&b.rhs, wrapped, &mut rhs);
            let op = b.op.to_string();
            if !(matches!(op.as_str(), "-" | "/") && !lhs.is_empty() && !rhs.is_empty()) {
                out.extend(lhs);
                out.extend(rhs);
            }
        }
        Expr::Paren(p) => raw_counters(&p.expr, wrapped, out),
        Expr::Unary(u) => raw_counters(&u.expr, wrapped, out),
        Expr::Subquery(s) => raw_counters(&s.expr, wrapped, out),
        _ => {}
    }
}

/// How the aggregation directly inside a `histogram_quantile` drops `le`.
fn quantile_without_le(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Call(call) if call.func.name == "histogram_quantile" => {
            let mut inner = call.args.args.get(1)?.as_ref();
            while let Expr::Paren(p) = inner {
                inner = &p.expr;
            }
            let Expr::Aggregate(agg) = inner else {
                return call.args.args.iter().find_map(|a| quantile_without_le(a));
            };
            let has_le = |labels: &Labels| labels.labels.iter().any(|l| l == "le");
            match &agg.modifier {
                None => Some(format!("({}) keeps no labels", agg.op)),
                Some(LabelModifier::Include(labels)) if !has_le(labels) => Some(format!(
                    "groups `by ({})` without `le`",
                    labels.labels.join(", ")
                )),
                Some(LabelModifier::Exclude(labels)) if has_le(labels) => {
                    Some("drops `le` with `without`".to_owned())
                }
                _ => None,
            }
        }
        Expr::Call(call) => call.args.args.iter().find_map(|a| quantile_without_le(a)),
        Expr::Aggregate(agg) => quantile_without_le(&agg.expr),
        Expr::Binary(b) => quantile_without_le(&b.lhs).or_else(|| quantile_without_le(&b.rhs)),
        Expr::Paren(p) => quantile_without_le(&p.expr),
        Expr::Unary(u) => quantile_without_le(&u.expr),
        Expr::Subquery(s) => quantile_without_le(&s.expr),
        _ => None,
    }
}

/// `rate(x[30s])`: a literal range under a minute can hold fewer than two
/// samples at common scrape intervals, leaving gaps.
fn short_ranges(original: &str, pointer: &str, out: &mut Vec<Finding>) {
    for function in RANGE_FUNCTIONS {
        let mut from = 0;
        while let Some(at) = original[from..].find(function).map(|i| from + i) {
            from = at + function.len();
            let preceded_by_word = original[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            if preceded_by_word {
                continue;
            }
            let Some((open, range)) = range_in_call(&original[from..]) else {
                continue;
            };
            let Some(seconds) = duration_seconds(range) else {
                continue;
            };
            if seconds < 60.0 {
                out.push(
                    Finding::dashboard(
                        codes::PROMQL_RATE_INTERVAL,
                        Severity::Warning,
                        pointer,
                        format!(
                            "the range [{range}] is hard-coded and short: with a 15–30 s scrape \
                             interval it holds too few samples and the graph has gaps"
                        ),
                    )
                    .with_offset(from + open)
                    .with_fix(Fix::describe(
                        "use [$__rate_interval], which Grafana sizes to the scrape interval",
                    )),
                );
            }
        }
    }
}

/// The first `[...]` at the call's own parenthesis depth, outside strings.
fn range_in_call(rest: &str) -> Option<(usize, &str)> {
    let mut depth = 0usize;
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') if depth == 0 => return None,
            (None, ')') => depth -= 1,
            (None, '[') if depth == 0 => {
                let close = rest[i..].find(']')?;
                return Some((i, &rest[i + 1..i + close]));
            }
            _ => {}
        }
    }
    None
}

/// Seconds in a literal PromQL duration (`30s`, `1m30s`); None for anything else.
fn duration_seconds(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() || text.contains(':') {
        return None;
    }
    let mut total = 0.0;
    let mut number = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let value: f64 = number.parse().ok()?;
        number.clear();
        let unit = match (c, chars.peek()) {
            ('m', Some('s')) => {
                chars.next();
                0.001
            }
            ('s', _) => 1.0,
            ('m', _) => 60.0,
            ('h', _) => 3600.0,
            ('d', _) => 86400.0,
            ('w', _) => 604_800.0,
            ('y', _) => 31_536_000.0,
            _ => return None,
        };
        total += value * unit;
    }
    number.is_empty().then_some(total)
}

/// `{job="$job"}` where `$job` can hold several values: Grafana sends
/// `(a|b)`, which `=` compares literally.
fn multi_value_equals(
    model: &DashboardModel,
    original: &str,
    pointer: &str,
    out: &mut Vec<Finding>,
) {
    for r in references(original) {
        let Some(v) = model.variables.iter().find(|v| v.name == r.name) else {
            continue;
        };
        if !(v.multi || v.include_all) {
            continue;
        }
        let before = original[..r.start].trim_end_matches(' ');
        let Some(op) = before.strip_suffix('"').map(str::trim_end) else {
            continue;
        };
        if op.ends_with("!=") || (op.ends_with('=') && !op.ends_with("==")) && !op.ends_with("=~") {
            let fixed = if op.ends_with("!=") { "!~" } else { "=~" };
            out.push(
                Finding::dashboard(
                    codes::PROMQL_MULTI_VALUE,
                    Severity::Warning,
                    pointer,
                    format!(
                        "`${}` can hold several values (multi-value or All), which Grafana sends as \
                         a regex such as `(a|b)`; an exact `{}` matcher then matches nothing",
                        r.name,
                        if fixed == "!~" { "!=" } else { "=" }
                    ),
                )
                .with_offset(r.start)
                .with_fix(Fix::describe(format!("use the regex matcher `{fixed}`"))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Variable;

    fn warnings(query: &str) -> Vec<&'static str> {
        let model = DashboardModel {
            variables: vec![Variable {
                pointer: String::new(),
                name: "job".into(),
                r#type: "query".into(),
                query: None,
                current: None,
                multi: true,
                include_all: true,
                all_value: None,
                options: Vec::new(),
            }],
            ..DashboardModel::default()
        };
        let interpolated = query
            .replace("$job", "placeholder")
            .replace("$__rate_interval", "1m");
        let ast = promql_parser::parser::parse(&interpolated).expect("parses");
        let mut out = Vec::new();
        check(&model, "/p", query, &ast, &mut out);
        out.iter().map(|f| f.code).collect()
    }

    #[test]
    fn each_rule_fires_and_keeps_quiet() {
        let cases: [(&str, &[&str]); 14] = [
            ("go_memstats_mallocs_total - go_memstats_frees_total", &[]),
            ("x_total * 2", &["promql/counter-raw"]),
            ("sum(rate(http_requests_total[$__rate_interval]))", &[]),
            ("sum(http_requests_total)", &["promql/counter-raw"]),
            ("count(up_total)", &[]),
            ("increase(x_count[1h]) / increase(x_sum[1h])", &[]),
            (
                "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))",
                &[],
            ),
            (
                "histogram_quantile(0.9, sum(rate(x_bucket[5m])) by (job))",
                &["promql/histogram-le"],
            ),
            (
                "histogram_quantile(0.9, sum(rate(x_bucket[5m])))",
                &["promql/histogram-le"],
            ),
            ("rate(x_total[30s])", &["promql/rate-interval"]),
            ("rate(x_total[5m])", &[]),
            ("irate(x_total{a=\"[1s]\"}[1m])", &[]),
            ("up{job=\"$job\"}", &["promql/multi-value-equals"]),
            ("up{job=~\"$job\"}", &[]),
        ];
        for (query, expected) in cases {
            assert_eq!(warnings(query), expected, "{query}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(duration_seconds("1m30s"), Some(90.0));
        assert_eq!(duration_seconds("500ms"), Some(0.5));
        assert_eq!(duration_seconds("5m:1m"), None);
        assert_eq!(duration_seconds("$x"), None);
    }
}
