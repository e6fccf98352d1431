//! A smart-HTTP Git server for tests: axum in front of the real
//! `git http-backend` CGI, optionally demanding a token as the Basic password.

#![allow(dead_code)] // each test binary uses a different part of this file

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Router;
use tokio::sync::oneshot;

struct Config {
    backend: PathBuf,
    project_root: PathBuf,
    /// `Authorization` header value every request must carry, if any.
    expected_auth: Option<String>,
}

/// A running server; `stop` (or drop) shuts it down and frees the port.
pub struct GitHttpServer {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl GitHttpServer {
    /// Serve every repository under `project_root`; with `token`, only to
    /// requests whose Basic credentials are `user:token`.
    pub fn start(project_root: &Path, auth: Option<(&str, &str)>) -> GitHttpServer {
        GitHttpServer::start_on("127.0.0.1:0", project_root, auth)
    }

    /// The same on a given address (to bring a stopped server back on its port).
    pub fn start_on(addr: &str, project_root: &Path, auth: Option<(&str, &str)>) -> GitHttpServer {
        let exec_path = Command::new("git")
            .arg("--exec-path")
            .output()
            .expect("git --exec-path");
        let exec_path = String::from_utf8(exec_path.stdout).expect("utf-8");
        let config = Arc::new(Config {
            backend: Path::new(exec_path.trim()).join("git-http-backend"),
            project_root: project_root.to_path_buf(),
            expected_auth: auth.map(|(user, token)| {
                format!("Basic {}", base64(format!("{user}:{token}").as_bytes()))
            }),
        });
        let listener = std::net::TcpListener::bind(addr).expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let (shutdown, stopped) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                let app = Router::new().fallback(cgi).with_state(config);
                axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.await;
                    })
                    .await
                    .expect("serve");
            });
        });
        GitHttpServer {
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>/<repo>`.
    pub fn url(&self, repo: &str) -> String {
        format!("http://{}/{repo}", self.addr)
    }

    /// Stop serving; the port refuses connections afterwards.
    pub fn stop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            thread.join().expect("server thread");
        }
    }
}

impl Drop for GitHttpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn cgi(State(config): State<Arc<Config>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if let Some(expected) = &config.expected_auth {
        let given = parts
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        if given != Some(expected.as_str()) {
            return Response::builder()
                .status(StatusCode::UNAUTHORIZED)
                .header("www-authenticate", "Basic realm=\"git\"")
                .body(Body::from("authentication required\n"))
                .expect("response");
        }
    }
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .expect("request body");
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let env = vec![
        (
            "GIT_PROJECT_ROOT",
            config.project_root.display().to_string(),
        ),
        ("GIT_HTTP_EXPORT_ALL", "1".to_string()),
        ("REMOTE_USER", "studio-test".to_string()),
        ("REMOTE_ADDR", "127.0.0.1".to_string()),
        ("REQUEST_METHOD", parts.method.to_string()),
        ("PATH_INFO", parts.uri.path().to_string()),
        (
            "QUERY_STRING",
            parts.uri.query().unwrap_or_default().to_string(),
        ),
        ("CONTENT_TYPE", header("content-type")),
        ("CONTENT_LENGTH", body.len().to_string()),
        ("HTTP_CONTENT_ENCODING", header("content-encoding")),
        ("GIT_PROTOCOL", header("git-protocol")),
        ("GIT_CONFIG_NOSYSTEM", "1".to_string()),
        ("GIT_CONFIG_GLOBAL", "/dev/null".to_string()),
        ("GIT_CONFIG_COUNT", "1".to_string()),
        ("GIT_CONFIG_KEY_0", "http.receivepack".to_string()),
        ("GIT_CONFIG_VALUE_0", "true".to_string()),
    ];
    let backend = config.backend.clone();
    let output = tokio::task::spawn_blocking(move || run_cgi(&backend, &env, &body))
        .await
        .expect("cgi task");
    cgi_response(&output)
}

/// Run the CGI with `body` on stdin (from its own thread, so a large answer
/// cannot block a large request) and return its stdout.
fn run_cgi(backend: &Path, env: &[(&str, String)], body: &[u8]) -> Vec<u8> {
    let mut child = Command::new(backend)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn git http-backend");
    let mut stdin = child.stdin.take().expect("stdin");
    let body = body.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&body);
    });
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_end(&mut out)
        .expect("cgi output");
    writer.join().expect("writer");
    child.wait().expect("wait cgi");
    out
}

/// Turn CGI output (headers, blank line, body) into an HTTP response.
fn cgi_response(output: &[u8]) -> Response {
    let split = output
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| {
            output
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|i| (i, i + 2))
        })
        .unwrap_or((output.len(), output.len()));
    let head = String::from_utf8_lossy(&output[..split.0]);
    let mut response = Response::new(Body::from(output[split.1..].to_vec()));
    for line in head.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("status") {
            let code = value
                .split_whitespace()
                .next()
                .and_then(|c| c.parse().ok())
                .unwrap_or(500);
            *response.status_mut() =
                StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        } else if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.trim()),
            HeaderValue::try_from(value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn base64_matches_rfc_4648() {
    assert_eq!(base64(b"f"), "Zg==");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(base64(b"foo"), "Zm9v");
    assert_eq!(
        base64(b"x-access-token:s3cr3t"),
        "eC1hY2Nlc3MtdG9rZW46czNjcjN0"
    );
}
