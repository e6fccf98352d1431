//! Pushing a branch to `origin`, telling an unreachable remote from a refused
//! update or refused credentials, and finding commits still waiting to be pushed.

use std::cell::RefCell;

use git2::{ErrorCode, Oid, PushOptions};

use super::clone::{Workspace, PENDING_PREFIX};
use super::credentials::{self, classify, AuthLog, Credentials, Failure};
use super::error::git;
use super::url::{scrub, Transport};
use super::{GitError, ObjectId, PushError};

/// A local branch whose tip `origin` does not have yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingPush {
    pub branch: String,
    pub commit: ObjectId,
}

impl Workspace {
    /// Push `branch` (a studio branch, or the default branch's pending commit)
    /// to `origin`, never forced. On failure the local branch keeps its commit;
    /// after a push to the default branch the working tree moves to it.
    pub fn push(&self, branch: &str, creds: &Credentials) -> Result<(), PushError> {
        let local = self.commit_ref(branch)?;
        let is_default = branch == self.default_branch;
        let Some(tip) = self.ref_target(&local)? else {
            if is_default {
                return Ok(());
            }
            return Err(GitError::BranchNotFound {
                branch: branch.to_string(),
            }
            .into());
        };
        self.send(&local, branch, creds)?;

        let tracking = format!("refs/remotes/origin/{branch}");
        self.repo
            .reference(&tracking, tip, true, "studio: push")
            .map_err(git("recording the pushed commit"))?;
        if is_default {
            let head = self.head()?.oid();
            if head != tip {
                self.move_default_branch(head, tip, "studio: pushed")?;
            }
            let mut pending = self
                .repo
                .find_reference(&local)
                .map_err(git("reading a ref"))?;
            if pending.target() == Some(tip) {
                pending
                    .delete()
                    .map_err(git("deleting the pushed pending ref"))?;
            }
        }
        Ok(())
    }

    /// Push `local` to `refs/heads/<branch>` on origin; read the server's
    /// verdict per ref (a declined hook is not an error to libgit2).
    fn send(&self, local: &str, branch: &str, creds: &Credentials) -> Result<(), PushError> {
        if self.source.transport() == Transport::Local {
            if let Some(path) = self.source.url().strip_prefix("file://") {
                match git2::Repository::open(path) {
                    Ok(origin) if !origin.is_bare() => {
                        return self.send_to_work_tree(&origin, local, branch);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        return Err(PushError::Unreachable {
                            remote: self.source.to_string(),
                            branch: branch.to_string(),
                            message: scrub(e.message(), &[]),
                        })
                    }
                }
            }
        }
        let mut remote = self
            .repo
            .find_remote("origin")
            .map_err(git("reading origin"))?;
        let log = AuthLog::default();
        let secrets = credentials::secrets(creds, &self.source);
        let verdict: RefCell<Option<String>> = RefCell::new(None);
        let mut callbacks = credentials::callbacks(creds, &self.source, &log);
        callbacks.push_update_reference(|_refname, status| {
            if let Some(status) = status {
                *verdict.borrow_mut() = Some(scrub(status, &secrets));
            }
            Ok(())
        });
        let mut options = PushOptions::new();
        options.remote_callbacks(callbacks);
        let spec = format!("{local}:refs/heads/{branch}");
        let pushed = remote.push(&[spec.as_str()], Some(&mut options));
        drop(options);

        let remote = self.source.to_string();
        let branch = branch.to_string();
        if let Err(e) = pushed {
            if e.code() == ErrorCode::NotFastForward {
                let reason = "not a fast-forward: origin has commits this branch lacks (fetch, then redo the change on top)".to_string();
                return Err(PushError::Rejected {
                    remote,
                    branch,
                    reason,
                });
            }
            return Err(match classify(&e, &log, &secrets) {
                Failure::Auth(message) => PushError::Auth {
                    remote,
                    branch,
                    message,
                },
                Failure::Unreachable(message) => PushError::Unreachable {
                    remote,
                    branch,
                    message,
                },
                Failure::Other(message) => GitError::Git {
                    operation: "push",
                    message,
                }
                .into(),
            });
        }
        if let Some(reason) = verdict.into_inner() {
            return Err(PushError::Rejected {
                remote,
                branch,
                reason,
            });
        }
        Ok(())
    }

