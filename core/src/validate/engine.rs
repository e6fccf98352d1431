//! The engine: a scanned repository with its sources, every check run over
//! it, and each finding placed at file, line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::checks;
use super::diagnostic::{Diagnostic, Report, Summary};
use super::finding::{Finding, Within};
use super::locate;
use crate::index::Index;
use crate::model::{ContentSource, Dashboard};
use crate::scan::{self, ParsedFile, ScanError, Scanner, SourceFile};
use crate::yaml::{Document, NodePos};

/// What the checks need to know beyond the repository.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Datasource names or uids managed outside the repository (provisioned
    /// by other means): references to them resolve.
    pub external_datasources: Vec<String>,
}

/// A repository scanned for validation: the index and every file as parsed.
/// Cheap to derive with some files changed ([`Repository::with_files`]):
/// the other files' documents are shared, not copied.
pub struct Repository {
    pub index: Arc<Index>,
    /// Every file by path, each parse shared with the repositories derived
    /// from this one.
    files: BTreeMap<String, Arc<ParsedFile>>,
}

impl Repository {
    /// Scans files given by repository-relative path (pure; used in the browser).
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Self {
        Self::from_parsed(
            files
                .into_iter()
                .map(|(path, bytes)| scan::parse_file(path, bytes)),
        )
    }

    /// Builds the repository from files already parsed by
    /// [`scan::parse_file`] / [`scan::parse_dir`], indexed in the given order.
    pub fn from_parsed(files: impl IntoIterator<Item = ParsedFile>) -> Self {
        let files: Vec<Arc<ParsedFile>> = files.into_iter().map(Arc::new).collect();
        let index = index_of(&files);
        let files = files
            .into_iter()
            .map(|f| (f.path().to_owned(), f))
            .collect();
        Self { index, files }
    }

    /// Scans a directory tree on disk.
    pub fn from_dir(root: &Path) -> Result<Self, ScanError> {
        scan::parse_dir(root).map(Self::from_parsed)
    }

    /// This repository with `removed` paths gone and `changed` files added
    /// or replaced, indexed in path order (as [`scan::parse_dir`] reads a
    /// tree). Only the changed files are new: the others are shared, so a
    /// server that keeps its repository validates a draft without copying
    /// or re-parsing the rest.
    pub fn with_files(&self, changed: Vec<ParsedFile>, removed: &[String]) -> Self {
        let mut files = self.files.clone();
        for path in removed {
            files.remove(path);
        }
        for file in changed {
            files.insert(file.path().to_owned(), Arc::new(file));
        }
        let index = index_of(files.values());
        Self { index, files }
    }

    /// The YAML document a dashboard was read from.
    pub fn document(&self, file: &str, index: usize) -> Option<&Document> {
        self.files.get(file)?.source()?.documents.get(index)
    }

    /// The YAML of every file that parsed, in path order.
    pub fn sources(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.values().filter_map(|f| f.source().map(|s| &**s))
    }

    /// `spec.datasources` of a dashboard's CRD: import input → datasource name.
    pub fn mappings(&self, dashboard: &Dashboard) -> checks::datasources::Mappings {
        let Some(doc) = self.document(&dashboard.file, dashboard.document) else {
            return Default::default();
        };
        let root = manifest_root(&doc.value, &dashboard.name);
        doc.value
            .pointer(&format!("{root}/spec/datasources"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|m| {
                let input = m.get("inputName")?.as_str()?;
                let name = m.get("datasourceName")?.as_str()?;
                Some((input.to_owned(), name.to_owned()))
            })
            .collect()
    }

    /// The dashboard JSON text as written in `spec.json` (not for gzipJson).
    pub fn json_text(&self, dashboard: &Dashboard) -> Option<&str> {
        if dashboard.source != ContentSource::Json {
            return None;
        }
        let doc = self.document(&dashboard.file, dashboard.document)?;
        let root = manifest_root(&doc.value, &dashboard.name);
        doc.value.pointer(&format!("{root}/spec/json"))?.as_str()
    }

    /// Every file the scan saw, parsed or not.
    pub fn paths(&self) -> BTreeSet<String> {
        self.files.keys().cloned().collect()
    }
}

/// The index of `files`, added in the order given; dashboards keep their
/// parsed content for the checks (the scanner's own copy of the sources,
/// pointers to the files' documents, is dropped).
fn index_of<'a>(files: impl IntoIterator<Item = &'a Arc<ParsedFile>>) -> Arc<Index> {
    let mut scanner = Scanner::keeping_sources();
    for file in files {
        scanner.add_shared(file);
    }
    Arc::new(scanner.finish())
}

