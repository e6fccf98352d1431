//! Bad input against the real router: oversized bodies, deep JSON, YAML
//! bombs, invalid UTF-8, path traversal (names, directories, symlinks in the
//! repository), request timeouts and security headers. Every bad request is
//! a 4xx in the API's error shape, and the server keeps serving after it.

#[path = "support/git.rs"]
mod support;

#[path = "support/git_http.rs"]
mod git_http;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use dashstudio_server::config::ServeConfig;
use dashstudio_server::security::Limits;
use dashstudio_server::{demo, router, serve};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use support::git;
use tower::ServiceExt;

const TOKEN: &str = "test-bootstrap-token-0123456789";
const DRAFT: &str = "/api/v1/drafts/grafana/node-health";
const SECRET: &str = "outside-secret-7f3a";

/// The demo repository as `origin`, with two symlinks committed that point
/// outside it (a directory and a YAML file), and that outside directory.
struct World {
    tmp: tempfile::TempDir,
    origin: PathBuf,
}

impl World {
    fn new() -> World {
        let tmp = tempfile::tempdir().expect("tempdir");
        let origin = demo::ensure_origin(&tmp.path().join("gen")).expect("demo origin");
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&outside).expect("mkdir");
        std::fs::write(
            outside.join("kustomization.yaml"),
            format!("resources:\n  - {SECRET}.yaml\n"),
        )
        .expect("write");
        std::fs::write(
            outside.join("leak.yaml"),
            format!(
                "apiVersion: grafana.integreatly.org/v1beta1\nkind: GrafanaDashboard\n\
                 metadata:\n  name: leak\n  namespace: grafana\nspec:\n  json: |\n    \
                 {{\"title\": \"{SECRET}\", \"uid\": \"leak\"}}\n"
            ),
        )
        .expect("write");
        let up = tmp.path().join("upstream");
        git(
            tmp.path(),
            &["clone", "-q", &origin.display().to_string(), "upstream"],
        );
        std::os::unix::fs::symlink(&outside, up.join("dashboards/escape")).expect("symlink");
        std::os::unix::fs::symlink(
            outside.join("leak.yaml"),
            up.join("dashboards/kubernetes/leak.yaml"),
        )
        .expect("symlink");
        git(&up, &["add", "-A"]);
        git(&up, &["commit", "-qm", "symlinks out of the repository"]);
        git(&up, &["push", "-q", "origin", "master"]);
        World { tmp, origin }
    }

    fn config(&self) -> ServeConfig {
        let data = self.tmp.path().join("data");
        let mut config = ServeConfig::new(Some(self.origin.display().to_string()), data.clone());
        config.site_root = data.join("site");
        config.git.fetch_interval = 0;
        config.write.author = "Ada Lovelace <ada@example.org>".to_owned();
        config.auth.bootstrap_token = Some(TOKEN.to_owned());
        config
    }

    async fn app(&self, limits: Limits) -> Router {
        let state = serve::prepare(&self.config()).await.expect("prepare");
        router::build_with(state, limits)
    }

    /// Every file outside the server's data dir and the origin, with its
    /// content: what must not change whatever the requests say.
    fn outside_files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![self.tmp.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read_dir") {
                let entry = entry.expect("entry");
                let path = entry.path();
                let kind = entry.file_type().expect("file type");
                let skip = ["data", "gen"]
                    .iter()
                    .any(|d| path == self.tmp.path().join(d));
                if skip {
                    continue;
                }
                if kind.is_dir() {
                    stack.push(path);
                } else if kind.is_file() {
                    out.insert(path.clone(), std::fs::read(&path).expect("read"));
                }
            }
        }
        out
    }
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
    text: String,
}

/// The status, headers and body of a response (as JSON when it is).
async fn reply(res: axum::response::Response) -> Reply {
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
        text,
    }
}

async fn send(
    app: &Router,
    method: Method,
    uri: &str,
    content_type: Option<&str>,
    body: Body,
) -> Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {TOKEN}"));
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let res = app
        .clone()
        .oneshot(req.body(body).expect("request"))
        .await
        .expect("infallible");
    reply(res).await
}

async fn send_json(app: &Router, method: Method, uri: &str, body: &str) -> Reply {
    send(
        app,
        method,
        uri,
        Some("application/json"),
        Body::from(body.to_owned()),
    )
    .await
}

