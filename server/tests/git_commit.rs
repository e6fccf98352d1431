//! Commits built in memory over `file://`: the new tree is exactly base plus
//! changes (checked with `git ls-tree`/`git show`), the working tree and index
//! stay as they were, and bad requests get clear errors.

#[path = "support/git.rs"]
mod support;

use dashstudio_server::git::{Credentials, GitError, ObjectId};
use support::{
    assert_clean_worktree, assert_fsck_clean, clone, delete, git, request, write, Upstream, A,
};

#[test]
fn commit_is_base_plus_changes_and_leaves_the_working_tree_alone() {
    let up = Upstream::new(&[
        ("dashboards/a.yaml", A),
        ("dashboards/old.yaml", "old: true\n"),
        ("kustomization.yaml", "resources: []\n"),
    ]);
    let data = tempfile::tempdir().expect("tempdir");
    let dest = data.path().join("clone");
    let (ws, _) = clone(&up.file_url(), &dest);
    let base = ws.head().expect("head");
    let index_before = std::fs::read(dest.join(".git/index")).expect("index");

    let branch = "studio/ada/cpu-panel";
    let first = ws
        .commit(request(
            base,
            branch,
            vec![
                write("dashboards/a.yaml", "changed: 1\n"),
                write("dashboards/team/new.yaml", "new: 1\n"),
                delete("dashboards/old.yaml"),
            ],
        ))
        .expect("commit");
    assert_eq!(first.branch, branch);
    let c = first.commit.to_string();
    let files = git(&dest, &["ls-tree", "-r", "--name-only", &c]);
    assert_eq!(
        files.lines().collect::<Vec<_>>(),
        [
            "dashboards/a.yaml",
            "dashboards/team/new.yaml",
            "kustomization.yaml"
        ]
    );
    assert_eq!(
        git(&dest, &["show", &format!("{c}:dashboards/a.yaml")]),
        "changed: 1\n"
    );
    assert_eq!(
        git(&dest, &["show", &format!("{c}:kustomization.yaml")]),
        "resources: []\n"
    );
    assert_eq!(
        git(&dest, &["rev-parse", &format!("{c}^")]).trim(),
        base.to_string()
    );
    assert_eq!(
        git(&dest, &["log", "-1", "--format=%an <%ae>|%s", &c]).trim(),
        "Ada Lovelace <ada@example.com>|Edit dashboards"
    );
    assert_eq!(git(&dest, &["rev-parse", branch]).trim(), c);

    // Nothing outside the object store and the branch ref moved.
    assert_eq!(ws.head().expect("head"), base);
    assert_eq!(
        git(&dest, &["symbolic-ref", "HEAD"]).trim(),
        "refs/heads/main"
    );
    assert_eq!(
        std::fs::read(dest.join(".git/index")).expect("index"),
        index_before
    );
    assert_eq!(
        std::fs::read_to_string(dest.join("dashboards/a.yaml")).expect("file"),
        A
    );
    assert!(dest.join("dashboards/old.yaml").exists());
    assert_clean_worktree(&dest);

    // A second commit onto the branch appends to it, even from the old base.
    let second = ws
        .commit(request(
            base,
            branch,
            vec![write("kustomization.yaml", "resources: [a]\n")],
        ))
        .expect("second commit");
    let s = second.commit.to_string();
    assert_eq!(git(&dest, &["rev-parse", &format!("{s}^")]).trim(), c);
    assert_eq!(
        git(&dest, &["show", &format!("{s}:dashboards/a.yaml")]),
        "changed: 1\n"
    );
    assert_eq!(
        git(&dest, &["diff", "--name-only", &c, &s]).trim(),
        "kustomization.yaml"
    );

    // Deleting a whole directory's only file removes the directory.
    let third = ws
        .commit(request(
            base,
            branch,
            vec![delete("dashboards/team/new.yaml")],
        ))
        .expect("third commit");
    let tree = git(
        &dest,
        &[
            "ls-tree",
            "-r",
            "-t",
            "--name-only",
            &third.commit.to_string(),
        ],
    );
    assert!(!tree.contains("dashboards/team"), "{tree}");
    assert_fsck_clean(&dest);
    assert_clean_worktree(&dest);
}

