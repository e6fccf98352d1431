//! A fake Gitea/Forgejo API on a real port: `POST` and `GET
//! /api/v1/repos/{owner}/{repo}/pulls`, checked against Gitea's swagger
//! (`Authorization: token …`, JSON `CreatePullRequestOption` with `head`,
//! `base`, `title` required, list paging by `page` and `limit` capped at 50)
//! and answering as Gitea does (201, 401, 409 "pull request already exists
//! for these targets", 422 head = base, `X-Total-Count` on lists).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use crate::forge_server::{answer, serve, Log, Mode};

pub const OWNER: &str = "acme";
pub const REPO: &str = "dashboards";
pub const TOKEN: &str = "0123456789abcdef0123456789abcdef01234567";
/// Gitea's default `MAX_RESPONSE_ITEMS`.
pub const MAX_PAGE: usize = 50;
const REPO_ID: i64 = 1;
const FORK_ID: i64 = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub head: String,
    pub base: String,
    pub head_repo_id: i64,
    pub open: bool,
}

#[derive(Clone)]
pub struct FakeGitea {
    /// The API root to configure: `http://127.0.0.1:{port}/api/v1`.
    pub api_url: String,
    pub log: Log,
    pulls: Arc<Mutex<Vec<Stored>>>,
    mode: Arc<Mutex<Mode>>,
}

pub fn html_url(number: u64) -> String {
    format!("https://gitea.example/{OWNER}/{REPO}/pulls/{number}")
}

impl FakeGitea {
    pub async fn start() -> Self {
        let mut fake = Self {
            api_url: String::new(),
            log: Log::default(),
            pulls: Arc::default(),
            mode: Arc::new(Mutex::new(Mode::Normal)),
        };
        let router = Router::new()
            .route("/api/v1/repos/{owner}/{repo}/pulls", get(pulls).post(pulls))
            .fallback(unknown)
            .with_state(fake.clone());
        fake.api_url = format!("{}/api/v1", serve(router).await);
        fake
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().expect("mode") = mode;
    }

    /// Add a pull request from this repository's `head`; its number.
    pub fn seed(&self, head: &str, base: &str, open: bool) -> u64 {
        self.seed_from(REPO_ID, head, base, open)
    }

    /// Add a pull request from a fork's branch named `head`.
    pub fn seed_fork(&self, head: &str, base: &str) -> u64 {
        self.seed_from(FORK_ID, head, base, true)
    }

    fn seed_from(&self, head_repo_id: i64, head: &str, base: &str, open: bool) -> u64 {
        let mut pulls = self.pulls.lock().expect("pulls");
        let number = pulls.len() as u64 + 1;
        pulls.push(Stored {
            number,
            title: format!("seeded {number}"),
            body: String::new(),
            head: head.into(),
            base: base.into(),
            head_repo_id,
            open,
        });
        number
    }

    pub fn pulls(&self) -> Vec<Stored> {
        self.pulls.lock().expect("pulls").clone()
    }
}

fn message(status: StatusCode, text: &str) -> Response {
    answer(
        status,
        json!({"message": text, "url": "https://gitea.example/api/swagger"}),
    )
}

