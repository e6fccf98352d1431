//! Deployment through kustomize: CRD files no kustomization lists (ArgoCD
//! never syncs them), listed files that do not exist, entries disabled on purpose.

use std::collections::BTreeSet;

use crate::index::Index;
use crate::kustomize;
use crate::model::Deployment;
use crate::validate::codes;
use crate::validate::finding::{Finding, Fix, Severity};

/// `paths`: every file the scan saw (parsed or not), repository-relative.
pub fn run(index: &Index, paths: &BTreeSet<String>, out: &mut Vec<(String, Finding)>) {
    if index.kustomizations.is_empty() {
        return;
    }
    let mut unlisted: BTreeSet<&str> = BTreeSet::new();
    let crd_files = index
        .dashboards
        .iter()
        .map(|d| (&d.file, &d.deployment))
        .chain(index.datasources.iter().map(|d| (&d.file, &d.deployment)));
    for (file, deployment) in crd_files {
        if *deployment == Deployment::Unlisted {
            unlisted.insert(file);
        }
    }
    for file in unlisted {
        let suggestion = nearest_kustomization(index, file).map_or_else(
            || "list it in a kustomization.yaml that ArgoCD syncs".to_owned(),
            |(k, entry)| format!("add `- {entry}` to the resources of {k}"),
        );
        out.push((
            file.to_owned(),
            Finding::at(
                codes::KUSTOMIZE_UNLISTED,
                Severity::Warning,
                1,
                1,
                "no kustomization lists this file, so ArgoCD never syncs the resources in it",
            )
            .with_fix(Fix::describe(suggestion)),
        ));
    }
    for k in &index.kustomizations {
        for entry in &k.resources {
            let Some(path) = kustomize::resolve(&k.file, &entry.path) else {
                continue;
            };
            if entry.disabled {
                if disables_a_resource(index, &path) {
                    let reason = entry
                        .comment
                        .as_deref()
                        .map_or_else(|| "no reason given".to_owned(), |c| format!("\"{c}\""));
                    out.push((
                        k.file.clone(),
                        Finding::at(
                            codes::KUSTOMIZE_DISABLED,
                            Severity::Info,
                            entry.line,
                            1,
                            format!(
                                "`{}` is commented out ({reason}): it is not deployed",
                                entry.path
                            ),
                        ),
                    ));
                }
                continue;
            }
            if !exists(paths, &path, &entry.path) {
                out.push((
                    k.file.clone(),
                    Finding::at(
                        codes::KUSTOMIZE_MISSING,
                        Severity::Error,
                        entry.line,
                        1,
                        format!(
                            "`{}` is listed but {path} does not exist: `kustomize build` fails, \
                             and ArgoCD cannot sync anything of this kustomization",
                            entry.path
                        ),
                    )
                    .with_fix(Fix::describe("correct the path or remove the entry")),
                ));
            }
        }
    }
}

fn disables_a_resource(index: &Index, path: &str) -> bool {
    index.dashboards.iter().any(|d| d.file == path)
        || index.datasources.iter().any(|d| d.file == path)
        || index.folder_crds.iter().any(|f| f.file == path)
}

/// Whether a listed entry exists: a scanned file, or a directory holding one.
/// Entries naming files the scan does not read (not YAML) are trusted.
fn exists(paths: &BTreeSet<String>, path: &str, entry: &str) -> bool {
    let is_yaml = entry.ends_with(".yaml") || entry.ends_with(".yml");
    if paths.contains(path) {
        return true;
    }
    if is_yaml {
        return false;
    }
    if entry.contains('.') && !entry.contains('/') && !entry.starts_with('.') {
        // `file.json`, `dashboard.jsonnet`: a file type the scan skips.
        return true;
    }
    let dir = format!("{path}/");
    paths
        .range(dir.clone()..)
        .next()
        .is_some_and(|p| p.starts_with(&dir))
}

/// The kustomization in the file's directory or the nearest one above, and
/// the entry that would list the file from there.
fn nearest_kustomization<'a>(index: &'a Index, file: &str) -> Option<(&'a str, String)> {
    index
        .kustomizations
        .iter()
        .filter_map(|k| {
            let dir = k.file.rsplit_once('/').map_or("", |(d, _)| d);
            let rel = if dir.is_empty() {
                Some(file)
            } else {
                file.strip_prefix(dir).and_then(|r| r.strip_prefix('/'))
            }?;
            Some((dir.len(), k.file.as_str(), rel.to_owned()))
        })
        .max_by_key(|(depth, _, _)| *depth)
        .map(|(_, k, rel)| (k, rel))
}
