//! The snapshot's cheap paths against the full rebuild on the real corpus:
//! `validate_with` (only the changed files re-parsed, the rest shared) must
//! report exactly what a repository scanned from scratch with the changes
//! reports, and `refreshed` must read as a fresh `Snapshot::read`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use dashstudio_core::edit;
use dashstudio_core::scan;
use dashstudio_core::validate::{self, Options, Report, Repository};
use dashstudio_server::service::snapshot::Snapshot;
use serde_json::{json, Value};

type Changes = BTreeMap<String, Option<String>>;

fn corpus() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/talos-homelab");
    root.is_dir().then_some(root)
}

/// The oracle: every file parsed from disk again, the changes applied, one
/// repository built from scratch, the changed files validated.
fn from_scratch(root: &Path, changes: &Changes, options: &Options) -> Report {
    let mut files: BTreeMap<String, scan::ParsedFile> = scan::parse_dir(root)
        .expect("corpus parses")
        .into_iter()
        .map(|f| (f.path().to_owned(), f))
        .collect();
    for (path, content) in changes {
        match content {
            Some(text) => {
                files.insert(path.clone(), scan::parse_file(path, text.as_bytes()));
            }
            None => {
                files.remove(path);
            }
        }
    }
    let repo = Repository::from_parsed(files.into_values());
    let scope: BTreeSet<String> = changes.keys().cloned().collect();
    validate::validate_files(&repo, options, &scope)
}

fn read(root: &Path, file: &str) -> String {
    std::fs::read_to_string(root.join(file)).expect("read corpus file")
}

