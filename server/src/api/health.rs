//! `GET /healthz` and `GET /metrics`.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::state::AppState;

pub async fn healthz(State(state): State<AppState>) -> Json<Value> {
    let index = state.current_index();
    Json(json!({
        "status": "ok",
        "repository": {"kind": state.repo.kind.as_str(), "head": state.snapshot().head, "source": state.repo.source},
        "dashboards": index.dashboards.len(),
    }))
}

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let index = state.current_index();
    let body = state.metrics.render(&[
        (
            "dashstudio_dashboards",
            "GrafanaDashboard resources indexed.",
            index.dashboards.len() as f64,
        ),
        (
            "dashstudio_dashboards_broken",
            "Dashboards whose embedded JSON does not parse.",
            index.broken().count() as f64,
        ),
        (
            "dashstudio_folders",
            "Folder tiers.",
            index.folders().len() as f64,
        ),
        (
            "dashstudio_files_scanned",
            "YAML files read by the last scan.",
            index.files as f64,
        ),
    ]);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
}
