//! `crd/size-limit`: the size of the annotations a client-side `kubectl apply`
//! leaves on an object, computed byte for byte as kubectl and the API server do.
//!
//! What kubectl stores (`GetModifiedConfiguration` in k8s.io/kubectl
//! `pkg/util/apply.go`, with `unstructured.UnstructuredJSONScheme`): it removes
//! any old `kubectl.kubernetes.io/last-applied-configuration` annotation, sets
//! `metadata.annotations` to the remaining map — an empty `{}` when there is
//! none —, and encodes the object with Go's `json.Encoder`: compact, map keys
//! sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u00XX`, and a final
//! newline. That text becomes the annotation's value.
//!
//! What the API server allows (`ValidateAnnotationsSize` in apimachinery): the
//! sum of `len(key) + len(value)` over all annotations must not exceed
//! 262,144 bytes (`TotalAnnotationSizeLimitB`); the last-applied annotation
//! counts together with every other annotation.
//!
//! Not visible in one document, hence not counted: a namespace, labels or
//! annotations that kustomize or ArgoCD add when the manifest carries none
//! (ArgoCD's tracking label or annotation is about 100 bytes), and sync
//! options set on the ArgoCD Application rather than on the resource.

use std::io::Write;

use serde_json::Value;

use crate::validate::codes::CRD_SIZE_LIMIT;
use crate::validate::{Finding, Fix, Severity};

/// `TotalAnnotationSizeLimitB`: 256 KiB for all annotations of an object.
pub(super) const LIMIT: usize = 262_144;
/// The annotation client-side apply writes.
pub(super) const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
const SYNC_OPTIONS: &str = "argocd.argoproj.io/sync-options";

/// Bytes of annotations after a client-side apply of `doc`: the other
/// annotations (key + value) plus the last-applied annotation (key + value).
/// Computed on `doc` as it is, corrected for what kubectl changes (no copy).
pub(super) fn applied_annotations_size(doc: &Value) -> usize {
    let Some(root) = doc.as_object() else {
        return 0;
    };
    // `"annotations":{}` and `"metadata":{"annotations":{}}`.
    let empty_annotations = go_str_len("annotations") + 1 + 2;
    let comma = |len: usize| usize::from(len > 0);
    let mut encoded = go_json_len(doc) as isize;
    let mut others = 0;
    match root.get("metadata") {
        None => {
            encoded +=
                (go_str_len("metadata") + 1 + 2 + empty_annotations + comma(root.len())) as isize;
        }
        Some(Value::Object(metadata)) => match metadata.get("annotations") {
            None => encoded += (empty_annotations + comma(metadata.len())) as isize,
            Some(Value::Object(annotations)) => {
                for (k, v) in annotations {
                    let len = v.as_str().map_or_else(|| go_json_len(v), str::len);
                    if k == LAST_APPLIED {
                        let entry = go_str_len(k) + 1 + go_json_len(v);
                        encoded -= (entry + comma(annotations.len() - 1)) as isize;
                    } else {
                        others += k.len() + len;
                    }
                }
            }
            Some(other) => encoded += 2 - go_json_len(other) as isize,
        },
        Some(other) => encoded += (2 + empty_annotations) as isize - go_json_len(other) as isize,
    }
    others + LAST_APPLIED.len() + encoded.max(0) as usize + 1
}

/// Length of `value` encoded by Go's `encoding/json` (HTML-safe escaping).
pub(super) fn go_json_len(value: &Value) -> usize {
    match value {
        Value::Null => 4,
        Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string().len(),
            (_, Some(u), _) => u.to_string().len(),
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 1e21 => format!("{f:.0}").len(),
            _ => n.to_string().len(),
        },
        Value::String(s) => go_str_len(s),
        Value::Array(items) => {
            2 + items.iter().map(go_json_len).sum::<usize>() + items.len().saturating_sub(1)
        }
        Value::Object(map) => {
            2 + map
                .iter()
                .map(|(k, v)| go_str_len(k) + 1 + go_json_len(v))
                .sum::<usize>()
                + map.len().saturating_sub(1)
        }
    }
}

/// Bytes Go's encoder adds to a string's bytes: `\"`, `\\`, `\n`, `\r`, `\t`,
/// `\b`, `\f` add one each; `\u00XX` (other control characters, `<`, `>`,
/// `&`) adds five. Branch-free per byte so the compiler vectorises it.
fn escape_extra(bytes: &[u8]) -> usize {
    // Per-lane byte counters, added to the total before they could overflow
    // (51 × 5 = 255).
    const LANES: usize = 32;
    const ROUNDS: usize = 51;
    let weight = |b: u8| -> u8 {
        let short = (b == b'"')
            | (b == b'\\')
            | (b == b'\n')
            | (b == b'\r')
            | (b == b'\t')
            | (b == 0x08)
            | (b == 0x0c);
        let unicode = ((b < 0x20) & !short) | (b == b'<') | (b == b'>') | (b == b'&');
        u8::from(short) + 5 * u8::from(unicode)
    };
    if bytes.len() < 2 * LANES {
        // Most strings (keys, short values): no lanes to set up and add.
        return bytes.iter().map(|&b| usize::from(weight(b))).sum();
    }
    let mut total = 0;
    let mut chunks = bytes.chunks_exact(LANES);
    let mut lanes = [0u8; LANES];
    for (i, chunk) in (&mut chunks).enumerate() {
        for (lane, &b) in lanes.iter_mut().zip(chunk) {
            *lane += weight(b);
        }
        if i % ROUNDS == ROUNDS - 1 {
            total += lanes.iter().map(|&l| usize::from(l)).sum::<usize>();
            lanes = [0; LANES];
        }
    }
    total += lanes.iter().map(|&l| usize::from(l)).sum::<usize>();
    total
        + chunks
            .remainder()
            .iter()
            .map(|&b| usize::from(weight(b)))
            .sum::<usize>()
}

