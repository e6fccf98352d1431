//! API tokens: `POST /api/v1/tokens` (for yourself; an admin for anyone;
//! the token is in this answer only), `GET /api/v1/tokens` (yours; an
//! admin's `?all=true`: everyone's) and `DELETE /api/v1/tokens/{id}`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::JsonBody;
use crate::auth::accounts::{self, TokenView};
use crate::auth::{now, AnyUser, AnyUserWrite, Authorized, Role, Scope};
use crate::db::users as store;
use crate::error::ApiError;
use crate::state::AppState;

/// Longest lifetime a token may be given.
const MAX_DAYS: u32 = 3650;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for ("CI", "grafana sync").
    pub name: String,
    pub scope: Scope,
    /// Days until it expires (default 90; 1 to 3650).
    #[serde(default)]
    pub expires_in_days: Option<u32>,
    /// Whose token (admins only; default: yourself).
    #[serde(default)]
    pub username: Option<String>,
}

#[derive(Serialize)]
pub struct CreatedToken {
    /// The secret, shown this once: send it as `Authorization: Bearer …`.
    pub token: String,
    #[serde(flatten)]
    pub info: TokenView,
}

pub async fn create(
    user: Authorized<AnyUserWrite>,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let owner = body.username.unwrap_or_else(|| user.actor.key.clone());
    if owner != user.actor.key && user.actor.role < Role::Admin {
        return Err(ApiError::Forbidden(
            "a token for another user needs the admin role".to_owned(),
        ));
    }
    let name = body.name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(ApiError::BadRequest(
            "`name` must be 1 to 100 characters".to_owned(),
        ));
    }
    let days = body.expires_in_days.unwrap_or(90);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(ApiError::BadRequest(format!(
            "`expires_in_days` must be 1 to {MAX_DAYS}"
        )));
    }
    if !state
        .token_limit
        .allow(&[format!("tokens:{}", user.actor.key)])
    {
        return Err(ApiError::TooManyRequests(
            "too many tokens created; wait a minute and try again".to_owned(),
        ));
    }
    if store::user(&state.db, &owner).await?.is_none() {
        return Err(ApiError::NotFound(format!("no user named {owner}")));
    }
    let expires_at = now() + i64::from(days) * 86_400;
    let (info, token) =
        accounts::create_token(&state.db, &owner, name, body.scope, Some(expires_at)).await?;
    tracing::info!(by = %user.actor.key, owner, id = %info.id, "API token created");
    Ok((StatusCode::CREATED, Json(CreatedToken { token, info })))
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub all: bool,
}

#[derive(Serialize)]
pub struct TokenList {
    pub tokens: Vec<TokenView>,
}

pub async fn list(
    user: Authorized<AnyUser>,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<TokenList>, ApiError> {
    if q.all && user.actor.role < Role::Admin {
        return Err(ApiError::Forbidden(
            "listing everyone's tokens needs the admin role".to_owned(),
        ));
    }
    let whose = (!q.all).then_some(user.actor.key.as_str());
    let tokens = store::tokens(&state.db, whose)
        .await?
        .iter()
        .map(TokenView::of)
        .collect();
    Ok(Json(TokenList { tokens }))
}

pub async fn revoke(
    user: Authorized<AnyUserWrite>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let token = store::token(&state.db, &id).await?;
    match token {
        Some(t) if t.username == user.actor.key || user.actor.role == Role::Admin => {
            store::delete_token(&state.db, &id).await?;
            state.callers.clear();
            tracing::info!(by = %user.actor.key, id, "API token revoked");
            Ok(StatusCode::NO_CONTENT)
        }
        _ => Err(ApiError::NotFound(format!("you have no token {id}"))),
    }
}
