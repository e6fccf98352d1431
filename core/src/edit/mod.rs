//! Minimal-diff editing of dashboards in Git: change a dashboard's JSON or a
//! CRD field and write back only the bytes that changed, so the commit is a small diff.
//!
//! - [`json`]: rewrite a JSON text to a new value keeping its layout.
//! - [`yaml`]: splice values, literal blocks and `spec.gzipJson` into YAML file text.
//! - [`file`]: open the dashboard of one CRD document and save it back.
//! - [`ops`]: panel operations on a dashboard value; [`crd`]: folder, name, new files.
//! - [`kustomize`]: add, remove and rename `kustomization.yaml` entries.
//! - [`merge`]: three-way merge of dashboard values with conflicts by pointer.
//!
//! Everything is pure (text in, text out) and builds for `wasm32-unknown-unknown`.

pub mod crd;
pub mod file;
pub mod json;
pub mod kustomize;
mod matching;
pub mod merge;
pub mod ops;
pub mod yaml;

pub use file::{open_dashboard, save_dashboard, DashboardSource, Encoding};
pub use merge::{merge3, Conflict};

/// Why an edit could not be made. Each variant names what is wrong and where;
/// no edit function panics on any input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The JSON text to edit does not parse.
    #[error("the dashboard JSON does not parse: {message} at line {line}, column {column}")]
    Json {
        message: String,
        line: usize,
        column: usize,
    },
    /// The YAML file does not parse.
    #[error("the YAML does not parse: {0}")]
    Yaml(#[from] crate::yaml::YamlError),
    /// The file has fewer documents than the index asked for.
    #[error("no YAML document {index}: the file has {count}")]
    NoDocument { index: usize, count: usize },
    /// Nothing is written at this pointer of the document.
    #[error("nothing at {pointer} in YAML document {document}")]
    NotFound { document: usize, pointer: String },
    /// The key to insert is already there.
    #[error("{pointer} already exists in YAML document {document}")]
    AlreadyExists { document: usize, pointer: String },
    /// The value is written in a way this editor does not rewrite (flow
    /// collections, multi-line plain scalars, a key on a `- ` item line…).
    #[error("cannot edit {pointer}: {reason}")]
    Unsupported { pointer: String, reason: String },
    /// The value cannot be written where it was asked for.
    #[error("invalid value for {pointer}: {reason}")]
    InvalidValue { pointer: String, reason: String },
    /// `spec.gzipJson` does not decode, or the dashboard has no JSON content.
    #[error("{0}")]
    Content(String),
    /// No panel with this id in the dashboard (rows' panels included).
    #[error("no panel with id {0}")]
    UnknownPanel(i64),
    /// A kustomization entry was not found, or is already listed.
    #[error("kustomization {list}: {reason} `{entry}`")]
    Kustomization {
        list: String,
        entry: String,
        reason: &'static str,
    },
}

/// Escapes one JSON pointer token (RFC 6901).
pub(crate) fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Splits a JSON pointer into unescaped tokens; `""` is the root.
pub(crate) fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .strip_prefix('/')
        .unwrap_or(pointer)
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}