/// Runs every check over the repository.
pub fn validate(repo: &Repository, options: &Options) -> Report {
    validate_scoped(repo, options, None)
}

/// Runs every check that can report a problem in one of `files` (their
/// documents and dashboards, and the repository-wide checks), and keeps the
/// diagnostics placed in those files: what an editor needs after changing
/// them, for a fraction of the cost of [`validate`] on a large repository.
pub fn validate_files(repo: &Repository, options: &Options, files: &BTreeSet<String>) -> Report {
    validate_scoped(repo, options, Some(files))
}

fn validate_scoped(
    repo: &Repository,
    options: &Options,
    scope: Option<&BTreeSet<String>>,
) -> Report {
    let in_scope = |file: &str| scope.is_none_or(|s| s.contains(file));
    let mut diagnostics = Vec::new();
    let mut file_findings: Vec<(String, Finding)> = Vec::new();
    checks::files::run(&repo.index, &mut file_findings);
    checks::kustomize::run(&repo.index, &repo.paths(), &mut file_findings);
    for (file, finding) in file_findings {
        diagnostics.push(place_in_file(&file, None, finding));
    }
    let sources: Vec<&SourceFile> = repo.sources().filter(|s| in_scope(&s.path)).collect();
    for placed in crate::parallel::map(&sources, |source| manifest_checks(source)) {
        diagnostics.extend(placed);
    }
    let known = checks::datasources::Known::new(&repo.index, &options.external_datasources);
    let dashboards: Vec<&Dashboard> = repo
        .index
        .dashboards
        .iter()
        .filter(|d| in_scope(&d.file))
        .collect();
    let per_dashboard = crate::parallel::map_largest_first(
        &dashboards,
        |dashboard| dashboard.size,
        |dashboard| dashboard_checks(repo, &known, dashboard),
    );
    let mut queries = 0;
    for (placed, count) in per_dashboard {
        diagnostics.extend(placed);
        queries += count;
    }
    for (dashboard, finding) in checks::uniqueness::run(&repo.index) {
        diagnostics.push(place(repo, dashboard, finding));
    }
    if scope.is_some() {
        diagnostics.retain(|d| in_scope(&d.file));
    }
    let summary = Summary {
        files: repo.index.files,
        dashboards: repo.index.dashboards.len(),
        queries,
        ..Summary::default()
    };
    Report::new(summary, diagnostics)
}

/// The CRD schema and size checks of every document of a file.
fn manifest_checks(source: &SourceFile) -> Vec<Diagnostic> {
    let mut placed = Vec::new();
    for doc in &source.documents {
        let mut findings = Vec::new();
        super::schema::check_manifest(&doc.value, &mut findings);
        super::schema::check_size(&doc.value, &mut findings);
        placed.extend(
            findings
                .into_iter()
                .map(|f| place_in_manifest(&source.path, doc, f)),
        );
    }
    placed
}

/// Every check of one dashboard, placed; and how many queries it has.
fn dashboard_checks(
    repo: &Repository,
    known: &checks::datasources::Known<'_>,
    dashboard: &Dashboard,
) -> (Vec<Diagnostic>, usize) {
    let mut findings = Vec::new();
    let mut queries = 0;
    checks::content::run(dashboard, &mut findings);
    if let Some(content) = &dashboard.content {
        super::schema::check_dashboard(content, &mut findings);
    }
    if let Some(model) = &dashboard.model {
        checks::panels::run(model, &mut findings);
        let mappings = repo.mappings(dashboard);
        checks::datasources::run(known, model, &mappings, &mut findings);
        let json = repo.json_text(dashboard);
        let broken = checks::variables::run(model, &mappings, json, &mut findings);
        queries = checks::queries::run(model, &broken, &mut findings);
    }
    let mut placer = Placer::new(repo, dashboard);
    (
        findings.into_iter().map(|f| placer.place(f)).collect(),
        queries,
    )
}

