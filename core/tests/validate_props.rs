//! The engine never panics on what users submit, and every diagnostic it
//! returns points inside the submitted text.

use dashstudio_core::validate::{validate_document, Options};
use proptest::prelude::*;

const SEED: &str = r#"{"uid": "u", "title": "T", "templating": {"list": [{"name": "job", "type": "query", "multi": true}]},
 "panels": [{"id": 1, "type": "graph", "title": "A", "gridPos": {"x": 0, "y": 0, "w": 30, "h": 8},
   "datasource": {"type": "prometheus", "uid": "${DS_X}"},
   "targets": [{"refId": "A", "expr": "sum(rate(x_total{job=\"$job\"}[30s])) by (pod)"},
               {"refId": "B", "expr": "{app=\"a\"} |= \"x\"", "datasource": {"type": "loki", "uid": "l"}},
               {"refId": "C", "query": "{ span.a = 1 }", "datasource": {"type": "tempo", "uid": "t"}}]},
  {"id": 1, "type": "row", "collapsed": true, "panels": [{"id": 3, "type": "stat", "gridPos": {"x": 0, "y": 0, "w": 4, "h": 4}}]}]}"#;

fn check(text: &str) {
    let report = validate_document(text, &Options::default());
    let lines = text.lines().count().max(1);
    for d in &report.diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        assert!(d.line <= lines + 1, "line {} past {lines}: {d:?}", d.line);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text(text in "\\PC{0,300}") {
        check(&text);
    }

    #[test]
    fn edited_dashboards(cut in 0usize..1000, insert in "[{}\\[\\]\",:$ a-z0-9\\\\]{0,6}") {
        let at = SEED.char_indices().map(|(i, _)| i).nth(cut % SEED.chars().count()).unwrap_or(0);
        let text = format!("{}{}{}", &SEED[..at], insert, &SEED[at..]);
        check(&text);
    }

    #[test]
    fn edited_manifests(cut in 0usize..400, insert in "[ :\\-|>'\"#&*!\\n a-z]{0,6}") {
        let manifest = format!(
            "apiVersion: grafana.integreatly.org/v1beta1\nkind: GrafanaDashboard\nmetadata:\n  name: m\nspec:\n  folder: F\n  json: |\n    {}\n",
            SEED.replace('\n', "\n    ")
        );
        let at = manifest.char_indices().map(|(i, _)| i).nth(cut % manifest.chars().count()).unwrap_or(0);
        let text = format!("{}{}{}", &manifest[..at], insert, &manifest[at..]);
        check(&text);
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    check(&deep);
    let yaml = format!("a: {}{}", "[".repeat(20_000), "]".repeat(20_000));
    check(&yaml);
}

/// `parse_promql` decides regex matchers without compiling them; its verdict
/// must be `promql_parser`'s on any selector, whatever the patterns.
fn same_promql_verdict(query: &str) {
    let fast = dashstudio_core::validate::parse_promql(query).map(|_| ());
    let slow = promql_parser::parser::parse(query).map(|_| ());
    assert_eq!(fast, slow, "{query}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn promql_regex_matchers_keep_the_parsers_verdict(
        name in prop::option::of("[a-z_]{1,8}"),
        matchers in prop::collection::vec(
            ("[a-z_]{1,5}", prop::sample::select(vec!["=", "!=", "=~", "!~"]),
             r#"[a-c.*+?|()\[\]^$\\ éx{}0-9dswb,-]{0,8}"#),
            0..4,
        ),
    ) {
        let body: Vec<String> = matchers
            .iter()
            .map(|(label, op, pattern)| {
                let escaped = pattern.replace('\\', "\\\\").replace('"', "\\\"");
                format!("{label}{op}\"{escaped}\"")
            })
            .collect();
        let query = format!("{}{{{}}}", name.unwrap_or_default(), body.join(","));
        same_promql_verdict(&query);
        same_promql_verdict(&format!("sum(rate({query}[5m]))"));
    }
}
