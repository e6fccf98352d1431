//! Differential test: our TraceQL verdicts against the official Lezer grammar
//! on the corpus and deterministic mutations of it, with Tempo's Go grammar
//! deciding (through the listed divergences) where the two grammars differ.

mod common;

use dashstudio_core::traceql::{self, Body, SecondStage};

/// Where Tempo's Go parser and the Lezer grammar disagree; we follow Go.
struct Divergence {
    name: &'static str,
    /// What Tempo's Go code does that Lezer does not.
    reason: &'static str,
    /// Whether `query` (our verdict `ours`, Lezer's error offset) is this case.
    applies: fn(&Case) -> bool,
}

struct Case<'a> {
    query: &'a str,
    ours: Result<traceql::Query<'a>, dashstudio_core::syntax::ParseError>,
    lezer_error: Option<usize>,
}

impl Case<'_> {
    /// The word (letters, digits, `.`, `_`, `µ`) around Lezer's error offset.
    fn word_at_error(&self) -> &str {
        let Some(at) = self.lezer_error else {
            return "";
        };
        word_around(self.query, at)
    }

    fn our_message(&self) -> &str {
        self.ours.as_ref().err().map_or("", |e| e.message.as_ref())
    }

    fn lezer_error_after(&self, needle: &str) -> bool {
        match (self.query.find(needle), self.lezer_error) {
            (Some(i), Some(at)) => at >= i,
            _ => false,
        }
    }
}

fn word_around(q: &str, at: usize) -> &str {
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | 'µ');
    let mut at = at.min(q.len());
    while !q.is_char_boundary(at) {
        at -= 1;
    }
    let start = q[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(at, |(i, _)| i);
    let end = q[at..]
        .find(|c: char| !is_word(c))
        .map_or(q.len(), |i| at + i);
    &q[start..end]
}

