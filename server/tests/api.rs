//! The real router (`oneshot`) over a real SQLite file, on the real corpus and
//! on the generated demo Git repository: every endpoint, including 404s.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use dashstudio_server::config::ServeConfig;
use dashstudio_server::state::{AppState, RepoKind};
use dashstudio_server::{db, router, serve};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/talos-homelab");
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipping: corpus not found at {}", p.display());
        None
    }
}

fn config(repo: Option<PathBuf>, data_dir: &Path) -> ServeConfig {
    let mut config = ServeConfig::new(
        repo.map(|p| p.display().to_string()),
        data_dir.to_path_buf(),
    );
    config.site_root = data_dir.join("site");
    config.auth.bootstrap_token = Some(TOKEN.to_owned());
    config
}

/// The bootstrap admin token every request here carries (sign-in is required).
const TOKEN: &str = "test-bootstrap-token-0123456789";

async fn get(app: &Router, uri: &str) -> (StatusCode, String) {
    let response = app
        .clone()
        .oneshot(
            Request::get(uri)
                .header("authorization", format!("Bearer {TOKEN}"))
                .body(Body::empty())
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
    (
        status,
        String::from_utf8(bytes.to_vec()).expect("utf-8 body"),
    )
}

async fn get_json(app: &Router, uri: &str) -> (StatusCode, Value) {
    let (status, body) = get(app, uri).await;
    let json =
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {body}"));
    (status, json)
}

async fn corpus_app(data: &Path) -> Option<(AppState, Router)> {
    let repo = corpus()?;
    let state = serve::prepare(&config(Some(repo), data))
        .await
        .expect("prepare");
    Some((state.clone(), router::build(state)))
}

#[tokio::test]
async fn folders_and_dashboards_over_the_api() {
    let data = tempfile::tempdir().expect("tempdir");
    let Some((state, app)) = corpus_app(data.path()).await else {
        return;
    };
    assert_eq!(state.repo.kind, RepoKind::Directory);
    let index = state.current_index();

    let (status, folders) = get_json(&app, "/api/v1/folders").await;
    assert_eq!(status, StatusCode::OK);
    let folders = folders["folders"].as_array().expect("folders");
    let sum: u64 = folders
        .iter()
        .map(|f| f["dashboards"].as_u64().expect("count"))
        .sum();
    assert_eq!(sum as usize, index.dashboards.len());
    let kubernetes = folders
        .iter()
        .find(|f| f["title"] == "Kubernetes")
        .expect("Kubernetes tier");

    let (status, all) = get_json(&app, "/api/v1/dashboards").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["total"].as_u64(), Some(index.dashboards.len() as u64));
    assert!(all["dashboards"]
        .as_array()
        .expect("list")
        .iter()
        .any(|d| d["broken"] == true));

    let (_, k8s) = get_json(&app, "/api/v1/dashboards?folder=Kubernetes").await;
    assert_eq!(k8s["total"], kubernetes["dashboards"]);
    assert!(k8s["dashboards"]
        .as_array()
        .expect("list")
        .iter()
        .all(|d| d["folder"] == "Kubernetes"));

    let (_, etcd) = get_json(&app, "/api/v1/dashboards?q=etcd").await;
    let hits = etcd["total"].as_u64().expect("total");
    assert!(hits >= 1 && hits < all["total"].as_u64().expect("total"));

    let (_, spaced) = get_json(&app, "/api/v1/dashboards?folder=Executive%20Overview").await;
    assert_eq!(spaced["total"], 2);
    let (_, none) = get_json(&app, "/api/v1/dashboards?folder=No%20Such%20Folder").await;
    assert_eq!(none["total"], 0);
}

#[tokio::test]
async fn one_dashboard_and_its_404s() {
    let data = tempfile::tempdir().expect("tempdir");
    let Some((_, app)) = corpus_app(data.path()).await else {
        return;
    };
    let (status, d) = get_json(&app, "/api/v1/dashboards/grafana/tier0-k8s-global-view").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(d["uid"], "tier0-k8s-global");
    assert_eq!(d["folder"], "Executive Overview");
    let panels = d["detail"]["model"]["panels"].as_array().expect("panels");
    assert!(!panels.is_empty());
    assert_eq!(panels[0]["targets"][0]["language"], "promql");

    let (status, broken) = get_json(&app, "/api/v1/dashboards/grafana/tier0-node-system").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(broken["broken"], true);
    assert!(
        broken["detail"]["contentError"]["line"]
            .as_u64()
            .expect("line")
            > 1
    );

    let (status, err) = get_json(&app, "/api/v1/dashboards/grafana/no-such-dashboard").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["error"]["code"], "not_found");
    assert!(err["error"]["message"]
        .as_str()
        .expect("message")
        .contains("grafana/no-such-dashboard"));

    let (status, err) = get_json(&app, "/api/v1/dashboards/monitoring/tier0-k8s-global-view").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(err["error"]["message"]
        .as_str()
        .expect("message")
        .contains("exists in namespace \"grafana\""));

    let (status, err) = get_json(&app, "/api/v1/no-such-endpoint").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["error"]["code"], "not_found");
}

#[tokio::test]
async fn health_and_metrics() {
    let data = tempfile::tempdir().expect("tempdir");
    let Some((state, app)) = corpus_app(data.path()).await else {
        return;
    };
    let (status, health) = get_json(&app, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["status"], "ok");
    assert_eq!(
        health["dashboards"].as_u64(),
        Some(state.current_index().dashboards.len() as u64)
    );

    get(&app, "/api/v1/folders").await;
    get(&app, "/api/v1/folders").await;
    let (status, text) = get(&app, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        text.contains("dashstudio_http_requests_total{method=\"GET\",route=\"/api/v1/folders\",status=\"200\"} 2"),
        "{text}"
    );
    assert!(text.contains(&format!(
        "dashstudio_dashboards {}",
        state.current_index().dashboards.len()
    )));
    assert!(text.contains("dashstudio_dashboards_broken 3"));

    let rows = db::repositories(&state.db).await.expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].kind, "directory");
}

