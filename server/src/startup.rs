//! What the server answers while it starts: it listens at once, and until the
//! repository is cloned, read and the database opened, every request gets a
//! `503 Service Unavailable` saying what it is doing — for a browser a page
//! with the clone's progress that reloads itself, for the API the usual error
//! body with code `starting`. Then requests go to the application.

use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;

use crate::git::Progress;

/// The step the start is at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Before anything else: the data dir, the demo.
    Preparing,
    /// Cloning the repository (or re-opening the clone), with libgit2's progress.
    Cloning(Progress),
    /// Reading every dashboard of the repository.
    Scanning,
    /// Opening the database, migrations, sign-in settings.
    Opening,
}

impl Phase {
    /// The phase in words, with the clone's progress.
    pub fn describe(&self) -> String {
        match self {
            Phase::Preparing => "preparing".to_owned(),
            Phase::Cloning(p) if p.total_objects > 0 => {
                let percent = p.received_objects * 100 / p.total_objects;
                let mut s = format!(
                    "cloning the repository: {percent}% ({} of {} objects, {})",
                    p.received_objects,
                    p.total_objects,
                    bytes(p.received_bytes)
                );
                if p.received_objects == p.total_objects && p.total_deltas > 0 {
                    s.push_str(&format!(
                        "; resolving deltas {} of {}",
                        p.indexed_deltas, p.total_deltas
                    ));
                }
                s
            }
            Phase::Cloning(_) => "cloning the repository".to_owned(),
            Phase::Scanning => "reading the repository's dashboards".to_owned(),
            Phase::Opening => "opening the database".to_owned(),
        }
    }

    /// Done fraction of the clone, when known.
    fn fraction(&self) -> Option<(usize, usize)> {
        match self {
            Phase::Cloning(p) if p.total_objects > 0 => Some((p.received_objects, p.total_objects)),
            _ => None,
        }
    }
}

fn bytes(n: usize) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / f64::from(1 << 20)),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / f64::from(1 << 10)),
        n => format!("{n} B"),
    }
}

/// Where the start is; shared between `serve::prepare` and the answers.
#[derive(Clone, Debug)]
pub struct Startup(Arc<Mutex<Phase>>);

impl Default for Startup {
    fn default() -> Self {
        Startup(Arc::new(Mutex::new(Phase::Preparing)))
    }
}

impl Startup {
    pub fn set(&self, phase: Phase) {
        if let Ok(mut p) = self.0.lock() {
            *p = phase;
        }
    }

    pub fn phase(&self) -> Phase {
        self.0.lock().map_or(Phase::Preparing, |p| *p)
    }
}

/// The service the listener gets: the start's answers until `app` is set,
/// then the application.
pub fn front(startup: Startup, app: Arc<OnceLock<Router>>) -> Router {
    Router::new().fallback(move |req: Request| {
        let (startup, app) = (startup.clone(), Arc::clone(&app));
        async move {
            match app.get() {
                Some(router) => match router.clone().oneshot(req).await {
                    Ok(res) => res,
                    Err(never) => match never {},
                },
                None => answer(&startup.phase(), &req),
            }
        }
    })
}

/// Seconds a client should wait before asking again.
const RETRY_SECONDS: u32 = 2;

/// The 503 for one request while starting: the API's error body for `/api/`
/// and clients that want JSON, a self-reloading page for the rest.
pub fn answer(phase: &Phase, req: &Request) -> Response {
    let what = phase.describe();
    let wants_json = req.uri().path().starts_with("/api/")
        || req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("application/json") && !a.contains("text/html"));
    let mut res = if wants_json {
        let body = serde_json::json!({
            "error": {
                "code": "starting",
                "message": format!("Dashboard Studio is starting: {what}; retry in a moment"),
                "details": {"phase": what},
            }
        });
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response()
    } else {
        let progress = match phase.fraction() {
            Some((done, total)) => format!(
                r#"<progress max="{total}" value="{done}" aria-label="Clone progress"></progress>"#
            ),
            None => r#"<progress aria-label="Progress"></progress>"#.to_owned(),
        };
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"refresh\" content=\"{RETRY_SECONDS}\">\
             <title>Dashboard Studio is starting</title></head>\
             <body><h1>Dashboard Studio is starting</h1>\
             <p role=\"status\">{}…</p>{progress}\
             <p>This page reloads itself until the studio is ready.</p></body></html>",
            crate::html::escape(&capitalise(&what))
        );
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            Body::from(page),
        )
            .into_response()
    };
    let headers = res.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from(RETRY_SECONDS));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; base-uri 'none'"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;

    async fn call(
        front: &Router,
        path: &str,
        accept: &str,
    ) -> (StatusCode, Option<String>, String) {
        let req = Request::builder()
            .uri(path)
            .header(header::ACCEPT, accept)
            .body(Body::empty())
            .expect("request");
        let res = front.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let retry = res
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .expect("body");
        (status, retry, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn answers_with_the_progress_until_the_app_is_set() {
        let startup = Startup::default();
        let app = Arc::new(OnceLock::new());
        let front = front(startup.clone(), Arc::clone(&app));

        // A browser: a page that reloads itself, with the clone's progress.
        startup.set(Phase::Cloning(Progress {
            received_objects: 512,
            total_objects: 2048,
            received_bytes: 3 << 20,
            ..Progress::default()
        }));
        let (status, retry, page) = call(&front, "/dashboards/a/b", "text/html").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(retry.as_deref(), Some("2"));
        assert!(page.contains(r#"<meta http-equiv="refresh""#), "{page}");
        assert!(
            page.contains(r#"<progress max="2048" value="512""#),
            "{page}"
        );
        assert!(
            page.contains("Cloning the repository: 25% (512 of 2048 objects, 3.0 MiB)"),
            "{page}"
        );

        // The API: the error body, code `starting`.
        startup.set(Phase::Scanning);
        let (status, _, body) = call(&front, "/api/v1/dashboards", "*/*").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        let body: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(body["error"]["code"], "starting");
        let message = body["error"]["message"].as_str().expect("message");
        assert!(
            message.contains("reading the repository's dashboards"),
            "{message}"
        );

        // Ready: every request goes to the application.
        let _ = app.set(Router::new().route("/api/v1/dashboards", get(|| async { "the app" })));
        let (status, retry, body) = call(&front, "/api/v1/dashboards", "*/*").await;
        assert_eq!(
            (status, retry, body.as_str()),
            (StatusCode::OK, None, "the app")
        );
        let (status, _, _) = call(&front, "/nowhere", "text/html").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "the app's own 404");
    }

    #[test]
    fn phases_in_words() {
        assert_eq!(
            Phase::Cloning(Progress::default()).describe(),
            "cloning the repository"
        );
        let resolving = Phase::Cloning(Progress {
            received_objects: 10,
            total_objects: 10,
            received_bytes: 2048,
            indexed_deltas: 3,
            total_deltas: 7,
        });
        assert_eq!(
            resolving.describe(),
            "cloning the repository: 100% (10 of 10 objects, 2.0 KiB); resolving deltas 3 of 7"
        );
        assert_eq!(Phase::Opening.describe(), "opening the database");
    }
}
