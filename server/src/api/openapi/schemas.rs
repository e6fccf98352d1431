//! Schemas of what the API sends and takes whose Rust types live outside
//! `api/` (auth, service, db, git): described here field by field, and held
//! to the JSON really returned by `tests/openapi.rs` and schemathesis. The
//! answers' schemas allow no other fields, so a field added to the real type
//! and not here fails those checks.

#![allow(
    dead_code,
    reason = "these types exist only for their schemas; the server never builds them"
)]

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use dashstudio_core::validate::Diagnostic;

/// What a user may do: viewer (browse, validate), editor (drafts, commits,
/// pull requests), admin (users, tokens, validation override).
#[derive(Serialize, ToSchema)]
#[schema(as = Role)]
#[serde(rename_all = "lowercase")]
pub enum RoleSchema {
    Viewer,
    Editor,
    Admin,
}

/// What a request may do beyond reading: sessions may write; tokens as scoped.
#[derive(Serialize, ToSchema)]
#[schema(as = Scope)]
#[serde(rename_all = "lowercase")]
pub enum ScopeSchema {
    Read,
    Write,
}

/// A user as the API shows it (never the password hash).
#[derive(Serialize, ToSchema)]
#[schema(as = UserView)]
#[serde(deny_unknown_fields)]
pub struct UserViewSchema {
    pub username: String,
    pub name: String,
    pub email: String,
    #[schema(inline)]
    pub role: RoleSchema,
    /// For an editor restricted to some folders: their titles (absent:
    /// every folder).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folders: Option<Vec<String>>,
}

/// The body of `POST /api/v1/users`.
#[derive(Serialize, ToSchema)]
#[schema(as = NewUser)]
#[serde(deny_unknown_fields)]
pub struct NewUserSchema {
    /// 1 to 32 of `a-z`, `0-9` and `-`, not starting with `-`.
    #[schema(pattern = "^[a-z0-9][a-z0-9-]{0,31}$")]
    pub username: String,
    #[schema(inline)]
    pub role: RoleSchema,
    /// At least 8 characters.
    #[schema(min_length = 8)]
    pub password: String,
    /// Display name for commits (default: the username); no `<`, `>` or
    /// newline inside.
    #[serde(default)]
    #[schema(pattern = "^\\s*[^<>\\n]*\\s*$")]
    pub name: Option<String>,
    /// Email for commits (default, also when blank:
    /// `<username>@dashstudio.invalid`); an address with `@`, without
    /// spaces, `<` or `>`.
    #[serde(default)]
    #[schema(pattern = "^\\s*$|^\\s*[^<> \\n]*@[^<> \\n]*\\s*$")]
    pub email: Option<String>,
    /// Editors only: the folder titles they may change (default: every
    /// folder); no blank title.
    #[serde(default)]
    pub folders: Option<Vec<String>>,
}

/// An API token as listed (never the secret).
#[derive(Serialize, ToSchema)]
#[schema(as = TokenView)]
#[serde(deny_unknown_fields)]
pub struct TokenViewSchema {
    pub id: String,
    pub username: String,
    pub name: String,
    #[schema(inline)]
    pub scope: ScopeSchema,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds; `null`: never.
    pub expires_at: Option<i64>,
    /// Unix seconds; `null`: never used.
    pub last_used_at: Option<i64>,
}

