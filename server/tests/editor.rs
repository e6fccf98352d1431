//! The browser editor's door (the app's `Editor` trait as the server
//! implements it) against real Git: the demo repository is a bare `origin`,
//! the server clones it; a retitled panel is saved as a draft, its Changes
//! are the one-line YAML diff, and the commit lands in `origin`.

#[path = "support/git.rs"]
mod support;

use std::path::Path;
use std::process::Command;

use dashstudio_app::server_fns::editor::{CommitRequest, Editor, NewDashboard};
use dashstudio_server::auth::{Role, Scope};
use dashstudio_server::config::ServeConfig;
use dashstudio_server::editor::Acting;
use dashstudio_server::service::Actor;
use dashstudio_server::{demo, serve};
use serde_json::{json, Value};
use support::git;

const NS: &str = "grafana";
const NAME: &str = "node-health";
const FILE: &str = "dashboards/kubernetes/node-health.yaml";

#[tokio::test]
async fn a_retitled_panel_goes_from_draft_to_a_one_line_commit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let origin = demo::ensure_origin(&tmp.path().join("gen")).expect("demo origin");
    let mut config = ServeConfig::new(Some(origin.display().to_string()), tmp.path().join("data"));
    config.site_root = tmp.path().join("site");
    config.git.fetch_interval = 0;
    config.write.author = "Ada Lovelace <ada@example.org>".to_owned();
    let state = serve::prepare(&config).await.expect("prepare");
    let editor = acting_as_ada(&state);
    let editor: &dyn Editor = &editor;

    let session = editor.open(NS.into(), NAME.into()).await.expect("open");
    assert_eq!(session.read_only, None);
    assert!(session.draft.is_none());
    assert!(
        !session.datasources.is_empty(),
        "the demo deploys datasources"
    );
    let mut dashboard: Value =
        serde_json::from_str(session.dashboard.as_deref().expect("dashboard")).expect("JSON");
    dashboard["panels"][0]["title"] = json!("CPU busy (edited)");

    let draft = editor
        .save(
            NS.into(),
            NAME.into(),
            dashboard.to_string(),
            session.base_version.clone(),
            false,
        )
        .await
        .expect("save");
    assert_eq!(draft.errors, 0, "{:?}", draft.diagnostics);

    // Reopening continues the draft.
    let again = editor.open(NS.into(), NAME.into()).await.expect("reopen");
    assert!(again.draft.is_some());
    assert!(again
        .dashboard
        .as_deref()
        .is_some_and(|d| d.contains("CPU busy (edited)")));

    let changes = editor
        .changes(NS.into(), NAME.into())
        .await
        .expect("changes");
    assert_eq!(changes.files.len(), 1, "{changes:?}");
    let file = &changes.files[0];
    assert_eq!(file.path, FILE);
    assert_eq!((file.added, file.removed), (1, 1), "{}", file.diff);
    assert!(file.diff.contains("+") && file.diff.contains("\"CPU busy (edited)\""));
    assert_eq!(changes.summary.len(), 1, "{:?}", changes.summary);
    assert!(changes.summary[0].ends_with("title changed"));

    let committed = editor
        .commit(CommitRequest {
            namespace: NS.into(),
            name: NAME.into(),
            message: "Retitle the CPU panel".into(),
            direct: false,
            pull_request: false,
            also: Vec::new(),
            override_reason: None,
        })
        .await
        .expect("commit");
    assert!(committed.pushed, "{committed:?}");
    assert!(committed.branch.starts_with("studio/ada/"));
    assert_eq!(
        git(
            &origin,
            &["rev-parse", &format!("refs/heads/{}", committed.branch)]
        )
        .trim(),
        committed.commit
    );
    assert_eq!(
        git(&origin, &["diff", "--numstat", "master", &committed.branch]).trim(),
        format!("1\t1\t{FILE}")
    );

    // Direct commits are refused unless the server allows them.
    let refused = editor
        .commit(CommitRequest {
            namespace: NS.into(),
            name: NAME.into(),
            message: "again".into(),
            direct: true,
            pull_request: false,
            also: Vec::new(),
            override_reason: None,
        })
        .await;
    assert!(refused.is_err());
}

