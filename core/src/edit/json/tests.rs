use super::*;
use serde_json::json;

fn edit(original: &str, f: impl FnOnce(&mut Value)) -> String {
    let mut v = parse(original).expect("valid json");
    f(&mut v);
    let out = rewrite(original, &v).expect("rewrite");
    assert_eq!(parse(&out).expect("output parses"), v, "{out}");
    out
}

const GRAFANA: &str = r#"{
  "panels": [
    {
      "id": 1,
      "title": "CPU",
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 0
      }
    },
    {
      "id": 2,
      "title": "Memory",
      "targets": []
    },
    {
      "id": 3,
      "title": "Disk"
    }
  ],
  "refresh": 1.0,
  "title": "Nodes \u00e9t\u00e9 \/ x"
}
"#;

#[test]
fn unchanged_value_returns_the_text() {
    for text in [GRAFANA, "[1.0, 1e2, -0]", " {}\n", "\"\\u0041\""] {
        let v = parse(text).expect("valid");
        assert_eq!(rewrite(text, &v).expect("rewrite"), text);
    }
}

#[test]
fn changing_a_title_changes_one_line() {
    let out = edit(GRAFANA, |v| v["panels"][1]["title"] = json!("RAM"));
    assert_eq!(out, GRAFANA.replace("\"Memory\"", "\"RAM\""));
    // untouched numbers and escapes keep their text
    assert!(out.contains("\"refresh\": 1.0,") && out.contains("\\u00e9t\\u00e9 \\/ x"));
}

#[test]
fn adding_a_panel_in_the_middle_adds_only_its_lines() {
    let out = edit(GRAFANA, |v| {
        let panels = v["panels"].as_array_mut().expect("panels");
        panels.insert(1, json!({"id": 4, "title": "New", "gridPos": {"h": 1}}));
    });
    let expected = GRAFANA.replace(
        "    },\n    {\n      \"id\": 2,",
        "    },\n    {\n      \"gridPos\": {\n        \"h\": 1\n      },\n      \"id\": 4,\n      \"title\": \"New\"\n    },\n    {\n      \"id\": 2,",
    );
    assert_eq!(out, expected);
}

#[test]
fn removing_panels_removes_their_lines_and_fixes_the_comma() {
    let middle = edit(GRAFANA, |v| {
        v["panels"].as_array_mut().expect("panels").remove(1);
    });
    assert_eq!(
        middle,
        GRAFANA.replace(
            "    {\n      \"id\": 2,\n      \"title\": \"Memory\",\n      \"targets\": []\n    },\n",
            ""
        )
    );
    let last = edit(GRAFANA, |v| {
        v["panels"].as_array_mut().expect("panels").remove(2);
    });
    assert_eq!(
        last,
        GRAFANA.replace(
            "      \"targets\": []\n    },\n    {\n      \"id\": 3,\n      \"title\": \"Disk\"\n    }\n",
            "      \"targets\": []\n    }\n"
        )
    );
    let all = edit(GRAFANA, |v| v["panels"] = json!([]));
    assert!(
        all.starts_with("{\n  \"panels\": [],\n  \"refresh\""),
        "{all}"
    );
}

#[test]
fn members_are_added_after_the_last_and_removed_with_their_comma() {
    let out = edit(GRAFANA, |v| {
        v["panels"][0]["description"] = json!("d");
        v["panels"][0]["gridPos"]
            .as_object_mut()
            .expect("obj")
            .remove("y");
    });
    let expected = GRAFANA
        .replace(
            "        \"x\": 0,\n        \"y\": 0\n",
            "        \"x\": 0\n",
        )
        .replace(
            "        \"y\": 0\n      }\n    },",
            "        \"y\": 0\n      },\n      \"description\": \"d\"\n    },",
        );
    let expected = expected.replace(
        "        \"x\": 0\n      }\n    },",
        "        \"x\": 0\n      },\n      \"description\": \"d\"\n    },",
    );
    assert_eq!(out, expected);
    let first = edit("{\"a\": 1, \"b\": 2}", |v| {
        v.as_object_mut().expect("obj").remove("a");
    });
    assert_eq!(first, "{\"b\": 2}");
}

