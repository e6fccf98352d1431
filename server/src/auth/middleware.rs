//! The layer in front of every route: resolves the caller (bearer token or
//! session cookie) into a [`Caller`] in the request's extensions, refuses
//! cross-site state changes (CSRF), and sends anonymous visitors of the UI
//! to `/signin` unless anonymous browsing is on.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::secret::sha256_hex;
use super::{accounts, csrf, now, unauthorized, Caller, Scope, Via, SESSION_COOKIE};
use crate::error::ApiError;
use crate::state::AppState;

/// Paths anyone may reach: the sign-in page and what it loads, health and
/// metrics, the session server function; `/api/v1` decides per endpoint.
fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/signin" | "/signout" | "/healthz" | "/metrics" | "/favicon.ico" | SESSION_INFO_PATH
    ) || path.starts_with("/api/v1/")
        || path.starts_with("/pkg/")
}

/// The server function the sign-in page and the top bar call.
pub const SESSION_INFO_PATH: &str = "/api/session_info";

pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let caller = match caller(&state, req.headers()).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    if let Err(why) = csrf::check(req.method(), req.headers()) {
        tracing::warn!(path = req.uri().path(), "{why}");
        return ApiError::Forbidden(why).into_response();
    }
    let path = req.uri().path();
    if caller.actor.is_none() && !state.auth.anonymous_read && !is_public(path) {
        if path.starts_with("/api/") || !matches!(*req.method(), Method::GET | Method::HEAD) {
            return unauthorized().into_response();
        }
        let target = req
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        return (
            StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                format!("/signin?next={}", encode(&target)),
            )],
        )
            .into_response();
    }
    req.extensions_mut().insert(caller);
    next.run(req).await
}

/// Who sent these headers: a bearer token (401 when it is not valid), else a
/// valid session cookie, else anonymous.
/// Both are reused for a few seconds from `state.callers`.
pub async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let now = now();
    if let Some(token) = bearer(headers) {
        let key = format!("t{}", sha256_hex(token));
        if let Some(caller) = state.callers.get(&key, now) {
            return Ok(caller);
        }
        let (caller, expires_at) = accounts::token_caller(&state.db, token).await?;
        state.callers.put(key, caller.clone(), expires_at);
        return Ok(caller);
    }
    if let Some(value) = cookie(headers, SESSION_COOKIE) {
        let key = format!("s{}", sha256_hex(value));
        if let Some(caller) = state.callers.get(&key, now) {
            return Ok(caller);
        }
        if let Some(actor) = accounts::session_actor(&state.db, value).await? {
            let caller = Caller {
                actor: Some(actor),
                scope: Scope::Write,
                via: Via::Session,
            };
            state.callers.put(key, caller.clone(), None);
            return Ok(caller);
        }
    }
    Ok(Caller::anonymous())
}

pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// The value of cookie `name`, if sent.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// Whether the request reached us over https (directly configured, or as
/// the proxy in front says).
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// The `Set-Cookie` value for a session (or, with `None`, its removal).
pub fn session_cookie(value: Option<&str>, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match value {
        Some(v) => {
            format!(
                "{SESSION_COOKIE}={v}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
            )
        }
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

/// Percent-encodes a path for a query parameter.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where to go after signing in: a local path only (no `//host`, no scheme).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn cookies_and_redirect_targets() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; dashstudio_session=abc ; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
        assert_eq!(encode("/folders/a b?x=1"), "/folders/a%20b%3Fx%3D1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/dashboards/a/b")), "/dashboards/a/b");
        let c = session_cookie(Some("v"), 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("; Secure"));
    }
}
