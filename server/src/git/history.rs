//! Reading the clone: the default branch, files at a commit, and the history
//! of one file along the default branch.

use std::path::Path;

use git2::{ObjectType, Oid, Sort};

use super::clone::Workspace;
use super::commit::check_path;
use super::error::git;
use super::{GitError, ObjectId};

/// One commit in a file's history.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CommitInfo {
    pub id: ObjectId,
    pub author: String,
    pub email: String,
    /// Seconds since the Unix epoch (author time).
    pub time: i64,
    pub summary: String,
}

impl Workspace {
    /// The branch `origin` calls default (`main`, `master`, …), as cloned.
    pub fn default_branch(&self) -> &str {
        &self.default_branch
    }

    /// The commit of the default branch the working tree holds.
    pub fn head(&self) -> Result<ObjectId, GitError> {
        let head = self.repo.head().map_err(git("reading HEAD"))?;
        let commit = head.peel_to_commit().map_err(git("reading HEAD"))?;
        Ok(commit.id().into())
    }

    /// Whether this clone has the commit: a studio commit that another
    /// instance (sharing the database, with its own clone) made and has not
    /// pushed yet is not here.
    pub fn has_commit(&self, commit: ObjectId) -> bool {
        self.repo.find_commit(commit.oid()).is_ok()
    }

    /// The tip of a local branch, if it exists.
    pub fn branch_tip(&self, branch: &str) -> Result<Option<ObjectId>, GitError> {
        match self.repo.find_reference(&format!("refs/heads/{branch}")) {
            Ok(reference) => Ok(reference.target().map(ObjectId::from)),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) if e.code() == git2::ErrorCode::InvalidSpec => Err(GitError::InvalidBranch {
                branch: branch.to_string(),
                reason: "not a valid Git branch name",
            }),
            Err(e) => Err(git("reading a branch")(e)),
        }
    }

    /// A file's bytes and blob id at a commit, branch, tag or other revision;
    /// `None` when the path holds no file there.
    pub fn read_file(
        &self,
        commit_or_ref: &str,
        path: &str,
    ) -> Result<Option<(Vec<u8>, ObjectId)>, GitError> {
        let commit = self.resolve(commit_or_ref)?;
        let Some(id) = self.blob_at(commit, path)? else {
            return Ok(None);
        };
        let blob = self.repo.find_blob(id).map_err(git("reading a file"))?;
        Ok(Some((blob.content().to_vec(), id.into())))
    }

    /// A file's bytes at a commit; `None` when the path holds no file there.
    pub fn file_at(&self, commit: ObjectId, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        let Some(id) = self.blob_at(commit.oid(), path)? else {
            return Ok(None);
        };
        let blob = self.repo.find_blob(id).map_err(git("reading a file"))?;
        Ok(Some(blob.content().to_vec()))
    }

    /// The bytes of a blob by its id; `None` when the clone does not have it
    /// (or the id names another kind of object).
    pub fn read_blob(&self, id: ObjectId) -> Result<Option<Vec<u8>>, GitError> {
        match self.repo.find_blob(id.oid()) {
            Ok(blob) => Ok(Some(blob.content().to_vec())),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) if e.class() == git2::ErrorClass::Invalid => Ok(None),
            Err(e) => Err(git("reading a blob")(e)),
        }
    }

    /// A file's blob id at a commit (cheap: no content is read).
    pub fn blob_id(&self, commit: ObjectId, path: &str) -> Result<Option<ObjectId>, GitError> {
        Ok(self.blob_at(commit.oid(), path)?.map(ObjectId::from))
    }

    /// The commits of the default branch that changed `path`, newest first:
    /// those whose version of the file differs from every parent's.
    pub fn log(&self, path: &str, limit: usize) -> Result<Vec<CommitInfo>, GitError> {
        check_path(path)?;
        let mut walk = self.repo.revwalk().map_err(git("walking history"))?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
            .map_err(git("walking history"))?;
        walk.push(self.head()?.oid())
            .map_err(git("walking history"))?;
        let mut found = Vec::new();
        for id in walk {
            if found.len() >= limit {
                break;
            }
            let id = id.map_err(git("walking history"))?;
            let commit = self.repo.find_commit(id).map_err(git("reading a commit"))?;
            let mine = self.entry_at(id, path)?;
            let mut same_as_a_parent = false;
            for parent in commit.parent_ids() {
                if self.entry_at(parent, path)? == mine {
                    same_as_a_parent = true;
                    break;
                }
            }
            let touched = if commit.parent_count() == 0 {
                mine.is_some()
            } else {
                !same_as_a_parent
            };
            if touched {
                let author = commit.author();
                found.push(CommitInfo {
                    id: id.into(),
                    author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
                    email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
                    time: author.when().seconds(),
                    summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                        .into_owned(),
                });
            }
        }
        Ok(found)
    }

    /// The commit a revision names.
    pub(super) fn resolve(&self, revision: &str) -> Result<Oid, GitError> {
        let unknown = || GitError::UnknownRevision {
            revision: revision.chars().take(200).collect(),
        };
        let object = self.repo.revparse_single(revision).map_err(|_| unknown())?;
        let commit = object.peel_to_commit().map_err(|_| unknown())?;
        Ok(commit.id())
    }

    /// The tree entry (id and mode) at `path` in a commit, if any.
    fn entry_at(&self, commit: Oid, path: &str) -> Result<Option<(Oid, i32)>, GitError> {
        let commit = self
            .repo
            .find_commit(commit)
            .map_err(|_| GitError::UnknownRevision {
                revision: commit.to_string(),
            })?;
        let tree = commit.tree().map_err(git("reading a tree"))?;
        match tree.get_path(Path::new(path)) {
            Ok(entry) => Ok(Some((entry.id(), entry.filemode()))),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(git("reading a tree")(e)),
        }
    }

    /// The blob at `path` in a commit; `None` for a missing path or a directory.
    fn blob_at(&self, commit: Oid, path: &str) -> Result<Option<Oid>, GitError> {
        check_path(path)?;
        let commit = self
            .repo
            .find_commit(commit)
            .map_err(|_| GitError::UnknownRevision {
                revision: commit.to_string(),
            })?;
        let tree = commit.tree().map_err(git("reading a tree"))?;
        match tree.get_path(Path::new(path)) {
            Ok(entry) if entry.kind() == Some(ObjectType::Blob) => Ok(Some(entry.id())),
            Ok(_) => Ok(None),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(git("reading a tree")(e)),
        }
    }
}
