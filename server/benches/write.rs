//! Benchmark: one edit of a corpus dashboard through the write path, without
//! the push — open the dashboard, change a panel title and write the YAML back
//! (edit), validate the repository as it would be (validate), and commit it
//! onto a new branch of the server's clone (commit). Prints medians; asserts
//! nothing. Run with `cargo bench -p dashstudio-server --bench write`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use dashstudio_core::edit;
use dashstudio_core::validate::Options;
use dashstudio_server::git::{self, CommitRequest, Credentials, FileChange, Source, Workspace};
use dashstudio_server::service::snapshot::Snapshot;
use serde_json::json;

// The allocator of the `dashstudio` binary, so the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/talos-homelab");
    if !corpus.is_dir() {
        println!(
            "skipping write benchmark: corpus not found at {}",
            corpus.display()
        );
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let origin = tmp.path().join("origin");
    copy_tree(&corpus, &origin);
    git::init_with_commit(&origin, "corpus").expect("origin commit");
    let source = Source::parse(&origin.display().to_string()).expect("source");
    let clone_dir = tmp.path().join("clone");
    let workspace =
        Workspace::open_or_clone(&source, &clone_dir, &Credentials::default(), &mut |_| {})
            .expect("clone");
    let head = workspace.head().expect("head");
    let snapshot = Snapshot::read(&clone_dir, Some(head.to_string())).expect("read");

    // The largest dashboard whose JSON parses.
    let target = snapshot
        .index
        .dashboards
        .iter()
        .filter(|d| !d.is_broken() && d.model.as_ref().is_some_and(|m| !m.panels.is_empty()))
        .max_by_key(|d| d.size)
        .expect("a dashboard");
    let file = target.file.clone();
    let text = std::fs::read_to_string(clone_dir.join(&file)).expect("read dashboard");

    let runs = 25;
    let (mut edits, mut validations, mut commits) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..runs {
        let start = Instant::now();
        let (source, mut value) = edit::open_dashboard(&text, target.document).expect("open");
        value["panels"][0]["title"] = json!(format!("bench {i}"));
        let new_text = edit::save_dashboard(&text, &source, &value).expect("save");
        let edited = Instant::now();
        let mut changes = BTreeMap::new();
        changes.insert(file.clone(), Some(new_text.clone()));
        let report = snapshot.validate_with(&changes, &Options::default());
        std::hint::black_box(report.diagnostics.len());
        let validated = Instant::now();
        workspace
            .commit(CommitRequest {
                base: head,
                branch: format!("studio/bench/run-{i}"),
                changes: vec![FileChange {
                    path: file.clone(),
                    content: Some(new_text.into_bytes()),
                }],
                author: ("Bench".to_owned(), "bench@example.org".to_owned()),
                message: format!("bench {i}"),
            })
            .expect("commit");
        let committed = Instant::now();
        edits.push(edited - start);
        validations.push(validated - edited);
        commits.push(committed - validated);
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (e, v, c) = (
        median(&mut edits),
        median(&mut validations),
        median(&mut commits),
    );
    println!(
        "edit + validate + commit of {file} ({} KB), median of {runs}: edit {:.1} ms, \
         validate {:.1} ms, commit {:.1} ms, total {:.1} ms (target < 50 ms)",
        target.size / 1024,
        ms(e),
        ms(v),
        ms(c),
        ms(e + v + c)
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let kind = entry.file_type().expect("file type");
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            if entry.file_name() != ".git" {
                copy_tree(&entry.path(), &target);
            }
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
