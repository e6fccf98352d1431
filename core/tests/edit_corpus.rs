//! Minimal-diff editing on every GrafanaDashboard of the real corpus: saving
//! unchanged is byte-identical, one title is one changed line, an added panel
//! is only added lines, a removed one only removed lines, and every result
//! reads back (YAML, then JSON) as exactly the edited value.

use std::path::{Path, PathBuf};

use dashstudio_core::edit::{self, ops, EditError};
use serde_json::{json, Value};

#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/linediff.rs"]
mod linediff;

fn yaml_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable corpus") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().and_then(|e| e.to_str()) == Some("yaml") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The pointer of the first panel's title that is non-empty text, rows' panels included.
fn titled_panel(v: &Value) -> Option<String> {
    let panels = v.get("panels")?.as_array()?;
    let titled = |p: &Value| {
        p.get("title")
            .and_then(Value::as_str)
            .is_some_and(|t| !t.is_empty())
    };
    panels.iter().enumerate().find_map(|(i, p)| {
        if titled(p) {
            return Some(format!("/panels/{i}/title"));
        }
        let nested = p.get("panels").and_then(Value::as_array)?;
        let j = nested.iter().position(titled)?;
        Some(format!("/panels/{i}/panels/{j}/title"))
    })
}

fn reloads_as(text: &str, document: usize, expected: &Value, what: &str) {
    let docs = dashstudio_core::yaml::load_documents(text).expect("edited file loads");
    let json = docs[document]
        .value
        .pointer("/spec/json")
        .and_then(Value::as_str)
        .expect("spec.json");
    let value: Value = serde_json::from_str(json).expect("edited JSON parses");
    assert_eq!(&value, expected, "{what}: reloaded value differs");
}

#[derive(Default, Debug, PartialEq)]
struct Counts {
    documents: usize,
    broken: usize,
    edited: usize,
    titled: usize,
    removed: usize,
    minified: usize,
    elsewhere: usize,
}

/// A diff side for a failure message, cut short.
fn short(lines: &[&str]) -> String {
    let all = lines.concat();
    all.chars().take(300).collect()
}

