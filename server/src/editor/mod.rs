//! The browser editor's door to the write path: implements the UI's
//! [`Editor`] over `service::drafts` and `service::commits`, acting as the
//! signed-in user ([`Acting`], made per request by the router).

pub mod diff;
mod folders;
mod history;
pub mod problems;
pub mod summary;

use std::sync::Arc;

use dashstudio_app::server_fns::editor::{
    CommitRequest, CommitState, DatasourceChoice, DraftChanges, DraftItem, DraftState, EditSession,
    Editor, EditorFuture, FetchResult, FileDiff, FileVersion, HistoryEntry, NewDashboard,
};
use dashstudio_app::server_fns::problems::RepoProblems;
use dashstudio_core::validate::Diagnostic;
use serde_json::Value;

use crate::auth::{Role, Scope};
use crate::db::drafts::DraftKind;
use crate::error::ApiError;
use crate::service::commits::{self, CommitBody, CommitResult};
use crate::service::drafts::{self, CloneFiles, DraftView, SaveDraft};
use crate::service::plan::{self, Changes, Files};
use crate::service::writer;
use crate::service::Actor;
use crate::state::{App, AppState};

/// The editor for one request: the application acting as its caller.
pub struct Acting {
    pub app: AppState,
    pub actor: Actor,
    pub scope: Scope,
}

impl std::ops::Deref for Acting {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl Acting {
    /// Refuses what the caller's role (or token scope) does not allow.
    fn may(&self, role: Role) -> Result<(), String> {
        if self.actor.role < role {
            return Err(if self.actor.role == Role::Anonymous {
                "sign in to edit".to_owned()
            } else {
                format!(
                    "this needs the {} role; you are a {}",
                    role.as_str(),
                    self.actor.role.as_str()
                )
            });
        }
        if self.scope == Scope::Read {
            return Err("read-only access: this token's scope is read".to_owned());
        }
        Ok(())
    }
}

/// What the user reads of an error: its message, except for internal
/// failures, which are logged and not shown.
fn for_user(e: ApiError) -> String {
    match e {
        ApiError::Internal(cause) => {
            tracing::error!(%cause, "editor request failed");
            "the server failed to do this (the details are in its log)".to_owned()
        }
        other => other.to_string(),
    }
}

fn draft_state(v: DraftView) -> DraftState {
    DraftState {
        revision: v.revision,
        updated_at: v.updated_at,
        errors: v.summary.errors,
        warnings: v.summary.warnings,
        infos: v.summary.infos,
        diagnostics: v.diagnostics,
        conflicts: v.conflicts.len(),
        commit: v.commit,
        kind: v.kind.as_str().to_owned(),
        file: v.file,
        new_file: v.new_file,
        folder: v.folder.as_ref().map(folders::folder_label),
        rename_to: v.rename_to,
    }
}

fn commit_state(r: CommitResult) -> CommitState {
    CommitState {
        commit: r.commit,
        branch: r.branch,
        pushed: r.pushed,
        pull_request: r.pull_request.map(|p| p.url),
        error: r.error,
        push_attempts: r.push_attempts,
    }
}

impl Acting {
    async fn open_session(&self, namespace: &str, name: &str) -> Result<EditSession, ApiError> {
        let snapshot = self.snapshot();
        let Some(d) = snapshot.index.dashboard(namespace, name).cloned() else {
            return self.open_new(namespace, name).await;
        };
        let text = drafts::safe_join(&self.repo.path, &d.file)
            .and_then(|p| std::fs::read(p).ok())
            .ok_or_else(|| ApiError::Internal(format!("cannot read {}", d.file)))?;
        let version = drafts::version_of(&snapshot, &text).map(|v| v.token());
        let text = String::from_utf8_lossy(&text).into_owned();
        let (file_dashboard, dashboard_error) =
            match dashstudio_core::edit::open_dashboard(&text, d.document) {
                Ok((_, value)) => (Some(value), None),
                Err(e) => (None, Some(e.to_string())),
            };
        let raw = dashboard_error.as_ref().and_then(|_| {
            let docs = dashstudio_core::yaml::load_documents(&text).ok()?;
            Some(
                docs.get(d.document)?
                    .value
                    .pointer("/spec/json")?
                    .as_str()?
                    .to_owned(),
            )
        });
        let datasources = datasource_choices(&snapshot.index);
        let (read_only, allow_direct_commit, default_branch) = self.write_target().await?;
        let draft = if read_only.is_none() {
            match drafts::get(self, &self.actor, namespace, name).await {
                Ok(v) => Some(v),
                Err(ApiError::NotFound(_)) => None,
                Err(e) => return Err(e),
            }
        } else {
            None
        };
        let pending_commit = match draft.as_ref().and_then(|v| v.commit.clone()) {
            Some(c) => Some(commit_state(commits::status(self, &c).await?)),
            None => None,
        };
        let dashboard = draft
            .as_ref()
            .and_then(|v| v.dashboard.as_ref())
            .or(file_dashboard.as_ref())
            .map(pretty);
        Ok(EditSession {
            dashboard,
            // A draft that replaced broken JSON is no longer broken.
            dashboard_error: dashboard_error
                .filter(|_| draft.as_ref().is_none_or(|v| v.dashboard.is_none())),
            raw,
            base_version: draft
                .as_ref()
                .and_then(|v| v.base_version.clone())
                .or(version),
            draft: draft.map(draft_state),
            datasources,
            read_only,
            allow_direct_commit,
            may_override: self.actor.role == Role::Admin,
            default_branch,
            pending_commit,
        })
    }

