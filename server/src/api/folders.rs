//! `GET /api/v1/folders`: the folder tiers with their dashboard counts
//! (`limit`, `offset`).

use axum::extract::{Query, State};
use axum::Json;
use dashstudio_core::model::Folder;
use serde::Serialize;

use crate::auth::Reader;
use crate::error::ApiError;
use crate::state::AppState;

use super::ListPage;

#[derive(Serialize)]
pub struct FoldersResponse {
    /// How many there are (all pages; `?limit=&offset=`).
    pub total: usize,
    pub offset: usize,
    pub folders: Vec<Folder>,
}

pub async fn list(
    _reader: Reader,
    State(state): State<AppState>,
    Query(page): Query<ListPage>,
) -> Result<Json<FoldersResponse>, ApiError> {
    let folders = state.current_index().folders();
    Ok(Json(FoldersResponse {
        total: folders.len(),
        offset: page.offset,
        folders: page.take(folders)?,
    }))
}
