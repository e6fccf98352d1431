//! Table-driven tests of the datasource, variable and query checks on small
//! repositories built in memory, through the whole engine.

use crate::validate::{validate, Options, Report, Repository, Severity};

fn dashboard(name: &str, json: &str, extra_spec: &str) -> String {
    let indented: String = json.lines().map(|l| format!("    {l}\n")).collect();
    format!(
        "apiVersion: grafana.integreatly.org/v1beta1\nkind: GrafanaDashboard\nmetadata:\n  name: {name}\nspec:\n  instanceSelector:\n    matchLabels:\n      dashboards: grafana\n  folder: Ops\n{extra_spec}  json: |\n{indented}"
    )
}

const DATASOURCES: &str = "apiVersion: grafana.integreatly.org/v1beta1\nkind: GrafanaDatasource\nmetadata:\n  name: prom\nspec:\n  instanceSelector:\n    matchLabels:\n      dashboards: grafana\n  datasource:\n    name: Prometheus\n    type: prometheus\n    uid: prom\n---\napiVersion: grafana.integreatly.org/v1beta1\nkind: GrafanaDatasource\nmetadata:\n  name: loki\nspec:\n  instanceSelector:\n    matchLabels:\n      dashboards: grafana\n  datasource:\n    name: Loki\n    type: loki\n    uid: loki\n";

fn run(json: &str, extra_spec: &str) -> Report {
    let dash = dashboard("d", json, extra_spec);
    let files = [
        ("d.yaml", dash.as_bytes()),
        ("ds.yaml", DATASOURCES.as_bytes()),
    ];
    validate(&Repository::from_files(files), &Options::default())
}

/// The (code, severity) pairs a case expects.
type Expected = &'static [(&'static str, Severity)];

/// The diagnostics these tests are about: the strict dashboard schema
/// (tested in `schema/`) has its say on these small hand-written dashboards.
fn relevant(report: &Report) -> impl Iterator<Item = &crate::validate::Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.code != "dashboard/schema")
}

fn codes(report: &Report) -> Vec<(&str, Severity)> {
    relevant(report)
        .map(|d| (d.code.as_str(), d.severity))
        .collect()
}

fn panel(ds: &str, expr: &str) -> String {
    format!(
        r#"{{"uid": "u", "title": "T", "panels": [{{"id": 1, "type": "timeseries", "datasource": {ds}, "gridPos": {{"x": 0, "y": 0, "w": 12, "h": 8}}, "targets": [{{"refId": "A", "expr": {expr}}}]}}]}}"#,
        expr = serde_json::to_string(expr).expect("string")
    )
}

