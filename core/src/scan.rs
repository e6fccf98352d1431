//! The repository scanner: reads every YAML file of a tree, recognises the
//! operator's CRDs and kustomizations, and builds the [`Index`]. Never writes.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use crate::crd::{self, FolderSpec, Resource};
use crate::index::Index;
use crate::kustomize;
use crate::model::{
    Dashboard, Datasource, Deployment, FileProblem, FolderCrd, FolderSource, Kustomization,
};
use crate::yaml;

/// Directories never worth scanning.
const SKIP_DIRS: [&str; 5] = [".git", "node_modules", "target", ".terraform", "vendor"];

/// Files larger than this are reported and skipped (no manifest is this big).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// How much of a tree one scan reads: at most `max_files` YAML files and
/// `max_total_bytes` of them, in path order. What is over the limit is
/// reported as one problem on the first file left out, never read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanLimits {
    pub max_files: usize,
    pub max_total_bytes: u64,
}

impl Default for ScanLimits {
    /// Far above any dashboards repository (the corpus: 70 files, 4 MB).
    fn default() -> Self {
        Self {
            max_files: 20_000,
            max_total_bytes: 1024 * 1024 * 1024,
        }
    }
}

/// Why a tree could not be scanned at all.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0} is not a directory")]
    NotADirectory(String),
}

/// Accumulates files and resolves them into an [`Index`]. Pure: usable
/// without a filesystem (the browser feeds it files directly).
#[derive(Default)]
pub struct Scanner {
    files: usize,
    dashboards: Vec<(Dashboard, FolderSpec)>,
    folders: Vec<FolderCrd>,
    datasources: Vec<Datasource>,
    kustomizations: Vec<Kustomization>,
    problems: Vec<FileProblem>,
    /// The parsed YAML of every file, kept for validation when asked for.
    sources: Option<Vec<Arc<SourceFile>>>,
}

/// One file's YAML documents with the position of every value, kept by a
/// scanner made with [`Scanner::keeping_sources`].
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub documents: Vec<yaml::Document>,
}

/// One file read and parsed: its YAML documents (shared: a repository
/// rebuilt with some files changed points at the others' documents) and the
/// operator resources in them, or why it could not be used.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    path: String,
    size: u64,
    kustomization: Option<Kustomization>,
    #[expect(clippy::type_complexity, reason = "a private pair, named by its use")]
    content: Result<(Arc<SourceFile>, Vec<(usize, Resource)>), FileProblem>,
}

impl ParsedFile {
    /// The repository-relative path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The file's YAML documents, if it parsed.
    pub fn source(&self) -> Option<&Arc<SourceFile>> {
        self.content.as_ref().ok().map(|(source, _)| source)
    }

    /// A file that could not be used, with why.
    fn problem(path: &str, size: u64, message: String) -> Self {
        Self {
            path: path.to_owned(),
            size,
            kustomization: None,
            content: Err(FileProblem {
                file: path.to_owned(),
                line: 1,
                column: 1,
                message,
            }),
        }
    }
}

/// Parses one file by its repository-relative path (`/` separated).
pub fn parse_file(path: &str, bytes: &[u8]) -> ParsedFile {
    let problem = |line, column, message| FileProblem {
        file: path.to_owned(),
        line,
        column,
        message,
    };
    let mut parsed = ParsedFile {
        path: path.to_owned(),
        size: bytes.len() as u64,
        kustomization: None,
        content: Err(problem(1, 1, "the file is not valid UTF-8".to_owned())),
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return parsed;
    };
    if kustomize::is_kustomization(path) {
        parsed.kustomization = Some(kustomize::parse(path, text));
    }
    parsed.content = match yaml::load_documents(text) {
        Ok(docs) => {
            let resources = docs
                .iter()
                .enumerate()
                .flat_map(|(i, doc)| {
                    crd::resources_in(&doc.value)
                        .into_iter()
                        .map(move |r| (i, r))
                })
                .collect();
            Ok((
                Arc::new(SourceFile {
                    path: path.to_owned(),
                    documents: docs,
                }),
                resources,
            ))
        }
        Err(e) => Err(problem(
            e.line,
            e.column,
            format!("YAML does not parse: {}", e.message),
        )),
    };
    parsed
}

impl Scanner {
    pub fn new() -> Self {
        Self::default()
    }

    /// A scanner that also keeps every file's parsed documents.
    pub fn keeping_sources() -> Self {
        Self {
            sources: Some(Vec::new()),
            ..Self::default()
        }
    }