#[tokio::test]
async fn a_dashboard_that_is_not_valid_json_cannot_be_saved() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let origin = demo::ensure_origin(&tmp.path().join("gen")).expect("demo origin");
    let mut config = ServeConfig::new(Some(origin.display().to_string()), tmp.path().join("data"));
    config.site_root = tmp.path().join("site");
    config.git.fetch_interval = 0;
    let state = serve::prepare(&config).await.expect("prepare");
    let editor = acting_as_ada(&state);
    let editor: &dyn Editor = &editor;
    let err = editor
        .save(NS.into(), NAME.into(), "{\"title\": ".into(), None, true)
        .await
        .expect_err("not JSON");
    assert!(err.contains("line 1"), "{err}");
    assert!(editor
        .open("grafana".into(), "no-such-dashboard".into())
        .await
        .is_err());
}

/// A bare `origin` holding the talos-homelab corpus as one commit on `main`
/// (`None`: the corpus is not there).
fn corpus_origin(dir: &Path) -> Option<std::path::PathBuf> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/talos-homelab");
    if !corpus.is_dir() {
        println!("skipping: corpus not found at {}", corpus.display());
        return None;
    }
    let work = dir.join("work");
    std::fs::create_dir_all(&work).expect("work dir");
    let copied = Command::new("cp")
        .arg("-R")
        .arg(format!("{}/.", corpus.display()))
        .arg(&work)
        .status()
        .expect("cp runs");
    assert!(copied.success());
    git(&work, &["init", "-q", "-b", "main"]);
    git(&work, &["add", "-A"]);
    git(
        &work,
        &[
            "-c",
            "user.name=Corpus",
            "-c",
            "user.email=corpus@example.org",
            "commit",
            "-qm",
            "corpus",
        ],
    );
    let origin = dir.join("origin.git");
    git(
        dir,
        &[
            "clone",
            "-q",
            "--bare",
            &work.display().to_string(),
            &origin.display().to_string(),
        ],
    );
    Some(origin)
}

/// `text` with each `]` that serde_json reports where a `,` or `}` was
/// expected turned into `}` (the corpus's defect), and the lines changed.
fn fix_stray_brackets(text: &str) -> (String, usize) {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let mut fixed = 0;
    while let Err(e) = serde_json::from_str::<Value>(&lines.join("\n")) {
        let line = &mut lines[e.line() - 1];
        let at = e.column() - 1;
        assert_eq!(&line[at..=at], "]", "{e}: {line}");
        line.replace_range(at..=at, "}");
        fixed += 1;
        assert!(fixed < 20, "too many defects");
    }
    (lines.join("\n"), fixed)
}

#[tokio::test]
async fn a_broken_json_corpus_dashboard_fixed_as_typed_commits_only_the_fixed_lines() {
    const NAME: &str = "tier0-cert-manager";
    const FILE: &str = "kubernetes/infrastructure/monitoring/grafana/enterprise-dashboards/cert-manager/cert-manager-status.yaml";
    let tmp = tempfile::tempdir().expect("tempdir");
    let Some(origin) = corpus_origin(tmp.path()) else {
        return;
    };
    let mut config = ServeConfig::new(Some(origin.display().to_string()), tmp.path().join("data"));
    config.site_root = tmp.path().join("site");
    config.git.fetch_interval = 0;
    config.write.author = "Ada Lovelace <ada@example.org>".to_owned();
    let state = serve::prepare(&config).await.expect("prepare");
    let editor = acting_as_ada(&state);
    let editor: &dyn Editor = &editor;

    let session = editor.open(NS.into(), NAME.into()).await.expect("open");
    assert!(session.dashboard.is_none());
    assert!(session.dashboard_error.is_some());
    let raw = session.raw.expect("the broken JSON text");
    let (fixed, lines) = fix_stray_brackets(&raw);
    assert!(lines > 0);

    let draft = editor
        .save(
            NS.into(),
            NAME.into(),
            fixed.clone(),
            session.base_version.clone(),
            true,
        )
        .await
        .expect("save");
    assert_eq!(draft.conflicts, 0);
    assert!(
        !draft
            .diagnostics
            .iter()
            .any(|d| d.code == "draft/not-applicable"),
        "{:?}",
        draft.diagnostics
    );
    let changes = editor
        .changes(NS.into(), NAME.into())
        .await
        .expect("changes");
    assert_eq!(changes.files.len(), 1, "{changes:?}");
    assert_eq!(
        (changes.files[0].added, changes.files[0].removed),
        (lines, lines),
        "{}",
        changes.files[0].diff
    );

    let committed = editor
        .commit(CommitRequest {
            namespace: NS.into(),
            name: NAME.into(),
            message: "Fix the broken JSON".into(),
            direct: false,
            pull_request: false,
            also: Vec::new(),
            override_reason: None,
        })
        .await
        .expect("commit");
    assert!(committed.pushed, "{committed:?}");
    assert_eq!(
        git(&origin, &["diff", "--numstat", "main", &committed.branch]).trim(),
        format!("{lines}\t{lines}\t{FILE}")
    );
    let patch = git(&origin, &["diff", "-U0", "main", &committed.branch]);
    let removed: Vec<&str> = patch
        .lines()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .collect();
    let added: Vec<&str> = patch
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .collect();
    for (r, a) in removed.iter().zip(&added) {
        assert_eq!(
            r.trim_start_matches('-').replace(']', "}"),
            a.trim_start_matches('+'),
            "{patch}"
        );
    }
    // The committed file's dashboard is the fixed JSON.
    let text = git(&origin, &["show", &format!("{}:{FILE}", committed.branch)]);
    let (_, value) = dashstudio_core::edit::open_dashboard(&text, 0).expect("the JSON parses now");
    assert_eq!(value, serde_json::from_str::<Value>(&fixed).expect("fixed"));
}

