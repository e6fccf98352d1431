//! The GitHub client against a fake GitHub API on a real port that checks
//! each request as GitHub documents it: creating, the idempotent retry after
//! 422 "already exists", lookups, and every kind of failure.

#[path = "support/forge_github.rs"]
mod fake;
#[path = "support/forge_server.rs"]
mod forge_server;

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use dashstudio_server::forge::{
    self, Forge, ForgeConfig, ForgeError, ForgeKind, PullRequest, PullRequestSpec,
};
use fake::FakeGitHub;
use forge_server::Mode;

fn client(api_url: &str, token: &str) -> Arc<dyn Forge> {
    let config = ForgeConfig::new(ForgeKind::GitHub, fake::OWNER, fake::REPO, token)
        .with_api_url(api_url)
        .with_timeout(Duration::from_secs(5));
    forge::build(config).expect("config is valid")
}

fn spec(head: &str) -> PullRequestSpec {
    PullRequestSpec {
        title: "Dashboards: CPU panel | memory".into(),
        body: "## Changes\n\n| a | b |\n| --- | --- |\n| ü | `x` |\n".into(),
        head: head.into(),
        base: "main".into(),
    }
}

fn assert_clean(fake: &FakeGitHub) {
    assert_eq!(
        fake.log.violations(),
        Vec::<String>::new(),
        "requests broke GitHub's API"
    );
}

#[tokio::test]
async fn opens_a_pull_request_with_the_documented_request() {
    let fake = FakeGitHub::start("").await;
    let github = client(&fake.api_url, fake::TOKEN);

    let pr = github
        .open_pull_request(&spec("studio/alice/cpu-panel"))
        .await
        .expect("opened");

    assert_eq!(
        pr,
        PullRequest {
            url: fake::html_url(1),
            number: 1
        }
    );
    let stored = fake.pulls();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].title, spec("x").title);
    assert_eq!(
        stored[0].body,
        spec("x").body,
        "the body arrives byte for byte"
    );
    assert_eq!(
        (stored[0].head.as_str(), stored[0].base.as_str()),
        ("studio/alice/cpu-panel", "main")
    );
    assert_eq!(fake.log.requests(), ["POST /repos/acme/dashboards/pulls"]);
    assert_clean(&fake);
}

#[tokio::test]
async fn github_enterprise_paths_keep_the_api_prefix() {
    let fake = FakeGitHub::start("/api/v3").await;
    let github = client(&format!("{}/", fake.api_url), fake::TOKEN);

    let pr = github
        .open_pull_request(&spec("studio/bob/x"))
        .await
        .expect("opened");

    assert_eq!(pr.number, 1);
    assert_eq!(
        fake.log.requests(),
        ["POST /api/v3/repos/acme/dashboards/pulls"]
    );
    assert_clean(&fake);
}

#[tokio::test]
async fn opening_again_returns_the_open_pull_request() {
    let fake = FakeGitHub::start("").await;
    fake.seed("unrelated", "studio/carol/other", "main", true);
    fake.seed("closed earlier", "studio/alice/cpu-panel", "main", false);
    let github = client(&fake.api_url, fake::TOKEN);

    let first = github
        .open_pull_request(&spec("studio/alice/cpu-panel"))
        .await
        .expect("opened");
    let again = github
        .open_pull_request(&spec("studio/alice/cpu-panel"))
        .await
        .expect("found");

    assert_eq!(first, again);
    assert_eq!(first.number, 3);
    assert_eq!(fake.pulls().len(), 3, "no second pull request");
    let requests = fake.log.requests();
    assert_eq!(requests.len(), 3, "{requests:?}");
    assert_eq!(requests[1], "POST /repos/acme/dashboards/pulls");
    assert_eq!(
        requests[2],
        "GET /repos/acme/dashboards/pulls?state=open&head=acme%3Astudio%2Falice%2Fcpu-panel&base=main&per_page=100"
    );
    assert_clean(&fake);
}

#[tokio::test]
async fn finds_only_an_open_pull_request_for_both_branches() {
    let fake = FakeGitHub::start("").await;
    fake.seed("closed", "studio/a/x", "main", false);
    fake.seed("other base", "studio/a/x", "release", true);
    let github = client(&fake.api_url, fake::TOKEN);

    assert_eq!(
        github
            .find_open_pull_request("studio/a/x", "main")
            .await
            .expect("lookup"),
        None
    );
    let open = fake.seed("open", "studio/a/x", "main", true);
    let found = github
        .find_open_pull_request("studio/a/x", "main")
        .await
        .expect("lookup");
    assert_eq!(
        found,
        Some(PullRequest {
            url: fake::html_url(open),
            number: open
        })
    );
    assert_clean(&fake);
}

