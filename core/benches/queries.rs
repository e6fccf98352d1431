//! Benchmark: LogQL and TraceQL parse throughput on the query corpus
//! (`core/tests/queries/*.txt`). Prints queries/s and MB/s; asserts nothing.
//! Run with `cargo bench -p dashstudio-core --bench queries`.

use std::time::{Duration, Instant};

#[path = "../tests/common/queries.rs"]
#[expect(dead_code, reason = "shared with the tests, which use more of it")]
mod queries;

fn main() {
    bench("logql", |q| dashstudio_core::logql::parse(q).is_ok());
    bench("traceql", |q| dashstudio_core::traceql::parse(q).is_ok());
}

fn bench(lang: &str, parse: impl Fn(&str) -> bool) {
    let corpus: Vec<String> = queries::load(lang).into_iter().map(|q| q.text).collect();
    let bytes: usize = corpus.iter().map(String::len).sum();
    let valid = corpus.iter().filter(|q| parse(q)).count();
    // Repeat the corpus until one pass takes long enough to time well.
    let mut rounds = 1usize;
    let per_pass = loop {
        let start = Instant::now();
        for _ in 0..rounds {
            for q in &corpus {
                std::hint::black_box(parse(std::hint::black_box(q)));
            }
        }
        let elapsed = start.elapsed();
        if elapsed >= Duration::from_millis(200) {
            break elapsed / rounds as u32;
        }
        rounds *= 2;
    };
    let mut times: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..rounds {
                for q in &corpus {
                    std::hint::black_box(parse(std::hint::black_box(q)));
                }
            }
            start.elapsed() / rounds as u32
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    let secs = median.as_secs_f64();
    println!(
        "{lang}: {} queries ({valid} valid), {:.1} KB per pass; median {:.3} ms per pass \
         (first estimate {:.3} ms): {:.0} queries/s, {:.1} MB/s",
        corpus.len(),
        bytes as f64 / 1024.0,
        secs * 1e3,
        per_pass.as_secs_f64() * 1e3,
        corpus.len() as f64 / secs,
        bytes as f64 / 1_048_576.0 / secs,
    );
}