#[tokio::test]
async fn history_lists_the_file_commits_shows_a_version_and_restores_it_as_a_draft() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let origin = demo::ensure_origin(&tmp.path().join("gen")).expect("demo origin");
    // A second version upstream: the CPU panel retitled.
    let work = tmp.path().join("work");
    git(
        tmp.path(),
        &[
            "clone",
            "-q",
            &origin.display().to_string(),
            &work.display().to_string(),
        ],
    );
    let path = work.join(FILE);
    let before = std::fs::read_to_string(&path).expect("read");
    let after = before.replacen("\"CPU busy\"", "\"CPU busy (renamed)\"", 1);
    assert_ne!(before, after, "the demo has a \"CPU busy\" panel");
    std::fs::write(&path, &after).expect("write");
    // The shared `git` helper commits as "Someone Else".
    git(&work, &["commit", "-qam", "Rename the CPU panel"]);
    git(&work, &["push", "-q", "origin", "HEAD"]);

    let mut config = ServeConfig::new(Some(origin.display().to_string()), tmp.path().join("data"));
    config.site_root = tmp.path().join("site");
    config.git.fetch_interval = 0;
    let state = serve::prepare(&config).await.expect("prepare");
    let editor = acting_as_ada(&state);
    let editor: &dyn Editor = &editor;

    let log = editor
        .history(NS.into(), NAME.into())
        .await
        .expect("history");
    assert!(log.len() >= 2, "{log:?}");
    assert_eq!(log[0].summary, "Rename the CPU panel");
    assert_eq!(log[0].author, "Someone Else");
    assert_eq!(
        log[0].date.len(),
        "2026-11-27 13:15".len(),
        "{}",
        log[0].date
    );

    let newest = editor
        .version(NS.into(), NAME.into(), log[0].commit.clone())
        .await
        .expect("newest version");
    assert_eq!(newest.file, FILE);
    assert!(newest.json.contains("\"CPU busy (renamed)\""));
    let older = editor
        .version(NS.into(), NAME.into(), log[1].commit.clone())
        .await
        .expect("older version");
    assert_eq!(older.error, None);
    assert!(older.json.contains("\"CPU busy\"") && !older.json.contains("(renamed)"));
    assert!(editor
        .version(NS.into(), NAME.into(), "not-a-commit".into())
        .await
        .is_err());

    // Restoring the older version: a draft whose diff takes the title back.
    let draft = editor
        .restore(NS.into(), NAME.into(), log[1].commit.clone())
        .await
        .expect("restore");
    assert_eq!(draft.errors, 0, "{:?}", draft.diagnostics);
    let session = editor.open(NS.into(), NAME.into()).await.expect("reopen");
    assert!(session.draft.is_some());
    assert!(session
        .dashboard
        .as_deref()
        .is_some_and(|d| d.contains("\"CPU busy\"") && !d.contains("(renamed)")));
    let changes = editor
        .changes(NS.into(), NAME.into())
        .await
        .expect("changes");
    assert_eq!(changes.files.len(), 1, "{changes:?}");
    assert_eq!(
        (changes.files[0].added, changes.files[0].removed),
        (1, 1),
        "{}",
        changes.files[0].diff
    );
    assert!(changes.files[0].diff.contains("-") && changes.files[0].diff.contains("(renamed)"));
}

