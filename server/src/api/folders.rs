//! `GET /api/v1/folders`: the folder tiers with their dashboard counts.

use axum::extract::State;
use axum::Json;
use dashstudio_core::model::Folder;
use serde::Serialize;

use crate::auth::Reader;
use crate::state::AppState;

#[derive(Serialize)]
pub struct FoldersResponse {
    pub folders: Vec<Folder>,
}

pub async fn list(_reader: Reader, State(state): State<AppState>) -> Json<FoldersResponse> {
    Json(FoldersResponse {
        folders: state.current_index().folders(),
    })
}
