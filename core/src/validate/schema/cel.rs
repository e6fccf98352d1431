//! The CRDs' `x-kubernetes-validations` CEL rules, re-implemented by hand
//! (no CEL interpreter), plus the content-source rule the operator enforces.
//!
//! Every rule in the vendored v1beta1 CRDs, and what happens to it here:
//!
//! | CRD | rule (its `message`) | here |
//! | --- | --- | --- |
//! | GrafanaDashboard | Only one of folderUID or folderRef can be declared at the same time | [`folder_uid_or_ref`] |
//! | GrafanaDashboard | folder field cannot be set when folderUID or folderRef is already declared | [`folder_title_alone`] |
//! | GrafanaDashboard | spec.publicDashboard.accessToken must be a valid uuid (`format.uuid()`) | [`access_token_uuid`] |
//! | GrafanaFolder | Only one of parentFolderUID or parentFolderRef can be set | [`parent_uid_or_ref`] |
//! | GrafanaDatasource | Either configMapKeyRef or secretKeyRef must be set (`spec.valuesFrom[].valueFrom`) | [`value_from_one_ref`] |
//! | all three | spec.instanceSelector is immutable (`self == oldSelf`) | skipped: a transition rule, it compares with the live object |
//! | all three | spec.uid is immutable (`self == oldSelf`, and `has(oldSelf.uid) == has(self.uid)`) | skipped: transition rule |
//! | all three | disabling spec.allowCrossNamespaceImport requires a recreate | skipped: transition rule |
//! | GrafanaDashboard | spec.publicDashboard.accessToken is immutable (two rules) | skipped: transition rules |
//!
//! Transition rules (those using `oldSelf`) need the object stored in the
//! cluster; a repository cannot show them. The uid pattern and 40-character
//! limit are OpenAPI keywords, checked by the schema in [`super::crd`].
//!
//! Not a CEL rule: the v1beta1 CRD does not say that a GrafanaDashboard needs
//! exactly one content source (`json`, `gzipJson`, `url`, `configMapRef`,
//! `grafanaCom`, `jsonnet`, `jsonnetLib`, `oci`); the API server accepts none or
//! several, but the operator then has no dashboard or ignores all but one.
//! [`content_source`] reports both as warnings.

use serde_json::Value;

use super::crd::path;
use crate::validate::codes::CRD_SCHEMA;
use crate::validate::{Finding, Fix, Severity};

/// The content sources a GrafanaDashboard v1beta1 can name.
pub(super) const CONTENT_SOURCES: [&str; 8] = [
    "json",
    "gzipJson",
    "url",
    "configMapRef",
    "grafanaCom",
    "jsonnet",
    "jsonnetLib",
    "oci",
];

/// Runs the rules of `kind` over a resource at `prefix` in its document.
pub(super) fn check(kind: &str, doc: &Value, prefix: &str, out: &mut Vec<Finding>) {
    let Some(spec) = doc.get("spec").filter(|s| s.is_object()) else {
        return;
    };
    let at = |field: &str| format!("{prefix}/spec/{field}");
    match kind {
        "GrafanaDashboard" => {
            folder_uid_or_ref(spec, &at, out);
            folder_title_alone(spec, &at, out);
            access_token_uuid(spec, &at, out);
            content_source(spec, &at, out);
        }
        "GrafanaFolder" => parent_uid_or_ref(spec, &at, out),
        "GrafanaDatasource" => value_from_one_ref(spec, prefix, out),
        _ => {}
    }
}

/// CEL `has(self.field)`: present and not null (the API server prunes nulls).
fn has(obj: &Value, field: &str) -> bool {
    obj.get(field).is_some_and(|v| !v.is_null())
}

fn rule(pointer: String, rule_message: &str, detail: String, fix: &str) -> Finding {
    Finding::manifest(
        CRD_SCHEMA,
        Severity::Error,
        pointer,
        format!("{detail}; the API server rejects the manifest (CRD rule: \"{rule_message}\")"),
    )
    .with_fix(Fix::describe(fix))
}

fn folder_uid_or_ref(spec: &Value, at: &dyn Fn(&str) -> String, out: &mut Vec<Finding>) {
    if has(spec, "folderUID") && has(spec, "folderRef") {
        out.push(rule(
            at("folderRef"),
            "Only one of folderUID or folderRef can be declared at the same time",
            "`spec.folderUID` and `spec.folderRef` are both set".to_owned(),
            "keep one: `folderRef` (the name of a GrafanaFolder resource) or `folderUID` (the uid of a folder in Grafana)",
        ));
    }
}

