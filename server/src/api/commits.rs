//! `POST /api/v1/commits` (commit drafts, push, open a pull request),
//! `GET /api/v1/commits/{commit}` and `POST /api/v1/commits/{commit}/push`
//! (retry a failed push or pull request).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use crate::auth::{AnyUser, Authorized, EditorWrite};
use crate::error::ApiError;
use crate::service::commits::{self, CommitBody, CommitResult};
use crate::state::AppState;

use super::JsonBody;

pub async fn create(
    editor: Authorized<EditorWrite>,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<CommitBody>,
) -> Result<(StatusCode, Json<CommitResult>), ApiError> {
    let result = commits::commit(&state, &editor.actor, body).await?;
    Ok((StatusCode::CREATED, Json(result)))
}

pub async fn get(
    _user: Authorized<AnyUser>,
    State(state): State<AppState>,
    Path(commit): Path<String>,
) -> Result<Json<CommitResult>, ApiError> {
    Ok(Json(commits::status(&state, &commit).await?))
}

pub async fn push(
    _editor: Authorized<EditorWrite>,
    State(state): State<AppState>,
    Path(commit): Path<String>,
) -> Result<Json<CommitResult>, ApiError> {
    Ok(Json(commits::deliver(&state, &commit).await?))
}
