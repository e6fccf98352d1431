//! The commits the studio made and where their push and pull request stand;
//! the retry loop reads the ones not yet pushed.

use sqlx::SqlitePool;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CommitRow {
    pub id: i64,
    pub commit_id: String,
    pub branch: String,
    pub base_branch: String,
    pub author: String,
    pub message: String,
    pub pushed: bool,
    pub push_attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<String>,
    /// Whether a pull request was asked for.
    pub pull_request: bool,
    pub pull_request_url: Option<String>,
    /// JSON: the changed dashboards and validation summary (for the PR body).
    pub summary: String,
    pub created_at: String,
}

const COLUMNS: &str = "id, commit_id, branch, base_branch, author, message, pushed, \
    push_attempts, last_error, next_attempt_at, pull_request, pull_request_url, summary, created_at";

pub struct NewCommit<'a> {
    pub commit_id: &'a str,
    pub branch: &'a str,
    pub base_branch: &'a str,
    pub author: &'a str,
    pub message: &'a str,
    pub pull_request: bool,
    pub summary: &'a serde_json::Value,
}

pub async fn insert(pool: &SqlitePool, c: &NewCommit<'_>) -> Result<CommitRow, sqlx::Error> {
    sqlx::query_as(&format!(
        "INSERT INTO commits (commit_id, branch, base_branch, author, message, pull_request, summary)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING {COLUMNS}"
    ))
    .bind(c.commit_id)
    .bind(c.branch)
    .bind(c.base_branch)
    .bind(c.author)
    .bind(c.message)
    .bind(c.pull_request)
    .bind(c.summary.to_string())
    .fetch_one(pool)
    .await
}

pub async fn get(pool: &SqlitePool, commit_id: &str) -> Result<Option<CommitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM commits WHERE commit_id = ?1"
    ))
    .bind(commit_id)
    .fetch_optional(pool)
    .await
}

/// Commits whose push has not succeeded yet, oldest first.
pub async fn unpushed(pool: &SqlitePool) -> Result<Vec<CommitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM commits WHERE pushed = 0 ORDER BY id"
    ))
    .fetch_all(pool)
    .await
}

/// Commits pushed whose requested pull request is not open yet.
pub async fn awaiting_pull_request(pool: &SqlitePool) -> Result<Vec<CommitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM commits
         WHERE pushed = 1 AND pull_request = 1 AND pull_request_url IS NULL ORDER BY id"
    ))
    .fetch_all(pool)
    .await
}

pub async fn mark_pushed(pool: &SqlitePool, commit_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE commits SET pushed = 1, push_attempts = push_attempts + 1, last_error = NULL,
             next_attempt_at = NULL WHERE commit_id = ?1",
    )
    .bind(commit_id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Record a failed push and when the next attempt is due (`delay_seconds` from now).
pub async fn mark_push_failed(
    pool: &SqlitePool,
    commit_id: &str,
    error: &str,
    delay_seconds: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE commits SET push_attempts = push_attempts + 1, last_error = ?2,
             next_attempt_at = datetime('now', ?3) WHERE commit_id = ?1",
    )
    .bind(commit_id)
    .bind(error)
    .bind(format!("+{delay_seconds} seconds"))
    .execute(pool)
    .await?;
    Ok(())
}

/// Record a pull request failure, and when to try again, without touching
/// the push state.
pub async fn set_error(
    pool: &SqlitePool,
    commit_id: &str,
    error: &str,
    delay_seconds: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE commits SET last_error = ?2, next_attempt_at = datetime('now', ?3)
         WHERE commit_id = ?1",
    )
    .bind(commit_id)
    .bind(error)
    .bind(format!("+{delay_seconds} seconds"))
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn set_pull_request(
    pool: &SqlitePool,
    commit_id: &str,
    url: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE commits SET pull_request_url = ?2, last_error = NULL, next_attempt_at = NULL
         WHERE commit_id = ?1",
    )
    .bind(commit_id)
    .bind(url)
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether the commit's next push attempt is due.
pub async fn due(pool: &SqlitePool, commit_id: &str) -> Result<bool, sqlx::Error> {
    let due: Option<bool> = sqlx::query_scalar(
        "SELECT next_attempt_at IS NULL OR next_attempt_at <= datetime('now')
         FROM commits WHERE commit_id = ?1",
    )
    .bind(commit_id)
    .fetch_optional(pool)
    .await?;
    Ok(due.unwrap_or(false))
}
