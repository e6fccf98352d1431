//! The editor's server functions: open a dashboard for editing, save its
//! draft, move/rename/delete/create dashboards as drafts, show the draft's
//! diff, commit it and retry its push. Each is a thin
//! wrapper over the [`Editor`] the server provides (its write-path service).

use dashstudio_core::validate::Diagnostic;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the server hands the editor: the write path, acting as the signed-in user.
#[cfg(feature = "ssr")]
pub trait Editor: Send + Sync + 'static {
    fn open(&self, namespace: String, name: String) -> EditorFuture<'_, EditSession>;
    /// Saves `dashboard` (the whole JSON text) as the user's draft. `typed`:
    /// the text is as the user typed it (the JSON tab), to be kept as it is
    /// where the file's JSON does not parse.
    fn save(
        &self,
        namespace: String,
        name: String,
        dashboard: String,
        base_version: Option<String>,
        typed: bool,
    ) -> EditorFuture<'_, DraftState>;
    fn discard(&self, namespace: String, name: String) -> EditorFuture<'_, ()>;
    /// What committing the draft would record, file by file.
    fn changes(&self, namespace: String, name: String) -> EditorFuture<'_, DraftChanges>;
    fn commit(&self, request: CommitRequest) -> EditorFuture<'_, CommitState>;
    fn retry_push(&self, commit: String) -> EditorFuture<'_, CommitState>;
    /// The commits that changed the dashboard's file, newest first.
    fn history(&self, namespace: String, name: String) -> EditorFuture<'_, Vec<HistoryEntry>>;
    /// The dashboard JSON as the file held it at `commit`.
    fn version(
        &self,
        namespace: String,
        name: String,
        commit: String,
    ) -> EditorFuture<'_, FileVersion>;
    /// Makes the dashboard of `commit` the user's draft.
    fn restore(
        &self,
        namespace: String,
        name: String,
        commit: String,
    ) -> EditorFuture<'_, DraftState>;
    /// The whole-dashboard validation of the JSON tab: `dashboard` is the
    /// JSON text as typed (it parses), checked as a document on its own with
    /// the repository's datasources known.
    fn check_json(&self, dashboard: String) -> EditorFuture<'_, Vec<Diagnostic>>;
    /// Every diagnostic of the repository as last read, placed at its
    /// dashboard (and panel), and the files the scanner could not read.
    fn problems(&self) -> EditorFuture<'_, super::problems::RepoProblems>;
    /// Drafts moving the dashboard to the folder titled `folder` (by the
    /// GrafanaFolder it is known by, when one declares it).
    fn move_to_folder(
        &self,
        namespace: String,
        name: String,
        folder: String,
    ) -> EditorFuture<'_, DraftState>;
    /// Drafts renaming the resource to `new_name` (the file follows when named after it).
    fn rename(
        &self,
        namespace: String,
        name: String,
        new_name: String,
    ) -> EditorFuture<'_, DraftState>;
    /// Drafts deleting the dashboard: its file and its kustomization entry.
    fn delete(&self, namespace: String, name: String) -> EditorFuture<'_, DraftState>;
    /// Drafts a new dashboard, empty or from a template dashboard.
    fn create(&self, request: NewDashboard) -> EditorFuture<'_, DraftState>;
    /// The user's drafts, most recent first.
    fn drafts(&self) -> EditorFuture<'_, Vec<DraftItem>>;
    /// Fetches origin now and re-reads what changed.
    fn fetch(&self) -> EditorFuture<'_, FetchResult>;
}

/// A boxed `Send` future answering with a result or a message for the user.
#[cfg(feature = "ssr")]
pub type EditorFuture<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, String>> + Send + 'a>>;

/// The editor as stored in the Leptos context.
#[cfg(feature = "ssr")]
pub type SharedEditor = std::sync::Arc<dyn Editor>;

