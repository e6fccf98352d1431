use super::*;
use serde_json::json;

const CRD: &str = "# leading comment\n\
apiVersion: grafana.integreatly.org/v1beta1\n\
kind: GrafanaDashboard\n\
metadata:\n  name: nodes # the name\n  namespace: 'grafana'\n\
spec:\n  folder: \"Ops\"\n  json: |\n    {\n      \"title\": \"Nodes\"\n    }\n\n  resyncPeriod: 10m\n\
---\nkind: Other\n";

fn value_at(text: &str, doc: usize, pointer: &str) -> Value {
    let docs = crate::yaml::load_documents(text).expect("loads");
    docs[doc]
        .value
        .pointer(pointer)
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn block_replacement_keeps_everything_around() {
    let out = set_block(
        CRD,
        0,
        "/spec/json",
        "{\n  \"title\": \"Hosts\",\n  \"x\": 1\n}\n",
    )
    .expect("edit");
    assert_eq!(
        out,
        CRD.replace(
            "      \"title\": \"Nodes\"\n",
            "      \"title\": \"Hosts\",\n      \"x\": 1\n"
        )
    );
    assert_eq!(
        set_block(CRD, 0, "/spec/json", "{\n  \"title\": \"Nodes\"\n}\n").expect("same"),
        CRD
    );
}

#[test]
fn chomping_follows_the_new_trailing_newlines() {
    for content in ["{}", "{}\n", "{}\n\n", "", "\n", " {}\n", "a\n\n  b\n"] {
        let out =
            set_block(CRD, 0, "/spec/json", content).unwrap_or_else(|e| panic!("{content:?}: {e}"));
        assert_eq!(
            value_at(&out, 0, "/spec/json"),
            json!(content),
            "{content:?}\n{out}"
        );
        assert_eq!(value_at(&out, 0, "/spec/resyncPeriod"), json!("10m"));
    }
    let strip = "spec:\n  json: |-\n    {}\n  next: 1\n";
    let out = set_block(strip, 0, "/spec/json", "[]").expect("edit");
    assert_eq!(out, "spec:\n  json: |-\n    []\n  next: 1\n");
    let keep = "a:\n  json: |+\n    {}\n\n";
    let out = set_block(keep, 0, "/a/json", "[]\n\n").expect("edit");
    assert_eq!(out, "a:\n  json: |+\n    []\n\n");
}

#[test]
fn crlf_files_stay_crlf() {
    let crlf = CRD.replace('\n', "\r\n");
    let out = set_block(&crlf, 0, "/spec/json", "{\n  \"a\": 1\n}\n").expect("edit");
    assert!(
        out.contains("  json: |\r\n    {\r\n      \"a\": 1\r\n    }\r\n\r\n  resyncPeriod"),
        "{out}"
    );
    assert_eq!(out.matches('\n').count(), out.matches("\r\n").count());
    let out = set_scalar(&crlf, 0, "/metadata/name", &json!("n2")).expect("edit");
    assert_eq!(out, crlf.replace("name: nodes", "name: n2"));
}

#[test]
fn quoted_json_becomes_a_literal_block() {
    let text = "spec:\n  json: \"{\\\"a\\\": 1}\" # inline\n  folder: x\n";
    let out = set_block(text, 0, "/spec/json", "{\n  \"a\": 2\n}\n").expect("edit");
    assert_eq!(
        out,
        "spec:\n  json: | # inline\n    {\n      \"a\": 2\n    }\n  folder: x\n"
    );
    let flow = "spec: {json: \"{}\"}\n";
    assert!(matches!(
        set_block(flow, 0, "/spec/json", "[]\n"),
        Err(EditError::Unsupported { .. })
    ));
}

#[test]
fn scalars_keep_their_quoting() {
    let out = set_scalar(CRD, 0, "/spec/folder", &json!("Platform")).expect("edit");
    assert_eq!(out, CRD.replace("\"Ops\"", "\"Platform\""));
    let out = set_scalar(CRD, 0, "/metadata/namespace", &json!("it's")).expect("edit");
    assert_eq!(out, CRD.replace("'grafana'", "'it''s'"));
    let out = set_scalar(CRD, 0, "/metadata/name", &json!("true")).expect("edit");
    assert_eq!(out, CRD.replace("name: nodes #", "name: \"true\" #"));
    assert!(matches!(
        set_scalar(CRD, 0, "/metadata", &json!("x")),
        Err(EditError::InvalidValue { .. })
    ));
    assert!(matches!(
        set_scalar(CRD, 0, "/nope", &json!("x")),
        Err(EditError::NotFound { .. })
    ));
    assert!(matches!(
        set_scalar(CRD, 5, "/kind", &json!("x")),
        Err(EditError::NoDocument { index: 5, count: 2 })
    ));
}

#[test]
fn insert_goes_beside_short_siblings_and_remove_takes_the_lines() {
    let out = insert_scalar(CRD, 0, "/spec/folderUID", &json!("abc")).expect("insert");
    assert_eq!(
        out,
        CRD.replace(
            "  folder: \"Ops\"\n",
            "  folder: \"Ops\"\n  folderUID: abc\n"
        )
    );
    let out = remove(CRD, 0, "/spec/folder").expect("remove");
    assert_eq!(out, CRD.replace("  folder: \"Ops\"\n", ""));
    let out = remove(CRD, 0, "/spec/json").expect("remove block");
    assert_eq!(
        value_at(&out, 0, "/spec"),
        json!({"folder": "Ops", "resyncPeriod": "10m"})
    );
    assert!(matches!(
        insert_scalar(CRD, 0, "/spec/folder", &json!("x")),
        Err(EditError::AlreadyExists { .. })
    ));
    let nested = "a:\n  b:\n    c: 1\n  d: 2\n";
    assert_eq!(remove(nested, 0, "/a/b").expect("remove"), "a:\n  d: 2\n");
    let only = "a:\n  b: 1\n";
    assert!(matches!(
        remove(only, 0, "/a/b"),
        Err(EditError::Unsupported { .. })
    ));
}

#[test]
fn second_document_and_rename() {
    let out = insert_scalar(CRD, 1, "/apiVersion", &json!("v1")).expect("insert");
    assert_eq!(out, format!("{CRD}apiVersion: v1\n"));
    let out = rename_key(CRD, 0, "/spec/folder", "folderRef").expect("rename");
    assert_eq!(
        out,
        CRD.replace("  folder: \"Ops\"", "  folderRef: \"Ops\"")
    );
}

#[test]
fn unicode_before_the_edit_is_counted_in_characters() {
    let text = "# é ü 😀\nmetadata:\n  name: \"ä\"\nspec:\n  json: |-\n    {\"t\": \"ö\"}\n";
    let out = set_block(text, 0, "/spec/json", "{\"t\": \"😀\"}").expect("edit");
    assert_eq!(out, text.replace("{\"t\": \"ö\"}", "{\"t\": \"😀\"}"));
    let out = set_scalar(text, 0, "/metadata/name", &json!("b")).expect("edit");
    assert_eq!(out, text.replace("\"ä\"", "\"b\""));
}

#[test]
fn gzip_json_round_trips() {
    let encoded = encode_gzip_json("{\"a\": 1}").expect("encode");
    let text = format!("spec:\n  gzipJson: {encoded}\n  folder: x\n");
    let out = set_gzip_json(&text, 0, "/spec/gzipJson", "{\"a\": 2}").expect("edit");
    let b64 = value_at(&out, 0, "/spec/gzipJson");
    assert_eq!(
        decode_gzip_json(b64.as_str().expect("str")).expect("decode"),
        "{\"a\": 2}"
    );
    assert!(out.ends_with("  folder: x\n"));
    let block = format!(
        "spec:\n  gzipJson: |\n    {}\n    {}\n",
        &encoded[..10],
        &encoded[10..]
    );
    let out = set_gzip_json(&block, 0, "/spec/gzipJson", "[]").expect("edit");
    let b64 = value_at(&out, 0, "/spec/gzipJson");
    assert_eq!(
        decode_gzip_json(b64.as_str().expect("str")).expect("decode"),
        "[]"
    );
    assert!(out.lines().nth(2).is_some_and(|l| l.len() == 14), "{out}");
}

#[test]
fn plain_scalars_with_multibyte_characters() {
    let text = "metadata:\n  name: ééé # ü\n  title: a ü b\nspec:\n  x: 1\n";
    let out = set_scalar(text, 0, "/metadata/name", &json!("b")).expect("edit");
    assert_eq!(out, text.replace("ééé", "b"));
    let out = set_scalar(text, 0, "/metadata/title", &json!("ü")).expect("edit");
    assert_eq!(out, text.replace("a ü b", "ü"));
    let out = remove(text, 0, "/metadata/title").expect("remove");
    assert_eq!(out, text.replace("  title: a ü b\n", ""));
}

#[test]
fn block_check_refuses_any_other_difference() {
    let (nodes, documents) = all_nodes(CRD, 0).expect("nodes");
    let content = "{\n  \"title\": \"Hosts\"\n}\n";
    let good = set_block(CRD, 0, "/spec/json", content).expect("edit");
    let check = |after: &str| verify_block(&nodes, documents, after, 0, "/spec/json", content);
    assert!(check(&good).is_ok());
    // The block right, something else changed with it.
    for after in [
        good.replace("folder: \"Ops\"", "folder: \"Dev\""),
        good.replace("folder: \"Ops\"", "folder: Ops"),
        good.replace("resyncPeriod: 10m", "resyncPeriod: !!str 10m"),
        good.replace("resyncPeriod: 10m", "resyncPeriods: 10m"),
        good.replace("---\nkind: Other\n", "---\nkind: Other\n---\nkind: More\n"),
        good.replace("kind: Other\n", "kind: [\n"),
        good.replace("  json: |\n", "  json: !!str |\n"),
        good.replace("\"Hosts\"", "\"Nodes\""),
        good.replace("  json: |\n", "  json: |-\n"),
    ] {
        assert_ne!(after, good);
        assert!(check(&after).is_err(), "accepted:\n{after}");
    }
}

#[test]
fn tagged_block_is_refused_not_a_panic() {
    let text = "spec:\n  json: !!str |\n    {}\n";
    assert!(matches!(
        set_block(text, 0, "/spec/json", "{\"a\": 1}\n"),
        Err(EditError::Unsupported { .. })
    ));
}
