//! What the fake forges share: serving a router on a real loopback port,
//! a port where nothing listens, and a request log with protocol violations.

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde_json::Value;

/// Serve `router` on 127.0.0.1 at a free port; the socket is bound before
/// this returns, so the first request finds it listening.
pub async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        axum::serve(listener, router)
            .await
            .expect("fake forge stopped");
    });
    format!("http://{addr}")
}

/// `http://127.0.0.1:{port}` where nothing listens any more.
pub async fn closed_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local addr");
    drop(listener);
    format!("http://{addr}")
}

/// How the fake answers, whatever the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Like the real forge.
    Normal,
    /// Every request gets this status with a forge-style message.
    Fail(StatusCode),
    /// Every request waits forever.
    Hang,
}

/// What a fake saw: each request as `METHOD path?query`, and each way a
/// request broke the documented API. Tests assert the violations are none.
#[derive(Default, Clone)]
pub struct Log {
    requests: Arc<Mutex<Vec<String>>>,
    violations: Arc<Mutex<Vec<String>>>,
}

impl Log {
    pub fn request(&self, line: String) {
        self.requests.lock().expect("log").push(line);
    }

    pub fn violation(&self, what: String) {
        self.violations.lock().expect("log").push(what);
    }

    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("log").clone()
    }

    pub fn violations(&self) -> Vec<String> {
        self.violations.lock().expect("log").clone()
    }
}

/// A JSON answer.
pub fn answer(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}
