//! Commits built in memory: the base tree plus the changes, written as new
//! trees with TreeBuilder. The working tree and the index are never touched.

use std::collections::BTreeMap;

use git2::{ErrorCode, Oid, Reference, Signature, Tree};

use super::clone::{Workspace, PENDING_PREFIX};
use super::error::git;
use super::{GitError, ObjectId};

/// One file written (`Some` bytes) or deleted (`None`), by its path in the repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    pub path: String,
    pub content: Option<Vec<u8>>,
}

/// A change to commit onto `branch`.
#[derive(Clone, Debug)]
pub struct CommitRequest {
    /// The commit the change starts from; the parent when `branch` is new.
    /// An existing branch gets the change on its tip instead.
    pub base: ObjectId,
    /// `studio/<user>/<slug>`, or the default branch.
    pub branch: String,
    pub changes: Vec<FileChange>,
    /// Name and email of the person who made the change.
    pub author: (String, String),
    pub message: String,
}

/// The commit made and the branch it is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitOutcome {
    pub commit: ObjectId,
    pub branch: String,
}

/// Who commits on the author's behalf.
const COMMITTER: (&str, &str) = ("Dashboard Studio", "studio@dashstudio.invalid");

enum Edit {
    Write(Oid),
    Delete,
}

struct PathEdit<'a> {
    full: &'a str,
    rest: Vec<&'a str>,
    edit: &'a Edit,
}

impl Workspace {
    /// Commit `request.changes` onto `request.branch` without touching the
    /// working tree: the branch ref moves last, so a crash leaves either the
    /// old branch or the new commit on it.
    ///
    /// A commit onto the default branch waits on `refs/studio/pending/<branch>`
    /// until `push` succeeds; only then do the branch and working tree move.
    pub fn commit(&self, request: CommitRequest) -> Result<CommitOutcome, GitError> {
        let CommitRequest {
            base,
            branch,
            changes,
            author,
            message,
        } = request;
        let target = self.commit_ref(&branch)?;
        let current = self.ref_target(&target)?;
        let current = match current {
            Some(id) => Some(id),
            None if branch == self.default_branch => Some(self.head()?.oid()),
            None => None,
        };
        let base = self
            .repo
            .find_commit(base.oid())
            .map_err(|_| GitError::UnknownRevision {
                revision: base.to_string(),
            })?;
        let parent = match current {
            Some(id) => self
                .repo
                .find_commit(id)
                .map_err(git("reading the branch tip"))?,
            None => base,
        };

        let mut edits = Vec::with_capacity(changes.len());
        for change in &changes {
            check_path(&change.path)?;
            let edit = match &change.content {
                Some(bytes) => Edit::Write(self.repo.blob(bytes).map_err(git("writing a file"))?),
                None => Edit::Delete,
            };
            edits.push((change.path.as_str(), edit));
        }
        let mut seen = std::collections::HashSet::new();
        let mut paths = Vec::with_capacity(edits.len());
        for (path, edit) in &edits {
            if !seen.insert(*path) {
                return Err(GitError::DuplicatePath {
                    path: path.to_string(),
                });
            }
            paths.push(PathEdit {
                full: path,
                rest: path.split('/').collect(),
                edit,
            });
        }

        let old_tree = parent.tree().map_err(git("reading the parent tree"))?;
        let new_tree = match self.apply(Some(&old_tree), paths)? {
            Some(id) => id,
            None => self
                .repo
                .treebuilder(None)
                .and_then(|b| b.write())
                .map_err(git("writing an empty tree"))?,
        };
        if new_tree == old_tree.id() {
            return Err(GitError::EmptyChange { branch });
        }
        let new_tree = self
            .repo
            .find_tree(new_tree)
            .map_err(git("reading the new tree"))?;
        let (name, email) = author;
        let author =
            Signature::now(&name, &email).map_err(|_| GitError::InvalidAuthor { name, email })?;
        let committer =
            Signature::now(COMMITTER.0, COMMITTER.1).map_err(git("signing the commit"))?;
        let commit = self
            .repo
            .commit(None, &author, &committer, &message, &new_tree, &[&parent])
            .map_err(git("writing the commit"))?;

        let log = format!("studio: commit onto {branch}");
        let moved = match self.ref_target(&target)? {
            Some(_) => self
                .repo
                .reference_matching(&target, commit, true, parent.id(), &log),
            None => self.repo.reference(&target, commit, false, &log),
        };
        moved.map_err(|e| match e.code() {
            ErrorCode::Modified | ErrorCode::Exists | ErrorCode::Locked => GitError::Git {
                operation: "moving the branch (it moved meanwhile; retry)",
                message: e.message().to_string(),
            },
            _ => git("moving the branch")(e),
        })?;
        Ok(CommitOutcome {
            commit: commit.into(),
            branch,
        })
    }

    /// The ref a commit onto `branch` moves.
    pub(super) fn commit_ref(&self, branch: &str) -> Result<String, GitError> {
        if branch == self.default_branch {
            return Ok(format!("{PENDING_PREFIX}{branch}"));
        }
        check_branch(branch)?;
        Ok(format!("refs/heads/{branch}"))
    }