#[test]
fn every_corpus_dashboard_edits_with_a_minimal_diff() {
    let Some(root) = corpus::root() else { return };
    let mut n = Counts::default();
    for path in yaml_files(&root) {
        let text = std::fs::read_to_string(&path).expect("utf-8");
        let Ok(docs) = dashstudio_core::yaml::load_documents(&text) else {
            continue;
        };
        let name = path
            .strip_prefix(&root)
            .expect("under root")
            .display()
            .to_string();
        for (i, doc) in docs.iter().enumerate() {
            if doc.value.get("kind").and_then(Value::as_str) != Some("GrafanaDashboard") {
                continue;
            }
            n.documents += 1;
            let (src, value) = match edit::open_dashboard(&text, i) {
                Ok(opened) => opened,
                Err(e @ EditError::Json { .. }) => {
                    assert!(
                        e.to_string()
                            .starts_with("the dashboard JSON does not parse: "),
                        "{e}"
                    );
                    n.broken += 1;
                    continue;
                }
                Err(EditError::Content(_)) => {
                    n.elsewhere += 1;
                    continue;
                }
                Err(e) => panic!("{name}#{i}: {e}"),
            };
            n.edited += 1;
            let minified = src.json_text.trim().lines().count() == 1;
            n.minified += usize::from(minified);
            let what = format!("{name}#{i}");
            // (a) no edit: byte-identical.
            assert_eq!(
                edit::save_dashboard(&text, &src, &value).expect("save"),
                text,
                "{what}"
            );

            // (b) one title: one changed line.
            if let Some(pointer) = titled_panel(&value) {
                n.titled += 1;
                let mut v = value.clone();
                let title = v.pointer_mut(&pointer).expect("title");
                *title = json!(format!("{} (edited)", title.as_str().unwrap_or_default()));
                let out = edit::save_dashboard(&text, &src, &v).expect("save title");
                let (old, new) = linediff::changed(&text, &out);
                assert_eq!(
                    (old.len(), new.len()),
                    (1, 1),
                    "{what}: {} -> {}",
                    short(&old),
                    short(&new)
                );
                assert!(new[0].contains("(edited)"), "{what}");
                reloads_as(&out, i, &v, &what);
            }

            // (c) add a panel: only added lines.
            let mut v = value.clone();
            ops::add_panel(
                &mut v,
                json!({"type": "text", "title": "Added", "options": {"content": "x"}}),
            )
            .expect("add");
            let out = edit::save_dashboard(&text, &src, &v).expect("save add");
            let (old, new) = linediff::changed(&text, &out);
            if minified {
                // One line holds it all: that line is the diff.
                assert_eq!((old.len(), new.len()), (1, 1), "{what}");
            } else {
                let comma_fix = old.len() == 1
                    && new
                        .first()
                        .is_some_and(|l| l.trim_end() == format!("{},", old[0].trim_end()));
                assert!(
                    old.is_empty() || comma_fix,
                    "{what}: add changed {}",
                    short(&old)
                );
                assert!(new.len() >= 5, "{what}: {}", short(&new));
            }
            reloads_as(&out, i, &v, &what);

            // (d) remove the middle panel: only removed lines (and a comma).
            let count = value["panels"].as_array().map_or(0, Vec::len);
            if count > 0 {
                n.removed += 1;
                let mut v = value.clone();
                v["panels"]
                    .as_array_mut()
                    .expect("panels")
                    .remove(count / 2);
                let out = edit::save_dashboard(&text, &src, &v).expect("save remove");
                let (old, new) = linediff::changed(&text, &out);
                assert!(new.len() <= 1, "{what}: remove added {}", short(&new));
                if let (Some(line), false) = (new.first(), minified) {
                    assert!(
                        old.iter()
                            .any(|o| o.trim_end().strip_suffix(',') == Some(line.trim_end())),
                        "{what}: {line:?} is not a comma fix"
                    );
                }
                assert!(!old.is_empty(), "{what}");
                reloads_as(&out, i, &v, &what);
            }
        }
    }
    println!("{n:?}");
    assert_eq!(n.documents, 80, "GrafanaDashboard documents in the corpus");
    assert_eq!(n.broken, 3, "dashboards with broken JSON");
    assert_eq!(n.edited + n.broken + n.elsewhere, n.documents);
    // 64 hold their JSON in the file (12 of them minified on one line), all
    // with panels and titles; 13 point elsewhere (url, configMapRef, grafanaCom).
    assert_eq!(
        (n.edited, n.titled, n.removed, n.minified, n.elsewhere),
        (64, 64, 64, 12, 13),
        "{n:?}"
    );
}

#[test]
fn broken_dashboards_refuse_the_edit_with_a_position() {
    let Some(root) = corpus::root() else { return };
    let mut refused = Vec::new();
    for path in yaml_files(&root) {
        let text = std::fs::read_to_string(&path).expect("utf-8");
        let Ok(docs) = dashstudio_core::yaml::load_documents(&text) else {
            continue;
        };
        for i in 0..docs.len() {
            if let Err(EditError::Json {
                line,
                column,
                message,
            }) = edit::open_dashboard(&text, i)
            {
                assert!(line >= 1 && column >= 1 && !message.is_empty());
                refused.push(format!(
                    "{}: line {line}: {message}",
                    path.file_name().unwrap_or_default().to_string_lossy()
                ));
            }
        }
    }
    println!("{refused:#?}");
    assert_eq!(refused.len(), 3);
}