    /// Where a commit goes and whether this caller may write:
    /// (why not, direct commits allowed, the default branch).
    async fn write_target(&self) -> Result<(Option<String>, bool, String), ApiError> {
        let (read_only, allow_direct_commit, default_branch) = match writer(self) {
            Ok(w) => (
                None,
                w.config.allow_direct_commit,
                w.with_git(|g| g.default_branch().to_owned()).await?,
            ),
            Err(e) => (Some(e.to_string()), false, String::new()),
        };
        let read_only = read_only.or_else(|| self.may(Role::Editor).err());
        let allow_direct_commit = allow_direct_commit && self.actor.role == Role::Admin;
        Ok((read_only, allow_direct_commit, default_branch))
    }

    /// A dashboard the repository does not have yet: the caller's draft creating it.
    async fn open_new(&self, namespace: &str, name: &str) -> Result<EditSession, ApiError> {
        let not_found = || {
            ApiError::NotFound(format!(
                "no GrafanaDashboard {namespace}/{name} in the repository"
            ))
        };
        if self.may(Role::Editor).is_err() {
            return Err(not_found());
        }
        let draft = match drafts::get(self, &self.actor, namespace, name).await {
            Ok(v) if v.kind == DraftKind::Create => v,
            Ok(_) | Err(ApiError::NotFound(_)) => return Err(not_found()),
            Err(e) => return Err(e),
        };
        let (read_only, allow_direct_commit, default_branch) = self.write_target().await?;
        let pending_commit = match &draft.commit {
            Some(c) => Some(commit_state(commits::status(self, c).await?)),
            None => None,
        };
        Ok(EditSession {
            dashboard: draft.dashboard.as_ref().map(pretty),
            dashboard_error: None,
            raw: None,
            base_version: None,
            datasources: datasource_choices(&self.snapshot().index),
            draft: Some(draft_state(draft)),
            read_only,
            allow_direct_commit,
            may_override: self.actor.role == Role::Admin,
            default_branch,
            pending_commit,
        })
    }

