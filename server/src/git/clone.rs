//! The server's own clone of a repository in its data dir: cloned once
//! (atomically, through a temporary sibling directory), re-opened afterwards.

use std::path::{Path, PathBuf};

use git2::build::{CheckoutBuilder, RepoBuilder};
use git2::{FetchOptions, FetchPrune, Repository};

use super::credentials::{self, classify, AuthLog, Credentials};
use super::error::git;
use super::url::{redact, Source};
use super::GitError;

/// Transfer progress of a clone or fetch, from libgit2's indexer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub received_objects: usize,
    pub total_objects: usize,
    pub received_bytes: usize,
    pub indexed_deltas: usize,
    pub total_deltas: usize,
}

impl Progress {
    fn from_git(p: &git2::Progress<'_>) -> Progress {
        Progress {
            received_objects: p.received_objects(),
            total_objects: p.total_objects(),
            received_bytes: p.received_bytes(),
            indexed_deltas: p.indexed_deltas(),
            total_deltas: p.total_deltas(),
        }
    }
}

/// The server's clone of one repository. Its working tree holds `origin`'s
/// default branch and nothing else; studio branches live only as refs.
///
/// `Send` but not `Sync`: keep it behind a mutex and use it from
/// `spawn_blocking`.
pub struct Workspace {
    pub(super) repo: Repository,
    pub(super) dir: PathBuf,
    pub(super) source: Source,
    pub(super) default_branch: String,
}

/// Where a commit onto the default branch waits until its push succeeds, so
/// the checked-out branch never runs ahead of the working tree.
pub(super) const PENDING_PREFIX: &str = "refs/studio/pending/";

impl Workspace {
    /// Open the clone in `dest_dir`, or clone `source` into it first.
    ///
    /// Re-opening checks that `origin` is still `source` and puts the working
    /// tree back to the checked-out commit (repairing an interrupted fetch).
    pub fn open_or_clone(
        source: &Source,
        dest_dir: &Path,
        creds: &Credentials,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Workspace, GitError> {
        if dest_dir.join(".git").exists() {
            return Workspace::reopen(source, dest_dir);
        }
        let occupied =
            std::fs::read_dir(dest_dir).is_ok_and(|mut entries| entries.next().is_some());
        if occupied {
            return Err(GitError::DestinationNotEmpty {
                dir: dest_dir.to_path_buf(),
                remote: source.to_string(),
            });
        }
        let staging = staging_dir(dest_dir);
        let io = |operation| {
            let dir = dest_dir.to_path_buf();
            move |source| GitError::Io {
                operation,
                dir,
                source,
            }
        };
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(io("removing an interrupted clone"))?;
        }
        if let Some(parent) = dest_dir.parent() {
            std::fs::create_dir_all(parent).map_err(io("creating the data dir"))?;
        }
        let log = AuthLog::default();
        let secrets = credentials::secrets(creds, source);
        let mut callbacks = credentials::callbacks(creds, source, &log);
        callbacks.transfer_progress(|p| {
            progress(Progress::from_git(&p));
            true
        });
        let mut fetch = FetchOptions::new();
        fetch.remote_callbacks(callbacks).prune(FetchPrune::On);
        let cloned = RepoBuilder::new()
            .fetch_options(fetch)
            .clone(source.url(), &staging);
        let repo = match cloned {
            Ok(repo) => repo,
            Err(e) => {
                // Best effort: a half-written clone is removed again on the next try.
                let _ = std::fs::remove_dir_all(&staging);
                return Err(
                    classify(&e, &log, &secrets).into_git_error(source.to_string(), "clone")
                );
            }
        };
        drop(repo);
        if dest_dir.exists() {
            std::fs::remove_dir(dest_dir).map_err(io("replacing the empty destination"))?;
        }
        std::fs::rename(&staging, dest_dir).map_err(io("moving the clone into place"))?;
        Workspace::reopen(source, dest_dir)
    }

    fn reopen(source: &Source, dir: &Path) -> Result<Workspace, GitError> {
        clear_stale_locks(&dir.join(".git")).map_err(|source| GitError::Io {
            operation: "removing lock files left by a killed process",
            dir: dir.to_path_buf(),
            source,
        })?;
        let repo = Repository::open(dir).map_err(git("opening the clone"))?;
        let found = repo
            .find_remote("origin")
            .map_err(git("reading origin"))?
            .url()
            .unwrap_or_default()
            .to_string();
        if found != source.url() {
            return Err(GitError::OriginMismatch {
                dir: dir.to_path_buf(),
                expected: source.to_string(),
                found: redact(&found),
            });
        }
        let head = repo.find_reference("HEAD").map_err(git("reading HEAD"))?;
        let default_branch = head
            .symbolic_target()
            .and_then(|target| target.strip_prefix("refs/heads/"))
            .map(str::to_string);
        let no_default = || GitError::NoDefaultBranch {
            remote: source.to_string(),
        };
        let default_branch = default_branch.ok_or_else(no_default)?;
        drop(head);
        if repo.head().is_err() {
            return Err(no_default());
        }
        repo.checkout_head(Some(CheckoutBuilder::new().force().remove_untracked(true)))
            .map_err(git("restoring the working tree"))?;
        Ok(Workspace {
            repo,
            dir: dir.to_path_buf(),
            source: source.clone(),
            default_branch,
        })
    }

    /// The working tree (what the scanner reads): `origin`'s default branch.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `origin`, redacted: fit for logs and API responses.
    pub fn remote(&self) -> String {
        self.source.to_string()
    }
}

/// Remove the `*.lock` files a killed process left in `.git` (outside the
/// object store), which would block every later ref or index update. Sound
/// because the server is the only user of its clone and opens it once.
fn clear_stale_locks(git_dir: &Path) -> std::io::Result<()> {
    let mut dirs = vec![git_dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                if entry.file_name() != "objects" {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|ext| ext == "lock") {
                std::fs::remove_file(&path)?;
            }
        }
    }
    Ok(())
}

/// `data/repos/.name.cloning` beside `data/repos/name`.
fn staging_dir(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map_or_else(|| "clone".into(), |n| n.to_string_lossy());
    dest.with_file_name(format!(".{name}.cloning"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>() {}

    #[test]
    fn workspace_and_errors_are_send() {
        assert_send::<Workspace>();
        assert_send::<GitError>();
        assert_send::<super::super::PushError>();
    }
}
