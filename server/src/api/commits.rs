//! `POST /api/v1/commits` (commit drafts, push, open a pull request),
//! `GET /api/v1/commits/{commit}` and `POST /api/v1/commits/{commit}/push`
//! (retry a failed push or pull request).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use super::openapi::schemas as doc;
use crate::api::openapi::errors;
use crate::auth::{AnyUser, Authorized, EditorWrite};
use crate::error::ApiError;
use crate::service::commits::{self, CommitBody, CommitResult};
use crate::state::AppState;

use super::JsonBody;

/// Commit drafts, push, and optionally open a pull request.
///
/// **Role:** editor (a write-scoped token). Refuses what does not validate (422) unless an admin gives `override_reason`; a failed push is answered 201 with `error` set and retried in the background.
#[utoipa::path(
    post,
    path = "/commits",
    operation_id = "commits_create",
    tag = "commits",
    request_body = doc::CommitBodySchema,
    responses(
        (status = 201, description = "Committed (and pushed, unless `error` says why not).", body = doc::CommitResultSchema),
        errors::BadRequest,
        errors::Unauthorized,
        errors::Forbidden,
        errors::NotFound,
        errors::Conflict,
        errors::PayloadTooLarge,
        errors::Unprocessable,
        errors::Internal
    )
)]
pub async fn create(
    editor: Authorized<EditorWrite>,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<CommitBody>,
) -> Result<(StatusCode, Json<CommitResult>), ApiError> {
    let result = commits::commit(&state, &editor.actor, body).await?;
    Ok((StatusCode::CREATED, Json(result)))
}

/// A commit the studio made: its branch, push and pull request.
///
/// **Role:** viewer.
#[utoipa::path(
    get,
    path = "/commits/{commit}",
    operation_id = "commits_get",
    tag = "commits",
    params(super::CommitPath),
    responses(
        (status = 200, description = "The commit.", body = doc::CommitResultSchema),
        errors::BadRequest,
        errors::Unauthorized,
        errors::NotFound,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn get(
    _user: Authorized<AnyUser>,
    State(state): State<AppState>,
    Path(commit): Path<String>,
) -> Result<Json<CommitResult>, ApiError> {
    Ok(Json(commits::status(&state, &commit).await?))
}

/// Retry a commit's failed push or pull request now.
///
/// **Role:** editor (a write-scoped token).
#[utoipa::path(
    post,
    path = "/commits/{commit}/push",
    operation_id = "commits_push",
    tag = "commits",
    params(super::CommitPath),
    responses(
        (status = 200, description = "Where the push and pull request stand now.", body = doc::CommitResultSchema),
        errors::BadRequest,
        errors::Unauthorized,
        errors::Forbidden,
        errors::NotFound,
        errors::Conflict,
        errors::PayloadTooLarge,
        errors::Unprocessable,
        errors::Internal
    )
)]
pub async fn push(
    _editor: Authorized<EditorWrite>,
    State(state): State<AppState>,
    Path(commit): Path<String>,
) -> Result<Json<CommitResult>, ApiError> {
    Ok(Json(commits::deliver(&state, &commit).await?))
}
