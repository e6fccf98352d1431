//! GitHub's REST API (github.com and GitHub Enterprise): create a pull
//! request, and when GitHub answers 422 "A pull request already exists",
//! find the open one by `head=owner:branch` and `base`.

use reqwest::header::{ACCEPT, AUTHORIZATION};
use reqwest::{Method, RequestBuilder, StatusCode, Url};
use serde::{Deserialize, Serialize};

use super::http::Target;
use super::{Forge, ForgeError, ForgeFuture, ForgeKind, Operation, PullRequest, PullRequestSpec};

/// The REST API version this client was written against.
pub const API_VERSION: &str = "2022-11-28";

/// The words GitHub puts in a 422 when the pull request exists already.
const ALREADY_EXISTS: &str = "A pull request already exists";

/// A GitHub repository's pull requests.
pub struct GitHub {
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
    head: Branch,
    base: Branch,
}

#[derive(Deserialize)]
struct Branch {
    #[serde(rename = "ref")]
    name: String,
}

impl Pull {
    fn into_pull_request(self) -> PullRequest {
        PullRequest {
            url: self.html_url,
            number: self.number,
        }
    }
}

impl GitHub {
    pub(super) fn new(target: Target) -> Self {
        Self { target }
    }

    fn request(&self, method: Method, url: Url) -> Result<RequestBuilder, ForgeError> {
        Ok(self
            .target
            .client
            .request(method, url)
            .header(AUTHORIZATION, self.target.authorization("Bearer")?)
            .header(ACCEPT, "application/vnd.github+json")
            .header("X-GitHub-Api-Version", API_VERSION))
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
            return Ok(self
                .target
                .json::<Pull>(operation, &answer)?
                .into_pull_request());
        }
        if answer.status == StatusCode::UNPROCESSABLE_ENTITY && answer.body.contains(ALREADY_EXISTS)
        {
            if let Some(existing) = self.find(&spec.head, &spec.base).await? {
                return Ok(existing);
            }
        }
        Err(self.target.failure(operation, &answer))
    }

    async fn find(&self, head: &str, base: &str) -> Result<Option<PullRequest>, ForgeError> {
        let operation = Operation::FindPullRequest;
        let mut url = self.target.repo_url(&["pulls"]);
        url.query_pairs_mut()
            .append_pair("state", "open")
            .append_pair("head", &format!("{}:{head}", self.target.owner))
            .append_pair("base", base)
            .append_pair("per_page", "100");
        let answer = self
            .target
            .send(operation, self.request(Method::GET, url)?)
            .await?;
        if !answer.status.is_success() {
            return Err(self.target.failure(operation, &answer));
        }
        let pulls: Vec<Pull> = self.target.json(operation, &answer)?;
        Ok(pulls
            .into_iter()
            .find(|p| p.head.name == head && p.base.name == base)
            .map(Pull::into_pull_request))
    }
}

impl Forge for GitHub {
    fn kind(&self) -> ForgeKind {
        ForgeKind::GitHub
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
