//! `GET /api/v1/dashboards` (filters `folder`, `q`; `limit`, `offset`) and
//! `GET /api/v1/dashboards/{namespace}/{name}` (with an `ETag`; a matching
//! `If-None-Match` is answered `304 Not Modified`).

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use dashstudio_core::model::Dashboard;
use dashstudio_core::{DashboardFilter, DashboardSummary};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::api::openapi::errors;
use crate::auth::Reader;
use crate::error::ApiError;
use crate::service::snapshot::{Answer, FileStamp};
use crate::state::AppState;

use super::ListPage;

#[derive(Serialize, utoipa::ToSchema)]
pub struct DashboardsResponse {
    /// How many match the filters (all pages).
    pub total: usize,
    pub offset: usize,
    pub dashboards: Vec<DashboardSummary>,
}

/// The dashboards, filtered by folder and text, a page at a time.
///
/// **Role:** viewer (anonymous too when anonymous read is on).
#[utoipa::path(
    get,
    path = "/dashboards",
    operation_id = "dashboards_list",
    tag = "dashboards",
    params(
        ("folder" = Option<String>, Query, description = "Only dashboards in the folder with this exact title"),
        ("q" = Option<String>, Query, description = "Case-insensitive text matched against title, name, uid, tags and query text"),
        ListPage
    ),
    responses(
        (status = 200, description = "One page of the matching dashboards.", body = DashboardsResponse),
        errors::BadRequest,
        errors::Unauthorized,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn list(
    _reader: Reader,
    State(state): State<AppState>,
    Query(filter): Query<DashboardFilter>,
    Query(page): Query<ListPage>,
) -> Result<Response, ApiError> {
    // The same question on the same snapshot gets the same bytes.
    let snapshot = state.snapshot();
    let key = format!(
        "list\u{0}{:?}\u{0}{:?}\u{0}{:?}\u{0}{}",
        filter.folder, filter.q, page.limit, page.offset
    );
    if let Some(answer) = snapshot.answer(&key, None) {
        return Ok(json_response(&answer));
    }
    let dashboards: Vec<DashboardSummary> = snapshot
        .index
        .dashboards(&filter)
        .map(DashboardSummary::from)
        .collect();
    let total = dashboards.len();
    let body = serde_json::to_vec(&DashboardsResponse {
        total,
        offset: page.offset,
        dashboards: page.take(dashboards)?,
    })
    .map_err(|e| ApiError::Internal(format!("serialising the dashboard list: {e}")))?;
    let answer = snapshot.keep_answer(
        key,
        Answer {
            stamp: None,
            body: body.into(),
            etag: None,
        },
    );
    Ok(json_response(&answer))
}

fn json_response(answer: &Answer) -> Response {
    let json = (
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let body = answer.body.clone();
    match &answer.etag {
        Some(etag) => ([json], cache_headers(etag.clone()), body).into_response(),
        None => ([json], body).into_response(),
    }
}

fn cache_headers(etag: HeaderValue) -> [(header::HeaderName, HeaderValue); 2] {
    [
        (header::ETAG, etag),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        ),
    ]
}

/// A dashboard: its summary's fields, what the scanner read (`detail`),
/// the version token and the Grafana JSON.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DashboardResponse {
    #[serde(flatten)]
    pub summary: DashboardSummary,
    pub detail: Dashboard,
    /// Opaque token of what was read; send it back as a draft's `base_version`.
    pub version: Option<String>,
    /// The Grafana dashboard JSON (`null` when it does not parse; see `detail`).
    #[schema(value_type = Option<Object>)]
    pub dashboard: Option<serde_json::Value>,
}

/// One dashboard: its summary, what the scanner read, and its Grafana JSON.
///
/// **Role:** viewer (anonymous too when anonymous read is on). Answers with an `ETag`; send it back in `If-None-Match` to get `304 Not Modified` when nothing changed.
#[utoipa::path(
    get,
    path = "/dashboards/{namespace}/{name}",
    operation_id = "dashboards_get",
    tag = "dashboards",
    params(super::DashboardPath, ("If-None-Match" = Option<String>, Header, description = "An `ETag` from an earlier answer")),
    responses(
        (status = 200, description = "The dashboard.", body = DashboardResponse, headers(("ETag" = String, description = "Identifies this answer; send it back in `If-None-Match`"))), (status = 304, description = "Not modified since the `ETag` in `If-None-Match`.", headers(("ETag" = String, description = "The current tag"))),
        errors::BadRequest,
        errors::Unauthorized,
        errors::NotFound,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn get(
    _reader: Reader,
    State(state): State<AppState>,
    Path((namespace, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snapshot = state.snapshot();
    let index = &snapshot.index;
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
    // Made once per snapshot and file state; one read of the file gives both
    // the version and the dashboard JSON.
    let path = crate::service::drafts::safe_join(&state.repo.path, &d.file);
    let stamp = path.as_deref().and_then(FileStamp::of);
    let key = format!("dashboard\u{0}{namespace}\u{0}{name}");
    let answer = match snapshot.answer(&key, stamp.as_ref()) {
        Some(answer) => answer,
        None => {
            let bytes = path.and_then(|p| std::fs::read(p).ok());
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
            let etag = HeaderValue::from_str(&etag)
                .map_err(|e| ApiError::Internal(format!("etag: {e}")))?;
            snapshot.keep_answer(
                key,
                Answer {
                    stamp,
                    body: body.into(),
                    etag: Some(etag),
                },
            )
        }
    };
    if let Some(etag) = answer.etag.as_ref().filter(|e| matches_etag(&headers, e)) {
        return Ok((StatusCode::NOT_MODIFIED, cache_headers(etag.clone())).into_response());
    }
    Ok(json_response(&answer))
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
