//! The Git layer against a bare `origin` reached through `file://` and a local
//! path: clone, re-open, read, fetch. The system `git` checks the results.

#[path = "support/git.rs"]
mod support;

use dashstudio_server::git::{Credentials, GitError, Source, Workspace};
use support::{
    assert_clean_worktree, assert_fsck_clean, clone, git, id, request, write, Upstream, A,
};

#[test]
fn clones_a_local_path_and_reopens_it() {
    let up = Upstream::new(&[
        ("dashboards/a.yaml", A),
        ("kustomization.yaml", "resources: []\n"),
    ]);
    let data = tempfile::tempdir().expect("tempdir");
    let dest = data.path().join("repos").join("dash");
    let source = up.someone().display().to_string();

    let (ws, progress) = clone(&source, &dest);
    assert_eq!(ws.dir(), dest.as_path());
    assert_eq!(ws.default_branch(), "main");
    assert_eq!(ws.head().expect("head"), id(&up.rev("main")));
    assert_eq!(
        std::fs::read_to_string(dest.join("dashboards/a.yaml")).expect("file"),
        A
    );
    let origin = git(&dest, &["remote", "get-url", "origin"]);
    let canonical = up.someone().canonicalize().expect("canonical");
    assert_eq!(origin.trim(), format!("file://{}", canonical.display()));
    let last = progress.last().expect("progress was reported");
    assert!(
        last.total_objects > 0 && last.received_objects == last.total_objects,
        "{last:?}"
    );
    assert!(!data.path().join("repos/.dash.cloning").exists());
    drop(ws);

    let (again, progress) = clone(&source, &dest);
    assert!(progress.is_empty(), "re-opening must not clone again");
    assert_eq!(again.head().expect("head"), id(&up.rev("main")));

    let other = Source::parse(&up.file_url()).expect("source");
    let err = Workspace::open_or_clone(&other, &dest, &Credentials::default(), &mut |_| {})
        .err()
        .expect("a different origin is refused");
    assert!(matches!(err, GitError::OriginMismatch { .. }), "{err}");

    let occupied = data.path().join("occupied");
    std::fs::create_dir_all(&occupied).expect("mkdir");
    std::fs::write(occupied.join("notes.txt"), "mine").expect("write");
    let err = Workspace::open_or_clone(&other, &occupied, &Credentials::default(), &mut |_| {})
        .err()
        .expect("a non-empty directory is refused");
    assert!(matches!(err, GitError::DestinationNotEmpty { .. }), "{err}");
}

#[test]
fn reads_files_blob_ids_and_history() {
    let up = Upstream::new(&[("a.yaml", "v: 1\n"), ("b.yaml", "b: 1\n")]);
    let second = up.commit(&[("a.yaml", "v: 2\n")], &[], "a: second version");
    up.commit(&[("b.yaml", "b: 2\n")], &[], "b only");
    let third = up.commit(&[("a.yaml", "v: 3\n")], &[], "a: third version");
    let data = tempfile::tempdir().expect("tempdir");
    let dest = data.path().join("clone");
    let (ws, _) = clone(&up.file_url(), &dest);

    let (bytes, blob) = ws
        .read_file("main", "a.yaml")
        .expect("read")
        .expect("present");
    assert_eq!(bytes, b"v: 3\n");
    assert_eq!(blob, id(&git(&dest, &["rev-parse", "main:a.yaml"])));
    assert_eq!(
        ws.read_file(&second, "a.yaml")
            .expect("read")
            .expect("present")
            .0,
        b"v: 2\n"
    );
    assert_eq!(
        ws.file_at(id(&second), "a.yaml").expect("read").as_deref(),
        Some(&b"v: 2\n"[..])
    );
    assert_eq!(
        ws.blob_id(id(&second), "a.yaml").expect("blob"),
        Some(id(&git(&dest, &["rev-parse", &format!("{second}:a.yaml")])))
    );
    assert_eq!(ws.read_file("main", "missing.yaml").expect("read"), None);
    assert_eq!(
        ws.read_file("main", "")
            .err()
            .map(|e| matches!(e, GitError::UnsafePath { .. })),
        Some(true)
    );
    assert!(matches!(
        ws.read_file("no-such-branch", "a.yaml"),
        Err(GitError::UnknownRevision { .. })
    ));

    let log = ws.log("a.yaml", 10).expect("log");
    let summaries: Vec<_> = log.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(
        summaries,
        [
            "a: third version",
            "a: second version",
            "initial dashboards"
        ]
    );
    assert_eq!(log[0].id, id(&third));
    assert_eq!(
        (log[0].author.as_str(), log[0].email.as_str()),
        ("Someone Else", "else@example.com")
    );
    let expected_time: i64 = git(&dest, &["log", "-1", "--format=%at", &third])
        .trim()
        .parse()
        .expect("time");
    assert_eq!(log[0].time, expected_time);
    // The same list the system git gives.
    let witness = git(&dest, &["log", "--format=%H", "main", "--", "a.yaml"]);
    let ids: Vec<String> = log.iter().map(|c| c.id.to_string()).collect();
    assert_eq!(ids, witness.lines().collect::<Vec<_>>());
    assert_eq!(ws.log("a.yaml", 1).expect("log").len(), 1);
    assert!(ws.log("missing.yaml", 10).expect("log").is_empty());
}

