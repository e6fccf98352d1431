//! The operator's CRD schemas: vendored `openAPIV3Schema`s translated to JSON
//! Schema draft 4, compiled once, and run over manifests as `crd/schema` findings.
//!
//! Translation of the Kubernetes dialect (structural schemas):
//! - an object schema with `properties` and neither `additionalProperties` nor
//!   `x-kubernetes-preserve-unknown-fields: true` gets `additionalProperties:
//!   false`; the API server prunes such unknown fields, and strict field
//!   validation (kubectl's default `--validate=strict`) rejects them, so they
//!   are reported as warnings;
//! - `x-kubernetes-int-or-string: true` becomes `anyOf: [integer, string]`;
//! - `nullable: true` adds `"null"` to `type`; a `null` elsewhere is pruned by
//!   the API server before validation, so errors about null values are dropped;
//! - `format: byte` is checked as base64; `status` is not validated (the status
//!   subresource makes the API server ignore it on apply);
//! - `metadata` (only `type: object` in a CRD) gets what the API server checks
//!   for every object: a `name` that is a DNS subdomain, string labels and
//!   annotations.

use std::sync::OnceLock;

use base64::Engine;
use jsonschema::{Draft, Validator};
use serde_json::{json, Map, Value};

use super::wording::{describe, Issue};
use super::{cel, field_path};
use crate::crd::GROUP;
use crate::validate::codes::CRD_SCHEMA;
use crate::validate::{Finding, Fix, Severity};

/// The version of the operator's API that the vendored CRDs serve.
pub(super) const VERSION: &str = "v1beta1";

const SCHEMAS: [(&str, &str); 3] = [
    (
        "GrafanaDashboard",
        include_str!("../../../schemas/grafana-operator/grafanadashboards.v1beta1.json"),
    ),
    (
        "GrafanaFolder",
        include_str!("../../../schemas/grafana-operator/grafanafolders.v1beta1.json"),
    ),
    (
        "GrafanaDatasource",
        include_str!("../../../schemas/grafana-operator/grafanadatasources.v1beta1.json"),
    ),
];

/// Kubernetes object names (RFC 1123 DNS subdomain).
const DNS_SUBDOMAIN: &str = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

fn validators() -> &'static [(&'static str, Validator)] {
    static VALIDATORS: OnceLock<Vec<(&'static str, Validator)>> = OnceLock::new();
    VALIDATORS.get_or_init(|| {
        SCHEMAS
            .iter()
            .map(|(kind, text)| {
                let openapi: Value =
                    serde_json::from_str(text).expect("vendored CRD schema is JSON");
                let schema = to_json_schema(&openapi);
                let validator = jsonschema::options()
                    .with_draft(Draft::Draft4)
                    .should_validate_formats(true)
                    .with_format("byte", is_base64)
                    .build(&schema)
                    .expect("vendored CRD schema compiles");
                (*kind, validator)
            })
            .collect()
    })
}

/// The JSON Schema (draft 4) equivalent of a CRD's `openAPIV3Schema`.
pub(super) fn to_json_schema(openapi: &Value) -> Value {
    let mut schema = translate(openapi);
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        props.insert("status".to_owned(), json!({}));
        props.insert(
            "metadata".to_owned(),
            json!({
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 253, "pattern": DNS_SUBDOMAIN},
                    "namespace": {"type": "string", "maxLength": 63},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "annotations": {"type": "object", "additionalProperties": {"type": "string"}}
                }
            }),
        );
    }
    schema
}

fn translate(node: &Value) -> Value {
    let Value::Object(map) = node else {
        return node.clone();
    };
    let mut out = Map::with_capacity(map.len());
    for (key, value) in map {
        let value = match key.as_str() {
            "properties" | "patternProperties" | "definitions" => match value {
                Value::Object(props) => Value::Object(
                    props
                        .iter()
                        .map(|(k, v)| (k.clone(), translate(v)))
                        .collect(),
                ),
                other => other.clone(),
            },
            "enum" | "required" | "default" | "example" => value.clone(),
            _ if key.starts_with("x-kubernetes-") => continue,
            "nullable" => continue,
            _ => translate(value),
        };
        out.insert(key.clone(), value);
    }
    let flag = |name: &str| map.get(name).and_then(Value::as_bool) == Some(true);
    if flag("x-kubernetes-int-or-string") {
        out.remove("type");
        out.insert(
            "anyOf".to_owned(),
            json!([{"type": "integer"}, {"type": "string"}]),
        );
    }
    if flag("nullable") {
        if let Some(Value::String(t)) = out.get("type").cloned() {
            out.insert("type".to_owned(), json!([t, "null"]));
        }
    }
    if out.contains_key("properties")
        && !out.contains_key("additionalProperties")
        && !flag("x-kubernetes-preserve-unknown-fields")
    {
        out.insert("additionalProperties".to_owned(), Value::Bool(false));
    }
    Value::Object(out)
}