#[cfg(feature = "ssr")]
pub(crate) fn editor() -> Result<SharedEditor, ServerFnError> {
    use_context::<SharedEditor>().ok_or_else(|| ServerFnError::new("editing is not available"))
}

/// A dashboard opened for editing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditSession {
    /// The dashboard JSON to edit: the user's draft if there is one, else the file's.
    pub dashboard: Option<String>,
    /// Why the dashboard JSON could not be read (broken JSON: fix it in the JSON tab).
    pub dashboard_error: Option<String>,
    /// The raw `spec.json` text when it does not parse.
    pub raw: Option<String>,
    /// The version of the file the edit starts from.
    pub base_version: Option<String>,
    pub draft: Option<DraftState>,
    /// Datasources the repository deploys.
    pub datasources: Vec<DatasourceChoice>,
    /// Why this repository cannot be written to, if it cannot.
    pub read_only: Option<String>,
    pub allow_direct_commit: bool,
    /// The user may commit despite validation errors, giving a reason (admins).
    #[serde(default)]
    pub may_override: bool,
    pub default_branch: String,
    /// A commit of this draft that still waits for its push.
    pub pending_commit: Option<CommitState>,
}

/// The saved draft and what validation says about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftState {
    pub revision: i64,
    pub updated_at: String,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// Places upstream changed too since the draft's base.
    pub conflicts: usize,
    /// The commit this draft is in, waiting for its push.
    pub commit: Option<String>,
    /// What the draft does to the repository: `edit`, `create` or `delete`.
    pub kind: String,
    /// The file the dashboard is in now (a new dashboard's file to be).
    pub file: String,
    /// Where the commit writes it (differs from `file` after a rename or a move).
    pub new_file: String,
    /// The folder the draft moves the dashboard to (title, uid or GrafanaFolder name).
    pub folder: Option<String>,
    /// The resource's new name.
    pub rename_to: Option<String>,
}

/// A new dashboard (the folder page's "New dashboard" form).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDashboard {
    pub namespace: String,
    pub name: String,
    pub title: String,
    /// The folder's title (none: the operator's default folder).
    pub folder: Option<String>,
    /// `namespace/name` of the dashboard to start from.
    pub template: Option<String>,
}

/// What a fetch of origin brought.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchResult {
    pub head: String,
    pub previous: String,
    pub changed_files: usize,
    pub dashboards: usize,
}

/// One of the user's drafts, as the commit dialog lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftItem {
    pub namespace: String,
    pub name: String,
    pub kind: String,
    pub new_file: String,
    pub errors: usize,
    /// Committed, waiting for its push.
    pub committed: bool,
}

/// A datasource a panel can point at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasourceChoice {
    pub name: String,
    pub r#type: Option<String>,
    pub uid: Option<String>,
}

/// What a commit of the draft would record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DraftChanges {
    pub files: Vec<FileDiff>,
    /// One line per semantic change ("panel 4 \"CPU\": title changed").
    pub summary: Vec<String>,
}

/// The unified diff of one file (`old` is `None` for a new file, `new` for a deleted one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDiff {
    pub path: String,
    pub diff: String,
    pub added: usize,
    pub removed: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitRequest {
    pub namespace: String,
    pub name: String,
    pub message: String,
    /// Commit to the default branch (only when the server allows it).
    pub direct: bool,
    pub pull_request: bool,
    /// More of the user's drafts (`namespace/name`) to record in the same commit.
    #[serde(default)]
    pub also: Vec<String>,
    /// Commit despite validation errors, for this reason (admins only; it is
    /// recorded in the commit's `Studio-Override:` trailer).
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// A commit and how its delivery went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitState {
    pub commit: String,
    pub branch: String,
    pub pushed: bool,
    pub pull_request: Option<String>,
    pub error: Option<String>,
    pub push_attempts: i64,
}

/// One commit of a dashboard file's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub commit: String,
    pub author: String,
    /// The author time, UTC (`2026-11-27 13:15`).
    pub date: String,
    pub summary: String,
}