#[tokio::test]
async fn problems_are_every_diagnostic_placed_at_its_dashboard_and_panel() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let Some(origin) = corpus_origin(tmp.path()) else {
        return;
    };
    let mut config = ServeConfig::new(Some(origin.display().to_string()), tmp.path().join("data"));
    config.site_root = tmp.path().join("site");
    config.git.fetch_interval = 0;
    let state = serve::prepare(&config).await.expect("prepare");
    let editor = acting_as_ada(&state);
    let editor: &dyn Editor = &editor;

    let found = editor.problems().await.expect("problems");
    // The same as validating the server's clone from scratch.
    let clone = state.snapshot();
    let expected =
        dashstudio_core::validate::validate(clone.repository(), &state.validation_options());
    let diagnostics: Vec<_> = found
        .problems
        .iter()
        .map(|p| p.diagnostic.clone())
        .collect();
    assert_eq!(diagnostics, expected.diagnostics);
    assert!(found.problems.iter().any(|p| p.panel.is_some()));
    let index = clone.index.clone();
    for p in &found.problems {
        let d = &p.diagnostic;
        let Some(at) = &p.dashboard else {
            assert!(p.panel.is_none(), "{d:?}");
            continue;
        };
        let dashboard = index
            .dashboard(&at.namespace, &at.name)
            .expect("a dashboard of the index");
        assert_eq!(dashboard.file, d.file);
        assert_eq!(at.folder, dashboard.folder);
        // The panel is the one the pointer goes through.
        if let Some(id) = p.panel {
            let model = dashboard.model.as_ref().expect("a parsed dashboard");
            let panel = model
                .all_panels()
                .find(|x| x.id == Some(id))
                .expect("the panel");
            let pointer = d.pointer.as_deref().expect("a pointer");
            assert!(
                pointer.starts_with(&format!("{}/", panel.pointer)) || pointer == panel.pointer,
                "{pointer} in {}",
                panel.pointer
            );
        }
    }
    // Every dashboard file's diagnostics belong to a dashboard.
    for p in &found.problems {
        if index.dashboards.iter().any(|x| x.file == p.diagnostic.file)
            && p.diagnostic.dashboard.is_some()
        {
            assert!(p.dashboard.is_some(), "{:?}", p.diagnostic);
        }
    }
}

#[tokio::test]
async fn the_json_tab_check_validates_a_dashboard_on_the_server() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let origin = demo::ensure_origin(&tmp.path().join("gen")).expect("demo origin");
    let mut config = ServeConfig::new(Some(origin.display().to_string()), tmp.path().join("data"));
    config.site_root = tmp.path().join("site");
    config.git.fetch_interval = 0;
    let state = serve::prepare(&config).await.expect("prepare");
    let editor = acting_as_ada(&state);
    let editor: &dyn Editor = &editor;
    let session = editor.open(NS.into(), NAME.into()).await.expect("open");
    let text = session.dashboard.expect("dashboard");
    let clean = editor.check_json(text.clone()).await.expect("check");
    assert!(
        clean
            .iter()
            .all(|d| d.severity != dashstudio_core::validate::Severity::Error),
        "{clean:?}"
    );
    let mut broken: Value = serde_json::from_str(&text).expect("JSON");
    broken["panels"][0]["targets"][0]["expr"] = json!("sum(rate(x[5m])");
    let found = editor.check_json(broken.to_string()).await.expect("check");
    assert!(
        found
            .iter()
            .any(|d| d.severity == dashstudio_core::validate::Severity::Error
                && d.pointer
                    .as_deref()
                    .is_some_and(|p| p.starts_with("/panels/0/targets/0"))),
        "{found:?}"
    );
}
/// The editor as the router makes it for a request signed in as Ada (an
/// editor, whose branches are `studio/ada/…`).
fn acting_as_ada(state: &dashstudio_server::state::AppState) -> Acting {
    Acting {
        app: state.clone(),
        actor: Actor::new("ada", "Ada Lovelace", "ada@example.org", Role::Editor),
        scope: Scope::Write,
    }
}

