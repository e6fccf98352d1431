//! Property tests for minimal-diff editing: a rewrite to the same value is
//! the same text, a rewrite to any value reads back as that value in every
//! layout (compact, 2/4 spaces, tabs, CRLF), and no input makes an editor panic.

use dashstudio_core::edit::{self, json};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        // Quarters: exact in binary, so any float parser reads them back.
        (-4000i32..4000).prop_map(|q| Value::from(f64::from(q) / 4.0)),
        "[a-zé😀\"\\\\/\n\t\u{1} ]{0,8}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-c\"é]{0,3}", inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// `v` written compact, with 2 or 4 spaces, with tabs, or pretty with CRLF.
fn layout(v: &Value, style: u8) -> String {
    let pretty = |indent: &[u8]| {
        let mut out = Vec::new();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(indent);
        let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
        serde::Serialize::serialize(v, &mut ser).expect("serialises");
        String::from_utf8(out).expect("utf-8")
    };
    match style % 5 {
        0 => serde_json::to_string(v).expect("serialises"),
        1 => pretty(b"  ") + "\n",
        2 => pretty(b"    "),
        3 => pretty(b"\t") + "\n",
        _ => pretty(b"  ").replace('\n', "\r\n"),
    }
}

/// A small change somewhere in `v`, chosen by `path`: at its end an item
/// or member is removed, added, or the value there replaced by `new`.
fn mutate(v: &mut Value, path: &[u8], new: Value) {
    let Some((step, rest)) = path.split_first() else {
        *v = new;
        return;
    };
    let last = rest.is_empty();
    match v {
        Value::Array(items) if !items.is_empty() => {
            let i = usize::from(*step) % items.len();
            match (last, step % 3) {
                (true, 0) => {
                    items.remove(i);
                }
                (true, 1) => items.insert(i, new),
                _ => mutate(&mut items[i], rest, new),
            }
        }
        Value::Object(members) if !members.is_empty() => {
            let key = members
                .keys()
                .nth(usize::from(*step) % members.len())
                .cloned()
                .unwrap_or_default();
            match (last, step % 3) {
                (true, 0) => {
                    members.remove(&key);
                }
                (true, 1) => {
                    members.insert(format!("{key}+"), new);
                }
                _ => {
                    if let Some(child) = members.get_mut(&key) {
                        mutate(child, rest, new);
                    }
                }
            }
        }
        _ => *v = new,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn rewrite_to_the_same_value_is_the_same_text(v in value(), style in any::<u8>(), pad in "[ \n]{0,2}") {
        let text = format!("{pad}{}{pad}", layout(&v, style));
        let parsed = json::parse(&text).expect("valid");
        prop_assert_eq!(json::rewrite(&text, &parsed).expect("rewrite"), text);
    }

    #[test]
    fn rewrite_reads_back_as_the_new_value(old in value(), new in value(), style in any::<u8>()) {
        let text = layout(&old, style);
        let out = json::rewrite(&text, &new).expect("rewrite");
        prop_assert_eq!(json::parse(&out).expect("output parses"), new);
    }

    #[test]
    fn small_changes_read_back_and_revert(
        old in value(), path in prop::collection::vec(any::<u8>(), 1..5), new in leaf(), style in any::<u8>()
    ) {
        let text = layout(&old, style);
        let mut changed = old.clone();
        mutate(&mut changed, &path, new);
        let out = json::rewrite(&text, &changed).expect("rewrite");
        prop_assert_eq!(json::parse(&out).expect("output parses"), changed.clone());
        let back = json::rewrite(&out, &old).expect("revert");
        prop_assert_eq!(json::parse(&back).expect("reverted parses"), old);
    }

    #[test]
    fn rewrite_never_panics_on_any_text(text in any::<String>(), new in value()) {
        let _ = json::rewrite(&text, &new);
    }

    #[test]
    fn yaml_edits_never_panic(
        text in "(spec|json|folder|name|metadata|[ ]{1,4}|:|- |[|>][-+2]?|\"|'|#|\\{|\\}|\\[|\\]|,|\n|\r\n|x|é|😀|1|---\n){0,40}",
        content in "[{}\\[\\]\" \n:a]{0,10}",
        doc in 0usize..3,
    ) {
        let _ = edit::yaml::set_block(&text, doc, "/spec/json", &content);
        let _ = edit::yaml::set_scalar(&text, doc, "/spec/folder", &Value::String(content.clone()));
        let _ = edit::yaml::insert_scalar(&text, doc, "/spec/folder", &Value::String(content.clone()));
        let _ = edit::yaml::remove(&text, doc, "/spec/json");
        let _ = edit::yaml::rename_key(&text, doc, "/spec/json", "x");
        let _ = edit::open_dashboard(&text, doc);
        let _ = edit::kustomize::add_entry(&text, "spec", &content);
        let _ = edit::kustomize::remove_entry(&text, "spec", "x");
    }

    #[test]
    fn literal_blocks_hold_any_json_text(v in value(), style in any::<u8>(), chomp in 0usize..3) {
        let header = ["|", "|-", "|+"][chomp];
        let file = format!("a: 1\nspec:\n  json: {header}\n    {{}}\n  folder: x\n");
        let content = layout(&v, style).replace("\r\n", "\n");
        let out = edit::yaml::set_block(&file, 0, "/spec/json", &content).expect("set block");
        let docs = dashstudio_core::yaml::load_documents(&out).expect("loads");
        prop_assert_eq!(docs[0].value["spec"]["json"].as_str(), Some(content.as_str()));
        prop_assert_eq!(docs[0].value["spec"]["folder"].as_str(), Some("x"));
    }
}
