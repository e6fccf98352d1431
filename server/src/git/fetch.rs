//! Fetching `origin`: the default branch and the working tree move to the
//! remote's default branch; the caller gets the paths that changed.

use git2::build::CheckoutBuilder;
use git2::{AutotagOption, DiffOptions, FetchOptions, FetchPrune, Oid};

use super::clone::{Workspace, PENDING_PREFIX};
use super::credentials::{self, classify, AuthLog, Credentials};
use super::error::git;
use super::{GitError, ObjectId};

/// What a fetch changed on the default branch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchOutcome {
    pub branch: String,
    /// The commit the working tree held before.
    pub old: ObjectId,
    /// The commit it holds now (`origin`'s default branch).
    pub new: ObjectId,
    /// Whether `new` descends from `old` (false after a force-push upstream).
    pub fast_forward: bool,
    /// Every path added, modified or deleted between `old` and `new`, sorted.
    pub changed_paths: Vec<String>,
}

/// Every branch of `origin` into `refs/remotes/origin/*`.
const FETCH_SPEC: &str = "+refs/heads/*:refs/remotes/origin/*";

impl Workspace {
    /// Fetch `origin` and move the default branch and the working tree to its
    /// default branch. Local studio branches are left alone.
    pub fn fetch(&self, creds: &Credentials) -> Result<FetchOutcome, GitError> {
        self.download(creds, "fetch")?;
        let branch = self.default_branch.clone();
        let old = self.head()?.oid();
        let tracking = format!("refs/remotes/origin/{branch}");
        let new = self
            .ref_target(&tracking)?
            .ok_or_else(|| GitError::NoDefaultBranch {
                remote: self.source.to_string(),
            })?;
        let changed_paths = self.changed_paths(old, new)?;
        let fast_forward = old == new
            || self
                .repo
                .graph_descendant_of(new, old)
                .map_err(git("comparing commits"))?;
        if old != new {
            self.move_default_branch(old, new, "studio: fetch")?;
        }
        self.forget_landed_pending(new)?;
        Ok(FetchOutcome {
            branch,
            old: old.into(),
            new: new.into(),
            fast_forward,
            changed_paths,
        })
    }

    /// Download `origin`'s branches into the remote-tracking refs.
    pub(super) fn download(
        &self,
        creds: &Credentials,
        operation: &'static str,
    ) -> Result<(), GitError> {
        let mut remote = self
            .repo
            .find_remote("origin")
            .map_err(git("reading origin"))?;
        let log = AuthLog::default();
        let secrets = credentials::secrets(creds, &self.source);
        let mut options = FetchOptions::new();
        options
            .remote_callbacks(credentials::callbacks(creds, &self.source, &log))
            .prune(FetchPrune::On)
            .download_tags(AutotagOption::None);
        remote
            .fetch(&[FETCH_SPEC], Some(&mut options), Some("studio: fetch"))
            .map_err(|e| {
                classify(&e, &log, &secrets).into_git_error(self.source.to_string(), operation)
            })
    }

    /// Check out `new` and point the default branch at it. The working tree
    /// moves first: after a crash in between, re-opening restores it from HEAD.
    pub(super) fn move_default_branch(
        &self,
        old: Oid,
        new: Oid,
        why: &str,
    ) -> Result<(), GitError> {
        let commit = self
            .repo
            .find_commit(new)
            .map_err(git("reading the new commit"))?;
        self.repo
            .checkout_tree(
                commit.as_object(),
                Some(CheckoutBuilder::new().force().remove_untracked(true)),
            )
            .map_err(git("updating the working tree"))?;
        let name = format!("refs/heads/{}", self.default_branch);
        self.repo
            .reference_matching(&name, new, true, old, why)
            .map_err(git("moving the default branch"))?;
        Ok(())
    }

    /// Drop the pending default-branch commit once `origin` has it.
    fn forget_landed_pending(&self, remote_tip: Oid) -> Result<(), GitError> {
        let name = format!("{PENDING_PREFIX}{}", self.default_branch);
        let Some(pending) = self.ref_target(&name)? else {
            return Ok(());
        };
        let landed = pending == remote_tip
            || self
                .repo
                .graph_descendant_of(remote_tip, pending)
                .map_err(git("comparing commits"))?;
        if landed {
            let mut reference = self
                .repo
                .find_reference(&name)
                .map_err(git("reading a ref"))?;
            reference
                .delete()
                .map_err(git("deleting a landed pending ref"))?;
        }
        Ok(())
    }

    /// The paths that differ between two commits' trees.
    fn changed_paths(&self, old: Oid, new: Oid) -> Result<Vec<String>, GitError> {
        if old == new {
            return Ok(Vec::new());
        }
        let tree = |id| {
            self.repo
                .find_commit(id)
                .and_then(|c| c.tree())
                .map_err(git("reading a tree"))
        };
        let (old_tree, new_tree) = (tree(old)?, tree(new)?);
        let diff = self
            .repo
            .diff_tree_to_tree(
                Some(&old_tree),
                Some(&new_tree),
                Some(&mut DiffOptions::new()),
            )
            .map_err(git("comparing trees"))?;
        let mut paths: Vec<String> = diff
            .deltas()
            .flat_map(|d| [d.old_file().path(), d.new_file().path()])
            .flatten()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        paths.sort();
        paths.dedup();
        Ok(paths)
    }
}
