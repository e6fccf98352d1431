//! Drafts: `GET /api/v1/drafts`, `POST /api/v1/drafts` (new from a template),
//! `GET|PUT|DELETE /api/v1/drafts/{namespace}/{name}`, and
//! `POST /api/v1/drafts/{namespace}/{name}/operations`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use crate::auth::{Authorized, EditorRead, EditorWrite};
use crate::error::ApiError;
use crate::service::drafts::{self, CreateDraft, DraftView, Operations, SaveDraft};
use crate::state::AppState;

use super::JsonBody;

#[derive(Serialize)]
pub struct DraftList {
    pub total: usize,
    pub drafts: Vec<DraftView>,
}

pub async fn list(
    editor: Authorized<EditorRead>,
    State(state): State<AppState>,
) -> Result<Json<DraftList>, ApiError> {
    let drafts = drafts::list(&state, &editor.actor).await?;
    Ok(Json(DraftList {
        total: drafts.len(),
        drafts,
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
    Ok(Json(
        drafts::operate(&state, &editor.actor, &namespace, &name, body).await?,
    ))
}

pub async fn create(
    editor: Authorized<EditorWrite>,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<CreateDraft>,
) -> Result<(StatusCode, Json<DraftView>), ApiError> {
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