/// As a client on the wire sends it: with its `Content-Length`.
async fn send_sized(app: &Router, method: Method, uri: &str, body: &str) -> Reply {
    let res = app
        .clone()
        .oneshot(
            Request::builder()
                .method(method)
                .uri(uri)
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("content-type", "application/json")
                .header("content-length", body.len())
                .body(Body::from(body.to_owned()))
                .expect("request"),
        )
        .await
        .expect("infallible");
    reply(res).await
}

/// The reply is `status` with `{"error": {"code": code, "message", "details"}}`;
/// returns the message.
fn assert_error(reply: &Reply, status: StatusCode, code: &str, what: &str) -> String {
    assert_eq!(reply.status, status, "{what}: {}", reply.text);
    let error = &reply.body["error"];
    assert_eq!(error["code"], code, "{what}: {}", reply.text);
    assert!(error["details"].is_array(), "{what}: {}", reply.text);
    error["message"].as_str().expect("message").to_owned()
}

/// The server still answers: a follow-up read succeeds.
async fn still_serving(app: &Router, after: &str) {
    let reply = send(app, Method::GET, "/api/v1/folders", None, Body::empty()).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "after {after}: {}",
        reply.text
    );
}

/// Every endpoint that reads a body.
const BODY_ENDPOINTS: [(&str, &str); 9] = [
    ("POST", "/api/v1/session"),
    ("POST", "/api/v1/tokens"),
    ("POST", "/api/v1/users"),
    ("POST", "/api/v1/drafts"),
    ("PUT", DRAFT),
    ("POST", "/api/v1/drafts/grafana/node-health/operations"),
    ("POST", "/api/v1/commits"),
    ("POST", "/api/v1/validate"),
    (
        "POST",
        "/api/v1/commits/0123456789abcdef0123456789abcdef01234567/push",
    ),
];

#[tokio::test]
async fn oversized_bodies_are_413_in_the_error_shape() {
    let world = World::new();
    let limits = Limits {
        max_body_bytes: 64 * 1024,
        ..Limits::default()
    };
    let app = world.app(limits).await;
    let big = format!("{{\"dashboard\": \"{}\"}}", "x".repeat(100 * 1024));
    for (method, uri) in BODY_ENDPOINTS {
        let method: Method = method.parse().expect("method");
        // With a Content-Length: refused before the body is read.
        let reply = send_sized(&app, method.clone(), uri, &big).await;
        let message = assert_error(
            &reply,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            uri,
        );
        assert!(message.contains("65536-byte limit"), "{uri}: {message}");
        // Streamed without a length: cut while reading.
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
            (0..100).map(|_| Ok(vec![b' '; 1024])).collect();
        let stream = Body::from_stream(futures_util::stream::iter(chunks));
        let reply = send(&app, method, uri, Some("application/json"), stream).await;
        if uri.ends_with("/push") {
            // Push reads no body: it answers on its own terms.
            assert!(reply.status.is_client_error(), "{uri}: {}", reply.text);
        } else {
            let message = assert_error(
                &reply,
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                &format!("{uri} streamed"),
            );
            assert!(message.contains("65536-byte limit"), "{uri}: {message}");
        }
        still_serving(&app, uri).await;
    }
    // The default limit (16 MiB) is what the documentation says.
    assert_eq!(Limits::default().max_body_bytes, 16 * 1024 * 1024);
}

/// `depth` opening brackets and as many closing ones.
fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

