//! `GET /healthz` and `GET /metrics`.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::openapi::schemas as doc;
use crate::api::openapi::errors;
use crate::state::AppState;

/// Liveness and what is loaded.
///
/// **Public:** no sign-in needed.
#[utoipa::path(
    get,
    path = "/healthz",
    operation_id = "health_healthz",
    tag = "health",
    security(()),
    responses(
        (status = 200, description = "The server is up.", body = doc::HealthSchema),
        errors::Unauthorized,
        errors::Internal
    )
)]
pub async fn healthz(State(state): State<AppState>) -> Json<Value> {
    let index = state.current_index();
    Json(json!({
        "status": "ok",
        "repository": {"kind": state.repo.kind.as_str(), "head": state.snapshot().head, "source": state.repo.source},
        "dashboards": index.dashboards.len(),
    }))
}

/// Prometheus metrics (text exposition format 0.0.4).
///
/// **Public:** no sign-in needed.
#[utoipa::path(
    get,
    path = "/metrics",
    operation_id = "health_metrics",
    tag = "health",
    security(()),
    responses(
        (status = 200, description = "The metrics.", body = String, content_type = "text/plain; version=0.0.4; charset=utf-8"),
        errors::Unauthorized,
        errors::Internal
    )
)]
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
