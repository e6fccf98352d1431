//! The Git layer over smart HTTP: our axum server runs the real
//! `git http-backend`, so clone, fetch and push speak the real protocol, hooks
//! run in origin, and a token server proves credentials flow (and stay secret).

#[path = "support/git.rs"]
mod support;
#[path = "support/git_http.rs"]
mod support_http;

use dashstudio_server::git::{Credentials, GitError, PushError, Source, Workspace};
use support::{assert_clean_worktree, assert_fsck_clean, clone, clone_with, edit, Upstream};
use support_http::GitHttpServer;

const TOKEN: &str = "s3cr3t-t0ken-value";
const WRONG: &str = "wr0ng-t0ken-value";

fn token(token: &str) -> Credentials {
    Credentials {
        token: Some(token.to_string()),
        ..Credentials::default()
    }
}

#[test]
fn clone_commit_push_fetch_over_smart_http() {
    let up = Upstream::new(&[("dashboards/a.yaml", "a: 1\n"), ("b.yaml", "b: 1\n")]);
    let server = GitHttpServer::start(up.dir.path(), None);
    let data = tempfile::tempdir().expect("tempdir");
    let dest = data.path().join("clone");

    let (ws, progress) = clone(&server.url("origin.git"), &dest);
    assert_eq!(ws.default_branch(), "main");
    assert_eq!(ws.head().expect("head").to_string(), up.rev("main"));
    let last = progress.last().expect("progress was reported");
    assert!(
        last.received_objects == last.total_objects && last.received_bytes > 0,
        "{last:?}"
    );

    let branch = "studio/ada/http";
    let commit = edit(&ws, branch, "dashboards/a.yaml", "a: 2\n");
    ws.push(branch, &Credentials::default()).expect("push");
    assert_eq!(up.rev(branch), commit.to_string());
    assert!(ws.pending_pushes().expect("pending").is_empty());

    let theirs = up.commit(
        &[("b.yaml", "b: 2\n"), ("c.yaml", "c: 1\n")],
        &[],
        "upstream",
    );
    let outcome = ws.fetch(&Credentials::default()).expect("fetch");
    assert_eq!(outcome.new.to_string(), theirs);
    assert_eq!(outcome.changed_paths, ["b.yaml", "c.yaml"]);
    assert_eq!(
        std::fs::read_to_string(dest.join("c.yaml")).expect("file"),
        "c: 1\n"
    );
    assert_eq!(ws.branch_tip(branch).expect("tip"), Some(commit));

    let onto_main = edit(&ws, "main", "d.yaml", "d: 1\n");
    ws.push("main", &Credentials::default()).expect("push main");
    assert_eq!(up.rev("main"), onto_main.to_string());
    assert_eq!(
        std::fs::read_to_string(dest.join("d.yaml")).expect("file"),
        "d: 1\n"
    );
    assert_clean_worktree(&dest);
    assert_fsck_clean(&dest);
}

#[test]
fn a_declining_pre_receive_hook_is_a_rejection() {
    let up = Upstream::new(&[("a.yaml", "a: 1\n")]);
    let server = GitHttpServer::start(up.dir.path(), None);
    let data = tempfile::tempdir().expect("tempdir");
    let (ws, _) = clone(&server.url("origin.git"), &data.path().join("clone"));
    let branch = "studio/ada/frozen";
    let commit = edit(&ws, branch, "a.yaml", "a: 2\n");

    up.decline_pushes(true);
    let err = ws
        .push(branch, &Credentials::default())
        .expect_err("hook declines");
    match &err {
        PushError::Rejected { reason, .. } => {
            assert!(reason.contains("pre-receive hook declined"), "{reason}")
        }
        other => panic!("expected Rejected, got {other:?}"),
    }
    assert!(!up.has_branch(branch));
    assert_eq!(ws.branch_tip(branch).expect("tip"), Some(commit));
    assert_eq!(ws.pending_pushes().expect("pending").len(), 1);

    up.decline_pushes(false);
    ws.push(branch, &Credentials::default()).expect("retry");
    assert_eq!(up.rev(branch), commit.to_string());
}

