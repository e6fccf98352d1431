//! Commits: drafts re-applied onto the default branch as it is now, the
//! validation gate, the commit through the Git layer, the push, and the pull
//! request. Every failure after the commit keeps the drafts and the commit.

use std::sync::Arc;

use dashstudio_core::validate::{Diagnostic, Severity};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::drafts::{CloneFiles, DraftSummary};
use super::plan::{self, Changes, PlanError};
use super::{slug, writer, Actor};
use crate::db::audit::{self, Audit};
use crate::db::commits::{self as commit_store, CommitRow, NewCommit};
use crate::db::drafts::{self as draft_store, Draft, DraftKind};
use crate::error::ApiError;
use crate::forge::body::{ChangeKind, ChangedDashboard, PanelChanges, ValidationSummary};
use crate::forge::PullRequestSpec;
use crate::git::{CommitRequest, FileChange, ObjectId, PushError};
use crate::state::App;

/// The body of `POST /api/v1/commits`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitBody {
    /// Drafts to commit, as `namespace/name`.
    pub drafts: Vec<String>,
    pub message: String,
    /// Branch to commit to; default a new `studio/<user>/<slug>`.
    #[serde(default)]
    pub branch: Option<String>,
    #[serde(default)]
    pub pull_request: bool,
    /// Commit despite validation errors (admins only); recorded in a commit
    /// trailer and the audit log.
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// What `POST /api/v1/commits` answers (201), and `GET /api/v1/commits/{id}`.
#[derive(Debug, Clone, Serialize)]
pub struct CommitResult {
    pub commit: String,
    pub branch: String,
    pub pushed: bool,
    pub pull_request: Option<PullRequestView>,
    /// Why the last push or pull request failed (it is retried).
    pub error: Option<String>,
    pub push_attempts: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PullRequestView {
    pub url: String,
}

impl CommitResult {
    fn of(row: &CommitRow) -> Self {
        CommitResult {
            commit: row.commit_id.clone(),
            branch: row.branch.clone(),
            pushed: row.pushed,
            pull_request: row
                .pull_request_url
                .clone()
                .map(|url| PullRequestView { url }),
            error: row.last_error.clone(),
            push_attempts: row.push_attempts,
        }
    }
}

/// Commits the actor's drafts.
pub async fn commit(app: &App, actor: &Actor, body: CommitBody) -> Result<CommitResult, ApiError> {
    let writer = writer(app)?;
    let message = body.message.trim().to_owned();
    if message.is_empty() {
        return Err(ApiError::BadRequest(
            "the commit `message` is empty".to_owned(),
        ));
    }
    if body.drafts.is_empty() {
        return Err(ApiError::BadRequest(
            "`drafts` is empty: name the drafts to commit as namespace/name".to_owned(),
        ));
    }
    let override_reason = body
        .override_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    if override_reason.is_some() && !actor.admin {
        return Err(ApiError::Forbidden(
            "only an admin may override the validation gate".to_owned(),
        ));
    }
    let _one_at_a_time = writer.commit_lock.lock().await;
    // Build on what origin has now, when it can be reached.
    if let Err(e) = super::background::fetch(app).await {
        tracing::warn!(error = %e, "fetch before commit failed; committing on the last fetched state");
    }

    let mut drafts = Vec::new();
    for key in &body.drafts {
        let (ns, name) = key.split_once('/').ok_or_else(|| {
            ApiError::BadRequest(format!("draft {key:?} must be `namespace/name`"))
        })?;
        let d = draft_store::get(&app.db, &actor.key, ns, name)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("you have no draft of {key}")))?;
        if d.commit_id.is_some() {
            return Err(super::drafts::waiting_for_push(&d));
        }
        drafts.push(d);
    }

    let snapshot = app.snapshot();
    for d in &drafts {
        // Also here: the restriction may have been set after the draft was saved.
        super::drafts::check_folders(
            actor,
            &snapshot.index,
            &d.namespace,
            &d.name,
            d.folder.as_ref(),
        )?;
    }
    let head = snapshot
        .head
        .clone()
        .ok_or_else(|| ApiError::Internal("the clone has no commit".to_owned()))?;
    let files = CloneFiles {
        root: writer.root.clone(),
        git: Some(Arc::clone(&writer.git)),
    };
    let snap = Arc::clone(&snapshot);
    let options = app.validation_options();
    let planned_drafts = drafts.clone();
    let planned = tokio::task::spawn_blocking(move || -> Result<_, PlanError> {
        let mut changes = Changes::new();
        for d in &planned_drafts {
            plan::apply(&mut changes, &files, &snap.index, d)?;
        }
        let report = snap.validate_with(&changes, &options);
        // Unchanged files after all (e.g. an edit undone) are not written.
        changes.retain(|path, content| files_differ(&files, path, content.as_deref()));
        Ok((changes, report))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("planning the commit failed: {e}")))?;
    let (changes, report) = planned.map_err(plan_error)?;
    if changes.is_empty() {
        return Err(ApiError::Unprocessable {
            message: "the drafts change nothing in the repository; discard them".to_owned(),
            details: json!([]),
        });
    }

    let diagnostics: Vec<Diagnostic> = report
        .diagnostics
        .into_iter()
        .filter(|d| changes.contains_key(&d.file))
        .collect();
    let summary = DraftSummary::of(&diagnostics);
    let errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() && override_reason.is_none() {
        return Err(ApiError::Unprocessable {
            message: format!(
                "the change has {} validation error(s); fix them, or an admin may commit anyway with `override_reason`",
                errors.len()
            ),
            details: serde_json::to_value(&errors).unwrap_or_default(),
        });
    }

    let default_branch = writer.with_git(|g| g.default_branch().to_owned()).await?;
    let branch = match body
        .branch
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        Some(b) if b == default_branch => {
            if !actor.admin {
                return Err(ApiError::Forbidden(format!(
                    "a direct commit to {default_branch} needs the admin role; leave `branch` out to commit to a new studio branch"
                )));
            }
            if !writer.config.allow_direct_commit {
                return Err(ApiError::Forbidden(format!(
                    "direct commits to {default_branch} are not allowed here (start the server with --allow-direct-commit); leave `branch` out to commit to a new studio branch"
                )));
            }
            b.to_owned()
        }
        Some(b) => b.to_owned(),
        None => {
            let stem = format!("studio/{}/{}", actor.key, slug(&message, 40));
            let probe = stem.clone();
            writer
                .with_git(move |g| {
                    let mut candidate = probe.clone();
                    let mut n = 2;
                    while matches!(g.branch_tip(&candidate), Ok(Some(_))) {
                        candidate = format!("{probe}-{n}");
                        n += 1;
                    }
                    candidate
                })
                .await?
        }
    };

    let keys: Vec<String> = drafts
        .iter()
        .map(|d| format!("{}/{}", d.namespace, d.name))
        .collect();
    let mut full_message = format!("{message}\n\n");
    full_message.push_str(&format!(
        "Studio-Validation: {} errors, {} warnings, {} infos\n",
        summary.errors, summary.warnings, summary.infos
    ));
    if let Some(reason) = &override_reason {
        full_message.push_str(&format!(
            "Studio-Override: {} (by {})\n",
            reason.replace('\n', " "),
            actor.email
        ));
    }
    full_message.push_str(&format!("Studio-Dashboards: {}\n", keys.join(", ")));

    let base: ObjectId = head
        .parse()
        .map_err(|e| ApiError::Internal(format!("head {head}: {e}")))?;
    let request = CommitRequest {
        base,
        branch: branch.clone(),
        changes: changes
            .iter()
            .map(|(path, content)| FileChange {
                path: path.clone(),
                content: content.as_ref().map(|c| c.clone().into_bytes()),
            })
            .collect(),
        author: (actor.name.clone(), actor.email.clone()),
        message: full_message.clone(),
    };
    let outcome = writer
        .with_git(move |g| g.commit(request))
        .await?
        .map_err(|e| ApiError::Unprocessable {
            message: format!("the commit was not made (your drafts are kept): {e}"),
            details: json!([]),
        })?;
    let commit_id = outcome.commit.to_string();

    let error_lines: Vec<String> = errors
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {} {}",
                d.file, d.line, d.column, d.code, d.message
            )
        })
        .collect();
    let pr_summary = pr_summary(
        &snapshot.index,
        &drafts,
        &changes,
        &summary,
        override_reason.as_deref(),
        &error_lines,
    );
    commit_store::insert(
        &app.db,
        &NewCommit {
            commit_id: &commit_id,
            branch: &outcome.branch,
            base_branch: &default_branch,
            author: &actor.key,
            message: &message,
            pull_request: body.pull_request && outcome.branch != default_branch,
            summary: &pr_summary,
        },
    )
    .await?;
    draft_store::mark_committed(
        &app.db,
        &drafts.iter().map(|d| d.id).collect::<Vec<_>>(),
        &commit_id,
    )
    .await?;
    audit::record(
        &app.db,
        &Audit {
            actor: &actor.key,
            action: "commit",
            target: Some(&keys.join(", ")),
            commit_id: Some(&commit_id),
            branch: Some(&outcome.branch),
            details: Some(json!({
                "files": changes.keys().collect::<Vec<_>>(),
                "validation": {"errors": summary.errors, "warnings": summary.warnings, "infos": summary.infos},
            })),
            ..Default::default()
        },
    )
    .await?;
    if let Some(reason) = &override_reason {
        audit::record(
            &app.db,
            &Audit {
                actor: &actor.key,
                action: "validation_override",
                target: Some(&keys.join(", ")),
                commit_id: Some(&commit_id),
                branch: Some(&outcome.branch),
                details: Some(json!({"reason": reason, "errors": errors.len()})),
                ..Default::default()
            },
        )
        .await?;
    }
    deliver(app, &commit_id).await
}

