//! The domain model the scanner builds: dashboards, folders, datasources and
//! kustomizations, serialisable so the API and the UI share the same types.

use serde::{Deserialize, Serialize};

/// Where a GrafanaDashboard's content comes from (exactly one in a valid CRD).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ContentSource {
    /// `spec.json`: the dashboard JSON embedded as a string.
    Json,
    /// `spec.gzipJson`: base64 of the gzip-compressed JSON.
    GzipJson,
    /// `spec.url`: fetched by the operator.
    Url { url: String },
    /// `spec.grafanaCom`: imported from grafana.com by id.
    GrafanaCom {
        id: Option<i64>,
        revision: Option<i64>,
    },
    /// `spec.configMapRef`: read from a ConfigMap key.
    ConfigMapRef { name: String, key: String },
    /// `spec.jsonnet` or `spec.jsonnetLib`.
    Jsonnet,
    /// No content source at all.
    None,
}

impl ContentSource {
    /// Short label for display.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::GzipJson => "gzipJson",
            Self::Url { .. } => "url",
            Self::GrafanaCom { .. } => "grafanaCom",
            Self::ConfigMapRef { .. } => "configMapRef",
            Self::Jsonnet => "jsonnet",
            Self::None => "none",
        }
    }

    /// Whether the dashboard JSON lives in the repository itself.
    pub fn is_embedded(&self) -> bool {
        matches!(self, Self::Json | Self::GzipJson)
    }
}

/// How the dashboard's folder was chosen, following the operator's rules.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FolderSource {
    /// `spec.folder`: a folder title.
    Title,
    /// `spec.folderUID`: the uid of a folder.
    Uid,
    /// `spec.folderRef`: a GrafanaFolder in the same namespace.
    Ref,
    /// Nothing set: the operator puts it in a folder named after the namespace.
    NamespaceDefault,
}

/// Whether the kustomizations in the repository deploy a file.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum Deployment {
    /// Listed (directly or through a listed directory) by the kustomization at `by`.
    Listed { by: String },
    /// Only listed in a commented-out entry; `reason` is the comment after it, if any.
    Disabled { by: String, reason: Option<String> },
    /// No kustomization lists it: ArgoCD never syncs it.
    Unlisted,
}

impl Deployment {
    pub fn is_listed(&self) -> bool {
        matches!(self, Self::Listed { .. })
    }
}

/// A datasource reference as written in a panel or target.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatasourceRef {
    /// `type` of an object reference (`prometheus`, `loki`, ...).
    pub r#type: Option<String>,
    /// `uid` of an object reference (may be a `${var}`).
    pub uid: Option<String>,
    /// A legacy string reference: a datasource name or a `$variable`.
    pub name: Option<String>,
}

impl DatasourceRef {
    /// What to show for this reference.
    pub fn display(&self) -> String {
        match (&self.uid, &self.name, &self.r#type) {
            (Some(uid), _, Some(t)) => format!("{t}:{uid}"),
            (Some(uid), _, None) => uid.clone(),
            (None, Some(name), _) => name.clone(),
            (None, None, Some(t)) => t.clone(),
            (None, None, None) => String::new(),
        }
    }
}

/// The query language a target is written in, known from its datasource type.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueryLanguage {
    PromQL,
    LogQL,
    TraceQL,
    Other,
}

impl QueryLanguage {
    pub fn label(self) -> &'static str {
        match self {
            Self::PromQL => "PromQL",
            Self::LogQL => "LogQL",
            Self::TraceQL => "TraceQL",
            Self::Other => "other",
        }
    }

    /// The language a Grafana datasource plugin type speaks.
    pub fn from_datasource_type(ds_type: &str) -> Self {
        match ds_type {
            "prometheus" => Self::PromQL,
            "loki" => Self::LogQL,
            "tempo" => Self::TraceQL,
            _ => Self::Other,
        }
    }
}

/// A panel's position on Grafana's 24-column grid.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridPos {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
}

/// One query of a panel.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    /// JSON pointer of the target in the dashboard (`/panels/2/targets/0`).
    #[serde(default)]
    pub pointer: String,
    pub ref_id: Option<String>,
    /// The query text (`expr`, or `query` for Tempo and others), if any.
    pub query: Option<String>,
    /// The JSON field the query text came from.
    pub query_field: Option<String>,
    pub datasource: Option<DatasourceRef>,
    /// The datasource plugin type this target resolves to, when known.
    pub datasource_type: Option<String>,
    pub language: QueryLanguage,
    pub hide: bool,
}

