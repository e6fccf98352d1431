//! The browser editor's door (the app's `Editor` trait as the server
//! implements it) against real Git: the demo repository is a bare `origin`,
//! the server clones it; a retitled panel is saved as a draft, its Changes
//! are the one-line YAML diff, and the commit lands in `origin`.

use std::path::Path;
use std::process::Command;

use dashstudio_app::server_fns::editor::{CommitRequest, Editor};
use dashstudio_server::config::ServeConfig;
use dashstudio_server::{demo, serve};
use serde_json::{json, Value};

const NS: &str = "grafana";
const NAME: &str = "node-health";
const FILE: &str = "dashboards/kubernetes/node-health.yaml";

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[tokio::test]
async fn a_retitled_panel_goes_from_draft_to_a_one_line_commit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let origin = demo::ensure_origin(&tmp.path().join("gen")).expect("demo origin");
    let mut config = ServeConfig::new(Some(origin.display().to_string()), tmp.path().join("data"));
    config.site_root = tmp.path().join("site");
    config.git.fetch_interval = 0;
    config.write.author = "Ada Lovelace <ada@example.org>".to_owned();
    let state = serve::prepare(&config).await.expect("prepare");
    let editor: &dyn Editor = &*state.0;

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
    let editor: &dyn Editor = &*state.0;
    let err = editor
        .save(NS.into(), NAME.into(), "{\"title\": ".into(), None)
        .await
        .expect_err("not JSON");
    assert!(err.contains("line 1"), "{err}");
    assert!(editor
        .open("grafana".into(), "no-such-dashboard".into())
        .await
        .is_err());
}
