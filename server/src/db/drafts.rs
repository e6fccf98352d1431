//! Drafts: one user's pending change to one dashboard, kept in the database
//! until it has reached origin, so that nothing is lost across restarts or
//! failed pushes.

use super::Db;

/// What a draft does to the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftKind {
    Edit,
    Create,
    Delete,
}

impl DraftKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Edit => "edit",
            Self::Create => "create",
            Self::Delete => "delete",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "create" => Self::Create,
            "delete" => Self::Delete,
            _ => Self::Edit,
        }
    }
}

/// A draft as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub id: i64,
    pub author: String,
    pub namespace: String,
    pub name: String,
    pub kind: DraftKind,
    /// The CRD file the draft started from (for a new dashboard: its file).
    pub file: String,
    /// Where the file is written on commit (differs from `file` after a rename).
    pub new_file: String,
    pub document: i64,
    pub base_commit: Option<String>,
    pub base_blob: Option<String>,
    /// The edited Grafana dashboard JSON (`None` for a deletion).
    pub dashboard: Option<serde_json::Value>,
    /// The target folder when moved: `{"folder": …}`, `{"folderUID": …}` or `{"folderRef": …}`.
    pub folder: Option<serde_json::Value>,
    pub rename_to: Option<String>,
    /// The whole file as it would be committed (empty for a deletion).
    pub content: String,
    pub diagnostics: serde_json::Value,
    pub revision: i64,
    /// Set once the draft is committed locally and waits for its push.
    pub commit_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// What a save writes; the row's id, revision and timestamps come from the database.
#[derive(Debug, Clone)]
pub struct DraftWrite<'a> {
    pub author: &'a str,
    pub namespace: &'a str,
    pub name: &'a str,
    pub kind: DraftKind,
    pub file: &'a str,
    pub new_file: &'a str,
    pub document: i64,
    pub base_commit: Option<&'a str>,
    pub base_blob: Option<&'a str>,
    pub dashboard: Option<&'a serde_json::Value>,
    pub folder: Option<&'a serde_json::Value>,
    pub rename_to: Option<&'a str>,
    pub content: &'a str,
    pub diagnostics: &'a serde_json::Value,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    author: String,
    namespace: String,
    name: String,
    kind: String,
    file: String,
    new_file: String,
    document: i64,
    base_commit: Option<String>,
    base_blob: Option<String>,
    dashboard: Option<String>,
    folder: Option<String>,
    rename_to: Option<String>,
    content: String,
    diagnostics: String,
    revision: i64,
    commit_id: Option<String>,
    created_at: String,
    updated_at: String,
}

const COLUMNS: &str = "id, author, namespace, name, kind, file, new_file, document, base_commit, \
    base_blob, dashboard, folder, rename_to, content, diagnostics, revision, commit_id, \
    created_at, updated_at";

fn json_column(text: Option<String>) -> Result<Option<serde_json::Value>, sqlx::Error> {
    text.map(|t| serde_json::from_str(&t).map_err(|e| sqlx::Error::Decode(Box::new(e))))
        .transpose()
}

impl TryFrom<Row> for Draft {
    type Error = sqlx::Error;
    fn try_from(r: Row) -> Result<Self, sqlx::Error> {
        Ok(Draft {
            id: r.id,
            author: r.author,
            namespace: r.namespace,
            name: r.name,
            kind: DraftKind::parse(&r.kind),
            file: r.file,
            new_file: r.new_file,
            document: r.document,
            base_commit: r.base_commit,
            base_blob: r.base_blob,
            dashboard: json_column(r.dashboard)?,
            folder: json_column(r.folder)?,
            rename_to: r.rename_to,
            content: r.content,
            diagnostics: json_column(Some(r.diagnostics))?.unwrap_or_default(),
            revision: r.revision,
            commit_id: r.commit_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// Create or replace the author's draft of `namespace/name`. A draft already
/// committed (waiting for its push) is never overwritten: the caller gets
/// `Ok(None)` and must say so.
pub async fn save(pool: &Db, d: &DraftWrite<'_>) -> Result<Option<Draft>, sqlx::Error> {
    let dashboard = d.dashboard.map(serde_json::Value::to_string);
    let folder = d.folder.map(serde_json::Value::to_string);
    let row: Option<Row> = sqlx::query_as(&format!(
        "INSERT INTO drafts (author, namespace, name, kind, file, new_file, document, base_commit,
             base_blob, dashboard, folder, rename_to, content, diagnostics, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
         ON CONFLICT (author, namespace, name) DO UPDATE SET
             kind = excluded.kind, file = excluded.file, new_file = excluded.new_file,
             document = excluded.document, base_commit = excluded.base_commit,
             base_blob = excluded.base_blob, dashboard = excluded.dashboard,
             folder = excluded.folder, rename_to = excluded.rename_to,
             content = excluded.content, diagnostics = excluded.diagnostics,
             revision = drafts.revision + 1, updated_at = excluded.updated_at
         WHERE drafts.commit_id IS NULL
         RETURNING {COLUMNS}"
    ))
    .bind(d.author)
    .bind(d.namespace)
    .bind(d.name)
    .bind(d.kind.as_str())
    .bind(d.file)
    .bind(d.new_file)
    .bind(d.document)
    .bind(d.base_commit)
    .bind(d.base_blob)
    .bind(dashboard)
    .bind(folder)
    .bind(d.rename_to)
    .bind(d.content)
    .bind(d.diagnostics.to_string())
    .bind(super::now())
    .fetch_optional(pool)
    .await?;
    row.map(Draft::try_from).transpose()
}

/// The author's draft of `namespace/name`.
pub async fn get(
    pool: &Db,
    author: &str,
    namespace: &str,
    name: &str,
) -> Result<Option<Draft>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM drafts WHERE author = $1 AND namespace = $2 AND name = $3"
    ))
    .bind(author)
    .bind(namespace)
    .bind(name)
    .fetch_optional(pool)
    .await?;
    row.map(Draft::try_from).transpose()
}

/// Every draft of the author, most recently changed first.
pub async fn list(pool: &Db, author: &str) -> Result<Vec<Draft>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM drafts WHERE author = $1 ORDER BY updated_at DESC, id DESC"
    ))
    .bind(author)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(Draft::try_from).collect()
}

/// The drafts waiting for the push of `commit_id`.
pub async fn by_commit(pool: &Db, commit_id: &str) -> Result<Vec<Draft>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM drafts WHERE commit_id = $1 ORDER BY id"
    ))
    .bind(commit_id)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(Draft::try_from).collect()
}

/// Discard the author's draft; whether there was one to discard. A draft
/// whose commit waits for its push is kept (it is the only copy of the work
/// outside the local clone until the push succeeds).
pub async fn discard(
    pool: &Db,
    author: &str,
    namespace: &str,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM drafts WHERE author = $1 AND namespace = $2 AND name = $3
             AND commit_id IS NULL",
    )
    .bind(author)
    .bind(namespace)
    .bind(name)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Mark drafts as committed locally in `commit_id` (they stay until pushed).
pub async fn mark_committed(pool: &Db, ids: &[i64], commit_id: &str) -> Result<(), sqlx::Error> {
    let now = super::now();
    let mut tx = pool.begin().await?;
    for id in ids {
        sqlx::query("UPDATE drafts SET commit_id = $1, updated_at = $3 WHERE id = $2")
            .bind(commit_id)
            .bind(id)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// Drop the drafts of a commit that reached origin.
pub async fn remove_pushed(pool: &Db, commit_id: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM drafts WHERE commit_id = $1")
        .bind(commit_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
