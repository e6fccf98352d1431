//! The Gitea/Forgejo client against a fake Gitea API on a real port that
//! checks each request as Gitea's swagger documents it: creating, the retry
//! after 409 that finds the open pull request across pages, and failures.

#[path = "support/forge_gitea.rs"]
mod fake;
#[path = "support/forge_server.rs"]
mod forge_server;

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use dashstudio_server::forge::{
    self, Forge, ForgeConfig, ForgeError, ForgeKind, ForgeSettings, PullRequest, PullRequestSpec,
};
use fake::FakeGitea;
use forge_server::Mode;

fn client(api_url: &str, token: &str) -> Arc<dyn Forge> {
    let config = ForgeConfig::new(ForgeKind::Gitea, fake::OWNER, fake::REPO, token)
        .with_api_url(api_url)
        .with_timeout(Duration::from_secs(5));
    forge::build(config).expect("config is valid")
}

fn spec(head: &str) -> PullRequestSpec {
    PullRequestSpec {
        title: "Dashboards: node exporter".into(),
        body: "Opened by Dashboard Studio.\n\n| Dashboard |\n| --- |\n| Node \\| CPU |\n".into(),
        head: head.into(),
        base: "main".into(),
    }
}

fn assert_clean(fake: &FakeGitea) {
    assert_eq!(
        fake.log.violations(),
        Vec::<String>::new(),
        "requests broke Gitea's API"
    );
}

#[tokio::test]
async fn opens_a_pull_request_with_the_documented_request() {
    let fake = FakeGitea::start().await;
    let gitea = client(&fake.api_url, fake::TOKEN);

    let pr = gitea
        .open_pull_request(&spec("studio/alice/node"))
        .await
        .expect("opened");

    assert_eq!(
        pr,
        PullRequest {
            url: fake::html_url(1),
            number: 1
        }
    );
    let stored = &fake.pulls()[0];
    assert_eq!(
        (stored.head.as_str(), stored.base.as_str()),
        ("studio/alice/node", "main")
    );
    assert_eq!(stored.title, "Dashboards: node exporter");
    assert_eq!(stored.body, spec("x").body);
    assert_eq!(
        fake.log.requests(),
        ["POST /api/v1/repos/acme/dashboards/pulls"]
    );
    assert_clean(&fake);
}

#[tokio::test]
async fn settings_and_the_remote_url_make_a_working_client() {
    let fake = FakeGitea::start().await;
    let settings = ForgeSettings {
        kind: Some("forgejo".parse().expect("kind")),
        api_url: Some(format!("{}/", fake.api_url)),
        token: Some(fake::TOKEN.into()),
        ..ForgeSettings::default()
    };
    let config = settings
        .resolve(Some("ssh://git@gitea.example:2222/acme/dashboards.git"))
        .expect("config");
    let gitea = forge::build(config).expect("client");

    assert_eq!(gitea.kind(), ForgeKind::Gitea);
    assert_eq!(
        gitea
            .open_pull_request(&spec("studio/a/x"))
            .await
            .expect("opened")
            .number,
        1
    );
    assert_clean(&fake);
}

#[tokio::test]
async fn a_conflict_returns_the_open_pull_request_from_a_later_page() {
    let fake = FakeGitea::start().await;
    let gitea = client(&fake.api_url, fake::TOKEN);
    fake.seed("studio/alice/node", "main", false);
    let wanted = gitea
        .open_pull_request(&spec("studio/alice/node"))
        .await
        .expect("opened")
        .number;
    fake.seed_fork("studio/alice/node", "main");
    for i in 0..fake::MAX_PAGE + 10 {
        fake.seed(&format!("studio/bot/{i}"), "main", true);
    }

    let again = gitea
        .open_pull_request(&spec("studio/alice/node"))
        .await
        .expect("found");

    assert_eq!(
        again,
        PullRequest {
            url: fake::html_url(wanted),
            number: wanted
        }
    );
    assert_eq!(
        fake.pulls().len(),
        fake::MAX_PAGE + 13,
        "no second pull request"
    );
    let requests = fake.log.requests();
    assert_eq!(
        &requests[1..],
        [
            "POST /api/v1/repos/acme/dashboards/pulls",
            "GET /api/v1/repos/acme/dashboards/pulls?state=open&base_branch=main&page=1&limit=50",
            "GET /api/v1/repos/acme/dashboards/pulls?state=open&base_branch=main&page=2&limit=50",
        ]
    );
    assert_clean(&fake);
}

