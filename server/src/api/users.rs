//! Users (admins only): `GET /api/v1/users`, `POST /api/v1/users`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use super::openapi::schemas as doc;
use super::JsonBody;
use crate::api::openapi::errors;
use crate::auth::accounts::{self, NewUser, UserView};
use crate::auth::{AdminRead, AdminWrite, Authorized};
use crate::db::users as store;
use crate::error::ApiError;
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
        errors::Unauthorized,
        errors::ForbiddenRole,
        errors::Internal,
        errors::Timeout
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
        errors::BadRequest,
        errors::Unauthorized,
        errors::Forbidden,
        errors::Conflict,
        errors::PayloadTooLarge,
        errors::Internal,
        errors::Timeout
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