    async fn save_dashboard(
        &self,
        namespace: &str,
        name: &str,
        dashboard: &str,
        base_version: Option<String>,
        typed: bool,
    ) -> Result<DraftState, ApiError> {
        let request = if typed {
            SaveDraft {
                dashboard_text: Some(dashboard.to_owned()),
                base_version,
                ..SaveDraft::default()
            }
        } else {
            let value: Value = serde_json::from_str(dashboard).map_err(|e| {
                ApiError::BadRequest(format!(
                    "the dashboard JSON does not parse at line {}, column {}: {e}",
                    e.line(),
                    e.column()
                ))
            })?;
            SaveDraft {
                dashboard: Some(value),
                base_version,
                ..SaveDraft::default()
            }
        };
        let saved = drafts::save(self, &self.actor, namespace, name, request).await?;
        Ok(draft_state(saved))
    }

    async fn draft_changes(&self, namespace: &str, name: &str) -> Result<DraftChanges, ApiError> {
        let w = writer(self)?;
        let draft = crate::db::drafts::get(&self.db, &self.actor.key, namespace, name)
            .await?
            .ok_or_else(|| {
                ApiError::NotFound(format!("you have no draft of {namespace}/{name}"))
            })?;
        let snapshot = self.snapshot();
        let files = CloneFiles {
            root: w.root.clone(),
            git: Some(Arc::clone(&w.git)),
        };
        tokio::task::spawn_blocking(move || {
            let mut changes = Changes::new();
            plan::apply(&mut changes, &files, &snapshot.index, &draft)
                .map_err(|e| ApiError::conflict(e.to_string()))?;
            let mut out = DraftChanges::default();
            for (path, new) in &changes {
                let old = files.current(path);
                let (text, added, removed) = diff::unified(path, old.as_deref(), new.as_deref());
                if !text.is_empty() {
                    out.files.push(FileDiff {
                        path: path.clone(),
                        diff: text,
                        added,
                        removed,
                    });
                }
            }
            let before = files
                .current(&draft.file)
                .and_then(|t| {
                    dashstudio_core::edit::open_dashboard(&t, draft.document as usize).ok()
                })
                .map(|(_, v)| v);
            out.summary = summary::describe(before.as_ref(), draft.dashboard.as_ref());
            Ok(out)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("diffing the draft failed: {e}")))?
    }

    async fn commit_draft(&self, request: CommitRequest) -> Result<CommitState, ApiError> {
        let branch = if request.direct {
            Some(
                writer(self)?
                    .with_git(|g| g.default_branch().to_owned())
                    .await?,
            )
        } else {
            None
        };
        let result = commits::commit(
            self,
            &self.actor,
            CommitBody {
                drafts: std::iter::once(format!("{}/{}", request.namespace, request.name))
                    .chain(request.also)
                    .collect(),
                message: request.message,
                branch,
                pull_request: request.pull_request,
                override_reason: request.override_reason,
            },
        )
        .await?;
        Ok(commit_state(result))
    }
}

fn datasource_choices(index: &dashstudio_core::Index) -> Vec<DatasourceChoice> {
    index
        .datasources
        .iter()
        .map(|ds| DatasourceChoice {
            name: ds.display_name.clone().unwrap_or_else(|| ds.name.clone()),
            r#type: ds.r#type.clone(),
            uid: ds.uid.clone(),
        })
        .collect()
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

impl Editor for Acting {
    fn open(&self, namespace: String, name: String) -> EditorFuture<'_, EditSession> {
        Box::pin(async move { self.open_session(&namespace, &name).await.map_err(for_user) })
    }

    fn save(
        &self,
        namespace: String,
        name: String,
        dashboard: String,
        base_version: Option<String>,
        typed: bool,
    ) -> EditorFuture<'_, DraftState> {
        Box::pin(async move {
            self.may(Role::Editor)?;
            self.save_dashboard(&namespace, &name, &dashboard, base_version, typed)
                .await
                .map_err(for_user)
        })
    }