#[test]
fn fetch_reports_changed_paths_and_keeps_studio_branches() {
    let up = Upstream::new(&[
        ("a.yaml", "a: 1\n"),
        ("gone.yaml", "gone: 1\n"),
        ("same.yaml", "same: 1\n"),
    ]);
    let data = tempfile::tempdir().expect("tempdir");
    let dest = data.path().join("clone");
    let (ws, _) = clone(&up.file_url(), &dest);
    let old = ws.head().expect("head");
    let studio = ws
        .commit(request(
            old,
            "studio/ada/x",
            vec![write("mine.yaml", "m: 1\n")],
        ))
        .expect("commit");

    up.commit(
        &[("a.yaml", "a: 2\n"), ("team/new.yaml", "n: 1\n")],
        &["gone.yaml"],
        "upstream change",
    );
    let new = up.commit(&[("a.yaml", "a: 3\n")], &[], "another");

    let outcome = ws.fetch(&Credentials::default()).expect("fetch");
    assert_eq!(outcome.branch, "main");
    assert_eq!((outcome.old, outcome.new), (old, id(&new)));
    assert!(outcome.fast_forward);
    assert_eq!(
        outcome.changed_paths,
        ["a.yaml", "gone.yaml", "team/new.yaml"]
    );
    let witness = git(&dest, &["diff", "--name-only", &old.to_string(), &new]);
    assert_eq!(outcome.changed_paths, witness.lines().collect::<Vec<_>>());

    assert_eq!(ws.head().expect("head"), id(&new));
    assert_eq!(
        std::fs::read_to_string(dest.join("a.yaml")).expect("file"),
        "a: 3\n"
    );
    assert_eq!(
        std::fs::read_to_string(dest.join("team/new.yaml")).expect("file"),
        "n: 1\n"
    );
    assert!(!dest.join("gone.yaml").exists());
    assert!(
        !dest.join("mine.yaml").exists(),
        "studio branches are never checked out"
    );
    assert_clean_worktree(&dest);
    assert_eq!(
        ws.branch_tip("studio/ada/x").expect("tip"),
        Some(studio.commit)
    );

    let again = ws.fetch(&Credentials::default()).expect("fetch again");
    assert_eq!((again.old, again.new), (id(&new), id(&new)));
    assert!(again.changed_paths.is_empty());

    // Upstream rewrote main: the working tree still follows it.
    git(
        &up.bare(),
        &["update-ref", "refs/heads/main", &old.to_string()],
    );
    let rewound = ws
        .fetch(&Credentials::default())
        .expect("fetch after force-push");
    assert!(!rewound.fast_forward);
    assert_eq!(rewound.new, old);
    assert_eq!(
        std::fs::read_to_string(dest.join("a.yaml")).expect("file"),
        "a: 1\n"
    );
    assert_clean_worktree(&dest);
    assert_fsck_clean(&dest);
}
