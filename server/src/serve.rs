//! `dashstudio serve`: open the repository (or create the demo), scan it,
//! record it in the database, and build the application state.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use eyre::WrapErr;
use leptos::prelude::LeptosOptions;

use crate::config::ServeConfig;
use crate::state::{App, AppState, Repo, RepoKind};
use crate::{db, demo, git};

/// Everything `serve` needs before it listens.
pub async fn prepare(config: &ServeConfig) -> eyre::Result<AppState> {
    std::fs::create_dir_all(&config.data_dir)
        .wrap_err_with(|| format!("creating the data dir {}", config.data_dir.display()))?;
    let path = match &config.repo {
        Some(p) => p.clone(),
        None => demo::ensure(&config.data_dir)?,
    };
    let path: PathBuf = std::fs::canonicalize(&path)
        .wrap_err_with(|| format!("the repository {} cannot be opened", path.display()))?;
    if !path.is_dir() {
        eyre::bail!("the repository {} is not a directory", path.display());
    }
    let kind = if git::is_work_tree(&path) {
        RepoKind::Git
    } else {
        RepoKind::Directory
    };
    let head = git::head_commit(&path);

    let scan_path = path.clone();
    let started = std::time::Instant::now();
    let index = tokio::task::spawn_blocking(move || dashstudio_core::scan_dir(&scan_path))
        .await
        .wrap_err("the scanner stopped unexpectedly")??;
    tracing::info!(
        repo = %path.display(),
        kind = kind.as_str(),
        files = index.files,
        dashboards = index.dashboards.len(),
        broken = index.broken().count(),
        unreadable = index.problems.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "repository scanned"
    );

    let pool = db::open(&config.data_dir)
        .await
        .wrap_err_with(|| format!("opening the database in {}", config.data_dir.display()))?;
    db::record_scan(
        &pool,
        &path.display().to_string(),
        kind.as_str(),
        head.as_deref(),
        index.dashboards.len() as i64,
    )
    .await
    .wrap_err("recording the repository in the database")?;

    let site_root = config.site_root.display().to_string();
    if !config.site_root.join("pkg").is_dir() {
        tracing::warn!(
            site_root,
            "no built site found: pages render without styles and hydration (run `make build`)"
        );
    }
    let leptos = LeptosOptions::builder()
        .output_name("dashstudio")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .build();
    Ok(AppState(Arc::new(App {
        repo: Repo { path, kind, head },
        index: RwLock::new(Arc::new(index)),
        db: pool,
        leptos,
        metrics: Default::default(),
    })))
}
