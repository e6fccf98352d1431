//! From drafts to file changes: each draft re-applied onto the files as they
//! are now (three-way merged at the JSON level when the file moved on since
//! the draft's base), kustomization entries kept in step. Pure: text in,
//! text out; the caller reads the files.

use std::collections::BTreeMap;

use dashstudio_core::edit::{self, crd::Folder, Conflict, EditError};
use dashstudio_core::model::Deployment;
use dashstudio_core::Index;
use serde_json::Value;

use crate::db::drafts::{Draft, DraftKind};

/// Why a draft cannot be applied.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The file changed upstream in the same places as the draft.
    #[error("{name}: the dashboard changed upstream in the same places as the draft ({} conflicts)", conflicts.len())]
    Conflict {
        name: String,
        file: String,
        conflicts: Vec<Conflict>,
        /// The upstream dashboard, for the client to resolve against.
        theirs: Box<Value>,
        ours: Box<Value>,
    },
    /// The edit itself cannot be made (what and where in the message).
    #[error("{name}: {source}")]
    Edit { name: String, source: EditError },
    /// The draft no longer matches the repository (file gone, name taken…).
    #[error("{0}")]
    Stale(String),
}

/// The files a set of drafts writes: path → new content (`None`: deleted).
pub type Changes = BTreeMap<String, Option<String>>;

/// Where the plan reads the repository: the files as they are at the
/// commit being built on, and older blobs the drafts started from.
pub trait Files {
    /// The text of `path` now (`None`: no such file).
    fn current(&self, path: &str) -> Option<String>;
    /// The text of the blob a draft started from.
    fn blob(&self, id: &str) -> Option<String>;
    /// The git blob id of `text`.
    fn blob_id(&self, text: &str) -> String;
}

/// The folder of a draft's `folder` column.
pub fn folder_of(value: &Value) -> Option<Folder> {
    let get = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_owned);
    get("folder")
        .map(Folder::Title)
        .or_else(|| get("folderUID").map(Folder::Uid))
        .or_else(|| get("folderRef").map(Folder::Ref))
}

/// The file a dashboard is written to after a rename: its name follows the
/// resource's when it was `<old name>.yaml` alone in its file.
pub fn renamed_file(file: &str, old: &str, new: &str, documents: usize) -> String {
    let (dir, base) = match file.rsplit_once('/') {
        Some((d, b)) => (Some(d), b),
        None => (None, file),
    };
    let Some(ext) = [".yaml", ".yml"]
        .into_iter()
        .find(|e| base == format!("{old}{e}"))
    else {
        return file.to_owned();
    };
    if documents != 1 {
        return file.to_owned();
    }
    match dir {
        Some(d) => format!("{d}/{new}{ext}"),
        None => format!("{new}{ext}"),
    }
}

/// The text of `path` with the changes so far applied.
fn text_of(changes: &Changes, files: &dyn Files, path: &str) -> Option<String> {
    match changes.get(path) {
        Some(c) => c.clone(),
        None => files.current(path),
    }
}

