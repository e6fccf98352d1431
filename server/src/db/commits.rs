//! The commits the studio made and where their push and pull request stand;
//! the retry loop reads the ones not yet pushed.

use super::Db;

#[derive(Debug, Clone, PartialEq)]
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

// Flags are 0/1 integers in both engines (SQLite has no boolean type).
impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for CommitRow {
    fn from_row(row: &'r sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row;
        Ok(Self {
            id: row.try_get("id")?,
            commit_id: row.try_get("commit_id")?,
            branch: row.try_get("branch")?,
            base_branch: row.try_get("base_branch")?,
            author: row.try_get("author")?,
            message: row.try_get("message")?,
            pushed: row.try_get::<i64, _>("pushed")? != 0,
            push_attempts: row.try_get("push_attempts")?,
            last_error: row.try_get("last_error")?,
            next_attempt_at: row.try_get("next_attempt_at")?,
            pull_request: row.try_get::<i64, _>("pull_request")? != 0,
            pull_request_url: row.try_get("pull_request_url")?,
            summary: row.try_get("summary")?,
            created_at: row.try_get("created_at")?,
        })
    }
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

pub async fn insert(pool: &Db, c: &NewCommit<'_>) -> Result<CommitRow, sqlx::Error> {
    sqlx::query_as(&format!(
        "INSERT INTO commits (commit_id, branch, base_branch, author, message, pull_request, summary)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
    ))
    .bind(c.commit_id)
    .bind(c.branch)
    .bind(c.base_branch)
    .bind(c.author)
    .bind(c.message)
    .bind(i64::from(c.pull_request))
    .bind(c.summary.to_string())
    .fetch_one(pool)
    .await
}

pub async fn get(pool: &Db, commit_id: &str) -> Result<Option<CommitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM commits WHERE commit_id = $1"
    ))
    .bind(commit_id)
    .fetch_optional(pool)
    .await
}

/// Commits whose push has not succeeded yet, oldest first.
pub async fn unpushed(pool: &Db) -> Result<Vec<CommitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM commits WHERE pushed = 0 ORDER BY id"
    ))
    .fetch_all(pool)
    .await
}

/// Commits pushed whose requested pull request is not open yet.
pub async fn awaiting_pull_request(pool: &Db) -> Result<Vec<CommitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM commits
         WHERE pushed = 1 AND pull_request = 1 AND pull_request_url IS NULL ORDER BY id"
    ))
    .fetch_all(pool)
    .await
}

pub async fn mark_pushed(pool: &Db, commit_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE commits SET pushed = 1, push_attempts = push_attempts + 1, last_error = NULL,
             next_attempt_at = NULL WHERE commit_id = $1",
    )
    .bind(commit_id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Record a failed push and when the next attempt is due (`delay_seconds` from now).
pub async fn mark_push_failed(
    pool: &Db,
    commit_id: &str,
    error: &str,
    delay_seconds: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE commits SET push_attempts = push_attempts + 1, last_error = $2,
             next_attempt_at = $3 WHERE commit_id = $1",
    )
    .bind(commit_id)
    .bind(error)
    .bind(super::timestamp(super::unix_now() + delay_seconds))
    .execute(pool)
    .await?;
    Ok(())
}

/// Record a pull request failure, and when to try again, without touching
/// the push state.
pub async fn set_error(
    pool: &Db,
    commit_id: &str,
    error: &str,
    delay_seconds: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE commits SET last_error = $2, next_attempt_at = $3
         WHERE commit_id = $1",
    )
    .bind(commit_id)
    .bind(error)
    .bind(super::timestamp(super::unix_now() + delay_seconds))
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn set_pull_request(pool: &Db, commit_id: &str, url: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE commits SET pull_request_url = $2, last_error = NULL, next_attempt_at = NULL
         WHERE commit_id = $1",
    )
    .bind(commit_id)
    .bind(url)
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether the commit's next push attempt is due.
pub async fn due(pool: &Db, commit_id: &str) -> Result<bool, sqlx::Error> {
    let due: Option<i64> = sqlx::query_scalar(
        "SELECT CASE WHEN next_attempt_at IS NULL OR next_attempt_at <= $2 THEN 1 ELSE 0 END
         FROM commits WHERE commit_id = $1",
    )
    .bind(commit_id)
    .bind(super::now())
    .fetch_optional(pool)
    .await?;
    Ok(due == Some(1))
}