/// Length of a Go-encoded JSON string, quotes included.
pub(super) fn go_str_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let extra = escape_extra(bytes);
    // U+2028 and U+2029 (E2 80 A8/A9): 3 bytes become `\u2028`.
    let separators = if bytes.contains(&0xe2) {
        bytes
            .windows(3)
            .filter(|w| w[0] == 0xe2 && w[1] == 0x80 && matches!(w[2], 0xa8 | 0xa9))
            .count()
    } else {
        0
    };
    2 + bytes.len() + extra + 3 * separators
}

pub(super) fn check_size(doc: &Value, out: &mut Vec<Finding>) {
    if doc.get("kind").and_then(Value::as_str) == Some("List") {
        if let Some(items) = doc.get("items").and_then(Value::as_array) {
            for (i, item) in items.iter().enumerate() {
                check_object(item, &format!("/items/{i}"), out);
            }
        }
        return;
    }
    check_object(doc, "", out);
}

fn check_object(doc: &Value, prefix: &str, out: &mut Vec<Finding>) {
    let (Some(api_version), Some(_)) = (
        doc.get("apiVersion").and_then(Value::as_str),
        doc.get("kind").and_then(Value::as_str),
    ) else {
        return;
    };
    if api_version.starts_with("kustomize.config.k8s.io/") {
        return; // read by kustomize, never applied
    }
    let total = applied_annotations_size(doc);
    if total * 5 < LIMIT * 4 {
        return;
    }
    let json = doc.pointer("/spec/json").and_then(Value::as_str);
    let pointer = format!("{prefix}{}", if json.is_some() { "/spec/json" } else { "" });
    let share = total * 100 / LIMIT;
    let sized = format!(
        "After a client-side `kubectl apply` the annotations of this object would take \
         {} bytes ({share} % of the 262,144 bytes Kubernetes allows for all annotations; \
         the `{LAST_APPLIED}` annotation holds a copy of the whole manifest)",
        thousands(total)
    );
    if server_side_apply(doc) {
        out.push(Finding::manifest(
            CRD_SIZE_LIMIT,
            Severity::Info,
            pointer,
            format!(
                "{sized}; this resource opts into server-side apply \
                 (`{SYNC_OPTIONS}: ServerSideApply=true`), which stores no such annotation"
            ),
        ));
        return;
    }
    let (severity, consequence) = if total > LIMIT {
        (
            Severity::Error,
            "`kubectl apply` and an ArgoCD sync fail with \"metadata.annotations: Too long: \
             must have at most 262144 bytes\"",
        )
    } else {
        (
            Severity::Warning,
            "a little more content and `kubectl apply` (and an ArgoCD sync) will fail",
        )
    };
    // Compressing costs a few milliseconds per dashboard: only when it fails.
    let gzipped = json
        .filter(|_| severity == Severity::Error)
        .and_then(|j| gzip_base64_len(j).map(|b64| (j, b64)));
    let fix = match gzipped {
        Some((j, b64)) => {
            let after = total - go_str_len(j) + (b64 + 2) + ("gzipJson".len() - "json".len());
            format!(
                "store the dashboard as `spec.gzipJson` (gzip, then base64: {} bytes instead of \
                 {}, bringing the annotations to about {} bytes), or sync it with server-side \
                 apply (`{SYNC_OPTIONS}: ServerSideApply=true`)",
                thousands(b64),
                thousands(j.len()),
                thousands(after)
            )
        }
        None => format!(
            "make the manifest smaller (a dashboard can be stored as `spec.gzipJson`), or sync \
             it with server-side apply (`{SYNC_OPTIONS}: ServerSideApply=true`)"
        ),
    };
    out.push(
        Finding::manifest(
            CRD_SIZE_LIMIT,
            severity,
            pointer,
            format!("{sized}: {consequence}"),
        )
        .with_fix(Fix::describe(fix)),
    );
}

/// Whether the resource asks ArgoCD for server-side apply.
fn server_side_apply(doc: &Value) -> bool {
    doc.pointer("/metadata/annotations")
        .and_then(|a| a.get(SYNC_OPTIONS))
        .and_then(Value::as_str)
        .is_some_and(|options| {
            options
                .split(',')
                .any(|o| o.trim().eq_ignore_ascii_case("ServerSideApply=true"))
        })
}

