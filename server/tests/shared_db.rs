//! Two studio instances, each with its own data dir and clone, sharing one
//! PostgreSQL database and one Git remote: a session started on one works on
//! the other, a draft saved on one is committed from the other, and neither
//! pushes (or marks pushed) a commit that only the other's clone holds.

#[path = "support/auth.rs"]
mod auth;
#[path = "support/db.rs"]
mod db_support;
#[path = "support/git.rs"]
mod git_support;

use auth::{add_known_user, get, request, sign_in, Cred};
use axum::http::{Method, StatusCode};
use dashstudio_server::config::ServeConfig;
use dashstudio_server::db::commits::{self, NewCommit};
use dashstudio_server::service::background;
use dashstudio_server::{demo, router, serve};
use git_support::git;
use serde_json::json;

const DRAFT: &str = "/api/v1/drafts/grafana/node-health";

#[tokio::test]
async fn two_instances_share_one_database_and_one_remote() {
    let Some(server) = db_support::postgres_server() else {
        return;
    };
    let database = db_support::fresh_postgres(&server).await;
    let tmp = tempfile::tempdir().expect("tempdir");
    let origin = demo::ensure_origin(&tmp.path().join("gen")).expect("demo origin");
    let config = |data: &str| {
        let data = tmp.path().join(data);
        let mut config = ServeConfig::new(Some(origin.display().to_string()), data.clone());
        config.site_root = data.join("site");
        config.database_url = Some(database.clone());
        config.git.fetch_interval = 0;
        config
    };
    let state_a = serve::prepare(&config("a")).await.expect("instance a");
    let state_b = serve::prepare(&config("b")).await.expect("instance b");
    let (a, b) = (
        router::build(state_a.clone()),
        router::build(state_b.clone()),
    );
    assert!(!tmp.path().join("a/dashstudio.sqlite").exists());

    // A user made through one instance signs in on it and is known on the other.
    add_known_user(&state_a, "edna").await;
    let session = Cred::Cookie(sign_in(&a, "edna").await);
    let me = get(&b, "/api/v1/session", &session).await;
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    assert_eq!(me.body["user"]["username"], "edna", "{:?}", me.body);

    // A draft saved on A is Edna's draft on B too; B commits and pushes it.
    let opened = get(&a, "/api/v1/dashboards/grafana/node-health", &session).await;
    assert_eq!(opened.status, StatusCode::OK, "{:?}", opened.body);
    let mut dashboard = opened.body["dashboard"].clone();
    dashboard["panels"][0]["title"] = json!("CPU busy (shared)");
    let saved = request(
        &a,
        Method::PUT,
        DRAFT,
        &session,
        Some(json!({"dashboard": dashboard, "base_version": opened.body["version"]})),
        &[],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    let listed = get(&b, "/api/v1/drafts", &session).await;
    assert_eq!(listed.body["total"], 1, "{:?}", listed.body);
    let committed = request(
        &b,
        Method::POST,
        "/api/v1/commits",
        &session,
        Some(json!({"drafts": ["grafana/node-health"], "message": "Shared retitle"})),
        &[],
    )
    .await;
    assert_eq!(
        committed.status,
        StatusCode::CREATED,
        "{:?}",
        committed.body
    );
    assert_eq!(committed.body["pushed"], true, "{:?}", committed.body);
    let sha = committed.body["commit"].as_str().expect("sha").to_owned();
    let branch = committed.body["branch"]
        .as_str()
        .expect("branch")
        .to_owned();
    assert_eq!(git(&origin, &["rev-parse", &branch]).trim(), sha);
    // A reports the commit B made, from the shared database.
    let status = get(&a, &format!("/api/v1/commits/{sha}"), &session).await;
    assert_eq!(status.status, StatusCode::OK, "{:?}", status.body);
    assert_eq!(status.body["pushed"], true, "{:?}", status.body);
    assert_eq!(get(&a, "/api/v1/drafts", &session).await.body["total"], 0);

    // A commit only B's clone holds, not pushed yet (B's push is failing,
    // say). A's retry loop leaves it alone, and asking A to push it is a
    // conflict that says why: A must not mark it pushed from its own clone.
    let elsewhere = "0123456789abcdef0123456789abcdef01234567";
    let summary = json!({});
    commits::insert(
        &state_b.db,
        &NewCommit {
            commit_id: elsewhere,
            branch: "master",
            base_branch: "master",
            author: "edna",
            message: "made on B",
            pull_request: false,
            summary: &summary,
        },
    )
    .await
    .expect("insert");
    background::retry_due(&state_a).await.expect("retry on A");
    let row = commits::get(&state_a.db, elsewhere)
        .await
        .expect("get")
        .expect("row");
    assert!(!row.pushed, "A marked B's commit pushed");
    assert_eq!(row.push_attempts, 0, "A tried to push B's commit");
    let push = request(
        &a,
        Method::POST,
        &format!("/api/v1/commits/{elsewhere}/push"),
        &session,
        None,
        &[],
    )
    .await;
    assert_eq!(push.status, StatusCode::CONFLICT, "{:?}", push.body);
    let message = push.body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("another studio instance"), "{message}");
}
