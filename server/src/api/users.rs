//! Users (admins only): `GET /api/v1/users`, `POST /api/v1/users`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use super::JsonBody;
use crate::auth::accounts::{self, NewUser, UserView};
use crate::auth::{AdminRead, AdminWrite, Authorized};
use crate::db::users as store;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Serialize)]
pub struct UserList {
    pub users: Vec<UserView>,
}

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

pub async fn create(
    admin: Authorized<AdminWrite>,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<NewUser>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    let user = accounts::create_user(&state.db, body).await?;
    tracing::info!(by = %admin.actor.key, user = %user.username, role = user.role.as_str(), "user created");
    Ok((StatusCode::CREATED, Json(user)))
}
