//! The write path as one service layer, called by the REST API and the
//! editor's server functions: drafts (saved, validated, listed, discarded),
//! commits through the Git layer with the validation gate, pushes with
//! retries, pull requests, fetches that re-index only what changed, and the
//! audit log.

pub mod background;
pub mod commits;
pub mod drafts;
pub mod plan;
pub mod snapshot;
pub mod version;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::auth::Role;
use crate::config::WriteConfig;
use crate::error::ApiError;
use crate::forge::Forge;
use crate::git::{Credentials, GitError, Workspace};

/// Who is acting: the signed-in user (or a token's owner), resolved per
/// request by `auth`; commits are authored as `name <email>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Stable key (the username): drafts belong to it and branches are named after it.
    pub key: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// `role == Admin`: may override the validation gate and commit directly.
    pub admin: bool,
    /// An editor restricted to these folder titles (`None`: every folder).
    pub folders: Option<Vec<String>>,
}

impl Actor {
    pub fn new(key: &str, name: &str, email: &str, role: Role) -> Actor {
        Actor {
            key: key.to_owned(),
            name: name.to_owned(),
            email: email.to_owned(),
            role,
            admin: role == Role::Admin,
            folders: None,
        }
    }

    /// Restricted to changing dashboards in these folders (admins never are).
    pub fn with_folders(mut self, folders: Option<Vec<String>>) -> Actor {
        self.folders = folders;
        self
    }

    /// Whether the actor may change dashboards in the folder titled `folder`.
    pub fn may_change_folder(&self, folder: &str) -> bool {
        self.admin
            || self
                .folders
                .as_ref()
                .is_none_or(|allowed| allowed.iter().any(|f| f == folder))
    }

    /// Whoever browses without signing in (with `--anonymous-read`).
    pub fn guest() -> Actor {
        Actor::new(
            "anonymous",
            "Anonymous",
            "anonymous@dashstudio.invalid",
            Role::Anonymous,
        )
    }

    /// Parses `Name <email>` (the `--author` flag: the bootstrap admin).
    pub fn parse(author: &str) -> Result<Actor, String> {
        let (name, rest) = author
            .split_once('<')
            .ok_or_else(|| format!("--author {author:?} must look like `Name <email>`"))?;
        let email = rest
            .strip_suffix('>')
            .map(str::trim)
            .filter(|e| e.contains('@') && !e.contains(['<', '>', ' ']))
            .ok_or_else(|| format!("--author {author:?} must look like `Name <email>`"))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("--author {author:?} has no name before the email"));
        }
        let local = email.split('@').next().unwrap_or(email);
        Ok(Actor::new(&slug(local, 32), name, email, Role::Admin))
    }
}

/// Lowercase `a-z0-9-`, words joined by `-`, at most `max` characters.
pub fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if out.len() >= max {
                break;
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "change".to_owned()
    } else {
        out
    }
}

/// What the studio writes with, present when the repository is a Git clone.
pub struct Writer {
    pub git: Arc<Mutex<Workspace>>,
    pub creds: Credentials,
    pub forge: Option<Arc<dyn Forge>>,
    pub config: WriteConfig,
    /// The clone's working tree (what the snapshot reads).
    pub root: PathBuf,
    /// One commit at a time: plans read the files the previous commit wrote.
    pub commit_lock: tokio::sync::Mutex<()>,
    /// One fetch at a time.
    pub fetch_lock: tokio::sync::Mutex<()>,
    /// Seconds between background fetches (0: only on demand).
    pub fetch_interval_seconds: u64,
}

impl Writer {
    /// Run `f` on the clone, off the async runtime.
    pub async fn with_git<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Workspace) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let git = Arc::clone(&self.git);
        tokio::task::spawn_blocking(move || {
            let guard = match git.lock() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            f(&guard)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("git task failed: {e}")))
    }
}

/// The writer, or why this repository cannot be written to.
pub(crate) fn writer(app: &crate::state::App) -> Result<&Writer, ApiError> {
    app.writer.as_ref().ok_or_else(|| {
        ApiError::conflict(format!(
            "{} is a plain directory, not a Git repository: the studio can browse and validate it but not write to it",
            app.repo.path.display()
        ))
    })
}

impl From<GitError> for ApiError {
    fn from(e: GitError) -> Self {
        ApiError::Internal(format!("git: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_parse_into_actors() {
        let a = Actor::parse("Ada Lovelace <ada.l@example.org>").expect("parse");
        assert_eq!(a.name, "Ada Lovelace");
        assert_eq!(a.email, "ada.l@example.org");
        assert_eq!(a.key, "ada-l");
        for bad in [
            "ada@example.org",
            "<ada@example.org>",
            "Ada <not an email>",
            "Ada <a@b",
        ] {
            assert!(Actor::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugs_are_branch_safe() {
        assert_eq!(slug("Fix: CPU panel (prod)!", 40), "fix-cpu-panel-prod");
        assert_eq!(slug("???", 40), "change");
        assert_eq!(slug("abcdefghij", 4), "abcd");
    }
}
