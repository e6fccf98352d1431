//! Table-driven tests of TraceQL parse errors (message, span, help) and of
//! the trees and lints for the constructs people write most.

use super::*;

/// (query, span of the offending bytes, words the message must contain, words the help must contain)
const ERRORS: &[(&str, (usize, usize), &str, &str)] = &[
    (
        r#"{ service.name = "x" }"#,
        (2, 9),
        "`service` is not a scope",
        "resource.service",
    ),
    (
        r#"{service.name="x"}"#,
        (1, 8),
        "`service` is not a scope",
        "resource.service",
    ),
    (
        r#"{ k8s.namespace.name = "prod" }"#,
        (2, 5),
        "not a scope",
        "resource.k8s",
    ),
    (
        "{ http.status_code = 500 }",
        (2, 6),
        "not a scope",
        "span.http",
    ),
    (
        "{ .a == 1 }",
        (5, 7),
        "`==` is not an operator",
        "single `=`",
    ),
    ("{ status == error }", (9, 11), "`==`", "single `=`"),
    (
        "{ .a = 1 and .b = 2 }",
        (9, 12),
        "to close `{` opened at byte 0",
        "use `&&`",
    ),
    ("{ .a = 1 or .b = 2 }", (9, 11), "found `or`", "use `||`"),
    (
        "{ .a = 1 } & { .b = 2 }",
        (11, 12),
        "`&` is not an operator",
        "`&&`",
    ),
    (
        "{ duraton > 1s }",
        (2, 9),
        "unknown word `duraton`",
        "did you mean `duration`?",
    ),
    (
        "{ staus = error }",
        (2, 7),
        "unknown word `staus`",
        "`status`",
    ),
    (
        "{ spn.foo = 1 }",
        (2, 5),
        "unknown attribute scope `spn.`",
        "did you mean `span.`?",
    ),
    (
        r#"{ resouce.service.name = "x" }"#,
        (2, 9),
        "scope `resouce.`",
        "`resource.`",
    ),
    (
        "{ spn:duration > 1s }",
        (2, 5),
        "unknown intrinsic scope `spn:`",
        "`span:`",
    ),
    (
        "{ span:unknown = 1 }",
        (7, 14),
        "`span:` has no intrinsic",
        "duration",
    ),
    (
        "{ trace:name = 1 }",
        (8, 12),
        "`trace:` has no intrinsic",
        "rootName",
    ),
    (
        "{ duration > 1h30 }",
        (14, 17),
        "found `h30`",
        "give every number a unit",
    ),
    (
        "{ duration > 5 ms }",
        (15, 17),
        "found `ms`",
        "without a space: `5ms`",
    ),
    (
        "{ duration > 1sec }",
        (15, 17),
        "found `ec`",
        "not a duration",
    ),
    ("{ } | rate", (10, 10), "expected `(`", "`rate()`"),
    (
        "{ } | count_over_time",
        (21, 21),
        "expected `(`",
        "`count_over_time()`",
    ),
    (
        "{ } | rate() | { status = error }",
        (15, 16),
        "`topk(n)` or `bottomk(n)`",
        "ends the query",
    ),
    (
        "rate() | { status = error }",
        (0, 4),
        "must come after `|`",
        "`{ } | rate(...)`",
    ),
    (
        "{ } | topk(5)",
        (6, 10),
        "must follow a metrics function",
        "rate()",
    ),
    (
        "{ status = error",
        (16, 16),
        "expected `}` to close `{` opened at byte 0",
        "",
    ),
    (
        "({ status = error } | count()",
        (29, 29),
        "expected `)` to close `(` opened at byte 0",
        "",
    ),
    (
        "{ } | count(",
        (12, 12),
        "to close `count(` opened at byte 11",
        "",
    ),
    ("{ } | count()", (6, 13), "must be compared", "count() > 2"),
    ("{ .a = 'x' }", (7, 8), "single quotes", "double quotes"),
    (
        r#"{ .a = "bad \q" }"#,
        (12, 14),
        "invalid escape",
        "backtick",
    ),
    (
        r#"{ .a = "open }"#,
        (7, 14),
        "string not terminated",
        "close the string",
    ),
    (
        "{ .a = 1 } /* open",
        (11, 18),
        "comment not terminated",
        "`*/`",
    ),
    ("{ .a = 09 }", (7, 9), "octal", "leading zero"),
    ("{ .a = 0x1f }", (7, 11), "only decimal numbers", ""),
    ("{ .a = 1e }", (7, 9), "exponent has no digits", ""),
    ("{ nil }", (6, 7), "after `nil`", "`.a != nil`"),
    ("{ id = 1 }", (2, 4), "found `id`", "`span:id`"),
    ("{ count() > 1 }", (2, 7), "found `count`", "keyword"),
    (
        "{ } | by(.a, .b)",
        (11, 12),
        "takes a single field",
        "rate() by (.a, .b)",
    ),
    (
        "({ .a } | { .b }) && { .c }",
        (21, 22),
        "not allowed here",
        "parentheses",
    ),
    (
        "({ .a } | { .b }) | { .c }",
        (18, 19),
        "cannot be followed by `|`",
        "inside the parentheses",
    ),
    ("{ .a } + { .b }", (7, 8), "`+` cannot combine spansets", ""),
    (
        "{ .a } = { .b }",
        (7, 8),
        "cannot combine spansets",
        "inside the braces",
    ),
    ("{ } | count() > 1 > 2", (18, 19), "cannot be chained", ""),
    (
        "{ span. }",
        (7, 7),
        "attribute name after `span.`",
        "without spaces",
    ),
    ("{ . foo }", (3, 3), "attribute name after `.`", ""),
    (
        "{ } | quantile_over_time(duration)",
        (33, 34),
        "quantiles",
        ".99",
    ),
    (
        "{ } | compare({ .a = 1 }, 10, 1)",
        (31, 32),
        "1, 2 or 4 arguments",
        "start and the end",
    ),
    (
        "coalesce() | { }",
        (0, 8),
        "cannot start a pipeline",
        "after `|`",
    ),
    ("", (0, 0), "found end of query", ""),
    ("{ } )", (4, 5), "unmatched `)`", ""),
    ("{ } | rate() with(sample)", (24, 25), "expected `=`", ""),
];

