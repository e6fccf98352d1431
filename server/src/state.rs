//! Shared application state handed to every handler (`AppState(Arc<App>)`),
//! and the catalog the Leptos server functions read.

use std::sync::{Arc, RwLock};

use axum::extract::FromRef;
use dashstudio_app::server_fns::browse::Catalog;
use dashstudio_core::validate::Options;
use dashstudio_core::Index;
use leptos::prelude::LeptosOptions;

use crate::auth::limit::Limiter;
use crate::auth::AuthSettings;
use crate::metrics::Metrics;
use crate::service::snapshot::Snapshot;
use crate::service::Writer;

/// What kind of repository is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepoKind {
    Git,
    Directory,
}

impl RepoKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Git => "git",
            Self::Directory => "directory",
        }
    }
}

/// The opened repository.
#[derive(Debug, Clone)]
pub struct Repo {
    pub path: std::path::PathBuf,
    pub kind: RepoKind,
    /// Where the repository came from (`--repo`, credentials stripped).
    pub source: String,
}

pub struct App {
    pub repo: Repo,
    /// The repository as last read; swapped whole after a fetch.
    pub snapshot: RwLock<Arc<Snapshot>>,
    /// Present for Git repositories: drafts, commits, pushes.
    pub writer: Option<Writer>,
    /// Sign-in settings (anonymous browsing, session length, cookies).
    pub auth: AuthSettings,
    /// Sign-in attempts per client address and username.
    pub sign_in_limit: Limiter,
    /// Token creations per user.
    pub token_limit: Limiter,
    pub external_datasources: Vec<String>,
    pub db: crate::db::Db,
    /// Callers resolved from tokens and session cookies in the last seconds.
    pub callers: crate::auth::cache::CallerCache,
    pub leptos: LeptosOptions,
    pub metrics: Metrics,
}

#[derive(Clone)]
pub struct AppState(pub Arc<App>);

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl App {
    /// The current index (cheap: an `Arc` clone).
    pub fn current_index(&self) -> Arc<Index> {
        Arc::clone(&self.snapshot().index)
    }

    /// The repository as last read (cheap: an `Arc` clone).
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    pub fn set_snapshot(&self, next: Snapshot) {
        let next = Arc::new(next);
        match self.snapshot.write() {
            Ok(mut guard) => *guard = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
    }

    /// What validation knows beyond the repository.
    pub fn validation_options(&self) -> Options {
        Options {
            external_datasources: self.external_datasources.clone(),
        }
    }
}

impl Catalog for App {
    fn index(&self) -> Arc<Index> {
        self.current_index()
    }

    fn repo_label(&self) -> String {
        self.repo.path.display().to_string()
    }
}