fn is_base64(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .is_ok()
}

pub(super) fn check_manifest(doc: &Value, out: &mut Vec<Finding>) {
    if doc.get("kind").and_then(Value::as_str) == Some("List") {
        if let Some(items) = doc.get("items").and_then(Value::as_array) {
            for (i, item) in items.iter().enumerate() {
                check_resource(item, &format!("/items/{i}"), out);
            }
        }
        return;
    }
    check_resource(doc, "", out);
}

fn check_resource(doc: &Value, prefix: &str, out: &mut Vec<Finding>) {
    let Some(api_version) = doc.get("apiVersion").and_then(Value::as_str) else {
        return;
    };
    let Some((GROUP, version)) = api_version.split_once('/') else {
        return;
    };
    let Some(kind) = doc.get("kind").and_then(Value::as_str) else {
        return;
    };
    let Some((_, validator)) = validators().iter().find(|(k, _)| *k == kind) else {
        return;
    };
    if version != VERSION {
        out.push(
            Finding::manifest(
                CRD_SCHEMA,
                Severity::Warning,
                format!("{prefix}/apiVersion"),
                format!(
                    "`apiVersion` is `{api_version}`, but the grafana-operator CRD for {kind} \
                     serves only `{GROUP}/{VERSION}`; the API server rejects other versions"
                ),
            )
            .with_fix(Fix::replace(
                format!("use `{GROUP}/{VERSION}`"),
                format!("{GROUP}/{VERSION}"),
            )),
        );
        return;
    }
    for err in validator.iter_errors(doc) {
        if err.instance().is_null() && err.kind().keyword() != "required" {
            continue; // the API server prunes nulls of non-nullable fields
        }
        for issue in describe(&err, prefix, pattern_hint) {
            out.push(finding(issue));
        }
    }
    cel::check(kind, doc, prefix, out);
}

fn finding(issue: Issue) -> Finding {
    let Issue {
        pointer,
        keyword,
        field,
        message,
        fix,
        ..
    } = issue;
    let (severity, message) = if keyword == "additionalProperties" {
        (
            Severity::Warning,
            format!(
                "{message}: the API server drops it, and kubectl's strict field \
                 validation rejects the manifest"
            ),
        )
    } else {
        (
            Severity::Error,
            format!("{message}; the API server rejects the manifest"),
        )
    };
    let fix = match (keyword, field.as_deref()) {
        ("required", Some("instanceSelector")) => Some(
            "add `spec.instanceSelector` with `matchLabels` that match the labels of your \
             Grafana resource (e.g. `dashboards: grafana`)"
                .to_owned(),
        ),
        _ => fix,
    };
    let mut f = Finding::manifest(CRD_SCHEMA, severity, pointer, capitalised(&message));
    if let Some(fix) = fix {
        f = f.with_fix(Fix::describe(fix));
    }
    f
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Plain words for the CRDs' patterns.
fn pattern_hint(pointer: &str, pattern: &str) -> Option<&'static str> {
    let last = pointer.rsplit('/').next().unwrap_or_default();
    Some(match (last, pattern) {
        ("resyncPeriod", _) => "a duration such as `10m`, `1h` or `1h30m` (units ns, us, ms, s, m, h)",
        ("uid", _) => "1 to 40 letters, digits, `-` or `_`",
        ("url", _) => "an `http://` or `https://` URL",
        ("version", _) => "a semantic version such as `1.2.3`, or `latest`",
        ("reference", _) => "an OCI reference with a tag or digest, such as `ghcr.io/team/dashboards:v1.4.7`",
        ("name", p) if p == DNS_SUBDOMAIN => {
            "a lowercase DNS name: `a`-`z`, `0`-`9`, `-` and `.`, starting and ending with a letter or digit"
        }
        _ => return None,
    })
}