#[test]
fn errors_name_the_place_and_the_fix() {
    for &(query, (start, end), message, help) in ERRORS {
        let e = match parse(query) {
            Ok(_) => panic!("{query:?} parsed"),
            Err(e) => e,
        };
        assert_eq!(e.span.range(), start..end, "span of {query:?}: {e:?}");
        assert!(
            e.message.contains(message),
            "message of {query:?}: {:?}",
            e.message
        );
        let got = e.help.clone().unwrap_or_default();
        assert!(got.contains(help), "help of {query:?}: {got:?}");
    }
}

#[test]
fn nesting_limit_is_a_clear_error() {
    let deep = format!(
        "{}{{ }}{}",
        "(".repeat(MAX_DEPTH + 5),
        ")".repeat(MAX_DEPTH + 5)
    );
    let e = parse(&deep).expect_err("too deep");
    assert!(e.message.contains("nested more than"), "{e:?}");
    assert!(e.help.is_some_and(|h| h.contains("simplify")));
    // `x != nil` wraps what comes before it: a long run of them nests as deep.
    let nils = format!("{{ .a{} }}", " != nil".repeat(MAX_DEPTH + 1));
    let e = parse(&nils).expect_err("too deep");
    assert!(e.message.contains("nested more than"), "{e:?}");
    assert!(e.help.is_some_and(|h| h.contains("simplify")));
    // `{ }` is one level, so the `MAX_DEPTH`th `nil` is one too many.
    let at = nils
        .match_indices("nil")
        .nth(MAX_DEPTH - 1)
        .expect("a nil")
        .0;
    assert_eq!(e.span.range(), at..at + 3);
    assert!(parse(&format!("{{ .a{} }}", " != nil".repeat(MAX_DEPTH - 1))).is_ok());
    let ok = format!("{}{{ }}{}", "(".repeat(10), ")".repeat(10));
    assert!(parse(&ok).is_ok());
}