/// A new API token: the secret, shown this once, and what is listed.
#[derive(Serialize, ToSchema)]
#[schema(as = CreatedToken)]
#[serde(deny_unknown_fields)]
pub struct CreatedTokenSchema {
    /// The secret: send it as `Authorization: Bearer …`.
    pub token: String,
    pub id: String,
    pub username: String,
    pub name: String,
    #[schema(inline)]
    pub scope: ScopeSchema,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// One entry of the audit log.
#[derive(Serialize, ToSchema)]
#[schema(as = AuditEntry)]
#[serde(deny_unknown_fields)]
pub struct AuditEntrySchema {
    pub id: i64,
    /// When, as the database wrote it (UTC).
    pub at: String,
    /// The username who acted.
    pub actor: String,
    /// What was done (`commit`, `push`, `override`, …).
    pub action: String,
    pub target: Option<String>,
    pub commit_id: Option<String>,
    pub branch: Option<String>,
    pub pull_request_url: Option<String>,
    /// JSON text: what else the action carries (override reason, error, files).
    pub details: String,
}

/// One commit in a file's history.
#[derive(Serialize, ToSchema)]
#[schema(as = CommitInfo)]
#[serde(deny_unknown_fields)]
pub struct CommitInfoSchema {
    /// The full 40-hex object id.
    pub id: String,
    pub author: String,
    pub email: String,
    /// Seconds since the Unix epoch (author time).
    pub time: i64,
    pub summary: String,
}

/// The body of `POST /api/v1/commits`.
#[derive(Serialize, ToSchema)]
#[schema(as = CommitBody)]
#[schema(example = json!({"drafts": ["grafana/node-health"], "message": "Node health: clearer panel titles"}))]
#[serde(deny_unknown_fields)]
pub struct CommitBodySchema {
    /// Drafts to commit, as `namespace/name`.
    #[schema(min_items = 1, value_type = Vec<DraftKey>)]
    pub drafts: Vec<String>,
    /// The commit message (not blank).
    #[schema(pattern = "\\S")]
    pub message: String,
    /// Branch to commit to; default a new `studio/<user>/<slug>`.
    #[serde(default)]
    pub branch: Option<String>,
    /// Open a pull request for the branch.
    #[serde(default)]
    pub pull_request: bool,
    /// Commit despite validation errors (admins only); recorded in a commit
    /// trailer and the audit log.
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// A commit the studio made, and how its push and pull request went.
#[derive(Serialize, ToSchema)]
#[schema(as = CommitResult)]
#[serde(deny_unknown_fields)]
pub struct CommitResultSchema {
    pub commit: String,
    pub branch: String,
    pub pushed: bool,
    #[schema(inline)]
    pub pull_request: Option<PullRequestSchema>,
    /// Why the last push or pull request failed (it is retried).
    pub error: Option<String>,
    pub push_attempts: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PullRequestSchema {
    pub url: String,
}

/// The body of `PUT /api/v1/drafts/{namespace}/{name}`.
#[derive(Serialize, ToSchema)]
#[schema(as = SaveDraft)]
#[serde(deny_unknown_fields)]
pub struct SaveDraftSchema {
    /// The whole Grafana dashboard JSON as edited.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub dashboard: Option<Value>,
    /// The whole dashboard JSON as text, instead of `dashboard` (fixing a
    /// dashboard whose JSON does not parse).
    #[serde(default)]
    pub dashboard_text: Option<String>,
    /// The `version` the client loaded (from `GET /api/v1/dashboards/…`).
    #[serde(default)]
    #[schema(pattern = "^[0-9a-fA-F]{40}:[0-9a-fA-F]{40}$")]
    pub base_version: Option<String>,
    /// Move to another folder.
    #[serde(default)]
    pub folder: Option<FolderChoice>,
    /// Rename the resource (`metadata.name`).
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$")]
    pub rename_to: Option<String>,
}

/// One edit operation.
#[derive(Serialize, ToSchema)]
#[schema(as = Operation)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum OperationSchema {
    /// Replace the whole dashboard JSON.
    Replace {
        #[schema(value_type = Object)]
        dashboard: Value,
    },
    /// Set one field of the panel with this `id`.
    SetPanel {
        id: i64,
        #[schema(inline)]
        field: PanelField,
        value: Value,
    },
    AddPanel {
        #[schema(value_type = Object)]
        panel: Value,
    },
    DuplicatePanel {
        id: i64,
    },
    RemovePanel {
        id: i64,
    },
    /// Move to a folder (as `SaveDraft.folder`).
    Move {
        folder: FolderChoice,
    },
    Rename {
        #[schema(pattern = "^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$")]
        name: String,
    },
    /// Delete the dashboard (its file and kustomization entry).
    Delete,
}

/// The body of `POST /api/v1/drafts/{namespace}/{name}/operations`.
#[derive(Serialize, ToSchema)]
#[schema(as = Operations)]
#[serde(deny_unknown_fields)]
pub struct OperationsSchema {
    #[schema(min_items = 1)]
    pub operations: Vec<OperationSchema>,
    /// As `SaveDraft.base_version`.
    #[serde(default)]
    #[schema(pattern = "^[0-9a-fA-F]{40}:[0-9a-fA-F]{40}$")]
    pub base_version: Option<String>,
}

/// The body of `POST /api/v1/drafts`: a new dashboard from a template.
#[derive(Serialize, ToSchema)]
#[schema(as = CreateDraft)]
#[schema(example = json!({"namespace": "grafana", "name": "team-overview", "title": "Team overview", "folder": {"folder": "Kubernetes"}, "template": "grafana/node-health"}))]
#[serde(deny_unknown_fields)]
pub struct CreateDraftSchema {
    #[schema(pattern = "^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$")]
    pub namespace: String,
    /// `metadata.name`: a Kubernetes name.
    #[schema(pattern = "^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$")]
    pub name: String,
    /// The dashboard's title (not blank).
    #[schema(pattern = "\\S")]
    pub title: String,
    /// The folder, as in `SaveDraft.folder`.
    #[serde(default)]
    pub folder: Option<FolderChoice>,
    /// `namespace/name` of a dashboard to start from; without it an empty dashboard.
    #[serde(default)]
    #[schema(pattern = "/")]
    pub template: Option<String>,
    /// Directory of the new file; default: next to the folder's dashboards.
    #[serde(default)]
    pub directory: Option<String>,
}

/// What a draft does to the repository.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DraftKindSchema {
    Edit,
    Create,
    Delete,
}

/// A draft as the API shows it.
#[derive(Serialize, ToSchema)]
#[schema(as = DraftView)]
#[serde(deny_unknown_fields)]
pub struct DraftViewSchema {
    pub namespace: String,
    pub name: String,
    #[schema(inline)]
    pub kind: DraftKindSchema,
    pub file: String,
    pub new_file: String,
    pub base_version: Option<String>,
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
    pub dashboard: Option<Value>,
    pub folder: Option<Value>,
    pub rename_to: Option<String>,
    /// Set when committed locally and waiting for its push.
    pub commit: Option<String>,
    /// The problems in the files this draft writes.
    pub diagnostics: Vec<Diagnostic>,
    #[schema(inline)]
    pub summary: DraftSummarySchema,
    /// Where upstream changed the same places since the draft's base.
    pub conflicts: Vec<Value>,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftSummarySchema {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// What a fetch did.
#[derive(Serialize, ToSchema)]
#[schema(as = FetchReport)]
#[serde(deny_unknown_fields)]
pub struct FetchReportSchema {
    pub head: String,
    pub previous: String,
    pub changed_files: Vec<String>,
    pub dashboards: usize,
}

/// `GET /healthz`.
#[derive(Serialize, ToSchema)]
#[schema(as = Health)]
#[serde(deny_unknown_fields)]
pub struct HealthSchema {
    /// Always `ok` when the server answers.
    pub status: String,
    #[schema(inline)]
    pub repository: HealthRepositorySchema,
    /// Dashboards indexed.
    pub dashboards: usize,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HealthRepositorySchema {
    /// `git` (a clone the studio commits to) or `directory` (read only).
    pub kind: String,
    /// The commit the index was built from, when it is a Git repository.
    pub head: Option<String>,
    /// Where it came from, with any credentials stripped.
    pub source: String,
}

/// A draft as `namespace/name`.
#[derive(Serialize, ToSchema)]
#[schema(pattern = "/")]
pub struct DraftKey(String);

/// The panel fields `set_panel` sets.
#[derive(Serialize, ToSchema)]
pub enum PanelField {
    #[serde(rename = "title")]
    Title,
    #[serde(rename = "description")]
    Description,
    #[serde(rename = "type")]
    Type,
    #[serde(rename = "gridPos")]
    GridPos,
    #[serde(rename = "datasource")]
    Datasource,
    #[serde(rename = "targets")]
    Targets,
}

/// A dashboard's folder: exactly one of `{"folder": title}`,
/// `{"folderUID": uid}` or `{"folderRef": name}`.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum FolderChoice {
    Title(FolderTitle),
    Uid(FolderUid),
    Ref(FolderRef),
}

/// `spec.folder`: a folder title.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FolderTitle {
    pub folder: String,
}

/// `spec.folderUID`: Grafana's uid (letters, digits, `-`, `_`; at most 40).
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FolderUid {
    #[serde(rename = "folderUID")]
    #[schema(pattern = "^[A-Za-z0-9_-]{1,40}$")]
    pub folder_uid: String,
}

/// `spec.folderRef`: a GrafanaFolder in the dashboard's namespace.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FolderRef {
    #[serde(rename = "folderRef")]
    #[schema(pattern = "^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$")]
    pub folder_ref: String,
}

/// A YAML manifest or dashboard JSON as text (not blank).
#[derive(Serialize, ToSchema)]
#[schema(pattern = "\\S")]
pub struct DocumentText(String);