#[test]
fn commit_refuses_unsafe_paths_empty_changes_and_foreign_branches() {
    let up = Upstream::new(&[("a.yaml", A), ("dir/b.yaml", "b: 1\n")]);
    let data = tempfile::tempdir().expect("tempdir");
    let (ws, _) = clone(&up.file_url(), &data.path().join("clone"));
    let base = ws.head().expect("head");
    let branch = "studio/ada/x";

    for path in [
        "../escape.yaml",
        "/etc/passwd",
        ".git/config",
        "dir/../../x",
        "a//b",
        "",
    ] {
        let err = ws
            .commit(request(base, branch, vec![write(path, "x: 1\n")]))
            .expect_err("unsafe path");
        assert!(matches!(err, GitError::UnsafePath { .. }), "{path}: {err}");
    }
    for changes in [
        vec![write("a.yaml", A)],
        vec![delete("missing.yaml")],
        vec![],
    ] {
        let err = ws
            .commit(request(base, branch, changes))
            .expect_err("empty change");
        assert!(matches!(err, GitError::EmptyChange { .. }), "{err}");
        assert!(err.to_string().contains("studio/ada/x"), "{err}");
    }
    let err = ws
        .commit(request(base, "feature/x", vec![write("a.yaml", "x: 1\n")]))
        .expect_err("foreign branch");
    assert!(matches!(err, GitError::InvalidBranch { .. }), "{err}");
    let err = ws
        .commit(request(base, branch, vec![write("a.yaml/inner", "x: 1\n")]))
        .expect_err("file in the way");
    assert!(matches!(err, GitError::PathConflict { .. }), "{err}");
    let err = ws
        .commit(request(base, branch, vec![write("dir", "x: 1\n")]))
        .expect_err("directory in the way");
    assert!(matches!(err, GitError::PathConflict { .. }), "{err}");
    let err = ws
        .commit(request(
            base,
            branch,
            vec![write("a.yaml", "1"), write("a.yaml", "2")],
        ))
        .expect_err("duplicate");
    assert!(matches!(err, GitError::DuplicatePath { .. }), "{err}");
    let unknown: ObjectId = "0123456789abcdef0123456789abcdef01234567"
        .parse()
        .expect("id");
    let err = ws
        .commit(request(unknown, branch, vec![write("a.yaml", "1")]))
        .expect_err("unknown base");
    assert!(matches!(err, GitError::UnknownRevision { .. }), "{err}");
    assert_eq!(
        ws.branch_tip(branch).expect("tip"),
        None,
        "no failed commit left a branch"
    );
}

#[test]
fn a_commit_onto_the_default_branch_waits_for_its_push() {
    let up = Upstream::new(&[("a.yaml", "a: 1\n")]);
    let data = tempfile::tempdir().expect("tempdir");
    let dest = data.path().join("clone");
    let (ws, _) = clone(&up.file_url(), &dest);
    let base = ws.head().expect("head");

    let done = ws
        .commit(request(base, "main", vec![write("a.yaml", "a: 2\n")]))
        .expect("commit onto main");
    assert_eq!(done.branch, "main");
    assert_eq!(ws.head().expect("head"), base, "main waits for the push");
    assert_eq!(
        std::fs::read_to_string(dest.join("a.yaml")).expect("file"),
        "a: 1\n"
    );
    assert_clean_worktree(&dest);
    let pending = ws.pending_pushes().expect("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].branch.as_str(), pending[0].commit),
        ("main", done.commit)
    );

    // A second edit before the push stacks on the first.
    let next = ws
        .commit(request(base, "main", vec![write("b.yaml", "b: 1\n")]))
        .expect("second commit onto main");
    assert_eq!(
        git(&dest, &["rev-parse", &format!("{}^", next.commit)]).trim(),
        done.commit.to_string()
    );

    ws.push("main", &Credentials::default()).expect("push");
    assert_eq!(up.rev("main"), next.commit.to_string());
    assert_eq!(ws.head().expect("head"), next.commit);
    assert_eq!(
        std::fs::read_to_string(dest.join("a.yaml")).expect("file"),
        "a: 2\n"
    );
    assert_eq!(
        std::fs::read_to_string(dest.join("b.yaml")).expect("file"),
        "b: 1\n"
    );
    assert_clean_worktree(&dest);
    assert!(ws.pending_pushes().expect("pending").is_empty());
    assert_fsck_clean(&dest);
}