/// Whether `content` differs from the file as it is now.
fn files_differ(files: &CloneFiles, path: &str, content: Option<&str>) -> bool {
    use super::plan::Files;
    files.current(path).as_deref() != content
}

fn plan_error(e: PlanError) -> ApiError {
    match e {
        PlanError::Conflict {
            name,
            file,
            conflicts,
            theirs,
            ours,
        } => ApiError::Conflict {
            message: format!(
                "{name} changed upstream in the same places as your draft; resolve the conflicts (your draft is kept)"
            ),
            details: json!({
                "dashboard": name,
                "file": file,
                "conflicts": conflicts.iter().map(|c| json!({"pointer": c.pointer, "base": c.base, "ours": c.ours, "theirs": c.theirs})).collect::<Vec<_>>(),
                "ours": ours,
                "theirs": theirs,
            }),
        },
        PlanError::Edit { .. } => ApiError::Unprocessable {
            message: format!("{e} (your draft is kept)"),
            details: json!([]),
        },
        PlanError::Stale(message) => ApiError::Conflict {
            message,
            details: json!([]),
        },
    }
}

/// The pull request material: changed dashboards and the validation summary.
fn pr_summary(
    index: &dashstudio_core::Index,
    drafts: &[Draft],
    changes: &Changes,
    summary: &DraftSummary,
    override_reason: Option<&str>,
    error_lines: &[String],
) -> Value {
    let dashboards: Vec<Value> = drafts
        .iter()
        .map(|d| {
            let current = index.dashboard(&d.namespace, &d.name);
            let title = d
                .dashboard
                .as_ref()
                .and_then(|v| v.get("title"))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| current.map(|c| c.title().to_owned()))
                .unwrap_or_else(|| d.name.clone());
            let folder = d
                .folder
                .as_ref()
                .and_then(plan::folder_of)
                .map(|f| match f {
                    dashstudio_core::edit::crd::Folder::Title(t)
                    | dashstudio_core::edit::crd::Folder::Uid(t)
                    | dashstudio_core::edit::crd::Folder::Ref(t) => t,
                })
                .or_else(|| current.map(|c| c.folder.clone()))
                .unwrap_or_default();
            let change = match d.kind {
                DraftKind::Create => "created",
                DraftKind::Delete => "deleted",
                DraftKind::Edit if d.rename_to.is_some() => "renamed",
                DraftKind::Edit if d.folder.is_some() => "moved",
                DraftKind::Edit => "edited",
            };
            let (added, removed, changed) =
                panel_changes(current.and_then(|c| c.model.as_ref()), d.dashboard.as_ref());
            json!({
                "title": title,
                "namespace": d.namespace,
                "name": d.rename_to.clone().unwrap_or_else(|| d.name.clone()),
                "folder": folder,
                "file": plan::target_file(index, d),
                "previous_file": current.map(|c| c.file.clone()),
                "change": change,
                "panels_added": added,
                "panels_removed": removed,
                "panels_changed": changed,
            })
        })
        .collect();
    json!({
        "dashboards": dashboards,
        "files": changes.keys().collect::<Vec<_>>(),
        "validation": {
            "error_lines": error_lines,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "infos": summary.infos,
            "override_reason": override_reason,
        },
    })
}

