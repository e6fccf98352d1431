//! Hardening layers: security headers on every response (a CSP whose nonce
//! the Leptos inline scripts carry), and the API's body and time limits with
//! every rejection a layer or extractor makes written in the API error shape.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::nonce::Nonce;
use serde_json::json;

use crate::config::LimitArgs;
use crate::error::{error_response, ApiError};

/// The API's request limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// How long a request may run (commits, pushes and fetches excepted).
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self::from(&LimitArgs::default())
    }
}

impl From<&LimitArgs> for Limits {
    fn from(args: &LimitArgs) -> Self {
        Self {
            max_body_bytes: args.max_body_bytes,
            request_timeout: Duration::from_secs(args.request_timeout_seconds.max(1)),
        }
    }
}

/// The Content-Security-Policy of a response whose inline scripts carry
/// `nonce`: scripts and styles only from this origin (the `/pkg` bundle),
/// the hydration module script by its nonce, WebAssembly compilation for the
/// bundle, style elements by the nonce (CodeMirror's, which carry it), and no
/// framing. Inline `style` attributes are allowed (the grid
/// places panels with them); they cannot run code.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Headers every response carries, whatever answered it.
const FIXED_HEADERS: [(HeaderName, &str); 3] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "same-origin"),
    (header::X_FRAME_OPTIONS, "DENY"),
];

/// Gives the request a fresh nonce (the pages put it on their inline
/// scripts, see `router::provide_request_nonce`) and sets the security
/// headers on the response.
pub async fn headers(mut req: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    let policy = content_security_policy(&nonce);
    req.extensions_mut().insert(nonce);
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    for (name, value) in FIXED_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    res
}

/// Refuses a body whose declared length is over the limit before anything
/// reads it; bodies without a length are cut by `DefaultBodyLimit` (and the
/// extractors find the limits in the request, to name them).
pub async fn body_limit(State(limits): State<Limits>, mut req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_body_bytes as u64) {
        return too_large(&limits).into_response();
    }
    req.extensions_mut().insert(limits);
    next.run(req).await
}

/// The 413 naming the limit.
pub fn too_large(limits: &Limits) -> ApiError {
    ApiError::PayloadTooLarge(format!(
        "the request body is over the {}-byte limit",
        limits.max_body_bytes
    ))
}

/// Rewrites an error response that is not JSON (an extractor's rejection,
/// the timeout, a method not allowed) into `{"error": {...}}`, keeping its
/// status and headers.
pub async fn json_errors(State(limits): State<Limits>, req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 16 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let err = match status {
        StatusCode::PAYLOAD_TOO_LARGE => too_large(&limits),
        StatusCode::SERVICE_UNAVAILABLE if text.is_empty() => ApiError::Timeout(format!(
            "the request took longer than {} seconds and was stopped",
            limits.request_timeout.as_secs()
        )),
        _ => {
            let code = status
                .canonical_reason()
                .unwrap_or("error")
                .to_ascii_lowercase()
                .replace([' ', '-'], "_");
            let message = if text.is_empty() {
                status.canonical_reason().unwrap_or("error").to_owned()
            } else {
                text
            };
            let mut fresh = error_response(status, &code, &message, json!([]));
            carry_headers(&mut parts.headers, &mut fresh);
            return fresh;
        }
    };
    let mut fresh = err.into_response();
    carry_headers(&mut parts.headers, &mut fresh);
    fresh
}

/// Keeps the original response's headers (`Allow`, `WWW-Authenticate`, …)
/// but not its body's type and length.
fn carry_headers(original: &mut axum::http::HeaderMap, fresh: &mut Response<Body>) {
    original.remove(header::CONTENT_TYPE);
    original.remove(header::CONTENT_LENGTH);
    for (name, value) in original.drain().filter_map(|(n, v)| n.map(|n| (n, v))) {
        fresh.headers_mut().entry(name).or_insert(value);
    }
}