#[test]
fn minified_stays_minified() {
    let text = r#"{"a":[1,2],"b":{"c":true}}"#;
    let out = edit(text, |v| {
        v["b"]["d"] = json!({"e": [1, {"f": null}]});
        v["a"].as_array_mut().expect("a").push(json!(3));
    });
    assert_eq!(
        out,
        r#"{"a":[1,2,3],"b":{"c":true,"d":{"e":[1,{"f":null}]}}}"#
    );
}

#[test]
fn tabs_four_spaces_and_crlf_are_followed() {
    let tabs = "{\n\t\"a\": [\n\t\t1\n\t]\n}";
    let out = edit(tabs, |v| v["b"] = json!({"c": [2]}));
    assert_eq!(
        out,
        "{\n\t\"a\": [\n\t\t1\n\t],\n\t\"b\": {\n\t\t\"c\": [\n\t\t\t2\n\t\t]\n\t}\n}"
    );
    let four = "{\r\n    \"a\": 1\r\n}\r\n";
    let out = edit(four, |v| v["b"] = json!([true]));
    assert_eq!(
        out,
        "{\r\n    \"a\": 1,\r\n    \"b\": [\r\n        true\r\n    ]\r\n}\r\n"
    );
}

#[test]
fn inline_containers_inside_pretty_documents_stay_inline() {
    let text = "{\n  \"gridPos\": {\"h\": 8, \"w\": 12},\n  \"tags\": [\"a\", \"b\"]\n}";
    let out = edit(text, |v| {
        v["gridPos"]["x"] = json!(0);
        v["tags"] = json!(["a", "c", "b"]);
    });
    assert_eq!(
        out,
        "{\n  \"gridPos\": {\"h\": 8, \"w\": 12, \"x\": 0},\n  \"tags\": [\"a\", \"c\", \"b\"]\n}"
    );
}

#[test]
fn empty_containers_and_type_changes() {
    let out = edit("{\n  \"a\": [],\n  \"b\": {}\n}", |v| {
        v["a"] = json!([{"x": 1}]);
        v["b"] = json!("s");
    });
    assert_eq!(
        out,
        "{\n  \"a\": [\n    {\n      \"x\": 1\n    }\n  ],\n  \"b\": \"s\"\n}"
    );
    assert_eq!(
        edit("[1]", |v| *v = json!({"k": "ü\n"})),
        "{\"k\":\"ü\\n\"}"
    );
}

#[test]
fn duplicate_keys_edit_the_effective_one() {
    let text = "{\"a\": 1, \"a\": 2, \"b\": 3}";
    assert_eq!(
        edit(text, |v| v["a"] = json!(5)),
        "{\"a\": 1, \"a\": 5, \"b\": 3}"
    );
    assert_eq!(
        edit(text, |v| {
            v.as_object_mut().expect("obj").remove("a");
        }),
        "{\"b\": 3}"
    );
}

#[test]
fn broken_json_is_an_error_with_position() {
    let err = rewrite("{\n  \"a\": [1,]\n}", &json!({})).expect_err("broken");
    match err {
        EditError::Json { line, .. } => assert_eq!(line, 2),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn duplicating_a_panel_adds_one_block() {
    let out = edit(GRAFANA, |v| {
        let mut copy = v["panels"][2].clone();
        copy["id"] = json!(9);
        v["panels"].as_array_mut().expect("panels").push(copy);
    });
    assert_eq!(
        out,
        GRAFANA.replace(
            "      \"title\": \"Disk\"\n    }\n",
            "      \"title\": \"Disk\"\n    },\n    {\n      \"id\": 9,\n      \"title\": \"Disk\"\n    }\n"
        )
    );
}

#[test]
fn too_deep_new_values_are_refused() {
    let mut deep = json!(1);
    for _ in 0..1000 {
        deep = json!([deep]);
    }
    let err = rewrite("{\"a\": 1}", &json!({"a": 1, "b": deep.clone()})).expect_err("too deep");
    assert!(matches!(err, EditError::InvalidValue { .. }), "{err:?}");
    assert!(rewrite("[1]", &deep).is_err());
    assert!(rewrite("[[1], 2]", &json!([deep, 3])).is_err());
}
