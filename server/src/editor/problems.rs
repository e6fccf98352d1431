//! The Problems view and the JSON tab's validation: the whole repository
//! validated as last read, each diagnostic placed at its dashboard and panel;
//! a dashboard JSON validated on its own.

use std::sync::Arc;

use dashstudio_app::server_fns::problems::{Problem, ProblemDashboard, RepoProblems};
use dashstudio_core::model::{Dashboard, DashboardModel};
use dashstudio_core::validate::{self, Diagnostic, Options};
use dashstudio_core::Index;

use crate::error::ApiError;
use crate::state::App;

impl App {
    /// Every diagnostic of the repository (validated off the async threads).
    pub(super) async fn repo_problems(&self) -> Result<RepoProblems, ApiError> {
        let snapshot = self.snapshot();
        let options = self.validation_options();
        tokio::task::spawn_blocking(move || {
            let report = validate::validate(snapshot.repository(), &options);
            place(&snapshot.index, report.diagnostics)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("validating the repository failed: {e}")))
    }

    /// The diagnostics of a dashboard JSON text, the repository's datasources known.
    pub(super) async fn check_dashboard_json(
        &self,
        text: String,
    ) -> Result<Vec<Diagnostic>, ApiError> {
        let index = self.current_index();
        let external_datasources = self
            .external_datasources
            .iter()
            .cloned()
            .chain(index.datasources.iter().flat_map(|d| {
                [d.display_name.clone(), Some(d.name.clone()), d.uid.clone()]
                    .into_iter()
                    .flatten()
            }))
            .collect();
        let options = Options {
            external_datasources,
        };
        tokio::task::spawn_blocking(move || {
            validate::validate_document(&text, &options).diagnostics
        })
        .await
        .map_err(|e| ApiError::Internal(format!("validating the JSON failed: {e}")))
    }
}

/// Each diagnostic with the dashboard of its file (and CRD name) and the
/// panel its pointer falls in.
pub fn place(index: &Arc<Index>, diagnostics: Vec<Diagnostic>) -> RepoProblems {
    let problems = diagnostics
        .into_iter()
        .map(|diagnostic| {
            let dashboard = index.dashboards.iter().find(|d| {
                d.file == diagnostic.file
                    && diagnostic.dashboard.as_ref().is_none_or(|n| *n == d.name)
            });
            let panel = dashboard
                .and_then(|d| d.model.as_ref())
                .zip(diagnostic.pointer.as_deref())
                .and_then(|(m, p)| panel_at(m, p));
            Problem {
                dashboard: dashboard.map(summary),
                panel,
                diagnostic,
            }
        })
        .collect();
    RepoProblems {
        problems,
        unreadable: index.problems.clone(),
    }
}

fn summary(d: &Dashboard) -> ProblemDashboard {
    ProblemDashboard {
        namespace: d.namespace.clone(),
        name: d.name.clone(),
        title: d.title().to_owned(),
        folder: d.folder.clone(),
    }
}

/// The id of the innermost panel whose JSON pointer contains `pointer`.
pub fn panel_at(model: &DashboardModel, pointer: &str) -> Option<i64> {
    model
        .all_panels()
        .filter(|p| {
            pointer == p.pointer
                || pointer
                    .strip_prefix(p.pointer.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|p| p.pointer.len())
        .and_then(|p| p.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pointer_falls_in_the_innermost_panel() {
        let json = serde_json::json!({"panels": [
            {"id": 1, "type": "timeseries", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}},
            {"id": 2, "type": "row", "collapsed": true, "gridPos": {"x": 0, "y": 8, "w": 24, "h": 1},
             "panels": [{"id": 7, "type": "stat", "gridPos": {"x": 0, "y": 9, "w": 6, "h": 4}}]},
            {"id": 10, "type": "stat", "gridPos": {"x": 12, "y": 0, "w": 12, "h": 8}}
        ]});
        let model = dashstudio_core::dashboard::read_model(&json);
        assert_eq!(panel_at(&model, "/panels/0/targets/0/expr"), Some(1));
        assert_eq!(panel_at(&model, "/panels/1/panels/0/title"), Some(7));
        assert_eq!(panel_at(&model, "/panels/1"), Some(2));
        assert_eq!(panel_at(&model, "/panels/2"), Some(10));
        assert_eq!(panel_at(&model, "/templating/list/0"), None);
        // `/panels/1` is no prefix of `/panels/10`.
        assert_eq!(panel_at(&model, "/panels/10/title"), None);
    }
}
