//! The OpenAPI document at `/api/openapi.json` and its page at `/api/docs`:
//! valid OpenAPI 3 with every `$ref` resolving, exactly the routes the router
//! serves, and real answers of the real router matching their schemas.

#[path = "support/git.rs"]
mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use dashstudio_server::config::ServeConfig;
use dashstudio_server::{demo, router, serve};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

const TOKEN: &str = "test-bootstrap-token-openapi-0123";
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Routes served outside the API that the document leaves out on purpose:
/// the top bar's sign-out form (the Leptos pages are not `.route`s).
const UNDOCUMENTED: [&str; 1] = ["/signout"];

struct World {
    _tmp: tempfile::TempDir,
    origin: PathBuf,
    app: Router,
}

async fn world() -> World {
    let tmp = tempfile::tempdir().expect("tempdir");
    let origin: PathBuf = demo::ensure_origin(&tmp.path().join("gen")).expect("demo origin");
    let data = tmp.path().join("data");
    let mut config = ServeConfig::new(Some(origin.display().to_string()), data.clone());
    config.site_root = data.join("site");
    config.git.fetch_interval = 0;
    config.auth.bootstrap_token = Some(TOKEN.to_owned());
    let state = serve::prepare(&config).await.expect("prepare");
    World {
        _tmp: tmp,
        origin,
        app: router::build(state),
    }
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
    text: String,
}

async fn send(
    app: &Router,
    method: Method,
    uri: &str,
    bearer: bool,
    body: Option<(&str, String)>,
) -> Reply {
    let mut b = Request::builder().method(method).uri(uri);
    if bearer {
        b = b.header("authorization", format!("Bearer {TOKEN}"));
    }
    let body = match body {
        Some((content_type, text)) => {
            b = b.header("content-type", content_type);
            Body::from(text)
        }
        None => Body::empty(),
    };
    let res = app
        .clone()
        .oneshot(b.body(body).expect("request"))
        .await
        .expect("infallible");
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

async fn document(app: &Router) -> Value {
    let reply = send(app, Method::GET, "/api/openapi.json", false, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(
        reply.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{:?}",
        reply.headers
    );
    reply.body
}

/// Every `(method, path)` the document lists.
fn operations(doc: &Value) -> Vec<(String, String)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for m in METHODS {
            if item.get(m).is_some() {
                ops.push((m.to_owned(), path.clone()));
            }
        }
    }
    ops
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_is_valid_openapi_3_and_every_ref_resolves() {
    let w = world().await;
    let doc = document(&w.app).await;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["info"]["title"], "Dashboard Studio API");
    assert!(doc["info"]["version"].is_string());
    // Every reference points into this document and resolves.
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(refs.len() > 50, "only {} refs", refs.len());
    for r in &refs {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{r} is not local"));
        assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
    }
    // Security schemes: the bearer token and the session cookie.
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], "dashstudio_session");
    // Every operation: a unique id, a summary, a tag, a 2xx/3xx answer, a
    // role or "public" in its description, and errors in the one shape.
    let mut ids = BTreeSet::new();
    for (method, path) in operations(&doc) {
        let op = &doc["paths"][&path][&method];
        let what = format!("{method} {path}");
        assert!(
            ids.insert(op["operationId"].as_str().expect("operationId").to_owned()),
            "{what}: duplicate operationId"
        );
        assert!(
            op["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{what}"
        );
        assert!(op["tags"][0].is_string(), "{what}");
        let description = op["description"].as_str().unwrap_or_default();
        assert!(
            description.contains("**Role:**") || description.contains("**Public"),
            "{what}: says neither the role nor that it is public"
        );
        let public = op["security"] == json!([{}]);
        assert_eq!(
            public,
            description.contains("**Public"),
            "{what}: security and description disagree"
        );
        let responses = op["responses"].as_object().expect("responses");
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{what}: no success answer"
        );
        if path.starts_with("/api/v1/") && !public {
            assert!(responses.contains_key("401"), "{what}: no 401");
        }
        for (status, r) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    r["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{what} {status}"
                );
            }
        }
        for p in op["parameters"].as_array().into_iter().flatten() {
            if p["in"] == "path" {
                assert!(
                    path.contains(&format!("{{{}}}", p["name"].as_str().unwrap())),
                    "{what}: {p}"
                );
            }
        }
    }
    // Every path parameter in a template is described.
    for (method, path) in operations(&doc) {
        let op = &doc["paths"][&path][&method];
        for segment in path.split('/').filter(|s| s.starts_with('{')) {
            let name = segment.trim_matches(|c| c == '{' || c == '}');
            assert!(
                op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|p| p["name"] == name && p["in"] == "path"),
                "{method} {path}: {name} undocumented"
            );
        }
    }
    // Every component schema is a JSON Schema that compiles.
    for (name, _) in doc["components"]["schemas"].as_object().unwrap() {
        validator(
            &doc,
            &json!({"$ref": format!("#/components/schemas/{name}")}),
        );
    }
}

