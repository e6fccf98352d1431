//! `GET /api/v1/dashboards` (filters `folder`, `q`) and
//! `GET /api/v1/dashboards/{namespace}/{name}`.

use axum::extract::{Path, Query, State};
use axum::Json;
use dashstudio_core::model::Dashboard;
use dashstudio_core::{DashboardFilter, DashboardSummary};
use serde::Serialize;

use crate::auth::Reader;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Serialize)]
pub struct DashboardsResponse {
    pub total: usize,
    pub dashboards: Vec<DashboardSummary>,
}

pub async fn list(
    _reader: Reader,
    State(state): State<AppState>,
    Query(filter): Query<DashboardFilter>,
) -> Json<DashboardsResponse> {
    let index = state.current_index();
    let dashboards: Vec<DashboardSummary> = index
        .dashboards(&filter)
        .map(DashboardSummary::from)
        .collect();
    Json(DashboardsResponse {
        total: dashboards.len(),
        dashboards,
    })
}

#[derive(Serialize)]
pub struct DashboardResponse {
    #[serde(flatten)]
    pub summary: DashboardSummary,
    pub detail: Dashboard,
    /// Opaque token of what was read; send it back as a draft's `base_version`.
    pub version: Option<String>,
    /// The Grafana dashboard JSON (`null` when it does not parse; see `detail`).
    pub dashboard: Option<serde_json::Value>,
}

pub async fn get(
    _reader: Reader,
    State(state): State<AppState>,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<Json<DashboardResponse>, ApiError> {
    let index = state.current_index();
    let d = index.dashboard(&namespace, &name).ok_or_else(|| {
        let hint = match index.dashboards.iter().find(|d| d.name == name) {
            Some(other) => format!(
                "; a dashboard named {name:?} exists in namespace {:?}",
                other.namespace
            ),
            None => "; GET /api/v1/dashboards lists them".to_owned(),
        };
        ApiError::NotFound(format!(
            "no GrafanaDashboard {namespace}/{name} in the repository{hint}"
        ))
    })?;
    // One read of the file gives both the version and the dashboard JSON.
    let snapshot = state.snapshot();
    let bytes = crate::service::drafts::safe_join(&state.repo.path, &d.file)
        .and_then(|p| std::fs::read(p).ok());
    let version = bytes
        .as_deref()
        .and_then(|b| crate::service::drafts::version_of(&snapshot, b));
    let dashboard = bytes
        .as_deref()
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|text| dashstudio_core::edit::open_dashboard(text, d.document).ok())
        .map(|(_, value)| value);
    Ok(Json(DashboardResponse {
        summary: DashboardSummary::from(d),
        detail: d.clone(),
        version: version.map(|v| v.token()),
        dashboard,
    }))
}
