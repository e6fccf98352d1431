//! `POST /api/v1/validate`: validates a submitted CRD YAML document or
//! dashboard JSON and returns the diagnostics object (`--format json` contract).
//! Datasources the repository deploys count as known.

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use dashstudio_core::model::Deployment;
use dashstudio_core::validate::{validate_document, Options, Report};

use super::openapi::schemas as doc;
use crate::api::openapi::errors;
use crate::auth::{AnyUser, Authorized};
use crate::error::ApiError;
use crate::state::AppState;

/// Validate a GrafanaDashboard YAML manifest or a dashboard JSON.
///
/// **Role:** viewer. Answers the diagnostics object of `dashstudio validate --format json`; datasources the repository deploys count as known.
#[utoipa::path(
    post,
    path = "/validate",
    operation_id = "validate_validate",
    tag = "validate",
    request_body(description = "A GrafanaDashboard CRD (YAML) or a Grafana dashboard JSON, as UTF-8 text; the `Content-Type` is not looked at (`application/yaml` is fine).", content((doc::DocumentText = "text/plain"), ("application/json"))),
    responses(
        (status = 200, description = "The diagnostics (an empty list when all is well).", body = Report),
        errors::BadRequest,
        errors::Unauthorized,
        errors::Forbidden,
        errors::PayloadTooLarge,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn validate(
    _user: Authorized<AnyUser>,
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<Report>, ApiError> {
    let text = std::str::from_utf8(&body).map_err(|e| {
        ApiError::BadRequest(format!("the body must be UTF-8 text (YAML or JSON): {e}"))
    })?;
    if text.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "the body is empty: send a GrafanaDashboard YAML manifest or a dashboard JSON"
                .to_owned(),
        ));
    }
    let index = state.current_index();
    let external_datasources = index
        .datasources
        .iter()
        .filter(|d| {
            matches!(d.deployment, Deployment::Listed { .. }) || index.kustomizations.is_empty()
        })
        .flat_map(|d| d.uid.iter().chain(d.display_name.iter()).cloned())
        .collect();
    let text = text.to_owned();
    let report = tokio::task::spawn_blocking(move || {
        validate_document(
            &text,
            &Options {
                external_datasources,
            },
        )
    })
    .await
    .map_err(|e| ApiError::Internal(format!("validation task failed: {e}")))?;
    Ok(Json(report))
}
