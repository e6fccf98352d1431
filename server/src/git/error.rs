//! The errors of the Git layer. `GitError` for everything local or a clone or
//! fetch; `PushError` for a push, whose caller retries some failures and not others.
//!
//! Every message names what failed and where (branch, path, redacted remote)
//! and never holds a credential: libgit2's messages pass through `scrub`.

use std::path::PathBuf;

use thiserror::Error;

/// What went wrong in the Git layer.
#[derive(Debug, Error)]
pub enum GitError {
    #[error("the repository {source_url:?} cannot be used: {reason}")]
    InvalidSource { source_url: String, reason: String },
    #[error("the clone in {dir} has origin {found}, not {expected}")]
    OriginMismatch {
        dir: PathBuf,
        expected: String,
        found: String,
    },
    #[error("{dir} is not empty and is not a clone of {remote}")]
    DestinationNotEmpty { dir: PathBuf, remote: String },
    #[error("{remote} has no default branch (is the repository empty?)")]
    NoDefaultBranch { remote: String },
    #[error("authentication to {remote} failed during {operation}: {message}")]
    Auth {
        remote: String,
        operation: &'static str,
        message: String,
    },
    #[error("{remote} cannot be reached during {operation}: {message}")]
    Unreachable {
        remote: String,
        operation: &'static str,
        message: String,
    },
    #[error("the path {path:?} is refused: {reason}")]
    UnsafePath { path: String, reason: &'static str },
    #[error("the branch name {branch:?} is refused: {reason}")]
    InvalidBranch {
        branch: String,
        reason: &'static str,
    },
    #[error("there is no branch {branch:?}")]
    BranchNotFound { branch: String },
    #[error("{revision:?} names no commit")]
    UnknownRevision { revision: String },
    #[error("{text:?} is not a Git object id")]
    InvalidObjectId { text: String },
    #[error("the change to {branch:?} is empty: the new tree equals the old one")]
    EmptyChange { branch: String },
    #[error("{path:?} appears more than once in one change")]
    DuplicatePath { path: String },
    #[error("{path:?} cannot be written: {reason}")]
    PathConflict { path: String, reason: &'static str },
    #[error("the author {name:?} <{email}> cannot sign a commit")]
    InvalidAuthor { name: String, email: String },
    #[error("{operation} failed in {dir}: {source}")]
    Io {
        operation: &'static str,
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("{operation} failed: {message}")]
    Git {
        operation: &'static str,
        message: String,
    },
}

/// Why a push did not land. The local branch keeps its commit in every case.
#[derive(Debug, Error)]
pub enum PushError {
    /// The remote is down or the network failed: retry later.
    #[error("{remote} cannot be reached to push {branch:?}: {message}")]
    Unreachable {
        remote: String,
        branch: String,
        message: String,
    },
    /// The remote refused the update (not a fast-forward, a hook declined it).
    #[error("{remote} rejected the push of {branch:?}: {reason}")]
    Rejected {
        remote: String,
        branch: String,
        reason: String,
    },
    /// The credentials were missing or refused.
    #[error("authentication to {remote} failed while pushing {branch:?}: {message}")]
    Auth {
        remote: String,
        branch: String,
        message: String,
    },
    /// Something local: no such branch, a broken repository.
    #[error(transparent)]
    Local(#[from] GitError),
}

/// A local libgit2 failure, with what was being done.
pub(super) fn git(operation: &'static str) -> impl FnOnce(git2::Error) -> GitError {
    move |e| GitError::Git {
        operation,
        message: super::url::scrub(e.message(), &[]),
    }
}
