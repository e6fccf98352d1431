//! `GET /api/v1/problems`: files the scanner could not read (not YAML, not
//! UTF-8, too large), with where and why.

use axum::extract::State;
use axum::Json;
use dashstudio_core::model::FileProblem;
use serde::Serialize;

use crate::auth::Reader;
use crate::state::AppState;

#[derive(Serialize)]
pub struct ProblemsResponse {
    pub problems: Vec<FileProblem>,
}

pub async fn list(_reader: Reader, State(state): State<AppState>) -> Json<ProblemsResponse> {
    Json(ProblemsResponse {
        problems: state.current_index().problems.clone(),
    })
}