    fn discard(&self, namespace: String, name: String) -> EditorFuture<'_, ()> {
        Box::pin(async move {
            self.may(Role::Editor)?;
            drafts::discard(self, &self.actor, &namespace, &name)
                .await
                .map_err(for_user)
        })
    }

    fn changes(&self, namespace: String, name: String) -> EditorFuture<'_, DraftChanges> {
        Box::pin(async move {
            self.draft_changes(&namespace, &name)
                .await
                .map_err(for_user)
        })
    }

    fn commit(&self, request: CommitRequest) -> EditorFuture<'_, CommitState> {
        Box::pin(async move {
            self.may(if request.direct {
                Role::Admin
            } else {
                Role::Editor
            })?;
            self.commit_draft(request).await.map_err(for_user)
        })
    }

    fn retry_push(&self, commit: String) -> EditorFuture<'_, CommitState> {
        Box::pin(async move {
            self.may(Role::Editor)?;
            commits::deliver(self, &commit)
                .await
                .map(commit_state)
                .map_err(for_user)
        })
    }

    fn history(&self, namespace: String, name: String) -> EditorFuture<'_, Vec<HistoryEntry>> {
        Box::pin(async move { self.file_history(&namespace, &name).await.map_err(for_user) })
    }

    fn version(
        &self,
        namespace: String,
        name: String,
        commit: String,
    ) -> EditorFuture<'_, FileVersion> {
        Box::pin(async move {
            self.file_version(&namespace, &name, &commit)
                .await
                .map_err(for_user)
        })
    }

    fn restore(
        &self,
        namespace: String,
        name: String,
        commit: String,
    ) -> EditorFuture<'_, DraftState> {
        Box::pin(async move {
            self.may(Role::Editor)?;
            self.restore_version(&namespace, &name, &commit)
                .await
                .map_err(for_user)
        })
    }

    fn check_json(&self, dashboard: String) -> EditorFuture<'_, Vec<Diagnostic>> {
        Box::pin(async move { self.check_dashboard_json(dashboard).await.map_err(for_user) })
    }

    fn problems(&self) -> EditorFuture<'_, RepoProblems> {
        Box::pin(async move { self.repo_problems().await.map_err(for_user) })
    }

    fn move_to_folder(
        &self,
        namespace: String,
        name: String,
        folder: String,
    ) -> EditorFuture<'_, DraftState> {
        Box::pin(async move {
            self.may(Role::Editor)?;
            self.move_dashboard(&namespace, &name, &folder)
                .await
                .map_err(for_user)
        })
    }

    fn rename(
        &self,
        namespace: String,
        name: String,
        new_name: String,
    ) -> EditorFuture<'_, DraftState> {
        Box::pin(async move {
            self.may(Role::Editor)?;
            self.rename_dashboard(&namespace, &name, &new_name)
                .await
                .map_err(for_user)
        })
    }

    fn delete(&self, namespace: String, name: String) -> EditorFuture<'_, DraftState> {
        Box::pin(async move {
            self.may(Role::Editor)?;
            self.delete_dashboard(&namespace, &name)
                .await
                .map_err(for_user)
        })
    }

    fn create(&self, request: NewDashboard) -> EditorFuture<'_, DraftState> {
        Box::pin(async move {
            self.may(Role::Editor)?;
            self.create_dashboard(request).await.map_err(for_user)
        })
    }

    fn fetch(&self) -> EditorFuture<'_, FetchResult> {
        Box::pin(async move {
            self.may(Role::Editor)?;
            crate::service::background::fetch(self)
                .await
                .map(|r| FetchResult {
                    head: r.head,
                    previous: r.previous,
                    changed_files: r.changed_files.len(),
                    dashboards: r.dashboards,
                })
                .map_err(for_user)
        })
    }

    fn drafts(&self) -> EditorFuture<'_, Vec<DraftItem>> {
        Box::pin(async move {
            self.may(Role::Editor)?;
            self.my_drafts().await.map_err(for_user)
        })
    }
}
