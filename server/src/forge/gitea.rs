//! Gitea's API, which Forgejo keeps: create a pull request, and when Gitea
//! answers 409 (one is open for the same branches) find it among the open
//! pull requests, page by page.
//!
//! The lookup lists `state=open` rather than calling
//! `GET /repos/{o}/{r}/pulls/{base}/{head}`, which also returns closed ones
//! and cannot take a base branch with a slash.

use reqwest::header::{ACCEPT, AUTHORIZATION};
use reqwest::{Method, RequestBuilder, StatusCode, Url};
use serde::{Deserialize, Serialize};

use super::http::Target;
use super::{Forge, ForgeError, ForgeFuture, ForgeKind, Operation, PullRequest, PullRequestSpec};

/// Page size asked for; Gitea's default maximum (`MAX_RESPONSE_ITEMS`).
const PAGE_SIZE: usize = 50;

/// Pages read before giving up: 2,500 open pull requests.
const MAX_PAGES: usize = 50;

/// A Gitea or Forgejo repository's pull requests.
pub struct Gitea {
    target: Target,
}

#[derive(Serialize)]
struct CreatePull<'a> {
    title: &'a str,
    head: &'a str,
    base: &'a str,
    body: &'a str,
}

#[derive(Deserialize)]
struct Pull {
    html_url: String,
    number: u64,
    #[serde(default)]
    state: Option<String>,
    head: Branch,
    base: Branch,
}

#[derive(Deserialize)]
struct Branch {
    #[serde(rename = "ref")]
    name: String,
    #[serde(default)]
    repo_id: Option<i64>,
}

impl Pull {
    /// Whether this is the open pull request from `head` into `base`, both
    /// branches of the same repository (not a fork's branch of that name).
    fn is(&self, head: &str, base: &str) -> bool {
        let same_repo = match (self.head.repo_id, self.base.repo_id) {
            (Some(h), Some(b)) => h == b,
            _ => true,
        };
        self.head.name == head
            && self.base.name == base
            && same_repo
            && self.state.as_deref().is_none_or(|s| s == "open")
    }
}

impl Gitea {
    pub(super) fn new(target: Target) -> Self {
        Self { target }
    }

    fn request(&self, method: Method, url: Url) -> Result<RequestBuilder, ForgeError> {
        Ok(self
            .target
            .client
            .request(method, url)
            .header(AUTHORIZATION, self.target.authorization("token")?)
            .header(ACCEPT, "application/json"))
    }

    async fn open(&self, spec: &PullRequestSpec) -> Result<PullRequest, ForgeError> {
        let operation = Operation::OpenPullRequest;
        let payload = CreatePull {
            title: &spec.title,
            head: &spec.head,
            base: &spec.base,
            body: &spec.body,
        };
        let request = self
            .request(Method::POST, self.target.repo_url(&["pulls"]))?
            .json(&payload);
        let answer = self.target.send(operation, request).await?;
        if answer.status.is_success() {
            let pull: Pull = self.target.json(operation, &answer)?;
            return Ok(PullRequest {
                url: pull.html_url,
                number: pull.number,
            });
        }
        if answer.status == StatusCode::CONFLICT {
            if let Some(existing) = self.find(&spec.head, &spec.base).await? {
                return Ok(existing);
            }
        }
        Err(self.target.failure(operation, &answer))
    }

    async fn find(&self, head: &str, base: &str) -> Result<Option<PullRequest>, ForgeError> {
        let operation = Operation::FindPullRequest;
        let mut seen = 0usize;
        for page in 1..=MAX_PAGES {
            let mut url = self.target.repo_url(&["pulls"]);
            url.query_pairs_mut()
                .append_pair("state", "open")
                .append_pair("base_branch", base)
                .append_pair("page", &page.to_string())
                .append_pair("limit", &PAGE_SIZE.to_string());
            let answer = self
                .target
                .send(operation, self.request(Method::GET, url)?)
                .await?;
            if !answer.status.is_success() {
                return Err(self.target.failure(operation, &answer));
            }
            let total = answer
                .headers
                .get("x-total-count")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<usize>().ok());
            let pulls: Vec<Pull> = self.target.json(operation, &answer)?;
            if pulls.is_empty() {
                return Ok(None);
            }
            seen += pulls.len();
            if let Some(pull) = pulls.into_iter().find(|p| p.is(head, base)) {
                return Ok(Some(PullRequest {
                    url: pull.html_url,
                    number: pull.number,
                }));
            }
            if total.is_some_and(|total| seen >= total) {
                return Ok(None);
            }
        }
        tracing::warn!(forge = %self.target.forge, pages = MAX_PAGES, "gave up looking for an open pull request");
        Ok(None)
    }
}

impl Forge for Gitea {
    fn kind(&self) -> ForgeKind {
        ForgeKind::Gitea
    }

    fn open_pull_request<'a>(&'a self, spec: &'a PullRequestSpec) -> ForgeFuture<'a, PullRequest> {
        Box::pin(self.open(spec))
    }

    fn find_open_pull_request<'a>(
        &'a self,
        head: &'a str,
        base: &'a str,
    ) -> ForgeFuture<'a, Option<PullRequest>> {
        Box::pin(self.find(head, base))
    }
}
