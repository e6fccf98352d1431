//! Pull requests on the forge that hosts the repository, behind one trait: the
//! server holds an `Arc<dyn Forge>` built from a [`ForgeConfig`].
//!
//! One implementation per API: [`github`] (github.com and GitHub Enterprise)
//! and [`gitea`] (Gitea and Forgejo, which share the API). [`body`] writes
//! the pull request's description; [`remote`] reads owner and repository
//! from the `origin` URL.

pub mod body;
mod error;
pub mod gitea;
pub mod github;
mod http;
pub mod remote;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

pub use error::{ApiFailure, ForgeError, Operation};
pub use remote::{ForgeSettings, RemoteRepo};

/// A boxed future, so that [`Forge`] stays usable as `dyn Forge`.
pub type ForgeFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, ForgeError>> + Send + 'a>>;

/// Opens and finds pull requests on one repository of one forge.
pub trait Forge: Send + Sync {
    /// Which API this is, for logs and messages.
    fn kind(&self) -> ForgeKind;

    /// Open a pull request from `spec.head` into `spec.base`. When one is
    /// already open for that pair, return it instead: retrying is safe.
    fn open_pull_request<'a>(&'a self, spec: &'a PullRequestSpec) -> ForgeFuture<'a, PullRequest>;

    /// The open pull request from branch `head` into branch `base`, if any.
    fn find_open_pull_request<'a>(
        &'a self,
        head: &'a str,
        base: &'a str,
    ) -> ForgeFuture<'a, Option<PullRequest>>;
}

/// What to open: both branches live in the configured repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequestSpec {
    pub title: String,
    /// Markdown, see [`body::render`].
    pub body: String,
    /// The branch with the changes, e.g. `studio/alice/cpu-panel`.
    pub head: String,
    /// The branch to merge into, e.g. `main`.
    pub base: String,
}

/// A pull request as the forge reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequest {
    /// The page a person opens (`html_url`).
    pub url: String,
    pub number: u64,
}

/// The API a forge speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ForgeKind {
    GitHub,
    /// Gitea, and Forgejo which keeps Gitea's API.
    Gitea,
}

impl ForgeKind {
    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::GitHub => "GitHub",
            Self::Gitea => "Gitea",
        }
    }
}

impl fmt::Display for ForgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for ForgeKind {
    type Err = ForgeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "github" => Ok(Self::GitHub),
            "gitea" | "forgejo" => Ok(Self::Gitea),
            _ => Err(ForgeError::Config(format!(
                "unknown forge kind {s:?}; expected github, gitea or forgejo"
            ))),
        }
    }
}

/// GitHub's public API, used when a GitHub config names none.
pub const GITHUB_API_URL: &str = "https://api.github.com";

/// How long one request may take, connection included, unless configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// A token: shown as `***` by `Debug`, so it never lands in a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The token itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// Everything needed to talk to one repository on one forge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForgeConfig {
    pub kind: ForgeKind,
    /// The API root: `https://api.github.com`, `https://ghe.example/api/v3`,
    /// `https://gitea.example/api/v1`. `None` means GitHub's public API and
    /// is refused for Gitea.
    pub api_url: Option<String>,
    pub owner: String,
    pub repo: String,
    pub token: Secret,
    /// The limit for each request, from connecting to the last byte.
    pub timeout: Duration,
}

impl ForgeConfig {
    /// A config with the default API URL and timeout.
    pub fn new(
        kind: ForgeKind,
        owner: impl Into<String>,
        repo: impl Into<String>,
        token: impl Into<Secret>,
    ) -> Self {
        Self {
            kind,
            api_url: None,
            owner: owner.into(),
            repo: repo.into(),
            token: token.into(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The same config with another API root.
    pub fn with_api_url(mut self, api_url: impl Into<String>) -> Self {
        self.api_url = Some(api_url.into());
        self
    }

    /// The same config with another per-request limit.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// A GitHub config for the repository `origin` points at, e.g.
    /// `https://github.com/o/r.git` or `git@github.com:o/r.git`. Any other
    /// host is refused: its API cannot be told from its URL; use
    /// [`ForgeSettings`] to name the kind and API URL.
    pub fn from_remote_url(url: &str, token: impl Into<Secret>) -> Result<Self, ForgeError> {
        ForgeSettings {
            token: Some(token.into()),
            ..ForgeSettings::default()
        }
        .resolve(Some(url))
    }
}

/// The forge client for `config`, after checking it.
pub fn build(config: ForgeConfig) -> Result<Arc<dyn Forge>, ForgeError> {
    let target = http::Target::new(&config)?;
    Ok(match config.kind {
        ForgeKind::GitHub => Arc::new(github::GitHub::new(target)),
        ForgeKind::Gitea => Arc::new(gitea::Gitea::new(target)),
    })
}
