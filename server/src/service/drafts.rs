//! Drafts: save (validated on every save), edit operations, create from a
//! template, delete, list, get, discard. A draft is stored before anything
//! else can fail, so an edit is never lost; what it would commit, its
//! diagnostics and any conflict with upstream come back with it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use dashstudio_core::edit::{self, ops::PanelField};
use dashstudio_core::validate::{Diagnostic, Severity};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::plan::{self, Changes, Files, PlanError};
use super::snapshot::Snapshot;
use super::version::Version;
use super::{writer, Actor, Writer};
use crate::db::drafts::{self as store, Draft, DraftKind, DraftWrite};
use crate::error::ApiError;
use crate::git::{self, Workspace};
use crate::state::App;

/// The body of `PUT /api/v1/drafts/{namespace}/{name}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveDraft {
    /// The whole Grafana dashboard JSON as edited.
    #[serde(default)]
    pub dashboard: Option<Value>,
    /// The whole dashboard JSON as text, instead of `dashboard`: when the
    /// file's JSON does not parse (a broken dashboard being fixed) the commit
    /// writes this text as typed, so it changes only the lines fixed.
    #[serde(default)]
    pub dashboard_text: Option<String>,
    /// The `version` the client loaded (from GET /api/v1/dashboards/…).
    #[serde(default)]
    pub base_version: Option<String>,
    /// Move to another folder: `{"folder": title}`, `{"folderUID": uid}` or `{"folderRef": name}`.
    #[serde(default)]
    pub folder: Option<Value>,
    /// Rename the resource (`metadata.name`; the file follows when named after it).
    #[serde(default)]
    pub rename_to: Option<String>,
}

/// One edit operation (`POST /api/v1/drafts/{namespace}/{name}/operations`).
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Operation {
    /// Replace the whole dashboard JSON.
    Replace {
        dashboard: Value,
    },
    /// Set one panel field: title, description, type, gridPos, datasource, targets.
    SetPanel {
        id: i64,
        field: String,
        value: Value,
    },
    AddPanel {
        panel: Value,
    },
    DuplicatePanel {
        id: i64,
    },
    RemovePanel {
        id: i64,
    },
    /// Move to a folder (see [`SaveDraft::folder`]).
    Move {
        folder: Value,
    },
    Rename {
        name: String,
    },
    /// Delete the dashboard (its file and kustomization entry).
    Delete,
}

/// The body of `POST /api/v1/drafts/{namespace}/{name}/operations`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operations {
    pub operations: Vec<Operation>,
    #[serde(default)]
    pub base_version: Option<String>,
}

/// The body of `POST /api/v1/drafts`: a new dashboard from a template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateDraft {
    pub namespace: String,
    pub name: String,
    pub title: String,
    /// The folder, as in [`SaveDraft::folder`].
    #[serde(default)]
    pub folder: Option<Value>,
    /// `namespace/name` of a dashboard to start from (its panels, variables…);
    /// without it an empty dashboard.
    #[serde(default)]
    pub template: Option<String>,
    /// Directory of the new file; default: next to the folder's dashboards.
    #[serde(default)]
    pub directory: Option<String>,
}

/// A draft as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DraftView {
    pub namespace: String,
    pub name: String,
    pub kind: DraftKind,
    pub file: String,
    pub new_file: String,
    pub base_version: Option<String>,
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
    pub dashboard: Option<Value>,
    pub folder: Option<Value>,
    pub rename_to: Option<String>,
    /// Set when committed locally and waiting for its push.
    pub commit: Option<String>,
    /// The problems in the files this draft writes.
    pub diagnostics: Vec<Diagnostic>,
    pub summary: DraftSummary,
    /// Where upstream changed the same places since the draft's base.
    pub conflicts: Vec<Value>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DraftSummary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl DraftSummary {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut s = Self::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}