/// Adds what `draft` writes to `changes`. `index` is the repository as it is
/// now (where the dashboard lives, which kustomization lists it).
pub fn apply(
    changes: &mut Changes,
    files: &dyn Files,
    index: &Index,
    draft: &Draft,
) -> Result<(), PlanError> {
    let edit_err = |source| PlanError::Edit {
        name: format!("{}/{}", draft.namespace, draft.name),
        source,
    };
    match draft.kind {
        DraftKind::Create => {
            if text_of(changes, files, &draft.new_file).is_some() {
                return Err(PlanError::Stale(format!(
                    "{}/{}: {} already exists in the repository; rename the new dashboard",
                    draft.namespace, draft.name, draft.new_file
                )));
            }
            changes.insert(draft.new_file.clone(), Some(draft.content.clone()));
            add_to_kustomization(changes, files, index, &draft.new_file).map_err(edit_err)?;
            Ok(())
        }
        DraftKind::Delete => {
            let current = index
                .dashboard(&draft.namespace, &draft.name)
                .ok_or_else(|| {
                    PlanError::Stale(format!(
                        "{}/{} is no longer in the repository; discard the draft",
                        draft.namespace, draft.name
                    ))
                })?;
            let file = current.file.clone();
            let documents = documents_in(index, &file);
            if documents > 1 {
                return Err(PlanError::Stale(format!(
                    "{}/{}: {file} holds {documents} resources; deleting one of them is not supported, edit the file instead",
                    draft.namespace, draft.name
                )));
            }
            changes.insert(file.clone(), None);
            if let Some((by, entry)) = kustomization_entry(changes, files, index, &file) {
                let text = text_of(changes, files, &by).unwrap_or_default();
                let out =
                    edit::kustomize::remove_entry(&text, "resources", &entry).map_err(edit_err)?;
                changes.insert(by, Some(out));
            }
            Ok(())
        }
        DraftKind::Edit => apply_edit(changes, files, index, draft),
    }
}

fn apply_edit(
    changes: &mut Changes,
    files: &dyn Files,
    index: &Index,
    draft: &Draft,
) -> Result<(), PlanError> {
    let name = format!("{}/{}", draft.namespace, draft.name);
    let edit_err = |source| PlanError::Edit {
        name: name.clone(),
        source,
    };
    let current = index
        .dashboard(&draft.namespace, &draft.name)
        .ok_or_else(|| {
            PlanError::Stale(format!(
            "{name} is no longer in the repository (renamed or deleted upstream); discard the draft"
        ))
        })?;
    let file = current.file.clone();
    let document = current.document;
    let text = text_of(changes, files, &file)
        .ok_or_else(|| PlanError::Stale(format!("{name}: {file} is gone")))?;

    let mut out = text.clone();
    let opened = match &draft.dashboard {
        Some(ours) => match edit::open_dashboard(&text, document) {
            Ok(opened) => Some((ours, opened)),
            // The file's JSON does not parse: nothing to merge with or keep
            // the layout of; the draft's JSON replaces it as text.
            Err(EditError::Json { .. }) => {
                out = fix_broken_json(&text, document, &draft.content, ours).map_err(edit_err)?;
                None
            }
            Err(e) => return Err(edit_err(e)),
        },
        None => None,
    };
    if let Some((ours, (source, theirs))) = opened {
        let unchanged = draft
            .base_blob
            .as_deref()
            .is_none_or(|b| b == files.blob_id(&text));
        let target = if unchanged {
            ours.clone()
        } else {
            let base_text = draft
                .base_blob
                .as_deref()
                .and_then(|b| files.blob(b))
                .ok_or_else(|| {
                    PlanError::Stale(format!(
                        "{name}: the version the draft started from is no longer in the clone"
                    ))
                })?;
            let document = usize::try_from(draft.document).unwrap_or(document);
            let (_, base) = edit::open_dashboard(&base_text, document).map_err(edit_err)?;
            edit::merge3(&base, ours, &theirs).map_err(|conflicts| PlanError::Conflict {
                name: name.clone(),
                file: file.clone(),
                conflicts,
                theirs: Box::new(theirs.clone()),
                ours: Box::new(ours.clone()),
            })?
        };
        out = edit::save_dashboard(&out, &source, &target).map_err(edit_err)?;
    }
    if let Some(folder) = draft.folder.as_ref().and_then(folder_of) {
        out = edit::crd::move_to_folder(&out, document, &folder).map_err(edit_err)?;
    }
    let mut target_file = file.clone();
    if let Some(new_name) = draft.rename_to.as_deref().filter(|n| *n != draft.name) {
        if index.dashboard(&draft.namespace, new_name).is_some() {
            return Err(PlanError::Stale(format!(
                "{name}: a dashboard named {}/{new_name} already exists",
                draft.namespace
            )));
        }
        out = edit::crd::rename(&out, document, new_name).map_err(edit_err)?;
        target_file = renamed_file(&file, &draft.name, new_name, documents_in(index, &file));
    }
    if target_file == file {
        changes.insert(file, Some(out));
        return Ok(());
    }
    if text_of(changes, files, &target_file).is_some() {
        return Err(PlanError::Stale(format!(
            "{name}: cannot rename the file to {target_file}: it already exists"
        )));
    }
    changes.insert(file.clone(), None);
    changes.insert(target_file.clone(), Some(out));
    if let Some((by, entry)) = kustomization_entry(changes, files, index, &file) {
        let new_entry = match entry.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{}", file_name(&target_file)),
            None => file_name(&target_file).to_owned(),
        };
        let text = text_of(changes, files, &by).unwrap_or_default();
        let out = edit::kustomize::rename_entry(&text, "resources", &entry, &new_entry)
            .map_err(edit_err)?;
        changes.insert(by, Some(out));
    }
    Ok(())
}