#[tokio::test]
async fn finds_nothing_when_only_closed_or_fork_pull_requests_match() {
    let fake = FakeGitea::start().await;
    fake.seed("studio/a/x", "main", false);
    fake.seed_fork("studio/a/x", "main");
    let gitea = client(&fake.api_url, fake::TOKEN);

    assert_eq!(
        gitea
            .find_open_pull_request("studio/a/x", "main")
            .await
            .expect("lookup"),
        None
    );
    assert_eq!(
        fake.log.requests().len(),
        1,
        "X-Total-Count ends the walk after one page"
    );
    assert_clean(&fake);
}

#[tokio::test]
async fn head_equal_to_base_is_rejected_with_giteas_message() {
    let fake = FakeGitea::start().await;
    let gitea = client(&fake.api_url, fake::TOKEN);

    let err = gitea
        .open_pull_request(&spec("main"))
        .await
        .expect_err("422");

    let ForgeError::Rejected(failure) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(failure.status, 422);
    assert!(
        failure
            .message
            .contains("There are no changes between the head and the base"),
        "{err}"
    );
    assert_clean(&fake);
}

#[tokio::test]
async fn a_bad_token_is_unauthorized_and_never_shown() {
    let fake = FakeGitea::start().await;
    let secret = "feedfacefeedfacefeedfacefeedfacefeedface";
    let gitea = client(&fake.api_url, secret);

    let err = gitea
        .open_pull_request(&spec("studio/a/x"))
        .await
        .expect_err("401");

    assert!(matches!(err, ForgeError::Unauthorized(_)), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("Gitea: opening a pull request failed with HTTP 401"),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains(secret));
    assert_clean(&fake);
}

#[tokio::test]
async fn server_errors_are_named() {
    let fake = FakeGitea::start().await;
    fake.set_mode(Mode::Fail(StatusCode::BAD_GATEWAY));
    let gitea = client(&fake.api_url, fake::TOKEN);

    let err = gitea
        .find_open_pull_request("studio/a/x", "main")
        .await
        .expect_err("502");

    assert!(matches!(err, ForgeError::ServerError(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "Gitea: looking up open pull requests failed with HTTP 502: internal error"
    );
}

#[tokio::test]
async fn a_server_that_is_down_is_unreachable() {
    let gitea = client(
        &format!("{}/api/v1", forge_server::closed_url().await),
        fake::TOKEN,
    );

    let err = gitea
        .open_pull_request(&spec("studio/a/x"))
        .await
        .expect_err("down");

    assert!(
        matches!(
            err,
            ForgeError::Unreachable {
                forge: ForgeKind::Gitea,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains(fake::TOKEN));
}

#[tokio::test]
async fn gitea_needs_its_api_url() {
    let config = ForgeConfig::new(ForgeKind::Gitea, "acme", "dashboards", "tok");
    let Err(err) = forge::build(config) else {
        panic!("built without an API URL")
    };
    assert!(err.to_string().contains("Gitea needs its API URL"), "{err}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let fake = FakeGitea::start().await;
    fake.set_mode(Mode::Hang);
    let config = ForgeConfig::new(ForgeKind::Gitea, fake::OWNER, fake::REPO, fake::TOKEN)
        .with_api_url(&fake.api_url)
        .with_timeout(Duration::from_millis(300));
    let gitea = forge::build(config).expect("config");

    let err = gitea
        .find_open_pull_request("studio/a/x", "main")
        .await
        .expect_err("timeout");

    assert_eq!(
        err.to_string(),
        "Gitea: looking up open pull requests timed out after 300ms"
    );
}
