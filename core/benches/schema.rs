//! Benchmark: the schema checks over the corpus (`../shared/corpus/talos-homelab`),
//! per function, on documents loaded beforehand. Prints figures; asserts nothing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dashstudio_core::validate::schema::{check_dashboard, check_manifest, check_size};
use serde_json::Value;

fn yaml_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().and_then(|e| e.to_str()) == Some("yaml") {
                out.push(path);
            }
        }
    }
    out
}

/// Median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut found = 0;
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            found = std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[runs / 2], found)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/talos-homelab");
    if !root.is_dir() {
        println!(
            "skipping schema benchmark: corpus not found at {}",
            root.display()
        );
        return;
    }
    let mut docs: Vec<Value> = Vec::new();
    for path in yaml_files(&root) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Ok(loaded) = dashstudio_core::yaml::load_documents(&text) {
            docs.extend(loaded.into_iter().map(|d| d.value));
        }
    }
    let operator: Vec<&Value> = docs
        .iter()
        .filter(|d| dashstudio_core::crd::resource(d).is_some())
        .collect();
    let dashboards: Vec<Value> = operator
        .iter()
        .filter_map(|d| d.pointer("/spec/json").and_then(Value::as_str))
        .filter_map(|j| serde_json::from_str(j).ok())
        .collect();

    let start = Instant::now();
    let mut out = Vec::new();
    check_manifest(operator[0], &mut out);
    check_dashboard(&dashboards[0], &mut out);
    println!(
        "first call (compiles the validators): {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );

    let runs = 21;
    let (manifest, n1) = median(runs, || {
        let mut out = Vec::new();
        operator.iter().for_each(|d| check_manifest(d, &mut out));
        out.len()
    });
    let (size, n2) = median(runs, || {
        let mut out = Vec::new();
        docs.iter().for_each(|d| check_size(d, &mut out));
        out.len()
    });
    let (dashboard, n3) = median(runs, || {
        let mut out = Vec::new();
        dashboards.iter().for_each(|d| check_dashboard(d, &mut out));
        out.len()
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "check_manifest:  {:6.2} ms for {} operator resources ({n1} findings)",
        ms(manifest),
        operator.len()
    );
    println!(
        "check_size:      {:6.2} ms for {} YAML documents ({n2} findings)",
        ms(size),
        docs.len()
    );
    println!(
        "check_dashboard: {:6.2} ms for {} dashboards ({n3} findings)",
        ms(dashboard),
        dashboards.len()
    );
    println!(
        "total:           {:6.2} ms",
        ms(manifest + size + dashboard)
    );
}