/// `text` with the dashboard JSON of YAML document `document` (which does
/// not parse) replaced by `ours`. The layout is the JSON text of the draft's
/// last written `content` when it has one (the text the user typed, with
/// later edits rewritten into it), so a fix changes only the lines fixed;
/// otherwise `ours` pretty-printed.
fn fix_broken_json(
    text: &str,
    document: usize,
    content: &str,
    ours: &Value,
) -> Result<String, EditError> {
    let json_text = match edit::open_dashboard(content, document) {
        Ok((typed, _)) => edit::json::rewrite(&typed.json_text, ours)?,
        Err(_) => {
            let pretty = serde_json::to_string_pretty(ours)
                .map_err(|e| EditError::Content(format!("the draft's JSON: {e}")))?;
            format!("{pretty}\n")
        }
    };
    replace_json_text(text, document, &json_text)
}

/// `text` with the dashboard JSON text of YAML document `document` set to
/// `json_text` as it is, whether or not the JSON there parses; every other
/// byte of the file kept.
pub fn replace_json_text(
    text: &str,
    document: usize,
    json_text: &str,
) -> Result<String, EditError> {
    let docs = dashstudio_core::yaml::load_documents(text)?;
    let count = docs.len();
    let doc = docs.get(document).ok_or(EditError::NoDocument {
        index: document,
        count,
    })?;
    if doc
        .value
        .pointer("/spec/json")
        .is_some_and(Value::is_string)
    {
        edit::yaml::set_block(text, document, "/spec/json", json_text)
    } else if doc
        .value
        .pointer("/spec/gzipJson")
        .is_some_and(Value::is_string)
    {
        edit::yaml::set_gzip_json(text, document, "/spec/gzipJson", json_text)
    } else {
        Err(EditError::Content(format!(
            "YAML document {document} holds no spec.json or spec.gzipJson text to edit"
        )))
    }
}

/// The file a draft writes its dashboard to (for a deletion: the file it removes).
pub fn target_file(index: &Index, draft: &Draft) -> String {
    let Some(current) = index.dashboard(&draft.namespace, &draft.name) else {
        return draft.new_file.clone();
    };
    match (&draft.kind, draft.rename_to.as_deref()) {
        (DraftKind::Edit, Some(new)) => renamed_file(
            &current.file,
            &draft.name,
            new,
            documents_in(index, &current.file),
        ),
        _ => current.file.clone(),
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, n)| n)
}

fn documents_in(index: &Index, file: &str) -> usize {
    let resources = index.dashboards.iter().filter(|d| d.file == file).count()
        + index.datasources.iter().filter(|d| d.file == file).count()
        + index.folder_crds.iter().filter(|d| d.file == file).count();
    resources.max(1)
}

