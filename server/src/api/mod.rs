//! The REST API under `/api/v1`, one module per resource.

pub mod commits;
pub mod dashboards;
pub mod drafts;
pub mod folders;
pub mod health;
pub mod openapi;
pub mod problems;
pub mod repository;
pub mod session;
pub mod tokens;
pub mod users;
pub mod validate;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::ApiError;
use crate::security::{self, Limits};

/// `?limit=&offset=` on a list: without `limit`, everything from `offset`.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListPage {
    /// How many at most (1 to 1000; default: all).
    #[serde(default)]
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
    /// How many to skip.
    #[serde(default)]
    #[param(minimum = 0, maximum = 9007199254740991_u64)]
    pub offset: usize,
}

/// `{namespace}/{name}` in a path: a GrafanaDashboard. For the OpenAPI
/// document (`params(DashboardPath)`); handlers extract the pair.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[expect(dead_code, reason = "read by the IntoParams derive only")]
pub struct DashboardPath {
    /// `metadata.namespace` of the GrafanaDashboard
    #[param(example = "grafana")]
    namespace: String,
    /// `metadata.name` of the GrafanaDashboard
    #[param(example = "node-health")]
    name: String,
}

/// `{commit}` in a path, for the OpenAPI document (`params(CommitPath)`).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[expect(dead_code, reason = "read by the IntoParams derive only")]
pub struct CommitPath {
    /// The commit id (40 hex digits) as `POST /api/v1/commits` answered it
    commit: String,
}

/// The most one page may hold.
pub const MAX_PAGE: usize = 1000;

/// The largest `offset` (the largest integer JSON numbers hold exactly).
pub const MAX_OFFSET: u64 = (1 << 53) - 1;

impl ListPage {
    /// The page of `items`, or why `limit` is not acceptable.
    pub fn take<T>(&self, items: Vec<T>) -> Result<Vec<T>, ApiError> {
        if self.limit.is_some_and(|l| l == 0 || l > MAX_PAGE) {
            return Err(ApiError::BadRequest(format!(
                "`limit` must be 1 to {MAX_PAGE}"
            )));
        }
        if self.offset as u64 > MAX_OFFSET {
            return Err(ApiError::BadRequest(format!(
                "`offset` must be 0 to {MAX_OFFSET}"
            )));
        }
        Ok(items
            .into_iter()
            .skip(self.offset)
            .take(self.limit.unwrap_or(usize::MAX))
            .collect())
    }
}

/// A JSON request body whose rejections are API errors in the house format
/// (what is wrong, and where in the body): a body over the limit is 413,
/// one that is not UTF-8, not JSON, not a JSON object (serde would read a
/// struct from an array too), nested deeper than serde_json's 128 levels or
/// not of the endpoint's shape is 400.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let declared_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .is_some_and(|v| v == "application/json" || v.ends_with("+json"));
        if !declared_json {
            return Err(ApiError::BadRequest(
                "the request body must be JSON, sent with `Content-Type: application/json`"
                    .to_owned(),
            ));
        }
        let limits = req.extensions().get::<Limits>().copied();
        let bytes = match Bytes::from_request(req, state).await {
            Ok(bytes) => bytes,
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(security::too_large(&limits.unwrap_or_default()))
            }
            Err(rejection) => {
                return Err(ApiError::BadRequest(format!(
                    "the request body could not be read: {}",
                    rejection.body_text()
                )))
            }
        };
        if let Err(e) = std::str::from_utf8(&bytes) {
            return Err(ApiError::BadRequest(format!(
                "the request body is not UTF-8 text: {e}"
            )));
        }
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        if let Some(kind) = first.and_then(|b| not_an_object(*b)) {
            return Err(ApiError::BadRequest(format!(
                "the request body is not what this endpoint takes: invalid type: {kind}, expected a JSON object `{{…}}`"
            )));
        }
        match Json::<T>::from_bytes(&bytes) {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(ApiError::BadRequest(format!(
                "the request body is not what this endpoint takes: {}",
                rejection.body_text()
            ))),
        }
    }
}

/// What a JSON text starting with `first` is, when it is not an object.
fn not_an_object(first: u8) -> Option<&'static str> {
    match first {
        b'{' => None,
        b'[' => Some("an array"),
        b'"' => Some("a string"),
        b't' | b'f' => Some("a boolean"),
        b'n' => Some("null"),
        b'-' | b'0'..=b'9' => Some("a number"),
        _ => None,
    }
}