fn folder_title_alone(spec: &Value, at: &dyn Fn(&str) -> String, out: &mut Vec<Finding>) {
    if !has(spec, "folder") {
        return;
    }
    let others: Vec<&str> = ["folderUID", "folderRef"]
        .into_iter()
        .filter(|f| has(spec, f))
        .collect();
    if others.is_empty() {
        return;
    }
    out.push(rule(
        at("folder"),
        "folder field cannot be set when folderUID or folderRef is already declared",
        format!(
            "`spec.folder` (a folder title) is set together with `spec.{}`",
            others.join("` and `spec.")
        ),
        "remove `spec.folder`: `folderUID`/`folderRef` already say where the dashboard goes",
    ));
}

/// Kubernetes' CEL `format.uuid()`: 8-4-4-4-12 hexadecimal digits. Upper-case
/// digits are accepted here so that a doubt never becomes an error.
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn access_token_uuid(spec: &Value, at: &dyn Fn(&str) -> String, out: &mut Vec<Finding>) {
    let Some(token) = spec
        .get("publicSharing")
        .and_then(|p| p.get("accessToken"))
        .and_then(Value::as_str)
    else {
        return;
    };
    if !is_uuid(token) {
        out.push(rule(
            at("publicSharing/accessToken"),
            "spec.publicDashboard.accessToken must be a valid uuid",
            format!(
                "`spec.publicSharing.accessToken` must be a uuid such as \
                 `0b4f7f4e-3c1a-4b7e-9d3a-2f6c1e8a5b90`, got `{token}`"
            ),
            "use a uuid (e.g. from `uuidgen | tr A-Z a-z`), or remove `accessToken` to let Grafana generate one",
        ));
    }
}

fn parent_uid_or_ref(spec: &Value, at: &dyn Fn(&str) -> String, out: &mut Vec<Finding>) {
    if has(spec, "parentFolderUID") && has(spec, "parentFolderRef") {
        out.push(rule(
            at("parentFolderRef"),
            "Only one of parentFolderUID or parentFolderRef can be set",
            "`spec.parentFolderUID` and `spec.parentFolderRef` are both set".to_owned(),
            "keep one: `parentFolderRef` (the name of a GrafanaFolder resource) or `parentFolderUID` (the uid of a folder in Grafana)",
        ));
    }
}

fn value_from_one_ref(spec: &Value, prefix: &str, out: &mut Vec<Finding>) {
    let Some(items) = spec.get("valuesFrom").and_then(Value::as_array) else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let Some(value_from) = item.get("valueFrom").filter(|v| v.is_object()) else {
            continue; // a missing valueFrom is a schema `required` error
        };
        let config_map = has(value_from, "configMapKeyRef");
        let secret = has(value_from, "secretKeyRef");
        if config_map != secret {
            continue;
        }
        let pointer = format!("/spec/valuesFrom/{i}/valueFrom");
        let detail = if config_map {
            format!(
                "`{}` sets both `configMapKeyRef` and `secretKeyRef`",
                path(prefix, &pointer)
            )
        } else {
            format!(
                "`{}` sets neither `configMapKeyRef` nor `secretKeyRef`",
                path(prefix, &pointer)
            )
        };
        out.push(rule(
            format!("{prefix}{pointer}"),
            "Either configMapKeyRef or secretKeyRef must be set",
            detail,
            "set exactly one of `configMapKeyRef` or `secretKeyRef` (with `name` and `key`)",
        ));
    }
}

