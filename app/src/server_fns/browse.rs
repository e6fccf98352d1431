//! Browse queries: folder tiers, dashboard lists, one dashboard.

use dashstudio_core::model::{Dashboard, Folder};
use dashstudio_core::DashboardSummary;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the server hands the UI: the index of the repository being browsed.
#[cfg(feature = "ssr")]
pub trait Catalog: Send + Sync + 'static {
    /// The current index (replaced wholesale when the repository is rescanned).
    fn index(&self) -> std::sync::Arc<dashstudio_core::Index>;
    /// A label for the repository (path or URL, credentials stripped).
    fn repo_label(&self) -> String;
}

/// The catalog as stored in the Leptos context.
#[cfg(feature = "ssr")]
pub type SharedCatalog = std::sync::Arc<dyn Catalog>;

#[cfg(feature = "ssr")]
fn catalog() -> Result<SharedCatalog, ServerFnError> {
    use_context::<SharedCatalog>()
        .ok_or_else(|| ServerFnError::new("the repository index is not available"))
}

/// The sidebar's content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepoOverview {
    pub repo: String,
    pub folders: Vec<Folder>,
    pub dashboards: usize,
    pub broken: usize,
    pub problems: usize,
}

#[server]
pub async fn overview() -> Result<RepoOverview, ServerFnError> {
    let catalog = catalog()?;
    let index = catalog.index();
    Ok(RepoOverview {
        repo: catalog.repo_label(),
        folders: index.folders(),
        dashboards: index.dashboards.len(),
        broken: index.broken().count(),
        problems: index.problems.len(),
    })
}

#[server]
pub async fn list_dashboards(
    folder: Option<String>,
    q: Option<String>,
) -> Result<Vec<DashboardSummary>, ServerFnError> {
    let index = catalog()?.index();
    let filter = dashstudio_core::DashboardFilter { folder, q };
    Ok(index
        .dashboards(&filter)
        .map(DashboardSummary::from)
        .collect())
}

#[server]
pub async fn get_dashboard(
    namespace: String,
    name: String,
) -> Result<Option<Dashboard>, ServerFnError> {
    let index = catalog()?.index();
    Ok(index.dashboard(&namespace, &name).cloned())
}

#[server]
pub async fn file_problems() -> Result<Vec<dashstudio_core::model::FileProblem>, ServerFnError> {
    Ok(catalog()?.index().problems.clone())
}
