//! The REST API under `/api/v1`, one module per resource.

pub mod commits;
pub mod dashboards;
pub mod drafts;
pub mod folders;
pub mod health;
pub mod problems;
pub mod repository;
pub mod session;
pub mod tokens;
pub mod users;
pub mod validate;

use axum::extract::{FromRequest, Request};
use axum::Json;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON request body whose rejections are API errors in the house format
/// (what is wrong, and where in the body).
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(ApiError::BadRequest(format!(
                "the request body is not what this endpoint takes: {}",
                rejection.body_text()
            ))),
        }
    }
}