/// Panels added, removed and changed between the model as scanned and the draft.
fn panel_changes(
    before: Option<&dashstudio_core::model::DashboardModel>,
    after: Option<&Value>,
) -> (usize, usize, usize) {
    let (Some(before), Some(after)) = (before, after) else {
        return (0, 0, 0);
    };
    let mut after_panels = std::collections::BTreeMap::new();
    collect_panels(after, &mut after_panels);
    let before_ids: std::collections::BTreeSet<i64> =
        before.all_panels().filter_map(|p| p.id).collect();
    let added = after_panels
        .keys()
        .filter(|id| !before_ids.contains(id))
        .count();
    let removed = before_ids
        .iter()
        .filter(|id| !after_panels.contains_key(id))
        .count();
    let changed = before
        .all_panels()
        .filter(|p| {
            p.id.and_then(|id| after_panels.get(&id)).is_some_and(|a| {
                a.get("title").and_then(Value::as_str).unwrap_or_default() != p.title
                    || a.get("type").and_then(Value::as_str).unwrap_or_default() != p.r#type
                    || a.get("targets")
                        .map_or(0, |t| t.as_array().map_or(0, Vec::len))
                        != p.targets.len()
            })
        })
        .count();
    (added, removed, changed)
}

fn collect_panels<'a>(dashboard: &'a Value, out: &mut std::collections::BTreeMap<i64, &'a Value>) {
    for p in dashboard
        .get("panels")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(id) = p.get("id").and_then(Value::as_i64) {
            out.insert(id, p);
        }
        collect_panels(p, out);
    }
}

