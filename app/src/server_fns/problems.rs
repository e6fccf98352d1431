//! The Problems view's data: every diagnostic in the repository with the
//! dashboard, folder and panel it belongs to (the server validates, the page filters).

use dashstudio_core::model::FileProblem;
use dashstudio_core::validate::Diagnostic;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Every problem of the repository as last read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RepoProblems {
    /// Sorted by file, line, column and code.
    pub problems: Vec<Problem>,
    /// Files the scanner could not read (not YAML, not UTF-8, too large).
    pub unreadable: Vec<FileProblem>,
}

/// One diagnostic and where it belongs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub diagnostic: Diagnostic,
    /// The dashboard it belongs to (`None`: a file or manifest problem outside one).
    pub dashboard: Option<ProblemDashboard>,
    /// The panel its pointer falls in, by id.
    pub panel: Option<i64>,
}

/// The dashboard a problem belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemDashboard {
    pub namespace: String,
    pub name: String,
    pub title: String,
    pub folder: String,
}

#[server]
pub async fn list_problems() -> Result<RepoProblems, ServerFnError> {
    super::editor::editor()?
        .problems()
        .await
        .map_err(ServerFnError::new)
}