fn content_source(spec: &Value, at: &dyn Fn(&str) -> String, out: &mut Vec<Finding>) {
    let present: Vec<&str> = CONTENT_SOURCES
        .into_iter()
        .filter(|f| has(spec, f))
        .collect();
    match present.as_slice() {
        [_] => {}
        [] => out.push(
            Finding::manifest(
                CRD_SCHEMA,
                Severity::Warning,
                at("").trim_end_matches('/'),
                format!(
                    "The GrafanaDashboard has no content: the CRD accepts it, but the operator \
                     has no dashboard to create. Set one of `spec.{}`",
                    CONTENT_SOURCES.join("`, `spec.")
                ),
            )
            .with_fix(Fix::describe(
                "embed the dashboard JSON in `spec.json`, or point `spec.url` / `spec.configMapRef` / `spec.grafanaCom` at it",
            )),
        ),
        [_, rest @ ..] => {
            for extra in rest {
                out.push(
                    Finding::manifest(
                        CRD_SCHEMA,
                        Severity::Warning,
                        at(extra),
                        format!(
                            "The GrafanaDashboard sets several content sources (`{}`): the \
                             operator uses only one of them and ignores the others",
                            present.join("`, `")
                        ),
                    )
                    .with_fix(Fix::describe(format!(
                        "keep one content source and remove `spec.{extra}`"
                    ))),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(kind: &str, spec: Value) -> Vec<(String, Severity)> {
        let doc = json!({"apiVersion": "grafana.integreatly.org/v1beta1", "kind": kind,
                         "metadata": {"name": "x"}, "spec": spec});
        let mut out = Vec::new();
        check(kind, &doc, "", &mut out);
        out.into_iter().map(|f| (f.pointer, f.severity)).collect()
    }

    fn errors(pointers: &[&str]) -> Vec<(String, Severity)> {
        pointers
            .iter()
            .map(|p| ((*p).to_owned(), Severity::Error))
            .collect()
    }

    #[test]
    fn dashboard_folder_rules() {
        let cases: [(Value, &[&str]); 8] = [
            (json!({"json": "{}"}), &[]),
            (json!({"json": "{}", "folder": "Ops"}), &[]),
            (json!({"json": "{}", "folderUID": "u"}), &[]),
            (json!({"json": "{}", "folderRef": "r"}), &[]),
            (
                json!({"json": "{}", "folderUID": "u", "folderRef": "r"}),
                &["/spec/folderRef"],
            ),
            (
                json!({"json": "{}", "folder": "Ops", "folderUID": "u"}),
                &["/spec/folder"],
            ),
            (
                json!({"json": "{}", "folder": "Ops", "folderUID": "u", "folderRef": "r"}),
                &["/spec/folderRef", "/spec/folder"],
            ),
            (
                json!({"json": "{}", "folder": "Ops", "folderUID": null}),
                &[],
            ),
        ];
        for (spec, expected) in cases {
            assert_eq!(
                run("GrafanaDashboard", spec.clone()),
                errors(expected),
                "{spec}"
            );
        }
    }

    #[test]
    fn access_token_must_be_a_uuid() {
        for (token, ok) in [
            ("0b4f7f4e-3c1a-4b7e-9d3a-2f6c1e8a5b90", true),
            ("0B4F7F4E-3C1A-4B7E-9D3A-2F6C1E8A5B90", true),
            ("0b4f7f4e3c1a4b7e9d3a2f6c1e8a5b90", false),
            ("0b4f7f4e-3c1a-4b7e-9d3a-2f6c1e8a5bzz", false),
            ("token", false),
        ] {
            let found = run(
                "GrafanaDashboard",
                json!({"json": "{}", "publicSharing": {"accessToken": token}}),
            );
            let expected = if ok {
                vec![]
            } else {
                errors(&["/spec/publicSharing/accessToken"])
            };
            assert_eq!(found, expected, "{token}");
        }
    }

    #[test]
    fn folder_parent_rule() {
        let cases: [(Value, &[&str]); 4] = [
            (json!({"title": "F"}), &[]),
            (json!({"parentFolderUID": "u"}), &[]),
            (json!({"parentFolderRef": "r"}), &[]),
            (
                json!({"parentFolderUID": "u", "parentFolderRef": "r"}),
                &["/spec/parentFolderRef"],
            ),
        ];
        for (spec, expected) in cases {
            assert_eq!(
                run("GrafanaFolder", spec.clone()),
                errors(expected),
                "{spec}"
            );
        }
    }

    #[test]
    fn datasource_values_from_rule() {
        let cm = json!({"name": "c", "key": "k"});
        let cases: [(Value, &[&str]); 4] = [
            (
                json!([{"targetPath": "a", "valueFrom": {"configMapKeyRef": cm}}]),
                &[],
            ),
            (
                json!([{"targetPath": "a", "valueFrom": {"secretKeyRef": cm}}]),
                &[],
            ),
            (
                json!([{"targetPath": "a", "valueFrom": {}}]),
                &["/spec/valuesFrom/0/valueFrom"],
            ),
            (
                json!([{"targetPath": "a", "valueFrom": {"secretKeyRef": cm}},
                    {"targetPath": "b", "valueFrom": {"secretKeyRef": cm, "configMapKeyRef": cm}}]),
                &["/spec/valuesFrom/1/valueFrom"],
            ),
        ];
        for (values_from, expected) in cases {
            let found = run(
                "GrafanaDatasource",
                json!({"datasource": {}, "valuesFrom": values_from}),
            );
            assert_eq!(found, errors(expected), "{values_from}");
        }
    }

    #[test]
    fn content_sources() {
        let w = |p: &str| vec![(p.to_owned(), Severity::Warning)];
        assert_eq!(run("GrafanaDashboard", json!({"url": "https://x"})), vec![]);
        assert_eq!(run("GrafanaDashboard", json!({"folder": "x"})), w("/spec"));
        assert_eq!(
            run(
                "GrafanaDashboard",
                json!({"json": "{}", "url": "https://x"})
            ),
            w("/spec/url")
        );
    }
}
