//! The OpenAPI 3 document of the REST API, generated from the handlers'
//! `#[utoipa::path]` attributes as `router.rs` registers them (one route
//! table for both), served at `GET /api/openapi.json` with a docs page.

pub mod docs;
pub mod schemas;

/// The error answers operations share, one type per status and meaning, each
/// an [`ErrorBody`]: list them in a handler's `responses(...)` (the types are
/// never built; they only carry the documentation).
#[allow(dead_code)]
pub mod errors {
    use crate::error::ErrorBody;

    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 400,
        description = "The request is not what this endpoint takes (query, path or body); the message says what to fix."
    )]
    pub struct BadRequest(ErrorBody);

    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 401,
        description = "Not signed in, or the bearer token or session is not valid (or has expired)."
    )]
    pub struct Unauthorized(ErrorBody);

    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 403,
        description = "Signed in without the role this needs, with a read-only token where writing is needed, or a cross-site request without CSRF proof."
    )]
    pub struct Forbidden(ErrorBody);

    #[derive(utoipa::IntoResponses)]
    #[response(status = 403, description = "Signed in without the role this needs.")]
    pub struct ForbiddenRole(ErrorBody);

    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 404,
        description = "No such resource; the message says what exists."
    )]
    pub struct NotFound(ErrorBody);

    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 409,
        description = "Conflicts with the repository's state (changed upstream, already exists, waiting for a push, no Git history); `details` says more."
    )]
    pub struct Conflict(ErrorBody);

    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 413,
        description = "The request body is over the configured limit."
    )]
    pub struct PayloadTooLarge(ErrorBody);

    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 422,
        description = "Understood but refused: the change does not validate (`details` lists the diagnostics)."
    )]
    pub struct Unprocessable(ErrorBody);

    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 429,
        description = "Too many attempts; wait a minute and try again."
    )]
    pub struct TooManyRequests(ErrorBody);

    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 500,
        description = "Something went wrong on the server (logged there; no details here)."
    )]
    pub struct Internal(ErrorBody);

    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 503,
        description = "The request ran past the configured request timeout and was stopped."
    )]
    pub struct Timeout(ErrorBody);
}

use std::sync::Arc;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};

use crate::auth::SESSION_COOKIE;
use crate::error::{ErrorBody, ErrorDetail};

/// The parts of the document no handler describes: info, security schemes,
/// tags, the error shape. The paths come from the router.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Dashboard Studio API",
        description = "Browse, validate, edit and commit the grafana-operator `GrafanaDashboard` resources of a Git repository.\n\nSign in with `POST /api/v1/session` (a session cookie) or send an API token as `Authorization: Bearer …` (`POST /api/v1/tokens` creates one; `DASHSTUDIO_BOOTSTRAP_TOKEN` sets an admin token at startup). Roles: **viewer** (browse, validate), **editor** (drafts, commits, pull requests), **admin** (users, tokens of others, validation override). A read-scoped token can only read. State-changing requests with a session cookie must come from the studio's pages (CSRF) or carry `X-Dashstudio-Csrf: 1`.\n\nEvery error is `{\"error\": {\"code\", \"message\", \"details\"}}` (`ErrorBody`). Lists take `limit` and `offset`."
    ),
    security(("bearer" = []), ("session" = [])),
    modifiers(&SecuritySchemes),
    components(schemas(ErrorBody, ErrorDetail)),
    tags(
        (name = "session", description = "Signing in and out; who is calling."),
        (name = "tokens", description = "API tokens for automation."),
        (name = "users", description = "Local users (admins)."),
        (name = "folders", description = "The folder tiers."),
        (name = "dashboards", description = "The GrafanaDashboard resources, as scanned."),
        (name = "validate", description = "Static validation of a submitted document."),
        (name = "drafts", description = "Edits kept in the database until committed."),
        (name = "commits", description = "Committing drafts, pushing, pull requests."),
        (name = "repository", description = "The repository: fetch, files that did not scan, audit log."),
        (name = "health", description = "Liveness and Prometheus metrics."),
        (name = "meta", description = "This document and its page."),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token: `Authorization: Bearer <token>`, scoped read or write.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "The session cookie `POST /api/v1/session` sets.",
            ))),
        );
    }
}

/// The document as served: its JSON and its page, rendered once.
pub struct Published {
    pub json: String,
    pub html: String,
}

impl Published {
    pub fn new(doc: &Document) -> Self {
        let value = serde_json::to_value(doc).unwrap_or_default();
        Self {
            json: serde_json::to_string_pretty(&value).unwrap_or_default(),
            html: docs::render(&value),
        }
    }
}

/// This OpenAPI 3 document.
///
/// **Public:** no sign-in needed.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    operation_id = "openapi_json",
    tag = "meta",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document of this API.", body = Object))
)]
pub async fn json(Extension(doc): Extension<Arc<Published>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        doc.json.clone(),
    )
        .into_response()
}

/// This API's documentation as a web page.
///
/// **Public:** no sign-in needed.
#[utoipa::path(
    get,
    path = "/api/docs",
    operation_id = "openapi_page",
    tag = "meta",
    security(()),
    responses((status = 200, description = "Every operation by tag, with its parameters, bodies, responses and the role it needs.", body = String, content_type = "text/html; charset=utf-8"))
)]
pub async fn page(Extension(doc): Extension<Arc<Published>>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        doc.html.clone(),
    )
        .into_response()
}
