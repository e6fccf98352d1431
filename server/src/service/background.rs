//! Work that happens without a request: fetching origin (re-indexing only
//! the files that changed), and retrying pushes and pull requests with backoff.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::db::commits as commit_store;
use crate::error::ApiError;
use crate::state::{App, AppState};

/// What a fetch did.
#[derive(Debug, Clone, Serialize)]
pub struct FetchReport {
    pub head: String,
    pub previous: String,
    pub changed_files: Vec<String>,
    pub dashboards: usize,
}

/// Fetches origin and re-reads the files that changed.
pub async fn fetch(app: &App) -> Result<FetchReport, ApiError> {
    let Some(writer) = app.writer.as_ref() else {
        return Err(ApiError::conflict(
            "a plain directory has no origin to fetch from",
        ));
    };
    let _one = writer.fetch_lock.lock().await;
    let creds = writer.creds.clone();
    let outcome = writer
        .with_git(move |g| g.fetch(&creds))
        .await?
        .map_err(|e| ApiError::Conflict {
            message: format!("fetching origin failed: {e}"),
            details: serde_json::json!([]),
        })?;
    let previous = app.snapshot();
    let head = outcome.new.to_string();
    let changed = outcome.changed_paths.clone();
    let needs_refresh = previous.head.as_deref() != Some(head.as_str()) || !changed.is_empty();
    if needs_refresh {
        let root = writer.root.clone();
        let prev = Arc::clone(&previous);
        let h = head.clone();
        let c = changed.clone();
        let next = if outcome.fast_forward || !changed.is_empty() {
            tokio::task::spawn_blocking(move || prev.refreshed(&root, &c, Some(h)))
                .await
                .map_err(|e| ApiError::Internal(format!("re-indexing failed: {e}")))?
        } else {
            tokio::task::spawn_blocking(move || prev.reread(&root, Some(h)))
                .await
                .map_err(|e| ApiError::Internal(format!("re-indexing failed: {e}")))?
                .map_err(|e| ApiError::Internal(format!("re-scanning failed: {e}")))?
        };
        app.set_snapshot(next);
        tracing::info!(
            head = %head,
            changed = changed.len(),
            "fetched origin and re-indexed the changed files"
        );
    }
    Ok(FetchReport {
        head,
        previous: outcome.old.to_string(),
        changed_files: changed,
        dashboards: app.current_index().dashboards.len(),
    })
}

/// Re-reads the whole clone after the studio itself moved the default branch.
pub async fn refresh_after_push(app: &App) -> Result<(), ApiError> {
    let Some(writer) = app.writer.as_ref() else {
        return Ok(());
    };
    let head = writer
        .with_git(|g| g.head().map(|h| h.to_string()))
        .await??;
    let root = writer.root.clone();
    let previous = app.snapshot();
    let next = tokio::task::spawn_blocking(move || previous.reread(&root, Some(head)))
        .await
        .map_err(|e| ApiError::Internal(format!("re-indexing failed: {e}")))?
        .map_err(|e| ApiError::Internal(format!("re-scanning failed: {e}")))?;
    app.set_snapshot(next);
    Ok(())
}

/// Starts the loops: push and pull request retries every few seconds (each
/// commit on its own backoff), and fetches every `--fetch-interval` seconds.
pub fn spawn(state: AppState) {
    let Some(writer) = state.writer.as_ref() else {
        return;
    };
    let fetch_every = writer_fetch_interval(writer);
    let retry_state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            if let Err(e) = retry_due(&retry_state).await {
                tracing::warn!(error = %e, "retrying pushes failed");
            }
        }
    });
    if let Some(every) = fetch_every {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.tick().await;
            loop {
                tick.tick().await;
                if let Err(e) = fetch(&state).await {
                    tracing::warn!(error = %e, "periodic fetch failed");
                }
            }
        });
    }
}

fn writer_fetch_interval(writer: &super::Writer) -> Option<Duration> {
    (writer.fetch_interval_seconds > 0).then(|| Duration::from_secs(writer.fetch_interval_seconds))
}

/// Pushes every commit whose next attempt is due, and opens pull requests
/// still missing.
pub async fn retry_due(app: &App) -> Result<(), ApiError> {
    for row in commit_store::unpushed(&app.db).await? {
        // Another instance's commit: that instance pushes it.
        if !super::commits::made_here(app, &row.commit_id).await? {
            continue;
        }
        if commit_store::due(&app.db, &row.commit_id).await? {
            let result = super::commits::deliver(app, &row.commit_id).await?;
            tracing::info!(
                commit = %result.commit,
                branch = %result.branch,
                pushed = result.pushed,
                "push retried"
            );
        }
    }
    let has_forge = app.writer.as_ref().is_some_and(|w| w.forge.is_some());
    if has_forge {
        for row in commit_store::awaiting_pull_request(&app.db).await? {
            if commit_store::due(&app.db, &row.commit_id).await? {
                super::commits::deliver(app, &row.commit_id).await?;
            }
        }
    }
    Ok(())
}
