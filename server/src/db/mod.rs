//! The database: connection, migrations, and the queries the services need.
//! All SQL lives under this module.

pub mod audit;
pub mod commits;
pub mod drafts;
pub mod users;

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::SqlitePool;

/// Open (creating if needed) the SQLite database in the data dir and migrate it.
pub async fn open(data_dir: &Path) -> Result<SqlitePool, sqlx::Error> {
    let file = data_dir.join("dashstudio.sqlite");
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", file.display()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await?;
    sqlx::migrate!("../migrations").run(&pool).await?;
    Ok(pool)
}

/// A repository as recorded.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RepositoryRow {
    pub id: i64,
    pub location: String,
    pub kind: String,
    pub head: Option<String>,
    pub dashboards: i64,
}

/// Record that a repository was opened and scanned.
pub async fn record_scan(
    pool: &SqlitePool,
    location: &str,
    kind: &str,
    head: Option<&str>,
    dashboards: i64,
) -> Result<RepositoryRow, sqlx::Error> {
    sqlx::query_as::<_, RepositoryRow>(
        "INSERT INTO repositories (location, kind, head, dashboards) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (location) DO UPDATE SET kind = excluded.kind, head = excluded.head,
             dashboards = excluded.dashboards, last_scanned_at = CURRENT_TIMESTAMP
         RETURNING id, location, kind, head, dashboards",
    )
    .bind(location)
    .bind(kind)
    .bind(head)
    .bind(dashboards)
    .fetch_one(pool)
    .await
}

/// Every repository the studio has opened.
pub async fn repositories(pool: &SqlitePool) -> Result<Vec<RepositoryRow>, sqlx::Error> {
    sqlx::query_as::<_, RepositoryRow>(
        "SELECT id, location, kind, head, dashboards FROM repositories ORDER BY id",
    )
    .fetch_all(pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn records_and_updates_repositories_in_a_real_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pool = open(dir.path()).await.expect("open");
        let first = record_scan(&pool, "/repo", "git", Some("abc"), 3)
            .await
            .expect("insert");
        let again = record_scan(&pool, "/repo", "git", Some("def"), 4)
            .await
            .expect("update");
        assert_eq!(first.id, again.id);
        assert_eq!(again.head.as_deref(), Some("def"));
        record_scan(&pool, "/other", "directory", None, 0)
            .await
            .expect("insert");
        pool.close().await;
        // Reopen: the data survived, and migrations are idempotent.
        let pool = open(dir.path()).await.expect("reopen");
        let rows = repositories(&pool).await.expect("list");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].dashboards, 4);
        assert!(dir.path().join("dashstudio.sqlite").is_file());
    }
}
