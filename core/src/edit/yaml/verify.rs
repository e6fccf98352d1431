//! The check behind every YAML edit: the edited text must load as the
//! original document with exactly the intended change, or the edit is refused.

use serde_json::Value;

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