/// A Lezer `Duration`: digits, optional fraction, one unit of ns us µs ms s m h.
fn lezer_duration(w: &str) -> bool {
    let unit = ["ns", "us", "µs", "ms", "s", "m", "h"]
        .iter()
        .find(|u| w.ends_with(**u))
        .map_or(0, |u| u.len());
    let num = &w[..w.len() - unit];
    unit > 0
        && !num.is_empty()
        && num.split('.').count() <= 2
        && num
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn valid(c: &Case) -> bool {
    c.ours.is_ok()
}

const DIVERGENCES: &[Divergence] = &[
    Divergence {
        name: "durations",
        reason: "Tempo's lexer reads durations with Prometheus' ParseDuration (1h30m, 2d, 1w, 1y) \
                 and then Go's time.ParseDuration (5.s, 1s1h); Lezer knows one unit after a decimal",
        applies: |c| {
            let w = c.word_at_error();
            valid(c) && w.starts_with(|ch: char| ch.is_ascii_digit()) && !lezer_duration(w)
                && !w.trim_start_matches(|ch: char| ch.is_ascii_digit() || ch == '.').is_empty()
        },
    },
    Divergence {
        name: "go floats",
        reason: "Tempo's Go scanner reads floats as Go literals (`.5`, `1.`, `1e3`, `1.5e-3`); \
                 Lezer's Float needs digits on both sides of the dot and no exponent",
        applies: |c| {
            let w = c.word_at_error();
            valid(c)
                && (w.starts_with('.') && w[1..].starts_with(|ch: char| ch.is_ascii_digit())
                    || w.ends_with('.') && w.starts_with(|ch: char| ch.is_ascii_digit())
                    || w.starts_with(|ch: char| ch.is_ascii_digit()) && w.contains(['e', 'E']))
        },
    },
    Divergence {
        name: "hints",
        reason: "Tempo's grammar takes any identifier in `with(name = value)` (sample, exemplars, \
                 foo...); the pinned Lezer grammar only knows `most_recent`",
        applies: |c| valid(c) && c.lezer_error_after("with"),
    },
    Divergence {
        name: "intrinsics",
        reason: "Tempo's lexer has childCount and nestedSetLeft/Right/Parent intrinsics; Lezer does not",
        applies: |c| {
            valid(c)
                && matches!(
                    c.word_at_error(),
                    "childCount" | "nestedSetLeft" | "nestedSetRight" | "nestedSetParent"
                )
        },
    },
    Divergence {
        name: "scalar pipeline filters",
        reason: "Tempo's scalarPipelineExpressionFilter compares `({ } | count())` with another \
                 or a value; Lezer has no such rule",
        applies: |c| matches!(c.ours, Ok(traceql::Query { body: Body::ScalarPipelineFilter(_), .. })),
    },
    Divergence {
        name: "metrics filters",
        reason: "Tempo's second stage filters series by value (`| rate() > 10`); Lezer has no rule",
        applies: |c| match &c.ours {
            Ok(traceql::Query { body: Body::Metrics(m), .. }) => {
                m.stages.iter().any(|s| matches!(s, SecondStage::Filter { span, .. }
                    if c.lezer_error.is_some_and(|at| at >= span.start as usize)))
            }
            _ => false,
        },
    },
    Divergence {
        name: "space after scope colon",
        reason: "Tempo's Go scanner skips whitespace between `span:` and the intrinsic; Lezer reads `span:duration` as one token",
        applies: |c| {
            valid(c)
                && c.lezer_error.is_some_and(|at| {
                    let at = at.min(c.query.len());
                    c.query[..at].trim_end().ends_with(':') || c.query[at..].starts_with(':')
                })
        },
    },
    Divergence {
        name: "string escapes",
        reason: "Tempo unquotes strings with Go's strconv.Unquote (\\u00e9, \\x41, \\101, \\t); Lezer's String accepts fewer escapes",
        applies: |c| {
            valid(c)
                && c.lezer_error.is_some_and(|at| {
                    let before = &c.query[..at.min(c.query.len())];
                    before.matches('"').count() % 2 == 1 && c.query[at..].contains('\\')
                        || c.query[at..].starts_with('"') && c.query[at..].contains('\\')
                })
        },
    },
    Divergence {
        name: "attribute characters",
        reason: "Tempo's lexer reads an attribute name up to whitespace or one of {}()=~!<>&|^, \
                 so non-ASCII letters and symbols belong to it; Lezer's Identifier is ASCII",
        applies: |c| {
            valid(c)
                && c.lezer_error.is_some_and(|at| {
                    let w = word_around(c.query, at);
                    !w.is_ascii() || c.query[..at].ends_with('.')
                })
        },
    },
    Divergence {
        name: "topk without metrics",
        reason: "Tempo's grammar has topk/bottomk only after a metrics function; Lezer takes them as any stage",
        applies: |c| c.our_message().contains("must follow a metrics function"),
    },
    Divergence {
        name: "wrapped pipelines",
        reason: "Tempo's LALR grammar combines parenthesised pipelines only with each other and never \
                 pipes after them (its one shift/reduce conflict reads `({ })` as a spanset); \
                 Lezer's SpansetPipelineExpression mixes them freely",
        applies: |c| {
            let m = c.our_message();
            m.contains("parenthesised pipeline")
                || m.contains("is not allowed here")
                || m == "mismatched operand"
        },
    },
    Divergence {
        name: "stage arguments",
        reason: "Tempo's by() takes one field expression and select()/metrics by() take attributes \
                 only; Lezer takes lists of expressions in all three",
        applies: |c| {
            let m = c.our_message();
            m.contains("takes a single field")
                || m.contains("to close `select(`")
                || m.contains("to close `by(`")
        },
    },
    Divergence {
        name: "scalar regex",
        reason: "Tempo's scalarFilterOperation is = != < <= > >=; Lezer's ComparisonOp adds =~ and !~",
        applies: |c| c.our_message().contains("cannot combine numbers and aggregates"),
    },
    Divergence {
        name: "after metrics",
        reason: "Tempo ends a metrics query after its function (only topk/bottomk and value filters may \
                 follow); Lezer allows any stage",
        applies: |c| c.our_message().starts_with("expected `topk(n)` or `bottomk(n)`")
            || c.our_message().contains("cannot be a pipeline stage"),
    },
    Divergence {
        name: "pipeline starts",
        reason: "Tempo's pipelines start with a spanset, by(), select() or a scalar filter, never \
                 coalesce() or a metrics function, and by()/select()/scalar filters are not spanset \
                 operands (its test_examples.yaml parse_fails); Lezer allows these anywhere",
        applies: |c| {
            let m = c.our_message();
            m.contains("cannot follow `by(...)`")
                || m.contains("cannot follow `select(...)`")
                || m.contains("cannot follow a comparison")
                || m.contains("`coalesce()` cannot start")
                || m.contains("must come after `|` at the end of the query")
                || m.starts_with("expected a field such as")
        },
    },
    Divergence {
        name: "space in attribute",
        reason: "Tempo's lexer ends an attribute at whitespace, so `span. foo`, `. foo` and `span .foo` \
                 are errors (TestAttributeNameErrors); Lezer skips the space",
        applies: |c| {
            let m = c.our_message();
            m.starts_with("expected an attribute name after")
                || m.starts_with("unknown word `") && c.ours.as_ref().err().is_some_and(|e| {
                    c.query[e.span.end as usize..].trim_start().starts_with('.')
                })
        },
    },
    Divergence {
        name: "nil comparisons",
        reason: "Tempo's grammar has nil only in `x = nil`, `x != nil`, `nil = x`, `nil != x`; \
                 Lezer reads nil as any static",
        applies: |c| c.our_message().contains("after `nil`"),
    },
    Divergence {
        name: "number range",
        reason: "Tempo's Go scanner rejects 09 (octal), strconv.Atoi rejects integers past int64, and \
                 durations past int64 nanoseconds fail both duration parsers; Lezer checks no range",
        applies: |c| {
            let m = c.our_message();
            m.contains("octal literal")
                || m == "integer out of range"
                || c.ours.as_ref().err().is_some_and(|e| {
                    let before = c.query[..e.span.start as usize].trim_end();
                    before.ends_with(|ch: char| ch.is_ascii_digit())
                        && word_around(c.query, e.span.start as usize - 1).len() > 10
                })
        },
    },
    Divergence {
        name: "tilde in filter",
        reason: "Tempo's fieldExpression has no `~` operator (only spansets use it); Lezer's FieldOp includes it",
        applies: |c| {
            c.ours.as_ref().err().is_some_and(|e| c.query[e.span.start as usize..].starts_with('~'))
        },
    },
    Divergence {
        name: "spaced call",
        reason: "Tempo's scanner allows whitespace in `rate ( )`; Lezer has `rate(` and `count()` as single tokens",
        applies: |c| {
            valid(c) && c.lezer_error.is_some_and(|at| c.query[..at.min(c.query.len())].ends_with(|ch: char| ch.is_whitespace()) && c.query[at.min(c.query.len())..].starts_with('('))
        },
    },
];

fn mutations(q: &str, seed: u64) -> Vec<String> {
    let mut out = Vec::new();
    // Drop the last closing bracket.
    if let Some(i) = q.rfind([')', '}']) {
        out.push(format!("{}{}", &q[..i], &q[i + 1..]));
    }
    // Truncate at token boundaries (where the character class changes).
    let bounds: Vec<usize> = q
        .char_indices()
        .zip(q.chars().skip(1))
        .filter(|((_, a), b)| a.is_alphanumeric() != b.is_alphanumeric() || !a.is_alphanumeric())
        .map(|((i, a), _)| i + a.len_utf8())
        .collect();
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n.max(1)
    };
    for _ in 0..3 {
        if !bounds.is_empty() {
            out.push(q[..bounds[next(bounds.len())]].to_string());
        }
    }
    // Near-miss operators.
    for (from, to) in [
        (" = ", " == "),
        (" && ", " and "),
        (" >> ", " > "),
        (" != ", " = "),
        ("()", "("),
        (" | ", " | | "),
        ("{ ", "{ { "),
        (" > ", " >= "),
    ] {
        if let Some(i) = q.find(from) {
            out.push(format!("{}{}{}", &q[..i], to, &q[i + from.len()..]));
        }
    }
    // Delete a character at seeded positions.
    let chars: Vec<usize> = q.char_indices().map(|(i, _)| i).collect();
    for _ in 0..3 {
        if !chars.is_empty() {
            let i = chars[next(chars.len())];
            let len = q[i..].chars().next().map_or(1, char::len_utf8);
            out.push(format!("{}{}", &q[..i], &q[i + len..]));
        }
    }
    out.retain(|m| m != q);
    out
}