#[test]
fn kustomization_entries_edit_one_line_at_a_time() {
    let Some(root) = corpus::root() else { return };
    let path = root.join("kubernetes/infrastructure/monitoring/grafana/kustomization.yaml");
    let text = std::fs::read_to_string(&path).expect("kustomization");
    let before = dashstudio_core::kustomize::parse("k", &text);
    let disabled = |k: &dashstudio_core::model::Kustomization| -> Vec<String> {
        k.resources
            .iter()
            .filter(|e| e.disabled)
            .map(|e| e.path.clone())
            .collect()
    };
    let entry = "enterprise-dashboards/zz/new-dashboard.yaml";
    let added = edit::kustomize::add_entry(&text, "resources", entry).expect("add");
    let (old, new) = linediff::changed(&text, &added);
    assert!(old.is_empty(), "{old:?}");
    assert_eq!(new, vec![format!("  - {entry}\n")]);
    let after = dashstudio_core::kustomize::parse("k", &added);
    assert_eq!(after.resources.len(), before.resources.len() + 1);
    assert_eq!(disabled(&after), disabled(&before));
    assert_eq!(
        edit::kustomize::remove_entry(&added, "resources", entry).expect("remove"),
        text
    );

    let first = before
        .resources
        .iter()
        .find(|e| !e.disabled)
        .expect("an active entry")
        .path
        .clone();
    let renamed =
        edit::kustomize::rename_entry(&text, "resources", &first, "renamed.yaml").expect("rename");
    let (old, new) = linediff::changed(&text, &renamed);
    assert_eq!((old.len(), new.len()), (1, 1));
    assert_eq!(
        edit::kustomize::rename_entry(&renamed, "resources", "renamed.yaml", &first).expect("back"),
        text
    );

    let removed = edit::kustomize::remove_entry(&text, "resources", &first).expect("remove");
    let (old, new) = linediff::changed(&text, &removed);
    assert_eq!((old.len(), new.len()), (1, 0));
    assert_eq!(
        disabled(&dashstudio_core::kustomize::parse("k", &removed)),
        disabled(&before)
    );
    let disabled_path = disabled(&before)
        .into_iter()
        .next()
        .expect("a commented-out entry");
    assert!(edit::kustomize::remove_entry(&text, "resources", &disabled_path).is_err());
}

#[test]
fn crd_operations_change_one_line_on_every_corpus_dashboard() {
    let Some(root) = corpus::root() else { return };
    let (mut renamed, mut moved, mut duplicated) = (0, 0, 0);
    for path in yaml_files(&root) {
        let text = std::fs::read_to_string(&path).expect("utf-8");
        let Ok(docs) = dashstudio_core::yaml::load_documents(&text) else {
            continue;
        };
        let name = path
            .strip_prefix(&root)
            .expect("under root")
            .display()
            .to_string();
        for (i, doc) in docs.iter().enumerate() {
            if doc.value.get("kind").and_then(Value::as_str) != Some("GrafanaDashboard") {
                continue;
            }
            let what = format!("{name}#{i}");
            let out = edit::crd::rename(&text, i, "renamed-dashboard").expect("rename");
            let (old, new) = linediff::changed(&text, &out);
            assert_eq!((old.len(), new.len()), (1, 1), "{what}: rename");
            renamed += 1;

            let folder = edit::crd::Folder::Title("Moved & Co".to_owned());
            let out = edit::crd::move_to_folder(&text, i, &folder).expect("move");
            let reloaded = dashstudio_core::yaml::load_documents(&out).expect("loads");
            let spec = &reloaded[i].value["spec"];
            assert_eq!(spec["folder"], "Moved & Co", "{what}");
            assert!(
                spec.get("folderUID").is_none() && spec.get("folderRef").is_none(),
                "{what}"
            );
            let (old, new) = linediff::changed(&text, &out);
            if doc.value["spec"].get("folder").is_some() {
                assert_eq!((old.len(), new.len()), (1, 1), "{what}: move");
                moved += 1;
            } else {
                assert!(
                    old.is_empty() && new.len() == 1,
                    "{what}: move added {new:?}"
                );
            }

            // Duplicating a panel adds lines and changes none (minified: its one line).
            let Ok((src, value)) = edit::open_dashboard(&text, i) else {
                continue;
            };
            let Some(id) = ops::panel_ids(&value).first().copied() else {
                continue;
            };
            let mut v = value.clone();
            ops::duplicate_panel(&mut v, id).expect("duplicate");
            let out = edit::save_dashboard(&text, &src, &v).expect("save duplicate");
            let (old, new) = linediff::changed(&text, &out);
            if src.json_text.trim().lines().count() > 1 {
                assert!(
                    old.is_empty() && new.len() >= 3,
                    "{what}: duplicate changed {}",
                    short(&old)
                );
            }
            reloads_as(&out, i, &v, &what);
            duplicated += 1;
        }
    }
    println!("renamed {renamed}, moved in place {moved}, duplicated {duplicated}");
    // Every dashboard renames; 73 name `spec.folder` already (the rest gain
    // one line); 56 of the 64 in-file dashboards have panels with ids.
    assert_eq!((renamed, moved, duplicated), (80, 73, 56));
}