    pub(super) fn ref_target(&self, name: &str) -> Result<Option<Oid>, GitError> {
        match self.repo.find_reference(name) {
            Ok(reference) => Ok(reference.target()),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(git("reading a ref")(e)),
        }
    }

    /// The tree `tree` with `edits` applied; `None` when nothing is left in it.
    fn apply(
        &self,
        tree: Option<&Tree<'_>>,
        edits: Vec<PathEdit<'_>>,
    ) -> Result<Option<Oid>, GitError> {
        let mut builder = self
            .repo
            .treebuilder(tree)
            .map_err(git("building a tree"))?;
        let mut groups: BTreeMap<&str, Vec<PathEdit<'_>>> = BTreeMap::new();
        for mut edit in edits {
            let name = edit.rest.remove(0);
            groups.entry(name).or_default().push(edit);
        }
        for (name, group) in groups {
            let existing = builder
                .get(name)
                .map_err(git("building a tree"))?
                .map(|entry| (entry.id(), entry.filemode()));
            let is_tree = existing.is_some_and(|(_, mode)| mode == 0o040000);
            if let Some(leaf) = group.iter().find(|e| e.rest.is_empty()) {
                if group.len() > 1 {
                    return Err(GitError::PathConflict {
                        path: leaf.full.to_string(),
                        reason: "it is both a file and a directory in this change",
                    });
                }
                let conflict = |reason| GitError::PathConflict {
                    path: leaf.full.to_string(),
                    reason,
                };
                match (leaf.edit, existing) {
                    (_, Some(_)) if is_tree => return Err(conflict("it is a directory")),
                    (_, Some((_, 0o120000))) => return Err(conflict("it is a symbolic link")),
                    (_, Some((_, 0o160000))) => return Err(conflict("it is a submodule")),
                    (Edit::Write(blob), existing) => {
                        let mode = existing.map_or(0o100644, |(_, mode)| mode);
                        builder
                            .insert(name, *blob, mode)
                            .map_err(git("building a tree"))?;
                    }
                    (Edit::Delete, Some(_)) => {
                        builder.remove(name).map_err(git("building a tree"))?;
                    }
                    (Edit::Delete, None) => {}
                }
                continue;
            }
            let subtree = match existing {
                Some((id, _)) if is_tree => {
                    Some(self.repo.find_tree(id).map_err(git("reading a tree"))?)
                }
                Some(_) if group.iter().all(|e| matches!(e.edit, Edit::Delete)) => continue,
                Some(_) => {
                    return Err(GitError::PathConflict {
                        path: group[0].full.to_string(),
                        reason: "a file is where its directory would be",
                    })
                }
                None => None,
            };
            match self.apply(subtree.as_ref(), group)? {
                Some(id) => {
                    builder
                        .insert(name, id, 0o040000)
                        .map_err(git("building a tree"))?;
                }
                None if existing.is_some() => {
                    builder.remove(name).map_err(git("building a tree"))?;
                }
                None => {}
            }
        }
        if builder.is_empty() {
            return Ok(None);
        }
        builder.write().map(Some).map_err(git("writing a tree"))
    }
}

/// A repository path must stay inside the repository and out of `.git`.
pub(super) fn check_path(path: &str) -> Result<(), GitError> {
    let refuse = |reason| {
        Err(GitError::UnsafePath {
            path: path.chars().take(300).collect(),
            reason,
        })
    };
    if path.is_empty() {
        return refuse("it is empty");
    }
    if path.starts_with('/') {
        return refuse("absolute paths are not allowed; give a path inside the repository");
    }
    if path.contains('\\') || path.contains('\0') {
        return refuse("backslashes and NUL bytes are not allowed");
    }
    for part in path.split('/') {
        match part {
            "" => return refuse("it has an empty component (`//` or a trailing `/`)"),
            "." | ".." => return refuse("`.` and `..` would leave the repository"),
            _ if part.eq_ignore_ascii_case(".git") => {
                return refuse("Git's own `.git` is not part of the repository")
            }
            _ => {}
        }
    }
    Ok(())
}

/// A studio branch is `studio/<user>/<slug>` and a valid Git branch name.
pub(super) fn check_branch(branch: &str) -> Result<(), GitError> {
    let refuse = |reason| {
        Err(GitError::InvalidBranch {
            branch: branch.chars().take(200).collect(),
            reason,
        })
    };
    if !branch.starts_with("studio/") {
        return refuse("studio branches start with `studio/` (or name the default branch)");
    }
    if !Reference::is_valid_name(&format!("refs/heads/{branch}")) {
        return refuse("not a valid Git branch name");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_repository() {
        for ok in [
            "a.yaml",
            "dashboards/team/a.yaml",
            ".github/x.yml",
            "a..b/c",
        ] {
            assert!(check_path(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/./b",
            ".git/config",
            "a/.GIT/x",
            "a//b",
            "a/",
            "a\\b",
        ] {
            assert!(
                matches!(check_path(bad), Err(GitError::UnsafePath { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn studio_branches_only() {
        assert!(check_branch("studio/ada/cpu-panel").is_ok());
        for bad in [
            "feature/x",
            "studio/a..b",
            "studio/x.lock",
            "studio/a b",
            "studio/",
        ] {
            assert!(check_branch(bad).is_err(), "{bad}");
        }
    }
}