/// One panel; rows carry their collapsed children in `panels`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Panel {
    pub id: Option<i64>,
    pub r#type: String,
    pub title: String,
    pub grid_pos: Option<GridPos>,
    pub datasource: Option<DatasourceRef>,
    pub targets: Vec<Target>,
    /// Children of a collapsed row.
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub panels: Vec<Panel>,
    pub collapsed: bool,
    /// JSON pointer of the panel inside the dashboard JSON.
    pub pointer: String,
}

impl Panel {
    pub fn is_row(&self) -> bool {
        self.r#type == "row"
    }
}

/// A template variable of the dashboard.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Variable {
    /// JSON pointer of the variable (`/templating/list/3`).
    #[serde(default)]
    pub pointer: String,
    pub name: String,
    pub r#type: String,
    /// For datasource variables: the plugin type they select (`query`).
    pub query: Option<String>,
    pub current: Option<String>,
    /// Several values may be selected at once.
    #[serde(default)]
    pub multi: bool,
    /// An "All" option exists; `all_value` is its custom value, if any.
    #[serde(default)]
    pub include_all: bool,
    #[serde(default)]
    pub all_value: Option<String>,
    /// The fixed options of custom and interval variables, in order.
    #[serde(default)]
    pub options: Vec<String>,
}

/// The dashboard JSON model, as far as browsing needs it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DashboardModel {
    pub title: Option<String>,
    pub uid: Option<String>,
    pub tags: Vec<String>,
    pub schema_version: Option<i64>,
    pub variables: Vec<Variable>,
    pub panels: Vec<Panel>,
}

impl DashboardModel {
    /// Every panel, rows' children included, in document order.
    pub fn all_panels(&self) -> impl Iterator<Item = &Panel> {
        self.panels
            .iter()
            .flat_map(|p| std::iter::once(p).chain(p.panels.iter()))
    }

    /// Every target of every panel.
    pub fn all_targets(&self) -> impl Iterator<Item = (&Panel, &Target)> {
        self.all_panels()
            .flat_map(|p| p.targets.iter().map(move |t| (p, t)))
    }
}

/// A parse failure of the embedded dashboard JSON.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentError {
    pub message: String,
    /// 1-based line and column inside the JSON text.
    pub line: usize,
    pub column: usize,
}

/// A GrafanaDashboard custom resource and what it contains.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    pub namespace: String,
    pub name: String,
    /// Path relative to the repository root, with `/` separators.
    pub file: String,
    /// Index of the YAML document inside the file (0 for single-document files).
    pub document: usize,
    /// Size of the file in bytes.
    pub size: u64,
    pub source: ContentSource,
    pub folder: String,
    pub folder_source: FolderSource,
    pub deployment: Deployment,
    /// The parsed dashboard, when the content is embedded and parses.
    pub model: Option<DashboardModel>,
    /// Why the embedded content could not be read.
    pub content_error: Option<ContentError>,
    /// The parsed dashboard JSON, kept only by a scanner that keeps sources
    /// (for validation); never serialised.
    #[serde(skip)]
    pub content: Option<std::sync::Arc<serde_json::Value>>,
}

impl Dashboard {
    /// The title to show: the JSON title, else the CRD name.
    pub fn title(&self) -> &str {
        self.model
            .as_ref()
            .and_then(|m| m.title.as_deref())
            .unwrap_or(&self.name)
    }

    pub fn uid(&self) -> Option<&str> {
        self.model.as_ref().and_then(|m| m.uid.as_deref())
    }

    /// True when the dashboard content is embedded but cannot be read.
    pub fn is_broken(&self) -> bool {
        self.content_error.is_some()
    }
}

/// A GrafanaFolder custom resource.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderCrd {
    pub namespace: String,
    pub name: String,
    pub title: String,
    pub uid: Option<String>,
    pub file: String,
}

/// A GrafanaDatasource custom resource.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Datasource {
    pub namespace: String,
    pub name: String,
    /// `spec.datasource.name`: the name dashboards use in legacy references.
    pub display_name: Option<String>,
    pub r#type: Option<String>,
    pub uid: Option<String>,
    pub file: String,
    pub deployment: Deployment,
}

/// One entry of a kustomization's `resources`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KustomizeEntry {
    pub path: String,
    /// Commented out (`# - path`).
    pub disabled: bool,
    /// The trailing or preceding comment text, if any.
    pub comment: Option<String>,
    /// 1-based line of the entry in the kustomization file.
    pub line: usize,
}

/// A `kustomization.yaml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Kustomization {
    pub file: String,
    /// `namespace:`, which kustomize sets on every resource it lists.
    pub namespace: Option<String>,
    pub resources: Vec<KustomizeEntry>,
}

/// A file the scanner could not read as YAML, or a document it could not use.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileProblem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A folder tier as the UI and the API show it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Folder {
    pub title: String,
    /// The GrafanaFolder CRD that declares it, if any.
    pub crd: Option<String>,
    pub dashboards: usize,
}
