//! Shared application state handed to every handler (`AppState(Arc<App>)`),
//! and the catalog the Leptos server functions read.

use std::sync::{Arc, RwLock};

use axum::extract::FromRef;
use dashstudio_app::server_fns::browse::Catalog;
use dashstudio_core::Index;
use leptos::prelude::LeptosOptions;
use sqlx::SqlitePool;

use crate::metrics::Metrics;

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
    /// The commit scanned, for Git repositories.
    pub head: Option<String>,
}

pub struct App {
    pub repo: Repo,
    pub index: RwLock<Arc<Index>>,
    pub db: SqlitePool,
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
        match self.index.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
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
