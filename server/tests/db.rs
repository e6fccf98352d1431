//! Every query of the database layer, run the same way on SQLite (a real
//! file) and on a real PostgreSQL server: the two engines must behave alike
//! for the studio to be deployable on either.

#[path = "support/db.rs"]
mod support;

use std::future::Future;
use std::path::Path;

use dashstudio_server::db::{
    self,
    audit::{self, Audit},
    commits::{self, NewCommit},
    drafts::{self, DraftKind, DraftWrite},
    users::{self, TokenRow, UserRow},
    Db,
};
use serde_json::json;

/// Runs `check` on a fresh SQLite database, then on a fresh PostgreSQL one
/// (when the suite has a server: see support/db.rs). `check` gets the data
/// dir and the URL it opened, to reopen the same database.
async fn on_each_database<F, Fut>(check: F)
where
    F: Fn(Db, std::path::PathBuf, Option<String>) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("tempdir");
    let pool = db::open(dir.path(), None).await.expect("open SQLite");
    check(pool, dir.path().to_owned(), None).await;
    assert!(dir.path().join("dashstudio.sqlite").is_file());

    if let Some(server) = support::postgres_server() {
        let url = support::fresh_postgres(&server).await;
        let dir = tempfile::tempdir().expect("tempdir");
        let pool = db::open(dir.path(), Some(&url))
            .await
            .expect("open PostgreSQL");
        check(pool, dir.path().to_owned(), Some(url)).await;
        // Nothing of a PostgreSQL studio lands in the data dir.
        assert!(!dir.path().join("dashstudio.sqlite").exists());
    }
}

fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        })
}

async fn reopen(dir: &Path, url: &Option<String>) -> Db {
    db::open(dir, url.as_deref()).await.expect("reopen")
}

#[tokio::test]
async fn repositories_are_recorded_and_migrations_run_once() {
    on_each_database(|pool, dir, url| async move {
        let first = db::record_scan(&pool, "/repo", "git", Some("abc"), 3)
            .await
            .expect("insert");
        let again = db::record_scan(&pool, "/repo", "git", Some("def"), 4)
            .await
            .expect("update");
        assert_eq!(first.id, again.id);
        assert_eq!(again.head.as_deref(), Some("def"));
        db::record_scan(&pool, "/other", "directory", None, 0)
            .await
            .expect("insert");
        // The kind is checked by the schema in both engines.
        assert!(db::record_scan(&pool, "/bad", "svn", None, 0)
            .await
            .is_err());
        pool.close().await;

        let pool = reopen(&dir, &url).await;
        let rows = db::repositories(&pool).await.expect("list");
        assert_eq!(
            rows.iter()
                .map(|r| (r.location.as_str(), r.dashboards))
                .collect::<Vec<_>>(),
            [("/repo", 4), ("/other", 0)]
        );
    })
    .await;
}

fn draft<'a>(
    author: &'a str,
    name: &'a str,
    dashboard: &'a serde_json::Value,
    diagnostics: &'a serde_json::Value,
) -> DraftWrite<'a> {
    DraftWrite {
        author,
        namespace: "monitoring",
        name,
        kind: DraftKind::Edit,
        file: "dashboards/a.yaml",
        new_file: "dashboards/a.yaml",
        document: 0,
        base_commit: Some("c0ffee"),
        base_blob: None,
        dashboard: Some(dashboard),
        folder: None,
        rename_to: None,
        content: "kind: GrafanaDashboard\n",
        diagnostics,
    }
}