/// The kustomization listing `file` directly, and the entry as written there.
fn kustomization_entry(
    changes: &Changes,
    files: &dyn Files,
    index: &Index,
    file: &str,
) -> Option<(String, String)> {
    let by = index
        .dashboards
        .iter()
        .find(|d| d.file == file)
        .and_then(|d| match &d.deployment {
            Deployment::Listed { by } | Deployment::Disabled { by, .. } => Some(by.clone()),
            Deployment::Unlisted => None,
        })?;
    let kustomization = index.kustomizations.iter().find(|k| k.file == by)?;
    let entry = kustomization.resources.iter().find(|e| {
        !e.disabled && dashstudio_core::kustomize::resolve(&by, &e.path).as_deref() == Some(file)
    })?;
    // The entry must still be in the text (another draft may have changed it).
    let text = text_of(changes, files, &by)?;
    text.contains(&entry.path).then(|| (by, entry.path.clone()))
}

/// Lists a new file in the kustomization that lists its siblings (the
/// files of the same directory), else in the kustomization of its directory.
fn add_to_kustomization(
    changes: &mut Changes,
    files: &dyn Files,
    index: &Index,
    file: &str,
) -> Result<(), EditError> {
    let dir_of = |p: &str| {
        p.rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_owned())
    };
    let dir = dir_of(file);
    let lists_sibling = |k: &&dashstudio_core::model::Kustomization| {
        k.resources.iter().any(|e| {
            dashstudio_core::kustomize::resolve(&k.file, &e.path).is_some_and(|p| dir_of(&p) == dir)
        })
    };
    let Some(k) = index
        .kustomizations
        .iter()
        .find(lists_sibling)
        .or_else(|| index.kustomizations.iter().find(|k| dir_of(&k.file) == dir))
    else {
        return Ok(());
    };
    let Some(text) = text_of(changes, files, &k.file) else {
        return Ok(());
    };
    let entry = relative_to(&dir_of(&k.file), file);
    let out = edit::kustomize::add_entry(&text, "resources", &entry)?;
    changes.insert(k.file.clone(), Some(out));
    Ok(())
}

/// `path` relative to the directory `base` (both repository-relative).
fn relative_to(base: &str, path: &str) -> String {
    if base.is_empty() {
        return path.to_owned();
    }
    let base: Vec<&str> = base.split('/').collect();
    let target: Vec<&str> = path.split('/').collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; base.len() - common];
    parts.extend(&target[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renamed_files_follow_the_resource_name() {
        assert_eq!(renamed_file("a/old.yaml", "old", "new", 1), "a/new.yaml");
        assert_eq!(renamed_file("old.yml", "old", "new", 1), "new.yml");
        assert_eq!(
            renamed_file("a/other.yaml", "old", "new", 1),
            "a/other.yaml"
        );
        assert_eq!(renamed_file("a/old.yaml", "old", "new", 2), "a/old.yaml");
    }

    #[test]
    fn entries_are_relative_to_the_kustomization() {
        assert_eq!(relative_to("", "a/b.yaml"), "a/b.yaml");
        assert_eq!(relative_to("a", "a/b.yaml"), "b.yaml");
        assert_eq!(relative_to("a/x", "a/b.yaml"), "../b.yaml");
        assert_eq!(relative_to("c", "a/b.yaml"), "../a/b.yaml");
    }

    #[test]
    fn folders_read_from_the_draft_column() {
        let f = |v: Value| folder_of(&v);
        assert_eq!(
            f(serde_json::json!({"folder": "Ops"})),
            Some(Folder::Title("Ops".into()))
        );
        assert_eq!(
            f(serde_json::json!({"folderUID": "u"})),
            Some(Folder::Uid("u".into()))
        );
        assert_eq!(
            f(serde_json::json!({"folderRef": "r"})),
            Some(Folder::Ref("r".into()))
        );
        assert_eq!(f(serde_json::json!({})), None);
    }
}
