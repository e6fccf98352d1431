//! Table-driven tests of the strict dashboard check: severities, grouping,
//! the cap per dashboard, and the uid rules.

use super::*;

fn minimal() -> Value {
    json!({"uid": "abc", "title": "T", "schemaVersion": 42, "templating": {"list": []},
           "annotations": {"list": []}, "panels": [
               {"id": 1, "type": "timeseries", "title": "A", "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0}}]})
}

fn run(d: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    check_dashboard(d, &mut out);
    out
}

fn with(pointer: &str, value: Value) -> Value {
    let mut d = minimal();
    let (parent, key) = pointer.rsplit_once('/').expect("pointer");
    d.pointer_mut(parent).expect("parent")[key] = value;
    d
}

#[test]
fn a_current_dashboard_is_clean() {
    assert_eq!(run(&minimal()), vec![]);
    assert_eq!(run(&json!("not an object")), vec![]);
}

#[test]
fn severities() {
    let cases: [(Value, &str, Severity); 9] = [
        (with("/title", json!(3)), "/title", Severity::Warning),
        (
            with("/panels/0/type", json!("")),
            "/panels/0/type",
            Severity::Warning,
        ),
        (
            with(
                "/panels/0/gridPos",
                json!({"h": "8", "w": 12, "x": 0, "y": 0}),
            ),
            "/panels/0/gridPos/h",
            Severity::Warning,
        ),
        (
            with("/templating", json!({"list": [{"type": "query"}]})),
            "/templating/list/0/name",
            Severity::Warning,
        ),
        (
            with("/panels/0/legend", json!({})),
            "/panels/0/legend",
            Severity::Info,
        ),
        (
            with("/panels/0/datasource", json!(null)),
            "/panels/0/datasource",
            Severity::Info,
        ),
        (
            with("/links", json!([{"title": "x"}])),
            "/links/0/type",
            Severity::Info,
        ),
        // Old dashboards: a type deviation outside what Grafana reads as is is info…
        (with("/schemaVersion", json!(30)), "", Severity::Info),
        // …and a datasource name is migrated.
        (
            with("/panels/0/datasource", json!("Prometheus")),
            "/panels/0/datasource",
            Severity::Info,
        ),
    ];
    for (d, pointer, severity) in cases {
        let found = run(&d);
        if pointer.is_empty() {
            assert_eq!(found, vec![], "{d}");
            continue;
        }
        let f = found
            .iter()
            .find(|f| f.pointer.starts_with(pointer))
            .unwrap_or_else(|| panic!("{pointer}: {found:#?}"));
        assert_eq!(f.severity, severity, "{pointer}: {}", f.message);
        assert_eq!(f.code, DASHBOARD_SCHEMA);
        assert!(
            f.message.contains("Grafana"),
            "says what Grafana does: {}",
            f.message
        );
    }
    let mut old = with("/panels/0/id", json!("1"));
    old["schemaVersion"] = json!(36);
    assert_eq!(run(&old)[0].severity, Severity::Info);
    assert_eq!(
        run(&with("/panels/0/id", json!("1")))[0].severity,
        Severity::Warning,
        "schemaVersion 42 is not migrated"
    );
}

#[test]
fn unknown_fields_are_grouped_per_container() {
    let mut d = minimal();
    let panel = json!({"id": 2, "type": "graph", "legend": {}, "lines": true, "gridPos": {"h": 8, "w": 12, "x": 12, "y": 0}});
    d["panels"] = json!([panel.clone(), panel.clone(),
        {"id": 3, "type": "row", "collapsed": true, "panels": [panel], "gridPos": {"h": 1, "w": 24, "x": 0, "y": 8}}]);
    d["style"] = json!("dark");
    let found = run(&d);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].pointer, "/style");
    assert_eq!(found[1].pointer, "/panels/0/legend");
    assert!(
        found[1].message.starts_with("Panels use fields"),
        "{}",
        found[1].message
    );
    assert!(
        found[1].message.contains("`legend` (3×), `lines` (3×)"),
        "{}",
        found[1].message
    );
}

#[test]
fn repeated_deviations_are_grouped_and_capped() {
    let mut d = minimal();
    let panels: Vec<Value> = (0..30)
        .map(|i| json!({"id": i, "type": "stat", "timeFrom": 1, "gridPos": {"h": 1, "w": 1, "x": 0, "y": i}}))
        .collect();
    d["panels"] = json!(panels);
    let found = run(&d);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].message.contains("29 more like it"),
        "{}",
        found[0].message
    );

    let mut d = minimal();
    let mut panel = json!({"id": 1, "type": "stat", "gridPos": {"h": 1, "w": 1, "x": 0, "y": 0}});
    for i in 0..40 {
        panel[format!("field{i}")] = json!(1);
        d[format!("top{i}")] = json!(1);
    }
    for key in [
        "timeFrom",
        "timeShift",
        "interval",
        "repeat",
        "description",
        "cacheTimeout",
        "pluginVersion",
        "timeCompare",
        "title",
        "maxPerRow",
        "maxDataPoints",
        "queryCachingTTL",
        "hideTimeOverride",
        "transparent",
        "links",
        "transformations",
        "targets",
        "options",
        "fieldConfig",
        "libraryPanel",
        "repeatDirection",
    ] {
        panel[key] = json!(false);
    }
    d["panels"] = json!([panel]);
    let found = run(&d);
    assert_eq!(found.len(), MAX_FINDINGS, "{found:#?}");
    let last = found.last().expect("cap note");
    assert!(last.message.contains("more deviations"), "{}", last.message);
}

#[test]
fn uid_rules() {
    let cases = [
        ("ok-uid_1", None),
        ("has space", Some("has-space")),
        ("a.b/c", Some("a-b-c")),
        (
            "x123456789012345678901234567890123456789012",
            Some("x123456789012345678901234567890123456789"),
        ),
    ];
    for (uid, fixed) in cases {
        let found: Vec<Finding> = run(&with("/uid", json!(uid)))
            .into_iter()
            .filter(|f| f.code == DASHBOARD_UID_INVALID)
            .collect();
        match fixed {
            None => assert_eq!(found, vec![], "{uid}"),
            Some(fixed) => {
                assert_eq!(found.len(), 1, "{uid}");
                assert_eq!(found[0].severity, Severity::Error);
                assert_eq!(found[0].pointer, "/uid");
                assert_eq!(
                    found[0].fix.as_ref().and_then(|f| f.replacement.as_deref()),
                    Some(fixed)
                );
            }
        }
    }
}
