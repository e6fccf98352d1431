//! Test upstreams for the Git layer: a bare repository in a tempdir as
//! `origin`, a second clone that plays "someone else", and the system `git`
//! as an independent witness of what the studio wrote.

#![allow(dead_code)] // each test binary uses a different part of this file

use std::path::{Path, PathBuf};
use std::process::Command;

use dashstudio_server::git::{
    CommitRequest, Credentials, FileChange, ObjectId, Progress, Source, Workspace,
};

/// Run the system `git` in `dir`, isolated from the machine's configuration;
/// panics with its stderr when it fails.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_command(dir, args).output().expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} in {} failed: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 from git")
}

/// The system `git` with an isolated environment, not yet run.
pub fn git_command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Someone Else")
        .env("GIT_AUTHOR_EMAIL", "else@example.com")
        .env("GIT_COMMITTER_NAME", "Someone Else")
        .env("GIT_COMMITTER_EMAIL", "else@example.com")
        .env("GIT_TERMINAL_PROMPT", "0");
    cmd
}

/// `origin` (a bare repository) and a clone of it that commits as someone else.
pub struct Upstream {
    pub dir: tempfile::TempDir,
}

impl Upstream {
    /// A bare `origin.git` on `main` whose first commit holds `files`.
    pub fn new(files: &[(&str, &str)]) -> Upstream {
        let dir = tempfile::tempdir().expect("tempdir");
        git(
            dir.path(),
            &["init", "-q", "--bare", "-b", "main", "origin.git"],
        );
        git(dir.path(), &["clone", "-q", "origin.git", "someone"]);
        let up = Upstream { dir };
        up.commit(files, &[], "initial dashboards");
        up
    }

    pub fn bare(&self) -> PathBuf {
        self.dir.path().join("origin.git")
    }

    pub fn someone(&self) -> PathBuf {
        self.dir.path().join("someone")
    }

    pub fn file_url(&self) -> String {
        format!("file://{}", self.bare().display())
    }

    /// Someone else commits `write` and `delete` on `main` and pushes; returns the commit.
    pub fn commit(&self, write: &[(&str, &str)], delete: &[&str], message: &str) -> String {
        let work = self.someone();
        git(&work, &["checkout", "-q", "-B", "main"]);
        git(&work, &["fetch", "-q", "origin"]);
        let upstream = git_command(&work, &["rev-parse", "--verify", "-q", "origin/main"])
            .output()
            .expect("git");
        if upstream.status.success() {
            git(&work, &["reset", "-q", "--hard", "origin/main"]);
        }
        for (path, content) in write {
            let file = work.join(path);
            std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
            std::fs::write(file, content).expect("write");
        }
        for path in delete {
            git(&work, &["rm", "-q", path]);
        }
        git(&work, &["add", "-A"]);
        git(&work, &["commit", "-q", "-m", message]);
        git(&work, &["push", "-q", "origin", "HEAD:main"]);
        self.rev("main")
    }

    /// What `origin` has at `rev`, according to the system git.
    pub fn rev(&self, rev: &str) -> String {
        git(&self.bare(), &["rev-parse", rev]).trim().to_string()
    }

    /// Whether `origin` has branch `name`.
    pub fn has_branch(&self, name: &str) -> bool {
        git_command(
            &self.bare(),
            &["rev-parse", "--verify", "-q", &format!("refs/heads/{name}")],
        )
        .output()
        .expect("run git")
        .status
        .success()
    }

    /// Install a `pre-receive` hook in origin that declines every push.
    pub fn decline_pushes(&self, declined: bool) {
        let hook = self.bare().join("hooks").join("pre-receive");
        if declined {
            std::fs::write(
                &hook,
                "#!/bin/sh\necho 'dashboards are frozen' >&2\nexit 1\n",
            )
            .expect("hook");
            set_executable(&hook);
        } else if hook.exists() {
            std::fs::remove_file(&hook).expect("remove hook");
        }
    }
}

fn set_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut perms = std::fs::metadata(path).expect("metadata").permissions();
    perms.set_mode(0o755);
    std::fs::set_permissions(path, perms).expect("chmod");
}

/// Clone `url` into `dest` with no credentials, collecting progress reports.
pub fn clone(url: &str, dest: &Path) -> (Workspace, Vec<Progress>) {
    clone_with(url, dest, &Credentials::default())
}

pub fn clone_with(url: &str, dest: &Path, creds: &Credentials) -> (Workspace, Vec<Progress>) {
    let source = Source::parse(url).expect("source");
    let mut seen = Vec::new();
    let ws = Workspace::open_or_clone(&source, dest, creds, &mut |p| seen.push(p)).expect("clone");
    (ws, seen)
}

/// `git fsck --full` passes and reports nothing broken (dangling objects are fine).
pub fn assert_fsck_clean(repo: &Path) {
    let out = git_command(repo, &["fsck", "--full", "--no-progress"])
        .output()
        .expect("run fsck");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "git fsck failed in {}:\n{report}",
        repo.display()
    );
    for line in report.lines() {
        assert!(
            line.starts_with("dangling ") || line.starts_with("notice:") || line.trim().is_empty(),
            "git fsck reported: {line}"
        );
    }
}

/// `git status --porcelain` is empty: working tree and index equal HEAD.
pub fn assert_clean_worktree(repo: &Path) {
    let status = git(repo, &["status", "--porcelain", "--untracked-files=all"]);
    assert!(
        status.is_empty(),
        "the clone's working tree changed:\n{status}"
    );
}

pub const A: &str =
    "apiVersion: grafana.integreatly.org/v1beta1\nkind: GrafanaDashboard\nmetadata:\n  name: a\n";

pub fn write(path: &str, content: &str) -> FileChange {
    FileChange {
        path: path.to_string(),
        content: Some(content.as_bytes().to_vec()),
    }
}

pub fn delete(path: &str) -> FileChange {
    FileChange {
        path: path.to_string(),
        content: None,
    }
}

pub fn request(base: ObjectId, branch: &str, changes: Vec<FileChange>) -> CommitRequest {
    CommitRequest {
        base,
        branch: branch.to_string(),
        changes,
        author: ("Ada Lovelace".to_string(), "ada@example.com".to_string()),
        message: "Edit dashboards\n\nMade in Dashboard Studio.".to_string(),
    }
}

pub fn id(text: &str) -> ObjectId {
    text.trim().parse().expect("object id")
}

/// Commit one file onto `branch` from the clone's head, as Ada.
pub fn edit(ws: &Workspace, branch: &str, path: &str, content: &str) -> ObjectId {
    let request = CommitRequest {
        base: ws.head().expect("head"),
        branch: branch.to_string(),
        changes: vec![FileChange {
            path: path.to_string(),
            content: Some(content.as_bytes().to_vec()),
        }],
        author: ("Ada".to_string(), "ada@example.com".to_string()),
        message: format!("edit {path}"),
    };
    ws.commit(request).expect("commit").commit
}
