//! Property tests for the LogQL parser: it never panics, error spans lie on
//! character boundaries inside the input, and deep nesting fits a small stack.

mod common;

use dashstudio_core::logql;
use proptest::prelude::*;

fn check(q: &str) {
    common::spans::assert_well_formed(q, logql::parse(q));
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[5m]",
    "[1h30m]",
    "[",
    "]",
    ",",
    "=",
    "!=",
    "=~",
    "!~",
    "==",
    ">",
    ">=",
    "<",
    "<=",
    "|",
    "|=",
    "|~",
    "|>",
    "!>",
    "+",
    "-",
    "*",
    "/",
    "%",
    "^",
    "\"x\"",
    "\"\"",
    "`r`",
    "'s'",
    "app",
    "job",
    "level",
    "__error__",
    "rate",
    "count_over_time",
    "sum_over_time",
    "quantile_over_time",
    "sum",
    "topk",
    "avg",
    "sort",
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "bool",
    "and",
    "or",
    "unless",
    "offset",
    "json",
    "logfmt",
    "--strict",
    "regexp",
    "pattern",
    "unpack",
    "line_format",
    "label_format",
    "drop",
    "keep",
    "decolorize",
    "unwrap",
    "duration",
    "bytes",
    "ip",
    "vector",
    "label_replace",
    "variants",
    "of",
    "5",
    "0.99",
    "-1",
    "1e3",
    "0x1f",
    "5s",
    "1.5s",
    "-5m",
    "5KiB",
    "10MB",
    "#c\n",
    " ",
    "\n",
    "é",
    "$x",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|t| t.join(" "))
}

fn corpus_valid() -> Vec<String> {
    common::queries::load("logql")
        .into_iter()
        .map(|q| q.text)
        .filter(|q| logql::parse(q).is_ok())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(q in any::<String>()) {
        check(&q);
    }

    #[test]
    fn token_soup_never_panics(q in token_soup()) {
        check(&q);
    }

    #[test]
    fn deep_nesting_never_panics(open in prop::sample::select(&["(", "sum(", "rate(", "sum by (a) (", "label_replace(", "| (", "{a=\"b\"} | ("][..]), n in 0usize..400) {
        let q = format!("{}{{a=\"b\"}}{}", open.repeat(n), ")".repeat(n));
        check(&q);
    }

    #[test]
    fn edits_of_valid_queries_never_panic(seed in any::<usize>(), at in any::<usize>(), c in any::<char>()) {
        thread_local! { static VALID: Vec<String> = corpus_valid(); }
        VALID.with(|valid| {
            let q = &valid[seed % valid.len()];
            let bounds: Vec<usize> = q.char_indices().map(|(i, _)| i).chain([q.len()]).collect();
            let i = bounds[at % bounds.len()];
            let mut inserted = q.clone();
            inserted.insert(i, c);
            check(&inserted);
            if i < q.len() {
                let mut removed = q.clone();
                removed.remove(i);
                check(&removed);
            }
        });
    }
}

/// Every nesting construct, nested far past the limit, parses (to an error)
/// on a thread with a 256 KiB stack.
#[test]
fn deep_nesting_fits_a_small_stack() {
    let n = 1000;
    let cases: Vec<String> = vec![
        format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        format!("{}rate({{a=\"b\"}}[1m]){}", "sum(".repeat(n), ")".repeat(n)),
        format!(
            "{}rate({{a=\"b\"}}[1m]){}",
            "sum by (a) (".repeat(n),
            ")".repeat(n)
        ),
        format!(
            "{}rate({{a=\"b\"}}[1m]){}",
            "topk(1, ".repeat(n),
            ")".repeat(n)
        ),
        format!(
            "{}vector(1){}",
            "label_replace(".repeat(n),
            ", \"a\", \"b\", \"c\", \"d\")".repeat(n)
        ),
        format!("rate({}{{a=\"b\"}}[1m]{})", "(".repeat(n), ")".repeat(n)),
        format!("rate({}{{a=\"b\"}}){}[1m])", "(".repeat(n), ")".repeat(n)),
        format!("{{a=\"b\"}} | {}x=\"y\"{}", "(".repeat(n), ")".repeat(n)),
        format!("{}1{}", "(1 + ".repeat(n), ")".repeat(n)),
        format!("1{}", " + 1".repeat(n)),
        format!("2{}", " ^ 2".repeat(n)),
        format!("1{}", " * -1 + 2 / 3 ^ 4 == 5 or vector(1)".repeat(n / 10)),
        format!(
            "{{a=\"b\"}} | x=\"y\"{}",
            " and x=\"y\" or x=\"y\"".repeat(n / 5)
        ),
        format!("{{a=\"b\"}}{}", " |= \"x\"".repeat(n / 2)),
        format!("{}{{a=\"b\"}}{}", "(".repeat(n), ")".repeat(n)),
    ];
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            for q in &cases {
                check(q);
                // Short versions of the same nesting (under the length limit).
                let short: String = q.chars().take(2000).collect();
                check(&short);
            }
        })
        .expect("spawn")
        .join()
        .expect("no stack overflow");
}