/// What router.rs registers besides `routes!` (each documented by its
/// handler's `#[utoipa::path]`): every `.route(`/`.route_service(` and
/// `.nest(`/`.nest_service(` string in the source.
fn unmanaged_routes() -> Vec<String> {
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/router.rs"))
        .expect("router.rs");
    let mut found = Vec::new();
    for call in [".route(", ".route_service(", ".nest(", ".nest_service("] {
        for (at, _) in source.match_indices(call) {
            let rest = source[at + call.len()..].trim_start();
            let path = rest
                .strip_prefix('"')
                .and_then(|r| r.split('"').next())
                .unwrap_or("<not a literal>");
            found.push(format!("{call}{path}"));
        }
    }
    found
}

#[tokio::test]
async fn the_document_lists_exactly_the_routes_the_router_serves() {
    let w = world().await;
    let doc = document(&w.app).await;
    let ops = operations(&doc);
    let paths: BTreeSet<&str> = ops.iter().map(|(_, p)| p.as_str()).collect();
    // What the brief names, at least.
    for p in [
        "/api/v1/folders",
        "/api/v1/dashboards",
        "/api/v1/dashboards/{namespace}/{name}",
        "/api/v1/validate",
        "/healthz",
        "/metrics",
        "/api/openapi.json",
        "/api/docs",
    ] {
        assert!(paths.contains(p), "{p} is not documented");
    }
    assert_eq!(ops.len(), 29, "{ops:?}");
    // Routes registered without `routes!` are not in the document: only the
    // ones known to be outside the API may exist.
    let unmanaged = unmanaged_routes();
    let expected: Vec<String> = UNDOCUMENTED
        .iter()
        .map(|p| format!(".route({p}"))
        .chain([".nest(/api/v1".to_owned()])
        .collect();
    assert_eq!(
        unmanaged, expected,
        "router.rs registers a route outside `routes!`: give its handler a \
         #[utoipa::path] and register it with `.routes(routes!(…))`"
    );
    // Every documented operation is served: the router's API fallback (404
    // "no such API endpoint") and 405 never answer it.
    for (method, path) in &ops {
        let uri = path
            .replace("{namespace}", "grafana")
            .replace("{name}", "no-such-dashboard")
            .replace("{commit}", "0123456789abcdef0123456789abcdef01234567")
            .replace("{id}", "no-such-token");
        assert!(!uri.contains('{'), "{uri}");
        let m = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
        let body =
            matches!(m, Method::POST | Method::PUT).then(|| ("application/json", "{}".to_owned()));
        let reply = send(&w.app, m, &uri, true, body).await;
        assert_ne!(
            reply.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert!(
            !reply.text.contains("no such API endpoint"),
            "{method} {path}: not served ({})",
            reply.text
        );
        assert!(
            doc["paths"][path][method]["responses"]
                .get(reply.status.as_str())
                .is_some(),
            "{method} {path} answered {} which is not documented: {}",
            reply.status,
            reply.text
        );
    }
    // And a path that is not documented is the API's 404.
    let reply = send(&w.app, Method::GET, "/api/v1/nothing-here", true, None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.text.contains("no such API endpoint"));
}

fn validator(doc: &Value, schema: &Value) -> jsonschema::Validator {
    let mut root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": doc["components"].clone(),
    });
    root["allOf"] = json!([schema]);
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&root)
        .unwrap_or_else(|e| panic!("{schema} does not compile: {e}"))
}