/// Pushes a commit (again) and opens its pull request when asked for. The
/// commit's row tells what is left to do; a failure is recorded with the
/// time of the next attempt, and the drafts stay.
pub async fn deliver(app: &App, commit_id: &str) -> Result<CommitResult, ApiError> {
    let writer = writer(app)?;
    let row = commit_store::get(&app.db, commit_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("the studio made no commit {commit_id}")))?;
    if !row.pushed {
        if !made_here(app, &row.commit_id).await? {
            return Err(ApiError::conflict(format!(
                "commit {commit_id} was made by another studio instance sharing this \
                 database; that instance pushes it"
            )));
        }
        let branch = row.branch.clone();
        let creds = writer.creds.clone();
        let pushed = writer.with_git(move |g| g.push(&branch, &creds)).await?;
        match pushed {
            Ok(()) => {
                commit_store::mark_pushed(&app.db, commit_id).await?;
                draft_store::remove_pushed(&app.db, commit_id).await?;
                audit::record(
                    &app.db,
                    &Audit {
                        actor: &row.author,
                        action: "push",
                        commit_id: Some(commit_id),
                        branch: Some(&row.branch),
                        ..Default::default()
                    },
                )
                .await?;
                if row.branch == row.base_branch {
                    // The default branch moved: re-read what the commit changed.
                    if let Err(e) = super::background::refresh_after_push(app).await {
                        tracing::warn!(error = %e, "re-indexing after a push failed");
                    }
                }
            }
            Err(e) => {
                let delay = backoff_seconds(row.push_attempts + 1);
                let text = push_error_text(&e);
                commit_store::mark_push_failed(&app.db, commit_id, &text, delay).await?;
                audit::record(
                    &app.db,
                    &Audit {
                        actor: &row.author,
                        action: "push_failed",
                        commit_id: Some(commit_id),
                        branch: Some(&row.branch),
                        details: Some(json!({"error": text, "retry_in_seconds": delay})),
                        ..Default::default()
                    },
                )
                .await?;
            }
        }
    }
    let row = commit_store::get(&app.db, commit_id)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("commit {commit_id} vanished")))?;
    if row.pushed && row.pull_request && row.pull_request_url.is_none() {
        open_pull_request(app, &row).await?;
    }
    let row = commit_store::get(&app.db, commit_id)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("commit {commit_id} vanished")))?;
    Ok(CommitResult::of(&row))
}