/// Dashboards with a parsed model, largest first: (file, document, uid).
fn dashboards(snapshot: &Snapshot) -> Vec<(String, usize, Option<String>)> {
    let mut found: Vec<_> = snapshot
        .index
        .dashboards
        .iter()
        .filter(|d| d.model.is_some())
        .map(|d| {
            (
                d.size,
                d.file.clone(),
                d.document,
                d.uid().map(str::to_owned),
            )
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    found.into_iter().map(|(_, f, d, u)| (f, d, u)).collect()
}

/// `file` with its dashboard's JSON changed by `change`, through the editor.
fn edited(root: &Path, file: &str, document: usize, change: impl FnOnce(&mut Value)) -> String {
    let text = read(root, file);
    let (source, mut value) = edit::open_dashboard(&text, document).expect("open");
    change(&mut value);
    edit::save_dashboard(&text, &source, &value).expect("save")
}

#[test]
fn validate_with_matches_a_full_rebuild() {
    let Some(root) = corpus() else {
        eprintln!("skipping: corpus not found");
        return;
    };
    let snapshot = Snapshot::read(&root, None).expect("read");
    let options = Options::default();
    let all = dashboards(&snapshot);
    let (big, big_doc, _) = all[0].clone();
    let (small, _, _) = all.last().cloned().expect("a dashboard");
    let (other, other_doc, other_uid) = all
        .iter()
        .find(|(f, _, u)| *f != big && u.is_some())
        .cloned()
        .expect("a second dashboard with a uid");
    let other_uid = other_uid.expect("uid");

    let mut cases: Vec<(&str, Changes)> = Vec::new();
    // A title edit of the largest dashboard.
    let title = edited(&root, &big, big_doc, |v| {
        v["panels"][0]["title"] = json!("retitled");
        v["title"] = json!("A new title");
    });
    cases.push(("title edit", BTreeMap::from([(big.clone(), Some(title))])));
    // The dashboard JSON made unparsable.
    let text = read(&root, &small);
    let broken = text.replacen("\"title\"", "\"title\",,", 1);
    assert_ne!(broken, text, "{small} has a title to break");
    cases.push((
        "broken JSON",
        BTreeMap::from([(small.clone(), Some(broken))]),
    ));
    // A file deleted.
    cases.push(("deletion", BTreeMap::from([(other.clone(), None)])));
    // A new file: a copy of a dashboard under a new name and path.
    let copy = read(&root, &small).replacen("name: ", "name: copy-of-", 1);
    cases.push((
        "new file",
        BTreeMap::from([("kubernetes/new/copy.yaml".to_owned(), Some(copy))]),
    ));
    // A uid made the duplicate of another dashboard's: the repository-wide
    // uniqueness check must still see every other file.
    let duplicate = edited(&root, &big, big_doc, |v| v["uid"] = json!(other_uid));
    cases.push((
        "duplicate uid",
        BTreeMap::from([(big.clone(), Some(duplicate))]),
    ));
    // Several at once, one of them a kustomization that decides deployment.
    let kustomization = snapshot
        .index
        .kustomizations
        .iter()
        .find(|k| !k.resources.is_empty())
        .map(|k| k.file.clone())
        .expect("a kustomization");
    let trimmed = read(&root, &kustomization)
        .lines()
        .filter(|l| !l.trim_start().starts_with("- "))
        .collect::<Vec<_>>()
        .join("\n");
    let retitled = edited(&root, &other, other_doc, |v| v["title"] = json!("Other"));
    cases.push((
        "kustomization emptied, one edit, one deletion",
        BTreeMap::from([
            (kustomization, Some(trimmed)),
            (other.clone(), Some(retitled)),
            (small.clone(), None),
        ]),
    ));
    // Nothing changed at all, and a file that is not YAML.
    cases.push(("no change", BTreeMap::new()));
    cases.push((
        "broken YAML",
        BTreeMap::from([(small.clone(), Some("a: [\n".to_owned()))]),
    ));

    for (name, changes) in &cases {
        let cheap = snapshot.validate_with(changes, &options);
        let full = from_scratch(&root, changes, &options);
        assert_eq!(
            cheap, full,
            "{name}: validate_with differs from a full rebuild"
        );
    }
    // The cases are not vacuous: the duplicate uid and the broken JSON are
    // reported in the changed file.
    let codes = |report: &Report| -> BTreeSet<String> {
        report.diagnostics.iter().map(|d| d.code.clone()).collect()
    };
    let base = codes(&snapshot.validate_with(&cases[0].1, &options));
    let dup = codes(&snapshot.validate_with(&cases[4].1, &options));
    assert!(
        dup.difference(&base).next().is_some(),
        "a duplicate uid adds a diagnostic: {dup:?}"
    );
    let broken = snapshot.validate_with(&cases[1].1, &options);
    assert!(
        broken.diagnostics.iter().any(|d| d.file == small),
        "broken JSON is reported in {small}"
    );
}

#[test]
fn refreshed_reads_as_a_fresh_snapshot() {
    let Some(corpus) = corpus() else {
        eprintln!("skipping: corpus not found");
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("repo");
    copy_tree(&corpus, &root);
    let before = Snapshot::read(&root, Some("a".to_owned())).expect("read");
    let all = dashboards(&before);
    let (big, big_doc, _) = all[0].clone();
    let (gone, _, _) = all[1].clone();
    let title = edited(&root, &big, big_doc, |v| v["title"] = json!("Fetched"));
    std::fs::write(root.join(&big), title).expect("write");
    std::fs::remove_file(root.join(&gone)).expect("remove");
    std::fs::create_dir_all(root.join("kubernetes/new")).expect("mkdir");
    std::fs::write(root.join("kubernetes/new/broken.yaml"), "a: [\n").expect("write");
    std::fs::write(root.join("kubernetes/new/notes.txt"), "not yaml").expect("write");
    let changed = [
        big.clone(),
        gone.clone(),
        "kubernetes/new/broken.yaml".to_owned(),
        "kubernetes/new/notes.txt".to_owned(),
    ];
    let refreshed = before.refreshed(&root, &changed, Some("b".to_owned()));
    let fresh = Snapshot::read(&root, Some("b".to_owned())).expect("read");
    assert_eq!(refreshed.head, fresh.head);
    assert_eq!(
        serde_json::to_value(&*refreshed.index).expect("json"),
        serde_json::to_value(&*fresh.index).expect("json"),
    );
    let options = Options::default();
    assert_eq!(
        validate::validate(refreshed.repository(), &options),
        validate::validate(fresh.repository(), &options),
    );
    assert!(refreshed.index.dashboards.iter().all(|d| d.file != gone));
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let kind = entry.file_type().expect("file type");
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if kind.is_file() {
            // Copied by content: the corpus is read-only, the copy is edited.
            std::fs::write(&target, std::fs::read(entry.path()).expect("read")).expect("write");
        }
    }
}
