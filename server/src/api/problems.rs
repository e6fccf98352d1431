//! `GET /api/v1/problems`: files the scanner could not read (not YAML, not
//! UTF-8, too large, past a scan limit), with where and why (`limit`, `offset`).

use axum::extract::{Query, State};
use axum::Json;
use dashstudio_core::model::FileProblem;
use serde::Serialize;

use crate::auth::Reader;
use crate::error::ApiError;
use crate::state::AppState;

use super::ListPage;

#[derive(Serialize)]
pub struct ProblemsResponse {
    /// How many there are (all pages; `?limit=&offset=`).
    pub total: usize,
    pub offset: usize,
    pub problems: Vec<FileProblem>,
}

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
