//! The authorization matrix: every `/api/v1` endpoint × {anonymous, viewer,
//! editor, admin, expired token, read-only token}, each cell asserting the
//! exact status, over the real router, a real SQLite file and the demo
//! repository with its bare origin.

#[path = "support/db.rs"]
mod db;
#[path = "support/auth.rs"]
mod support;

use axum::http::{Method, StatusCode};
use dashstudio_server::auth::accounts;
use dashstudio_server::auth::{now, Role, Scope};
use dashstudio_server::config::ServeConfig;
use dashstudio_server::{router, serve};
use serde_json::{json, Value};

use support::{add_known_user, get, request, sign_in, Cred};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Viewer,
    Editor,
    Admin,
    ExpiredToken,
    ReadToken,
}

/// What an endpoint demands.
#[derive(Debug, Clone, Copy)]
enum Need {
    /// Anyone (sign-in itself).
    Public,
    /// Any signed-in caller (sign-out).
    SignedIn,
    /// A role; `write`: a read-scoped token is refused.
    Role(Role, bool),
}

/// The status a caller must get: 401 / 403 from the need, else `ok`.
fn expected(who: Who, need: Need, ok: u16) -> u16 {
    let (role, scope) = match who {
        Who::ExpiredToken => return 401,
        Who::Anonymous => (None, Scope::Write),
        Who::Viewer => (Some(Role::Viewer), Scope::Write),
        Who::Editor => (Some(Role::Editor), Scope::Write),
        Who::Admin => (Some(Role::Admin), Scope::Write),
        Who::ReadToken => (Some(Role::Admin), Scope::Read),
    };
    match need {
        Need::Public => ok,
        Need::SignedIn => role.map_or(401, |_| ok),
        Need::Role(needed, write) => match role {
            None => 401,
            Some(r) if r < needed => 403,
            Some(_) if write && scope == Scope::Read => 403,
            Some(_) => ok,
        },
    }
}