/// The dashboard JSON of one version of its file, read-only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileVersion {
    pub commit: String,
    pub file: String,
    /// The JSON text as stored (decoded for `gzipJson`).
    pub json: String,
    /// Why the JSON does not parse at that version, if it does not.
    pub error: Option<String>,
}

#[server]
pub async fn open_editor(namespace: String, name: String) -> Result<EditSession, ServerFnError> {
    editor()?
        .open(namespace, name)
        .await
        .map_err(ServerFnError::new)
}

#[server]
pub async fn save_draft(
    namespace: String,
    name: String,
    dashboard: String,
    base_version: Option<String>,
    typed: bool,
) -> Result<DraftState, ServerFnError> {
    editor()?
        .save(namespace, name, dashboard, base_version, typed)
        .await
        .map_err(ServerFnError::new)
}

#[server]
pub async fn discard_draft(namespace: String, name: String) -> Result<(), ServerFnError> {
    editor()?
        .discard(namespace, name)
        .await
        .map_err(ServerFnError::new)
}

#[server]
pub async fn get_draft_changes(
    namespace: String,
    name: String,
) -> Result<DraftChanges, ServerFnError> {
    editor()?
        .changes(namespace, name)
        .await
        .map_err(ServerFnError::new)
}

#[server]
pub async fn commit_draft(request: CommitRequest) -> Result<CommitState, ServerFnError> {
    editor()?.commit(request).await.map_err(ServerFnError::new)
}

#[server]
pub async fn retry_push(commit: String) -> Result<CommitState, ServerFnError> {
    editor()?
        .retry_push(commit)
        .await
        .map_err(ServerFnError::new)
}

#[server]
pub async fn get_history(
    namespace: String,
    name: String,
) -> Result<Vec<HistoryEntry>, ServerFnError> {
    editor()?
        .history(namespace, name)
        .await
        .map_err(ServerFnError::new)
}

#[server]
pub async fn get_version(
    namespace: String,
    name: String,
    commit: String,
) -> Result<FileVersion, ServerFnError> {
    editor()?
        .version(namespace, name, commit)
        .await
        .map_err(ServerFnError::new)
}

#[server]
pub async fn restore_version(
    namespace: String,
    name: String,
    commit: String,
) -> Result<DraftState, ServerFnError> {
    editor()?
        .restore(namespace, name, commit)
        .await
        .map_err(ServerFnError::new)
}

#[server]
pub async fn check_dashboard_json(dashboard: String) -> Result<Vec<Diagnostic>, ServerFnError> {
    editor()?
        .check_json(dashboard)
        .await
        .map_err(ServerFnError::new)
}

#[server]
pub async fn move_to_folder(
    namespace: String,
    name: String,
    folder: String,
) -> Result<DraftState, ServerFnError> {
    editor()?
        .move_to_folder(namespace, name, folder)
        .await
        .map_err(ServerFnError::new)
}

#[server]
pub async fn rename_dashboard(
    namespace: String,
    name: String,
    new_name: String,
) -> Result<DraftState, ServerFnError> {
    editor()?
        .rename(namespace, name, new_name)
        .await
        .map_err(ServerFnError::new)
}

#[server]
pub async fn delete_dashboard(
    namespace: String,
    name: String,
) -> Result<DraftState, ServerFnError> {
    editor()?
        .delete(namespace, name)
        .await
        .map_err(ServerFnError::new)
}

#[server]
pub async fn create_dashboard(request: NewDashboard) -> Result<DraftState, ServerFnError> {
    editor()?.create(request).await.map_err(ServerFnError::new)
}

#[server]
pub async fn list_drafts() -> Result<Vec<DraftItem>, ServerFnError> {
    editor()?.drafts().await.map_err(ServerFnError::new)
}

#[server]
pub async fn fetch_origin() -> Result<FetchResult, ServerFnError> {
    editor()?.fetch().await.map_err(ServerFnError::new)
}
