//! `GET /api/v1/folders`: the folder tiers with their dashboard counts
//! (`limit`, `offset`).

use axum::extract::{Query, State};
use axum::Json;
use dashstudio_core::model::Folder;
use serde::Serialize;

use crate::api::openapi::errors;
use crate::auth::Reader;
use crate::error::ApiError;
use crate::state::AppState;

use super::ListPage;

#[derive(Serialize, utoipa::ToSchema)]
pub struct FoldersResponse {
    /// How many there are (all pages; `?limit=&offset=`).
    pub total: usize,
    pub offset: usize,
    pub folders: Vec<Folder>,
}

/// The folder tiers with their dashboard counts, a page at a time.
///
/// **Role:** viewer (anonymous too when anonymous read is on).
#[utoipa::path(
    get,
    path = "/folders",
    operation_id = "folders_list",
    tag = "folders",
    params(ListPage),
    responses(
        (status = 200, description = "One page of the folders.", body = FoldersResponse),
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
) -> Result<Json<FoldersResponse>, ApiError> {
    let folders = state.current_index().folders();
    Ok(Json(FoldersResponse {
        total: folders.len(),
        offset: page.offset,
        folders: page.take(folders)?,
    }))
}
