//! The validation engine on the real GitOps corpus: every real defect we know
//! of is reported where it is, and nothing else is an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dashstudio_core::validate::{validate, Options, Report, Repository, Severity};

mod common;

fn corpus() -> Option<PathBuf> {
    common::corpus::root()
}

fn run(root: &Path) -> Report {
    let repo = Repository::from_dir(root).expect("corpus scans");
    validate(&repo, &Options::default())
}

fn files_with(report: &Report, code: &str) -> Vec<String> {
    let mut files: Vec<String> = report.with_code(code).map(|d| d.file.clone()).collect();
    files.sort();
    files
}

const DASHBOARDS: &str = "kubernetes/infrastructure/monitoring/grafana/enterprise-dashboards/";

#[test]
fn counts_per_code() {
    let Some(root) = corpus() else { return };
    let report = run(&root);
    let mut counts: BTreeMap<(String, &str), usize> = BTreeMap::new();
    for d in &report.diagnostics {
        *counts
            .entry((d.code.clone(), d.severity.label()))
            .or_default() += 1;
    }
    for ((code, severity), n) in &counts {
        println!("{n:5}  {severity:7}  {code}");
    }
    assert_eq!(report.summary.dashboards, 80);
}

#[test]
fn broken_json_is_reported_at_the_stray_bracket() {
    let Some(root) = corpus() else { return };
    let report = run(&root);
    let found: Vec<_> = report.with_code("json/syntax").collect();
    let mut files: Vec<&str> = found.iter().map(|d| d.file.as_str()).collect();
    files.sort();
    assert_eq!(
        files,
        [
            format!("{DASHBOARDS}cert-manager/cert-manager-status.yaml"),
            format!("{DASHBOARDS}elasticsearch/elasticsearch-cluster.yaml"),
            format!("{DASHBOARDS}tier0-executive/node-system-overview.yaml"),
        ]
    );
    for d in found {
        // The position is in the YAML file: the character there is the `]`
        // that closes an object opened with `{`.
        let text = std::fs::read_to_string(root.join(&d.file)).expect("file");
        let line = text.lines().nth(d.line - 1).expect("line exists");
        assert_eq!(
            line.chars().nth(d.column - 1),
            Some(']'),
            "{}:{}:{}",
            d.file,
            d.line,
            d.column
        );
        assert_eq!(d.severity, Severity::Error);
    }
}

#[test]
fn duplicate_uids_name_every_file_involved() {
    let Some(root) = corpus() else { return };
    let report = run(&root);
    let pairs = [
        (
            "argocd/official-argocd-application.yaml",
            "argocd/official-argocd-overview-v3.yaml",
        ),
        (
            "golang/official-go-runtime-metrics.yaml",
            "golang/official-golang-metrics.yaml",
        ),
        (
            "loki/official-loki-dashboard.yaml",
            "loki/official-loki-logs.yaml",
        ),
    ];
    let mut expected: Vec<String> = pairs
        .iter()
        .flat_map(|(a, b)| [format!("{DASHBOARDS}{a}"), format!("{DASHBOARDS}{b}")])
        .collect();
    expected.sort();
    assert_eq!(files_with(&report, "dashboard/uid-duplicate"), expected);
    for (a, b) in pairs {
        let d = report
            .with_code("dashboard/uid-duplicate")
            .find(|d| d.file.ends_with(a))
            .expect("reported");
        assert!(d.message.contains(b), "{}", d.message);
        // The line holds the uid itself.
        let text = std::fs::read_to_string(root.join(&d.file)).expect("file");
        let line = text.lines().nth(d.line - 1).expect("line");
        assert!(line[..].contains("\"uid\""), "{line}");
    }
}

#[test]
fn only_known_defects_are_errors() {
    let Some(root) = corpus() else { return };
    let report = run(&root);
    // The corpus was published without its SealedSecret files; the four
    // kustomization entries naming them are the only missing files.
    let missing: Vec<String> = report
        .with_code("kustomize/missing")
        .map(|d| {
            let text = std::fs::read_to_string(root.join(&d.file)).expect("file");
            text.lines().nth(d.line - 1).expect("line").to_owned()
        })
        .collect();
    assert_eq!(missing.len(), 4, "{missing:?}");
    assert!(missing.iter().all(|l| l.contains("sealed")), "{missing:?}");
    let errors: BTreeMap<&str, usize> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .fold(BTreeMap::new(), |mut m, d| {
            *m.entry(d.code.as_str()).or_default() += 1;
            m
        });
    assert_eq!(
        errors,
        BTreeMap::from([
            ("dashboard/uid-duplicate", 6),
            ("datasource/unresolved", 13),
            ("json/syntax", 3),
            ("kustomize/missing", 4),
            ("variable/import-input", 7),
            ("variable/undefined", 1),
        ])
    );
}

