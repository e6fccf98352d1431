//! Benchmark: LogQL and TraceQL parse throughput on the query corpus
//! (`core/tests/queries/*.txt`). Prints queries/s and MB/s; asserts nothing.
//! Run with `cargo bench -p dashstudio-core --bench queries`.
//!
//! The machines this runs on are shared: their speed can halve for seconds
//! at a time. So the two languages are timed in many short samples taken in
//! turn, and both the median sample and the best one are printed; the best
//! is what the code does when nothing else competes for the core.
//!
//! Allocation is the `dashstudio` binary's (mimalloc), as in the validate
//! bench: the figures are those of the command and the server, which parse
//! every query of a repository. The browser's editor allocates with the
//! wasm target's own allocator.
//!
//! `DASHSTUDIO_BENCH_QUERIES=valid` (or `invalid`) times only the queries
//! that parse (or those that do not); `DASHSTUDIO_BENCH_ONLY=traceql` keeps
//! one language. `DASHSTUDIO_BENCH_RUNS=20` parses each corpus 20 times and
//! times nothing, as the validate bench's setting does, for counting
//! instructions, which no neighbour disturbs:
//! `DASHSTUDIO_BENCH_RUNS=20 valgrind --tool=callgrind target/release/deps/queries-…`.

use std::time::{Duration, Instant};

// The allocator of the `dashstudio` binary, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/common/queries.rs"]
#[expect(dead_code, reason = "shared with the tests, which use more of it")]
mod queries;

/// Samples per language; each repeats its corpus for about [`SAMPLE`].
const SAMPLES: usize = 61;
const SAMPLE: Duration = Duration::from_millis(25);

struct Lang {
    name: &'static str,
    parse: fn(&str) -> bool,
    corpus: Vec<String>,
    bytes: usize,
    valid: usize,
    rounds: usize,
    times: Vec<Duration>,
}

fn main() {
    let which = std::env::var("DASHSTUDIO_BENCH_QUERIES").unwrap_or_default();
    if !matches!(which.as_str(), "" | "valid" | "invalid") {
        eprintln!(
            "DASHSTUDIO_BENCH_QUERIES is `{which}`: use `valid`, `invalid`, or leave it unset"
        );
        std::process::exit(2);
    }
    let only = std::env::var("DASHSTUDIO_BENCH_ONLY").ok();
    if let Some(only) = only
        .as_deref()
        .filter(|o| !matches!(*o, "logql" | "traceql"))
    {
        eprintln!("DASHSTUDIO_BENCH_ONLY is `{only}`: use `logql` or `traceql`, or leave it unset");
        std::process::exit(2);
    }
    let mut langs: Vec<Lang> = [
        ("logql", logql as fn(&str) -> bool),
        ("traceql", traceql as fn(&str) -> bool),
    ]
    .into_iter()
    .filter(|(name, _)| only.as_deref().is_none_or(|only| only == *name))
    .map(|(name, parse)| {
        let corpus: Vec<String> = queries::load(name)
            .into_iter()
            .map(|q| q.text)
            .filter(|q| match which.as_str() {
                "valid" => parse(q),
                "invalid" => !parse(q),
                _ => true,
            })
            .collect();
        let valid = corpus.iter().filter(|q| parse(q)).count();
        Lang {
            name,
            parse,
            rounds: 0,
            bytes: corpus.iter().map(String::len).sum(),
            corpus,
            valid,
            times: Vec::with_capacity(SAMPLES),
        }
    })
    .collect();
    let runs = std::env::var("DASHSTUDIO_BENCH_RUNS").ok();
    let runs = runs.map(|r| {
        r.parse::<usize>().unwrap_or_else(|_| {
            eprintln!("DASHSTUDIO_BENCH_RUNS is `{r}`: use a number of passes, such as 20");
            std::process::exit(2);
        })
    });
    if let Some(passes) = runs {
        for lang in &langs {
            pass(&lang.corpus, lang.parse, passes);
            println!("{}: {passes} passes over {} bytes", lang.name, lang.bytes);
        }
        return;
    }
    for lang in &mut langs {
        lang.rounds = rounds_for(&lang.corpus, lang.parse);
    }
    for _ in 0..SAMPLES {
        for lang in &mut langs {
            let elapsed = pass(&lang.corpus, lang.parse, lang.rounds);
            lang.times.push(elapsed / lang.rounds as u32);
        }
    }
    for lang in &mut langs {
        lang.times.sort();
        let bytes = lang.bytes;
        let rate = |t: Duration| {
            let secs = t.as_secs_f64();
            (
                lang.corpus.len() as f64 / secs,
                bytes as f64 / 1_048_576.0 / secs,
            )
        };
        let median = lang.times[SAMPLES / 2];
        let best = lang.times[0];
        let (median_qps, median_mbs) = rate(median);
        let (best_qps, best_mbs) = rate(best);
        println!(
            "{}: {} queries ({} valid), {:.1} KB per pass; median {:.3} ms per pass: \
             {median_qps:.0} queries/s, {median_mbs:.1} MB/s; best {:.3} ms: \
             {best_qps:.0} queries/s, {best_mbs:.1} MB/s",
            lang.name,
            lang.corpus.len(),
            lang.valid,
            bytes as f64 / 1024.0,
            median.as_secs_f64() * 1e3,
            best.as_secs_f64() * 1e3,
        );
    }
}

fn logql(q: &str) -> bool {
    dashstudio_core::logql::parse(q).is_ok()
}

fn traceql(q: &str) -> bool {
    dashstudio_core::traceql::parse(q).is_ok()
}

/// How many passes over the corpus make one sample of about [`SAMPLE`].
fn rounds_for(corpus: &[String], parse: fn(&str) -> bool) -> usize {
    let mut rounds = 1;
    loop {
        let elapsed = pass(corpus, parse, rounds);
        if elapsed >= SAMPLE {
            return rounds;
        }
        rounds *= 2;
    }
}

fn pass(corpus: &[String], parse: fn(&str) -> bool, rounds: usize) -> Duration {
    let start = Instant::now();
    for _ in 0..rounds {
        for q in corpus {
            std::hint::black_box(parse(std::hint::black_box(q)));
        }
    }
    start.elapsed()
}
