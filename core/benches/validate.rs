//! Benchmark: `validate` on the corpus, per phase — reading and parsing the
//! YAML and JSON (the scan) against the checks. Prints figures; asserts nothing.
//! Run with `cargo bench -p dashstudio-core --bench validate`.

use std::path::Path;
use std::time::{Duration, Instant};

use dashstudio_core::validate::{validate, Options, Repository};

// The allocator of the `dashstudio` binary, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/talos-homelab");
    if !root.is_dir() {
        println!(
            "skipping validate benchmark: corpus not found at {}",
            root.display()
        );
        return;
    }
    // DASHSTUDIO_BENCH_RUNS=1 for a profiler run (callgrind counts instructions).
    let runs = std::env::var("DASHSTUDIO_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(15);
    let mut scan = Vec::with_capacity(runs);
    let mut checks = Vec::with_capacity(runs);
    let mut diagnostics = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let repo = Repository::from_dir(&root).expect("corpus scans");
        let scanned = Instant::now();
        let report = validate(&repo, &Options::default());
        let done = Instant::now();
        diagnostics = std::hint::black_box(report.diagnostics.len());
        scan.push(scanned - start);
        checks.push(done - scanned);
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (scan, checks) = (median(&mut scan), median(&mut checks));
    let total = scan + checks;
    println!(
        "validate corpus ({diagnostics} diagnostics), median of {runs}: read+parse {:.1} ms, \
         checks {:.1} ms, total {:.1} ms ({:.2}x the read+parse time)",
        ms(scan),
        ms(checks),
        ms(total),
        total.as_secs_f64() / scan.as_secs_f64()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