#[tokio::test]
async fn pages_render_on_the_server() {
    let data = tempfile::tempdir().expect("tempdir");
    let Some((state, app)) = corpus_app(data.path()).await else {
        return;
    };
    let (status, home) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("class=\"folder-link") || home.contains("folder-link"),
        "sidebar rendered"
    );
    assert!(home.contains("data-folder=\"Kubernetes\""));

    let (status, folder) = get(&app, "/folders/Kubernetes").await;
    assert_eq!(status, StatusCode::OK);
    let expected = state
        .current_index()
        .folders()
        .into_iter()
        .find(|f| f.title == "Kubernetes")
        .expect("tier")
        .dashboards;
    assert_eq!(folder.matches("class=\"dashboard-link\"").count(), expected);

    let (status, page) = get(&app, "/dashboards/grafana/tier0-k8s-global-view").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Tier 0: Kubernetes Global View"));
    assert!(page.matches("class=\"panel-box").count() >= 4);

    let (status, broken) = get(&app, "/dashboards/grafana/tier0-node-system").await;
    assert_eq!(status, StatusCode::OK);
    assert!(broken.contains("badge-broken") && broken.contains("parse-error"));

    let (status, missing) = get(&app, "/dashboards/grafana/no-such-dashboard").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing.contains("Not found"));
}

#[tokio::test]
async fn demo_repository_is_generated_once_and_browsable() {
    let data = tempfile::tempdir().expect("tempdir");
    let state = serve::prepare(&config(None, data.path()))
        .await
        .expect("prepare demo");
    assert_eq!(state.repo.kind, RepoKind::Git);
    let head = state.snapshot().head.clone().expect("demo has a commit");
    let index = state.current_index();
    assert!(
        index.dashboards.len() >= 12,
        "{} dashboards",
        index.dashboards.len()
    );
    assert!(index.folders().len() >= 5);
    assert!(index.problems.is_empty(), "{:?}", index.problems);
    assert!(index.broken().next().is_none());
    let languages: std::collections::HashSet<_> = index
        .dashboards
        .iter()
        .filter_map(|d| d.model.as_ref())
        .flat_map(|m| m.all_targets().map(|(_, t)| t.language))
        .collect();
    use dashstudio_core::model::QueryLanguage::*;
    for lang in [PromQL, LogQL, TraceQL] {
        assert!(languages.contains(&lang), "demo has {lang:?} panels");
    }
    assert!(
        index.datasources.len() >= 3 && index.datasources.iter().all(|d| d.deployment.is_listed())
    );
    let app = router::build(state);
    let (status, folders) = get_json(&app, "/api/v1/folders").await;
    assert_eq!(status, StatusCode::OK);
    assert!(folders["folders"].as_array().expect("folders").len() >= 5);

    // A second start reuses the repository rather than regenerating it.
    drop(app);
    let again = serve::prepare(&config(None, data.path()))
        .await
        .expect("prepare again");
    assert_eq!(again.snapshot().head.as_deref(), Some(head.as_str()));
}

#[tokio::test]
async fn a_missing_repository_is_a_clear_error() {
    let data = tempfile::tempdir().expect("tempdir");
    let missing = data.path().join("nope");
    let Err(err) = serve::prepare(&config(Some(missing.clone()), data.path())).await else {
        panic!("a missing repository must not open");
    };
    let text = format!("{err:#}");
    assert!(
        text.contains("cannot be opened") && text.contains("nope"),
        "{text}"
    );
}

#[tokio::test]
async fn unreadable_files_are_reported_not_fatal() {
    let data = tempfile::tempdir().expect("tempdir");
    let repo = data.path().join("repo");
    std::fs::create_dir_all(repo.join("dash")).expect("mkdir");
    std::fs::write(
        repo.join("kustomization.yaml"),
        "resources:\n  - dash/ok.yaml\n",
    )
    .expect("write");
    std::fs::write(
        repo.join("dash/ok.yaml"),
        "apiVersion: grafana.integreatly.org/v1beta1\nkind: GrafanaDashboard\nmetadata:\n  name: ok\n  namespace: grafana\nspec:\n  folder: Ops\n  json: '{\"uid\": \"ok\", \"title\": \"OK\"}'\n",
    )
    .expect("write");
    std::fs::write(
        repo.join("dash/broken.yaml"),
        "kind: GrafanaDashboard\nspec: [unclosed\n",
    )
    .expect("write");
    std::fs::write(repo.join("latin1.yaml"), [b'a', b':', b' ', 0xe9, b'\n']).expect("write");
    let state = serve::prepare(&config(Some(repo), data.path()))
        .await
        .expect("prepare");
    assert_eq!(state.repo.kind, RepoKind::Directory);
    let app = router::build(state);

    let (status, problems) = get_json(&app, "/api/v1/problems").await;
    assert_eq!(status, StatusCode::OK);
    let files: Vec<&str> = problems["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| p["file"].as_str().expect("file"))
        .collect();
    assert_eq!(files, vec!["dash/broken.yaml", "latin1.yaml"]);
    assert!(problems["problems"][0]["line"].as_u64().expect("line") >= 2);

    let (_, list) = get_json(&app, "/api/v1/dashboards").await;
    assert_eq!(list["total"], 1);
    let (status, home) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("Files that could not be read (2)"),
        "home page lists them"
    );
    assert!(home.contains("dash/broken.yaml:"));
}
