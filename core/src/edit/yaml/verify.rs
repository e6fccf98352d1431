//! The check behind every YAML edit: the edited text must load as the
//! original document with exactly the intended change, or the edit is refused.

use saphyr_parser::ScalarStyle;
use serde_json::Value;

use super::nodes::{all_nodes, Node, NodeKind};
use super::unsupported;
use crate::edit::{pointer_tokens, EditError};

pub(crate) fn load(text: &str, document: usize) -> Result<Value, EditError> {
    let docs = crate::yaml::load_documents(text)?;
    let count = docs.len();
    docs.into_iter()
        .nth(document)
        .map(|d| d.value)
        .ok_or(EditError::NoDocument {
            index: document,
            count,
        })
}

/// The edited text must load as the original document with exactly this
/// change (`None`: the member removed), and keep the other documents.
pub(super) fn verify(
    before: &str,
    after: &str,
    document: usize,
    pointer: &str,
    value: Option<Value>,
) -> Result<(), EditError> {
    let mut expected = load(before, document)?;
    let tokens = pointer_tokens(pointer);
    match value {
        Some(v) => set_at(&mut expected, &tokens, Some(v)),
        None => {
            take_at(&mut expected, &tokens);
        }
    }
    check(after, document, &expected, pointer)
}

/// [`verify`] for a literal block written at `pointer`, without loading the
/// original again: `before` are the original's nodes (of `documents`
/// documents). The edited text must parse to its end, hold as many
/// documents, and document `document` must read as the same nodes — same
/// pointers, kinds, styles and scalar text, hence the same loaded value —
/// but for `pointer`, now an untagged literal block holding exactly
/// `content` (which loads as that string).
pub(super) fn verify_block(
    before: &[Node],
    documents: usize,
    after: &str,
    document: usize,
    pointer: &str,
    content: &str,
) -> Result<(), EditError> {
    let (reloaded, count) = all_nodes(after, document)
        .map_err(|e| unsupported(pointer, &format!("the edit would not parse ({e})")))?;
    let written = |n: &Node| {
        matches!(&n.kind, NodeKind::Scalar {
            style: ScalarStyle::Literal,
            value,
            tagged: false,
            ..
        } if value == content)
    };
    let same = count == documents
        && reloaded.len() == before.len()
        && before.iter().zip(&reloaded).all(|(b, a)| {
            b.pointer == a.pointer
                && b.parent == a.parent
                && b.key.is_some() == a.key.is_some()
                && if b.pointer == pointer {
                    written(a)
                } else {
                    same_value(&b.kind, &a.kind)
                }
        });
    if same {
        Ok(())
    } else {
        Err(unsupported(
            pointer,
            "the edited file would not read back as intended",
        ))
    }
}

/// Whether two nodes load as the same value (their layout aside).
fn same_value(a: &NodeKind, b: &NodeKind) -> bool {
    match (a, b) {
        (
            NodeKind::Scalar {
                style: s1,
                value: v1,
                tagged: t1,
                ..
            },
            NodeKind::Scalar {
                style: s2,
                value: v2,
                tagged: t2,
                ..
            },
        ) => s1 == s2 && v1 == v2 && t1 == t2,
        _ => a == b,
    }
}

pub(super) fn check(
    after: &str,
    document: usize,
    expected: &Value,
    pointer: &str,
) -> Result<(), EditError> {
    let reloaded = crate::yaml::load_documents(after)
        .map_err(|e| unsupported(pointer, &format!("the edit would not parse ({e})")))?;
    match reloaded.get(document) {
        Some(d) if d.value == *expected => Ok(()),
        _ => Err(unsupported(
            pointer,
            "the edited file would not read back as intended",
        )),
    }
}

pub(super) fn take_at(root: &mut Value, tokens: &[String]) -> Option<Value> {
    let (last, path) = tokens.split_last()?;
    let mut v = root;
    for t in path {
        v = child(v, t)?;
    }
    match v {
        Value::Object(m) => m.remove(last),
        Value::Array(a) => last
            .parse::<usize>()
            .ok()
            .filter(|i| *i < a.len())
            .map(|i| a.remove(i)),
        _ => None,
    }
}

pub(super) fn set_at(root: &mut Value, tokens: &[String], value: Option<Value>) {
    let Some((last, path)) = tokens.split_last() else {
        if let Some(v) = value {
            *root = v;
        }
        return;
    };
    let mut v = root;
    for t in path {
        match child(v, t) {
            Some(c) => v = c,
            None => return,
        }
    }
    let Some(value) = value else { return };
    match v {
        Value::Object(m) => {
            m.insert(last.clone(), value);
        }
        Value::Array(a) => {
            if let Some(slot) = last.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                *slot = value;
            }
        }
        _ => {}
    }
}

fn child<'a>(v: &'a mut Value, token: &str) -> Option<&'a mut Value> {
    match v {
        Value::Object(m) => m.get_mut(token),
        Value::Array(a) => a.get_mut(token.parse::<usize>().ok()?),
        _ => None,
    }
}
