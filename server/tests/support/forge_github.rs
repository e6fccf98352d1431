//! A fake GitHub REST API on a real port: `POST` and `GET
//! /repos/{owner}/{repo}/pulls`, checked against GitHub's documentation
//! (bearer token, `application/vnd.github+json`, `X-GitHub-Api-Version`,
//! a `User-Agent`, JSON `{title, head, base, body}`, `head=owner:branch`)
//! and answering as GitHub does (201, 401 "Bad credentials", 422 "A pull
//! request already exists for owner:branch.", 404 "Not Found").

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, Query, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use crate::forge_server::{answer, serve, Log, Mode};

pub const OWNER: &str = "acme";
pub const REPO: &str = "dashboards";
pub const TOKEN: &str = "ghp_FakeTokenForTests0123456789abcdefABCD";
pub const API_VERSION: &str = "2022-11-28";

/// A pull request the fake holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub head: String,
    pub base: String,
    pub open: bool,
}

#[derive(Clone)]
pub struct FakeGitHub {
    /// The API root to configure, e.g. `http://127.0.0.1:4242/api/v3`.
    pub api_url: String,
    pub log: Log,
    pulls: Arc<Mutex<Vec<Stored>>>,
    mode: Arc<Mutex<Mode>>,
}

pub fn html_url(number: u64) -> String {
    format!("https://github.com/{OWNER}/{REPO}/pull/{number}")
}

impl FakeGitHub {
    /// Serve the API under `prefix` ("" like api.github.com, "/api/v3" like
    /// GitHub Enterprise).
    pub async fn start(prefix: &str) -> Self {
        let mut fake = Self {
            api_url: String::new(),
            log: Log::default(),
            pulls: Arc::default(),
            mode: Arc::new(Mutex::new(Mode::Normal)),
        };
        let router = Router::new()
            .route(
                &format!("{prefix}/repos/{{owner}}/{{repo}}/pulls"),
                get(pulls).post(pulls),
            )
            .fallback(unknown)
            .with_state(fake.clone());
        fake.api_url = format!("{}{prefix}", serve(router).await);
        fake
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().expect("mode") = mode;
    }

