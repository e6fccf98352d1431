//! Drafts: `GET /api/v1/drafts`, `POST /api/v1/drafts` (new from a template),
//! `GET|PUT|DELETE /api/v1/drafts/{namespace}/{name}`, and
//! `POST /api/v1/drafts/{namespace}/{name}/operations`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use dashstudio_core::edit::crd::check_name;
use serde::Serialize;
use serde_json::Value;

use crate::auth::{Authorized, EditorRead, EditorWrite};
use crate::error::ApiError;
use crate::service::drafts::{self, CreateDraft, DraftView, Operation, Operations, SaveDraft};
use crate::state::AppState;

use super::{JsonBody, ListPage};

#[derive(Serialize)]
pub struct DraftList {
    /// How many drafts you have (all pages; `?limit=&offset=`).
    pub total: usize,
    pub offset: usize,
    pub drafts: Vec<DraftView>,
}

pub async fn list(
    editor: Authorized<EditorRead>,
    State(state): State<AppState>,
    Query(page): Query<ListPage>,
) -> Result<Json<DraftList>, ApiError> {
    let drafts = drafts::list(&state, &editor.actor).await?;
    Ok(Json(DraftList {
        total: drafts.len(),
        offset: page.offset,
        drafts: page.take(drafts)?,
    }))
}

pub async fn get(
    editor: Authorized<EditorRead>,
    State(state): State<AppState>,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<Json<DraftView>, ApiError> {
    Ok(Json(
        drafts::get(&state, &editor.actor, &namespace, &name).await?,
    ))
}

pub async fn save(
    editor: Authorized<EditorWrite>,
    State(state): State<AppState>,
    Path((namespace, name)): Path<(String, String)>,
    JsonBody(body): JsonBody<SaveDraft>,
) -> Result<Json<DraftView>, ApiError> {
    check_folder(body.folder.as_ref())?;
    Ok(Json(
        drafts::save(&state, &editor.actor, &namespace, &name, body).await?,
    ))
}

pub async fn operate(
    editor: Authorized<EditorWrite>,
    State(state): State<AppState>,
    Path((namespace, name)): Path<(String, String)>,
    JsonBody(body): JsonBody<Operations>,
) -> Result<Json<DraftView>, ApiError> {
    for op in &body.operations {
        if let Operation::Move { folder } = op {
            check_folder(Some(folder))?;
        }
    }
    Ok(Json(
        drafts::operate(&state, &editor.actor, &namespace, &name, body).await?,
    ))
}

pub async fn create(
    editor: Authorized<EditorWrite>,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<CreateDraft>,
) -> Result<(StatusCode, Json<DraftView>), ApiError> {
    check_folder(body.folder.as_ref())?;
    let draft = drafts::create(&state, &editor.actor, body).await?;
    Ok((StatusCode::CREATED, Json(draft)))
}

pub async fn discard(
    editor: Authorized<EditorWrite>,
    State(state): State<AppState>,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    drafts::discard(&state, &editor.actor, &namespace, &name).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A folder reference names a GrafanaFolder (a Kubernetes name) and a folder
/// uid is Grafana's (letters, digits, `-`, `_`); only a title is free text.
fn check_folder(folder: Option<&Value>) -> Result<(), ApiError> {
    let Some(folder) = folder else {
        return Ok(());
    };
    if let Some(name) = folder.get("folderRef").and_then(Value::as_str) {
        check_name(name).map_err(|e| ApiError::BadRequest(format!("`folderRef`: {e}")))?;
    }
    if let Some(uid) = folder.get("folderUID").and_then(Value::as_str) {
        let ok = !uid.is_empty()
            && uid.len() <= 40
            && uid
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok {
            return Err(ApiError::BadRequest(format!(
                "`folderUID` {uid:?} is not a Grafana uid (letters, digits, `-`, `_`; ≤ 40 characters)"
            )));
        }
    }
    Ok(())
}