#[tokio::test]
async fn deeply_nested_json_is_a_400_that_names_the_nesting() {
    let world = World::new();
    let app = world.app(Limits::default()).await;
    let deep = nested(10_000);
    let deep_object = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    // Where the body holds any JSON value, serde_json's recursion limit
    // names the problem; where it expects a shape, the first wrong type does.
    let cases = [
        (Method::PUT, DRAFT.to_owned(), format!("{{\"dashboard\": {deep}}}")),
        (Method::PUT, DRAFT.to_owned(), format!("{{\"dashboard\": {deep_object}}}")),
        (
            Method::PUT,
            DRAFT.to_owned(),
            json!({"dashboard_text": deep}).to_string(),
        ),
        (
            Method::POST,
            format!("{DRAFT}/operations"),
            format!("{{\"operations\": [{{\"op\": \"replace\", \"dashboard\": {deep}}}]}}"),
        ),
        (
            Method::POST,
            format!("{DRAFT}/operations"),
            format!(
                "{{\"operations\": [{{\"op\": \"set_panel\", \"id\": 1, \"field\": \"targets\", \"value\": {deep}}}]}}"
            ),
        ),
        (
            Method::POST,
            "/api/v1/drafts".to_owned(),
            format!("{{\"namespace\": \"grafana\", \"name\": \"x\", \"title\": \"x\", \"folder\": {deep}}}"),
        ),
    ];
    for (method, uri, body) in cases {
        let reply = send_json(&app, method.clone(), &uri, &body).await;
        let message = assert_error(&reply, StatusCode::BAD_REQUEST, "bad_request", &uri);
        assert!(
            message.contains("recursion limit"),
            "{method} {uri}: {message}"
        );
        still_serving(&app, &uri).await;
    }
    for (uri, body) in [
        ("/api/v1/commits", format!("{{\"drafts\": {deep}}}")),
        ("/api/v1/session", deep.clone()),
        ("/api/v1/tokens", deep.clone()),
        ("/api/v1/users", deep.clone()),
    ] {
        let reply = send_json(&app, Method::POST, uri, &body).await;
        let message = assert_error(&reply, StatusCode::BAD_REQUEST, "bad_request", uri);
        assert!(message.contains("invalid type"), "{uri}: {message}");
        still_serving(&app, uri).await;
    }

    // POST /validate takes the dashboard JSON itself, or YAML around it.
    let yaml_block = format!(
        "apiVersion: grafana.integreatly.org/v1beta1\nkind: GrafanaDashboard\nmetadata:\n  \
         name: deep\nspec:\n  json: |\n    {deep}\n"
    );
    let yaml_flow = format!("a: {deep}\n");
    let yaml_block_nesting: String = (0..2_000)
        .map(|i| format!("{}- \n", "  ".repeat(i)))
        .collect();
    for (what, body) in [
        ("json", deep.clone()),
        ("json object", deep_object.clone()),
        ("yaml json block", yaml_block),
        ("yaml flow", yaml_flow),
        ("yaml block nesting", yaml_block_nesting),
    ] {
        let reply = send(
            &app,
            Method::POST,
            "/api/v1/validate",
            Some("text/plain"),
            Body::from(body),
        )
        .await;
        assert!(
            reply.status == StatusCode::OK || reply.status == StatusCode::BAD_REQUEST,
            "{what}: {}",
            reply.text
        );
        if reply.status == StatusCode::OK {
            // A report (deep YAML may well be valid YAML).
            assert!(
                reply.body["summary"]["files"].is_number(),
                "{what}: {}",
                reply.text
            );
            if what.starts_with("json") {
                let diagnostics = reply.body["diagnostics"].as_array().expect("report");
                assert!(
                    diagnostics.iter().any(|d| d["severity"] == "error"),
                    "{what}: {}",
                    reply.text
                );
            }
        } else {
            assert_error(&reply, StatusCode::BAD_REQUEST, "bad_request", what);
        }
        still_serving(&app, what).await;
    }
}

/// This process's resident memory, in bytes (Linux).
fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