/// The demo repository as a bare `origin`, served by a prepared server
/// (no background fetches). The temp dir lives as long as the tuple.
async fn demo_world() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    dashstudio_server::state::AppState,
) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let origin = demo::ensure_origin(&tmp.path().join("gen")).expect("demo origin");
    let mut config = ServeConfig::new(Some(origin.display().to_string()), tmp.path().join("data"));
    config.site_root = tmp.path().join("site");
    config.git.fetch_interval = 0;
    config.write.author = "Ada Lovelace <ada@example.org>".to_owned();
    let state = serve::prepare(&config).await.expect("prepare");
    (tmp, origin, state)
}

/// The lines a unified diff adds (`+`) and removes (`-`), headers left out.
fn changed_lines(diff: &str) -> (Vec<&str>, Vec<&str>) {
    let body = diff
        .lines()
        .filter(|l| !l.starts_with("+++") && !l.starts_with("---"));
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    for l in body {
        if let Some(a) = l.strip_prefix('+') {
            added.push(a);
        } else if let Some(r) = l.strip_prefix('-') {
            removed.push(r);
        }
    }
    (added, removed)
}

#[tokio::test]
async fn move_to_folder_drafts_the_folder_reference_of_the_target_folder() {
    let (_tmp, _origin, state) = demo_world().await;
    let editor = acting_as_ada(&state);
    let editor: &dyn Editor = &editor;

    // Kubernetes has no GrafanaFolder: the draft names it by title.
    let draft = editor
        .move_to_folder(NS.into(), "alertmanager".into(), "Kubernetes".into())
        .await
        .expect("move");
    assert_eq!(draft.kind, "edit");
    assert_eq!(draft.folder.as_deref(), Some("Kubernetes"));
    let changes = editor
        .changes(NS.into(), "alertmanager".into())
        .await
        .expect("changes");
    assert_eq!(changes.files.len(), 1, "{changes:?}");
    assert_eq!(
        changes.files[0].path,
        "dashboards/prometheus/alertmanager.yaml"
    );
    let (added, removed) = changed_lines(&changes.files[0].diff);
    assert_eq!(
        added,
        ["  folder: \"Kubernetes\""],
        "{}",
        changes.files[0].diff
    );
    assert_eq!(
        removed,
        ["  folder: \"Prometheus\""],
        "{}",
        changes.files[0].diff
    );

    // Platform is declared by a GrafanaFolder in the same namespace: the
    // draft refers to it the way the Platform dashboards do.
    let draft = editor
        .move_to_folder(NS.into(), "node-health".into(), "Platform".into())
        .await
        .expect("move");
    let changes = editor
        .changes(NS.into(), NAME.into())
        .await
        .expect("changes");
    let (added, _) = changed_lines(&changes.files[0].diff);
    assert!(
        added
            .iter()
            .any(|l| l.trim_start().starts_with("folderRef:")),
        "{draft:?}\n{}",
        changes.files[0].diff
    );

    for bad in ["", "  "] {
        assert!(editor
            .move_to_folder(NS.into(), NAME.into(), bad.into())
            .await
            .is_err());
    }
}