    /// Push to a local origin that has a working tree, which libgit2's
    /// transport refuses: copy the missing objects into its object database
    /// as one pack, then move its branch ref if it still points where it did
    /// (compare-and-swap) and the move is a fast-forward. Its checked-out
    /// branch is refused, as `git push` refuses it by default.
    fn send_to_work_tree(
        &self,
        origin: &git2::Repository,
        local: &str,
        branch: &str,
    ) -> Result<(), PushError> {
        let remote = self.source.to_string();
        let rejected = |reason: String| PushError::Rejected {
            remote: remote.clone(),
            branch: branch.to_string(),
            reason,
        };
        let tip = self
            .ref_target(local)?
            .ok_or_else(|| GitError::BranchNotFound {
                branch: branch.to_string(),
            })?;
        let target = format!("refs/heads/{branch}");
        let checked_out = origin
            .head()
            .ok()
            .and_then(|h| h.name().map(str::to_owned))
            .is_some_and(|h| h == target);
        if checked_out {
            return Err(rejected(format!(
                "{branch} is checked out in origin's working tree; push to another branch or make origin a bare repository"
            )));
        }
        let current = match origin.find_reference(&target) {
            Ok(r) => r.target(),
            Err(e) if e.code() == ErrorCode::NotFound => None,
            Err(e) => return Err(git("reading origin's branch")(e).into()),
        };
        if current == Some(tip) {
            return Ok(());
        }
        if let Some(current) = current {
            let known = self.repo.find_commit(current).is_ok();
            let fast_forward =
                known && self.repo.graph_descendant_of(tip, current).unwrap_or(false);
            if !fast_forward {
                return Err(rejected("not a fast-forward: origin has commits this branch lacks (fetch, then redo the change on top)".to_string()));
            }
        }
        // The objects origin lacks: everything reachable from the tip and
        // not from what origin's branches have.
        let mut walk = self.repo.revwalk().map_err(git("walking history"))?;
        walk.push(tip).map_err(git("walking history"))?;
        for reference in origin
            .references()
            .map_err(git("listing origin's refs"))?
            .flatten()
        {
            if let Some(id) = reference.target() {
                if self.repo.find_commit(id).is_ok() {
                    walk.hide(id).map_err(git("walking history"))?;
                }
            }
        }
        let mut pack = self.repo.packbuilder().map_err(git("packing objects"))?;
        pack.insert_walk(&mut walk)
            .map_err(git("packing objects"))?;
        let odb = origin.odb().map_err(git("opening origin's objects"))?;
        let mut writer = odb.packwriter().map_err(git("writing objects to origin"))?;
        let mut failed = None;
        pack.foreach(
            |chunk| match std::io::Write::write_all(&mut writer, chunk) {
                Ok(()) => true,
                Err(e) => {
                    failed = Some(e.to_string());
                    false
                }
            },
        )
        .map_err(git("writing objects to origin"))?;
        if let Some(message) = failed {
            return Err(GitError::Git {
                operation: "push",
                message,
            }
            .into());
        }
        writer.commit().map_err(git("writing objects to origin"))?;
        let message = "push from Dashboard Studio";
        let updated = match current {
            Some(current) => origin.reference_matching(&target, tip, true, current, message),
            None => origin.reference(&target, tip, false, message),
        };
        updated.map_err(|e| {
            rejected(format!(
                "origin's {branch} moved during the push: {}",
                e.message()
            ))
        })?;
        Ok(())
    }

    /// Local branches with commits `origin` does not have: studio branches
    /// ahead of their remote counterpart (or never pushed and not merged),
    /// and a pending commit onto the default branch. For a retry loop.
    pub fn pending_pushes(&self) -> Result<Vec<PendingPush>, GitError> {
        let default_tip =
            self.ref_target(&format!("refs/remotes/origin/{}", self.default_branch))?;
        let mut pending = Vec::new();
        let references = self.repo.references().map_err(git("listing refs"))?;
        for reference in references {
            let reference = reference.map_err(git("listing refs"))?;
            let (Some(name), Some(tip)) = (reference.name(), reference.target()) else {
                continue;
            };
            let branch = if let Some(branch) = name.strip_prefix("refs/heads/") {
                if !branch.starts_with("studio/") {
                    continue;
                }
                branch
            } else if let Some(branch) = name.strip_prefix(PENDING_PREFIX) {
                branch
            } else {
                continue;
            };
            let counterpart = self.ref_target(&format!("refs/remotes/origin/{branch}"))?;
            if self.contains(counterpart, tip)? || self.contains(default_tip, tip)? {
                continue;
            }
            pending.push(PendingPush {
                branch: branch.to_string(),
                commit: tip.into(),
            });
        }
        pending.sort_by(|a, b| a.branch.cmp(&b.branch));
        Ok(pending)
    }

    /// Whether `commit` is `tip` or one of its ancestors.
    fn contains(&self, tip: Option<Oid>, commit: Oid) -> Result<bool, GitError> {
        match tip {
            None => Ok(false),
            Some(tip) if tip == commit => Ok(true),
            Some(tip) => self
                .repo
                .graph_descendant_of(tip, commit)
                .map_err(git("comparing commits")),
        }
    }
}
