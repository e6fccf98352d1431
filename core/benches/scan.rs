//! Benchmark: time to scan and index the corpus (`../shared/corpus/talos-homelab`).
//! Prints figures; asserts nothing. Run with `cargo bench -p dashstudio-core`.

use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/talos-homelab");
    if !root.is_dir() {
        println!(
            "skipping scan benchmark: corpus not found at {}",
            root.display()
        );
        return;
    }
    // Warm the page cache and learn the sizes once.
    let index = match dashstudio_core::scan_dir(&root) {
        Ok(index) => index,
        Err(e) => {
            println!("scan failed: {e}");
            return;
        }
    };
    let bytes: u64 = walk_yaml_bytes(&root);
    let runs = 20;
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let index =
                dashstudio_core::scan_dir(&root).map(|i| (i.dashboards.len(), i.folders().len()));
            let elapsed = start.elapsed();
            std::hint::black_box(index.ok());
            elapsed
        })
        .collect();
    times.sort();
    let median = times[runs / 2];
    let mb = bytes as f64 / 1_048_576.0;
    println!(
        "scan+index corpus: {} YAML files, {:.1} MB, {} dashboards in {} folders",
        index.files,
        mb,
        index.dashboards.len(),
        index.folders().len()
    );
    println!("  min    {:>8.2} ms", times[0].as_secs_f64() * 1e3);
    println!(
        "  median {:>8.2} ms  ({:.1} MB/s)",
        median.as_secs_f64() * 1e3,
        mb / median.as_secs_f64()
    );
    println!("  max    {:>8.2} ms", times[runs - 1].as_secs_f64() * 1e3);
}

fn walk_yaml_bytes(root: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                total += e.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
    }
    total
}
