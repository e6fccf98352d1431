//! The repository itself: `POST /api/v1/repository/fetch` (fetch origin now,
//! re-index what changed), `GET /api/v1/audit` (the audit log, paginated) and
//! `GET /api/v1/dashboards/{namespace}/{name}/history` (the file's git log).

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::auth::{AnyUser, Authorized, EditorWrite, Reader};
use crate::db::audit::{self, AuditEntry};
use crate::error::ApiError;
use crate::git::CommitInfo;
use crate::service::background::{self, FetchReport};
use crate::state::AppState;

pub async fn fetch(
    _editor: Authorized<EditorWrite>,
    State(state): State<AppState>,
) -> Result<Json<FetchReport>, ApiError> {
    Ok(Json(background::fetch(&state).await?))
}

#[derive(Deserialize)]
pub struct Page {
    #[serde(default = "default_limit")]
    pub limit: i64,
    #[serde(default)]
    pub offset: i64,
}

fn default_limit() -> i64 {
    50
}

#[derive(Serialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn audit(
    _user: Authorized<AnyUser>,
    State(state): State<AppState>,
    Query(page): Query<Page>,
) -> Result<Json<AuditPage>, ApiError> {
    if !(1..=500).contains(&page.limit) || page.offset < 0 {
        return Err(ApiError::BadRequest(
            "`limit` must be 1..=500 and `offset` not negative".to_owned(),
        ));
    }
    let entries = audit::recent(&state.db, page.limit, page.offset).await?;
    Ok(Json(AuditPage {
        entries,
        limit: page.limit,
        offset: page.offset,
    }))
}

#[derive(Serialize)]
pub struct History {
    pub file: String,
    pub commits: Vec<CommitInfo>,
}

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
