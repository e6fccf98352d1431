//! Sign-in: `POST /api/v1/session` (JSON `{username, password}`, or the
//! sign-in page's form, which is answered with a redirect), `GET` (who am I)
//! and `DELETE` (sign out); `POST /signout` is the top bar's form.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::{Deserialize, Serialize};

use super::openapi::schemas as doc;
use super::JsonBody;
use crate::api::openapi::errors;
use crate::auth::accounts::{self, UserView};
use crate::auth::middleware::{cookie, is_https, safe_next, session_cookie};
use crate::auth::{unauthorized, AnyCaller, AnyUser, Authorized, Scope, Via, SESSION_COOKIE};
use crate::error::ApiError;
use crate::state::AppState;

/// The body of `POST /api/v1/session`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub username: String,
    pub password: String,
}

/// The sign-in page's form.
#[derive(Deserialize)]
pub struct SignInForm {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub next: Option<String>,
}

/// Who is calling, and how.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionView {
    #[schema(value_type = doc::UserViewSchema)]
    pub user: UserView,
    /// `session` or `token`.
    #[schema(value_type = String, pattern = "^(session|token)$")]
    pub via: &'static str,
    #[schema(value_type = doc::ScopeSchema)]
    pub scope: Scope,
    /// Unix seconds, for a new session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

/// The keys sign-in attempts are counted under: the client and the username.
fn limit_keys(req: &Request, username: &str) -> Vec<String> {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string());
    vec![format!("ip:{ip}"), format!("user:{username}")]
}

/// Sign in with a username and password; sets the session cookie.
///
/// **Public.** The sign-in page posts the same as a form (`application/x-www-form-urlencoded`, with `next`) and is answered with a redirect. Attempts are rate limited per client and per username (429).
#[utoipa::path(
    post,
    path = "/session",
    operation_id = "session_create",
    tag = "session",
    request_body = SignIn,
    security(()),
    responses(
        (status = 200, description = "Signed in; `Set-Cookie` carries the session.", body = SessionView, headers(("Set-Cookie" = String, description = "The session cookie (HttpOnly, SameSite=Lax)"))),
        errors::BadRequest,
        errors::Unauthorized,
        errors::Forbidden,
        errors::PayloadTooLarge,
        errors::TooManyRequests,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn create(State(state): State<AppState>, req: Request) -> Response {
    let secure = state.auth.cookie_secure || is_https(req.headers());
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        let ip_keys = limit_keys(&req, "");
        let Ok(Form(form)) = Form::<SignInForm>::from_request(req, &()).await else {
            return redirect("/signin?error=form");
        };
        let next = safe_next(form.next.as_deref());
        let mut keys = ip_keys;
        keys[1] = format!("user:{}", form.username);
        if !state.sign_in_limit.allow(&keys) {
            return redirect(&format!("/signin?error=limit&next={}", encode_next(&next)));
        }
        return match accounts::sign_in(
            &state.db,
            &form.username,
            &form.password,
            state.auth.session_seconds,
        )
        .await
        {
            Ok((value, _)) => {
                let mut res = redirect(&next);
                set_cookie(&mut res, &value, state.auth.session_seconds, secure);
                res
            }
            Err(ApiError::Unauthorized(_)) => redirect(&format!(
                "/signin?error=credentials&next={}",
                encode_next(&next)
            )),
            Err(e) => e.into_response(),
        };
    }
    let keys_ip = limit_keys(&req, "");
    let body = match JsonBody::<SignIn>::from_request(req, &()).await {
        Ok(JsonBody(b)) => b,
        Err(e) => return e.into_response(),
    };
    let mut keys = keys_ip;
    keys[1] = format!("user:{}", body.username);
    if !state.sign_in_limit.allow(&keys) {
        return ApiError::TooManyRequests(
            "too many sign-in attempts; wait a minute and try again".to_owned(),
        )
        .into_response();
    }
    match accounts::sign_in(
        &state.db,
        &body.username,
        &body.password,
        state.auth.session_seconds,
    )
    .await
    {
        Ok((value, user)) => {
            let view = SessionView {
                user: UserView::of(&user),
                via: "session",
                scope: Scope::Write,
                expires_at: Some(crate::auth::now() + state.auth.session_seconds),
            };
            let mut res = (StatusCode::OK, Json(view)).into_response();
            set_cookie(&mut res, &value, state.auth.session_seconds, secure);
            res
        }
        Err(e) => e.into_response(),
    }
}

fn encode_next(next: &str) -> String {
    next.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response()
}

fn set_cookie(res: &mut Response, value: &str, max_age: i64, secure: bool) {
    if let Ok(v) = session_cookie(Some(value), max_age, secure).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

fn clear_cookie(res: &mut Response, secure: bool) {
    if let Ok(v) = session_cookie(None, 0, secure).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Who is calling: the user, and whether by session or token.
///
/// **Role:** viewer.
#[utoipa::path(
    get,
    path = "/session",
    operation_id = "session_get",
    tag = "session",
    responses(
        (status = 200, description = "The caller.", body = SessionView),
        errors::Unauthorized,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn get(user: Authorized<AnyUser>) -> Json<SessionView> {
    Json(SessionView {
        user: UserView {
            username: user.actor.key.clone(),
            name: user.actor.name.clone(),
            email: user.actor.email.clone(),
            role: user.actor.role,
            folders: user.actor.folders.clone(),
        },
        via: match user.caller.via {
            Via::Token { .. } => "token",
            _ => "session",
        },
        scope: user.caller.scope,
        expires_at: None,
    })
}

/// Sign out: ends the cookie's session.
///
/// **Role:** any signed-in caller.
#[utoipa::path(
    delete,
    path = "/session",
    operation_id = "session_delete",
    tag = "session",
    responses(
        (status = 204, description = "Signed out; `Set-Cookie` clears the cookie."),
        errors::Unauthorized,
        errors::Forbidden,
        errors::PayloadTooLarge,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    AnyCaller(caller): AnyCaller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if caller.actor.is_none() {
        return Err(unauthorized());
    }
    if let Some(value) = cookie(&headers, SESSION_COOKIE) {
        accounts::sign_out(&state.db, value).await?;
        state.callers.clear();
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    clear_cookie(&mut res, state.auth.cookie_secure || is_https(&headers));
    Ok(res)
}

/// `POST /signout`: the top bar's form; back to the sign-in page.
pub async fn sign_out_form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(value) = cookie(&headers, SESSION_COOKIE) {
        accounts::sign_out(&state.db, value).await?;
        state.callers.clear();
    }
    let mut res = redirect("/signin");
    clear_cookie(&mut res, state.auth.cookie_secure || is_https(&headers));
    Ok(res)
}
