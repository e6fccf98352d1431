//! Pushing over `file://`: new branches land on origin, a non-fast-forward is
//! `Rejected`, a missing origin is `Unreachable`; nothing local is lost and
//! the retry succeeds once the cause is gone.

#[path = "support/git.rs"]
mod support;

use dashstudio_server::git::{Credentials, PushError};
use support::{assert_clean_worktree, assert_fsck_clean, clone, edit, git, Upstream};

#[test]
fn push_lands_the_branch_on_origin_and_clears_pending() {
    let up = Upstream::new(&[("a.yaml", "a: 1\n")]);
    let data = tempfile::tempdir().expect("tempdir");
    let dest = data.path().join("clone");
    let (ws, _) = clone(&up.file_url(), &dest);
    assert!(ws.pending_pushes().expect("pending").is_empty());

    let branch = "studio/ada/cpu";
    let commit = edit(&ws, branch, "a.yaml", "a: 2\n");
    let pending = ws.pending_pushes().expect("pending");
    assert_eq!(
        pending
            .iter()
            .map(|p| (p.branch.as_str(), p.commit))
            .collect::<Vec<_>>(),
        [(branch, commit)]
    );

    ws.push(branch, &Credentials::default()).expect("push");
    assert_eq!(up.rev(branch), commit.to_string());
    assert!(ws.pending_pushes().expect("pending").is_empty());
    assert_eq!(
        up.rev("main"),
        ws.head().expect("head").to_string(),
        "main is untouched"
    );

    // Appending and pushing again is a fast-forward.
    let next = edit(&ws, branch, "b.yaml", "b: 1\n");
    assert_eq!(ws.pending_pushes().expect("pending").len(), 1);
    ws.push(branch, &Credentials::default())
        .expect("second push");
    assert_eq!(up.rev(branch), next.to_string());

    // Once merged upstream and deleted there, the branch is no longer pending.
    git(
        &up.bare(),
        &["update-ref", "refs/heads/main", &next.to_string()],
    );
    git(
        &up.bare(),
        &["update-ref", "-d", &format!("refs/heads/{branch}")],
    );
    ws.fetch(&Credentials::default()).expect("fetch");
    assert!(ws.pending_pushes().expect("pending").is_empty());

    let err = ws
        .push("studio/ada/none", &Credentials::default())
        .expect_err("no such branch");
    assert!(matches!(err, PushError::Local(_)), "{err}");
}

#[test]
fn non_fast_forward_is_rejected_and_the_commit_stays() {
    let up = Upstream::new(&[("a.yaml", "a: 1\n")]);
    let data = tempfile::tempdir().expect("tempdir");
    let dest = data.path().join("clone");
    let (ws, _) = clone(&up.file_url(), &dest);
    let base = ws.head().expect("head");

    let mine = edit(&ws, "main", "a.yaml", "a: mine\n");
    let theirs = up.commit(&[("b.yaml", "b: theirs\n")], &[], "someone else was first");

    let err = ws
        .push("main", &Credentials::default())
        .expect_err("origin moved on");
    match &err {
        PushError::Rejected { branch, reason, .. } => {
            assert_eq!(branch, "main");
            assert!(reason.contains("fast-forward"), "{reason}");
        }
        other => panic!("expected Rejected, got {other:?}"),
    }
    assert_eq!(up.rev("main"), theirs);
    assert_eq!(ws.pending_pushes().expect("pending")[0].commit, mine);
    assert_eq!(
        ws.head().expect("head"),
        base,
        "the working tree stays on origin's content"
    );
    assert_clean_worktree(&dest);

    // The same on a studio branch that someone else advanced on origin.
    let branch = "studio/ada/x";
    let first = edit(&ws, branch, "c.yaml", "c: 1\n");
    ws.push(branch, &Credentials::default()).expect("push");
    git(&up.someone(), &["fetch", "-q", "origin"]);
    git(
        &up.someone(),
        &["checkout", "-q", "-B", "other", &format!("origin/{branch}")],
    );
    std::fs::write(up.someone().join("c.yaml"), "c: theirs\n").expect("write");
    git(&up.someone(), &["commit", "-q", "-am", "theirs"]);
    git(
        &up.someone(),
        &["push", "-q", "origin", &format!("HEAD:{branch}")],
    );
    let second = edit(&ws, branch, "c.yaml", "c: 2\n");
    let err = ws
        .push(branch, &Credentials::default())
        .expect_err("branch moved on");
    assert!(matches!(err, PushError::Rejected { .. }), "{err:?}");
    assert_eq!(ws.branch_tip(branch).expect("tip"), Some(second));

    // The cause goes away (origin rewound): the retries succeed.
    git(
        &up.bare(),
        &[
            "update-ref",
            &format!("refs/heads/{branch}"),
            &first.to_string(),
        ],
    );
    ws.push(branch, &Credentials::default())
        .expect("retry studio branch");
    assert_eq!(up.rev(branch), second.to_string());
    git(
        &up.bare(),
        &["update-ref", "refs/heads/main", &base.to_string()],
    );
    ws.push("main", &Credentials::default())
        .expect("retry main");
    assert_eq!(up.rev("main"), mine.to_string());
    assert_eq!(ws.head().expect("head"), mine);
    assert!(ws.pending_pushes().expect("pending").is_empty());
    assert_clean_worktree(&dest);
    assert_fsck_clean(&dest);
}

#[test]
fn a_missing_origin_is_unreachable_and_the_retry_succeeds() {
    let up = Upstream::new(&[("a.yaml", "a: 1\n")]);
    let data = tempfile::tempdir().expect("tempdir");
    let dest = data.path().join("clone");
    let (ws, _) = clone(&up.file_url(), &dest);
    let branch = "studio/ada/offline";
    let commit = edit(&ws, branch, "a.yaml", "a: 2\n");

    let away = up.dir.path().join("moved-away.git");
    std::fs::rename(up.bare(), &away).expect("take origin away");
    let err = ws
        .push(branch, &Credentials::default())
        .expect_err("origin is gone");
    assert!(matches!(err, PushError::Unreachable { .. }), "{err:?}");
    let err = ws.fetch(&Credentials::default()).expect_err("fetch too");
    assert!(
        matches!(err, dashstudio_server::git::GitError::Unreachable { .. }),
        "{err:?}"
    );
    assert_eq!(ws.branch_tip(branch).expect("tip"), Some(commit));
    assert_eq!(ws.pending_pushes().expect("pending").len(), 1);

    std::fs::rename(&away, up.bare()).expect("bring origin back");
    ws.push(branch, &Credentials::default()).expect("retry");
    assert_eq!(up.rev(branch), commit.to_string());
    assert!(ws.pending_pushes().expect("pending").is_empty());
}
