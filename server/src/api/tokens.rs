//! API tokens: `POST /api/v1/tokens` (for yourself; an admin for anyone;
//! the token is in this answer only), `GET /api/v1/tokens` (yours; an
//! admin's `?all=true`: everyone's) and `DELETE /api/v1/tokens/{id}`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::openapi::schemas as doc;
use super::JsonBody;
use crate::api::openapi::errors;
use crate::auth::accounts::{self, TokenView};
use crate::auth::{now, AnyUser, AnyUserWrite, Authorized, Role, Scope};
use crate::db::users as store;
use crate::error::ApiError;
use crate::state::AppState;

/// Longest lifetime a token may be given.
const MAX_DAYS: u32 = 3650;

/// The body of `POST /api/v1/tokens`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for ("CI", "grafana sync"): 1 to 100 characters, not blank.
    #[schema(pattern = "\\S", max_length = 100)]
    pub name: String,
    #[schema(value_type = doc::ScopeSchema)]
    pub scope: Scope,
    /// Days until it expires (default 90; 1 to 3650).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 3650)]
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

/// Create an API token (for yourself; an admin for anyone). The secret is in this answer only.
///
/// **Role:** viewer (a write-scoped token); `username` of someone else needs admin. Rate limited (429).
#[utoipa::path(
    post,
    path = "/tokens",
    operation_id = "tokens_create",
    tag = "tokens",
    request_body = NewToken,
    responses(
        (status = 201, description = "The new token, with its secret.", body = doc::CreatedTokenSchema),
        errors::BadRequest,
        errors::Unauthorized,
        errors::Forbidden,
        errors::NotFound,
        errors::PayloadTooLarge,
        errors::TooManyRequests,
        errors::Internal,
        errors::Timeout
    )
)]
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
    if name.is_empty() || name.chars().count() > 100 {
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

/// `?all=true`: everyone's tokens (admins only).
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Everyone's tokens, not only yours (admins only).
    #[serde(default)]
    pub all: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenList {
    #[schema(value_type = Vec<doc::TokenViewSchema>)]
    pub tokens: Vec<TokenView>,
}

/// Your API tokens (never their secrets); an admin's `?all=true`: everyone's.
///
/// **Role:** viewer; `all` needs admin.
#[utoipa::path(
    get,
    path = "/tokens",
    operation_id = "tokens_list",
    tag = "tokens",
    params(ListQuery),
    responses(
        (status = 200, description = "The tokens.", body = TokenList),
        errors::BadRequest,
        errors::Unauthorized,
        errors::ForbiddenRole,
        errors::Internal,
        errors::Timeout
    )
)]
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

/// Revoke an API token (yours; an admin: anyone's).
///
/// **Role:** viewer (a write-scoped token).
#[utoipa::path(
    delete,
    path = "/tokens/{id}",
    operation_id = "tokens_revoke",
    tag = "tokens",
    params(("id" = String, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked."),
        errors::BadRequest,
        errors::Unauthorized,
        errors::Forbidden,
        errors::NotFound,
        errors::PayloadTooLarge,
        errors::Internal,
        errors::Timeout
    )
)]
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
