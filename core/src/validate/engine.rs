//! The engine: a scanned repository with its sources, every check run over
//! it, and each finding placed at file, line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use super::checks;
use super::diagnostic::{Diagnostic, Report, Summary};
use super::finding::{Finding, Within};
use super::locate;
use crate::index::Index;
use crate::model::{ContentSource, Dashboard};
use crate::scan::{self, ScanError, Scanner, SourceFile};
use crate::syntax::line_col;
use crate::yaml::Document;

/// What the checks need to know beyond the repository.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Datasource names or uids managed outside the repository (provisioned
    /// by other means): references to them resolve.
    pub external_datasources: Vec<String>,
}

/// A repository scanned for validation: the index and every file's YAML.
pub struct Repository {
    pub index: Index,
    sources: BTreeMap<String, SourceFile>,
}

impl Repository {
    /// Scans files given by repository-relative path (pure; used in the browser).
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Self {
        let mut scanner = Scanner::keeping_sources();
        for (path, bytes) in files {
            scanner.add_file(path, bytes);
        }
        Self::from_scanner(scanner)
    }

    /// Scans a directory tree on disk.
    pub fn from_dir(root: &Path) -> Result<Self, ScanError> {
        scan::scan_dir_with(root, Scanner::keeping_sources()).map(Self::from_scanner)
    }

    fn from_scanner(scanner: Scanner) -> Self {
        let (index, sources) = scanner.finish_with_sources();
        let sources = sources.into_iter().map(|s| (s.path.clone(), s)).collect();
        Self { index, sources }
    }

    /// The YAML document a dashboard was read from.
    pub fn document(&self, file: &str, index: usize) -> Option<&Document> {
        self.sources.get(file)?.documents.get(index)
    }

    pub fn sources(&self) -> impl Iterator<Item = &SourceFile> {
        self.sources.values()
    }

    /// Every file the scan saw, parsed or not.
    pub fn paths(&self) -> BTreeSet<String> {
        self.sources
            .keys()
            .cloned()
            .chain(self.index.problems.iter().map(|p| p.file.clone()))
            .collect()
    }
}

/// Runs every check over the repository.
pub fn validate(repo: &Repository, options: &Options) -> Report {
    let mut diagnostics = Vec::new();
    let mut file_findings: Vec<(String, Finding)> = Vec::new();
    checks::files::run(&repo.index, &mut file_findings);
    checks::kustomize::run(&repo.index, &repo.paths(), &mut file_findings);
    for (file, finding) in file_findings {
        diagnostics.push(place_in_file(&file, None, finding));
    }
    let mut queries = 0;
    for dashboard in &repo.index.dashboards {
        let mut findings = Vec::new();
        checks::content::run(dashboard, &mut findings);
        if let Some(model) = &dashboard.model {
            checks::panels::run(model, &mut findings);
            queries += model
                .all_targets()
                .filter(|(_, t)| t.query.is_some())
                .count();
        }
        for finding in findings {
            diagnostics.push(place(repo, dashboard, finding));
        }
    }
    for (dashboard, finding) in checks::uniqueness::run(&repo.index) {
        diagnostics.push(place(repo, dashboard, finding));
    }
    let _ = options;
    let summary = Summary {
        files: repo.index.files,
        dashboards: repo.index.dashboards.len(),
        queries,
        ..Summary::default()
    };
    Report::new(summary, diagnostics)
}

/// A finding about a file as a whole or a line of it.
fn place_in_file(file: &str, dashboard: Option<&str>, finding: Finding) -> Diagnostic {
    let (line, column) = finding.position.unwrap_or((1, 1));
    diagnostic(file, line, column, dashboard, finding)
}

/// A finding about a dashboard, placed in its YAML file.
pub(crate) fn place(repo: &Repository, dashboard: &Dashboard, finding: Finding) -> Diagnostic {
    let name = Some(dashboard.name.as_str());
    let Some(doc) = repo.document(&dashboard.file, dashboard.document) else {
        return place_in_file(&dashboard.file, name, finding);
    };
    let root = manifest_root(&doc.value, &dashboard.name);
    let (line, column) = match finding.within {
        Within::File => finding.position.unwrap_or((doc.line, 1)),
        Within::Manifest => doc
            .nearest(&format!("{root}{}", finding.pointer))
            .map_or((doc.line, 1), |n| (n.line, n.column)),
        Within::Dashboard => in_dashboard(doc, &root, dashboard, &finding),
    };
    diagnostic(&dashboard.file, line, column, name, finding)
}

/// Where a pointer (and offset inside its string) of the dashboard JSON is
/// written in the YAML file: exact through a `json: |` block.
fn in_dashboard(
    doc: &Document,
    root: &str,
    dashboard: &Dashboard,
    finding: &Finding,
) -> (usize, usize) {
    let content_key = match dashboard.source {
        ContentSource::GzipJson => "gzipJson",
        _ => "json",
    };
    let content_pointer = format!("{root}/spec/{content_key}");
    let Some(node) = doc.nearest(&content_pointer) else {
        return (doc.line, 1);
    };
    let Some(text) = doc.value.pointer(&content_pointer).and_then(Value::as_str) else {
        return (node.line, node.column);
    };
    if dashboard.source == ContentSource::GzipJson {
        return (node.line, node.column);
    }
    if let Some((line, column)) = finding.position {
        return locate::through_scalar(node, line, column);
    }
    let Some(mut offset) = locate::json_offset(text, &finding.pointer) else {
        return (node.line, node.column);
    };
    if let Some(inner) = finding.offset {
        if text.as_bytes().get(offset) == Some(&b'"') {
            offset = locate::string_char_offset(text, offset, inner);
        }
    }
    let (line, column) = line_col(text, offset);
    locate::through_scalar(node, line, column)
}

/// The pointer prefix of the resource named `name` in a document: "" for a
/// plain resource, `/items/N` inside a `kind: List`.
fn manifest_root(doc: &Value, name: &str) -> String {
    if doc.get("kind").and_then(Value::as_str) != Some("List") {
        return String::new();
    }
    doc.get("items")
        .and_then(Value::as_array)
        .and_then(|items| {
            items.iter().position(|item| {
                item.pointer("/metadata/name").and_then(Value::as_str) == Some(name)
            })
        })
        .map_or_else(String::new, |i| format!("/items/{i}"))
}

fn diagnostic(
    file: &str,
    line: usize,
    column: usize,
    dashboard: Option<&str>,
    finding: Finding,
) -> Diagnostic {
    Diagnostic {
        code: finding.code.to_owned(),
        severity: finding.severity,
        file: file.to_owned(),
        line,
        column,
        dashboard: dashboard.map(str::to_owned),
        pointer: (!finding.pointer.is_empty()).then_some(finding.pointer),
        message: finding.message,
        fix: finding.fix,
    }
}