    /// Add one file by its repository-relative path (`/` separated).
    pub fn add_file(&mut self, path: &str, bytes: &[u8]) {
        self.add_parsed(parse_file(path, bytes));
    }

    /// Add a file parsed by [`parse_file`] (which needs no scanner, so files
    /// can be parsed in parallel and added in order).
    pub fn add_parsed(&mut self, file: ParsedFile) {
        self.files += 1;
        if let Some(k) = file.kustomization {
            self.kustomizations.push(k);
        }
        let (source, resources) = match file.content {
            Ok(content) => content,
            Err(problem) => {
                self.problems.push(problem);
                return;
            }
        };
        for (index, resource) in resources {
            self.add_resource(&file.path, index, file.size, resource);
        }
        if let Some(sources) = &mut self.sources {
            sources.push(source);
        }
    }

    /// [`Scanner::add_parsed`] for a file that stays shared: its resources
    /// are copied, its YAML documents are not.
    pub fn add_shared(&mut self, file: &ParsedFile) {
        self.files += 1;
        if let Some(k) = &file.kustomization {
            self.kustomizations.push(k.clone());
        }
        let (source, resources) = match &file.content {
            Ok(content) => content,
            Err(problem) => {
                self.problems.push(problem.clone());
                return;
            }
        };
        for (index, resource) in resources {
            self.add_resource(&file.path, *index, file.size, resource.clone());
        }
        if let Some(sources) = &mut self.sources {
            sources.push(Arc::clone(source));
        }
    }

    fn add_resource(&mut self, file: &str, document: usize, size: u64, resource: Resource) {
        match resource {
            Resource::Dashboard(d) => {
                let d = *d;
                let dashboard = Dashboard {
                    namespace: d.namespace.unwrap_or_default(),
                    name: d.name,
                    file: file.to_owned(),
                    document,
                    size,
                    source: d.source,
                    folder: String::new(),
                    folder_source: FolderSource::NamespaceDefault,
                    deployment: Deployment::Unlisted,
                    model: d.model,
                    content_error: d.content_error,
                    content: d.content.filter(|_| self.sources.is_some()),
                };
                self.dashboards.push((dashboard, d.folder));
            }
            Resource::Folder {
                namespace,
                name,
                title,
                uid,
            } => self.folders.push(FolderCrd {
                namespace: namespace.unwrap_or_default(),
                name,
                title,
                uid,
                file: file.to_owned(),
            }),
            Resource::Datasource {
                namespace,
                name,
                display_name,
                r#type,
                uid,
            } => self.datasources.push(Datasource {
                namespace: namespace.unwrap_or_default(),
                name,
                display_name,
                r#type,
                uid,
                file: file.to_owned(),
                deployment: Deployment::Unlisted,
            }),
        }
    }

    /// Resolve folders, namespaces and deployment, and build the index.
    pub fn finish(self) -> Index {
        self.finish_with_sources().0
    }

    /// [`Scanner::finish`], also returning the kept sources (empty unless
    /// made with [`Scanner::keeping_sources`]).
    pub fn finish_with_sources(mut self) -> (Index, Vec<Arc<SourceFile>>) {
        let sources = self.sources.take().unwrap_or_default();
        let deployments = deployments(&self.kustomizations);
        let namespaces = kustomize_namespaces(&self.kustomizations);
        let mut folders = self.folders;
        for f in &mut folders {
            f.namespace = namespace_for(&f.file, &f.namespace, &namespaces);
        }
        let dashboards = self
            .dashboards
            .into_iter()
            .map(|(mut d, spec)| {
                d.namespace = namespace_for(&d.file, &d.namespace, &namespaces);
                d.deployment = deployment_of(&d.file, &deployments);
                (d.folder, d.folder_source) = resolve_folder(&spec, &d.namespace, &folders);
                d
            })
            .collect();
        let datasources = self
            .datasources
            .into_iter()
            .map(|mut ds| {
                ds.namespace = namespace_for(&ds.file, &ds.namespace, &namespaces);
                ds.deployment = deployment_of(&ds.file, &deployments);
                ds
            })
            .collect();
        let index = Index::new(
            self.files,
            dashboards,
            folders,
            datasources,
            self.kustomizations,
            self.problems,
        );
        (index, sources)
    }
}

