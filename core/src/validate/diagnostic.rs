//! A finding placed in the repository: the diagnostic users see, and the
//! report of a whole run with its summary (the `--format json` contract).

use serde::{Deserialize, Serialize};

use super::finding::{Fix, Severity};

/// One problem at a file, line and column (1-based, in the file on disk).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    /// Path relative to the validated root, `/` separated.
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// `metadata.name` of the CRD, when the problem belongs to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dashboard: Option<String>,
    /// JSON pointer into the dashboard JSON (or the manifest, for CRD problems).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// Counts over a run.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub files: usize,
    pub dashboards: usize,
    pub queries: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// Everything a run found, sorted by file, line, column and code.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub summary: Summary,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn new(mut summary: Summary, mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.code, &a.message)
                .cmp(&(&b.file, b.line, b.column, &b.code, &b.message))
        });
        diagnostics.dedup();
        summary.errors = count(&diagnostics, Severity::Error);
        summary.warnings = count(&diagnostics, Severity::Warning);
        Self {
            summary,
            diagnostics,
        }
    }

    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }

    /// Diagnostics with this code.
    pub fn with_code<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Diagnostic> {
        self.diagnostics.iter().filter(move |d| d.code == code)
    }
}

fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}
