//! `POST /api/v1/validate` through the real router over the generated demo
//! repository: dashboard JSON and manifests, datasources known from the repo,
//! and clear 4xx errors for bodies that are not documents.

use std::path::Path;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use dashstudio_server::config::ServeConfig;
use dashstudio_server::{router, serve};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

async fn demo_app(data: &Path) -> Router {
    let mut config = ServeConfig::new(None, data.to_path_buf());
    config.site_root = data.join("site");
    config.auth.bootstrap_token = Some(TOKEN.to_owned());
    router::build(serve::prepare(&config).await.expect("demo repository"))
}

/// The bootstrap admin token every request carries (sign-in is required).
const TOKEN: &str = "test-bootstrap-token-0123456789";

async fn send(app: &Router, method: Method, body: &str) -> (StatusCode, Value) {
    let response = app
        .clone()
        .oneshot(
            Request::builder()
                .header("authorization", format!("Bearer {TOKEN}"))
                .method(method)
                .uri("/api/v1/validate")
                .body(Body::from(body.to_owned()))
                .expect("request"),
        )
        .await
        .expect("infallible");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, json)
}

fn dashboard(datasource_uid: &str, expr: &str) -> String {
    serde_json::json!({
        "uid": "submitted", "title": "Submitted",
        "panels": [{"id": 1, "type": "timeseries", "title": "P",
                    "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
                    "datasource": {"type": "prometheus", "uid": datasource_uid},
                    "targets": [{"refId": "A", "expr": expr}]}]
    })
    .to_string()
}

fn codes(report: &Value) -> Vec<&str> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code"))
        // The strict dashboard schema's info notes on this minimal dashboard.
        .filter(|c| *c != "dashboard/schema")
        .collect()
}

#[tokio::test]
async fn dashboard_json_against_the_repository_datasources() {
    let data = tempfile::tempdir().expect("tempdir");
    let app = demo_app(data.path()).await;

    let (status, clean) = send(
        &app,
        Method::POST,
        &dashboard("prometheus", "sum(rate(up[5m]))"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(clean["summary"]["errors"], 0, "{clean}");
    assert_eq!(clean["summary"]["queries"], 1);

    let (_, unknown) = send(&app, Method::POST, &dashboard("nope", "up")).await;
    assert_eq!(codes(&unknown), ["datasource/unresolved"]);
    let unresolved = unknown["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "datasource/unresolved")
        .expect("reported");
    assert!(unresolved["fix"]["description"]
        .as_str()
        .expect("fix")
        .contains("prometheus"));

    let (_, broken) = send(
        &app,
        Method::POST,
        &dashboard("prometheus", "sum(rate(up[5m])"),
    )
    .await;
    assert_eq!(codes(&broken), ["promql/syntax"]);
    let d = broken["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "promql/syntax")
        .expect("reported");
    assert_eq!(d["file"], "dashboard.json");
    assert_eq!(d["pointer"], "/panels/0/targets/0/expr");
    assert_eq!(d["line"], 1);
}

#[tokio::test]
async fn manifests_and_broken_bodies() {
    let data = tempfile::tempdir().expect("tempdir");
    let app = demo_app(data.path()).await;
    let manifest = "apiVersion: grafana.integreatly.org/v1beta1\nkind: GrafanaDashboard\nmetadata:\n  name: m\nspec:\n  instanceSelector:\n    matchLabels:\n      dashboards: grafana\n  folder: Ops\n  json: |\n    {\"uid\": \"m\", \"title\": \"M\",\n     \"panels\": [}\n";
    let (status, report) = send(&app, Method::POST, manifest).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(codes(&report), ["json/syntax"]);
    assert_eq!(
        (
            report["diagnostics"][0]["line"].as_u64(),
            report["diagnostics"][0]["file"].as_str()
        ),
        (Some(12), Some("manifest.yaml"))
    );

    let (status, empty) = send(&app, Method::POST, "  \n").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(empty["error"]["code"], "bad_request");
    assert!(empty["error"]["message"]
        .as_str()
        .expect("message")
        .contains("empty"));

    let (status, _) = send(&app, Method::GET, "").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn the_demo_repository_validates_without_errors() {
    let data = tempfile::tempdir().expect("tempdir");
    let _app = demo_app(data.path()).await;
    let report =
        dashstudio_server::cli::validate::validate_path(&data.path().join("demo-repo"), Vec::new())
            .expect("validates");
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == dashstudio_core::validate::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(report.summary.dashboards, 16);
    assert!(report.summary.queries > 16);
}