impl DraftView {
    fn of(d: Draft, conflicts: Vec<Value>) -> Self {
        let diagnostics: Vec<Diagnostic> =
            serde_json::from_value(d.diagnostics.clone()).unwrap_or_default();
        DraftView {
            base_version: match (&d.base_commit, &d.base_blob) {
                (Some(c), Some(b)) => Some(format!("{c}:{b}")),
                _ => None,
            },
            namespace: d.namespace,
            name: d.name,
            kind: d.kind,
            file: d.file,
            new_file: d.new_file,
            revision: d.revision,
            created_at: d.created_at,
            updated_at: d.updated_at,
            dashboard: d.dashboard,
            folder: d.folder,
            rename_to: d.rename_to,
            commit: d.commit_id,
            summary: DraftSummary::of(&diagnostics),
            diagnostics,
            conflicts,
        }
    }
}

/// The files a plan reads: the clone's working tree (the default branch as
/// last fetched) and the clone's object database for older versions.
pub struct CloneFiles {
    pub root: PathBuf,
    pub git: Option<Arc<Mutex<Workspace>>>,
}

impl Files for CloneFiles {
    fn current(&self, path: &str) -> Option<String> {
        let full = safe_join(&self.root, path)?;
        String::from_utf8(std::fs::read(full).ok()?).ok()
    }

    fn blob(&self, id: &str) -> Option<String> {
        let git = self.git.as_ref()?;
        let guard = match git.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let bytes = guard.read_blob(id.parse().ok()?).ok()??;
        String::from_utf8(bytes).ok()
    }

    fn blob_id(&self, text: &str) -> String {
        git::blob_id_of(text.as_bytes()).to_string()
    }
}

/// `root/path` for a repository-relative path that stays inside the
/// repository: checked, and no part of it a symlink (which could point out).
pub fn safe_join(root: &Path, path: &str) -> Option<PathBuf> {
    check_repo_path(path).ok()?;
    check_no_symlink(root, path).ok()?;
    Some(root.join(path))
}

/// Refuses a path under `root` that passes through a symlink; the parts that
/// do not exist yet are fine (nothing to follow).
pub fn check_no_symlink(root: &Path, path: &str) -> Result<(), String> {
    let mut at = root.to_path_buf();
    for part in path.split('/') {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(format!(
                    "{path:?} goes through a symbolic link in the repository; the studio does not follow links"
                ))
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(())
}

/// A repository-relative path the studio may write: `/`-separated, no `..`,
/// not absolute, nothing under `.git`.
pub fn check_repo_path(path: &str) -> Result<(), String> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.contains('\0')
        || path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == ".." || s.eq_ignore_ascii_case(".git"));
    if bad {
        Err(format!(
            "{path:?} is not a path inside the repository (relative, `/`-separated, no `..` or `.git`)"
        ))
    } else {
        Ok(())
    }
}

/// The version of `file` as it is now: the commit the snapshot read and the
/// file's blob id.
pub fn current_version(app: &App, snapshot: &Snapshot, file: &str) -> Option<Version> {
    let bytes = std::fs::read(safe_join(&app.repo.path, file)?).ok()?;
    version_of(snapshot, &bytes)
}

/// The version of a file's `bytes` as read from the snapshot's commit.
pub fn version_of(snapshot: &Snapshot, bytes: &[u8]) -> Option<Version> {
    Some(Version {
        commit: snapshot.head.clone()?,
        blob: git::blob_id_of(bytes).to_string(),
    })
}

pub(super) fn waiting_for_push(d: &Draft) -> ApiError {
    ApiError::Conflict {
        message: format!(
            "the draft of {}/{} is committed in {} and waits for its push; retry it with POST /api/v1/commits/{}/push",
            d.namespace,
            d.name,
            d.commit_id.as_deref().unwrap_or(""),
            d.commit_id.as_deref().unwrap_or("")
        ),
        details: json!({"commit": d.commit_id}),
    }
}