#[tokio::test]
async fn a_bad_token_is_unauthorized_and_never_shown() {
    let fake = FakeGitHub::start("").await;
    let secret = "ghp_ThisTokenIsWrongAndSecret000000000000";
    let github = client(&fake.api_url, secret);

    let err = github
        .open_pull_request(&spec("studio/a/x"))
        .await
        .expect_err("401");

    assert!(matches!(err, ForgeError::Unauthorized(_)), "{err:?}");
    assert_eq!(err.status(), Some(401));
    let shown = err.to_string();
    assert!(
        shown.starts_with("GitHub: opening a pull request failed with HTTP 401: Bad credentials"),
        "{shown}"
    );
    assert!(!shown.contains(secret), "{shown}");
    assert!(!format!("{err:?}").contains(secret));
    assert!(fake.pulls().is_empty());
    assert_clean(&fake);
}

#[tokio::test]
async fn a_wrong_repository_is_not_found() {
    let fake = FakeGitHub::start("").await;
    let config = ForgeConfig::new(ForgeKind::GitHub, fake::OWNER, "no-such-repo", fake::TOKEN)
        .with_api_url(&fake.api_url);
    let github = forge::build(config).expect("config");

    let err = github
        .find_open_pull_request("studio/a/x", "main")
        .await
        .expect_err("404");

    assert!(matches!(err, ForgeError::NotFound(_)), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("GitHub: looking up open pull requests failed with HTTP 404: Not Found"),
        "{err}"
    );
}

#[tokio::test]
async fn other_validation_failures_carry_githubs_explanation() {
    let fake = FakeGitHub::start("").await;
    let github = client(&fake.api_url, fake::TOKEN);

    let err = github
        .open_pull_request(&spec("empty-branch"))
        .await
        .expect_err("422");

    let ForgeError::Rejected(failure) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(failure.status, 422);
    assert_eq!(
        failure.message,
        "Validation Failed; No commits between main and empty-branch"
    );
    assert_eq!(
        fake.log.requests().len(),
        1,
        "no lookup for a different 422"
    );
    assert_clean(&fake);
}

#[tokio::test]
async fn server_errors_and_refusals_are_named() {
    let fake = FakeGitHub::start("").await;
    let github = client(&fake.api_url, fake::TOKEN);

    fake.set_mode(Mode::Fail(StatusCode::INTERNAL_SERVER_ERROR));
    let err = github
        .open_pull_request(&spec("studio/a/x"))
        .await
        .expect_err("500");
    assert!(matches!(err, ForgeError::ServerError(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "GitHub: opening a pull request failed with HTTP 500: Server Error"
    );

    fake.set_mode(Mode::Fail(StatusCode::FORBIDDEN));
    let err = github
        .find_open_pull_request("studio/a/x", "main")
        .await
        .expect_err("403");
    assert!(matches!(err, ForgeError::Forbidden(_)), "{err:?}");
    assert_eq!(err.status(), Some(403));
}

#[tokio::test]
async fn a_server_that_is_down_is_unreachable() {
    let url = forge_server::closed_url().await;
    let github = client(&url, fake::TOKEN);

    let err = github
        .open_pull_request(&spec("studio/a/x"))
        .await
        .expect_err("down");

    let ForgeError::Unreachable {
        forge, url: target, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*forge, ForgeKind::GitHub);
    assert!(target.starts_with(&url), "{target}");
    assert!(
        err.to_string()
            .starts_with("GitHub: opening a pull request failed: no answer from"),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains(fake::TOKEN));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let fake = FakeGitHub::start("").await;
    fake.set_mode(Mode::Hang);
    let config = ForgeConfig::new(ForgeKind::GitHub, fake::OWNER, fake::REPO, fake::TOKEN)
        .with_api_url(&fake.api_url)
        .with_timeout(Duration::from_millis(300));
    let github = forge::build(config).expect("config");

    let err = github
        .open_pull_request(&spec("studio/a/x"))
        .await
        .expect_err("timeout");

    assert!(
        matches!(
            err,
            ForgeError::Timeout {
                forge: ForgeKind::GitHub,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "GitHub: opening a pull request timed out after 300ms"
    );
}

#[tokio::test]
async fn the_default_api_url_is_githubs() {
    // Built without contacting anything: only the config is checked.
    let config =
        ForgeConfig::from_remote_url("git@github.com:acme/dashboards.git", "tok").expect("config");
    assert_eq!(config.api_url, None);
    assert!(forge::build(config).is_ok());
    let empty = ForgeConfig::new(ForgeKind::GitHub, "acme", "dashboards", "  ");
    assert!(matches!(forge::build(empty), Err(ForgeError::Config(_))));
    let slash = ForgeConfig::new(ForgeKind::GitHub, "acme/x", "dashboards", "tok");
    assert!(matches!(forge::build(slash), Err(ForgeError::Config(_))));
}
