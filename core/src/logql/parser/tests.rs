//! Parser unit tests: the AST of representative queries, and for each common
//! mistake the message, span and "did you mean" help we give.

use crate::logql::ast::*;
use crate::logql::parse;

/// (query, span of the error, text the message contains, text the help contains)
const MISTAKES: &[(&str, (usize, usize), &str, &str)] = &[
    (
        r#"{app="a"} |=~ "err.*""#,
        (12, 13),
        "expected a string after `|=`",
        "did you mean `|~`?",
    ),
    (
        r#"{app="a"} !=~ "debug""#,
        (12, 13),
        "expected a string after `!=`",
        "did you mean `!~`?",
    ),
    (
        r#"rate({app="a"})"#,
        (14, 15),
        "expected a range such as [5m]",
        "add a range such as [5m] after the log query",
    ),
    (
        r#"sum by pod (rate({app="a"}[5m]))"#,
        (7, 10),
        "expected `(` after `by`",
        "`by (pod)`",
    ),
    (
        r#"sum(rate({app="a"}[5m])) by pod"#,
        (28, 31),
        "expected `(` after `by`",
        "`by (pod)`",
    ),
    (
        r#"count_over_tim({app="a"}[5m])"#,
        (0, 14),
        "unknown function `count_over_tim`",
        "did you mean `count_over_time`?",
    ),
    (
        r#"rat({app="a"}[5m])"#,
        (0, 3),
        "unknown function `rat`",
        "did you mean `rate`?",
    ),
    (
        r#"sum(rate({app="a"}[5m])) = 0"#,
        (25, 26),
        "unexpected `=`",
        "use `==`",
    ),
    (
        r#"{app="a"} | json | level == "error""#,
        (28, 35),
        "not strings",
        "use `=`",
    ),
    (
        r#"{app=foo}"#,
        (5, 8),
        "expected a quoted value",
        "app=\"foo\"",
    ),
    (
        r#"{app='foo'}"#,
        (5, 10),
        "not single quotes",
        "write \"foo\"",
    ),
    (
        r#"{app="a"} |= 'x'"#,
        (13, 16),
        "expected a string after `|=`",
        "double quotes",
    ),
    (
        r#"increase({app="a"}[5m])"#,
        (0, 8),
        "`increase` is a PromQL function, not LogQL",
        "count_over_time",
    ),
    (
        r#"histogram_quantile(0.99, sum(rate({app="a"}[5m])) by (le))"#,
        (0, 18),
        "PromQL function",
        "quantile_over_time",
    ),
    (
        r#"rate({app="a"}[5m]) |= "error""#,
        (20, 22),
        "a log pipeline cannot follow it",
        "move the pipeline inside",
    ),
    (
        r#"{}"#,
        (0, 2),
        "at least one label matcher",
        "{app=\"foo\"}",
    ),
    (
        r#"{app=~".*"}"#,
        (0, 11),
        "at least one that does not match the empty string",
        "app=~\".+\"",
    ),
    (
        r#"sum(rate({app="a"}[5m])"#,
        (23, 23),
        "expected `)` to close `sum(` opened at byte 3",
        "add the missing `)`",
    ),
    (
        r#"{app="a"} | jsn"#,
        (15, 15),
        "comparison operator after `jsn`",
        "did you mean `json`?",
    ),
    (
        r#"{app="a"} |= error"#,
        (13, 18),
        "expected a string after `|=`",
        "|= \"error\"",
    ),
    (
        r#"{app="a"} | json | level=error"#,
        (25, 30),
        "expected a value after `=`",
        "level=\"error\"",
    ),
    (
        r#"{app="a""#,
        (8, 8),
        "to close the selector opened at byte 0",
        "add the missing `}`",
    ),
    (
        r#"{app="a"} |= "x" or |= "y""#,
        (20, 22),
        "a string after `or`",
        "|= \"a\" or \"b\"",
    ),
    (
        r#"{app="a"} | unwrap x"#,
        (12, 18),
        "only goes inside a range aggregation",
        "sum_over_time",
    ),
    (
        r#"sum_over_time({app="a"}[5m])"#,
        (0, 13),
        "needs a label to aggregate",
        "unwrap",
    ),
    (
        r#"topk(rate({app="a"}[5m]))"#,
        (0, 4),
        "needs a count first",
        "topk(10",
    ),
    (
        r#"{app="a"} + 1"#,
        (0, 9),
        "left side of `+` is a log query",
        "count_over_time",
    ),
    (
        r#"rate({app="a"}[5m]) or 1"#,
        (23, 24),
        "right side of `or` is a number",
        "vector(0)",
    ),
    (
        r#"rate({app="a"}[5m]) + group_left rate({app="b"}[5m])"#,
        (22, 32),
        "needs `on (...)`",
        "on (pod)",
    ),
    (
        r#"count_over_time({app="a"}[5x])"#,
        (25, 29),
        "is not a duration",
        "",
    ),
    (
        r#"{app="a"}[5m]"#,
        (9, 13),
        "unexpected range",
        "count_over_time",
    ),
    (
        r#"rate({app="a"}[5m])[5m]"#,
        (19, 23),
        "unexpected range",
        "no subqueries",
    ),
    (
        r#"{json="a"}"#,
        (1, 5),
        "keyword `json`",
        "cannot be used as a label name",
    ),
    (
        r#"{app="a"} | regexp "(\\d+)""#,
        (19, 27),
        "must be named",
        "(?P<name>",
    ),
    (
        r#"{app="a"} | pattern "<a><b>""#,
        (20, 28),
        "side by side",
        "<a> <b>",
    ),
    (
        r#"{app=~"(x"}"#,
        (6, 10),
        "invalid regular expression: missing closing )",
        "",
    ),
    (
        r#"{app="a"} |= "x" | | json"#,
        (19, 20),
        "after `|`",
        "doubled `|`",
    ),
    (
        r#"- rate({app="a"}[5m])"#,
        (2, 6),
        "a number after `-`",
        "-1 * (...)",
    ),
    (r#""#, (0, 0), "the query is empty", "{app=\"foo\"}"),
];

#[test]
fn common_mistakes_have_pointed_errors() {
    for (q, (start, end), message, help) in MISTAKES {
        let e = match parse(q) {
            Ok(_) => panic!("{q}: parsed, expected an error"),
            Err(e) => e,
        };
        assert_eq!(e.span.range(), *start..*end, "{q}: span ({})", e.message);
        assert!(e.message.contains(message), "{q}: message {:?}", e.message);
        let h = e.help.clone().unwrap_or_default();
        assert!(h.contains(help), "{q}: help {h:?}");
        assert!(!e.message.is_empty());
    }
}

#[test]
fn valid_queries_parse() {
    for q in [
        r#"{app="a"} |= "x" | json | level="error" | line_format "{{.msg}}""#,
        r#"sum by (pod) (rate({app="a"} |= "error" [5m])) / on (pod) group_left sum by (pod) (rate({app="a"}[5m]))"#,
        r#"quantile_over_time(0.99, {app="a"} | logfmt | unwrap duration(latency) | __error__="" [5m]) by (route)"#,
        r#"topk(5, sum by (path) (count_over_time({app="a"} | json | status >= 500 [1h] offset 1d)))"#,
        r#"label_replace(rate({app="a"}[5m]), "dst", "$1", "src", "(.*)")"#,
        r#"sum(rate({app="a"}[5m])) or vector(0)"#,
        r#"{app="a"} | logfmt --strict --keep-empty a, b="c" | drop x, y="z" | keep a"#,
        r#"{app="a"} |> "<_> level=error <_>" or "<_> err <_>" != ip("10.0.0.0/8")"#,
        r#"{app="a"} | json | (a > 1s or b < 5KiB) and c=ip("1.2.3.4") , d=~"x.+""#,
        "2 ^ 3 ^ 2",
    ] {
        if let Err(e) = parse(q) {
            panic!("{q}: {e}");
        }
    }
}

#[test]
fn ast_has_spans_and_structure() {
    let q = r#"sum by (pod) (rate({app="a"} |= "x" [5m] offset 1h))"#;
    let Ok(Expr::VectorAggregation(v)) = parse(q) else {
        panic!("not an aggregation");
    };
    assert_eq!(v.op, VectorOp::Sum);
    assert_eq!(v.span.range(), 0..q.len());
    let g = v.grouping.as_ref().expect("grouping");
    assert_eq!(g.labels[0].name, "pod");
    assert_eq!(&q[g.span.range()], "by (pod)");
    let Expr::RangeAggregation(r) = &v.expr else {
        panic!("not a range aggregation");
    };
    assert_eq!(r.op, RangeOp::Rate);
    assert_eq!(r.range.range.nanos, 300_000_000_000);
    assert_eq!(r.range.offset.map(|o| o.nanos), Some(3_600_000_000_000));
    assert_eq!(&q[r.range.log.selector.span.range()], r#"{app="a"}"#);
    let m = &r.range.log.selector.matchers[0];
    assert_eq!(
        (m.name.name, m.op, &*m.value.value),
        ("app", MatchOp::Eq, "a")
    );
    assert_eq!(&q[m.span.range()], r#"app="a""#);
    assert!(
        matches!(&r.range.log.pipeline[0].kind, StageKind::LineFilter(f) if f.op == LineFilterOp::Contains)
    );
}

#[test]
fn precedence_follows_loki() {
    // `*` binds tighter than `+`, `^` is right-associative, `or` is loosest.
    let Ok(Expr::Binary(b)) = parse("1 + 2 * 3") else {
        panic!()
    };
    assert_eq!(b.op, BinaryOp::Add);
    assert!(matches!(&b.rhs, Expr::Binary(r) if r.op == BinaryOp::Mul));
    let Ok(Expr::Binary(b)) = parse("2 ^ 3 ^ 2") else {
        panic!()
    };
    assert!(matches!(&b.lhs, Expr::Literal(_)));
    assert!(matches!(&b.rhs, Expr::Binary(r) if r.op == BinaryOp::Pow));
    let Ok(Expr::Binary(b)) = parse("1 - 2 - 3") else {
        panic!()
    };
    assert!(matches!(&b.lhs, Expr::Binary(l) if l.op == BinaryOp::Sub));
    let q = r#"rate({a="b"}[1m]) > 1 or rate({a="c"}[1m]) and rate({a="d"}[1m])"#;
    let Ok(Expr::Binary(b)) = parse(q) else {
        panic!()
    };
    assert_eq!(b.op, BinaryOp::Or);
}

#[test]
fn strings_are_unescaped_and_raw_strings_borrowed() {
    let q = r#"{app="a\"b\n"} |= `c\d`"#;
    let Ok(Expr::Log(l)) = parse(q) else { panic!() };
    assert_eq!(&*l.selector.matchers[0].value.value, "a\"b\n");
    let StageKind::LineFilter(f) = &l.pipeline[0].kind else {
        panic!()
    };
    let LineFilterValue::String(s) = &f.values[0] else {
        panic!()
    };
    assert!(s.raw);
    assert!(matches!(s.value, std::borrow::Cow::Borrowed("c\\d")));
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}1{}", "(".repeat(200), ")".repeat(200));
    let e = parse(&deep).expect_err("too deep");
    assert!(e.message.contains("nested more than"), "{}", e.message);
    let ok = format!("{}1{}", "(".repeat(20), ")".repeat(20));
    assert!(parse(&ok).is_ok());
}