/// Asserts `reply` is documented for `method path` and its body validates
/// against the documented schema.
fn assert_conforms(doc: &Value, method: &str, path: &str, reply: &Reply) {
    let what = format!("{method} {path} → {}", reply.status);
    let response = doc["paths"][path][method]["responses"]
        .get(reply.status.as_str())
        .unwrap_or_else(|| panic!("{what}: status not documented; {}", reply.text));
    let Some(content) = response["content"].as_object() else {
        assert!(
            reply.text.is_empty(),
            "{what}: undocumented body {}",
            reply.text
        );
        return;
    };
    let content_type = reply.headers["content-type"].to_str().unwrap();
    let (_, media) = content
        .iter()
        .find(|(m, _)| content_type.starts_with(m.split(';').next().unwrap()))
        .unwrap_or_else(|| panic!("{what}: {content_type} not documented"));
    if content_type.starts_with("application/json") {
        let v = validator(doc, &media["schema"]);
        let errors: Vec<String> = v
            .iter_errors(&reply.body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{what}: {errors:#?}\n{}", reply.text);
    }
}

#[tokio::test]
async fn real_answers_match_their_documented_schemas() {
    let w = world().await;
    let app = &w.app;
    let doc = document(app).await;
    let get = |uri: &'static str, bearer: bool| send(app, Method::GET, uri, bearer, None);

    let cases: Vec<(&str, &str, Reply)> = vec![
        ("get", "/healthz", get("/healthz", false).await),
        ("get", "/metrics", get("/metrics", false).await),
        ("get", "/api/v1/folders", get("/api/v1/folders", true).await),
        (
            "get",
            "/api/v1/folders",
            get("/api/v1/folders", false).await,
        ),
        (
            "get",
            "/api/v1/folders",
            get("/api/v1/folders?limit=0", true).await,
        ),
        (
            "get",
            "/api/v1/dashboards",
            get("/api/v1/dashboards?limit=3", true).await,
        ),
        (
            "get",
            "/api/v1/problems",
            get("/api/v1/problems", true).await,
        ),
        ("get", "/api/v1/session", get("/api/v1/session", true).await),
        (
            "get",
            "/api/v1/tokens",
            get("/api/v1/tokens?all=true", true).await,
        ),
        ("get", "/api/v1/users", get("/api/v1/users", true).await),
        ("get", "/api/v1/audit", get("/api/v1/audit", true).await),
        ("get", "/api/v1/drafts", get("/api/v1/drafts", true).await),
    ];
    for (method, path, reply) in &cases {
        assert_conforms(&doc, method, path, reply);
    }
    // The schemas do refuse what does not match them.
    let folders = validator(
        &doc,
        &json!({"$ref": "#/components/schemas/FoldersResponse"}),
    );
    assert!(folders.is_valid(&cases[2].2.body));
    assert!(!folders.is_valid(&json!({"total": "1", "offset": 0, "folders": []})));
    assert!(!folders.is_valid(&json!({"total": 1, "offset": 0, "folders": [{"title": 1}]})));
    assert_eq!(cases[3].2.status, StatusCode::UNAUTHORIZED);
    assert_eq!(cases[4].2.status, StatusCode::BAD_REQUEST);

    // A dashboard, its history, and its 304.
    let list = send(app, Method::GET, "/api/v1/dashboards", true, None).await;
    let first = &list.body["dashboards"][0];
    let one = format!(
        "/api/v1/dashboards/{}/{}",
        first["namespace"].as_str().unwrap(),
        first["name"].as_str().unwrap()
    );
    let reply = send(app, Method::GET, &one, true, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(reply.body["detail"]["model"]["panels"]
        .as_array()
        .is_some_and(|p| !p.is_empty()));
    assert_conforms(&doc, "get", "/api/v1/dashboards/{namespace}/{name}", &reply);
    let history = send(app, Method::GET, &format!("{one}/history"), true, None).await;
    assert_conforms(
        &doc,
        "get",
        "/api/v1/dashboards/{namespace}/{name}/history",
        &history,
    );
    let missing = send(
        app,
        Method::GET,
        "/api/v1/dashboards/grafana/nope",
        true,
        None,
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_conforms(
        &doc,
        "get",
        "/api/v1/dashboards/{namespace}/{name}",
        &missing,
    );

    // Validation: a CRD with problems and a broken JSON.
    let file = first["file"].as_str().unwrap();
    let yaml = support::git(&w.origin, &["show", &format!("HEAD:{file}")]);
    let broken = yaml.replace("\"panels\"", "\"panels\" ]");
    for body in [
        yaml,
        broken,
        "{\"panels\": [{\"type\": \"graph\", \"targets\": [{\"expr\": \"rate(x[\"}]}]}".to_owned(),
    ] {
        let reply = send(
            app,
            Method::POST,
            "/api/v1/validate",
            true,
            Some(("application/yaml", body)),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        assert_conforms(&doc, "post", "/api/v1/validate", &reply);
    }

    // Tokens and users.
    let created = send(
        app,
        Method::POST,
        "/api/v1/tokens",
        true,
        Some((
            "application/json",
            json!({"name": "ci", "scope": "read"}).to_string(),
        )),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_conforms(&doc, "post", "/api/v1/tokens", &created);
    let user = send(
        app,
        Method::POST,
        "/api/v1/users",
        true,
        Some((
            "application/json",
            json!({"username": "edna", "role": "editor", "password": "a long enough password"})
                .to_string(),
        )),
    )
    .await;
    assert_eq!(user.status, StatusCode::CREATED, "{}", user.text);
    assert_conforms(&doc, "post", "/api/v1/users", &user);

    // A draft: create, edit, list, read, commit-less errors.
    let created = send(
        app,
        Method::POST,
        "/api/v1/drafts",
        true,
        Some((
            "application/json",
            json!({"namespace": "grafana", "name": "openapi-new", "title": "From the OpenAPI test"}).to_string(),
        )),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_conforms(&doc, "post", "/api/v1/drafts", &created);
    let saved = send(
        app,
        Method::POST,
        "/api/v1/drafts/grafana/openapi-new/operations",
        true,
        Some((
            "application/json",
            json!({"operations": [{"op": "add_panel", "panel": {"type": "stat", "title": "Up", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4}}}]}).to_string(),
        )),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    assert_conforms(
        &doc,
        "post",
        "/api/v1/drafts/{namespace}/{name}/operations",
        &saved,
    );
    for (method, path, uri) in [
        ("get", "/api/v1/drafts", "/api/v1/drafts"),
        (
            "get",
            "/api/v1/drafts/{namespace}/{name}",
            "/api/v1/drafts/grafana/openapi-new",
        ),
        (
            "get",
            "/api/v1/commits/{commit}",
            "/api/v1/commits/0123456789abcdef0123456789abcdef01234567",
        ),
    ] {
        let reply = send(app, Method::GET, uri, true, None).await;
        assert_conforms(&doc, method, path, &reply);
    }
    let bad = send(
        app,
        Method::PUT,
        "/api/v1/drafts/grafana/openapi-new",
        true,
        Some(("application/json", "{\"nope\": 1}".to_owned())),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_conforms(&doc, "put", "/api/v1/drafts/{namespace}/{name}", &bad);
    let committed = send(
        app,
        Method::POST,
        "/api/v1/commits",
        true,
        Some((
            "application/json",
            json!({"drafts": ["grafana/openapi-new"], "message": "Add a dashboard"}).to_string(),
        )),
    )
    .await;
    assert!(
        committed.status.is_success() || committed.status.is_client_error(),
        "{}",
        committed.text
    );
    assert_conforms(&doc, "post", "/api/v1/commits", &committed);
}

#[tokio::test]
async fn the_docs_page_names_every_operation_and_runs_no_script() {
    let w = world().await;
    let doc = document(&w.app).await;
    let reply = send(&w.app, Method::GET, "/api/docs", false, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(reply.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(reply.headers.contains_key("content-security-policy"));
    let html = &reply.text;
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "the page has a script"
    );
    assert!(html.contains("href=\"/api/openapi.json\""));
    for (method, path) in operations(&doc) {
        let heading = format!("<code>{} {}</code>", method.to_ascii_uppercase(), path);
        assert!(html.contains(&heading), "{heading} is not on the page");
    }
    for tag in ["dashboards", "drafts", "commits", "session", "tokens"] {
        assert!(html.contains(&format!("id=\"tag-{tag}\"")), "{tag}");
    }
    for schema in doc["components"]["schemas"].as_object().unwrap().keys() {
        assert!(
            html.contains(&format!("id=\"schema-{schema}\"")),
            "{schema}"
        );
    }
    assert!(html.contains("<strong>Role:</strong> editor"));
    assert!(html.contains("none (public)"));
    assert!(html.contains("<em>Header</em> <code>ETag</code>"));
}