/// The folder title the operator puts a dashboard of `namespace` in.
pub fn resolve_folder(
    spec: &FolderSpec,
    namespace: &str,
    folders: &[FolderCrd],
) -> (String, FolderSource) {
    match spec {
        FolderSpec::Title(t) => (t.clone(), FolderSource::Title),
        FolderSpec::Uid(uid) => {
            let title = folders
                .iter()
                .find(|f| f.uid.as_deref() == Some(uid.as_str()))
                .map_or_else(|| uid.clone(), |f| f.title.clone());
            (title, FolderSource::Uid)
        }
        FolderSpec::Ref(name) => {
            let title = folders
                .iter()
                .find(|f| &f.name == name && f.namespace == namespace)
                .map_or_else(|| name.clone(), |f| f.title.clone());
            (title, FolderSource::Ref)
        }
        FolderSpec::None => (namespace.to_owned(), FolderSource::NamespaceDefault),
    }
}

/// For every file some kustomization names: listed (wins) or disabled.
fn deployments(kustomizations: &[Kustomization]) -> HashMap<String, Deployment> {
    let mut out: HashMap<String, Deployment> = HashMap::new();
    for k in kustomizations {
        for entry in &k.resources {
            let Some(path) = kustomize::resolve(&k.file, &entry.path) else {
                continue;
            };
            let deployment = if entry.disabled {
                Deployment::Disabled {
                    by: k.file.clone(),
                    reason: entry.comment.clone(),
                }
            } else {
                Deployment::Listed { by: k.file.clone() }
            };
            match out.get(&path) {
                Some(Deployment::Listed { .. }) => {}
                Some(Deployment::Disabled { .. }) if entry.disabled => {}
                _ => {
                    out.insert(path, deployment);
                }
            }
        }
    }
    out
}

fn deployment_of(file: &str, deployments: &HashMap<String, Deployment>) -> Deployment {
    deployments
        .get(file)
        .cloned()
        .unwrap_or(Deployment::Unlisted)
}

/// Namespaces that kustomizations set (`namespace:`) on the files they list:
/// kustomize overrides whatever the resource itself says.
fn kustomize_namespaces(kustomizations: &[Kustomization]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for k in kustomizations {
        let Some(ns) = &k.namespace else { continue };
        for entry in k.resources.iter().filter(|e| !e.disabled) {
            if let Some(path) = kustomize::resolve(&k.file, &entry.path) {
                out.entry(path).or_insert_with(|| ns.clone());
            }
        }
    }
    out
}

/// The namespace a resource lands in: the kustomization's override, else its
/// own `metadata.namespace`, else `default`.
fn namespace_for(file: &str, own: &str, namespaces: &BTreeMap<String, String>) -> String {
    match namespaces.get(file) {
        Some(ns) => ns.clone(),
        None if own.is_empty() => "default".to_owned(),
        None => own.to_owned(),
    }
}

/// Scan a directory tree on disk.
pub fn scan_dir(root: &Path) -> Result<Index, ScanError> {
    scan_dir_with(root, Scanner::new()).map(Scanner::finish)
}

/// Feed every YAML file of a directory tree on disk to `scanner`. Files are
/// read and parsed on every core, then added in path order.
pub fn scan_dir_with(root: &Path, mut scanner: Scanner) -> Result<Scanner, ScanError> {
    for file in parse_dir(root)? {
        scanner.add_parsed(file);
    }
    Ok(scanner)
}

/// Read and parse every YAML file of a directory tree on disk, on every core,
/// in path order. Unreadable and oversized files come back as problems.
pub fn parse_dir(root: &Path) -> Result<Vec<ParsedFile>, ScanError> {
    parse_dir_limited(root, &ScanLimits::default())
}