#[tokio::test]
async fn rename_drafts_the_new_name_and_the_file_follows() {
    let (_tmp, _origin, state) = demo_world().await;
    let editor = acting_as_ada(&state);
    let editor: &dyn Editor = &editor;
    let draft = editor
        .rename(
            NS.into(),
            "cluster-overview".into(),
            "cluster-summary".into(),
        )
        .await
        .expect("rename");
    assert_eq!(draft.rename_to.as_deref(), Some("cluster-summary"));
    assert_eq!(draft.file, "dashboards/kubernetes/cluster-overview.yaml");
    // The draft says where the file goes, as the commit will write it.
    assert_eq!(draft.new_file, "dashboards/kubernetes/cluster-summary.yaml");
    // The file it moves to is the plan's (below), made on the way to a commit.
    let changes = editor
        .changes(NS.into(), "cluster-overview".into())
        .await
        .expect("changes");
    let mut paths: Vec<&str> = changes.files.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "dashboards/kubernetes/cluster-overview.yaml",
            "dashboards/kubernetes/cluster-summary.yaml",
            "kustomization.yaml"
        ],
        "{changes:?}"
    );
    for bad in ["Not A Name", "cluster-overview"] {
        assert!(
            editor
                .rename(NS.into(), "cluster-overview".into(), bad.into())
                .await
                .is_err(),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn delete_drafts_the_file_and_its_kustomization_entry_going() {
    let (_tmp, _origin, state) = demo_world().await;
    let editor = acting_as_ada(&state);
    let editor: &dyn Editor = &editor;
    let draft = editor
        .delete(NS.into(), "loki-ingestion".into())
        .await
        .expect("delete");
    assert_eq!(draft.kind, "delete");
    let changes = editor
        .changes(NS.into(), "loki-ingestion".into())
        .await
        .expect("changes");
    let file = changes
        .files
        .iter()
        .find(|f| f.path == "dashboards/loki/loki-ingestion.yaml")
        .expect("the file's diff");
    assert_eq!(file.added, 0, "{}", file.diff);
    assert!(file.removed > 0);
    let kust = changes
        .files
        .iter()
        .find(|f| f.path == "kustomization.yaml")
        .expect("the kustomization's diff");
    let (added, removed) = changed_lines(&kust.diff);
    assert!(added.is_empty(), "{}", kust.diff);
    assert_eq!(removed, ["  - dashboards/loki/loki-ingestion.yaml"]);
    // The editor still opens on it (the draft says it goes).
    let session = editor
        .open(NS.into(), "loki-ingestion".into())
        .await
        .expect("open");
    assert_eq!(session.draft.map(|d| d.kind).as_deref(), Some("delete"));
}

#[tokio::test]
async fn create_from_a_template_opens_as_a_draft_and_commits_with_others_in_one_commit() {
    let (_tmp, origin, state) = demo_world().await;
    let editor = acting_as_ada(&state);
    let editor: &dyn Editor = &editor;

    let draft = editor
        .create(NewDashboard {
            namespace: NS.into(),
            name: "node-health-copy".into(),
            title: "Node Health (copy)".into(),
            folder: Some("Kubernetes".into()),
            template: Some(format!("{NS}/{NAME}")),
        })
        .await
        .expect("create");
    assert_eq!(draft.kind, "create");
    assert_eq!(
        draft.new_file,
        "dashboards/kubernetes/node-health-copy.yaml"
    );
    assert_eq!(draft.errors, 0, "{:?}", draft.diagnostics);

    // The editor opens the new dashboard from the draft alone.
    let session = editor
        .open(NS.into(), "node-health-copy".into())
        .await
        .expect("open the new dashboard");
    let dashboard: Value =
        serde_json::from_str(session.dashboard.as_deref().expect("dashboard")).expect("JSON");
    assert_eq!(dashboard["title"], "Node Health (copy)");
    assert!(dashboard["panels"]
        .as_array()
        .is_some_and(|p| !p.is_empty()));

    let changes = editor
        .changes(NS.into(), "node-health-copy".into())
        .await
        .expect("changes");
    let mut paths: Vec<&str> = changes.files.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "dashboards/kubernetes/node-health-copy.yaml",
            "kustomization.yaml"
        ]
    );

    // Twice is refused, as is a name the repository has.
    let again = NewDashboard {
        namespace: NS.into(),
        name: NAME.into(),
        title: "x".into(),
        folder: None,
        template: None,
    };
    assert!(editor.create(again).await.is_err());

    // The user's drafts, and one commit of two of them.
    editor
        .move_to_folder(NS.into(), "alertmanager".into(), "Kubernetes".into())
        .await
        .expect("move");
    let mut mine: Vec<(String, String)> = editor
        .drafts()
        .await
        .expect("drafts")
        .into_iter()
        .map(|d| (d.name, d.kind))
        .collect();
    mine.sort_unstable();
    assert_eq!(
        mine,
        [
            ("alertmanager".to_owned(), "edit".to_owned()),
            ("node-health-copy".to_owned(), "create".to_owned())
        ]
    );
    let committed = editor
        .commit(CommitRequest {
            namespace: NS.into(),
            name: "node-health-copy".into(),
            message: "New dashboard and a move".into(),
            direct: false,
            pull_request: false,
            also: vec![format!("{NS}/alertmanager")],
            override_reason: None,
        })
        .await
        .expect("commit");
    assert!(committed.pushed, "{committed:?}");
    let names = git(
        &origin,
        &["diff", "--name-status", "master", &committed.branch],
    );
    let mut lines: Vec<&str> = names.lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "A\tdashboards/kubernetes/node-health-copy.yaml",
            "M\tdashboards/prometheus/alertmanager.yaml",
            "M\tkustomization.yaml"
        ]
    );
    assert!(editor.drafts().await.expect("drafts").is_empty());
}

