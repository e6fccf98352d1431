//! Validating one submitted document (the `POST /api/v1/validate` body, the
//! editor's buffer): a CRD YAML manifest, or a bare dashboard JSON.

use super::diagnostic::Report;
use super::engine::{validate, Options, Repository};

/// The file name diagnostics carry for a submitted manifest.
pub const MANIFEST_NAME: &str = "manifest.yaml";
/// The file name diagnostics carry for a submitted dashboard JSON.
pub const DASHBOARD_NAME: &str = "dashboard.json";

/// Lines of the manifest wrapped around a bare dashboard JSON, before its
/// first line, and the indentation of its lines inside the block scalar.
const WRAP_LINES: usize = 10;
const WRAP_INDENT: usize = 4;

/// Validates one document. A JSON object without `apiVersion` is taken as a
/// dashboard; anything else as a YAML manifest (one or more documents).
/// Positions refer to the submitted text.
pub fn validate_document(text: &str, options: &Options) -> Report {
    let trimmed = text.trim_start();
    let is_dashboard = trimmed.starts_with('{')
        && serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text)
            .map_or(true, |o| !o.contains_key("apiVersion"));
    if !is_dashboard {
        let repo = Repository::from_files([(MANIFEST_NAME, text.as_bytes())]);
        return validate(&repo, options);
    }
    let mut wrapped = String::with_capacity(text.len() + text.lines().count() * WRAP_INDENT + 200);
    wrapped.push_str(
        "apiVersion: grafana.integreatly.org/v1beta1\nkind: GrafanaDashboard\nmetadata:\n  name: submitted\nspec:\n  instanceSelector:\n    matchLabels:\n      dashboards: grafana\n  folder: Submitted\n  json: |\n",
    );
    for line in text.lines() {
        wrapped.push_str("    ");
        wrapped.push_str(line);
        wrapped.push('\n');
    }
    let repo = Repository::from_files([(DASHBOARD_NAME, wrapped.as_bytes())]);
    let mut report = validate(&repo, options);
    // The manifest around the JSON is ours: only the dashboard's problems count.
    report
        .diagnostics
        .retain(|d| !d.code.starts_with("crd/") && !d.code.starts_with("kustomize/"));
    report = Report::new(report.summary, report.diagnostics);
    for d in &mut report.diagnostics {
        d.dashboard = None;
        if d.line > WRAP_LINES {
            d.line -= WRAP_LINES;
            d.column = d.column.saturating_sub(WRAP_INDENT).max(1);
        } else {
            (d.line, d.column) = (1, 1);
        }
    }
    report.summary.files = 1;
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_dashboard_positions_refer_to_the_json() {
        let json = "{\n  \"uid\": \"x\",\n  \"panels\": [\n    {\"id\": 1, \"type\": \"graph\", \"title\": \"A\"}\n  ]\n}\n";
        let report = validate_document(json, &Options::default());
        let d = report
            .with_code("panel/deprecated-type")
            .next()
            .expect("graph is deprecated");
        assert_eq!((d.file.as_str(), d.line, d.column), (DASHBOARD_NAME, 4, 23));
        assert_eq!(&json.lines().nth(3).expect("line")[22..29], "\"graph\"");
    }

    #[test]
    fn broken_dashboard_json_is_located() {
        let json = "{\n  \"uid\": \"x\",\n  \"panels\": [}\n}\n";
        let report = validate_document(json, &Options::default());
        let d = report.with_code("json/syntax").next().expect("reported");
        assert_eq!((d.line, d.column), (3, 14));
        assert!(report.has_errors());
    }

    #[test]
    fn manifests_are_validated_as_yaml() {
        let yaml = "apiVersion: grafana.integreatly.org/v1beta1\nkind: GrafanaDashboard\nmetadata:\n  name: m\nspec:\n  json: |\n    {\"uid\": \"m\", \"panels\": [}\n";
        let report = validate_document(yaml, &Options::default());
        let d = report.with_code("json/syntax").next().expect("reported");
        assert_eq!((d.file.as_str(), d.line), (MANIFEST_NAME, 7));
        let bad_yaml = validate_document("a: [\n", &Options::default());
        assert_eq!(bad_yaml.with_code("yaml/syntax").count(), 1);
    }
}
