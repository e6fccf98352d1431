//! Sign-in end to end over the real router: sessions and their cookies and
//! expiry, CSRF, the bootstrap token, API tokens, the sign-in page and its
//! redirect, anonymous browsing, rate limiting, `dashstudio user add`, and
//! commits authored by the signed-in user in the demo's real bare origin.

#[path = "support/db.rs"]
mod db;
#[path = "support/auth.rs"]
mod support;

use std::path::Path;
use std::process::Command;

use axum::http::{Method, StatusCode};
use axum::Router;
use dashstudio_server::auth::secret::{random_hex, sha256_hex};
use dashstudio_server::auth::{now, Role};
use dashstudio_server::config::ServeConfig;
use dashstudio_server::db::users as store;
use dashstudio_server::state::AppState;
use dashstudio_server::{router, serve};
use serde_json::{json, Value};

use support::{add_known_user, get, post, request, session_value, sign_in, Cred};

fn config(data: &Path) -> ServeConfig {
    let mut config = ServeConfig::new(None, data.to_path_buf());
    config.database_url = db::studio_database(data);
    config.site_root = data.join("site");
    config.git.fetch_interval = 0;
    config
}

async fn demo(data: &Path, edit: impl FnOnce(&mut ServeConfig)) -> (AppState, Router) {
    let mut config = config(data);
    edit(&mut config);
    let state = serve::prepare(&config).await.expect("demo");
    (state.clone(), router::build(state))
}

#[tokio::test]
async fn sign_in_sets_a_safe_cookie_and_sign_out_ends_the_session() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (state, app) = demo(tmp.path(), |_| {}).await;
    add_known_user(&state, "vera").await;

    let wrong = post(
        &app,
        "/api/v1/session",
        &Cred::None,
        json!({"username": "vera", "password": "nope-nope"}),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body["error"]["code"], "unauthorized");
    assert!(wrong.cookies.is_empty());
    let nobody = post(
        &app,
        "/api/v1/session",
        &Cred::None,
        json!({"username": "nobody", "password": "password-nobody"}),
    )
    .await;
    assert_eq!(nobody.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        nobody.body, wrong.body,
        "an unknown user looks like a wrong password"
    );

    let ok = post(
        &app,
        "/api/v1/session",
        &Cred::None,
        json!({"username": "vera", "password": "password-vera"}),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    assert_eq!(ok.body["user"]["role"], "viewer");
    let cookie = &ok.cookies[0];
    for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain http without --cookie-secure: {cookie}"
    );
    let value = session_value(&ok.cookies).expect("value");
    // Stored hashed, never as sent.
    let stored: Vec<String> = sqlx::query_scalar("SELECT id_hash FROM sessions")
        .fetch_all(&state.db)
        .await
        .expect("rows");
    assert!(stored.contains(&sha256_hex(&value)) && !stored.contains(&value));

    let me = get(&app, "/api/v1/session", &Cred::Cookie(value.clone())).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["user"]["username"], "vera");
    assert_eq!(me.body["via"], "session");

    // Behind an https proxy the cookie is Secure.
    let https = request(
        &app,
        Method::POST,
        "/api/v1/session",
        &Cred::None,
        Some(json!({"username": "vera", "password": "password-vera"})),
        &[("x-forwarded-proto", "https")],
    )
    .await;
    assert!(
        https.cookies[0].ends_with("; Secure"),
        "{}",
        https.cookies[0]
    );

    let out = request(
        &app,
        Method::DELETE,
        "/api/v1/session",
        &Cred::Cookie(value.clone()),
        None,
        &[],
    )
    .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(out.cookies[0].contains("Max-Age=0"));
    let gone = get(&app, "/api/v1/session", &Cred::Cookie(value)).await;
    assert_eq!(gone.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_expired_session_is_signed_out_and_pages_redirect_to_sign_in() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (state, app) = demo(tmp.path(), |c| c.auth.cookie_secure = true).await;
    add_known_user(&state, "vera").await;
    let value = random_hex(32);
    store::insert_session(
        &state.db,
        &sha256_hex(&value),
        "vera",
        now() - 100,
        now() - 1,
    )
    .await
    .expect("insert");
    let expired = Cred::Cookie(value);
    let api = get(&app, "/api/v1/folders", &expired).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    let page = get(&app, "/folders/Kubernetes?x=1", &expired).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.location.as_deref(),
        Some("/signin?next=/folders/Kubernetes%3Fx%3D1")
    );
    let server_fn = request(&app, Method::POST, "/api/overview", &expired, None, &[]).await;
    assert_eq!(server_fn.status, StatusCode::UNAUTHORIZED);

    // The sign-in page itself is open, explains the demo, and shows nothing of the repository.
    let signin = get(&app, "/signin", &Cred::None).await;
    assert_eq!(signin.status, StatusCode::OK);
    let html = signin.body.as_str().expect("html");
    assert!(html.contains("Sign in to Dashboard Studio"), "{html}");
    assert!(
        html.contains("demo-admin-password"),
        "the demo hint: {html}"
    );
    assert!(!html.contains("folder-link"));

    // The sign-in form: a redirect with the session cookie (Secure: --cookie-secure).
    let form = form_sign_in(&app, "vera", "password-vera", "/folders/Kubernetes").await;
    assert_eq!(form.status, StatusCode::SEE_OTHER);
    assert_eq!(form.location.as_deref(), Some("/folders/Kubernetes"));
    assert!(form.cookies[0].ends_with("; Secure"));
    let value = session_value(&form.cookies).expect("cookie");
    let page = get(&app, "/folders/Kubernetes", &Cred::Cookie(value)).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.body.as_str().expect("html");
    assert!(
        html.contains("Vera Viewer · viewer") && html.contains("Sign out"),
        "user menu"
    );
    let bad = form_sign_in(&app, "vera", "wrong", "//evil.example").await;
    assert_eq!(
        bad.location.as_deref(),
        Some("/signin?error=credentials&next=/")
    );
}

