//! Schema checks: the grafana-operator CRD schemas and CEL rules, the
//! `kubectl apply` annotation size limit, and the strict Grafana dashboard model.
//!
//! Seams: [`crd`] compiles the vendored `openAPIV3Schema`s and maps schema
//! errors to findings; [`cel`] re-implements the CRDs' CEL rules by hand;
//! [`size`] computes the `last-applied-configuration` annotation; [`dashboard`]
//! checks the embedded dashboard JSON against the schemaVersion 42 model;
//! [`wording`] turns schema error kinds into sentences.

mod cel;
mod crd;
mod dashboard;
mod size;
mod wording;

use serde_json::Value;

use super::Finding;

/// Checks one YAML document that is a resource of the operator's API group
/// (GrafanaDashboard / GrafanaFolder / GrafanaDatasource; apiVersion
/// `grafana.integreatly.org/v1beta1`) against the vendored CRD schema and its
/// CEL rules. A `kind: List` is checked item by item (`/items/0/spec/...`).
/// Findings use [`super::Within::Manifest`] pointers into `doc`
/// (e.g. `/spec/folderUID`). Other kinds and groups: no findings.
pub fn check_manifest(doc: &Value, out: &mut Vec<Finding>) {
    crd::check_manifest(doc, out);
}

/// `crd/size-limit`: the manifest as client-side `kubectl apply` would store
/// it in the `kubectl.kubernetes.io/last-applied-configuration` annotation,
/// added to the other annotations, must fit in 262,144 bytes. Warning from
/// 80 %, error above; info only when the resource opts into server-side apply
/// (`argocd.argoproj.io/sync-options: ServerSideApply=true`). See [`size`].
pub fn check_size(doc: &Value, out: &mut Vec<Finding>) {
    size::check_size(doc, out);
}

/// Deviations of the embedded dashboard JSON from Grafana's strict
/// schemaVersion 42 model, as info or warning (never error: Grafana migrates
/// older dashboards on load), grouped and capped per dashboard; plus
/// `dashboard/uid-invalid` (error) for a uid Grafana refuses.
/// [`super::Within::Dashboard`] pointers.
pub fn check_dashboard(dashboard: &Value, out: &mut Vec<Finding>) {
    dashboard::check_dashboard(dashboard, out);
}

/// Pointer `/spec/plugins/0/version` as the field path people read:
/// `spec.plugins[0].version`.
pub(crate) fn field_path(pointer: &str) -> String {
    let mut out = String::new();
    for token in pointer.split('/').skip(1) {
        let token = if token.contains('~') {
            std::borrow::Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
        } else {
            std::borrow::Cow::Borrowed(token)
        };
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(&token);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        }
    }
    if out.is_empty() {
        "the document".to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::field_path;

    #[test]
    fn field_paths_read_like_yaml() {
        for (pointer, path) in [
            ("", "the document"),
            ("/spec/folderUID", "spec.folderUID"),
            ("/spec/plugins/0/version", "spec.plugins[0].version"),
            ("/metadata/annotations/a~1b", "metadata.annotations.a/b"),
        ] {
            assert_eq!(field_path(pointer), path, "{pointer}");
        }
    }
}
