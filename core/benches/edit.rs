//! Benchmark: editing the largest corpus dashboard — parse its JSON, change
//! one panel title, rewrite the JSON keeping its layout; and the whole save
//! into the YAML file (splice + reload check). Prints figures; asserts nothing.
//! Run with `cargo bench -p dashstudio-core --bench edit`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dashstudio_core::edit::{self, json};
use serde_json::Value;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/talos-homelab");
    if !root.is_dir() {
        println!(
            "skipping edit benchmark: corpus not found at {}",
            root.display()
        );
        return;
    }
    let Some((path, text)) = largest_dashboard(&root) else {
        println!("skipping edit benchmark: no dashboard with spec.json in the corpus");
        return;
    };
    let (source, value) = edit::open_dashboard(&text, 0).expect("largest dashboard opens");
    let title = value["panels"][0]["title"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let runs = 31;
    let mut rewrite = Vec::with_capacity(runs);
    let mut save = Vec::with_capacity(runs);
    let mut parse_only = Vec::with_capacity(runs);
    let edited = |run: usize| {
        let mut v = json::parse(&source.json_text).expect("parses");
        v["panels"][0]["title"] = Value::String(format!("{title} {run}"));
        v
    };
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(json::parse(&source.json_text).expect("parses"));
        parse_only.push(start.elapsed());
    }
    for run in 0..runs {
        let start = Instant::now();
        let v = edited(run);
        let out = json::rewrite(&source.json_text, &v).expect("rewrites");
        rewrite.push(start.elapsed());
        std::hint::black_box((out, v));
    }
    for run in 0..runs {
        let v = edited(run);
        let start = Instant::now();
        let out = edit::save_dashboard(&text, &source, &v).expect("saves");
        save.push(start.elapsed());
        std::hint::black_box(out);
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let fastest = rewrite.iter().min().copied().unwrap_or_default();
    println!(
        "edit {} ({} KB JSON), median of {runs}: parse + one title + rewrite {:.2} ms; \
         save into the YAML file (rewrite + splice + reload check) {:.2} ms",
        path.file_name().unwrap_or_default().to_string_lossy(),
        source.json_text.len() / 1024,
        ms(median(&mut rewrite)),
        ms(median(&mut save)),
    );
    println!(
        "  (one JSON parse alone: {:.2} ms; fastest parse + edit + rewrite: {:.2} ms)",
        ms(median(&mut parse_only)),
        ms(fastest)
    );
}

/// The corpus file with the largest single-document `spec.json`.
fn largest_dashboard(root: &Path) -> Option<(PathBuf, String)> {
    let mut best: Option<(usize, PathBuf, String)> = None;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).ok()?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok((source, _)) = edit::open_dashboard(&text, 0) else {
                continue;
            };
            let size = source.json_text.len();
            if best.as_ref().is_none_or(|b| size > b.0) {
                best = Some((size, path, text));
            }
        }
    }
    best.map(|(_, p, t)| (p, t))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
