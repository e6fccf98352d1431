//! `POST /api/v1/validate`: validates a submitted CRD YAML document or
//! dashboard JSON and returns the diagnostics object (`--format json` contract).
//! Datasources the repository deploys count as known.

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use dashstudio_core::model::Deployment;
use dashstudio_core::validate::{validate_document, Options, Report};

use crate::auth::{AnyUser, Authorized};
use crate::error::ApiError;
use crate::state::AppState;

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