/// [`parse_dir`] within `limits`: the walk stops after one file more than
/// `max_files`, and the files past either limit come back as one problem.
pub fn parse_dir_limited(root: &Path, limits: &ScanLimits) -> Result<Vec<ParsedFile>, ScanError> {
    if !root.is_dir() {
        return Err(ScanError::NotADirectory(root.display().to_string()));
    }
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    'walk: while let Some(dir) = stack.pop() {
        let io = |source| ScanError::Io {
            path: dir.display().to_string(),
            source,
        };
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .map_err(io)?
            .filter_map(Result::ok)
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if file_type.is_dir() {
                if !SKIP_DIRS.contains(&name.as_ref()) {
                    stack.push(path);
                }
                continue;
            }
            // Symlinks are not followed: they could point outside the repository.
            if !file_type.is_file() || !is_yaml_name(&name) {
                continue;
            }
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            files.push((relative(root, &path), path, size));
            if files.len() > limits.max_files {
                break 'walk;
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let over = over_limits(&files, limits);
    let left_out = over.map(|at| files.split_off(at));
    let mut parsed = crate::parallel::map_largest_first(
        &files,
        |f| f.2,
        |(rel, path, size)| {
            if *size > MAX_FILE_BYTES {
                return ParsedFile::problem(
                    rel,
                    *size,
                    format!("file is {size} bytes, over the {MAX_FILE_BYTES}-byte limit; skipped"),
                );
            }
            match std::fs::read(path) {
                Ok(bytes) => parse_file(rel, &bytes),
                Err(e) => ParsedFile::problem(rel, 0, format!("cannot read the file: {e}")),
            }
        },
    );
    if let Some(left_out) = left_out {
        let (rel, _, size) = &left_out[0];
        parsed.push(ParsedFile::problem(
            rel,
            *size,
            format!(
                "the scan stopped at its limit of {} YAML files and {} bytes: this file and \
                 {} more after it in path order were not read",
                limits.max_files,
                limits.max_total_bytes,
                left_out.len() - 1
            ),
        ));
    }
    Ok(parsed)
}

/// The index of the first file (in path order) past `limits`, if any.
/// Files over [`MAX_FILE_BYTES`] are not read, so their size does not count.
fn over_limits(files: &[(String, std::path::PathBuf, u64)], limits: &ScanLimits) -> Option<usize> {
    let mut total = 0u64;
    for (i, (_, _, size)) in files.iter().enumerate() {
        if *size <= MAX_FILE_BYTES {
            total = total.saturating_add(*size);
        }
        if i >= limits.max_files || total > limits.max_total_bytes {
            return Some(i);
        }
    }
    None
}

/// Whether the scanner reads a file of this name (`*.yaml`, `*.yml`, `Kustomization`).
pub fn is_yaml_name(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml") || name == "Kustomization"
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::QueryLanguage;
    use crate::DashboardFilter;

    const KUSTOMIZATION: &str = "resources:
  - dash/a.yaml
  # - dash/b.yaml  # disabled: too large
  - folders.yaml
";

    const DASH_A: &str = r#"apiVersion: grafana.integreatly.org/v1beta1
kind: GrafanaDashboard
metadata:
  name: a
  namespace: grafana
spec:
  folderRef: ops
  json: |
    {"title": "A", "uid": "a", "panels": [
      {"id": 1, "type": "timeseries", "title": "p",
       "datasource": {"type": "prometheus", "uid": "p"}, "targets": [{"expr": "up"}]}]}
"#;

    const DASH_B: &str = r#"apiVersion: grafana.integreatly.org/v1beta1
kind: GrafanaDashboard
metadata:
  name: b
spec:
  json: |
    {"title": "B", "panels": [}
---
apiVersion: grafana.integreatly.org/v1beta1
kind: GrafanaDashboard
metadata:
  name: c
  namespace: grafana
spec:
  folder: Ops Team
  url: https://example.com/c.json
"#;

    const FOLDERS: &str = "apiVersion: grafana.integreatly.org/v1beta1
kind: GrafanaFolder
metadata:
  name: ops
  namespace: grafana
spec:
  title: Ops Team
";

    fn scanned() -> Index {
        let mut s = Scanner::new();
        s.add_file("kustomization.yaml", KUSTOMIZATION.as_bytes());
        s.add_file("dash/a.yaml", DASH_A.as_bytes());
        s.add_file("dash/b.yaml", DASH_B.as_bytes());
        s.add_file("folders.yaml", FOLDERS.as_bytes());
        s.add_file("broken.yaml", b"a: [\n");
        s.add_file("binary.yaml", &[0xff, 0xfe, 0x00]);
        s.finish()
    }

    #[test]
    fn resolves_folders_namespaces_and_deployment() {
        let index = scanned();
        assert_eq!(index.files, 6);
        assert_eq!(index.dashboards.len(), 3);
        let a = index.dashboard("grafana", "a").expect("a");
        assert_eq!(a.folder, "Ops Team");
        assert_eq!(a.folder_source, FolderSource::Ref);
        assert_eq!(
            a.deployment,
            Deployment::Listed {
                by: "kustomization.yaml".into()
            }
        );
        assert_eq!(
            a.model.as_ref().expect("model").panels[0].targets[0].language,
            QueryLanguage::PromQL
        );
        let b = index
            .dashboard("default", "b")
            .expect("b without namespace lands in default");
        assert!(b.is_broken());
        assert_eq!(b.folder, "default");
        assert_eq!(b.folder_source, FolderSource::NamespaceDefault);
        assert_eq!(
            b.deployment,
            Deployment::Disabled {
                by: "kustomization.yaml".into(),
                reason: Some("disabled: too large".into())
            }
        );
        let c = index.dashboard("grafana", "c").expect("c");
        assert_eq!(c.document, 1);
        assert_eq!(
            c.deployment,
            Deployment::Disabled {
                by: "kustomization.yaml".into(),
                reason: Some("disabled: too large".into())
            }
        );
        let folders = index.folders();
        let titles: Vec<(&str, usize)> = folders
            .iter()
            .map(|f| (f.title.as_str(), f.dashboards))
            .collect();
        assert_eq!(titles, vec![("default", 1), ("Ops Team", 2)]);
        assert_eq!(folders[1].crd.as_deref(), Some("grafana/ops"));
    }

    #[test]
    fn reports_unreadable_files_without_failing() {
        let index = scanned();
        let files: Vec<&str> = index.problems.iter().map(|p| p.file.as_str()).collect();
        assert_eq!(files, vec!["binary.yaml", "broken.yaml"]);
        assert!(index.problems[0].message.contains("UTF-8"));
        assert!(index.problems[1].message.contains("YAML"));
    }

    #[test]
    fn filters_by_folder_and_text() {
        let index = scanned();
        let by_folder = DashboardFilter {
            folder: Some("Ops Team".into()),
            q: None,
        };
        assert_eq!(index.dashboards(&by_folder).count(), 2);
        let by_metric = DashboardFilter {
            folder: None,
            q: Some("UP".into()),
        };
        let names: Vec<&str> = index
            .dashboards(&by_metric)
            .map(|d| d.name.as_str())
            .collect();
        assert_eq!(names, vec!["a"]);
        let none = DashboardFilter {
            folder: Some("Nope".into()),
            q: None,
        };
        assert_eq!(index.dashboards(&none).count(), 0);
    }

    #[test]
    fn kustomize_namespace_overrides() {
        let mut s = Scanner::new();
        s.add_file(
            "kustomization.yaml",
            b"namespace: monitoring\nresources:\n  - dash/a.yaml\n",
        );
        s.add_file("dash/a.yaml", DASH_A.as_bytes());
        let index = s.finish();
        assert!(index.dashboard("monitoring", "a").is_some());
    }

    #[test]
    fn scan_limits_leave_out_files_past_the_count_or_bytes_as_one_problem() {
        let root =
            std::env::temp_dir().join(format!("dashstudio-scan-limits-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("dash")).expect("mkdir");
        for i in 0..5 {
            std::fs::write(root.join(format!("dash/d{i}.yaml")), "a: 1234567\n").expect("write");
        }
        let paths = |files: &[ParsedFile]| {
            files
                .iter()
                .map(|f| f.path().to_owned())
                .collect::<Vec<_>>()
        };
        let all = parse_dir(&root).expect("scan");
        assert_eq!(all.len(), 5);
        assert!(all.iter().all(|f| f.source().is_some()));

        let by_count = ScanLimits {
            max_files: 3,
            max_total_bytes: 1 << 20,
        };
        let files = parse_dir_limited(&root, &by_count).expect("scan");
        assert_eq!(
            paths(&files),
            [
                "dash/d0.yaml",
                "dash/d1.yaml",
                "dash/d2.yaml",
                "dash/d3.yaml"
            ]
        );
        assert!(files[..3].iter().all(|f| f.source().is_some()));
        let problem = files[3].content.as_ref().expect_err("a problem");
        assert!(
            problem.message.contains("limit of 3 YAML files"),
            "{}",
            problem.message
        );

        // Each file is 11 bytes: 25 bytes hold two of them.
        let by_bytes = ScanLimits {
            max_files: 100,
            max_total_bytes: 25,
        };
        let files = parse_dir_limited(&root, &by_bytes).expect("scan");
        assert_eq!(files.len(), 3);
        let problem = files[2].content.as_ref().expect_err("a problem");
        assert!(
            problem.message.contains("and 2 more after it"),
            "{}",
            problem.message
        );
        let mut scanner = Scanner::new();
        files.into_iter().for_each(|f| scanner.add_parsed(f));
        assert_eq!(scanner.finish().problems.len(), 1);
        std::fs::remove_dir_all(&root).expect("cleanup");
    }

    #[test]
    fn scan_dir_rejects_missing_directory() {
        let err = scan_dir(Path::new("/definitely/not/here")).expect_err("missing");
        assert!(err.to_string().contains("not a directory"));
    }
}
