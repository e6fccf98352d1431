//! Crash safety: a process killed (SIGKILL) between commit and push leaves a
//! clone that `git fsck --full` accepts, with the commit on its branch, listed
//! by `pending_pushes` and pushed by the next process.
//!
//! The test re-runs its own binary as the child, selected by an env var.

#[path = "support/git.rs"]
mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use dashstudio_server::git::{CommitRequest, Credentials, FileChange, Source, Workspace};
use support::{assert_clean_worktree, assert_fsck_clean, git, Upstream};

const CHILD: &str = "DASHSTUDIO_GIT_CRASH_CHILD";

/// The child's side: open the clone, commit, say so, then wait to be killed.
/// Without the env var (a normal test run) it does nothing.
#[test]
fn crash_child() {
    let Ok(spec) = std::env::var(CHILD) else {
        return;
    };
    let (url, dest, branch) = {
        let mut parts = spec.split('\n');
        let mut next = || parts.next().expect("child spec").to_string();
        (next(), next(), next())
    };
    let source = Source::parse(&url).expect("source");
    let ws = Workspace::open_or_clone(
        &source,
        Path::new(&dest),
        &Credentials::default(),
        &mut |_| {},
    )
    .expect("open");
    let outcome = ws
        .commit(CommitRequest {
            base: ws.head().expect("head"),
            branch,
            changes: vec![FileChange {
                path: "dashboards/a.yaml".to_string(),
                content: Some(b"edited: just before the crash\n".to_vec()),
            }],
            author: ("Ada".to_string(), "ada@example.com".to_string()),
            message: "edit before a crash".to_string(),
        })
        .expect("commit");
    // Straight to fd 1: the test harness may capture `println!`.
    let mut out = std::io::stdout().lock();
    writeln!(out, "COMMITTED {}", outcome.commit).expect("report to the parent");
    out.flush().expect("flush");
    loop {
        std::thread::park();
    }
}

fn run_child(url: &str, dest: &Path, branch: &str) -> String {
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env(CHILD, format!("{url}\n{}\n{branch}", dest.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn child");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let commit = lines
        .by_ref()
        .map_while(Result::ok)
        // The harness may have printed `test crash_child ... ` on the same line.
        .find_map(|line| {
            line.split_once("COMMITTED ")
                .map(|(_, id)| id.trim().to_string())
        })
        .expect("the child reports its commit");
    child.kill().expect("SIGKILL the child");
    let status = child.wait().expect("reap child");
    assert!(!status.success(), "the child was killed, not finished");
    commit
}

#[test]
fn a_commit_survives_a_kill_before_push() {
    let up = Upstream::new(&[("dashboards/a.yaml", "a: 1\n")]);
    let data = tempfile::tempdir().expect("tempdir");
    let dest = data.path().join("clone");
    let url = up.file_url();
    {
        let source = Source::parse(&url).expect("source");
        Workspace::open_or_clone(&source, &dest, &Credentials::default(), &mut |_| {})
            .expect("clone");
    }

    for branch in ["studio/ada/crash", "main"] {
        let commit = run_child(&url, &dest, branch);
        assert_fsck_clean(&dest);
        assert_clean_worktree(&dest);

        // Lock files a process killed mid-update would leave behind.
        std::fs::write(dest.join(".git/index.lock"), "").expect("stale lock");
        std::fs::write(dest.join(".git/refs/heads/main.lock"), "").expect("stale lock");
        let source = Source::parse(&url).expect("source");
        let ws = Workspace::open_or_clone(&source, &dest, &Credentials::default(), &mut |_| {})
            .expect("reopen");
        assert!(!dest.join(".git/index.lock").exists());
        assert!(!dest.join(".git/refs/heads/main.lock").exists());
        let pending = ws.pending_pushes().expect("pending");
        assert!(
            pending
                .iter()
                .any(|p| p.branch == branch && p.commit.to_string() == commit),
            "{branch} is pending after the crash: {pending:?}"
        );
        ws.push(branch, &Credentials::default())
            .expect("push after restart");
        assert_eq!(up.rev(branch), commit);
        assert_eq!(
            git(
                &up.bare(),
                &["show", &format!("{commit}:dashboards/a.yaml")]
            ),
            "edited: just before the crash\n"
        );
        assert!(ws.pending_pushes().expect("pending").is_empty());
        assert_fsck_clean(&dest);
        assert_clean_worktree(&dest);
    }
}
