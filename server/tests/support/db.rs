//! Which databases the database tests run on: SQLite always, and a real
//! PostgreSQL when `DASHSTUDIO_TEST_POSTGRES_URL` names a server (as
//! `make test` does, after starting one with scripts/postgres.sh). With
//! `DASHSTUDIO_REQUIRE_POSTGRES=1` a missing server fails the tests instead
//! of skipping them.

#![allow(dead_code)] // each test binary uses a different part of this file

use dashstudio_server::db::scratch;

/// The admin URL of the test PostgreSQL server, if there is one; prints why
/// the PostgreSQL half is skipped when there is none.
pub fn postgres_server() -> Option<String> {
    match std::env::var("DASHSTUDIO_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("DASHSTUDIO_REQUIRE_POSTGRES").as_deref() == Ok("1") => panic!(
            "DASHSTUDIO_REQUIRE_POSTGRES=1 but DASHSTUDIO_TEST_POSTGRES_URL is not set \
             (start one with scripts/postgres.sh start)"
        ),
        _ => {
            eprintln!(
                "skipping PostgreSQL: DASHSTUDIO_TEST_POSTGRES_URL is not set \
                 (scripts/postgres.sh start prints one)"
            );
            None
        }
    }
}

/// A new empty PostgreSQL database for one test.
pub async fn fresh_postgres(server: &str) -> String {
    scratch::create_postgres_database(server, "dashstudio_test")
        .await
        .expect("create a test database on the PostgreSQL server")
}

/// The database the studio of a test should use for the data dir `data`:
/// `None` (SQLite in the data dir) unless `DASHSTUDIO_TEST_DATABASE=postgres`,
/// which runs the same test on a fresh PostgreSQL database — the same one
/// each time for the same data dir, so that restarts find their data.
pub fn studio_database(data: &std::path::Path) -> Option<String> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static BY_DATA_DIR: OnceLock<Mutex<HashMap<std::path::PathBuf, String>>> = OnceLock::new();

    if std::env::var("DASHSTUDIO_TEST_DATABASE").as_deref() != Ok("postgres") {
        return None;
    }
    let server = std::env::var("DASHSTUDIO_TEST_POSTGRES_URL")
        .expect("DASHSTUDIO_TEST_DATABASE=postgres needs DASHSTUDIO_TEST_POSTGRES_URL");
    let mut known = BY_DATA_DIR
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let url = known.entry(data.to_path_buf()).or_insert_with(|| {
        // Callers may be inside a runtime or not: create it on a thread of its own.
        std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(fresh_postgres(&server))
        })
        .join()
        .expect("creating the test database")
    });
    Some(url.clone())
}
