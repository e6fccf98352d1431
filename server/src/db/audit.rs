//! The audit log: who did what, when, with which commit, branch and pull request.

use super::Db;

#[derive(Debug, Clone, PartialEq, serde::Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub commit_id: Option<String>,
    pub branch: Option<String>,
    pub pull_request_url: Option<String>,
    /// JSON text: what else the action carries (override reason, error, files).
    pub details: String,
}

/// One entry to record.
#[derive(Debug, Default, Clone)]
pub struct Audit<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub target: Option<&'a str>,
    pub commit_id: Option<&'a str>,
    pub branch: Option<&'a str>,
    pub pull_request_url: Option<&'a str>,
    pub details: Option<serde_json::Value>,
}

pub async fn record(pool: &Db, a: &Audit<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (actor, action, target, commit_id, branch, pull_request_url, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(a.actor)
    .bind(a.action)
    .bind(a.target)
    .bind(a.commit_id)
    .bind(a.branch)
    .bind(a.pull_request_url)
    .bind(
        a.details
            .as_ref()
            .map_or_else(|| "{}".to_owned(), serde_json::Value::to_string),
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The most recent entries first, `limit` of them after skipping `offset`.
pub async fn recent(pool: &Db, limit: i64, offset: i64) -> Result<Vec<AuditEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, at, actor, action, target, commit_id, branch, pull_request_url, details
         FROM audit_log ORDER BY id DESC LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}