/// `spec.folderUID` style path of a pointer, for messages written elsewhere.
pub(super) fn path(prefix: &str, pointer: &str) -> String {
    field_path(&format!("{prefix}{pointer}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dashboard(spec: Value) -> Value {
        json!({"apiVersion": "grafana.integreatly.org/v1beta1", "kind": "GrafanaDashboard",
               "metadata": {"name": "d", "namespace": "grafana"}, "spec": spec})
    }

    fn run(doc: &Value) -> Vec<Finding> {
        let mut out = Vec::new();
        check_manifest(doc, &mut out);
        out
    }

    fn selector() -> Value {
        json!({"matchLabels": {"dashboards": "grafana"}})
    }

    #[test]
    fn schemas_compile() {
        assert_eq!(validators().len(), 3);
    }

    #[test]
    fn schema_errors_map_to_findings() {
        let sel = selector();
        let cases: Vec<(Value, &str, Severity, &str)> = vec![
            (json!({"json": "{}"}), "/spec/instanceSelector", Severity::Error, "`spec` is missing the required field `instanceSelector`"),
            (json!({"instanceSelector": sel, "json": "{}", "resyncPeriod": "ten minutes"}), "/spec/resyncPeriod", Severity::Error,
             "`spec.resyncPeriod` must be a duration such as `10m`, `1h` or `1h30m` (units ns, us, ms, s, m, h), got `ten minutes`"),
            (json!({"instanceSelector": sel, "json": "{}", "uid": "a".repeat(41)}), "/spec/uid", Severity::Error, "`spec.uid` is 41 characters long; at most 40 are allowed"),
            (json!({"instanceSelector": sel, "json": "{}", "uid": "a b"}), "/spec/uid", Severity::Error, "`spec.uid` must be 1 to 40 letters, digits, `-` or `_`, got `a b`"),
            (json!({"instanceSelector": sel, "json": 3}), "/spec/json", Severity::Error, "`spec.json` must be a string, got the number `3`"),
            (json!({"instanceSelector": sel, "url": "ftp://x"}), "/spec/url", Severity::Error, "`spec.url` must be an `http://` or `https://` URL, got `ftp://x`"),
            (json!({"instanceSelector": sel, "json": "{}", "folderUid": "x"}), "/spec/folderUid", Severity::Warning, "`spec.folderUid` is not a known field of `spec`"),
            (json!({"instanceSelector": sel, "gzipJson": "not base64!"}), "/spec/gzipJson", Severity::Error, "`spec.gzipJson` must be base64-encoded data"),
            (json!({"instanceSelector": sel, "grafanaCom": {"revision": 2}}), "/spec/grafanaCom/id", Severity::Error, "`spec.grafanaCom` is missing the required field `id`"),
            (json!({"instanceSelector": sel, "json": "{}", "plugins": [{"name": "p", "version": "v1"}]}), "/spec/plugins/0/version", Severity::Error,
             "`spec.plugins[0].version` must be a semantic version such as `1.2.3`, or `latest`, got `v1`"),
        ];
        for (spec, pointer, severity, message) in cases {
            let found = run(&dashboard(spec.clone()));
            assert_eq!(found.len(), 1, "{spec}: {found:#?}");
            assert_eq!(found[0].pointer, pointer, "{spec}");
            assert_eq!(found[0].severity, severity, "{spec}");
            assert!(
                found[0]
                    .message
                    .to_lowercase()
                    .starts_with(&message.to_lowercase()),
                "{spec}: {}",
                found[0].message
            );
        }
    }

    #[test]
    fn valid_manifests_and_other_kinds_pass() {
        assert!(run(&dashboard(
            json!({"instanceSelector": selector(), "folder": "Ops", "json": "{}",
            "resyncPeriod": "1h30m", "uid": "ok_uid-1", "folder_": null})
        ))
        .iter()
        .all(|f| f.pointer == "/spec/folder_"));
        assert!(run(
            &json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "X Y"}})
        )
        .is_empty());
        assert!(run(
            &json!({"apiVersion": "grafana.integreatly.org/v1beta1", "kind": "Grafana", "spec": 1})
        )
        .is_empty());
        let ds = json!({"apiVersion": "grafana.integreatly.org/v1beta1", "kind": "GrafanaDatasource",
            "metadata": {"name": "prom"}, "spec": {"instanceSelector": selector(),
            "datasource": {"name": "Prometheus", "type": "prometheus", "jsonData": {"any": {"thing": 1}}}}});
        assert_eq!(run(&ds), vec![]);
    }

    #[test]
    fn nulls_are_pruned_not_reported() {
        let found = run(&dashboard(
            json!({"instanceSelector": selector(), "json": "{}", "folder": null}),
        ));
        assert_eq!(found, vec![]);
    }

    #[test]
    fn metadata_is_checked_like_the_api_server() {
        let doc = json!({"apiVersion": "grafana.integreatly.org/v1beta1", "kind": "GrafanaFolder",
            "metadata": {"name": "My Folder", "labels": {"tier": 1}}, "spec": {"instanceSelector": selector()}});
        let found = run(&doc);
        let pointers: Vec<&str> = found.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/metadata/labels/tier", "/metadata/name"],
            "{found:#?}"
        );
    }

    #[test]
    fn other_versions_and_lists() {
        let mut doc = dashboard(json!({"instanceSelector": selector(), "json": "{}"}));
        doc["apiVersion"] = json!("grafana.integreatly.org/v1alpha1");
        let found = run(&doc);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pointer, "/apiVersion");
        let list = json!({"apiVersion": "v1", "kind": "List", "items": [
            dashboard(json!({"instanceSelector": selector(), "json": "{}"})),
            dashboard(json!({"json": "{}"}))]});
        let found = run(&list);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pointer, "/items/1/spec/instanceSelector");
    }
}