#[tokio::test]
async fn drafts_save_revise_commit_and_go() {
    on_each_database(|pool, _dir, _url| async move {
        let board = json!({"title": "Nœuds — CPU ✓", "panels": [{"id": 1}]});
        let none = json!([]);
        let saved = drafts::save(&pool, &draft("ada", "nodes", &board, &none))
            .await
            .expect("save")
            .expect("a new draft");
        assert_eq!(saved.revision, 1);
        assert_eq!(saved.dashboard.as_ref(), Some(&board));
        assert_eq!(saved.folder, None);
        assert!(is_timestamp(&saved.created_at), "{}", saved.created_at);
        assert!(is_timestamp(&saved.updated_at), "{}", saved.updated_at);

        // Saving again revises the same row.
        let board2 = json!({"title": "Nodes", "panels": []});
        let problems = json!([{"code": "json/syntax"}]);
        let mut write = draft("ada", "nodes", &board2, &problems);
        let folder = json!({"folderUID": "infra"});
        write.folder = Some(&folder);
        write.rename_to = Some("nodes-v2");
        let revised = drafts::save(&pool, &write)
            .await
            .expect("save")
            .expect("revised");
        assert_eq!((revised.id, revised.revision), (saved.id, 2));
        assert_eq!(revised.dashboard.as_ref(), Some(&board2));
        assert_eq!(revised.folder.as_ref(), Some(&folder));
        assert_eq!(revised.rename_to.as_deref(), Some("nodes-v2"));
        assert_eq!(revised.diagnostics, problems);
        assert_eq!(revised.created_at, saved.created_at);

        // Another author's draft of the same dashboard is another row.
        let other = drafts::save(&pool, &draft("bob", "nodes", &board, &none))
            .await
            .expect("save")
            .expect("bob's draft");
        assert_ne!(other.id, saved.id);
        drafts::save(&pool, &draft("ada", "disks", &board, &none))
            .await
            .expect("save")
            .expect("second draft");
        let mine = drafts::list(&pool, "ada").await.expect("list");
        assert_eq!(mine.len(), 2);
        assert!(mine.iter().all(|d| d.author == "ada"));

        // Committed: kept, never overwritten or discarded, until pushed.
        drafts::mark_committed(&pool, &[saved.id], "abc123")
            .await
            .expect("mark");
        let got = drafts::get(&pool, "ada", "monitoring", "nodes")
            .await
            .expect("get")
            .expect("still there");
        assert_eq!(got.commit_id.as_deref(), Some("abc123"));
        assert_eq!(
            drafts::save(&pool, &draft("ada", "nodes", &board, &none))
                .await
                .expect("save"),
            None
        );
        assert!(!drafts::discard(&pool, "ada", "monitoring", "nodes")
            .await
            .expect("discard"));
        assert_eq!(
            drafts::by_commit(&pool, "abc123")
                .await
                .expect("by commit")
                .len(),
            1
        );
        assert_eq!(
            drafts::remove_pushed(&pool, "abc123")
                .await
                .expect("remove"),
            1
        );
        assert_eq!(
            drafts::get(&pool, "ada", "monitoring", "nodes")
                .await
                .expect("get"),
            None
        );
        assert!(drafts::discard(&pool, "bob", "monitoring", "nodes")
            .await
            .expect("discard"));
        assert!(!drafts::discard(&pool, "bob", "monitoring", "nodes")
            .await
            .expect("discard again"));
    })
    .await;
}

