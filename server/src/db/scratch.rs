//! Throwaway databases for tests and benchmarks: a new, empty database on a
//! PostgreSQL server, so that each test starts clean and tests run side by
//! side on one server.

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::Connection;

/// Creates a new empty database, named `{prefix}_{pid}_{n}_{nanos}`, on the
/// server `admin_url` connects to, and returns the URL of that database (the
/// admin URL with its database name replaced).
pub async fn create_postgres_database(
    admin_url: &str,
    prefix: &str,
) -> Result<String, sqlx::Error> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(sqlx::Error::Configuration(
            format!("database name prefix {prefix:?}: use letters, digits and _").into(),
        ));
    }
    let mut conn = sqlx::postgres::PgConnection::connect(admin_url).await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    with_database(admin_url, &name).ok_or_else(|| {
        sqlx::Error::Configuration(
            format!("{}: not a postgres:// URL", crate::git::redact(admin_url)).into(),
        )
    })
}

/// `url` with its database (the path) replaced by `name`, query kept.
fn with_database(url: &str, name: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let query = tail.find('?').map_or("", |q| &tail[q..]);
    Some(format!("{scheme}://{authority}/{name}{query}"))
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn replaces_only_the_database_name() {
        assert_eq!(
            with_database("postgres://u:p@h:5432/postgres?sslmode=disable", "t1").as_deref(),
            Some("postgres://u:p@h:5432/t1?sslmode=disable")
        );
        assert_eq!(
            with_database("postgres://h", "t2").as_deref(),
            Some("postgres://h/t2")
        );
        assert_eq!(
            with_database("postgresql://h?x=1", "t3").as_deref(),
            Some("postgresql://h/t3?x=1")
        );
        assert_eq!(with_database("not a url", "t"), None);
    }
}
