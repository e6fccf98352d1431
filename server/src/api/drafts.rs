//! Drafts: `GET /api/v1/drafts`, `POST /api/v1/drafts` (new from a template),
//! `GET|PUT|DELETE /api/v1/drafts/{namespace}/{name}`, and
//! `POST /api/v1/drafts/{namespace}/{name}/operations`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use crate::error::ApiError;
use crate::service::drafts::{self, CreateDraft, DraftView, Operations, SaveDraft};
use crate::state::AppState;

use super::JsonBody;

#[derive(Serialize)]
pub struct DraftList {
    pub total: usize,
    pub drafts: Vec<DraftView>,
}

pub async fn list(State(state): State<AppState>) -> Result<Json<DraftList>, ApiError> {
    let drafts = drafts::list(&state, &state.actor).await?;
    Ok(Json(DraftList {
        total: drafts.len(),
        drafts,
    }))
}

pub async fn get(
    State(state): State<AppState>,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<Json<DraftView>, ApiError> {
    Ok(Json(
        drafts::get(&state, &state.actor, &namespace, &name).await?,
    ))
}

pub async fn save(
    State(state): State<AppState>,
    Path((namespace, name)): Path<(String, String)>,
    JsonBody(body): JsonBody<SaveDraft>,
) -> Result<Json<DraftView>, ApiError> {
    Ok(Json(
        drafts::save(&state, &state.actor, &namespace, &name, body).await?,
    ))
}

pub async fn operate(
    State(state): State<AppState>,
    Path((namespace, name)): Path<(String, String)>,
    JsonBody(body): JsonBody<Operations>,
) -> Result<Json<DraftView>, ApiError> {
    Ok(Json(
        drafts::operate(&state, &state.actor, &namespace, &name, body).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<CreateDraft>,
) -> Result<(StatusCode, Json<DraftView>), ApiError> {
    let draft = drafts::create(&state, &state.actor, body).await?;
    Ok((StatusCode::CREATED, Json(draft)))
}

pub async fn discard(
    State(state): State<AppState>,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    drafts::discard(&state, &state.actor, &namespace, &name).await?;
    Ok(StatusCode::NO_CONTENT)
}
