//! `dashstudio validate` as users run it: the real binary on repositories in
//! temp dirs, every output format, and the exit statuses 0 / 1 / 2.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const GOOD: &str = r#"apiVersion: grafana.integreatly.org/v1beta1
kind: GrafanaDashboard
metadata:
  name: good
spec:
  instanceSelector:
    matchLabels:
      dashboards: grafana
  folder: Ops
  json: |
    {
      "uid": "good",
      "title": "Good",
      "panels": [
        {"id": 1, "type": "stat", "title": "Up", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}}
      ]
    }
"#;

/// A stray `]` where `}` belongs, on line 15 (`]` at column 94) of the file.
const BROKEN: &str = r#"apiVersion: grafana.integreatly.org/v1beta1
kind: GrafanaDashboard
metadata:
  name: broken
spec:
  instanceSelector:
    matchLabels:
      dashboards: grafana
  folder: Ops
  json: |
    {
      "uid": "broken",
      "title": "Broken",
      "panels": [
        {"id": 1, "type": "stat", "title": "Up", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}]
      ]
    }
"#;

fn validate(path: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dashstudio"))
        .arg("validate")
        .arg(path)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 output")
}

#[test]
fn clean_repository_exits_zero() {
    let dir = repo(&[
        ("dash/good.yaml", GOOD),
        ("dash/kustomization.yaml", "resources:\n  - good.yaml\n"),
    ]);
    let out = validate(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("2 files, 1 dashboards"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn broken_json_exits_one_and_points_into_the_yaml_file() {
    let dir = repo(&[("dash/good.yaml", GOOD), ("dash/broken.yaml", BROKEN)]);
    let out = validate(dir.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&out)).expect("json output");
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(report["summary"]["dashboards"], 2);
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "json/syntax");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "dash/broken.yaml");
    assert_eq!(d["dashboard"], "broken");
    // serde_json stops at the `]` that should be `}`: line 15, column 94 of the file.
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(15), Some(94))
    );
    let line15 = BROKEN.lines().nth(14).expect("line 15");
    assert_eq!(line15.chars().nth(93), Some(']'));
}

#[test]
fn single_file_sarif_and_github_formats() {
    let dir = repo(&[("broken.yaml", BROKEN)]);
    let file = dir.path().join("broken.yaml");
    let sarif = validate(&file, &["--format", "sarif"]);
    assert_eq!(sarif.status.code(), Some(1));
    let sarif: Value = serde_json::from_str(&stdout(&sarif)).expect("sarif is json");
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "json/syntax");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "broken.yaml"
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        15
    );

    let github = validate(&file, &["--format", "github"]);
    assert_eq!(github.status.code(), Some(1));
    let text = stdout(&github);
    assert!(
        text.starts_with("::error file=broken.yaml,line=15,col=94,title=json/syntax::spec.json is not valid JSON"),
        "{text}"
    );
}

#[test]
fn text_format_groups_by_file_without_colour_when_piped() {
    let dir = repo(&[("broken.yaml", BROKEN)]);
    let out = validate(dir.path(), &[]);
    let text = stdout(&out);
    assert!(text.starts_with("broken.yaml\n"), "{text}");
    assert!(text.contains("15:94  error    json/syntax"), "{text}");
    assert!(!text.contains('\x1b'));
}

#[test]
fn missing_path_exits_two_with_a_message() {
    let out = validate(Path::new("/definitely/not/here"), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot open /definitely/not/here"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn unknown_format_is_a_usage_error() {
    let dir = repo(&[("good.yaml", GOOD)]);
    let out = validate(dir.path(), &["--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}