async fn open_pull_request(app: &App, row: &CommitRow) -> Result<(), ApiError> {
    let writer = writer(app)?;
    let Some(forge) = writer.forge.clone() else {
        commit_store::set_error(
            &app.db,
            &row.commit_id,
            "no forge is configured (--forge, --forge-token): open the pull request by hand",
            600,
        )
        .await?;
        return Ok(());
    };
    let summary: Value = serde_json::from_str(&row.summary).unwrap_or_default();
    let spec = PullRequestSpec {
        title: row
            .message
            .lines()
            .next()
            .unwrap_or(&row.message)
            .to_owned(),
        body: crate::forge::body::render(
            &validation_summary(&summary),
            &changed_dashboards(&summary),
        ),
        head: row.branch.clone(),
        base: row.base_branch.clone(),
    };
    match forge.open_pull_request(&spec).await {
        Ok(pr) => {
            commit_store::set_pull_request(&app.db, &row.commit_id, &pr.url).await?;
            audit::record(
                &app.db,
                &Audit {
                    actor: &row.author,
                    action: "pull_request",
                    commit_id: Some(&row.commit_id),
                    branch: Some(&row.branch),
                    pull_request_url: Some(&pr.url),
                    ..Default::default()
                },
            )
            .await?;
        }
        Err(e) => {
            let delay = backoff_seconds(row.push_attempts + 1);
            commit_store::set_error(
                &app.db,
                &row.commit_id,
                &format!("pull request: {e}"),
                delay,
            )
            .await?;
        }
    }
    Ok(())
}

fn changed_dashboards(summary: &Value) -> Vec<ChangedDashboard> {
    let text = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let count = |v: &Value, k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0) as usize;
    summary
        .get("dashboards")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|d| {
            let file = text(d, "file");
            let previous = d
                .get("previous_file")
                .and_then(Value::as_str)
                .map(str::to_owned);
            ChangedDashboard {
                title: text(d, "title"),
                namespace: text(d, "namespace"),
                name: text(d, "name"),
                folder: Some(text(d, "folder")).filter(|f| !f.is_empty()),
                previous_file: previous.filter(|p| *p != file),
                file,
                change: match text(d, "change").as_str() {
                    "created" => ChangeKind::Created,
                    "deleted" => ChangeKind::Deleted,
                    "renamed" => ChangeKind::Renamed,
                    "moved" => ChangeKind::Moved,
                    _ => ChangeKind::Edited,
                },
                panels: PanelChanges {
                    added: count(d, "panels_added"),
                    removed: count(d, "panels_removed"),
                    changed: count(d, "panels_changed"),
                },
            }
        })
        .collect()
}

fn validation_summary(summary: &Value) -> ValidationSummary {
    let v = &summary["validation"];
    let n = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0) as usize;
    ValidationSummary {
        errors: v
            .get("error_lines")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        warnings: n("warnings"),
        infos: n("infos"),
        override_reason: v
            .get("override_reason")
            .and_then(Value::as_str)
            .map(str::to_owned),
    }
}

/// Seconds before push attempt `attempt + 1`: 5, 10, 20 … up to 10 minutes.
/// Whether the commit is in this instance's clone (instances that share a
/// database each have their own clone, and only the one that made a commit
/// can push it).
pub async fn made_here(app: &App, commit_id: &str) -> Result<bool, ApiError> {
    let Ok(id) = commit_id.parse::<ObjectId>() else {
        return Ok(false);
    };
    writer(app)?.with_git(move |g| g.has_commit(id)).await
}

pub fn backoff_seconds(attempt: i64) -> i64 {
    let exp = attempt.clamp(1, 8) - 1;
    (5_i64 << exp).min(600)
}

fn push_error_text(e: &PushError) -> String {
    format!("push failed: {e}")
}

/// A commit's state.
pub async fn status(app: &App, commit_id: &str) -> Result<CommitResult, ApiError> {
    let row = commit_store::get(&app.db, commit_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("the studio made no commit {commit_id}")))?;
    Ok(CommitResult::of(&row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_ten_minutes() {
        let delays: Vec<i64> = (1..=10).map(backoff_seconds).collect();
        assert_eq!(delays, [5, 10, 20, 40, 80, 160, 320, 600, 600, 600]);
    }
}