fn pull_json(p: &Stored) -> Value {
    let branch = |name: &str, repo_id: i64| json!({"label": name, "ref": name, "sha": "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "repo_id": repo_id});
    json!({
        "id": 500 + p.number,
        "url": html_url(p.number),
        "number": p.number,
        "user": {"id": 7, "login": "studio"},
        "title": p.title,
        "body": p.body,
        "state": if p.open { "open" } else { "closed" },
        "html_url": html_url(p.number),
        "diff_url": format!("{}.diff", html_url(p.number)),
        "merged": false,
        "head": branch(&p.head, p.head_repo_id),
        "base": branch(&p.base, REPO_ID),
    })
}

async fn unknown(State(fake): State<FakeGitea>, method: Method, uri: OriginalUri) -> Response {
    fake.log.request(format!("{method} {}", uri.0));
    fake.log
        .violation(format!("no such endpoint: {method} {}", uri.0.path()));
    message(StatusCode::NOT_FOUND, "not found")
}

async fn pulls(
    State(fake): State<FakeGitea>,
    method: Method,
    uri: OriginalUri,
    Path((owner, repo)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    fake.log.request(format!("{method} {}", uri.0));
    let mode = *fake.mode.lock().expect("mode");
    match mode {
        Mode::Normal => {}
        Mode::Fail(status) => return message(status, "internal error"),
        Mode::Hang => std::future::pending::<()>().await,
    }
    match headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|a| a.strip_prefix("token "))
    {
        Some(token) if token == TOKEN => {}
        Some(_) => {
            return message(
                StatusCode::UNAUTHORIZED,
                "user does not exist [uid: 0, name: ]",
            )
        }
        None => {
            fake.log.violation(format!(
                "Authorization is {:?}",
                headers.get("authorization")
            ));
            return message(StatusCode::UNAUTHORIZED, "token is required");
        }
    }
    if owner != OWNER || repo != REPO {
        return message(StatusCode::NOT_FOUND, "GetRepositoryByName");
    }
    if method == Method::POST {
        create(&fake, &headers, &body)
    } else {
        list(&fake, &uri.0, &body)
    }
}

/// `POST /repos/{owner}/{repo}/pulls` with a `CreatePullRequestOption`.
fn create(fake: &FakeGitea, headers: &HeaderMap, body: &[u8]) -> Response {
    let invalid = |why: String| {
        fake.log.violation(why.clone());
        answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!([{"fieldNames": [], "classification": "", "message": why}]),
        )
    };
    let json_type = headers.get("content-type").and_then(|v| v.to_str().ok());
    if !json_type.is_some_and(|c| c.starts_with("application/json")) {
        return invalid(format!("Content-Type is {json_type:?}"));
    }
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return invalid("body is not a JSON object".into());
    };
    const DOCUMENTED: [&str; 11] = [
        "head",
        "base",
        "title",
        "body",
        "assignee",
        "assignees",
        "milestone",
        "labels",
        "due_date",
        "reviewers",
        "team_reviewers",
    ];
    if let Some(key) = fields.keys().find(|k| !DOCUMENTED.contains(&k.as_str())) {
        return invalid(format!("undocumented field {key}"));
    }
    let text = |key: &str| fields.get(key).and_then(Value::as_str).map(str::to_owned);
    let (Some(head), Some(base), Some(title)) = (text("head"), text("base"), text("title")) else {
        return invalid("head, base and title are required strings".into());
    };
    if fields.get("body").is_some_and(|b| !b.is_string()) || title.is_empty() {
        return invalid("body must be a string, title not empty".into());
    }
    if head == base {
        return message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid PullRequest: There are no changes between the head and the base",
        );
    }
    let mut pulls = fake.pulls.lock().expect("pulls");
    if let Some(existing) = pulls
        .iter()
        .find(|p| p.open && p.head_repo_id == REPO_ID && p.head == head && p.base == base)
    {
        let text = format!(
            "pull request already exists for these targets [id: {}, issue_id: {}, head_repo_id: {REPO_ID}, base_repo_id: {REPO_ID}, head_branch: {head}, base_branch: {base}]",
            500 + existing.number,
            existing.number
        );
        return message(StatusCode::CONFLICT, &text);
    }
    let stored = Stored {
        number: pulls.len() as u64 + 1,
        title,
        body: text("body").unwrap_or_default(),
        head,
        base,
        head_repo_id: REPO_ID,
        open: true,
    };
    pulls.push(stored.clone());
    answer(StatusCode::CREATED, pull_json(&stored))
}

/// `GET /repos/{owner}/{repo}/pulls?state&base_branch&page&limit`, newest
/// first, `X-Total-Count` set.
fn list(fake: &FakeGitea, uri: &axum::http::Uri, body: &[u8]) -> Response {
    if !body.is_empty() {
        fake.log.violation("body on GET".into());
    }
    let Ok(Query(params)) = Query::<HashMap<String, String>>::try_from_uri(uri) else {
        fake.log.violation(format!("query of {uri} unreadable"));
        return message(StatusCode::BAD_REQUEST, "bad query");
    };
    for key in params.keys() {
        if ![
            "state",
            "base_branch",
            "sort",
            "milestone",
            "labels",
            "poster",
            "page",
            "limit",
        ]
        .contains(&key.as_str())
        {
            fake.log
                .violation(format!("undocumented query parameter {key}"));
        }
    }
    let number = |key: &str, default: usize| {
        params
            .get(key)
            .map_or(Some(default), |v| v.parse::<usize>().ok())
    };
    let (Some(page), Some(limit)) = (number("page", 1), number("limit", MAX_PAGE)) else {
        fake.log
            .violation(format!("page/limit not numbers in {uri}"));
        return message(StatusCode::BAD_REQUEST, "bad paging");
    };
    let limit = if limit == 0 {
        MAX_PAGE
    } else {
        limit.min(MAX_PAGE)
    };
    let state = params.get("state").map_or("open", String::as_str);
    let pulls = fake.pulls.lock().expect("pulls");
    let matching: Vec<&Stored> = pulls
        .iter()
        .rev()
        .filter(|p| match state {
            "open" => p.open,
            "closed" => !p.open,
            _ => true,
        })
        .filter(|p| params.get("base_branch").is_none_or(|b| &p.base == b))
        .collect();
    let page_items: Vec<Value> = matching
        .iter()
        .skip((page.max(1) - 1) * limit)
        .take(limit)
        .map(|p| pull_json(p))
        .collect();
    let mut response = answer(StatusCode::OK, Value::Array(page_items));
    response
        .headers_mut()
        .insert("x-total-count", HeaderValue::from(matching.len()));
    response
}
