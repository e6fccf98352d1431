//! Differential test: our LogQL parser against the official Lezer grammar on
//! the corpus and deterministic mutations of it; every disagreement must be a
//! listed divergence where Loki's Go parser (which we follow) differs from Lezer.

mod common;

use std::collections::BTreeSet;

use common::{lezer, queries};
use dashstudio_core::logql;

/// Where Lezer and Loki's Go parser disagree; we follow Go.
struct Divergence {
    name: &'static str,
    /// Why: what Loki's Go code does.
    reason: &'static str,
    /// Our verdict on the queries it covers (Lezer says the opposite).
    ours_valid: bool,
    applies: fn(&str) -> bool,
}

/// The error message we give, for predicates keyed on what Go rejects.
fn our_error(q: &str) -> String {
    logql::parse(q)
        .err()
        .map(|e| format!("{} {}", e.message, e.help.unwrap_or_default()))
        .unwrap_or_default()
}

fn error_has(q: &str, parts: &[&str]) -> bool {
    let e = our_error(q);
    parts.iter().any(|p| e.contains(p))
}

/// Every log range and label filter of a parsed query.
fn walk<'a>(
    e: &'a logql::Expr<'a>,
    ranges: &mut Vec<&'a logql::LogRange<'a>>,
    filters: &mut Vec<&'a logql::LabelFilter<'a>>,
) {
    use logql::Expr::*;
    let stages = |st: &'a [logql::Stage<'a>], filters: &mut Vec<&'a logql::LabelFilter<'a>>| {
        for s in st {
            if let logql::StageKind::LabelFilter(f) = &s.kind {
                filters.push(f);
            }
        }
    };
    match e {
        Log(l) => stages(&l.pipeline, filters),
        RangeAggregation(r) => {
            stages(&r.range.log.pipeline, filters);
            if let Some(u) = &r.range.unwrap {
                filters.extend(u.post_filters.iter());
            }
            ranges.push(&r.range);
        }
        VectorAggregation(v) => walk(&v.expr, ranges, filters),
        Binary(b) => {
            walk(&b.lhs, ranges, filters);
            walk(&b.rhs, ranges, filters);
        }
        LabelReplace(l) => walk(&l.expr, ranges, filters),
        Paren(p) => walk(&p.expr, ranges, filters),
        Variants(v) => {
            for x in &v.variants {
                walk(x, ranges, filters);
            }
            ranges.push(&v.of);
        }
        Literal(_) | Vector(_) => {}
    }
}

/// Label filters joined by juxtaposition (`a=1 b=2`), which Go's grammar has
/// (`labelFilter labelFilter`) and Lezer's has not.
fn has_juxtaposed_filters(q: &str) -> bool {
    fn juxtaposed(q: &str, f: &logql::LabelFilter<'_>) -> bool {
        use logql::LabelFilter::*;
        match f {
            And(a, b) => {
                let between = q
                    .get(a.span().end as usize..b.span().start as usize)
                    .unwrap_or("x");
                between.trim().is_empty() || juxtaposed(q, a) || juxtaposed(q, b)
            }
            Or(a, b) => juxtaposed(q, a) || juxtaposed(q, b),
            Paren(a, _) => juxtaposed(q, a),
            _ => false,
        }
    }
    let Ok(e) = logql::parse(q) else { return false };
    let (mut ranges, mut filters) = (Vec::new(), Vec::new());
    walk(&e, &mut ranges, &mut filters);
    filters.iter().any(|f| juxtaposed(q, f))
}

/// `( {...} | pipeline | unwrap x )[5m] offset 1h`: Go's logRangeExpr has
/// the offset form of the bracketed selector+pipeline+unwrap, Lezer's not.
fn has_bracketed_unwrap_with_offset(q: &str) -> bool {
    let Ok(e) = logql::parse(q) else { return false };
    let (mut ranges, mut filters) = (Vec::new(), Vec::new());
    walk(&e, &mut ranges, &mut filters);
    ranges.iter().any(|r| {
        r.offset.is_some()
            && r.unwrap
                .as_ref()
                .is_some_and(|u| u.span.start < r.range.span.start)
            && q.as_bytes().get(r.span.start as usize) == Some(&b'(')
    })
}