#[test]
fn traceql_agrees_with_lezer_and_tempo() {
    let corpus = common::queries::load("traceql");
    let mut queries: Vec<String> = corpus.iter().map(|q| q.text.clone()).collect();
    let originals = queries.len();
    for (n, q) in corpus.iter().enumerate() {
        queries.extend(mutations(&q.text, n as u64));
    }
    queries.sort();
    queries.dedup();
    let Some(verdicts) = common::lezer::verdicts("traceql", &queries) else {
        return;
    };
    let mut agree = 0;
    let mut used = vec![0usize; DIVERGENCES.len()];
    let mut failures = Vec::new();
    for (q, v) in queries.iter().zip(&verdicts) {
        let case = Case {
            query: q,
            ours: traceql::parse(q),
            lezer_error: v.error,
        };
        if case.ours.is_ok() == v.valid {
            agree += 1;
            continue;
        }
        match DIVERGENCES.iter().position(|d| (d.applies)(&case)) {
            Some(i) => used[i] += 1,
            None => failures.push(format!(
                "{q:?}: ours {}, lezer {} (error at {:?})",
                match &case.ours {
                    Ok(_) => "valid".to_string(),
                    Err(e) => format!("invalid: {} at {}", e.message, e.span.start),
                },
                if v.valid { "valid" } else { "invalid" },
                v.error,
            )),
        }
    }
    let total = queries.len();
    let diverged: usize = used.iter().sum();
    println!(
        "traceql differential: {originals} corpus queries, {} mutations, {total} distinct; \
         {agree} agree ({:.2}%), {diverged} listed divergences, {} unexplained",
        total.saturating_sub(originals),
        agree as f64 * 100.0 / total as f64,
        failures.len()
    );
    for (d, n) in DIVERGENCES.iter().zip(&used) {
        println!("  divergence {:<26} {n:>4}  {}", d.name, d.reason);
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let stale: Vec<_> = DIVERGENCES
        .iter()
        .zip(&used)
        .filter(|(_, n)| **n == 0)
        .map(|(d, _)| d.name)
        .collect();
    assert!(stale.is_empty(), "divergences never hit: {stale:?}");
}

/// Both parsers rejecting everything would agree; the documented queries must parse.
#[test]
fn documented_queries_parse() {
    let text = std::fs::read_to_string(common::queries::path("traceql")).expect("corpus");
    let mut section = "";
    let mut checked = 0;
    for line in text.lines() {
        if let Some(note) = line.strip_prefix("%%") {
            if !note.starts_with("begin") && !note.starts_with("end") && !note.trim().is_empty() {
                section = note;
            }
            continue;
        }
        let valid_section = section.contains("Tempo docs")
            || section.contains("valid") && !section.contains("failures");
        if valid_section && !line.trim().is_empty() {
            checked += 1;
            if let Err(e) = traceql::parse(line) {
                panic!("documented query {line:?} failed: {e}");
            }
        }
    }
    assert!(checked > 150, "only {checked} documented queries checked");
}
