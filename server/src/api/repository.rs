//! The repository itself: `POST /api/v1/repository/fetch` (fetch origin now,
//! re-index what changed), `GET /api/v1/audit` (the audit log, paginated) and
//! `GET /api/v1/dashboards/{namespace}/{name}/history` (the file's git log).

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::openapi::schemas as doc;
use crate::api::openapi::errors;
use crate::auth::{AnyUser, Authorized, EditorWrite, Reader};
use crate::db::audit::{self, AuditEntry};
use crate::error::ApiError;
use crate::git::CommitInfo;
use crate::service::background::{self, FetchReport};
use crate::state::AppState;

/// Fetch origin now and re-index what changed.
///
/// **Role:** editor (a write-scoped token).
#[utoipa::path(
    post,
    path = "/repository/fetch",
    operation_id = "repository_fetch",
    tag = "repository",
    responses(
        (status = 200, description = "What the fetch changed.", body = doc::FetchReportSchema),
        errors::Unauthorized,
        errors::Forbidden,
        errors::Conflict,
        errors::PayloadTooLarge,
        errors::Internal
    )
)]
pub async fn fetch(
    _editor: Authorized<EditorWrite>,
    State(state): State<AppState>,
) -> Result<Json<FetchReport>, ApiError> {
    Ok(Json(background::fetch(&state).await?))
}

/// `?limit=&offset=` of the audit log.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// How many entries (1 to 500; default 50).
    #[serde(default = "default_limit")]
    #[param(minimum = 1, maximum = 500, default = 50)]
    pub limit: i64,
    /// How many to skip, newest first.
    #[serde(default)]
    #[param(minimum = 0, maximum = 9007199254740991_i64)]
    pub offset: i64,
}

fn default_limit() -> i64 {
    50
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    #[schema(value_type = Vec<doc::AuditEntrySchema>)]
    pub entries: Vec<AuditEntry>,
    pub limit: i64,
    pub offset: i64,
}

/// The audit log, newest first, a page at a time.
///
/// **Role:** viewer.
#[utoipa::path(
    get,
    path = "/audit",
    operation_id = "repository_audit",
    tag = "repository",
    params(Page),
    responses(
        (status = 200, description = "One page of the audit log.", body = AuditPage),
        errors::BadRequest,
        errors::Unauthorized,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn audit(
    _user: Authorized<AnyUser>,
    State(state): State<AppState>,
    Query(page): Query<Page>,
) -> Result<Json<AuditPage>, ApiError> {
    if !(1..=500).contains(&page.limit) || !(0..=super::MAX_OFFSET as i64).contains(&page.offset) {
        return Err(ApiError::BadRequest(format!(
            "`limit` must be 1..=500 and `offset` 0..={}",
            super::MAX_OFFSET
        )));
    }
    let entries = audit::recent(&state.db, page.limit, page.offset).await?;
    Ok(Json(AuditPage {
        entries,
        limit: page.limit,
        offset: page.offset,
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct History {
    /// The file, relative to the repository root.
    pub file: String,
    #[schema(value_type = Vec<doc::CommitInfoSchema>)]
    pub commits: Vec<CommitInfo>,
}

/// The Git history of a dashboard's file (the last 100 commits).
///
/// **Role:** viewer (anonymous too when anonymous read is on).
#[utoipa::path(
    get,
    path = "/dashboards/{namespace}/{name}/history",
    operation_id = "repository_history",
    tag = "dashboards",
    params(super::DashboardPath),
    responses(
        (status = 200, description = "The commits that changed the file, newest first.", body = History),
        errors::BadRequest,
        errors::Unauthorized,
        errors::NotFound,
        errors::Conflict,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn history(
    _reader: Reader,
    State(state): State<AppState>,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<Json<History>, ApiError> {
    let index = state.current_index();
    let file = index
        .dashboard(&namespace, &name)
        .map(|d| d.file.clone())
        .ok_or_else(|| ApiError::NotFound(format!("no GrafanaDashboard {namespace}/{name}")))?;
    let writer = state
        .writer
        .as_ref()
        .ok_or_else(|| ApiError::conflict("a plain directory has no history"))?;
    let path = file.clone();
    let commits = writer.with_git(move |g| g.log(&path, 100)).await??;
    Ok(Json(History { file, commits }))
}