/// 403 unless the actor may change `namespace/name` in the folder it is in
/// now and in the folder `target` (`{"folder"|"folderUID"|"folderRef": …}`)
/// it moves to or is created in. Only editors restricted to some folders
/// (`--folder` on `dashstudio user add`, `folders` in `POST /api/v1/users`)
/// are ever refused.
pub fn check_folders(
    actor: &Actor,
    index: &dashstudio_core::Index,
    namespace: &str,
    name: &str,
    target: Option<&Value>,
) -> Result<(), ApiError> {
    let Some(allowed) = actor.folders.as_ref().filter(|_| !actor.admin) else {
        return Ok(());
    };
    let current = index.dashboard(namespace, name).map(|d| d.folder.clone());
    let spec = match target.and_then(plan::folder_of) {
        Some(folder) => Some(folder.into()),
        // A new dashboard without a folder lands in its namespace's.
        None if current.is_none() => Some(dashstudio_core::crd::FolderSpec::None),
        None => None,
    };
    let moved_to = spec
        .map(|spec| dashstudio_core::scan::resolve_folder(&spec, namespace, &index.folder_crds).0);
    for folder in current.iter().chain(moved_to.iter()) {
        if !actor.may_change_folder(folder) {
            return Err(ApiError::Forbidden(format!(
                "{namespace}/{name} is in (or would move to) the folder {folder:?}; \
                 you may change dashboards in {} only",
                allowed
                    .iter()
                    .map(|f| format!("{f:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(())
}

/// Saves the actor's draft of `namespace/name` (creating it), then returns it
/// with its diagnostics.
pub async fn save(
    app: &App,
    actor: &Actor,
    namespace: &str,
    name: &str,
    req: SaveDraft,
) -> Result<DraftView, ApiError> {
    let writer = writer(app)?;
    let snapshot = app.snapshot();
    check_folders(actor, &snapshot.index, namespace, name, req.folder.as_ref())?;
    let existing = store::get(&app.db, &actor.key, namespace, name).await?;
    if let Some(d) = existing.as_ref().filter(|d| d.commit_id.is_some()) {
        return Err(waiting_for_push(d));
    }
    let mut req = req;
    if let Some(text) = &req.dashboard_text {
        let value = parse_dashboard_text(text)?;
        if req.dashboard.as_ref().is_some_and(|d| *d != value) {
            return Err(ApiError::BadRequest(
                "`dashboard` and `dashboard_text` differ; send one of them".to_owned(),
            ));
        }
        req.dashboard = Some(value);
    }
    if let Some(v) = req.dashboard.as_ref().filter(|v| !v.is_object()) {
        return Err(ApiError::BadRequest(format!(
            "`dashboard` must be the dashboard JSON object, not {}",
            kind_of(v)
        )));
    }
    if let Some(new) = &req.rename_to {
        edit::crd::check_name(new).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    }
    if let Some(f) = &req.folder {
        if plan::folder_of(f).is_none() {
            return Err(ApiError::BadRequest(
                "`folder` must be {\"folder\": title}, {\"folderUID\": uid} or {\"folderRef\": name}"
                    .to_owned(),
            ));
        }
    }

    let mut draft = match existing {
        Some(d) if d.kind == DraftKind::Create => d,
        existing => {
            let dashboard = snapshot.index.dashboard(namespace, name).ok_or_else(|| {
                ApiError::NotFound(format!(
                    "no GrafanaDashboard {namespace}/{name} in the repository; create one with POST /api/v1/drafts"
                ))
            })?;
            let current = current_version(app, &snapshot, &dashboard.file).ok_or_else(|| {
                ApiError::Internal(format!("cannot read {} in the clone", dashboard.file))
            })?;
            let base = match &req.base_version {
                Some(token) => Version::parse(token).map_err(ApiError::BadRequest)?,
                None => match &existing {
                    Some(Draft {
                        base_commit: Some(commit),
                        base_blob: Some(blob),
                        ..
                    }) => Version {
                        commit: commit.clone(),
                        blob: blob.clone(),
                    },
                    _ => current.clone(),
                },
            };
            if base.blob != current.blob {
                let id = base.blob.clone();
                let known = writer
                    .with_git(move |g| {
                        id.parse()
                            .ok()
                            .and_then(|id| g.read_blob(id).ok().flatten())
                            .is_some()
                    })
                    .await?;
                if !known {
                    return Err(ApiError::conflict(format!(
                        "base_version {} is not a version of {namespace}/{name} this server knows; reload the dashboard",
                        base.token()
                    )));
                }
            }
            let mut d = existing.unwrap_or_else(|| blank_draft(actor, namespace, name));
            d.kind = DraftKind::Edit;
            d.file = dashboard.file.clone();
            d.new_file = dashboard.file.clone();
            d.document = dashboard.document as i64;
            d.base_commit = Some(base.commit);
            d.base_blob = Some(base.blob);
            d
        }
    };
    if let Some(v) = req.dashboard {
        draft.dashboard = Some(v);
    }
    if let (Some(text), DraftKind::Edit) = (&req.dashboard_text, draft.kind) {
        // The layout a broken file's JSON is replaced with (see plan::apply).
        let files = CloneFiles {
            root: writer.root.clone(),
            git: None,
        };
        if let Some(typed) = files
            .current(&draft.file)
            .and_then(|t| plan::replace_json_text(&t, draft.document as usize, text).ok())
        {
            draft.content = typed;
        }
    }
    if let Some(f) = req.folder {
        draft.folder = Some(f);
    }
    if let Some(r) = req.rename_to {
        draft.rename_to = (r != draft.name).then_some(r);
        // The file follows the name when it is named after the resource: say
        // so now, as the commit will (plan::target_file).
        if draft.kind == DraftKind::Edit {
            draft.new_file = plan::target_file(&snapshot.index, &draft);
        }
    }
    if draft.kind == DraftKind::Edit
        && draft.dashboard.is_none()
        && draft.folder.is_none()
        && draft.rename_to.is_none()
    {
        return Err(ApiError::BadRequest(
            "nothing to save: send `dashboard`, `folder` or `rename_to`".to_owned(),
        ));
    }
    store_evaluated(app, writer, &snapshot, draft).await
}

/// Applies edit operations to the actor's draft (or the dashboard as it is
/// now, when there is no draft yet) and saves the result.
pub async fn operate(
    app: &App,
    actor: &Actor,
    namespace: &str,
    name: &str,
    req: Operations,
) -> Result<DraftView, ApiError> {
    let writer = writer(app)?;
    if req.operations.is_empty() {
        return Err(ApiError::BadRequest("`operations` is empty".to_owned()));
    }
    let snapshot = app.snapshot();
    let existing = store::get(&app.db, &actor.key, namespace, name).await?;
    if let Some(d) = existing.as_ref().filter(|d| d.commit_id.is_some()) {
        return Err(waiting_for_push(d));
    }
    let mut dashboard = match existing.as_ref().and_then(|d| d.dashboard.clone()) {
        Some(v) => Some(v),
        None => {
            let d = snapshot.index.dashboard(namespace, name).ok_or_else(|| {
                ApiError::NotFound(format!(
                    "no GrafanaDashboard {namespace}/{name} in the repository"
                ))
            })?;
            let files = CloneFiles {
                root: writer.root.clone(),
                git: None,
            };
            let text = files
                .current(&d.file)
                .ok_or_else(|| ApiError::Internal(format!("cannot read {}", d.file)))?;
            match edit::open_dashboard(&text, d.document) {
                Ok((_, v)) => Some(v),
                Err(e) => {
                    let only_crd_level = req.operations.iter().all(|o| {
                        matches!(
                            o,
                            Operation::Move { .. }
                                | Operation::Rename { .. }
                                | Operation::Delete
                                | Operation::Replace { .. }
                        )
                    });
                    if !only_crd_level {
                        return Err(ApiError::Unprocessable {
                            message: format!(
                                "{namespace}/{name}: {e}; fix the JSON first (replace the whole dashboard)"
                            ),
                            details: json!([]),
                        });
                    }
                    None
                }
            }
        }
    };
    let mut save_req = SaveDraft {
        base_version: req.base_version,
        ..SaveDraft::default()
    };
    let mut delete = false;
    let mut touched_dashboard = false;
    for (i, op) in req.operations.into_iter().enumerate() {
        let at = |e: edit::EditError| ApiError::BadRequest(format!("operation {i}: {e}"));
        match op {
            Operation::Replace { dashboard: new } => {
                if !new.is_object() {
                    return Err(ApiError::BadRequest(format!(
                        "operation {i}: `dashboard` must be a JSON object"
                    )));
                }
                dashboard = Some(new);
                touched_dashboard = true;
            }
            Operation::SetPanel { id, field, value } => {
                let field = panel_field(&field).ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "operation {i}: unknown panel field {field:?}; one of title, description, type, gridPos, datasource, targets"
                    ))
                })?;
                edit::ops::set_panel_field(need(&mut dashboard, i)?, id, field, value)
                    .map_err(at)?;
                touched_dashboard = true;
            }
            Operation::AddPanel { panel } => {
                edit::ops::add_panel(need(&mut dashboard, i)?, panel).map_err(at)?;
                touched_dashboard = true;
            }
            Operation::DuplicatePanel { id } => {
                edit::ops::duplicate_panel(need(&mut dashboard, i)?, id).map_err(at)?;
                touched_dashboard = true;
            }
            Operation::RemovePanel { id } => {
                edit::ops::remove_panel(need(&mut dashboard, i)?, id).map_err(at)?;
                touched_dashboard = true;
            }
            Operation::Move { folder } => save_req.folder = Some(folder),
            Operation::Rename { name } => save_req.rename_to = Some(name),
            Operation::Delete => delete = true,
        }
    }
    if delete {
        return delete_draft(app, actor, namespace, name).await;
    }
    if touched_dashboard {
        save_req.dashboard = dashboard;
    }
    save(app, actor, namespace, name, save_req).await
}

/// The dashboard an operation edits, or why there is none.
fn need(dashboard: &mut Option<Value>, i: usize) -> Result<&mut Value, ApiError> {
    dashboard.as_mut().ok_or_else(|| {
        ApiError::BadRequest(format!(
            "operation {i}: the dashboard JSON does not parse; replace it first"
        ))
    })
}

fn panel_field(name: &str) -> Option<PanelField> {
    [
        PanelField::Title,
        PanelField::Description,
        PanelField::Type,
        PanelField::GridPos,
        PanelField::Datasource,
        PanelField::Targets,
    ]
    .into_iter()
    .find(|f| f.key() == name)
}

/// The dashboard of a `dashboard_text`, or where it does not parse.
fn parse_dashboard_text(text: &str) -> Result<Value, ApiError> {
    serde_json::from_str(text).map_err(|e| {
        ApiError::BadRequest(format!(
            "the dashboard JSON does not parse at line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn blank_draft(actor: &Actor, namespace: &str, name: &str) -> Draft {
    Draft {
        id: 0,
        author: actor.key.clone(),
        namespace: namespace.to_owned(),
        name: name.to_owned(),
        kind: DraftKind::Edit,
        file: String::new(),
        new_file: String::new(),
        document: 0,
        base_commit: None,
        base_blob: None,
        dashboard: None,
        folder: None,
        rename_to: None,
        content: String::new(),
        diagnostics: json!([]),
        revision: 0,
        commit_id: None,
        created_at: String::new(),
        updated_at: String::new(),
    }
}

/// A deletion draft: the dashboard's file and kustomization entry go.
async fn delete_draft(
    app: &App,
    actor: &Actor,
    namespace: &str,
    name: &str,
) -> Result<DraftView, ApiError> {
    let writer = writer(app)?;
    let snapshot = app.snapshot();
    let dashboard = snapshot.index.dashboard(namespace, name).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no GrafanaDashboard {namespace}/{name} in the repository"
        ))
    })?;
    check_folders(actor, &snapshot.index, namespace, name, None)?;
    let current = current_version(app, &snapshot, &dashboard.file)
        .ok_or_else(|| ApiError::Internal(format!("cannot read {}", dashboard.file)))?;
    let mut draft = store::get(&app.db, &actor.key, namespace, name)
        .await?
        .unwrap_or_else(|| blank_draft(actor, namespace, name));
    if draft.commit_id.is_some() {
        return Err(waiting_for_push(&draft));
    }
    draft.kind = DraftKind::Delete;
    draft.file = dashboard.file.clone();
    draft.new_file = dashboard.file.clone();
    draft.document = dashboard.document as i64;
    draft.base_commit = Some(current.commit);
    draft.base_blob = Some(current.blob);
    draft.dashboard = None;
    draft.folder = None;
    draft.rename_to = None;
    store_evaluated(app, writer, &snapshot, draft).await
}

/// A new dashboard from a template, as a draft.
pub async fn create(app: &App, actor: &Actor, req: CreateDraft) -> Result<DraftView, ApiError> {
    let writer = writer(app)?;
    let snapshot = app.snapshot();
    edit::crd::check_name(&req.name).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    edit::crd::check_name(&req.namespace).map_err(|_| {
        ApiError::BadRequest(format!(
            "{:?} is not a Kubernetes namespace name",
            req.namespace
        ))
    })?;
    if req.title.trim().is_empty() {
        return Err(ApiError::BadRequest("`title` is empty".to_owned()));
    }
    check_folders(
        actor,
        &snapshot.index,
        &req.namespace,
        &req.name,
        req.folder.as_ref(),
    )?;
    if snapshot
        .index
        .dashboard(&req.namespace, &req.name)
        .is_some()
    {
        return Err(ApiError::conflict(format!(
            "a GrafanaDashboard {}/{} already exists",
            req.namespace, req.name
        )));
    }
    if let Some(d) = store::get(&app.db, &actor.key, &req.namespace, &req.name).await? {
        if d.kind != DraftKind::Create || d.commit_id.is_some() {
            return Err(ApiError::conflict(format!(
                "you already have a draft of {}/{}",
                req.namespace, req.name
            )));
        }
    }
    let folder = match &req.folder {
        Some(f) => Some(plan::folder_of(f).ok_or_else(|| {
            ApiError::BadRequest(
                "`folder` must be {\"folder\": title}, {\"folderUID\": uid} or {\"folderRef\": name}"
                    .to_owned(),
            )
        })?),
        None => None,
    };
    let files = CloneFiles {
        root: writer.root.clone(),
        git: None,
    };
    let template = match &req.template {
        None => None,
        Some(key) => {
            let (ns, n) = key.split_once('/').ok_or_else(|| {
                ApiError::BadRequest(format!("template {key:?} must be `namespace/name`"))
            })?;
            let t = snapshot.index.dashboard(ns, n).ok_or_else(|| {
                ApiError::NotFound(format!("no template dashboard {key} in the repository"))
            })?;
            let text = files
                .current(&t.file)
                .ok_or_else(|| ApiError::Internal(format!("cannot read {}", t.file)))?;
            let (_, value) =
                edit::open_dashboard(&text, t.document).map_err(|e| ApiError::Unprocessable {
                    message: format!("the template {key} cannot be used: {e}"),
                    details: json!([]),
                })?;
            Some(value)
        }
    };
    let directory = match &req.directory {
        Some(dir) => {
            // Only a trailing `/` goes: a leading one makes an absolute path.
            let dir = dir.trim_end_matches('/').to_owned();
            if !dir.is_empty() {
                check_repo_path(&dir).map_err(ApiError::BadRequest)?;
                check_no_symlink(&writer.root, &dir).map_err(ApiError::BadRequest)?;
            }
            dir
        }
        None => default_directory(&snapshot, folder.as_ref()),
    };
    let file = if directory.is_empty() {
        format!("{}.yaml", req.name)
    } else {
        format!("{directory}/{}.yaml", req.name)
    };
    if files.current(&file).is_some() {
        return Err(ApiError::conflict(format!("{file} already exists")));
    }
    let seed = seed_for(&req.name);
    let content = edit::crd::new_dashboard_file(&edit::crd::NewDashboard {
        name: req.name.clone(),
        namespace: Some(req.namespace.clone()),
        folder,
        title: req.title.clone(),
        instance_labels: instance_labels(&snapshot, &writer.root),
        template,
        seed,
    })
    .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let dashboard = edit::open_dashboard(&content, 0)
        .map(|(_, v)| v)
        .map_err(|e| ApiError::Internal(format!("new dashboard does not reopen: {e}")))?;
    let mut draft = blank_draft(actor, &req.namespace, &req.name);
    draft.kind = DraftKind::Create;
    draft.file = file.clone();
    draft.new_file = file;
    draft.dashboard = Some(dashboard);
    draft.folder = req.folder;
    draft.content = content;
    store_evaluated(app, writer, &snapshot, draft).await
}

/// A uid seed that differs per call (time and name) without a random source.
fn seed_for(name: &str) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    name.bytes().fold(nanos ^ 0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Where a new dashboard of `folder` goes: beside the folder's dashboards,
/// else beside any dashboard, else the repository root.
fn default_directory(snapshot: &Snapshot, folder: Option<&edit::crd::Folder>) -> String {
    let dir_of = |f: &str| {
        f.rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_owned())
    };
    let title = match folder {
        Some(edit::crd::Folder::Title(t)) => Some(t.as_str()),
        _ => None,
    };
    let dashboards = &snapshot.index.dashboards;
    dashboards
        .iter()
        .find(|d| Some(d.folder.as_str()) == title)
        .or_else(|| dashboards.first())
        .map(|d| dir_of(&d.file))
        .unwrap_or_default()
}

/// The instance selector the repository's dashboards use most, so a new
/// dashboard lands on the same Grafana.
fn instance_labels(snapshot: &Snapshot, root: &Path) -> Vec<(String, String)> {
    let Some(first) = snapshot.index.dashboards.first() else {
        return Vec::new();
    };
    let Ok(text) = std::fs::read_to_string(root.join(&first.file)) else {
        return Vec::new();
    };
    let Ok(docs) = dashstudio_core::yaml::load_documents(&text) else {
        return Vec::new();
    };
    docs.get(first.document)
        .and_then(|d| d.value.pointer("/spec/instanceSelector/matchLabels"))
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// Plans the draft against the repository as it is now, validates the
/// result, and stores the draft with its content and diagnostics. The draft
/// is stored even when it conflicts with upstream or does not apply: the
/// work is kept, the problem reported.
async fn store_evaluated(
    app: &App,
    writer: &Writer,
    snapshot: &Arc<Snapshot>,
    draft: Draft,
) -> Result<DraftView, ApiError> {
    let files = CloneFiles {
        root: writer.root.clone(),
        git: Some(Arc::clone(&writer.git)),
    };
    let snap = Arc::clone(snapshot);
    let options = app.validation_options();
    let d = draft.clone();
    let (content, diagnostics, conflicts) =
        tokio::task::spawn_blocking(move || evaluate(&snap, &files, &d, &options))
            .await
            .map_err(|e| ApiError::Internal(format!("draft evaluation failed: {e}")))?;
    let diagnostics_json = serde_json::to_value(&diagnostics)
        .map_err(|e| ApiError::Internal(format!("diagnostics: {e}")))?;
    let saved = store::save(
        &app.db,
        &DraftWrite {
            author: &draft.author,
            namespace: &draft.namespace,
            name: &draft.name,
            kind: draft.kind,
            file: &draft.file,
            new_file: &draft.new_file,
            document: draft.document,
            base_commit: draft.base_commit.as_deref(),
            base_blob: draft.base_blob.as_deref(),
            dashboard: draft.dashboard.as_ref(),
            folder: draft.folder.as_ref(),
            rename_to: draft.rename_to.as_deref(),
            content: content.as_deref().unwrap_or(&draft.content),
            diagnostics: &diagnostics_json,
        },
    )
    .await?;
    let saved = saved.ok_or_else(|| waiting_for_push(&draft))?;
    Ok(DraftView::of(saved, conflicts))
}

/// What the draft would write now, the diagnostics of the files it writes,
/// and its conflicts with upstream (JSON, for the client).
pub fn evaluate(
    snapshot: &Snapshot,
    files: &dyn Files,
    draft: &Draft,
    options: &dashstudio_core::validate::Options,
) -> (Option<String>, Vec<Diagnostic>, Vec<Value>) {
    let mut changes = Changes::new();
    match plan::apply(&mut changes, files, &snapshot.index, draft) {
        Ok(()) => {}
        Err(PlanError::Conflict {
            conflicts, file, ..
        }) => {
            let list = conflicts
                .iter()
                .map(|c| json!({"file": file, "pointer": c.pointer, "base": c.base, "ours": c.ours, "theirs": c.theirs}))
                .collect();
            return (None, Vec::new(), list);
        }
        Err(e) => {
            let diagnostic = Diagnostic {
                code: "draft/not-applicable".to_owned(),
                severity: Severity::Error,
                file: draft.new_file.clone(),
                line: 1,
                column: 1,
                dashboard: Some(draft.name.clone()),
                pointer: None,
                message: e.to_string(),
                fix: None,
            };
            return (None, vec![diagnostic], Vec::new());
        }
    }
    let report = snapshot.validate_with(&changes, options);
    let diagnostics = report
        .diagnostics
        .into_iter()
        .filter(|d| changes.contains_key(&d.file))
        .collect();
    let content = changes.get(&draft.new_file).cloned().flatten();
    (content, diagnostics, Vec::new())
}

/// The actor's draft of `namespace/name`.
pub async fn get(
    app: &App,
    actor: &Actor,
    namespace: &str,
    name: &str,
) -> Result<DraftView, ApiError> {
    let d = store::get(&app.db, &actor.key, namespace, name)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("you have no draft of {namespace}/{name}")))?;
    Ok(DraftView::of(d, Vec::new()))
}

/// Every draft of the actor, most recent first.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<DraftView>, ApiError> {
    Ok(store::list(&app.db, &actor.key)
        .await?
        .into_iter()
        .map(|d| DraftView::of(d, Vec::new()))
        .collect())
}

/// Discards the actor's draft.
pub async fn discard(
    app: &App,
    actor: &Actor,
    namespace: &str,
    name: &str,
) -> Result<(), ApiError> {
    if let Some(d) = store::get(&app.db, &actor.key, namespace, name).await? {
        if d.commit_id.is_some() {
            return Err(waiting_for_push(&d));
        }
    }
    if !store::discard(&app.db, &actor.key, namespace, name).await? {
        return Err(ApiError::NotFound(format!(
            "you have no draft of {namespace}/{name}"
        )));
    }
    crate::db::audit::record(
        &app.db,
        &crate::db::audit::Audit {
            actor: &actor.key,
            action: "draft_discarded",
            target: Some(&format!("{namespace}/{name}")),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_paths_are_checked() {
        for ok in ["a.yaml", "dir/sub/b.yml"] {
            assert!(check_repo_path(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x.yaml",
            "a/../../x",
            "a//b",
            ".git/config",
            "a/.GIT/x",
            "a\\b",
            "./a",
        ] {
            assert!(check_repo_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn panel_fields_by_json_key() {
        assert_eq!(panel_field("gridPos"), Some(PanelField::GridPos));
        assert_eq!(panel_field("grid_pos"), None);
    }
}
