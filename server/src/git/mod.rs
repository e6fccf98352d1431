//! Git through git2, and only here: the server's own clone of a repository
//! (clone, fetch, read, commit, push) and the small helpers the demo uses.
//!
//! A `Workspace` is the server's clone in its data dir. Its working tree always
//! holds `origin`'s default branch (the scanner reads it); edits become commits
//! built in memory on `studio/<user>/<slug>` branches, pushed to `origin`.
//! Everything is synchronous: async callers use `spawn_blocking`.

mod clone;
mod commit;
mod credentials;
mod error;
mod fetch;
mod history;
mod id;
mod push;
mod url;

use std::path::Path;

use git2::{IndexAddOption, Repository, Signature};

pub use clone::{Progress, Workspace};
pub use commit::{CommitOutcome, CommitRequest, FileChange};
pub use credentials::{Credentials, TOKEN_USER};
pub use error::{GitError, PushError};
pub use fetch::FetchOutcome;
pub use history::CommitInfo;
pub use id::ObjectId;
pub use push::PendingPush;
pub(crate) use url::scrub;
pub use url::{redact, Source, Transport};

/// A bare copy of the repository at `from` (every branch), at `to`.
pub fn bare_copy(from: &Path, to: &Path) -> Result<(), git2::Error> {
    let url = format!(
        "file://{}",
        from.canonicalize()
            .map_err(|e| git2::Error::from_str(&e.to_string()))?
            .display()
    );
    git2::build::RepoBuilder::new().bare(true).clone(&url, to)?;
    Ok(())
}

/// The blob id Git gives these bytes (as `git hash-object` would).
pub fn blob_id_of(bytes: &[u8]) -> ObjectId {
    match git2::Oid::hash_object(git2::ObjectType::Blob, bytes) {
        Ok(oid) => oid.into(),
        // Hashing in memory does not fail; the zero id matches no blob.
        Err(_) => git2::Oid::zero().into(),
    }
}

/// The commit HEAD points to, if `path` is inside a Git working tree with commits.
pub fn head_commit(path: &Path) -> Option<String> {
    let repo = Repository::discover(path).ok()?;
    let head = repo.head().ok()?.peel_to_commit().ok()?;
    Some(head.id().to_string())
}

/// Whether `path` is inside a Git working tree.
pub fn is_work_tree(path: &Path) -> bool {
    Repository::discover(path).is_ok_and(|r| !r.is_bare())
}

/// Create a repository at `path` whose first commit holds every file in it.
pub fn init_with_commit(path: &Path, message: &str) -> Result<String, git2::Error> {
    let repo = Repository::init(path)?;
    let mut index = repo.index()?;
    index.add_all(["*"].iter(), IndexAddOption::DEFAULT, None)?;
    index.write()?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let sig = Signature::now("Dashboard Studio", "studio@dashstudio.invalid")?;
    let oid = repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &[])?;
    Ok(oid.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_a_repository_with_one_commit() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.yaml"), "a: 1\n").expect("write");
        let oid = init_with_commit(dir.path(), "first").expect("commit");
        assert!(is_work_tree(dir.path()));
        assert_eq!(head_commit(dir.path()).as_deref(), Some(oid.as_str()));
        let repo = Repository::open(dir.path()).expect("open");
        let commit = repo.head().expect("head").peel_to_commit().expect("commit");
        assert!(commit.tree().expect("tree").get_name("a.yaml").is_some());
    }
}