/// Length of `text` gzip-compressed (default level, as `gzip` and Go do) and
/// base64-encoded.
fn gzip_base64_len(text: &str) -> Option<usize> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(text.as_bytes()).ok()?;
    let gz = enc.finish().ok()?;
    Some(gz.len().div_ceil(3) * 4)
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sized(body_len: usize, annotations: Option<Value>) -> Value {
        let mut doc = json!({"apiVersion": "grafana.integreatly.org/v1beta1", "kind": "GrafanaDashboard",
            "metadata": {"name": "d", "namespace": "grafana"},
            "spec": {"instanceSelector": {}, "json": "x".repeat(body_len)}});
        if let Some(a) = annotations {
            doc["metadata"]["annotations"] = a;
        }
        doc
    }

    fn run(doc: &Value) -> Vec<Finding> {
        let mut out = Vec::new();
        check_size(doc, &mut out);
        out
    }

    #[test]
    fn escape_extra_of_every_byte() {
        // What Go's encoder writes for each byte alone (as in encodeState.string).
        let go = |b: u8| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
            0x00..=0x1f | b'<' | b'>' | b'&' => 5,
            _ => 0,
        };
        let all: Vec<u8> = (0..=255u8).collect();
        for &b in &all {
            assert_eq!(escape_extra(&[b]), go(b), "byte {b:#04x}");
        }
        // Across chunk boundaries.
        let long: Vec<u8> = all.iter().copied().cycle().take(10_000).collect();
        assert_eq!(
            escape_extra(&long),
            long.iter().map(|&b| go(b)).sum::<usize>()
        );
    }

    #[test]
    fn go_encoding_lengths() {
        for (value, expected) in [
            (json!("a<b>&c"), r#""a\u003cb\u003e\u0026c""#.len()),
            (json!("line\n\"q\"\t\\"), r#""line\n\"q\"\t\\""#.len()),
            (json!("\u{1}é\u{2028}"), "\"\\u0001é\\u2028\"".len()),
            (
                json!({"b": [1, true, null], "a": {}}),
                r#"{"a":{},"b":[1,true,null]}"#.len(),
            ),
            (json!(1.0), 1),
            (json!(-12), 3),
        ] {
            assert_eq!(go_json_len(&value), expected, "{value}");
        }
    }

    #[test]
    fn annotation_is_what_kubectl_writes() {
        // The object kubectl encodes gets `"annotations":{}` when it has none.
        let doc = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}});
        let encoded =
            r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":{},"name":"c"}}"#;
        assert_eq!(
            applied_annotations_size(&doc),
            LAST_APPLIED.len() + encoded.len() + 1
        );
        // Without metadata at all.
        let doc = json!({"apiVersion": "v1", "kind": "ConfigMap"});
        let encoded = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":{}}}"#;
        assert_eq!(
            applied_annotations_size(&doc),
            LAST_APPLIED.len() + encoded.len() + 1
        );
        // Other annotations count twice: as annotations and inside the copy.
        let doc = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c", "annotations": {"a": "bc", LAST_APPLIED: "old"}}});
        let encoded = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":{"a":"bc"},"name":"c"}}"#;
        assert_eq!(
            applied_annotations_size(&doc),
            3 + LAST_APPLIED.len() + encoded.len() + 1
        );
    }

    #[test]
    fn thresholds() {
        let overhead = applied_annotations_size(&sized(0, None));
        let warn_at = (LIMIT * 4).div_ceil(5);
        let cases = [
            (warn_at - 1, None),
            (warn_at, Some(Severity::Warning)),
            (LIMIT, Some(Severity::Warning)),
            (LIMIT + 1, Some(Severity::Error)),
        ];
        for (total, expected) in cases {
            let doc = sized(total - overhead, None);
            assert_eq!(applied_annotations_size(&doc), total);
            let found = run(&doc);
            assert_eq!(found.first().map(|f| f.severity), expected, "{total}");
            if let Some(f) = found.first() {
                assert_eq!(f.pointer, "/spec/json");
                let fix = &f.fix.as_ref().expect("fix").description;
                assert!(fix.contains("gzipJson"), "{fix}");
                assert_eq!(
                    fix.contains("bytes instead of"),
                    f.severity == Severity::Error,
                    "{fix}"
                );
            }
        }
    }

    #[test]
    fn server_side_apply_is_info() {
        let ann = json!({SYNC_OPTIONS: "Prune=false, ServerSideApply=true"});
        let found = run(&sized(LIMIT, Some(ann)));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Info);
        let ann = json!({SYNC_OPTIONS: "ServerSideApply=false"});
        assert_eq!(run(&sized(LIMIT, Some(ann)))[0].severity, Severity::Error);
    }

    #[test]
    fn kustomizations_and_small_objects_pass() {
        let k = json!({"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
                       "resources": ["x".repeat(LIMIT)]});
        assert!(run(&k).is_empty());
        assert!(run(&sized(10, None)).is_empty());
        assert!(run(&json!({"spec": "x".repeat(LIMIT)})).is_empty());
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(262_144), "262,144");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