#[tokio::test]
async fn yaml_bombs_stay_small_and_fast() {
    let world = World::new();
    let app = world.app(Limits::default()).await;
    // Billion laughs: each level refers to the previous one nine times, so a
    // loader that expanded aliases would build 9^12 strings.
    let mut bomb = String::from(
        "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..=12 {
        let prev = format!("*a{}", i - 1);
        let refs = [prev.as_str(); 9].join(",");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let crd_bomb = format!(
        "apiVersion: grafana.integreatly.org/v1beta1\nkind: GrafanaDashboard\nmetadata:\n  \
         name: bomb\n  labels: &l {{a: b}}\nspec:\n  instanceSelector:\n    matchLabels: *l\n  \
         json: '{{\"title\": \"t\", \"uid\": \"u\"}}'\n  x: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n{}",
        (1..=12)
            .map(|i| format!("  x{i}: &x{i} [{}]\n", vec![format!("*x{}", i - 1); 9].join(", ")))
            .collect::<String>()
    );
    let before = rss_bytes();
    for (what, body) in [("bomb", bomb), ("crd bomb", crd_bomb)] {
        let started = Instant::now();
        let reply = send(
            &app,
            Method::POST,
            "/api/v1/validate",
            Some("application/yaml"),
            Body::from(body),
        )
        .await;
        let elapsed = started.elapsed();
        assert!(
            reply.status == StatusCode::OK || reply.status == StatusCode::BAD_REQUEST,
            "{what}: {}",
            reply.text
        );
        assert!(
            reply.text.len() < 64 * 1024,
            "{what}: {} bytes",
            reply.text.len()
        );
        assert!(
            elapsed < Duration::from_secs(10),
            "{what}: took {elapsed:?}"
        );
        still_serving(&app, what).await;
    }
    let grown = rss_bytes().saturating_sub(before);
    assert!(
        grown < 256 * 1024 * 1024,
        "resident memory grew {grown} bytes"
    );
}

#[tokio::test]
async fn invalid_utf8_bodies_are_400() {
    let world = World::new();
    let app = world.app(Limits::default()).await;
    let bad: &[u8] = b"{\"username\": \"\xff\xfe\xc3\x28\"}";
    for (method, uri) in BODY_ENDPOINTS {
        if uri.ends_with("/push") {
            continue;
        }
        let method: Method = method.parse().expect("method");
        let reply = send(
            &app,
            method.clone(),
            uri,
            Some("application/json"),
            Body::from(bad.to_vec()),
        )
        .await;
        let message = assert_error(&reply, StatusCode::BAD_REQUEST, "bad_request", uri);
        assert!(message.contains("UTF-8"), "{method} {uri}: {message}");
        still_serving(&app, uri).await;
    }
}

#[tokio::test]
async fn path_traversal_reads_and_writes_nothing_outside_the_repository() {
    let world = World::new();
    let app = world.app(Limits::default()).await;
    let before = world.outside_files();
    assert!(before.keys().any(|p| p.ends_with("outside/leak.yaml")));

    // The symlinked dashboard is not read: the scan does not follow links.
    let reply = send(
        &app,
        Method::GET,
        "/api/v1/dashboards/grafana/leak",
        None,
        Body::empty(),
    )
    .await;
    assert_error(
        &reply,
        StatusCode::NOT_FOUND,
        "not_found",
        "symlinked dashboard",
    );

    let new = |directory: &str| {
        json!({"namespace": "grafana", "name": "escapee", "title": "Escapee", "directory": directory})
            .to_string()
    };
    let renamed = |name: &str| json!({"operations": [{"op": "rename", "name": name}]}).to_string();
    let ops = format!("{DRAFT}/operations");
    let cases: Vec<(Method, String, String)> = vec![
        // New files: the directory.
        (Method::POST, "/api/v1/drafts".into(), new("../outside")),
        (Method::POST, "/api/v1/drafts".into(), new("dashboards/../../outside")),
        (Method::POST, "/api/v1/drafts".into(), new(&world.tmp.path().join("outside").display().to_string())),
        (Method::POST, "/api/v1/drafts".into(), new("..\\outside")),
        (Method::POST, "/api/v1/drafts".into(), new("dashboards\\..\\..\\outside")),
        (Method::POST, "/api/v1/drafts".into(), new(".git/hooks")),
        (Method::POST, "/api/v1/drafts".into(), new("dashboards/escape")),
        (Method::POST, "/api/v1/drafts".into(), new("dashboards/escape/deeper")),
        // New files: the name and namespace.
        (
            Method::POST,
            "/api/v1/drafts".into(),
            json!({"namespace": "grafana", "name": "../../outside/x", "title": "x"}).to_string(),
        ),
        (
            Method::POST,
            "/api/v1/drafts".into(),
            json!({"namespace": "../..", "name": "x", "title": "x"}).to_string(),
        ),
        (
            Method::POST,
            "/api/v1/drafts".into(),
            json!({"namespace": "grafana", "name": "x", "title": "x", "template": "../../outside/leak"}).to_string(),
        ),
        // Renames (the file follows the name).
        (Method::POST, ops.clone(), renamed("../../../outside/x")),
        (Method::POST, ops.clone(), renamed("/tmp/x")),
        (Method::POST, ops.clone(), renamed("..%2f..%2foutside")),
        (Method::POST, ops.clone(), renamed("a\\..\\..\\b")),
        (Method::POST, ops.clone(), renamed("..")),
        (Method::PUT, DRAFT.into(), json!({"rename_to": "../../outside/x"}).to_string()),
        // Folder moves: a folder reference is a name, not a path.
        (
            Method::POST,
            ops.clone(),
            json!({"operations": [{"op": "move", "folder": {"folderRef": "../../outside"}}]}).to_string(),
        ),
    ];
    for (method, uri, body) in &cases {
        let reply = send_json(&app, method.clone(), uri, body).await;
        assert!(
            reply.status == StatusCode::BAD_REQUEST
                || reply.status == StatusCode::FORBIDDEN
                || reply.status == StatusCode::NOT_FOUND,
            "{method} {uri} {body}: {} {}",
            reply.status,
            reply.text
        );
        assert!(
            reply.body["error"]["code"].is_string(),
            "{uri}: {}",
            reply.text
        );
        assert!(!reply.text.contains(SECRET), "{uri} leaked: {}", reply.text);
        still_serving(&app, uri).await;
    }

    // A directory that is a symlink out of the repository is named as such.
    let reply = send_json(
        &app,
        Method::POST,
        "/api/v1/drafts",
        &new("dashboards/escape"),
    )
    .await;
    let message = assert_error(&reply, StatusCode::BAD_REQUEST, "bad_request", "symlink");
    assert!(message.contains("symbolic link"), "{message}");

    // In a JSON body `%2e%2e` is no escape: it names a directory literally,
    // inside the repository.
    let reply = send_json(&app, Method::POST, "/api/v1/drafts", &new("%2e%2e/outside")).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.body["new_file"], "%2e%2e/outside/escapee.yaml");
    let reply = send(
        &app,
        Method::DELETE,
        "/api/v1/drafts/grafana/escapee",
        None,
        Body::empty(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);

    // Traversal in the URL's own path segments, encoded or not.
    for uri in [
        "/api/v1/drafts/..%2F..%2Foutside/leak",
        "/api/v1/drafts/%2e%2e/%2e%2e",
        "/api/v1/drafts/grafana/..%5C..%5Coutside",
        "/api/v1/dashboards/..%2F..%2Foutside/leak",
        "/api/v1/dashboards/grafana/..%2Fleak/history",
        "/api/v1/drafts/%2Ftmp/x",
    ] {
        for method in [Method::GET, Method::PUT, Method::DELETE] {
            let body = if method == Method::PUT {
                "{\"dashboard\": {}}"
            } else {
                ""
            };
            let reply = send_json(&app, method.clone(), uri, body).await;
            assert!(
                reply.status.is_client_error(),
                "{method} {uri}: {} {}",
                reply.status,
                reply.text
            );
            assert!(
                reply.body["error"]["code"].is_string(),
                "{uri}: {}",
                reply.text
            );
            assert!(!reply.text.contains(SECRET), "{uri} leaked: {}", reply.text);
        }
        still_serving(&app, uri).await;
    }

    // Nothing outside changed, and nothing was committed anywhere.
    assert_eq!(world.outside_files(), before);
    let drafts = send(&app, Method::GET, "/api/v1/drafts", None, Body::empty()).await;
    assert_eq!(drafts.body["total"], 0, "{}", drafts.text);
}

#[tokio::test]
async fn a_request_past_the_timeout_is_a_503_in_the_error_shape() {
    let world = World::new();
    let limits = Limits {
        request_timeout: Duration::from_millis(1),
        ..Limits::default()
    };
    let app = world.app(limits).await;
    // Validating a whole dashboard takes far more than a millisecond.
    let file = world.tmp.path().join("data/clones");
    let clone = std::fs::read_dir(&file)
        .expect("clones")
        .next()
        .expect("a clone")
        .expect("entry")
        .path();
    let yaml = std::fs::read_to_string(clone.join("dashboards/kubernetes/node-health.yaml"))
        .expect("read");
    let reply = send(
        &app,
        Method::POST,
        "/api/v1/validate",
        Some("application/yaml"),
        Body::from(yaml.repeat(20)),
    )
    .await;
    let message = assert_error(
        &reply,
        StatusCode::SERVICE_UNAVAILABLE,
        "timeout",
        "validate",
    );
    assert!(message.contains("longer than"), "{message}");
    // Outside the API, nothing is cut short.
    let health = send(&app, Method::GET, "/healthz", None, Body::empty()).await;
    assert_eq!(health.status, StatusCode::OK, "{}", health.text);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let world = World::new();
    let app = world.app(Limits::default()).await;
    for uri in [
        "/",
        "/signin",
        "/no-such-page",
        "/pkg/no-such.js",
        "/api/v1/folders",
        "/api/v1/no-such",
        "/healthz",
        "/metrics",
    ] {
        let reply = send(&app, Method::GET, uri, None, Body::empty()).await;
        let header = |name: &str| {
            reply
                .headers
                .get(name)
                .unwrap_or_else(|| panic!("{uri}: no {name}"))
                .to_str()
                .expect("ascii")
                .to_owned()
        };
        assert_eq!(header("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(header("referrer-policy"), "same-origin", "{uri}");
        assert_eq!(header("x-frame-options"), "DENY", "{uri}");
        let csp = header("content-security-policy");
        for part in [
            "default-src 'self'",
            "frame-ancestors 'none'",
            "object-src 'none'",
            "'wasm-unsafe-eval'",
            "style-src 'self'",
        ] {
            assert!(csp.contains(part), "{uri}: {csp}");
        }
        assert!(
            !csp.contains("'unsafe-eval'") && !csp.contains("script-src 'self' 'unsafe-inline'"),
            "{csp}"
        );
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("a nonce");
        assert!(nonce.len() >= 16, "{csp}");
        // Style elements only with the nonce (CodeMirror's carry it).
        assert!(
            csp.contains(&format!("style-src 'self' 'nonce-{nonce}';")),
            "{csp}"
        );
        // A page's inline scripts all carry this response's nonce.
        if reply.text.contains("<script") {
            let scripts = reply.text.matches("<script").count();
            let with_nonce = reply.text.matches(&format!("nonce=\"{nonce}\"")).count();
            assert!(
                scripts > 0 && with_nonce >= scripts,
                "{uri}: {scripts} scripts, {with_nonce} with the nonce"
            );
        }
    }
    // A fresh nonce per response.
    let a = send(&app, Method::GET, "/signin", None, Body::empty()).await;
    let b = send(&app, Method::GET, "/signin", None, Body::empty()).await;
    assert_ne!(
        a.headers.get("content-security-policy"),
        b.headers.get("content-security-policy")
    );
}

/// Everything any test in this binary logs, at every level.
fn captured_logs() -> &'static std::sync::Mutex<Vec<u8>> {
    static LOGS: std::sync::OnceLock<&'static std::sync::Mutex<Vec<u8>>> =
        std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let logs: &'static std::sync::Mutex<Vec<u8>> =
            Box::leak(Box::new(std::sync::Mutex::new(Vec::new())));
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || LogWriter(logs))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one subscriber");
        logs
    })
}

