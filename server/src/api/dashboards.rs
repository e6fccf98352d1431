//! `GET /api/v1/dashboards` (filters `folder`, `q`; `limit`, `offset`) and
//! `GET /api/v1/dashboards/{namespace}/{name}` (with an `ETag`; a matching
//! `If-None-Match` is answered `304 Not Modified`).

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dashstudio_core::model::Dashboard;
use dashstudio_core::{DashboardFilter, DashboardSummary};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::auth::Reader;
use crate::error::ApiError;
use crate::state::AppState;

use super::ListPage;

#[derive(Serialize)]
pub struct DashboardsResponse {
    /// How many match the filters (all pages).
    pub total: usize,
    pub offset: usize,
    pub dashboards: Vec<DashboardSummary>,
}

pub async fn list(
    _reader: Reader,
    State(state): State<AppState>,
    Query(filter): Query<DashboardFilter>,
    Query(page): Query<ListPage>,
) -> Result<Json<DashboardsResponse>, ApiError> {
    let index = state.current_index();
    let dashboards: Vec<DashboardSummary> = index
        .dashboards(&filter)
        .map(DashboardSummary::from)
        .collect();
    let total = dashboards.len();
    Ok(Json(DashboardsResponse {
        total,
        offset: page.offset,
        dashboards: page.take(dashboards)?,
    }))
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
    headers: HeaderMap,
) -> Result<Response, ApiError> {
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
    let body = serde_json::to_vec(&DashboardResponse {
        summary: DashboardSummary::from(d),
        detail: d.clone(),
        version: version.map(|v| v.token()),
        dashboard,
    })
    .map_err(|e| ApiError::Internal(format!("serialising {namespace}/{name}: {e}")))?;
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(&body)[..16]));
    let etag =
        HeaderValue::from_str(&etag).map_err(|e| ApiError::Internal(format!("etag: {e}")))?;
    let cache = [
        (header::ETAG, etag.clone()),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        ),
    ];
    if matches_etag(&headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    let json = [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )];
    Ok((cache, json, body).into_response())
}

/// Whether `If-None-Match` names `etag` (or is `*`); weak tags compare equal.
fn matches_etag(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let Ok(etag) = etag.to_str() else {
        return false;
    };
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}
