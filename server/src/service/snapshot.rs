//! The repository as the studio last read it: every YAML file parsed once,
//! the index built from them, and the commit they came from. A fetch
//! re-parses only the files that changed; validating a draft re-parses only
//! the files the draft writes.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use dashstudio_core::scan::{self, ParsedFile};
use dashstudio_core::validate::{self, Options, Report};
use dashstudio_core::{Index, ScanError, Scanner};

use super::plan::Changes;

pub struct Snapshot {
    /// The commit the working tree held when read (`None`: not a Git repository).
    pub head: Option<String>,
    files: BTreeMap<String, ParsedFile>,
    pub index: Arc<Index>,
}

impl Snapshot {
    /// Parse every YAML file under `root`.
    pub fn read(root: &Path, head: Option<String>) -> Result<Self, ScanError> {
        let files = scan::parse_dir(root)?
            .into_iter()
            .map(|f| (f.path().to_owned(), f))
            .collect();
        Ok(Self::from_files(head, files))
    }

    fn from_files(head: Option<String>, files: BTreeMap<String, ParsedFile>) -> Self {
        let mut scanner = Scanner::new();
        for file in files.values() {
            scanner.add_parsed(file.clone());
        }
        Self {
            head,
            index: Arc::new(scanner.finish()),
            files,
        }
    }

    /// A new snapshot with `changed` paths re-read from `root` (a path now
    /// missing, or no longer a YAML file, is dropped).
    pub fn refreshed(&self, root: &Path, changed: &[String], head: Option<String>) -> Self {
        let mut files = self.files.clone();
        for path in changed {
            files.remove(path);
            let name = path.rsplit('/').next().unwrap_or(path);
            if !scan::is_yaml_name(name) || path.split('/').any(|s| s == ".git") {
                continue;
            }
            let full = root.join(path);
            // Symlinks are not followed, as in a full scan.
            let is_file = std::fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_file());
            if !is_file {
                continue;
            }
            let parsed = match std::fs::read(&full) {
                Ok(bytes) => scan::parse_file(path, &bytes),
                Err(_) => continue,
            };
            files.insert(path.clone(), parsed);
        }
        Self::from_files(head, files)
    }

    /// Validate the repository as it would be with `changes` applied; the
    /// diagnostics are those placed in the changed files.
    pub fn validate_with(&self, changes: &Changes, options: &Options) -> Report {
        let mut files = Vec::with_capacity(self.files.len() + changes.len());
        for (path, file) in &self.files {
            if !changes.contains_key(path) {
                files.push(file.clone());
            }
        }
        for (path, content) in changes {
            if let Some(text) = content {
                files.push(scan::parse_file(path, text.as_bytes()));
            }
        }
        files.sort_by(|a, b| a.path().cmp(b.path()));
        let scope = changes.keys().cloned().collect();
        validate::validate_files(&validate::Repository::from_parsed(files), options, &scope)
    }
}
