//! The in-memory index of a scanned repository and the queries the API and
//! the UI ask of it: folder tiers with counts, filtered dashboard lists, lookups.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{
    ContentSource, Dashboard, Datasource, Deployment, FileProblem, Folder, FolderCrd, Kustomization,
};

/// Everything the scanner found in one repository.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Index {
    /// YAML files read.
    pub files: usize,
    pub dashboards: Vec<Dashboard>,
    pub folder_crds: Vec<FolderCrd>,
    pub datasources: Vec<Datasource>,
    pub kustomizations: Vec<Kustomization>,
    pub problems: Vec<FileProblem>,
}

/// A dashboard as lists show it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardSummary {
    pub namespace: String,
    pub name: String,
    pub title: String,
    pub uid: Option<String>,
    pub folder: String,
    pub file: String,
    pub size: u64,
    pub source: ContentSource,
    pub broken: bool,
    pub panels: usize,
    pub tags: Vec<String>,
    pub deployment: Deployment,
}

impl From<&Dashboard> for DashboardSummary {
    fn from(d: &Dashboard) -> Self {
        Self {
            namespace: d.namespace.clone(),
            name: d.name.clone(),
            title: d.title().to_owned(),
            uid: d.uid().map(str::to_owned),
            folder: d.folder.clone(),
            file: d.file.clone(),
            size: d.size,
            source: d.source.clone(),
            broken: d.is_broken(),
            panels: d.model.as_ref().map_or(0, |m| m.all_panels().count()),
            tags: d.model.as_ref().map(|m| m.tags.clone()).unwrap_or_default(),
            deployment: d.deployment.clone(),
        }
    }
}

/// Filters for [`Index::dashboards`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFilter {
    /// Exact folder title.
    pub folder: Option<String>,
    /// Case-insensitive text matched against title, name, uid, tags and query text.
    pub q: Option<String>,
}

impl Index {
    pub fn new(
        files: usize,
        mut dashboards: Vec<Dashboard>,
        folder_crds: Vec<FolderCrd>,
        datasources: Vec<Datasource>,
        kustomizations: Vec<Kustomization>,
        mut problems: Vec<FileProblem>,
    ) -> Self {
        problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        // Stable, and each key lower-cased once rather than per comparison.
        dashboards.sort_by_cached_key(|d| {
            (
                d.folder.to_lowercase(),
                d.title().to_lowercase(),
                d.namespace.clone(),
                d.name.clone(),
            )
        });
        Self {
            files,
            dashboards,
            folder_crds,
            datasources,
            kustomizations,
            problems,
        }
    }

    /// Folder tiers, sorted by title, with their dashboard counts. Folders
    /// declared by a GrafanaFolder CRD appear even when empty.
    pub fn folders(&self) -> Vec<Folder> {
        let mut map: BTreeMap<String, Folder> = BTreeMap::new();
        for f in &self.folder_crds {
            map.entry(f.title.clone()).or_insert_with(|| Folder {
                title: f.title.clone(),
                crd: Some(format!("{}/{}", f.namespace, f.name)),
                dashboards: 0,
            });
        }
        for d in &self.dashboards {
            map.entry(d.folder.clone())
                .or_insert_with(|| Folder {
                    title: d.folder.clone(),
                    crd: None,
                    dashboards: 0,
                })
                .dashboards += 1;
        }
        let mut folders: Vec<Folder> = map.into_values().collect();
        folders.sort_by_key(|f| f.title.to_lowercase());
        folders
    }

    /// Dashboards matching the filter, in folder then title order.
    pub fn dashboards<'a>(
        &'a self,
        filter: &'a DashboardFilter,
    ) -> impl Iterator<Item = &'a Dashboard> + 'a {
        let needle = filter
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_lowercase);
        let folder = filter.folder.as_deref().filter(|f| !f.is_empty());
        self.dashboards.iter().filter(move |d| {
            folder.is_none_or(|f| d.folder == f)
                && needle.as_deref().is_none_or(|n| matches_text(d, n))
        })
    }

    /// One dashboard by namespace and `metadata.name`.
    pub fn dashboard(&self, namespace: &str, name: &str) -> Option<&Dashboard> {
        self.dashboards
            .iter()
            .find(|d| d.namespace == namespace && d.name == name)
    }

    /// Dashboards whose embedded content does not parse.
    pub fn broken(&self) -> impl Iterator<Item = &Dashboard> {
        self.dashboards.iter().filter(|d| d.is_broken())
    }
}

/// Whether a dashboard matches a lower-cased search text.
fn matches_text(d: &Dashboard, needle: &str) -> bool {
    let hit = |s: &str| s.to_lowercase().contains(needle);
    if hit(d.title()) || hit(&d.name) || d.uid().is_some_and(hit) {
        return true;
    }
    let Some(model) = &d.model else { return false };
    model.tags.iter().any(|t| hit(t))
        || model
            .all_targets()
            .any(|(_, t)| t.query.as_deref().is_some_and(hit))
}
