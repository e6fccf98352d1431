//! `GET /api/v1/problems`: files the scanner could not read (not YAML, not
//! UTF-8, too large, past a scan limit), with where and why (`limit`, `offset`).

use axum::extract::{Query, State};
use axum::Json;
use dashstudio_core::model::FileProblem;
use serde::Serialize;

use crate::api::openapi::errors;
use crate::auth::Reader;
use crate::error::ApiError;
use crate::state::AppState;

use super::ListPage;

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemsResponse {
    /// How many there are (all pages; `?limit=&offset=`).
    pub total: usize,
    pub offset: usize,
    pub problems: Vec<FileProblem>,
}

/// Files the scanner could not read, with where and why, a page at a time.
///
/// **Role:** viewer (anonymous too when anonymous read is on).
#[utoipa::path(
    get,
    path = "/problems",
    operation_id = "problems_list",
    tag = "repository",
    params(ListPage),
    responses(
        (status = 200, description = "One page of the problems.", body = ProblemsResponse),
        errors::BadRequest,
        errors::Unauthorized,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn list(
    _reader: Reader,
    State(state): State<AppState>,
    Query(page): Query<ListPage>,
) -> Result<Json<ProblemsResponse>, ApiError> {
    let problems = state.current_index().problems.clone();
    Ok(Json(ProblemsResponse {
        total: problems.len(),
        offset: page.offset,
        problems: page.take(problems)?,
    }))
}
