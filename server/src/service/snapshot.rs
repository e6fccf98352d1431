//! The repository as the studio last read it: every YAML file parsed once,
//! the index built from them, and the commit they came from. A fetch
//! re-parses only the files that changed; validating a draft re-parses only
//! the files the draft writes, and shares every other file's parse.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::body::Bytes;
use axum::http::HeaderValue;

use dashstudio_core::scan::{self, ParsedFile, ScanLimits};
use dashstudio_core::validate::{self, Options, Report, Repository};
use dashstudio_core::{Index, ScanError};

use super::plan::Changes;

pub struct Snapshot {
    /// The commit the working tree held when read (`None`: not a Git repository).
    pub head: Option<String>,
    /// Every file as parsed, with the index and the YAML validation reads.
    repo: Repository,
    /// The repository's index (the same `Arc`), for the pages and the API.
    pub index: Arc<Index>,
    /// How much a full scan reads; kept for the next one.
    limits: ScanLimits,
    /// API answers already made from this snapshot (see [`Answer`]).
    answers: Mutex<HashMap<String, Arc<Answer>>>,
}

/// A serialised API answer made from a snapshot, reused while the snapshot
/// is current (a fetch or push makes a new one, with no answers). An answer
/// read from a file keeps the file's [`FileStamp`] and is made again when the
/// file changed on disk since.
#[derive(Debug)]
pub struct Answer {
    pub stamp: Option<FileStamp>,
    pub body: Bytes,
    /// The `ETag` header, for answers that have one.
    pub etag: Option<HeaderValue>,
}

/// What a file looked like when read: its size and modification time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl FileStamp {
    pub fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// At most this many answers per snapshot (past it, they start over).
const MAX_ANSWERS: usize = 2_048;

impl Snapshot {
    /// Parse every YAML file under `root`.
    pub fn read(root: &Path, head: Option<String>) -> Result<Self, ScanError> {
        Self::read_limited(root, head, ScanLimits::default())
    }

    /// Parse the YAML files under `root`, within `limits`.
    pub fn read_limited(
        root: &Path,
        head: Option<String>,
        limits: ScanLimits,
    ) -> Result<Self, ScanError> {
        let files = scan::parse_dir_limited(root, &limits)?;
        Ok(Self::new(head, Repository::from_parsed(files), limits))
    }

    /// A full re-read of `root` within this snapshot's limits.
    pub fn reread(&self, root: &Path, head: Option<String>) -> Result<Self, ScanError> {
        Self::read_limited(root, head, self.limits)
    }

    fn new(head: Option<String>, repo: Repository, limits: ScanLimits) -> Self {
        Self {
            head,
            index: Arc::clone(&repo.index),
            repo,
            limits,
            answers: Mutex::new(HashMap::new()),
        }
    }

    /// The answer kept for `key`, if it was made from a file that still has
    /// `stamp` (or from no file: `None` both times).
    pub fn answer(&self, key: &str, stamp: Option<&FileStamp>) -> Option<Arc<Answer>> {
        let answers = self
            .answers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        answers
            .get(key)
            .filter(|a| a.stamp.as_ref() == stamp)
            .cloned()
    }

    /// Keep `answer` for `key`; returns it.
    pub fn keep_answer(&self, key: String, answer: Answer) -> Arc<Answer> {
        let answer = Arc::new(answer);
        let mut answers = self
            .answers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if answers.len() >= MAX_ANSWERS {
            answers.clear();
        }
        answers.insert(key, Arc::clone(&answer));
        answer
    }

    /// The parsed repository, as validation sees it.
    pub fn repository(&self) -> &Repository {
        &self.repo
    }

    /// A new snapshot with `changed` paths re-read from `root` (a path now
    /// missing, or no longer a YAML file, is dropped).
    pub fn refreshed(&self, root: &Path, changed: &[String], head: Option<String>) -> Self {
        let parsed: Vec<ParsedFile> = changed.iter().filter_map(|p| read_file(root, p)).collect();
        Self::new(head, self.repo.with_files(parsed, changed), self.limits)
    }

    /// Validate the repository as it would be with `changes` applied; the
    /// diagnostics are those placed in the changed files.
    pub fn validate_with(&self, changes: &Changes, options: &Options) -> Report {
        let mut parsed = Vec::new();
        let mut removed = Vec::new();
        for (path, content) in changes {
            match content {
                Some(text) => parsed.push(scan::parse_file(path, text.as_bytes())),
                None => removed.push(path.clone()),
            }
        }
        let scope = changes.keys().cloned().collect();
        validate::validate_files(&self.repo.with_files(parsed, &removed), options, &scope)
    }
}

/// The YAML file at `path` under `root` parsed, or `None` when it is not one
/// a scan reads (missing, not a YAML name, under `.git`, a symlink).
fn read_file(root: &Path, path: &str) -> Option<ParsedFile> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if !scan::is_yaml_name(name) || path.split('/').any(|s| s == ".git") {
        return None;
    }
    let full = root.join(path);
    // Symlinks are not followed, as in a full scan.
    let is_file = std::fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_file());
    if !is_file {
        return None;
    }
    let bytes = std::fs::read(&full).ok()?;
    Some(scan::parse_file(path, &bytes))
}
