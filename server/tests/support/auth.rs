//! Signed-in requests against the real router: users made through the
//! accounts service, sessions through `POST /api/v1/session`, and requests
//! as a browser (cookie + same-origin headers) or an API client (bearer).

#![allow(dead_code)] // each test binary uses a different part of this file

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use dashstudio_server::auth::accounts::{self, NewUser};
use dashstudio_server::auth::Role;
use dashstudio_server::state::AppState;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// The host the browser-like requests claim to talk to.
pub const HOST: &str = "studio.test";

/// How a request proves who sends it.
#[derive(Debug, Clone)]
pub enum Cred {
    None,
    /// A session cookie's value, sent as a same-origin browser would.
    Cookie(String),
    Bearer(String),
}

/// A response: status, `Set-Cookie` values, `Location`, and the body (JSON or text).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub cookies: Vec<String>,
    pub location: Option<String>,
    pub body: Value,
}

/// A GET with no body and no extra headers.
pub async fn get(app: &Router, uri: &str, cred: &Cred) -> Reply {
    request(app, Method::GET, uri, cred, None, &[]).await
}

/// A POST of a JSON body with no extra headers.
pub async fn post(app: &Router, uri: &str, cred: &Cred, body: Value) -> Reply {
    request(app, Method::POST, uri, cred, Some(body), &[]).await
}

/// One of the suites' standard users: `vera` (viewer), `edna` (editor),
/// `adam` (admin).
pub async fn add_known_user(state: &AppState, username: &str) {
    let (role, name) = match username {
        "vera" => (Role::Viewer, "Vera Viewer"),
        "edna" => (Role::Editor, "Edna Editor"),
        "adam" => (Role::Admin, "Adam Admin"),
        other => panic!("no standard user {other}"),
    };
    add_user(
        state,
        username,
        role,
        name,
        &format!("{username}@example.org"),
    )
    .await;
}

pub async fn request(
    app: &Router,
    method: Method,
    uri: &str,
    cred: &Cred,
    body: Option<Value>,
    extra: &[(&str, &str)],
) -> Reply {
    let mut b = Request::builder().method(method).uri(uri);
    match cred {
        Cred::None => {}
        Cred::Cookie(v) => b = b.header("cookie", format!("dashstudio_session={v}")),
        Cred::Bearer(t) => b = b.header("authorization", format!("Bearer {t}")),
    }
    if !matches!(cred, Cred::Bearer(_)) {
        b = b
            .header("host", HOST)
            .header("origin", format!("http://{HOST}"));
    }
    for (k, v) in extra {
        b = b.header(*k, *v);
    }
    let body = match body {
        Some(v) => {
            b = b.header("content-type", "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    let res = app
        .clone()
        .oneshot(b.body(body).expect("request"))
        .await
        .expect("infallible");
    let status = res.status();
    let cookies = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ascii").to_owned())
        .collect();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().expect("ascii").to_owned());
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    Reply {
        status,
        cookies,
        location,
        body,
    }
}

/// Creates a user with `password-<username>`.
pub async fn add_user(state: &AppState, username: &str, role: Role, name: &str, email: &str) {
    accounts::create_user(
        &state.db,
        NewUser {
            username: username.to_owned(),
            role,
            password: format!("password-{username}"),
            name: Some(name.to_owned()),
            email: Some(email.to_owned()),
            folders: None,
        },
    )
    .await
    .expect("create user");
}

/// Signs in through the API; returns the session cookie's value.
pub async fn sign_in(app: &Router, username: &str) -> String {
    let reply = request(
        app,
        Method::POST,
        "/api/v1/session",
        &Cred::None,
        Some(json!({"username": username, "password": format!("password-{username}")})),
        &[],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    session_value(&reply.cookies).expect("a session cookie")
}

/// The session cookie's value among `Set-Cookie` headers.
pub fn session_value(cookies: &[String]) -> Option<String> {
    cookies.iter().find_map(|c| {
        c.strip_prefix("dashstudio_session=")
            .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
            .filter(|v| !v.is_empty())
    })
}
