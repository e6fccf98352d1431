//! The database: connection, migrations, and the queries the services need.
//! All SQL lives under this module.

pub mod audit;
pub mod commits;
pub mod drafts;
pub mod scratch;
pub mod users;

use std::path::Path;

use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;

/// The studio's database: SQLite (a file in the data dir, the default) or
/// PostgreSQL (`--database-url postgres://…`, which several studio instances
/// can share). Every query is written once, in SQL both accept: `$N`
/// placeholders, no engine-specific functions, instants bound from Rust.
pub type Db = sqlx::AnyPool;

/// Which engine a database URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The engine of a `sqlite:`, `postgres:` or `postgresql:` URL.
    pub fn of(url: &str) -> Option<Self> {
        let scheme = url.split_once(':')?.0.to_ascii_lowercase();
        match scheme.as_str() {
            "sqlite" => Some(Self::Sqlite),
            "postgres" | "postgresql" => Some(Self::Postgres),
            _ => None,
        }
    }
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("--database-url must start with sqlite:, postgres: or postgresql: (got {0})")]
    Scheme(String),
    #[error("the data dir {0} cannot be made absolute: {1}")]
    DataDir(String, std::io::Error),
    #[error("{url}: {cause}")]
    Connect { url: String, cause: String },
}

/// Where the database is, for logs and errors (credentials removed).
pub fn describe(data_dir: &Path, url: Option<&str>) -> String {
    match url {
        Some(url) => crate::git::redact(url),
        None => data_dir.join(SQLITE_FILE).display().to_string(),
    }
}

const SQLITE_FILE: &str = "dashstudio.sqlite";

/// Open the database and migrate it: `url` when given, else (creating it if
/// needed) the SQLite file in the data dir.
pub async fn open(data_dir: &Path, url: Option<&str>) -> Result<Db, OpenError> {
    sqlx::any::install_default_drivers();
    let (url, backend) = match url {
        Some(url) => {
            let backend =
                Backend::of(url).ok_or_else(|| OpenError::Scheme(crate::git::redact(url)))?;
            (url.to_owned(), backend)
        }
        None => {
            let file = std::path::absolute(data_dir.join(SQLITE_FILE))
                .map_err(|e| OpenError::DataDir(data_dir.display().to_string(), e))?;
            let options = SqliteConnectOptions::new()
                .filename(file)
                .create_if_missing(true);
            (options.to_url_lossy().to_string(), Backend::Sqlite)
        }
    };
    let failed = |e: sqlx::Error| OpenError::Connect {
        url: crate::git::redact(&url),
        cause: scrub(&e.to_string(), &url),
    };
    let pool = AnyPoolOptions::new()
        .max_connections(match backend {
            Backend::Sqlite => 4,
            Backend::Postgres => 8,
        })
        .connect(&url)
        .await
        .map_err(failed)?;
    match backend {
        Backend::Sqlite => {
            // Readers never wait for the writer. The mode is kept in the file.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await
                .map_err(failed)?;
            sqlx::migrate!("../migrations/sqlite")
                .run(&pool)
                .await
                .map_err(|e| failed(e.into()))?;
        }
        Backend::Postgres => sqlx::migrate!("../migrations/postgres")
            .run(&pool)
            .await
            .map_err(|e| failed(e.into()))?,
    }
    Ok(pool)
}

/// A driver's message with the URL's password (if any) replaced by `***`.
fn scrub(message: &str, url: &str) -> String {
    let password = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split('/').next())
        .and_then(|authority| authority.rsplit_once('@'))
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .map_or("", |(_, password)| password);
    crate::git::scrub(message, &[password])
}

/// Now, as the database keeps instants in text columns: UTC
/// `YYYY-MM-DD HH:MM:SS`, which sorts as time does (and is what SQLite's
/// `CURRENT_TIMESTAMP` writes).
pub fn timestamp(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        secs / 3_600,
        secs % 3_600 / 60,
        secs % 60
    )
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// [`timestamp`] of now.
pub fn now() -> String {
    timestamp(unix_now())
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
    pool: &Db,
    location: &str,
    kind: &str,
    head: Option<&str>,
    dashboards: i64,
) -> Result<RepositoryRow, sqlx::Error> {
    sqlx::query_as::<_, RepositoryRow>(
        "INSERT INTO repositories (location, kind, head, dashboards) VALUES ($1, $2, $3, $4)
         ON CONFLICT (location) DO UPDATE SET kind = excluded.kind, head = excluded.head,
             dashboards = excluded.dashboards, last_scanned_at = $5
         RETURNING id, location, kind, head, dashboards",
    )
    .bind(location)
    .bind(kind)
    .bind(head)
    .bind(dashboards)
    .bind(now())
    .fetch_one(pool)
    .await
}

/// Every repository the studio has opened.
pub async fn repositories(pool: &Db) -> Result<Vec<RepositoryRow>, sqlx::Error> {
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
        let pool = open(dir.path(), None).await.expect("open");
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
        let pool = open(dir.path(), None).await.expect("reopen");
        let rows = repositories(&pool).await.expect("list");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].dashboards, 4);
        assert!(dir.path().join("dashstudio.sqlite").is_file());
    }

    #[test]
    fn timestamps_are_utc_civil_time() {
        assert_eq!(timestamp(0), "1970-01-01 00:00:00");
        assert_eq!(timestamp(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(timestamp(1_795_795_199), "2026-11-27 15:59:59");
        assert_eq!(timestamp(-1), "1969-12-31 23:59:59");
    }

    #[tokio::test]
    async fn timestamps_agree_with_sqlite() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pool = open(dir.path(), None).await.expect("open");
        let mut t: i64 = -86_400 * 365 * 3;
        while t < 4_102_444_800 {
            let theirs: String = sqlx::query_scalar("SELECT datetime($1, 'unixepoch')")
                .bind(t)
                .fetch_one(&pool)
                .await
                .expect("datetime");
            assert_eq!(timestamp(t), theirs, "{t}");
            t += 7_654_321;
        }
        // And `now` is what SQLite calls now (within a second's tick).
        let theirs: String = sqlx::query_scalar("SELECT CURRENT_TIMESTAMP")
            .fetch_one(&pool)
            .await
            .expect("now");
        let ours = now();
        assert!(
            ours == theirs || timestamp(unix_now() - 1) == theirs,
            "{ours} vs {theirs}"
        );
    }
}