async fn form_sign_in(app: &Router, user: &str, password: &str, next: &str) -> support::Reply {
    use tower::ServiceExt;
    let body = format!(
        "username={user}&password={password}&next={}",
        next.replace('/', "%2F")
    );
    let res = app
        .clone()
        .oneshot(
            axum::http::Request::post("/api/v1/session")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("host", support::HOST)
                .header("sec-fetch-site", "same-origin")
                .body(axum::body::Body::from(body))
                .expect("request"),
        )
        .await
        .expect("infallible");
    support::Reply {
        status: res.status(),
        cookies: res
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().expect("ascii").to_owned())
            .collect(),
        location: res
            .headers()
            .get("location")
            .map(|v| v.to_str().expect("ascii").to_owned()),
        body: serde_json::Value::Null,
    }
}

#[tokio::test]
async fn cross_site_state_changes_are_refused_but_bearer_tokens_and_same_origin_pass() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (state, app) = demo(tmp.path(), |_| {}).await;
    add_known_user(&state, "edna").await;
    let value = sign_in(&app, "edna").await;
    let cookie = format!("dashstudio_session={value}");
    let post = |headers: Vec<(&'static str, String)>, uri: &'static str| {
        let app = app.clone();
        let cookie = cookie.clone();
        async move {
            use tower::ServiceExt;
            let mut b = axum::http::Request::post(uri)
                .header("cookie", cookie)
                .header("content-type", "application/json");
            for (k, v) in headers {
                b = b.header(k, v);
            }
            let res = app
                .oneshot(b.body(axum::body::Body::from("{}")).expect("request"))
                .await
                .expect("infallible");
            res.status()
        }
    };
    let host = ("host", support::HOST.to_owned());
    // Another site's page posting with the victim's cookie.
    let evil = post(
        vec![host.clone(), ("origin", "https://evil.example".into())],
        "/api/v1/repository/fetch",
    )
    .await;
    assert_eq!(evil, StatusCode::FORBIDDEN);
    let cross = post(
        vec![host.clone(), ("sec-fetch-site", "cross-site".into())],
        "/api/v1/repository/fetch",
    )
    .await;
    assert_eq!(cross, StatusCode::FORBIDDEN);
    let bare = post(vec![host.clone()], "/api/v1/repository/fetch").await;
    assert_eq!(bare, StatusCode::FORBIDDEN, "no proof at all");
    // Server functions are covered too.
    let server_fn = post(
        vec![host.clone(), ("sec-fetch-site", "cross-site".into())],
        "/api/session_info",
    )
    .await;
    assert_eq!(server_fn, StatusCode::FORBIDDEN);
    // Login CSRF: signing in from another site is refused as well.
    let login = request(
        &app,
        Method::POST,
        "/api/v1/session",
        &Cred::None,
        Some(json!({"username": "edna", "password": "password-edna"})),
        &[("sec-fetch-site", "cross-site")],
    )
    .await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);

    // Our own pages (same origin), and API clients with the header, pass.
    let same = post(
        vec![host.clone(), ("sec-fetch-site", "same-origin".into())],
        "/api/v1/repository/fetch",
    )
    .await;
    assert_eq!(same, StatusCode::OK);
    let origin = post(
        vec![
            host.clone(),
            ("origin", format!("http://{}", support::HOST)),
        ],
        "/api/v1/repository/fetch",
    )
    .await;
    assert_eq!(origin, StatusCode::OK);
    let header = post(
        vec![host.clone(), ("x-dashstudio-csrf", "1".into())],
        "/api/v1/repository/fetch",
    )
    .await;
    assert_eq!(header, StatusCode::OK);
    let info = post(
        vec![host, ("sec-fetch-site", "same-origin".into())],
        "/api/session_info",
    )
    .await;
    assert_eq!(info, StatusCode::OK);
}