#[test]
fn a_stopped_server_is_unreachable_and_the_retry_succeeds() {
    let up = Upstream::new(&[("a.yaml", "a: 1\n")]);
    let mut server = GitHttpServer::start(up.dir.path(), None);
    let addr = server.addr.to_string();
    let data = tempfile::tempdir().expect("tempdir");
    let (ws, _) = clone(&server.url("origin.git"), &data.path().join("clone"));
    let branch = "studio/ada/down";
    let commit = edit(&ws, branch, "a.yaml", "a: 2\n");

    server.stop();
    let err = ws
        .push(branch, &Credentials::default())
        .expect_err("server is down");
    assert!(matches!(err, PushError::Unreachable { .. }), "{err:?}");
    let err = ws.fetch(&Credentials::default()).expect_err("fetch too");
    assert!(matches!(err, GitError::Unreachable { .. }), "{err:?}");
    assert_eq!(ws.branch_tip(branch).expect("tip"), Some(commit));

    let _server = GitHttpServer::start_on(&addr, up.dir.path(), None);
    ws.push(branch, &Credentials::default()).expect("retry");
    assert_eq!(up.rev(branch), commit.to_string());
}

#[test]
fn a_token_opens_the_door_and_never_shows() {
    let up = Upstream::new(&[("a.yaml", "a: 1\n")]);
    let server = GitHttpServer::start(up.dir.path(), Some(("x-access-token", TOKEN)));
    let url = server.url("origin.git");
    let data = tempfile::tempdir().expect("tempdir");
    let source = Source::parse(&url).expect("source");
    let no_secret = |text: &str| {
        assert!(
            !text.contains(TOKEN) && !text.contains(WRONG),
            "a credential leaked: {text}"
        );
    };

    for creds in [Credentials::default(), token(WRONG)] {
        let dest = data.path().join("refused");
        let err = Workspace::open_or_clone(&source, &dest, &creds, &mut |_| {})
            .err()
            .expect("clone without the right token");
        assert!(matches!(err, GitError::Auth { .. }), "{err:?}");
        no_secret(&format!("{err} {err:?} {creds:?}"));
        assert!(!dest.exists(), "a refused clone leaves nothing behind");
    }

    let dest = data.path().join("clone");
    let (ws, _) = clone_with(&url, &dest, &token(TOKEN));
    let branch = "studio/ada/secret";
    let commit = edit(&ws, branch, "a.yaml", "a: 2\n");

    let err = ws.push(branch, &token(WRONG)).expect_err("wrong token");
    assert!(matches!(err, PushError::Auth { .. }), "{err:?}");
    no_secret(&format!("{err} {err:?}"));
    let err = ws.fetch(&Credentials::default()).expect_err("no token");
    assert!(matches!(err, GitError::Auth { .. }), "{err:?}");
    assert_eq!(ws.pending_pushes().expect("pending").len(), 1);

    ws.push(branch, &token(TOKEN)).expect("push with the token");
    assert_eq!(up.rev(branch), commit.to_string());
    ws.fetch(&token(TOKEN)).expect("fetch with the token");

    // A token written into the URL works too, and is stored nowhere.
    let embedded = url.replace("http://", &format!("http://x-access-token:{TOKEN}@"));
    let dest = data.path().join("embedded");
    let (ws, _) = clone(&embedded, &dest);
    no_secret(&ws.remote());
    no_secret(&std::fs::read_to_string(dest.join(".git/config")).expect("config"));
    no_secret(&format!("{:?}", Source::parse(&embedded).expect("source")));
    ws.fetch(&Credentials::default())
        .expect("fetch with the URL's token");
    let other = Source::parse(&server.url("other.git")).expect("source");
    let err = Workspace::open_or_clone(&other, &dest, &Credentials::default(), &mut |_| {})
        .err()
        .expect("origin mismatch");
    no_secret(&format!("{err} {err:?}"));
}