#[tokio::test]
async fn commits_track_push_retries_and_pull_requests() {
    on_each_database(|pool, _dir, _url| async move {
        let summary = json!({"dashboards": ["monitoring/nodes"]});
        let new = |id: &'static str, pull_request: bool| NewCommit {
            commit_id: id,
            branch: "studio/ada/nodes",
            base_branch: "main",
            author: "ada",
            message: "Nodes: fix the CPU query",
            pull_request,
            summary: &summary,
        };
        let row = commits::insert(&pool, &new("c1", true))
            .await
            .expect("insert");
        assert!(!row.pushed && row.pull_request);
        assert_eq!(row.push_attempts, 0);
        assert!(is_timestamp(&row.created_at), "{}", row.created_at);
        assert!(
            commits::insert(&pool, &new("c1", true)).await.is_err(),
            "unique"
        );
        commits::insert(&pool, &new("c2", false))
            .await
            .expect("insert");
        assert!(commits::due(&pool, "c1").await.expect("due"));
        assert!(!commits::due(&pool, "nope").await.expect("due"));

        // A failed push waits for its back-off.
        commits::mark_push_failed(&pool, "c1", "push failed: timeout", 600)
            .await
            .expect("failed");
        let row = commits::get(&pool, "c1").await.expect("get").expect("row");
        assert_eq!(row.push_attempts, 1);
        assert_eq!(row.last_error.as_deref(), Some("push failed: timeout"));
        let next = row.next_attempt_at.expect("next attempt");
        assert!(is_timestamp(&next) && next > db::now(), "{next}");
        assert!(!commits::due(&pool, "c1").await.expect("due"));
        commits::set_error(&pool, "c1", "still failing", -1)
            .await
            .expect("set error");
        assert!(commits::due(&pool, "c1").await.expect("due"));

        let unpushed: Vec<_> = commits::unpushed(&pool)
            .await
            .expect("unpushed")
            .into_iter()
            .map(|c| c.commit_id)
            .collect();
        assert_eq!(unpushed, ["c1", "c2"]);
        commits::mark_pushed(&pool, "c1").await.expect("pushed");
        let row = commits::get(&pool, "c1").await.expect("get").expect("row");
        assert!(row.pushed);
        assert_eq!((row.push_attempts, row.last_error), (2, None));
        assert_eq!(row.next_attempt_at, None);
        assert_eq!(commits::unpushed(&pool).await.expect("unpushed").len(), 1);

        // Pushed and asked for a pull request: waiting for it until recorded.
        let waiting = commits::awaiting_pull_request(&pool)
            .await
            .expect("awaiting");
        assert_eq!(waiting.len(), 1);
        assert_eq!(waiting[0].commit_id, "c1");
        commits::set_pull_request(&pool, "c1", "https://forge.test/pr/7")
            .await
            .expect("pr");
        assert!(commits::awaiting_pull_request(&pool)
            .await
            .expect("awaiting")
            .is_empty());
        let row = commits::get(&pool, "c1").await.expect("get").expect("row");
        assert_eq!(
            row.pull_request_url.as_deref(),
            Some("https://forge.test/pr/7")
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&row.summary).expect("json"),
            summary
        );
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_pages_newest_first() {
    on_each_database(|pool, _dir, _url| async move {
        for (i, action) in ["commit", "push", "pull_request"].iter().enumerate() {
            let target = format!("monitoring/d{i}");
            audit::record(
                &pool,
                &Audit {
                    actor: "ada",
                    action,
                    target: Some(&target),
                    commit_id: Some("c1"),
                    details: (i == 0).then(|| json!({"reason": "hotfix «now»"})),
                    ..Default::default()
                },
            )
            .await
            .expect("record");
        }
        let page = audit::recent(&pool, 2, 0).await.expect("recent");
        assert_eq!(
            page.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["pull_request", "push"]
        );
        let rest = audit::recent(&pool, 2, 2).await.expect("recent");
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].action, "commit");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&rest[0].details).expect("json"),
            json!({"reason": "hotfix «now»"})
        );
        assert_eq!(page[0].details, "{}");
        assert!(is_timestamp(&rest[0].at), "{}", rest[0].at);
    })
    .await;
}

fn user(username: &str, role: &str) -> UserRow {
    UserRow {
        username: username.to_owned(),
        name: format!("{username} Example"),
        email: format!("{username}@example.com"),
        role: role.to_owned(),
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned()),
        created_at: 1_700_000_000,
        folders: (role == "editor").then(|| r#"["Kubernetes","Nœuds"]"#.to_owned()),
    }
}

fn token(id: &str, username: &str, created_at: i64) -> TokenRow {
    TokenRow {
        id: id.to_owned(),
        username: username.to_owned(),
        name: format!("token {id}"),
        scope: "read".to_owned(),
        created_at,
        expires_at: Some(created_at + 3_600),
        last_used_at: None,
    }
}