#[tokio::test]
async fn the_bootstrap_token_is_created_and_refreshed_as_an_admin_token() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let first = "first-bootstrap-token-value";
    let (_, app) = demo(tmp.path(), |c| {
        c.auth.bootstrap_token = Some(first.to_owned());
        c.write.author = "Ops Robot <ops@example.org>".to_owned();
    })
    .await;
    let me = get(&app, "/api/v1/session", &Cred::Bearer(first.into())).await;
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    assert_eq!(me.body["user"]["username"], "ops");
    assert_eq!(me.body["user"]["role"], "admin");
    assert_eq!(me.body["scope"], "write");
    let users = get(&app, "/api/v1/users", &Cred::Bearer(first.into())).await;
    assert_eq!(users.status, StatusCode::OK);

    // Restart with another value: the old one stops working.
    let second = "second-bootstrap-token-value";
    let (state, app) = demo(tmp.path(), |c| {
        c.auth.bootstrap_token = Some(second.to_owned());
        c.write.author = "Ops Robot <ops@example.org>".to_owned();
    })
    .await;
    let old = get(&app, "/api/v1/session", &Cred::Bearer(first.into())).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = get(&app, "/api/v1/session", &Cred::Bearer(second.into())).await;
    assert_eq!(new.status, StatusCode::OK);
    let tokens = store::tokens(&state.db, Some("ops")).await.expect("tokens");
    assert_eq!(tokens.len(), 1, "refreshed, not added");

    // Too short a value is refused at start.
    let mut weak = config(tmp.path());
    weak.auth.bootstrap_token = Some("short".into());
    assert!(serve::prepare(&weak).await.is_err());
}