/// A finding about a file as a whole or a line of it.
fn place_in_file(file: &str, dashboard: Option<&str>, finding: Finding) -> Diagnostic {
    let (line, column) = finding.position.unwrap_or((1, 1));
    diagnostic(file, line, column, dashboard, finding)
}

/// A finding about a resource's manifest, placed at the value its pointer
/// names (or the nearest written value above it).
fn place_in_manifest(file: &str, doc: &Document, finding: Finding) -> Diagnostic {
    let (line, column) = doc
        .nearest(&finding.pointer)
        .map_or((doc.line, 1), |n| (n.line, n.column));
    // The resource's name: the document's, or the List item's the pointer is in.
    let item = finding
        .pointer
        .strip_prefix("/items/")
        .and_then(|rest| rest.split('/').next())
        .map(|i| format!("/items/{i}"))
        .unwrap_or_default();
    let name = doc
        .value
        .pointer(&format!("{item}/metadata/name"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    diagnostic(file, line, column, name.as_deref(), finding)
}

/// A finding about a dashboard, placed in its YAML file.
pub(crate) fn place(repo: &Repository, dashboard: &Dashboard, finding: Finding) -> Diagnostic {
    Placer::new(repo, dashboard).place(finding)
}

/// Places the findings of one dashboard, reading its JSON text once.
struct Placer<'r> {
    dashboard: &'r Dashboard,
    doc: Option<&'r Document>,
    root: String,
    /// The content scalar's position and, for `spec.json`, its text.
    content: Option<(&'r NodePos, Option<Content<'r>>)>,
}

struct Content<'r> {
    locator: locate::JsonLocator<'r>,
    /// Byte offset of each line start in the text.
    lines: Vec<usize>,
}

impl<'r> Placer<'r> {
    fn new(repo: &'r Repository, dashboard: &'r Dashboard) -> Self {
        let doc = repo.document(&dashboard.file, dashboard.document);
        let root = doc.map_or_else(String::new, |d| manifest_root(&d.value, &dashboard.name));
        let content = doc.and_then(|doc| {
            let key = match dashboard.source {
                ContentSource::GzipJson => "gzipJson",
                _ => "json",
            };
            let pointer = format!("{root}/spec/{key}");
            let node = doc.nearest(&pointer)?;
            let text = doc.value.pointer(&pointer).and_then(Value::as_str);
            let content = text
                .filter(|_| dashboard.source != ContentSource::GzipJson)
                .map(|text| Content {
                    locator: locate::JsonLocator::new(text),
                    lines: std::iter::once(0)
                        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
                        .collect(),
                });
            Some((node, content))
        });
        Self {
            dashboard,
            doc,
            root,
            content,
        }
    }

    fn place(&mut self, finding: Finding) -> Diagnostic {
        let name = Some(self.dashboard.name.as_str());
        let file = &self.dashboard.file;
        let Some(doc) = self.doc else {
            return place_in_file(file, name, finding);
        };
        let (line, column) = match finding.within {
            Within::File => finding.position.unwrap_or((doc.line, 1)),
            Within::Manifest => doc
                .nearest(&format!("{}{}", self.root, finding.pointer))
                .map_or((doc.line, 1), |n| (n.line, n.column)),
            Within::Dashboard => self.in_dashboard(&finding).unwrap_or((doc.line, 1)),
        };
        diagnostic(file, line, column, name, finding)
    }

    /// Where a pointer (and offset inside its string) of the dashboard JSON
    /// is written in the YAML file: exact through a `json: |` block.
    fn in_dashboard(&mut self, finding: &Finding) -> Option<(usize, usize)> {
        let (node, content) = self.content.as_mut()?;
        let start = (node.line, node.column);
        let Some(content) = content else {
            return Some(start);
        };
        if let Some((line, column)) = finding.position {
            return Some(locate::through_scalar(node, line, column));
        }
        let Some(mut offset) = content.locator.offset(&finding.pointer) else {
            return Some(start);
        };
        let text = content.locator.text();
        if let Some(inner) = finding.offset {
            if text.as_bytes().get(offset) == Some(&b'"') {
                offset = locate::string_char_offset(text, offset, inner);
            }
        }
        let line = content.lines.partition_point(|&s| s <= offset);
        let line_start = content.lines[line - 1];
        let column = text
            .get(line_start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Some(locate::through_scalar(node, line, column))
    }
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