#[test]
fn lint_flags_quoted_enums_and_unitless_durations() {
    let q = parse(r#"{ status = "error" && kind = "Server" && duration > 100 }"#).expect("parses");
    let warnings = lint(&q);
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert_eq!(
        warnings[0].help.as_deref(),
        Some("remove the quotes: `status = error`")
    );
    assert_eq!(
        warnings[1].help.as_deref(),
        Some("remove the quotes: `kind = server`")
    );
    assert!(warnings[2]
        .help
        .as_deref()
        .is_some_and(|h| h.contains("nanoseconds")));
    assert!(lint(&parse("{ status = error && duration > 100ms }").expect("parses")).is_empty());
}

#[test]
fn trees_keep_structure_and_spans() {
    let q = parse(r#"{ span.http.status_code >= 500 && resource.service.name = "api" } | rate() by (span.http.route) | topk(5)"#)
        .expect("parses");
    let Body::Metrics(m) = &q.body else {
        panic!("metrics")
    };
    assert_eq!(m.function.kind, MetricsFn::Rate);
    assert_eq!(
        m.stages,
        vec![SecondStage::TopK {
            k: 5,
            span: crate::syntax::Span::new(98, 105)
        }]
    );
    let Field::Attribute(a) = &m.function.by[0] else {
        panic!("attribute")
    };
    assert_eq!(
        (a.scope, a.name.as_ref()),
        (AttributeScope::Span, "http.route")
    );
    let Stage::Spansets(SpansetExpr::Filter(f)) = &m.pipeline.stages[0] else {
        panic!("filter")
    };
    let Some(FieldExpr::Binary { op, .. }) = &f.condition else {
        panic!("binary")
    };
    assert_eq!(*op, BinaryOp::And);

    let q = parse(r#"{ ."bar \" z".foo = "a\tb" && parent.resource.x != nil }"#).expect("parses");
    let Body::Pipeline(p) = &q.body else {
        panic!("pipeline")
    };
    let Stage::Spansets(SpansetExpr::Filter(f)) = &p.stages[0] else {
        panic!("filter")
    };
    let Some(FieldExpr::Binary {
        op: BinaryOp::And,
        operands,
        ..
    }) = &f.condition
    else {
        panic!("and")
    };
    let [eq, exists] = &**operands;
    let FieldExpr::Binary {
        op: BinaryOp::Eq,
        op_span,
        operands,
        span,
    } = eq
    else {
        panic!("eq")
    };
    let [name, value] = &**operands;
    // `{ ."bar \" z".foo = "a\tb"`: the `=` at byte 18, the comparison from 2 to 26.
    assert_eq!((op_span.range(), span.range()), (18..19, 2..26));
    let FieldExpr::Field(Field::Attribute(a)) = name else {
        panic!("attr")
    };
    assert_eq!(a.name, "bar \" z.foo");
    let FieldExpr::Static(Static {
        value: Value::String(s),
        ..
    }) = value
    else {
        panic!("string")
    };
    assert_eq!(s, "a\tb");
    let FieldExpr::Existence {
        operand,
        exists: true,
        ..
    } = exists
    else {
        panic!("exists")
    };
    let FieldExpr::Field(Field::Attribute(a)) = operand.as_ref() else {
        panic!("attr")
    };
    assert_eq!(
        (a.scope, a.parent, a.name.as_ref()),
        (AttributeScope::Resource, true, "x")
    );

    let q = parse("{ duration > 1h30m } | count() > 2 with (sample = 0.1)").expect("parses");
    assert_eq!(q.hints[0].name, "sample");
    assert_eq!(q.hints[0].value.value, Value::Float(0.1));
    let Body::Pipeline(p) = &q.body else {
        panic!("pipeline")
    };
    let Stage::Spansets(SpansetExpr::Filter(f)) = &p.stages[0] else {
        panic!("filter")
    };
    let Some(FieldExpr::Binary { operands, .. }) = &f.condition else {
        panic!("binary")
    };
    let FieldExpr::Static(d) = &operands[1] else {
        panic!("static")
    };
    assert_eq!(d.value, Value::Duration(5_400_000_000_000));
    assert_eq!(d.span.range(), 13..18);
}

#[test]
fn precedence_follows_tempo() {
    // `&&` and `||` share one level, left to right, as in Tempo's grammar.
    let q = parse("{ .a || .b && .c }").expect("parses");
    let Body::Pipeline(p) = &q.body else { panic!() };
    let Stage::Spansets(SpansetExpr::Filter(f)) = &p.stages[0] else {
        panic!()
    };
    let Some(FieldExpr::Chain { rest, .. }) = &f.condition else {
        panic!()
    };
    assert_eq!(
        rest.iter().map(|r| r.0).collect::<Vec<_>>(),
        [BinaryOp::Or, BinaryOp::And]
    );
    // Structural operators bind tighter than `&&`.
    let q = parse("{ } && { } >> { }").expect("parses");
    let Body::Pipeline(p) = &q.body else { panic!() };
    let Stage::Spansets(SpansetExpr::Binary {
        op,
        op_span,
        operands,
        span,
    }) = &p.stages[0]
    else {
        panic!()
    };
    assert_eq!(*op, SpansetOp::And);
    assert_eq!((op_span.range(), span.range()), (4..6, 0..17));
    assert!(matches!(
        operands[1],
        SpansetExpr::Binary {
            op: SpansetOp::Descendant,
            ..
        }
    ));
    // Two operators of one level make a flat chain, left to right.
    let q = parse("{ .a } >> { .b } > { .c }").expect("parses");
    let Body::Pipeline(p) = &q.body else { panic!() };
    let Stage::Spansets(SpansetExpr::Chain { first, rest, span }) = &p.stages[0] else {
        panic!()
    };
    assert!(matches!(**first, SpansetExpr::Filter(_)));
    assert_eq!(
        rest.iter().map(|r| r.0).collect::<Vec<_>>(),
        [SpansetOp::Descendant, SpansetOp::Child]
    );
    assert_eq!(span.range(), 0..25);
}

#[test]
fn pipelines_keep_their_stages_in_order() {
    let span_of = |stage: &Stage| match stage {
        Stage::Spansets(SpansetExpr::Filter(f)) => f.span.range(),
        Stage::ScalarFilter(f) => f.span.range(),
        Stage::GroupBy { span, .. } | Stage::Select { span, .. } | Stage::Coalesce { span } => {
            span.range()
        }
        other => panic!("unexpected stage {other:?}"),
    };
    let q = parse("{ .a } | by(.b) | count() > 2 | coalesce()").expect("parses");
    let Body::Pipeline(p) = &q.body else { panic!() };
    assert_eq!(
        p.stages.iter().map(span_of).collect::<Vec<_>>(),
        [0..6, 9..15, 18..29, 32..42]
    );
    assert!(matches!(&p.stages[1], Stage::GroupBy { .. }));
    assert!(matches!(&p.stages[2], Stage::ScalarFilter(f) if f.op == CompareOp::Gt));
    assert_eq!(format!("{:?}", p.stages).matches("GroupBy").count(), 1);

    // One stage reads the same as a list of one.
    let q = parse("{ .a }").expect("parses");
    let Body::Pipeline(one) = &q.body else {
        panic!()
    };
    assert_eq!(one.stages.len(), 1);
    assert_eq!(one.stages[..], p.stages[..1]);
    assert_ne!(one.stages, p.stages);
    assert!(format!("{:?}", one.stages).starts_with("[Spansets("));

    // A pipeline ended by a metrics function keeps the stages before it.
    let q = parse("{ .a } | select(.b) | rate()").expect("parses");
    let Body::Metrics(m) = &q.body else { panic!() };
    assert_eq!(m.pipeline.stages.len(), 2);
}
