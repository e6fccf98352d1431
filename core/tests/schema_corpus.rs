//! The schema checks (CRD schema and CEL rules, size limit, strict dashboard
//! model) over every operator resource of the real corpus, with verified counts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dashstudio_core::validate::schema::{check_dashboard, check_manifest, check_size};
use dashstudio_core::validate::{Finding, Severity};
use serde_json::Value;

mod common;

fn corpus() -> Option<PathBuf> {
    common::corpus::root()
}

fn yaml_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable corpus") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            ) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The embedded dashboard of a GrafanaDashboard, parsed, if it parses.
fn embedded(doc: &Value) -> Option<Value> {
    if doc.get("kind").and_then(Value::as_str) != Some("GrafanaDashboard") {
        return None;
    }
    let text = match (doc.pointer("/spec/json"), doc.pointer("/spec/gzipJson")) {
        (Some(Value::String(j)), _) => j.clone(),
        (_, Some(Value::String(gz))) => dashstudio_core::crd::decode_gzip_json(gz).ok()?,
        _ => return None,
    };
    serde_json::from_str(&text).ok()
}

/// Every finding of the three checks, with the file it came from.
fn findings(root: &Path) -> Vec<(String, Finding)> {
    let mut out = Vec::new();
    for path in yaml_files(root) {
        let rel = path
            .strip_prefix(root)
            .expect("under root")
            .display()
            .to_string();
        let text = std::fs::read_to_string(&path).expect("utf-8 corpus file");
        let Ok(docs) = dashstudio_core::yaml::load_documents(&text) else {
            continue;
        };
        for doc in docs {
            let mut found = Vec::new();
            check_manifest(&doc.value, &mut found);
            check_size(&doc.value, &mut found);
            if let Some(dashboard) = embedded(&doc.value) {
                check_dashboard(&dashboard, &mut found);
            }
            out.extend(found.into_iter().map(|f| (rel.clone(), f)));
        }
    }
    out
}

#[test]
fn corpus_counts_per_code_and_severity() {
    let Some(root) = corpus() else { return };
    let all = findings(&root);
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (_, f) in &all {
        *counts.entry((f.code, f.severity.label())).or_default() += 1;
    }
    for ((code, severity), n) in &counts {
        println!("{code:<24} {severity:<8} {n}");
    }
    for (file, f) in &all {
        if f.severity != Severity::Info {
            println!(
                "{} {} {file} {}: {}",
                f.severity.label(),
                f.code,
                f.pointer,
                f.message
            );
        }
    }
    // Verified by hand (see each file):
    let expected: BTreeMap<(&str, &str), usize> = [
        // kubernetes-dashboard.yaml and talos-dashboard.yaml: GrafanaDashboards
        // with neither json nor url nor any other content (and unlisted).
        (("crd/schema", "warning"), 2),
        // official-cilium-agent (82 %), official-elasticsearch-xpack (99 %) and
        // the jaeger-operator bundle's CRD (95 %): applied today, barely.
        (("crd/size-limit", "warning"), 3),
        // Old dashboards (schemaVersion 16 to 41): unknown legacy fields, null
        // values, datasource names, missing fields Grafana defaults; at most 20
        // per dashboard and none that Grafana cannot repair.
        (("dashboard/schema", "info"), 612),
    ]
    .into_iter()
    .collect();
    assert_eq!(counts, expected);
    let flagged = |code: &str| {
        let mut files: Vec<&str> = all
            .iter()
            .filter(|(_, f)| f.code == code && f.severity != Severity::Info)
            .map(|(file, _)| file.rsplit('/').next().unwrap_or(file))
            .collect();
        files.sort_unstable();
        files
    };
    assert_eq!(
        flagged("crd/schema"),
        ["kubernetes-dashboard.yaml", "talos-dashboard.yaml"]
    );
    assert_eq!(
        flagged("crd/size-limit"),
        [
            "jaeger-operator-v1.65.0.yaml",
            "official-cilium-agent.yaml",
            "official-elasticsearch-xpack.yaml"
        ]
    );
}