#[test]
fn datasource_references() {
    let cases: [(&str, &str, &[&str]); 9] = [
        (r#"{"type": "prometheus", "uid": "prom"}"#, "", &[]),
        (r#""Prometheus""#, "", &[]),
        (r#"{"type": "prometheus"}"#, "", &[]),
        (r#"{"type": "datasource", "uid": "grafana"}"#, "", &[]),
        (
            r#"{"type": "prometheus", "uid": "nope"}"#,
            "",
            &["datasource/unresolved"],
        ),
        (
            r#"{"type": "prometheus", "uid": "${DS_PROMETHEUS}"}"#,
            "",
            &["datasource/unresolved"],
        ),
        (
            r#"{"type": "prometheus", "uid": "${DS_PROMETHEUS}"}"#,
            "  datasources:\n    - inputName: DS_PROMETHEUS\n      datasourceName: Prometheus\n",
            &[],
        ),
        (
            r#"{"type": "prometheus", "uid": "${DS_PROMETHEUS}"}"#,
            "  datasources:\n    - inputName: DS_PROMETHEUS\n      datasourceName: Gone\n",
            &["datasource/unresolved"],
        ),
        (
            r#"{"type": "prometheus", "uid": "$undefined_ds"}"#,
            "",
            &["datasource/unresolved"],
        ),
    ];
    for (ds, spec, expected) in cases {
        let report = run(&panel(ds, "up"), spec);
        let got: Vec<&str> = relevant(&report).map(|d| d.code.as_str()).collect();
        assert_eq!(got, expected, "{ds} {spec}: {:?}", report.diagnostics);
    }
}

#[test]
fn import_placeholder_fix_names_the_likely_datasource() {
    let report = run(
        &panel(r#"{"type": "prometheus", "uid": "${DS_PROMETHEUS}"}"#, "up"),
        "",
    );
    let d = relevant(&report).next().expect("reported");
    assert!(d.message.contains("import placeholder"), "{}", d.message);
    let fix = &d.fix.as_ref().expect("a fix").description;
    assert!(
        fix.contains(r#"inputName: "DS_PROMETHEUS", datasourceName: "Prometheus""#),
        "{fix}"
    );
    // Placed on the datasource uid line in the YAML.
    assert_eq!(d.pointer.as_deref(), Some("/panels/0/datasource"));
}

#[test]
fn query_syntax_with_positions_in_the_file() {
    let ok = run(
        &panel(
            r#"{"type": "prometheus", "uid": "prom"}"#,
            "sum(rate(x[5m])) by (pod)",
        ),
        "",
    );
    assert_eq!(codes(&ok), []);
    let broken = run(
        &panel(
            r#"{"type": "prometheus", "uid": "prom"}"#,
            "sum(rate(x[5m]) by (pod)",
        ),
        "",
    );
    assert_eq!(codes(&broken), [("promql/syntax", Severity::Error)]);
    let d = relevant(&broken).next().expect("reported");
    assert!(
        d.message.contains("unclosed left parenthesis"),
        "{}",
        d.message
    );
    assert_eq!(d.pointer.as_deref(), Some("/panels/0/targets/0/expr"));
    // promql-parser gives no position; `locate` finds the unclosed `(` of
    // `sum(`, and the column is that character's in the YAML line.
    assert!(d.message.contains("at character 4"), "{}", d.message);
    let yaml = dashboard(
        "d",
        &panel(
            r#"{"type": "prometheus", "uid": "prom"}"#,
            "sum(rate(x[5m]) by (pod)",
        ),
        "",
    );
    let line = yaml.lines().nth(d.line - 1).expect("line");
    assert_eq!(&line[d.column - 1..d.column + 3], "(rat");
}

#[test]
fn variables_are_interpolated_before_parsing() {
    let with_vars = |templating: &str, expr: &str| {
        let json = panel(r#"{"type": "prometheus", "uid": "prom"}"#, expr).replacen(
            "{\"uid\": \"u\",",
            &format!("{{\"uid\": \"u\", \"templating\": {{\"list\": [{templating}]}},"),
            1,
        );
        run(&json, "")
    };
    let interval = r#"{"name": "iv", "type": "interval", "query": "1m,5m", "current": {"value": "$__auto_interval_iv"}}"#;
    let custom = r#"{"name": "job", "type": "custom", "multi": true, "query": "a,b", "current": {"value": ["a", "b"]}}"#;
    let query_var = r#"{"name": "pod", "type": "query", "query": "label_values(pod)"}"#;
    let filter = r#"{"name": "filter", "type": "query", "query": "label_values(x)"}"#;
    let cases: [(&str, &str, Expected); 7] = [
        // Only some values of a run-time variable make it parse: info, never an error.
        (
            filter,
            "up{$filter}",
            &[("query/unverifiable", Severity::Info)],
        ),
        (interval, "rate(x[$iv])", &[]),
        (custom, "up{job=~\"$job\"}", &[]),
        (query_var, "up{pod=~\"$pod\"} > 0", &[]),
        // A syntax error before any unknowable value: certainly broken.
        (
            query_var,
            "sum(up{pod=~\"$pod\"}",
            &[("promql/syntax", Severity::Error)],
        ),
        (
            custom,
            "rate(x{job=~\"$job\"}[$__rate_interval]) + $missing",
            &[("variable/undefined", Severity::Error)],
        ),
        (
            r#"{"name": "t", "type": "constant", "query": "${VAR_T}"}"#,
            "up > $t",
            &[("variable/import-input", Severity::Error)],
        ),
    ];
    for (var, expr, expected) in cases {
        let report = with_vars(var, expr);
        assert_eq!(codes(&report), expected, "{expr}: {:?}", report.diagnostics);
    }
}

#[test]
fn unused_variables_are_info() {
    let json = panel(r#"{"type": "prometheus", "uid": "prom"}"#, "up").replacen(
        "{\"uid\": \"u\",",
        r#"{"uid": "u", "templating": {"list": [{"name": "lonely", "type": "custom", "query": "a"}, {"name": "f", "type": "adhoc"}]},"#,
        1,
    );
    let report = run(&json, "");
    assert_eq!(codes(&report), [("variable/unused", Severity::Info)]);
    assert!(relevant(&report).any(|d| d.message.contains("`lonely`")));
}