#[test]
fn unlisted_files_are_the_ones_no_kustomization_names() {
    let Some(root) = corpus() else { return };
    let report = run(&root);
    let unlisted = files_with(&report, "kustomize/unlisted");
    assert!(!unlisted.is_empty());
    // Computed independently: no active `- entry` line of any kustomization
    // resolves (from the kustomization's directory) to the file or a directory above it.
    let mut listed: Vec<String> = Vec::new();
    for k in walk(&root)
        .into_iter()
        .filter(|p| p.ends_with("kustomization.yaml"))
    {
        let dir = k.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
        let text = std::fs::read_to_string(root.join(&k)).expect("read");
        for line in text.lines() {
            let Some(entry) = line.trim().strip_prefix("- ") else {
                continue;
            };
            let entry = entry.split(" #").next().expect("entry").trim();
            listed.push(normalize(&format!("{dir}/{entry}")));
        }
    }
    for file in &unlisted {
        let hit = listed
            .iter()
            .find(|l| *l == file || file.starts_with(&format!("{l}/")));
        assert!(hit.is_none(), "{file} is listed as {hit:?}");
    }
    // And every dashboard file under simple-dashboards/ (listed nowhere) is among them.
    let simple = walk(&root)
        .into_iter()
        .filter(|p| p.contains("simple-dashboards/") && p.ends_with(".yaml"))
        .count();
    let reported = unlisted
        .iter()
        .filter(|f| f.contains("simple-dashboards/"))
        .count();
    assert_eq!(reported, simple);
}

fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn walk(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(
                    path.strip_prefix(root)
                        .expect("under")
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out
}

#[test]
fn variable_problems_point_at_the_reference() {
    let Some(root) = corpus() else { return };
    let report = run(&root);
    let undefined: Vec<_> = report.with_code("variable/undefined").collect();
    assert_eq!(undefined.len(), 1);
    let d = undefined[0];
    assert!(
        d.file.ends_with("argocd/official-argocd-overview-v3.yaml"),
        "{}",
        d.file
    );
    let text = std::fs::read_to_string(root.join(&d.file)).expect("file");
    let line = text.lines().nth(d.line - 1).expect("line");
    let at: String = line.chars().skip(d.column - 1).take(9).collect();
    assert_eq!(at, "$interval", "{line}");
    // Every import input left in a constant variable, computed from the text.
    let inputs = walk(&root)
        .into_iter()
        .filter(|p| p.ends_with(".yaml"))
        .map(|p| std::fs::read_to_string(root.join(p)).expect("read"))
        .map(|t| t.matches("\"query\":\"${VAR_").count() + t.matches("\"query\": \"${VAR_").count())
        .sum::<usize>();
    assert_eq!(report.with_code("variable/import-input").count(), inputs);
}

#[test]
fn import_placeholders_are_reported_once_per_dashboard() {
    let Some(root) = corpus() else { return };
    let report = run(&root);
    let mut seen = std::collections::BTreeSet::new();
    for d in report.with_code("datasource/unresolved") {
        assert!(
            seen.insert((
                d.file.clone(),
                d.message.split('`').nth(1).map(str::to_owned)
            )),
            "{d:?}"
        );
        let text = std::fs::read_to_string(root.join(&d.file)).expect("file");
        let line = text.lines().nth(d.line - 1).expect("line");
        assert!(
            line.contains("datasource") || line.contains("uid"),
            "{line}"
        );
    }
    let placeholders = report
        .with_code("datasource/unresolved")
        .filter(|d| d.message.contains("import placeholder"))
        .count();
    assert_eq!(placeholders, 12);
}

/// Every message the engine writes on the corpus, as a reviewed snapshot:
/// a changed message or position is a diff in `core/tests/snapshots/`.
#[test]
fn corpus_report_snapshot() {
    let Some(root) = corpus() else { return };
    let report = run(&root);
    let text = dashstudio_core::validate::format::text(&report, false);
    insta::assert_snapshot!("corpus_report", text);
}

/// Validating only some files reports exactly what a full run reports in
/// those files: uid duplicates across files, kustomize listing, and each
/// file's own checks included.
#[test]
fn validating_some_files_matches_the_full_run_in_those_files() {
    let Some(root) = corpus() else { return };
    let repo = Repository::from_dir(&root).expect("corpus scans");
    let full = validate(&repo, &Options::default());
    let mut by_file: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &full.diagnostics {
        *by_file.entry(d.file.as_str()).or_default() += 1;
    }
    // Files with a uid duplicate (cross-file), a kustomize finding, and a
    // dashboard with many findings.
    let mut chosen: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for code in [
        "dashboard/uid-duplicate",
        "kustomize/unlisted",
        "json/syntax",
    ] {
        let file = full
            .with_code(code)
            .next()
            .unwrap_or_else(|| panic!("the corpus has a {code}"))
            .file
            .clone();
        chosen.insert(file);
    }
    let busiest = by_file
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(f, _)| (*f).to_owned());
    chosen.extend(busiest);
    let scoped = dashstudio_core::validate::validate_files(&repo, &Options::default(), &chosen);
    let expected: Vec<_> = full
        .diagnostics
        .iter()
        .filter(|d| chosen.contains(&d.file))
        .collect();
    let got: Vec<_> = scoped.diagnostics.iter().collect();
    assert!(
        expected.len() > 10,
        "{} diagnostics in {chosen:?}",
        expected.len()
    );
    assert_eq!(got, expected);
}

