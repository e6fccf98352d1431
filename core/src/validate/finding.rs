//! What a check reports before it is placed in a file: a stable code, a
//! severity, a JSON pointer to the offending value, a message and a fix.

use serde::{Deserialize, Serialize};

/// How sure we are that something is broken.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Certainly broken in Grafana, Kubernetes or ArgoCD.
    Error,
    /// Likely wrong, or deprecated.
    Warning,
    /// Worth knowing; nothing is broken.
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Which tree a finding's pointer points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Within {
    /// The YAML document of the resource (`/spec/json`, `/metadata/name`).
    Manifest,
    /// The dashboard JSON embedded in the resource (`/panels/3/targets/0/expr`).
    Dashboard,
    /// The file as a whole (a kustomization entry, a file that does not parse).
    File,
}

/// A suggested change. `replacement`, when present, is the exact new value of
/// the string at the finding's pointer (the JSON string's content, unescaped),
/// so a tool can apply it without guessing.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
}

impl Fix {
    pub fn describe(description: impl Into<String>) -> Self {
        Self {
            description: description.into(),
            replacement: None,
        }
    }

    pub fn replace(description: impl Into<String>, replacement: impl Into<String>) -> Self {
        Self {
            description: description.into(),
            replacement: Some(replacement.into()),
        }
    }
}

/// One problem found by a check, located by pointer; the engine turns it into
/// a [`super::Diagnostic`] with file, line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable `area/name` identifier, one of [`super::codes`].
    pub code: &'static str,
    pub severity: Severity,
    pub within: Within,
    /// RFC 6901 pointer into the tree named by `within` ("" for its root).
    pub pointer: String,
    /// Byte offset inside the string value at `pointer` (a query's error position).
    pub offset: Option<usize>,
    /// For [`Within::File`]: 1-based line and column in the file.
    pub position: Option<(usize, usize)>,
    pub message: String,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(
        code: &'static str,
        severity: Severity,
        within: Within,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            code,
            severity,
            within,
            pointer: pointer.into(),
            offset: None,
            position: None,
            message: message.into(),
            fix: None,
        }
    }

    /// A finding about the embedded dashboard JSON.
    pub fn dashboard(
        code: &'static str,
        severity: Severity,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(code, severity, Within::Dashboard, pointer, message)
    }

    /// A finding about the YAML manifest.
    pub fn manifest(
        code: &'static str,
        severity: Severity,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(code, severity, Within::Manifest, pointer, message)
    }

    /// A finding at a line and column of the file.
    pub fn at(
        code: &'static str,
        severity: Severity,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        let mut f = Self::new(code, severity, Within::File, "", message);
        f.position = Some((line, column));
        f
    }

    pub fn with_offset(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