/// A number with `_` separators (`1_000`), which Go's scanner reads.
fn has_digit_separator(q: &str) -> bool {
    let b = q.as_bytes();
    (1..b.len().saturating_sub(1))
        .any(|i| b[i] == b'_' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit())
}

/// A size with a go-humanize unit Lezer lacks (`5M`, `5Gi`: no `B`).
fn has_humanize_only_bytes(q: &str) -> bool {
    let b = q.as_bytes();
    (1..b.len()).any(|i| {
        b[i - 1].is_ascii_digit()
            && (i < 2 || !b[i - 2].is_ascii_alphabetic())
            && b"KMGTPk".contains(&b[i])
            && {
                let mut j = i + 1;
                if b.get(j) == Some(&b'i') {
                    j += 1;
                }
                !b.get(j).is_some_and(|c| c.is_ascii_alphanumeric())
            }
    })
}

/// A duration only Go's `time.ParseDuration` reads: a fraction (`1.5h`,
/// `1.h`), a sign (`-1h`) or a sub-millisecond unit (`us`, `ns`).
fn has_go_only_duration(q: &str) -> bool {
    let b = q.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let word_start = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.');
        if word_start && (b[i].is_ascii_digit() || b[i] == b'-' || b[i] == b'.') {
            let start = i;
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.') {
                j += 1;
            }
            let num = &q[start..j];
            // The unit: ASCII letters, or `µs`.
            let mut unit_end = j;
            while unit_end < b.len()
                && (b[unit_end].is_ascii_alphabetic() || q[unit_end..].starts_with('µ'))
            {
                unit_end += if b[unit_end].is_ascii() {
                    1
                } else {
                    'µ'.len_utf8()
                };
            }
            let unit = &q[j..unit_end];
            let known = ["ns", "us", "µs", "ms", "s", "m", "h", "d", "w", "y"].contains(&unit);
            if known
                && num.bytes().any(|c| c.is_ascii_digit())
                && (num.contains('.') || num.starts_with('-') || ["ns", "us", "µs"].contains(&unit))
            {
                return true;
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    false
}

/// A function or keyword written with capitals (`SUM`, `Rate`).
fn has_capitalised_keyword(q: &str) -> bool {
    const WORDS: &[&str] = &[
        "rate",
        "sum",
        "by",
        "count_over_time",
        "json",
        "line_format",
    ];
    let lower = q.to_ascii_lowercase();
    WORDS.iter().any(|w| {
        lower
            .match_indices(w)
            .any(|(i, _)| &q[i..i + w.len()] != *w)
    })
}

/// A truncated aggregation of a log query (`sum({app="a"}`): Lezer's error
/// recovery closes it at the end of input without an error node.
fn unclosed_aggregation_of_log_query(q: &str) -> bool {
    let Some(open) = q.find('(') else {
        return false;
    };
    let arg = q[open + 1..]
        .trim_start()
        .trim_start_matches('(')
        .trim_start();
    arg.starts_with('{')
        && q.matches('(').count() > q.matches(')').count()
        && error_has(q, &["found the end of the query"])
}

const DIVERGENCES: &[Divergence] = &[
    Divergence {
        name: "empty-matching selector",
        reason: "Loki's validateMatchers (parser.go) rejects selectors whose matchers all match the empty string ({a=\"\"}, {a=~\".*\"}, {a!=\"x\"}); Lezer only checks syntax",
        ours_valid: false,
        applies: |q| our_error(q).starts_with("every matcher of this selector"),
    },
    Divergence {
        name: "invalid regular expression",
        reason: "Loki compiles matcher, regexp-stage and label_replace regexes while parsing (labels.NewMatcher, log.NewRegexpParser, mustNewLabelReplaceExpr); Lezer does not look inside strings",
        ours_valid: false,
        applies: |q| error_has(q, &["invalid regular expression"]),
    },
    Divergence {
        name: "regexp stage captures",
        reason: "log.NewRegexpParser (called by newLabelParserExpr) requires at least one capture group, all named, names unique",
        ours_valid: false,
        applies: |q| error_has(q, &["regexp stage", "capture group `"]),
    },
    Divergence {
        name: "pattern stage captures",
        reason: "log.NewPatternParser (called by newLabelParserExpr) requires a named capture, no two adjacent captures, unique names",
        ours_valid: false,
        applies: |q| error_has(q, &["the pattern needs", "the pattern has two captures", "appears twice in the pattern"]),
    },
    Divergence {
        name: "range aggregation rules",
        reason: "RangeAggregationExpr.validate / newRangeAggregationExpr: which functions need or refuse unwrap, take a parameter or allow by/without",
        ours_valid: false,
        applies: |q| error_has(q, &["needs a label to aggregate", "cannot use `| unwrap`", "grouping is not allowed for", "needs the quantile first", "takes no parameter"]),
    },
    Divergence {
        name: "vector aggregation parameters",
        reason: "mustNewVectorAggregationExpr and validateSortGrouping: topk/bottomk/approx_topk need a positive integer, others none; sort refuses labels; approx_topk refuses grouping",
        ours_valid: false,
        applies: |q| error_has(q, &["needs a count first", "the count of `", "does not allow grouping by labels", "takes no parameter", "grouping is not allowed for approx_topk"]),
    },
    Divergence {
        name: "binary operation operands",
        reason: "mustNewBinOpExpr rejects log queries as operands and numbers on either side of and/or/unless; Lezer's BinOpExpr takes any Expr",
        ours_valid: false,
        applies: |q| error_has(q, &["side of `"]),
    },
    Divergence {
        name: "trailing comma",
        reason: "Go's matchers and labels rules have no trailing comma; Lezer's Selector and GroupingLabels allow one",
        ours_valid: false,
        applies: |q| logql::parse(q).err().and_then(|e| e.help).is_some_and(|h| h == "remove the trailing `,`"),
    },
    Divergence {
        name: "keyword as label name",
        reason: "Loki's lexer always returns by/without/and/or/unless/... as keyword tokens; Lezer's @extend lets them be identifiers",
        ours_valid: false,
        applies: |q| error_has(q, &["is a LogQL keyword"]),
    },
    Divergence {
        name: "colon in label name",
        reason: "Go's text/scanner identifiers have no `:`; Lezer's Identifier allows it",
        ours_valid: false,
        applies: |q| error_has(q, &["found `:`"]),
    },
    Divergence {
        name: "string escapes",
        reason: "Go's text/scanner rejects unknown or incomplete escapes in double-quoted strings; Lezer's String accepts any `\\x`",
        ours_valid: false,
        applies: |q| error_has(q, &["escape `\\"]),
    },
    Divergence {
        name: "octal literal",
        reason: "Go's text/scanner reads a leading 0 as octal and rejects 8 and 9 (`09`)",
        ours_valid: false,
        applies: |q| error_has(q, &["octal number"]),
    },
    Divergence {
        name: "range is not a Prometheus duration",
        reason: "Loki's lexer reads `[...]` whole and parses it with model.ParseDuration: no spaces, no fractions; Lezer skips spaces and is looser",
        ours_valid: false,
        applies: |q| error_has(q, &["is not a duration: a range"]),
    },
    Divergence {
        name: "zero range",
        reason: "model.ParseDuration accepts `0` without a unit; Lezer's Duration needs a unit",
        ours_valid: true,
        applies: |q| q.contains("[0]"),
    },
    Divergence {
        name: "Go-only duration",
        reason: "Loki's tryScanDuration falls back to time.ParseDuration: fractions (1.5s), signs (-5m), us/ns units; Lezer's Duration has none",
        ours_valid: true,
        applies: has_go_only_duration,
    },
    Divergence {
        name: "humanized byte size",
        reason: "Loki's tryScanBytes uses humanize.ParseBytes, which reads 5M, 5Gi; Lezer's Bytes needs a b/B suffix",
        ours_valid: true,
        applies: has_humanize_only_bytes,
    },
    Divergence {
        name: "digit separators",
        reason: "Go's text/scanner reads 1_000 as a number; Lezer's Number has no `_`",
        ours_valid: true,
        applies: has_digit_separator,
    },
    Divergence {
        name: "Go comments",
        reason: "Loki's scanner runs in GoTokens mode, which skips // and /* */ comments; Lezer only knows #",
        ours_valid: true,
        applies: |q| q.contains("//") || q.contains("/*"),
    },
    Divergence {
        name: "capitalised keywords",
        reason: "Loki's lexer lowercases every token before looking it up; Lezer's function names are case-sensitive",
        ours_valid: true,
        applies: has_capitalised_keyword,
    },
    Divergence {
        name: "juxtaposed label filters",
        reason: "Go's grammar has `labelFilter labelFilter` (an implicit and); Lezer's LabelFilter needs and/,/or",
        ours_valid: true,
        applies: has_juxtaposed_filters,
    },
    Divergence {
        name: "bracketed unwrap with offset",
        reason: "Go's logRangeExpr has `( selector pipelineExpr unwrapExpr ) RANGE offsetExpr`; Lezer's LogRangeExpr lacks the offset forms of it",
        ours_valid: true,
        applies: has_bracketed_unwrap_with_offset,
    },
    Divergence {
        name: "variants",
        reason: "Loki 3.x's grammar has variants(...) of (...); the pinned Lezer grammar predates it",
        ours_valid: true,
        applies: |q| q.trim_start().starts_with("variants("),
    },
    Divergence {
        name: "unclosed aggregation of a log query",
        reason: "Lezer's error recovery closes `sum({...}` at the end of input without an error node; Go reports the missing `)`",
        ours_valid: false,
        applies: unclosed_aggregation_of_log_query,
    },
];

fn mutations(q: &str, seed: usize) -> Vec<String> {
    let mut out = Vec::new();
    // Drop the last closing bracket.
    if let Some(i) = q.rfind([')', '}', ']']) {
        out.push(format!("{}{}", &q[..i], &q[i + 1..]));
    }
    // Truncate at a sample of token boundaries.
    let bounds: Vec<usize> = q
        .char_indices()
        .zip(q.char_indices().skip(1))
        .filter(|((_, a), (_, b))| class(*a) != class(*b))
        .map(|(_, (i, _))| i)
        .collect();
    if !bounds.is_empty() {
        for k in 0..4 {
            let i = bounds[(seed * 7 + k * 13) % bounds.len()];
            out.push(q[..i].to_string());
        }
    }
    // Swap an operator for a near miss.
    const SWAPS: &[(&str, &str)] = &[
        ("|=", "|~"),
        ("|~", "|="),
        ("!=", "!~"),
        ("=~", "="),
        ("\"", "`"),
        (" by (", " by"),
        ("==", "="),
        (">", ">="),
        ("[5m]", "[5]"),
        ("| json", "| logfmt"),
        ("| logfmt", "| json"),
        (", ", " "),
        ("sum", "avg"),
        ("rate", "count_over_time"),
        ("count_over_time", "rate"),
        ("unwrap ", "unwrap duration("),
        ("and", "or"),
        ("or", "and"),
    ];
    for (from, to) in SWAPS {
        if let Some(i) = q.find(from) {
            out.push(format!("{}{}{}", &q[..i], to, &q[i + from.len()..]));
        }
    }
    // Duplicate a pipe.
    if let Some(i) = q.find('|') {
        out.push(format!("{}|{}", &q[..i], &q[i..]));
    }
    // Delete a character at a few seeded positions.
    let chars: Vec<(usize, char)> = q.char_indices().collect();
    if !chars.is_empty() {
        for k in 0..3 {
            let (i, c) = chars[(seed * 31 + k * 17 + 5) % chars.len()];
            out.push(format!("{}{}", &q[..i], &q[i + c.len_utf8()..]));
        }
    }
    out
}

fn class(c: char) -> u8 {
    if c.is_alphanumeric() || c == '_' {
        0
    } else if c.is_whitespace() {
        1
    } else {
        2
    }
}

#[test]
fn logql_agrees_with_lezer_except_listed_divergences() {
    let corpus = queries::load("logql");
    let corpus_texts: Vec<String> = corpus.iter().map(|q| q.text.clone()).collect();
    let mut seen: BTreeSet<String> = corpus_texts.iter().cloned().collect();
    let mut mutated = Vec::new();
    for (n, q) in corpus_texts.iter().enumerate() {
        for m in mutations(q, n) {
            if seen.insert(m.clone()) {
                mutated.push(m);
            }
        }
    }
    let all: Vec<String> = corpus_texts.iter().chain(mutated.iter()).cloned().collect();
    let Some(verdicts) = lezer::verdicts("logql", &all) else {
        return;
    };
    let dump = std::env::var("LOGQL_DUMP").is_ok();
    let mut hits = vec![0usize; DIVERGENCES.len()];
    let mut failures = Vec::new();
    let mut agree = 0usize;
    let (mut ours_valid, mut lezer_valid) = (0usize, 0usize);
    for (i, (q, v)) in all.iter().zip(&verdicts).enumerate() {
        let ours = logql::parse(q);
        if i < corpus_texts.len() {
            ours_valid += usize::from(ours.is_ok());
            lezer_valid += usize::from(v.valid);
        }
        if ours.is_ok() == v.valid {
            agree += 1;
            continue;
        }
        match DIVERGENCES
            .iter()
            .position(|d| d.ours_valid == ours.is_ok() && (d.applies)(q))
        {
            Some(d) => hits[d] += 1,
            None => {
                let where_ = if i < corpus_texts.len() {
                    format!("corpus line {}", corpus[i].line)
                } else {
                    "mutation".into()
                };
                failures.push(format!(
                    "{where_}: lezer {} ours {:?}: {q}",
                    if v.valid { "valid" } else { "invalid" },
                    ours.as_ref().map(|_| ()).map_err(|e| e.to_string())
                ));
            }
        }
    }
    if dump {
        for f in &failures {
            println!("{f}");
        }
    }
    let total = all.len();
    println!(
        "logql differential: {} corpus queries ({ours_valid} valid for us, {lezer_valid} for Lezer), \
         {} mutations, {agree}/{total} agree ({:.2}%), {} listed divergences hit",
        corpus_texts.len(),
        mutated.len(),
        100.0 * agree as f64 / total as f64,
        hits.iter().sum::<usize>(),
    );
    for (d, n) in DIVERGENCES.iter().zip(&hits) {
        println!("  divergence `{}`: {n} queries ({})", d.name, d.reason);
    }
    assert!(
        failures.is_empty(),
        "{} unexplained disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let stale: Vec<&str> = DIVERGENCES
        .iter()
        .zip(&hits)
        .filter(|(_, n)| **n == 0)
        .map(|(d, _)| d.name)
        .collect();
    assert!(stale.is_empty(), "divergences never hit: {stale:?}");
    assert!(
        corpus_texts.len() >= 400,
        "corpus has {} queries",
        corpus_texts.len()
    );
    assert!(ours_valid >= 250, "only {ours_valid} corpus queries parse");
}
