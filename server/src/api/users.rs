//! Users (admins only): `GET /api/v1/users`, `POST /api/v1/users`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use super::openapi::schemas as doc;
use super::JsonBody;
use crate::auth::accounts::{self, NewUser, UserView};
use crate::auth::{AdminRead, AdminWrite, Authorized};
use crate::db::users as store;
use crate::error::ApiError;
use crate::error::ErrorBody;
use crate::state::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserList {
    #[schema(value_type = Vec<doc::UserViewSchema>)]
    pub users: Vec<UserView>,
}

/// Every user.
///
/// **Role:** admin.
#[utoipa::path(
    get,
    path = "/users",
    operation_id = "users_list",
    tag = "users",
    responses(
        (status = 200, description = "The users.", body = UserList),
        (status = 401, description = "Not signed in, or the bearer token or session is not valid (or has expired).", body = ErrorBody),
        (status = 403, description = "Signed in without the role this needs.", body = ErrorBody),
        (status = 500, description = "Something went wrong on the server (logged there; no details here).", body = ErrorBody),
        (status = 503, description = "The request ran past the configured request timeout and was stopped.", body = ErrorBody)
    )
)]
pub async fn list(
    _admin: Authorized<AdminRead>,
    State(state): State<AppState>,
) -> Result<Json<UserList>, ApiError> {
    let users = store::users(&state.db)
        .await?
        .iter()
        .map(UserView::of)
        .collect();
    Ok(Json(UserList { users }))
}

/// Create a user.
///
/// **Role:** admin (a write-scoped token).
#[utoipa::path(
    post,
    path = "/users",
    operation_id = "users_create",
    tag = "users",
    request_body = doc::NewUserSchema,
    responses(
        (status = 201, description = "The new user.", body = doc::UserViewSchema),
        (status = 400, description = "The request is not what this endpoint takes (query, path or body); the message says what to fix.", body = ErrorBody),
        (status = 401, description = "Not signed in, or the bearer token or session is not valid (or has expired).", body = ErrorBody),
        (status = 403, description = "Signed in without the role this needs, with a read-only token where writing is needed, or a cross-site request without CSRF proof.", body = ErrorBody),
        (status = 409, description = "Conflicts with the repository's state (changed upstream, already exists, waiting for a push, no Git history); `details` says more.", body = ErrorBody),
        (status = 413, description = "The request body is over the configured limit.", body = ErrorBody),
        (status = 500, description = "Something went wrong on the server (logged there; no details here).", body = ErrorBody),
        (status = 503, description = "The request ran past the configured request timeout and was stopped.", body = ErrorBody)
    )
)]
pub async fn create(
    admin: Authorized<AdminWrite>,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<NewUser>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    let user = accounts::create_user(&state.db, body).await?;
    tracing::info!(by = %admin.actor.key, user = %user.username, role = user.role.as_str(), "user created");
    Ok((StatusCode::CREATED, Json(user)))
}
