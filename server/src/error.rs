//! The API's one error type. Use `NotFound`/`BadRequest`/`Conflict`/
//! `Unprocessable`/`Unauthorized`/`Forbidden`/`TooManyRequests`/
//! `PayloadTooLarge` for what the client can fix (4xx, message shown as is,
//! `details` carrying what it needs to act); `Timeout` when a request ran
//! past its time (503); `Internal` for everything else (500, logged with its
//! cause, never shown to the client). [`error_response`] writes the shape
//! for errors that come from layers rather than handlers.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    /// Not signed in, or the credentials are not valid (401).
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    /// Too many attempts (sign-in, token creation): try again later (429).
    #[error("{0}")]
    TooManyRequests(String),
    /// The request body is over the configured limit (413).
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The request ran past the configured time and was stopped (503).
    #[error("{0}")]
    Timeout(String),
    /// The request conflicts with the repository's state (changed upstream,
    /// already exists, waiting for a push).
    #[error("{message}")]
    Conflict { message: String, details: Value },
    /// Understood but refused, e.g. a commit that does not validate.
    #[error("{message}")]
    Unprocessable { message: String, details: Value },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict {
            message: message.into(),
            details: json!([]),
        }
    }

    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            Self::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Self::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            Self::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            Self::Timeout(_) => (StatusCode::SERVICE_UNAVAILABLE, "timeout"),
            Self::Conflict { .. } => (StatusCode::CONFLICT, "conflict"),
            Self::Unprocessable { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(format!("database: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.parts();
        let message = match &self {
            Self::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                "something went wrong on the server; the details are in its log".to_owned()
            }
            other => other.to_string(),
        };
        let details = match self {
            Self::Conflict { details, .. } | Self::Unprocessable { details, .. } => details,
            _ => json!([]),
        };
        error_response(status, code, &message, details)
    }
}

/// Every error the API answers: `{"error": {"code", "message", "details"}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, snake_case: `not_found`, `bad_request`, `unauthorized`,
    /// `forbidden`, `too_many_requests`, `payload_too_large`, `timeout`,
    /// `conflict`, `validation_failed`, `internal`, or the HTTP reason of a
    /// rejection (`method_not_allowed`, …).
    #[schema(example = "not_found")]
    pub code: String,
    /// What is wrong and what to do about it, for a person.
    pub message: String,
    /// What a client needs to act: `[]` for most errors; the diagnostics that
    /// refused a commit (422), what the conflict is about (409).
    pub details: Value,
}

/// `{"error": {"code", "message", "details"}}` with `status`.
pub fn error_response(status: StatusCode, code: &str, message: &str, details: Value) -> Response {
    let body = ErrorBody {
        error: ErrorDetail {
            code: code.to_owned(),
            message: message.to_owned(),
            details,
        },
    };
    (status, Json(body)).into_response()
}
