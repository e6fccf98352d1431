//! Property tests: the TraceQL parser never panics, keeps error spans on
//! character boundaries inside the input, and survives deep nesting on a
//! 256 KiB stack.

mod common;

use dashstudio_core::traceql;
use proptest::prelude::*;

fn check(q: &str) {
    common::spans::assert_well_formed(q, traceql::parse(q));
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "{ }",
    " ",
    "|",
    "&&",
    "||",
    ">",
    ">>",
    "<",
    "<<",
    "~",
    "!>",
    "!~",
    "&>>",
    "&~",
    "=",
    "!=",
    "=~",
    "<=",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "^",
    "!",
    ",",
    ".a",
    "span.http.url",
    "resource.service.name",
    "parent.resource.x",
    ".\"q x\"",
    "span:duration",
    "trace:id",
    "event:name",
    "duration",
    "status",
    "error",
    "ok",
    "kind",
    "server",
    "nil",
    "true",
    "1",
    "1.5",
    ".5",
    "1e3",
    "10ms",
    "1h30m",
    "2d",
    "\"s\"",
    "`r`",
    "\"\\u00e9\"",
    "count()",
    "avg(duration)",
    "max(",
    "by(",
    "select(",
    "coalesce()",
    "rate()",
    "count_over_time()",
    "quantile_over_time(duration, .99)",
    "histogram_over_time(",
    "compare(",
    "topk(5)",
    "bottomk(",
    "with(sample=true)",
    "with",
    "by (",
    "é",
    "/* c */",
    "// c\n",
    "'",
    "\"",
    "0x1",
    "09",
    "$",
    "==",
];

fn token_query() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|t| t.join(""))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(q in "\\PC*") {
        check(&q);
    }

    #[test]
    fn token_soup_never_panics(q in token_query()) {
        check(&q);
    }

    #[test]
    fn token_soup_with_spaces_never_panics(t in prop::collection::vec(prop::sample::select(TOKENS), 0..40)) {
        check(&t.join(" "));
    }
}

#[test]
fn corpus_edits_never_panic() {
    for q in common::queries::load("traceql") {
        let text = q.text;
        if traceql::parse(&text).is_err() {
            continue;
        }
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        for &i in &bounds {
            // Remove the character at i.
            if i < text.len() {
                let len = text[i..].chars().next().map_or(1, char::len_utf8);
                check(&format!("{}{}", &text[..i], &text[i + len..]));
            }
            // Insert a character at i.
            for c in [
                '(', ')', '{', '}', '|', '"', '.', 'é', ' ', '!', '=', '1', '\\', '`',
            ] {
                check(&format!("{}{c}{}", &text[..i], &text[i..]));
            }
        }
    }
}

/// Every nesting construct, 100 000 deep, on a 256 KiB stack.
#[test]
fn deep_nesting_on_a_small_stack() {
    let n = 100_000;
    let inputs = vec![
        format!("{}{{ }}{}", "(".repeat(n), ")".repeat(n)),
        format!("{{ {}.a{} }}", "(".repeat(n), ")".repeat(n)),
        format!("{{ {}.a }}", "!".repeat(n)),
        format!("{{ {}.a }}", "-".repeat(n)),
        format!("{{ {}1 }}", "- ".repeat(n)),
        format!("{{ .a{} }}", " != nil".repeat(n)),
        format!("{{ {}.a }}", "nil != ".repeat(n)),
        format!("{{ .a{} }}", " && .b".repeat(n)),
        format!("{{ .a{} }}", " ^ .b".repeat(n)),
        format!("{{ .a{} }}", " + .b * .c".repeat(n)),
        format!("{{ }}{}", " && { }".repeat(n)),
        format!("{{ }}{}", " | { }".repeat(n)),
        format!("({{ }} | {{ }}){}", " >> ({ } | { })".repeat(n)),
        format!("{{ }} | count(){} > 1", " + count()".repeat(n)),
        format!(
            "{{ }} | avg({}duration{}) > 1",
            "(".repeat(n),
            ")".repeat(n)
        ),
        format!("({{ }} | count()){} > 1", " + ({ } | count())".repeat(n)),
        format!("{}({{ }} | count()){} > 1", "(".repeat(n), ")".repeat(n)),
        format!("{{ }} | rate(){}", " | topk(1)".repeat(n)),
        format!("{{ }}{}", " with(a=1)".repeat(n)),
        "{".repeat(n),
        "(".repeat(n),
        format!("{{ .a = {} }}", "\"".repeat(n)),
    ];
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            for q in &inputs {
                check(q);
                drop(traceql::parse(q));
            }
        })
        .expect("spawn")
        .join()
        .expect("no stack overflow");
}