struct LogWriter(&'static std::sync::Mutex<Vec<u8>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.0.lock() {
            Ok(mut logs) => logs.extend_from_slice(buf),
            Err(poisoned) => poisoned.into_inner().extend_from_slice(buf),
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn credentials_tokens_and_passwords_never_show() {
    const GIT_SECRET: &str = "git-secret-d41d8cd98f";
    const BOOTSTRAP: &str = "bootstrap-secret-0123456789abcdef";
    const PASSWORD: &str = "password-secret-correct-horse";
    const WRONG: &str = "password-secret-wrong-battery";
    let logs = captured_logs();
    let tmp = tempfile::tempdir().expect("tempdir");
    let origin = demo::ensure_origin(&tmp.path().join("gen")).expect("demo origin");
    let server =
        git_http::GitHttpServer::start(origin.parent().expect("parent"), Some(("ada", GIT_SECRET)));
    let name = origin
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let url = server
        .url(&name)
        .replace("http://", &format!("http://ada:{GIT_SECRET}@"));
    let data = tmp.path().join("data");
    let mut config = ServeConfig::new(Some(url.clone()), data.clone());
    config.site_root = data.join("site");
    config.git.fetch_interval = 0;
    config.auth.bootstrap_token = Some(BOOTSTRAP.to_owned());
    let state = serve::prepare(&config).await.expect("prepare");
    let app = router::build(state);

    let seen = std::cell::RefCell::new(String::new());
    let call = async |method: Method, uri: &str, cred: &str, body: Option<Value>| {
        let mut req = Request::builder().method(method).uri(uri);
        if cred.is_empty() {
            req = req.header("x-dashstudio-csrf", "1");
        } else {
            req = req.header("authorization", format!("Bearer {cred}"));
        }
        let body = match body {
            Some(v) => {
                req = req.header("content-type", "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        let res = app
            .clone()
            .oneshot(req.body(body).expect("request"))
            .await
            .expect("infallible");
        let status = res.status();
        let headers = format!("{:?}", res.headers());
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        seen.borrow_mut().push_str(&headers);
        seen.borrow_mut().push_str(&text);
        (
            status,
            serde_json::from_str::<Value>(&text).unwrap_or(Value::Null),
        )
    };

    let (status, health) = call(Method::GET, "/healthz", BOOTSTRAP, None).await;
    assert_eq!(status, StatusCode::OK);
    let shown = health["repository"]["source"].as_str().expect("source");
    assert!(
        shown.contains("127.0.0.1") && !shown.contains(GIT_SECRET),
        "{shown}"
    );
    let (status, user) = call(
        Method::POST,
        "/api/v1/users",
        BOOTSTRAP,
        Some(json!({"username": "bob", "role": "editor", "password": PASSWORD, "name": "Bob", "email": "bob@example.org"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    let (status, _) = call(
        Method::POST,
        "/api/v1/session",
        "",
        Some(json!({"username": "bob", "password": WRONG})),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = call(
        Method::POST,
        "/api/v1/session",
        "",
        Some(json!({"username": "bob", "password": PASSWORD})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, token) = call(
        Method::POST,
        "/api/v1/tokens",
        BOOTSTRAP,
        Some(json!({"name": "ci", "scope": "read"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{token}");
    let created = token["token"]
        .as_str()
        .expect("the token, shown once")
        .to_owned();
    let token_shown_at = seen.borrow().len();
    // An edit committed and pushed over HTTP with the URL's credentials.
    let (status, dashboard) = call(
        Method::GET,
        "/api/v1/dashboards/grafana/node-health",
        BOOTSTRAP,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{dashboard}");
    let mut edited = dashboard["dashboard"].clone();
    edited["panels"][0]["title"] = json!("Retitled");
    let (status, draft) = call(
        Method::PUT,
        DRAFT,
        BOOTSTRAP,
        Some(json!({"dashboard": edited, "base_version": dashboard["version"]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{draft}");
    let (status, commit) = call(
        Method::POST,
        "/api/v1/commits",
        BOOTSTRAP,
        Some(json!({"drafts": ["grafana/node-health"], "message": "Retitle"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{commit}");
    let (status, fetched) = call(Method::POST, "/api/v1/repository/fetch", BOOTSTRAP, None).await;
    assert_eq!(status, StatusCode::OK, "{fetched}");
    for uri in [
        "/api/v1/session",
        "/api/v1/tokens",
        "/api/v1/users",
        "/api/v1/audit",
        "/api/v1/drafts",
        "/api/v1/problems",
        "/api/v1/dashboards",
        "/metrics",
    ] {
        let (status, body) = call(Method::GET, uri, BOOTSTRAP, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    }
    // A wrong bearer token is not echoed either.
    let (status, _) = call(Method::GET, "/api/v1/folders", WRONG, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // A remote that cannot be reached: the error names it without the secret.
    let mut unreachable = config.clone();
    unreachable.repo = Some(format!("http://ada:{GIT_SECRET}@127.0.0.1:9/nowhere.git"));
    unreachable.data_dir = tmp.path().join("data2");
    let err = serve::prepare(&unreachable)
        .await
        .err()
        .expect("unreachable");
    let err = format!("{err} {err:?} {err:#}");
    assert!(err.contains("127.0.0.1:9"), "{err}");
    seen.borrow_mut().push_str(&err);

    let seen = seen.into_inner();
    assert!(
        !seen[token_shown_at..].contains(&created),
        "the new token shown again"
    );
    let logged = String::from_utf8_lossy(&logs.lock().expect("logs")).into_owned();
    assert!(
        logged.contains("repository scanned"),
        "the logs were captured"
    );
    for secret in [GIT_SECRET, BOOTSTRAP, PASSWORD, WRONG] {
        assert!(!seen.contains(secret), "{secret} shown: {seen}");
    }
    for secret in [GIT_SECRET, BOOTSTRAP, PASSWORD, WRONG, created.as_str()] {
        assert!(!logged.contains(secret), "{secret} logged");
    }
    drop(server);
}

async fn get_with(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = Request::get(uri).header("authorization", format!("Bearer {TOKEN}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    reply(res).await
}

#[tokio::test]
async fn a_dashboard_read_has_an_etag_and_a_matching_if_none_match_is_304() {
    let world = World::new();
    let app = world.app(Limits::default()).await;
    let uri = "/api/v1/dashboards/grafana/node-health";
    let first = get_with(&app, uri, &[]).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert!(first.body["dashboard"].is_object());
    let etag = first
        .headers
        .get("etag")
        .expect("etag")
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && etag.len() > 10,
        "{etag}"
    );
    assert_eq!(
        get_with(&app, uri, &[])
            .await
            .headers
            .get("etag")
            .expect("etag"),
        etag.as_str()
    );

    for tag in [
        etag.clone(),
        format!("W/{etag}"),
        format!("\"other\", {etag}"),
        "*".to_owned(),
    ] {
        let again = get_with(&app, uri, &[("if-none-match", &tag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{tag}");
        assert!(again.text.is_empty());
        assert_eq!(again.headers.get("etag").expect("etag"), etag.as_str());
    }
    let stale = get_with(&app, uri, &[("if-none-match", "\"stale\"")]).await;
    assert_eq!(stale.status, StatusCode::OK);

    // Another dashboard has another tag.
    let other = get_with(&app, "/api/v1/dashboards/grafana/alertmanager", &[]).await;
    assert_ne!(other.headers.get("etag").expect("etag"), etag.as_str());

    // The answer is kept, but not past a change of the file on disk (here
    // behind the studio's back, in its clone, without a re-index).
    let clones = world.tmp.path().join("data/clones");
    let file = find_file(&clones, "node-health.yaml").expect("the clone's node-health.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    let title = first.body["dashboard"]["title"].as_str().expect("title");
    let changed = text.replacen(
        &format!("\"title\": \"{title}\""),
        "\"title\": \"Changed on disk\"",
        1,
    );
    assert_ne!(changed, text, "the title is in the file as JSON");
    std::fs::write(&file, changed).expect("write");
    let after = get_with(&app, uri, &[("if-none-match", &etag)]).await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.text);
    assert_eq!(after.body["dashboard"]["title"], "Changed on disk");
    assert_ne!(after.headers.get("etag").expect("etag"), etag.as_str());
}

fn find_file(dir: &Path, name: &str) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()? {
        let path = entry.ok()?.path();
        if path.is_dir() {
            if let Some(found) = find_file(&path, name) {
                return Some(found);
            }
        } else if path.file_name().is_some_and(|n| n == name) {
            return Some(path);
        }
    }
    None
}

#[tokio::test]
async fn lists_are_paginated_with_their_total() {
    let world = World::new();
    let app = world.app(Limits::default()).await;
    let all = get_with(&app, "/api/v1/dashboards", &[]).await;
    let total = all.body["total"].as_u64().expect("total") as usize;
    let names: Vec<Value> = all.body["dashboards"].as_array().expect("list").clone();
    assert_eq!(names.len(), total);
    assert!(total > 3, "the demo has several dashboards");
    let mut paged = Vec::new();
    let mut offset = 0;
    while offset < total {
        let page = get_with(
            &app,
            &format!("/api/v1/dashboards?limit=2&offset={offset}"),
            &[],
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert_eq!(page.body["total"], total);
        assert_eq!(page.body["offset"], offset);
        let items = page.body["dashboards"].as_array().expect("list");
        assert!(items.len() <= 2 && !items.is_empty());
        paged.extend(items.iter().cloned());
        offset += 2;
    }
    assert_eq!(
        paged, names,
        "the pages together are the whole list, in order"
    );
    let past = get_with(
        &app,
        &format!("/api/v1/dashboards?limit=5&offset={}", total + 10),
        &[],
    )
    .await;
    assert_eq!(past.body["dashboards"], json!([]));
    assert_eq!(past.body["total"], total);

    let filtered = get_with(&app, "/api/v1/dashboards?folder=Kubernetes&limit=1", &[]).await;
    assert_eq!(
        filtered.body["dashboards"].as_array().expect("list").len(),
        1
    );
    assert!(filtered.body["total"].as_u64().expect("total") >= 1);

    for (uri, key) in [
        ("/api/v1/folders", "folders"),
        ("/api/v1/problems", "problems"),
        ("/api/v1/drafts", "drafts"),
    ] {
        let whole = get_with(&app, uri, &[]).await;
        assert_eq!(whole.status, StatusCode::OK, "{uri}: {}", whole.text);
        let n = whole.body["total"].as_u64().expect("total") as usize;
        assert_eq!(whole.body[key].as_array().expect("list").len(), n, "{uri}");
        let one = get_with(&app, &format!("{uri}?limit=1&offset=0"), &[]).await;
        assert_eq!(
            one.body[key].as_array().expect("list").len(),
            n.min(1),
            "{uri}"
        );
        assert_eq!(one.body["total"], n, "{uri}");
    }

    for bad in ["limit=0", "limit=100000", "limit=abc", "offset=-1"] {
        let reply = get_with(&app, &format!("/api/v1/dashboards?{bad}"), &[]).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "bad_request", bad);
    }
}
