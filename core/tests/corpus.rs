//! The scanner on the real GitOps corpus in `../shared/corpus/talos-homelab`:
//! every GrafanaDashboard found, folders as the CRDs declare, broken ones marked.
//! The expectations are computed independently, from the raw text of the files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dashstudio_core::model::Deployment;
use dashstudio_core::{scan_dir, DashboardFilter};

mod common;

fn corpus() -> Option<PathBuf> {
    common::corpus::root()
}

/// (file, metadata.name, folder) for every `kind: GrafanaDashboard` document,
/// read with plain text matching rather than the scanner's YAML parser.
fn dashboards_by_text(root: &Path) -> Vec<(String, String, Option<String>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable corpus") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("utf-8 corpus file");
            let rel = path
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            for doc in text.split("\n---") {
                if !doc
                    .lines()
                    .any(|l| l.trim_end() == "kind: GrafanaDashboard")
                {
                    continue;
                }
                let field = |prefix: &str| {
                    doc.lines()
                        .find_map(|l| l.strip_prefix(prefix))
                        .map(|v| v.trim().trim_matches('"').to_owned())
                };
                let name = field("  name: ").expect("metadata.name");
                out.push((rel.clone(), name, field("  folder: ")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn finds_every_dashboard_in_its_folder() {
    let Some(root) = corpus() else { return };
    let index = scan_dir(&root).expect("scan");
    let expected = dashboards_by_text(&root);
    assert!(
        expected.len() >= 67,
        "corpus has at least 67 dashboards, text found {}",
        expected.len()
    );
    let mut found: Vec<(String, String, Option<String>)> = index
        .dashboards
        .iter()
        .map(|d| {
            let folder = (d.folder_source == dashstudio_core::model::FolderSource::Title)
                .then(|| d.folder.clone());
            (d.file.clone(), d.name.clone(), folder)
        })
        .collect();
    found.sort();
    assert_eq!(found, expected);

    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, _, folder) in &expected {
        *counts
            .entry(folder.clone().unwrap_or_default())
            .or_default() += 1;
    }
    for folder in index.folders() {
        let declared = index
            .dashboards
            .iter()
            .filter(|d| d.folder == folder.title)
            .count();
        assert_eq!(folder.dashboards, declared, "count of {}", folder.title);
        if let Some(n) = counts.get(&folder.title) {
            assert_eq!(
                folder.dashboards, *n,
                "folder {} as the CRDs declare it",
                folder.title
            );
        }
        let filter = DashboardFilter {
            folder: Some(folder.title.clone()),
            q: None,
        };
        assert_eq!(index.dashboards(&filter).count(), folder.dashboards);
    }
}

#[test]
fn the_enterprise_tiers_are_all_there() {
    let Some(root) = corpus() else { return };
    let index = scan_dir(&root).expect("scan");
    let enterprise: Vec<_> = index
        .dashboards
        .iter()
        .filter(|d| d.file.contains("/grafana/enterprise-dashboards/"))
        .collect();
    assert_eq!(enterprise.len(), 67);
    assert!(enterprise.iter().all(|d| d.namespace == "grafana"));
    let kubernetes = index
        .folders()
        .into_iter()
        .find(|f| f.title == "Kubernetes")
        .expect("Kubernetes tier");
    assert!(kubernetes.dashboards >= 11);
}

#[test]
fn broken_json_is_reported_as_broken() {
    let Some(root) = corpus() else { return };
    let index = scan_dir(&root).expect("scan");
    for d in &index.dashboards {
        if !d.source.is_embedded() {
            continue;
        }
        let text = std::fs::read_to_string(root.join(&d.file)).expect("read");
        // Independent oracle: pull the block scalar out by indentation and ask serde_json.
        let json = block_scalar(&text, "  json: |");
        let parses = json
            .as_deref()
            .map(|j| serde_json::from_str::<serde_json::Value>(j).is_ok());
        if let Some(parses) = parses {
            assert_eq!(
                d.is_broken(),
                !parses,
                "{}: broken={} but serde_json parses={}",
                d.file,
                d.is_broken(),
                parses
            );
        }
    }
    let broken: Vec<&str> = index.broken().map(|d| d.file.as_str()).collect();
    assert!(
        !broken.is_empty(),
        "the corpus contains dashboards whose JSON does not parse"
    );
    for d in index.broken() {
        let e = d.content_error.as_ref().expect("error");
        assert!(e.line >= 1 && e.column >= 1 && !e.message.is_empty());
    }
    println!("broken dashboards: {broken:?}");
}

#[test]
fn kustomize_reachability_matches_the_kustomization() {
    let Some(root) = corpus() else { return };
    let index = scan_dir(&root).expect("scan");
    let k = "kubernetes/infrastructure/monitoring/grafana/kustomization.yaml";
    let text = std::fs::read_to_string(root.join(k)).expect("kustomization");
    let listed: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("- "))
        .map(|l| l.split_whitespace().next().unwrap_or("").to_owned())
        .filter(|p| p.starts_with("enterprise-dashboards/"))
        .collect();
    for d in index
        .dashboards
        .iter()
        .filter(|d| d.file.contains("/enterprise-dashboards/"))
    {
        let rel = d
            .file
            .split_once("/monitoring/grafana/")
            .expect("under grafana/")
            .1;
        let is_listed = listed.iter().any(|p| p == rel);
        assert_eq!(d.deployment.is_listed(), is_listed, "{}", d.file);
    }
    let tetragon = index
        .dashboards
        .iter()
        .find(|d| d.file.ends_with("official-tetragon-kubectl-exec.yaml"))
        .expect("tetragon dashboard");
    assert!(
        matches!(&tetragon.deployment, Deployment::Disabled { reason: Some(r), .. } if r.contains("Tetragon removed"))
    );
    let simple = index
        .dashboards
        .iter()
        .filter(|d| d.file.contains("/simple-dashboards/"));
    assert!(simple.clone().count() > 0);
    assert!(simple
        .into_iter()
        .all(|d| d.deployment == Deployment::Unlisted));
}

/// The lines of a `|` block scalar after `header`, de-indented.
fn block_scalar(text: &str, header: &str) -> Option<String> {
    let mut lines = text.lines().skip_while(|l| l.trim_end() != header);
    lines.next()?;
    let body: Vec<&str> = lines
        .take_while(|l| l.is_empty() || l.starts_with("    "))
        .collect();
    Some(
        body.iter()
            .map(|l| l.get(4..).unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}