#[tokio::test]
async fn users_sessions_and_tokens() {
    on_each_database(|pool, _dir, _url| async move {
        assert!(users::insert_user(&pool, &user("ada", "admin"))
            .await
            .expect("insert"));
        assert!(!users::insert_user(&pool, &user("ada", "viewer"))
            .await
            .expect("insert again"));
        assert_eq!(
            users::user(&pool, "ada")
                .await
                .expect("get")
                .map(|u| u.role),
            Some("admin".to_owned())
        );
        let mut bob = user("bob", "viewer");
        bob.password_hash = None;
        users::upsert_user(&pool, &bob).await.expect("upsert");
        bob.role = "editor".to_owned();
        users::upsert_user(&pool, &bob).await.expect("upsert again");
        assert_eq!(
            users::users(&pool).await.expect("list"),
            [user("ada", "admin"), bob.clone()]
        );
        assert!(
            users::insert_user(&pool, &user("eve", "root"))
                .await
                .is_err(),
            "role check"
        );

        // Sessions: valid until they expire; unknown users are refused.
        users::insert_session(&pool, "s1", "ada", 100, 200)
            .await
            .expect("session");
        users::insert_session(&pool, "s2", "bob", 100, 150)
            .await
            .expect("session");
        assert!(
            users::insert_session(&pool, "s3", "nobody", 100, 200)
                .await
                .is_err(),
            "foreign key"
        );
        assert_eq!(
            users::session_user(&pool, "s1", 199)
                .await
                .expect("lookup")
                .map(|u| u.username),
            Some("ada".to_owned())
        );
        assert_eq!(
            users::session_user(&pool, "s1", 200).await.expect("lookup"),
            None
        );
        assert_eq!(users::purge_sessions(&pool, 160).await.expect("purge"), 1);
        assert!(users::session_user(&pool, "s1", 160)
            .await
            .expect("lookup")
            .is_some());
        users::delete_session(&pool, "s1").await.expect("delete");
        assert_eq!(
            users::session_user(&pool, "s1", 160).await.expect("lookup"),
            None
        );

        // Tokens: refreshed in place, found by secret, listed, revoked.
        users::upsert_token(&pool, &token("t1", "ada", 10), "hash1")
            .await
            .expect("token");
        users::upsert_token(&pool, &token("t2", "bob", 20), "hash2")
            .await
            .expect("token");
        users::upsert_token(&pool, &token("t1", "ada", 10), "hash1b")
            .await
            .expect("refresh");
        assert_eq!(
            users::token_by_secret(&pool, "hash1")
                .await
                .expect("lookup"),
            None
        );
        let (found, owner) = users::token_by_secret(&pool, "hash1b")
            .await
            .expect("lookup")
            .expect("refreshed token");
        assert_eq!((found.id.as_str(), owner.username.as_str()), ("t1", "ada"));
        assert!(
            users::upsert_token(&pool, &token("t9", "ada", 30), "hash2")
                .await
                .is_err(),
            "secret hashes are unique"
        );
        users::touch_token(&pool, "t1", 55).await.expect("touch");
        assert_eq!(
            users::token(&pool, "t1")
                .await
                .expect("get")
                .and_then(|t| t.last_used_at),
            Some(55)
        );
        let ids = |rows: Vec<TokenRow>| rows.into_iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(
            ids(users::tokens(&pool, None).await.expect("all")),
            ["t2", "t1"]
        );
        assert_eq!(
            ids(users::tokens(&pool, Some("ada")).await.expect("ada's")),
            ["t1"]
        );
        assert!(users::delete_token(&pool, "t1").await.expect("delete"));
        assert!(!users::delete_token(&pool, "t1")
            .await
            .expect("delete again"));
        assert_eq!(users::token(&pool, "t1").await.expect("get"), None);
    })
    .await;
}

#[tokio::test]
async fn a_bad_database_url_is_a_clear_error_without_its_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = db::open(dir.path(), Some("mysql://u:hunter2@h/db"))
        .await
        .expect_err("mysql is not supported");
    let text = err.to_string();
    assert!(
        text.contains("--database-url") && !text.contains("hunter2"),
        "{text}"
    );

    // A server that refuses the user: the error names the server, never
    // the password.
    if let Some(server) = support::postgres_server() {
        let (_, rest) = server
            .split_once('@')
            .expect("user@host in the test server URL");
        let host = rest.split('/').next().expect("host");
        let url = format!("postgres://ada:hunter2@{host}/nowhere");
        let err = db::open(dir.path(), Some(&url))
            .await
            .expect_err("no such role");
        let text = err.to_string();
        assert!(
            text.contains(&format!("postgres://{host}/nowhere")),
            "{text}"
        );
        assert!(!text.contains("hunter2"), "{text}");
    }
}