#[tokio::test]
async fn every_endpoint_for_every_kind_of_caller() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut config = ServeConfig::new(None, tmp.path().join("data"));
    config.database_url = db::studio_database(&tmp.path().join("data"));
    config.site_root = tmp.path().join("site");
    config.git.fetch_interval = 0;
    let state = serve::prepare(&config).await.expect("demo");
    let app = router::build(state.clone());

    add_known_user(&state, "vera").await;
    add_known_user(&state, "edna").await;
    add_known_user(&state, "adam").await;
    let (_, expired) =
        accounts::create_token(&state.db, "adam", "old", Scope::Write, Some(now() - 5))
            .await
            .expect("token");
    let (_, read_token) = accounts::create_token(&state.db, "adam", "ro", Scope::Read, None)
        .await
        .expect("token");

    // One dashboard of the demo, as served.
    let boot = Cred::Cookie(sign_in(&app, "adam").await);
    let list = get(&app, "/api/v1/dashboards", &boot).await;
    let first = &list.body["dashboards"][0];
    let (ns, name) = (
        first["namespace"].as_str().expect("ns").to_owned(),
        first["name"].as_str().expect("name").to_owned(),
    );
    let one = get(&app, &format!("/api/v1/dashboards/{ns}/{name}"), &boot).await;
    assert_eq!(one.status, StatusCode::OK);
    let dashboard = one.body["dashboard"].clone();
    let version = one.body["version"].clone();
    let mut retitled = dashboard.clone();
    retitled["title"] = json!("Retitled by the matrix");

    let callers = [
        Who::Anonymous,
        Who::ExpiredToken,
        Who::ReadToken,
        Who::Viewer,
        Who::Editor,
        Who::Admin,
    ];
    let mut cells = 0;
    for who in callers {
        let cred = match who {
            Who::Anonymous => Cred::None,
            Who::Viewer => Cred::Cookie(sign_in(&app, "vera").await),
            Who::Editor => Cred::Cookie(sign_in(&app, "edna").await),
            Who::Admin => Cred::Cookie(sign_in(&app, "adam").await),
            Who::ExpiredToken => Cred::Bearer(expired.clone()),
            Who::ReadToken => Cred::Bearer(read_token.clone()),
        };
        let owner = match who {
            Who::Viewer => "vera",
            Who::Editor => "edna",
            _ => "adam",
        };
        // A token of the caller's to revoke.
        let (own, _) = accounts::create_token(&state.db, owner, "to revoke", Scope::Read, None)
            .await
            .expect("token");
        let tag = format!("{who:?}").to_lowercase();
        let draft = format!("/api/v1/drafts/{ns}/{name}");
        // (method, path, body, need, status when allowed)
        let rows: Vec<(Method, String, Option<Value>, Need, u16)> = vec![
            (
                Method::GET,
                "/api/v1/folders".into(),
                None,
                Need::Role(Role::Viewer, false),
                200,
            ),
            (
                Method::GET,
                "/api/v1/dashboards?q=a".into(),
                None,
                Need::Role(Role::Viewer, false),
                200,
            ),
            (
                Method::GET,
                format!("/api/v1/dashboards/{ns}/{name}"),
                None,
                Need::Role(Role::Viewer, false),
                200,
            ),
            (
                Method::GET,
                format!("/api/v1/dashboards/{ns}/{name}/history"),
                None,
                Need::Role(Role::Viewer, false),
                200,
            ),
            (
                Method::GET,
                "/api/v1/problems".into(),
                None,
                Need::Role(Role::Viewer, false),
                200,
            ),
            (
                Method::POST,
                "/api/v1/validate".into(),
                Some(dashboard.clone()),
                Need::Role(Role::Viewer, false),
                200,
            ),
            (
                Method::GET,
                "/api/v1/audit".into(),
                None,
                Need::Role(Role::Viewer, false),
                200,
            ),
            (
                Method::GET,
                "/api/v1/session".into(),
                None,
                Need::Role(Role::Viewer, false),
                200,
            ),
            (
                Method::GET,
                "/api/v1/tokens".into(),
                None,
                Need::Role(Role::Viewer, false),
                200,
            ),
            (
                Method::POST,
                "/api/v1/tokens".into(),
                Some(json!({"name": "ci", "scope": "read"})),
                Need::Role(Role::Viewer, true),
                201,
            ),
            (
                Method::DELETE,
                format!("/api/v1/tokens/{}", own.id),
                None,
                Need::Role(Role::Viewer, true),
                204,
            ),
            (
                Method::GET,
                "/api/v1/tokens?all=true".into(),
                None,
                Need::Role(Role::Admin, false),
                200,
            ),
            (
                Method::GET,
                "/api/v1/users".into(),
                None,
                Need::Role(Role::Admin, false),
                200,
            ),
            (
                Method::POST,
                "/api/v1/users".into(),
                Some(
                    json!({"username": format!("new-{tag}"), "role": "viewer", "password": "long enough"}),
                ),
                Need::Role(Role::Admin, true),
                201,
            ),
            (
                Method::GET,
                "/api/v1/drafts".into(),
                None,
                Need::Role(Role::Editor, false),
                200,
            ),
            (
                Method::PUT,
                draft.clone(),
                Some(json!({"dashboard": retitled, "base_version": version})),
                Need::Role(Role::Editor, true),
                200,
            ),
            // The read token's owner has no draft (its save was refused).
            (
                Method::GET,
                draft.clone(),
                None,
                Need::Role(Role::Editor, false),
                if who == Who::ReadToken { 404 } else { 200 },
            ),
            (
                Method::POST,
                format!("{draft}/operations"),
                Some(json!({"operations": [{"op": "replace", "dashboard": retitled}]})),
                Need::Role(Role::Editor, true),
                200,
            ),
            (
                Method::DELETE,
                draft.clone(),
                None,
                Need::Role(Role::Editor, true),
                204,
            ),
            (
                Method::POST,
                "/api/v1/drafts".into(),
                Some(
                    json!({"namespace": ns, "name": format!("matrix-{tag}"), "title": "Matrix", "template": format!("{ns}/{name}")}),
                ),
                Need::Role(Role::Editor, true),
                201,
            ),
            // No draft of that dashboard left: a 404, past the permission check.
            (
                Method::POST,
                "/api/v1/commits".into(),
                Some(json!({"drafts": [format!("{ns}/{name}")], "message": "m"})),
                Need::Role(Role::Editor, true),
                404,
            ),
            (
                Method::GET,
                "/api/v1/commits/0123456789012345678901234567890123456789".into(),
                None,
                Need::Role(Role::Viewer, false),
                404,
            ),
            (
                Method::POST,
                "/api/v1/commits/0123456789012345678901234567890123456789/push".into(),
                None,
                Need::Role(Role::Editor, true),
                404,
            ),
            (
                Method::POST,
                "/api/v1/repository/fetch".into(),
                None,
                Need::Role(Role::Editor, true),
                200,
            ),
            (
                Method::POST,
                "/api/v1/session".into(),
                Some(json!({"username": "vera", "password": "password-vera"})),
                Need::Public,
                200,
            ),
            (
                Method::DELETE,
                "/api/v1/session".into(),
                None,
                Need::SignedIn,
                204,
            ),
        ];
        for (method, path, body, need, ok) in rows {
            let want = expected(who, need, ok);
            let reply = request(&app, method.clone(), &path, &cred, body, &[]).await;
            assert_eq!(
                reply.status.as_u16(),
                want,
                "{who:?} {method} {path}: {:?}",
                reply.body
            );
            if want == 401 || want == 403 {
                let code = reply.body["error"]["code"].as_str().unwrap_or_default();
                assert_eq!(
                    code,
                    if want == 401 {
                        "unauthorized"
                    } else {
                        "forbidden"
                    }
                );
                assert!(reply.body["error"]["message"].is_string());
            }
            if let (403, Need::Role(r, _), false) = (want, need, who == Who::ReadToken) {
                let message = reply.body["error"]["message"].as_str().unwrap_or_default();
                assert!(
                    message.contains(r.as_str()),
                    "403 names the missing role: {message}"
                );
            }
            cells += 1;
        }
    }
    assert_eq!(cells, 26 * 6);
}