#[tokio::test]
async fn fetch_brings_what_origin_has_and_refuses_readers() {
    let (tmp, origin, state) = demo_world().await;
    let editor = acting_as_ada(&state);
    let editor: &dyn Editor = &editor;
    let before = editor.fetch().await.expect("fetch");
    assert_eq!(before.head, before.previous, "nothing new yet");
    assert_eq!(before.changed_files, 0);

    // A commit lands upstream: the next fetch brings it.
    let work = tmp.path().join("work");
    git(
        tmp.path(),
        &["clone", "-q", &origin.display().to_string(), "work"],
    );
    let file = work.join(FILE);
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replace("Node Health", "Node Health (upstream)")).expect("write");
    git(&work, &["commit", "-qam", "upstream edit"]);
    git(&work, &["push", "-q", "origin", "HEAD:master"]);
    let after = editor.fetch().await.expect("fetch");
    assert_ne!(after.head, after.previous);
    assert_eq!(after.changed_files, 1, "{after:?}");

    let reader = Acting {
        app: state.clone(),
        actor: Actor::new("rita", "Rita Reader", "rita@example.org", Role::Viewer),
        scope: Scope::Write,
    };
    assert!((&reader as &dyn Editor).fetch().await.is_err());
}

/// A draft with a validation error: the commit is refused; an editor may not
/// override; an admin (who is told she may) commits it giving a reason, which
/// the commit in origin records.
#[tokio::test]
async fn an_admin_overrides_the_validation_gate_with_a_reason() {
    let (_tmp, origin, state) = demo_world().await;
    let break_query = |session: &dashstudio_app::server_fns::editor::EditSession| {
        let mut d: Value =
            serde_json::from_str(session.dashboard.as_deref().expect("dashboard")).expect("JSON");
        let panel = d["panels"]
            .as_array_mut()
            .expect("panels")
            .iter_mut()
            .find(|p| p["targets"][0]["expr"].is_string())
            .expect("a panel with a PromQL query");
        panel["targets"][0]["expr"] = json!("sum(rate(node_cpu_seconds_total[5m])");
        d.to_string()
    };
    let request = |override_reason: Option<&str>| CommitRequest {
        namespace: NS.into(),
        name: NAME.into(),
        message: "Break a query on purpose".into(),
        override_reason: override_reason.map(str::to_owned),
        ..CommitRequest::default()
    };

    let ada = acting_as_ada(&state);
    let ada: &dyn Editor = &ada;
    let session = ada.open(NS.into(), NAME.into()).await.expect("open");
    assert!(!session.may_override, "an editor may not override");
    let draft = ada
        .save(
            NS.into(),
            NAME.into(),
            break_query(&session),
            session.base_version.clone(),
            false,
        )
        .await
        .expect("save");
    assert!(draft.errors > 0, "{:?}", draft.diagnostics);
    let refused = ada.commit(request(None)).await.expect_err("errors block");
    assert!(refused.contains("validation error"), "{refused}");
    let forbidden = ada
        .commit(request(Some("I know better")))
        .await
        .expect_err("only admins override");
    assert!(forbidden.contains("only an admin"), "{forbidden}");

    let grace = Acting {
        app: state.clone(),
        actor: Actor::new("grace", "Grace Hopper", "grace@example.org", Role::Admin),
        scope: Scope::Write,
    };
    let grace: &dyn Editor = &grace;
    let session = grace.open(NS.into(), NAME.into()).await.expect("open");
    assert!(session.may_override, "an admin is told she may override");
    grace
        .save(
            NS.into(),
            NAME.into(),
            break_query(&session),
            session.base_version.clone(),
            false,
        )
        .await
        .expect("save");
    assert!(
        grace.commit(request(Some("   "))).await.is_err(),
        "a blank reason is no reason"
    );
    let committed = grace
        .commit(request(Some("the exporter renames this metric tonight")))
        .await
        .expect("an admin's override");
    assert!(committed.pushed, "{committed:?}");
    let message = git(&origin, &["log", "-1", "--format=%B", &committed.branch]);
    assert!(
        message.contains(
            "Studio-Override: the exporter renames this metric tonight (by grace@example.org)"
        ),
        "{message}"
    );
}