    /// Add a pull request as if opened earlier; its number.
    pub fn seed(&self, title: &str, head: &str, base: &str, open: bool) -> u64 {
        let mut pulls = self.pulls.lock().expect("pulls");
        let number = pulls.len() as u64 + 1;
        pulls.push(Stored {
            number,
            title: title.into(),
            body: String::new(),
            head: head.into(),
            base: base.into(),
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
        json!({"message": text, "documentation_url": "https://docs.github.com/rest", "status": status.as_u16().to_string()}),
    )
}

/// GitHub's pull request object, the fields a client reads and a few more.
fn pull_json(p: &Stored) -> Value {
    let branch = |name: &str| {
        json!({
            "label": format!("{OWNER}:{name}"),
            "ref": name,
            "sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e",
            "repo": {"name": REPO, "full_name": format!("{OWNER}/{REPO}")},
        })
    };
    json!({
        "url": format!("https://api.github.com/repos/{OWNER}/{REPO}/pulls/{}", p.number),
        "id": 1_000_000 + p.number,
        "html_url": html_url(p.number),
        "number": p.number,
        "state": if p.open { "open" } else { "closed" },
        "title": p.title,
        "body": p.body,
        "draft": false,
        "head": branch(&p.head),
        "base": branch(&p.base),
    })
}

async fn unknown(State(fake): State<FakeGitHub>, method: Method, uri: OriginalUri) -> Response {
    fake.log.request(format!("{method} {}", uri.0));
    fake.log
        .violation(format!("no such endpoint: {method} {}", uri.0.path()));
    message(StatusCode::NOT_FOUND, "Not Found")
}

async fn pulls(
    State(fake): State<FakeGitHub>,
    method: Method,
    uri: OriginalUri,
    Path((owner, repo)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    fake.log.request(format!("{method} {}", uri.0));
    let mode = *fake.mode.lock().expect("mode");
    match mode {
        Mode::Normal => {}
        Mode::Fail(status) => return message(status, "Server Error"),
        Mode::Hang => std::future::pending::<()>().await,
    }
    if let Some(refused) = refusal(&fake, &headers) {
        return refused;
    }
    if owner != OWNER || repo != REPO {
        return message(StatusCode::NOT_FOUND, "Not Found");
    }
    if method == Method::POST {
        create(&fake, &headers, &body, query.as_deref())
    } else {
        list(&fake, query.as_deref().unwrap_or(""), &body)
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The answer GitHub gives a request whose headers it refuses, if any.
fn refusal(fake: &FakeGitHub, headers: &HeaderMap) -> Option<Response> {
    if header(headers, "user-agent").is_none_or(str::is_empty) {
        fake.log.violation("no User-Agent".into());
        return Some(message(
            StatusCode::FORBIDDEN,
            "Request forbidden by administrative rules. Please make sure your request has a User-Agent header",
        ));
    }
    if header(headers, "accept") != Some("application/vnd.github+json") {
        fake.log
            .violation(format!("Accept is {:?}", header(headers, "accept")));
        return Some(message(
            StatusCode::BAD_REQUEST,
            "Accept must be application/vnd.github+json",
        ));
    }
    if header(headers, "x-github-api-version") != Some(API_VERSION) {
        fake.log.violation(format!(
            "X-GitHub-Api-Version is {:?}",
            header(headers, "x-github-api-version")
        ));
        return Some(message(
            StatusCode::BAD_REQUEST,
            "Unsupported 'X-GitHub-Api-Version' header",
        ));
    }
    match header(headers, "authorization").and_then(|a| a.strip_prefix("Bearer ")) {
        Some(token) if token == TOKEN => None,
        Some(_) => Some(message(StatusCode::UNAUTHORIZED, "Bad credentials")),
        None => {
            fake.log.violation(format!(
                "Authorization is {:?}",
                header(headers, "authorization")
            ));
            Some(message(StatusCode::UNAUTHORIZED, "Requires authentication"))
        }
    }
}

/// `POST /repos/{owner}/{repo}/pulls`: body `{title, head, base, body}`.
fn create(fake: &FakeGitHub, headers: &HeaderMap, body: &[u8], query: Option<&str>) -> Response {
    let invalid = |why: String| {
        fake.log.violation(why.clone());
        message(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("Invalid request.\n\n{why}"),
        )
    };
    if query.is_some() {
        return invalid("query string on POST".into());
    }
    if !header(headers, "content-type").is_some_and(|c| c.starts_with("application/json")) {
        return invalid(format!(
            "Content-Type is {:?}",
            header(headers, "content-type")
        ));
    }
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return invalid("body is not a JSON object".into());
    };
    let mut keys: Vec<&str> = fields.keys().map(String::as_str).collect();
    keys.sort_unstable();
    if keys != ["base", "body", "head", "title"] {
        return invalid(format!(
            "body has keys {keys:?}, expected base, body, head, title"
        ));
    }
    let text = |key: &str| fields.get(key).and_then(Value::as_str).map(str::to_owned);
    let (Some(title), Some(head), Some(base), Some(text_body)) =
        (text("title"), text("head"), text("base"), text("body"))
    else {
        return invalid("title, head, base and body must be strings".into());
    };
    if title.is_empty() || head.contains(':') {
        return invalid(format!("title {title:?} or head {head:?} unusable"));
    }
    if head == "empty-branch" {
        return answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({
                "message": "Validation Failed",
                "errors": [{"resource": "PullRequest", "code": "custom", "message": format!("No commits between {base} and {head}")}],
                "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
                "status": "422",
            }),
        );
    }
    let mut pulls = fake.pulls.lock().expect("pulls");
    if pulls
        .iter()
        .any(|p| p.open && p.head == head && p.base == base)
    {
        return answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({
                "message": "Validation Failed",
                "errors": [{"resource": "PullRequest", "code": "custom", "message": format!("A pull request already exists for {OWNER}:{head}.")}],
                "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
                "status": "422",
            }),
        );
    }
    let stored = Stored {
        number: pulls.len() as u64 + 1,
        title,
        body: text_body,
        head,
        base,
        open: true,
    };
    pulls.push(stored.clone());
    answer(StatusCode::CREATED, pull_json(&stored))
}

/// `GET /repos/{owner}/{repo}/pulls?state&head=owner:branch&base&per_page`.
fn list(fake: &FakeGitHub, query: &str, body: &[u8]) -> Response {
    if !body.is_empty() {
        fake.log.violation("body on GET".into());
    }
    let uri: axum::http::Uri = format!("/?{query}").parse().expect("uri");
    let params: HashMap<String, String> = match Query::try_from_uri(&uri) {
        Ok(Query(p)) => p,
        Err(e) => {
            fake.log.violation(format!("query {query:?}: {e}"));
            return message(StatusCode::BAD_REQUEST, "bad query");
        }
    };
    for key in params.keys() {
        if ![
            "state",
            "head",
            "base",
            "sort",
            "direction",
            "per_page",
            "page",
        ]
        .contains(&key.as_str())
        {
            fake.log.violation(format!("unknown query parameter {key}"));
        }
    }
    let state = params.get("state").map_or("open", String::as_str);
    let head = match params.get("head").map(|h| h.split_once(':')) {
        None => None,
        Some(Some((owner, branch))) if owner == OWNER => Some(branch.to_owned()),
        Some(other) => {
            fake.log
                .violation(format!("head filter {other:?} is not {OWNER}:branch"));
            return message(StatusCode::UNPROCESSABLE_ENTITY, "Validation Failed");
        }
    };
    let per_page: usize = params
        .get("per_page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(30);
    let pulls = fake.pulls.lock().expect("pulls");
    let found: Vec<Value> = pulls
        .iter()
        .rev()
        .filter(|p| match state {
            "open" => p.open,
            "closed" => !p.open,
            _ => true,
        })
        .filter(|p| head.as_ref().is_none_or(|h| &p.head == h))
        .filter(|p| params.get("base").is_none_or(|b| &p.base == b))
        .take(per_page.min(100))
        .map(pull_json)
        .collect();
    answer(StatusCode::OK, Value::Array(found))
}