/// Every PromQL query of the corpus gets the same verdict from the fast parse
/// (regex matchers decided without compiling them) as from `promql_parser`,
/// as written and with its variables replaced by a word.
#[test]
fn fast_promql_parse_agrees_with_the_parser_on_every_corpus_query() {
    let Some(root) = corpus() else { return };
    let repo = Repository::from_dir(&root).expect("corpus scans");
    let mut compared = 0;
    for dashboard in &repo.index.dashboards {
        let Some(model) = &dashboard.model else {
            continue;
        };
        for (_, target) in model.all_targets() {
            let Some(query) = &target.query else { continue };
            if target.language != dashstudio_core::model::QueryLanguage::PromQL {
                continue;
            }
            let substituted = regex_free_substitute(query);
            for text in [query.as_str(), substituted.as_str()] {
                let fast = dashstudio_core::validate::parse_promql(text).map(|_| ());
                let slow = promql_parser::parser::parse(text).map(|_| ());
                assert_eq!(fast, slow, "{}: {text}", dashboard.file);
                compared += 1;
            }
        }
    }
    println!("{compared} PromQL texts compared");
    assert!(compared > 1000, "only {compared} PromQL texts");
}

/// `$var`, `${var}`, `[[var]]` replaced by `placeholder`.
fn regex_free_substitute(query: &str) -> String {
    let mut out = String::new();
    let mut rest = query;
    while let Some(i) = rest.find(['$', '[']) {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let word = |name: &str| {
            name.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .count()
        };
        let len = if let Some(inner) = after.strip_prefix("${") {
            inner.find('}').map(|e| e + 3)
        } else if let Some(inner) = after.strip_prefix("[[") {
            inner.find("]]").map(|e| e + 4)
        } else {
            after.strip_prefix('$').map(|name| 1 + word(name))
        };
        match len {
            Some(n) if n > 1 => {
                out.push_str("placeholder");
                rest = &after[n..];
            }
            _ => {
                out.push_str(&after[..1]);
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every value of every corpus dashboard is found by the locator where
/// serde_json reads it: the positions of findings rest on this.
#[test]
fn locator_finds_every_value_of_every_dashboard() {
    use dashstudio_core::validate::locate::JsonLocator;
    use serde_json::Value;
    let Some(root) = corpus() else { return };
    let repo = Repository::from_dir(&root).expect("corpus scans");
    let mut located = 0;
    for dashboard in &repo.index.dashboards {
        let Some(text) = repo.json_text(dashboard) else {
            continue;
        };
        let Ok(value) = serde_json::from_str::<Value>(text) else {
            continue;
        };
        let mut pending = vec![(String::new(), &value)];
        let mut locator = JsonLocator::new(text);
        while let Some((pointer, v)) = pending.pop() {
            let at = locator
                .offset(&pointer)
                .unwrap_or_else(|| panic!("{}: {pointer:?} not found", dashboard.file));
            let found = serde_json::Deserializer::from_str(&text[at..])
                .into_iter::<Value>()
                .next()
                .and_then(Result::ok);
            assert_eq!(found.as_ref(), Some(v), "{}: {pointer:?}", dashboard.file);
            located += 1;
            match v {
                Value::Object(map) => pending.extend(map.iter().map(|(k, v)| {
                    (
                        format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")),
                        v,
                    )
                })),
                Value::Array(items) => pending.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (format!("{pointer}/{i}"), v)),
                ),
                _ => {}
            }
        }
    }
    assert!(located > 100_000, "only {located} values located");
}
