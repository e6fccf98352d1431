//! Drafts: `GET /api/v1/drafts`, `POST /api/v1/drafts` (new from a template),
//! `GET|PUT|DELETE /api/v1/drafts/{namespace}/{name}`, and
//! `POST /api/v1/drafts/{namespace}/{name}/operations`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use dashstudio_core::edit::crd::check_name;
use serde::Serialize;
use serde_json::Value;

use super::openapi::schemas as doc;
use crate::api::openapi::errors;
use crate::auth::{Authorized, EditorRead, EditorWrite};
use crate::error::ApiError;
use crate::service::drafts::{self, CreateDraft, DraftView, Operation, Operations, SaveDraft};
use crate::service::version::Version;
use crate::state::AppState;

use super::{JsonBody, ListPage};

#[derive(Serialize, utoipa::ToSchema)]
pub struct DraftList {
    /// How many drafts you have (all pages; `?limit=&offset=`).
    pub total: usize,
    pub offset: usize,
    #[schema(value_type = Vec<doc::DraftViewSchema>)]
    pub drafts: Vec<DraftView>,
}

/// Your drafts, a page at a time.
///
/// **Role:** editor.
#[utoipa::path(
    get,
    path = "/drafts",
    operation_id = "drafts_list",
    tag = "drafts",
    params(ListPage),
    responses(
        (status = 200, description = "One page of your drafts.", body = DraftList),
        errors::BadRequest,
        errors::Unauthorized,
        errors::ForbiddenRole,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn list(
    editor: Authorized<EditorRead>,
    State(state): State<AppState>,
    Query(page): Query<ListPage>,
) -> Result<Json<DraftList>, ApiError> {
    let drafts = drafts::list(&state, &editor.actor).await?;
    Ok(Json(DraftList {
        total: drafts.len(),
        offset: page.offset,
        drafts: page.take(drafts)?,
    }))
}

/// Your draft of one dashboard, with its diagnostics and conflicts.
///
/// **Role:** editor.
#[utoipa::path(
    get,
    path = "/drafts/{namespace}/{name}",
    operation_id = "drafts_get",
    tag = "drafts",
    params(super::DashboardPath),
    responses(
        (status = 200, description = "The draft.", body = doc::DraftViewSchema),
        errors::BadRequest,
        errors::Unauthorized,
        errors::ForbiddenRole,
        errors::NotFound,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn get(
    editor: Authorized<EditorRead>,
    State(state): State<AppState>,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<Json<DraftView>, ApiError> {
    Ok(Json(
        drafts::get(&state, &editor.actor, &namespace, &name).await?,
    ))
}

/// Save your draft of a dashboard: its JSON, folder or name.
///
/// **Role:** editor (a write-scoped token).
#[utoipa::path(
    put,
    path = "/drafts/{namespace}/{name}",
    operation_id = "drafts_save",
    tag = "drafts",
    params(super::DashboardPath),
    request_body = doc::SaveDraftSchema,
    responses(
        (status = 200, description = "The draft as saved.", body = doc::DraftViewSchema),
        errors::BadRequest,
        errors::Unauthorized,
        errors::Forbidden,
        errors::NotFound,
        errors::Conflict,
        errors::PayloadTooLarge,
        errors::Unprocessable,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn save(
    editor: Authorized<EditorWrite>,
    State(state): State<AppState>,
    Path((namespace, name)): Path<(String, String)>,
    JsonBody(body): JsonBody<SaveDraft>,
) -> Result<Json<DraftView>, ApiError> {
    check_folder(body.folder.as_ref())?;
    check_version(body.base_version.as_deref())?;
    Ok(Json(
        drafts::save(&state, &editor.actor, &namespace, &name, body).await?,
    ))
}

/// Apply edit operations to your draft of a dashboard.
///
/// **Role:** editor (a write-scoped token).
#[utoipa::path(
    post,
    path = "/drafts/{namespace}/{name}/operations",
    operation_id = "drafts_operate",
    tag = "drafts",
    params(super::DashboardPath),
    request_body = doc::OperationsSchema,
    responses(
        (status = 200, description = "The draft after the operations.", body = doc::DraftViewSchema),
        errors::BadRequest,
        errors::Unauthorized,
        errors::Forbidden,
        errors::NotFound,
        errors::Conflict,
        errors::PayloadTooLarge,
        errors::Unprocessable,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn operate(
    editor: Authorized<EditorWrite>,
    State(state): State<AppState>,
    Path((namespace, name)): Path<(String, String)>,
    JsonBody(body): JsonBody<Operations>,
) -> Result<Json<DraftView>, ApiError> {
    check_version(body.base_version.as_deref())?;
    for op in &body.operations {
        if let Operation::Move { folder } = op {
            check_folder(Some(folder))?;
        }
    }
    Ok(Json(
        drafts::operate(&state, &editor.actor, &namespace, &name, body).await?,
    ))
}

/// Start a draft of a new dashboard, from a template or empty.
///
/// **Role:** editor (a write-scoped token).
#[utoipa::path(
    post,
    path = "/drafts",
    operation_id = "drafts_create",
    tag = "drafts",
    request_body = doc::CreateDraftSchema,
    responses(
        (status = 201, description = "The new draft.", body = doc::DraftViewSchema),
        errors::BadRequest,
        errors::Unauthorized,
        errors::Forbidden,
        errors::NotFound,
        errors::Conflict,
        errors::PayloadTooLarge,
        errors::Unprocessable,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn create(
    editor: Authorized<EditorWrite>,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<CreateDraft>,
) -> Result<(StatusCode, Json<DraftView>), ApiError> {
    check_folder(body.folder.as_ref())?;
    let draft = drafts::create(&state, &editor.actor, body).await?;
    Ok((StatusCode::CREATED, Json(draft)))
}

/// Discard your draft of a dashboard.
///
/// **Role:** editor (a write-scoped token).
#[utoipa::path(
    delete,
    path = "/drafts/{namespace}/{name}",
    operation_id = "drafts_discard",
    tag = "drafts",
    params(super::DashboardPath),
    responses(
        (status = 204, description = "Discarded."),
        errors::BadRequest,
        errors::Unauthorized,
        errors::Forbidden,
        errors::NotFound,
        errors::Conflict,
        errors::PayloadTooLarge,
        errors::Internal,
        errors::Timeout
    )
)]
pub async fn discard(
    editor: Authorized<EditorWrite>,
    State(state): State<AppState>,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    drafts::discard(&state, &editor.actor, &namespace, &name).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A folder is exactly one of `{"folder": title}`, `{"folderUID": uid}` or
/// `{"folderRef": name}`. A folder reference names a GrafanaFolder (a
/// Kubernetes name) and a folder uid is Grafana's (letters, digits, `-`,
/// `_`); only a title is free text.
fn check_folder(folder: Option<&Value>) -> Result<(), ApiError> {
    let Some(folder) = folder else {
        return Ok(());
    };
    let one_known_string = folder.as_object().is_some_and(|o| {
        o.len() == 1
            && o.iter().all(|(k, v)| {
                ["folder", "folderUID", "folderRef"].contains(&k.as_str()) && v.is_string()
            })
    });
    if !one_known_string {
        return Err(ApiError::BadRequest(
            "`folder` must be {\"folder\": title}, {\"folderUID\": uid} or {\"folderRef\": name}"
                .to_owned(),
        ));
    }
    if let Some(name) = folder.get("folderRef").and_then(Value::as_str) {
        check_name(name).map_err(|e| ApiError::BadRequest(format!("`folderRef`: {e}")))?;
    }
    if let Some(uid) = folder.get("folderUID").and_then(Value::as_str) {
        let ok = !uid.is_empty()
            && uid.len() <= 40
            && uid
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok {
            return Err(ApiError::BadRequest(format!(
                "`folderUID` {uid:?} is not a Grafana uid (letters, digits, `-`, `_`; ≤ 40 characters)"
            )));
        }
    }
    Ok(())
}

/// A `base_version`, when given, is a token this server gave out, whatever
/// kind of draft it is sent for.
fn check_version(token: Option<&str>) -> Result<(), ApiError> {
    match token {
        Some(token) => Version::parse(token)
            .map(drop)
            .map_err(ApiError::BadRequest),
        None => Ok(()),
    }
}