#[tokio::test]
async fn api_tokens_are_shown_once_scoped_listed_and_revoked() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (state, app) = demo(tmp.path(), |_| {}).await;
    add_known_user(&state, "edna").await;
    add_known_user(&state, "adam").await;
    let edna = Cred::Cookie(sign_in(&app, "edna").await);
    let adam = Cred::Cookie(sign_in(&app, "adam").await);

    let created = post(
        &app,
        "/api/v1/tokens",
        &edna,
        json!({"name": "ci", "scope": "read", "expires_in_days": 7}),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let token = created.body["token"].as_str().expect("token").to_owned();
    assert!(token.starts_with("dst_") && token.len() > 60);
    let id = created.body["id"].as_str().expect("id").to_owned();
    assert!(created.body["expires_at"].as_i64().expect("expiry") > now() + 6 * 86_400);

    let listed = get(&app, "/api/v1/tokens", &edna).await;
    assert!(
        !listed.body.to_string().contains(&token),
        "the secret is shown once"
    );
    assert_eq!(listed.body["tokens"][0]["id"], id.as_str());
    let stored: Vec<String> = sqlx::query_scalar("SELECT secret_hash FROM api_tokens")
        .fetch_all(&state.db)
        .await
        .expect("rows");
    assert!(stored.contains(&sha256_hex(&token)));

    // Read scope: reads pass, writes are refused.
    let bearer = Cred::Bearer(token.clone());
    let read = get(&app, "/api/v1/drafts", &bearer).await;
    assert_eq!(read.status, StatusCode::OK);
    let write = request(
        &app,
        Method::POST,
        "/api/v1/repository/fetch",
        &bearer,
        None,
        &[],
    )
    .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    assert!(write.body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("scope"));

    // Someone else's token: only an admin.
    let for_adam = post(
        &app,
        "/api/v1/tokens",
        &edna,
        json!({"name": "x", "scope": "write", "username": "adam"}),
    )
    .await;
    assert_eq!(for_adam.status, StatusCode::FORBIDDEN);
    let for_edna = post(
        &app,
        "/api/v1/tokens",
        &adam,
        json!({"name": "for edna", "scope": "write", "username": "edna"}),
    )
    .await;
    assert_eq!(for_edna.status, StatusCode::CREATED);
    let bad = post(
        &app,
        "/api/v1/tokens",
        &edna,
        json!({"name": "x", "scope": "write", "expires_in_days": 0}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // Revoked: the token stops working at once.
    let not_hers = request(
        &app,
        Method::DELETE,
        &format!(
            "/api/v1/tokens/{}",
            for_edna.body["id"].as_str().expect("id")
        ),
        &edna,
        None,
        &[],
    )
    .await;
    assert_eq!(
        not_hers.status,
        StatusCode::NO_CONTENT,
        "a token made for her is hers"
    );
    let revoked = request(
        &app,
        Method::DELETE,
        &format!("/api/v1/tokens/{id}"),
        &edna,
        None,
        &[],
    )
    .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let after = get(&app, "/api/v1/drafts", &bearer).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn anonymous_read_lets_visitors_browse_and_nothing_more() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (_, app) = demo(tmp.path(), |c| c.auth.anonymous_read = true).await;
    for uri in ["/api/v1/folders", "/api/v1/dashboards", "/api/v1/problems"] {
        let r = get(&app, uri, &Cred::None).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
    }
    let page = get(&app, "/", &Cred::None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.as_str().expect("html").contains("Sign in"),
        "a sign-in link"
    );
    for (method, uri) in [
        (Method::POST, "/api/v1/validate"),
        (Method::GET, "/api/v1/drafts"),
        (Method::GET, "/api/v1/audit"),
        (Method::POST, "/api/v1/repository/fetch"),
    ] {
        let r = request(&app, method.clone(), uri, &Cred::None, Some(json!({})), &[]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
    }
}

#[tokio::test]
async fn the_attempt_past_the_sign_in_limit_gets_429() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (state, app) = demo(tmp.path(), |c| c.auth.sign_in_limit = 3).await;
    add_known_user(&state, "vera").await;
    for _ in 0..3 {
        let r = post(
            &app,
            "/api/v1/session",
            &Cred::None,
            json!({"username": "vera", "password": "wrong-password"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = post(
        &app,
        "/api/v1/session",
        &Cred::None,
        json!({"username": "vera", "password": "password-vera"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.body["error"]["code"], "too_many_requests");

    // Token creation is limited per user too.
    add_known_user(&state, "edna").await;
    let (_, token) = dashstudio_server::auth::accounts::create_token(
        &state.db,
        "edna",
        "t",
        dashstudio_server::auth::Scope::Write,
        None,
    )
    .await
    .expect("token");
    let bearer = Cred::Bearer(token);
    for n in 0..4 {
        let r = post(
            &app,
            "/api/v1/tokens",
            &bearer,
            json!({"name": format!("t{n}"), "scope": "read"}),
        )
        .await;
        let want = if n < 3 {
            StatusCode::CREATED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(r.status, want, "token {n}");
    }
}

#[tokio::test]
async fn the_demo_admin_and_users_added_on_the_command_line_can_sign_in() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let (_, app) = demo(&data, |_| {}).await;
    let password =
        std::fs::read_to_string(data.join("demo-admin-password")).expect("password file");
    let r = post(
        &app,
        "/api/v1/session",
        &Cred::None,
        json!({"username": "admin", "password": password.trim()}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["user"]["role"], "admin");
    drop(app);

    let mut child = Command::new(env!("CARGO_BIN_EXE_dashstudio"))
        .args([
            "user",
            "add",
            "--username",
            "olga",
            "--role",
            "editor",
            "--password-stdin",
            "--name",
            "Olga Ops",
            "--email",
            "olga@example.org",
            "--data-dir",
        ])
        .arg(&data)
        .args(
            db::studio_database(&data)
                .map(|url| vec!["--database-url".to_owned(), url])
                .unwrap_or_default(),
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run dashstudio user add");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        writeln!(stdin, "olga's secret").expect("write");
    }
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.contains("created olga (editor)") && !printed.contains("secret"),
        "{printed}"
    );

    let (_, app) = demo(&data, |_| {}).await;
    let r = post(
        &app,
        "/api/v1/session",
        &Cred::None,
        json!({"username": "olga", "password": "olga's secret"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["user"]["name"], "Olga Ops");
}

#[tokio::test]
async fn commits_are_authored_by_the_signed_in_user() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let (state, app) = demo(&data, |_| {}).await;
    add_known_user(&state, "edna").await;
    let edna = Cred::Cookie(sign_in(&app, "edna").await);
    let list = get(&app, "/api/v1/dashboards", &edna).await;
    let first = &list.body["dashboards"][0];
    let key = format!(
        "{}/{}",
        first["namespace"].as_str().expect("ns"),
        first["name"].as_str().expect("name")
    );
    let one = get(&app, &format!("/api/v1/dashboards/{key}"), &edna).await;
    let mut dashboard = one.body["dashboard"].clone();
    dashboard["title"] = json!("Retitled by Edna");
    let saved = request(
        &app,
        Method::PUT,
        &format!("/api/v1/drafts/{key}"),
        &edna,
        Some(json!({"dashboard": dashboard, "base_version": one.body["version"]})),
        &[],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);

    // An editor may not commit straight to the default branch.
    let origin = data.join("demo-origin.git");
    let default_branch = git(&origin, tmp.path(), &["symbolic-ref", "--short", "HEAD"]);
    let direct = post(
        &app,
        "/api/v1/commits",
        &edna,
        json!({"drafts": [key], "message": "direct", "branch": default_branch.trim()}),
    )
    .await;
    assert_eq!(direct.status, StatusCode::FORBIDDEN, "{:?}", direct.body);
    assert!(direct.body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("admin"));

    let commit = post(
        &app,
        "/api/v1/commits",
        &edna,
        json!({"drafts": [key], "message": "Retitle as Edna"}),
    )
    .await;
    assert_eq!(commit.status, StatusCode::CREATED, "{:?}", commit.body);
    let branch = commit.body["branch"].as_str().expect("branch");
    assert!(branch.starts_with("studio/edna/"), "{branch}");
    assert_eq!(commit.body["pushed"], true);

    // The real bare origin has the commit, authored by Edna.
    let author = git(
        &origin,
        tmp.path(),
        &["log", "-1", "--format=%an <%ae>", branch],
    );
    assert_eq!(author.trim(), "Edna Editor <edna@example.org>");
    let audit = get(&app, "/api/v1/audit", &edna).await;
    assert!(audit.body["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .any(|e| e["actor"] == "edna"));
}

#[tokio::test]
async fn an_editor_restricted_to_folders_changes_only_those() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let (state, app) = demo(&data, |_| {}).await;
    add_known_user(&state, "adam").await;
    let adam = Cred::Cookie(sign_in(&app, "adam").await);
    let list = get(&app, "/api/v1/dashboards", &adam).await;
    let dashboards = list.body["dashboards"].as_array().expect("dashboards");
    let folder_of = |d: &Value| d["folder"].as_str().expect("folder").to_owned();
    let key_of = |d: &Value| {
        format!(
            "{}/{}",
            d["namespace"].as_str().expect("ns"),
            d["name"].as_str().expect("name")
        )
    };
    let mine = &dashboards[0];
    let theirs = dashboards
        .iter()
        .find(|d| folder_of(d) != folder_of(mine))
        .expect("the demo has two folders");
    let (allowed, other) = (folder_of(mine), folder_of(theirs));

    // Only editors take a restriction.
    let viewer = post(
        &app,
        "/api/v1/users",
        &adam,
        json!({"username": "rita", "role": "viewer", "password": "password-rita", "folders": [allowed]}),
    )
    .await;
    assert_eq!(viewer.status, StatusCode::BAD_REQUEST, "{:?}", viewer.body);
    let created = post(
        &app,
        "/api/v1/users",
        &adam,
        json!({"username": "fred", "role": "editor", "password": "password-fred", "folders": [allowed]}),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["folders"], json!([allowed]));
    let fred = Cred::Cookie(sign_in(&app, "fred").await);
    let me = get(&app, "/api/v1/session", &fred).await;
    assert_eq!(
        me.body["user"]["folders"],
        json!([allowed]),
        "{:?}",
        me.body
    );

    let save = |key: String, body: Value| {
        let app = app.clone();
        let fred = fred.clone();
        async move {
            request(
                &app,
                Method::PUT,
                &format!("/api/v1/drafts/{key}"),
                &fred,
                Some(body),
                &[],
            )
            .await
        }
    };
    let retitled = async |d: &Value| {
        let one = get(&app, &format!("/api/v1/dashboards/{}", key_of(d)), &fred).await;
        let mut dashboard = one.body["dashboard"].clone();
        dashboard["title"] = json!("Retitled by Fred");
        json!({"dashboard": dashboard, "base_version": one.body["version"]})
    };

    // In the allowed folder: fine. Elsewhere: 403 naming both folders.
    let ok = save(key_of(mine), retitled(mine).await).await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    let refused = save(key_of(theirs), retitled(theirs).await).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    let message = refused.body["error"]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains(&other) && message.contains(&allowed),
        "{message}"
    );
    // Moving out of the allowed folder, deleting elsewhere, creating elsewhere: 403.
    let moved = save(key_of(mine), json!({"folder": {"folder": other}})).await;
    assert_eq!(moved.status, StatusCode::FORBIDDEN, "{:?}", moved.body);
    let deleted = post(
        &app,
        &format!("/api/v1/drafts/{}/operations", key_of(theirs)),
        &fred,
        json!({"operations": [{"op": "delete"}]}),
    )
    .await;
    assert_eq!(deleted.status, StatusCode::FORBIDDEN, "{:?}", deleted.body);
    let ns = mine["namespace"].as_str().expect("ns");
    let create = |folder: &str, name: &str| {
        post(
            &app,
            "/api/v1/drafts",
            &fred,
            json!({"namespace": ns, "name": name, "title": name, "folder": {"folder": folder}}),
        )
    };
    let elsewhere = create(&other, "fred-elsewhere").await;
    assert_eq!(
        elsewhere.status,
        StatusCode::FORBIDDEN,
        "{:?}",
        elsewhere.body
    );
    let inside = create(&allowed, "fred-inside").await;
    assert_eq!(inside.status, StatusCode::CREATED, "{:?}", inside.body);

    // A restriction set after the draft was saved still holds at commit.
    let restricted = dashstudio_server::db::users::UserRow {
        folders: Some(serde_json::to_string(&[&other]).expect("json")),
        ..store::user(&state.db, "fred")
            .await
            .expect("get")
            .expect("fred")
    };
    store::upsert_user(&state.db, &restricted)
        .await
        .expect("restrict");
    let fred = Cred::Cookie(sign_in(&app, "fred").await);
    let commit = post(
        &app,
        "/api/v1/commits",
        &fred,
        json!({"drafts": [key_of(mine)], "message": "Retitle"}),
    )
    .await;
    assert_eq!(commit.status, StatusCode::FORBIDDEN, "{:?}", commit.body);
    // Unrestricted again: the same commit goes through.
    let free = dashstudio_server::db::users::UserRow {
        folders: None,
        ..restricted
    };
    store::upsert_user(&state.db, &free).await.expect("lift");
    let fred = Cred::Cookie(sign_in(&app, "fred").await);
    let commit = post(
        &app,
        "/api/v1/commits",
        &fred,
        json!({"drafts": [key_of(mine)], "message": "Retitle"}),
    )
    .await;
    assert_eq!(commit.status, StatusCode::CREATED, "{:?}", commit.body);
}

#[tokio::test]
async fn an_identity_from_a_provider_signs_in_through_the_single_sign_on_seam() {
    use dashstudio_server::auth::accounts::{sign_in_external, ExternalIdentity};
    let tmp = tempfile::tempdir().expect("tempdir");
    let (state, app) = demo(tmp.path(), |_| {}).await;
    let identity = ExternalIdentity {
        username: "kim".to_owned(),
        name: "Kim Keycloak".to_owned(),
        email: "kim@example.org".to_owned(),
        role: Role::Editor,
        folders: Some(vec!["Kubernetes".to_owned()]),
    };
    let (cookie, user) = sign_in_external(&state.db, identity.clone(), 3_600)
        .await
        .expect("sign in");
    assert_eq!(user.password_hash, None);
    let me = get(&app, "/api/v1/session", &Cred::Cookie(cookie)).await;
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    assert_eq!(me.body["user"]["role"], "editor");
    assert_eq!(me.body["user"]["folders"], json!(["Kubernetes"]));
    // No password: the sign-in form cannot be used for them.
    let form = post(
        &app,
        "/api/v1/session",
        &Cred::None,
        json!({"username": "kim", "password": "anything-at-all"}),
    )
    .await;
    assert_eq!(form.status, StatusCode::UNAUTHORIZED);

    // The provider's word is current: promoted there, admin here.
    let promoted = ExternalIdentity {
        role: Role::Admin,
        ..identity.clone()
    };
    let (cookie, _) = sign_in_external(&state.db, promoted, 3_600)
        .await
        .expect("sign in again");
    let me = get(&app, "/api/v1/session", &Cred::Cookie(cookie)).await;
    assert_eq!(me.body["user"]["role"], "admin");
    assert!(me.body["user"].get("folders").is_none(), "{:?}", me.body);

    // Never over a local user with a password, never without a role.
    add_known_user(&state, "edna").await;
    let takeover = ExternalIdentity {
        username: "edna".to_owned(),
        ..identity.clone()
    };
    let err = sign_in_external(&state.db, takeover, 3_600)
        .await
        .expect_err("edna has a password");
    assert!(err.to_string().contains("local user"), "{err}");
    let nobody = ExternalIdentity {
        role: Role::Anonymous,
        ..identity
    };
    assert!(sign_in_external(&state.db, nobody, 3_600).await.is_err());
}

/// The system `git` on a bare repository, isolated from the machine's configuration.
fn git(git_dir: &Path, home: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("--git-dir")
        .arg(git_dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", home)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}
