//! Three-way merge of dashboard JSON values: changes to different parts
//! (panels, keys) combine; the same part changed differently is a conflict.
//!
//! Arrays whose elements all carry a unique `id` (panels), `uid`, `refId`
//! (targets) or `name` are merged element by element by that identity, in
//! our order with their additions placed after the element they follow;
//! other arrays merge item by item when no side changed their length.

use serde_json::{Map, Value};

use super::escape_token;
use super::matching::identity_field;

/// One place both sides changed differently; `None` means absent there.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// RFC 6901 pointer of the place in the merged dashboard (which holds
    /// our side of each conflict; where ours has nothing, where theirs would go).
    pub pointer: String,
    pub base: Option<Value>,
    pub ours: Option<Value>,
    pub theirs: Option<Value>,
}

/// Merges `ours` and `theirs`, both edited from `base`; every conflict is reported.
pub fn merge3(base: &Value, ours: &Value, theirs: &Value) -> Result<Value, Vec<Conflict>> {
    let mut conflicts = Vec::new();
    let merged = merge(
        String::new(),
        Some(base),
        Some(ours),
        Some(theirs),
        &mut conflicts,
    );
    if conflicts.is_empty() {
        Ok(merged.unwrap_or(Value::Null))
    } else {
        Err(conflicts)
    }
}

fn merge(
    pointer: String,
    base: Option<&Value>,
    ours: Option<&Value>,
    theirs: Option<&Value>,
    conflicts: &mut Vec<Conflict>,
) -> Option<Value> {
    if ours == theirs || base == theirs {
        return ours.cloned();
    }
    if base == ours {
        return theirs.cloned();
    }
    match (base, ours, theirs) {
        (b, Some(Value::Object(o)), Some(Value::Object(t))) => {
            let empty = Map::new();
            let b = match b {
                Some(Value::Object(b)) => b,
                _ => &empty,
            };
            let mut out = Map::new();
            let keys = o.keys().chain(t.keys().filter(|k| !o.contains_key(*k)));
            for k in keys {
                let p = format!("{pointer}/{}", escape_token(k));
                if let Some(v) = merge(p, b.get(k), o.get(k), t.get(k), conflicts) {
                    out.insert(k.clone(), v);
                }
            }
            Some(Value::Object(out))
        }
        (Some(Value::Array(b)), Some(Value::Array(o)), Some(Value::Array(t))) => {
            match identity_field(&[b, o, t]) {
                Some(field) => Some(Value::Array(by_identity(
                    &pointer, field, b, o, t, conflicts,
                ))),
                None if b.len() == o.len() && o.len() == t.len() => Some(Value::Array(
                    (0..b.len())
                        .filter_map(|i| {
                            merge(
                                format!("{pointer}/{i}"),
                                b.get(i),
                                o.get(i),
                                t.get(i),
                                conflicts,
                            )
                        })
                        .collect(),
                )),
                None => conflict(pointer, base, ours, theirs, conflicts),
            }
        }
        _ => conflict(pointer, base, ours, theirs, conflicts),
    }
}

fn conflict(
    pointer: String,
    base: Option<&Value>,
    ours: Option<&Value>,
    theirs: Option<&Value>,
    conflicts: &mut Vec<Conflict>,
) -> Option<Value> {
    conflicts.push(Conflict {
        pointer,
        base: base.cloned(),
        ours: ours.cloned(),
        theirs: theirs.cloned(),
    });
    ours.cloned()
}

fn by_identity(
    pointer: &str,
    field: &str,
    base: &[Value],
    ours: &[Value],
    theirs: &[Value],
    conflicts: &mut Vec<Conflict>,
) -> Vec<Value> {
    let id = |v: &Value| v.get(field).cloned();
    let find = |list: &[Value], key: &Option<Value>| list.iter().find(|v| id(v) == *key).cloned();
    // Our order first, then their additions after the element they follow.
    let mut order: Vec<Option<Value>> = ours.iter().map(id).collect();
    for (i, t) in theirs.iter().enumerate() {
        let key = id(t);
        if order.contains(&key) {
            continue;
        }
        let after = theirs[..i]
            .iter()
            .rev()
            .map(id)
            .find_map(|k| order.iter().position(|o| *o == k));
        order.insert(after.map_or(0, |p| p + 1), key);
    }
    let mut out = Vec::with_capacity(order.len());
    for key in order {
        let (b, o, t) = (find(base, &key), find(ours, &key), find(theirs, &key));
        let p = format!("{pointer}/{}", out.len());
        if let Some(v) = merge(p, b.as_ref(), o.as_ref(), t.as_ref(), conflicts) {
            out.push(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base() -> Value {
        json!({"title": "T", "panels": [
            {"id": 1, "title": "A", "targets": [{"refId": "A", "expr": "up"}]},
            {"id": 2, "title": "B"},
            {"id": 3, "title": "C"}
        ]})
    }

    #[test]
    fn different_panels_merge() {
        let mut ours = base();
        ours["panels"][0]["title"] = json!("A2");
        let mut theirs = base();
        theirs["panels"][2]["title"] = json!("C2");
        theirs["panels"].as_array_mut().expect("panels").remove(1);
        theirs["panels"]
            .as_array_mut()
            .expect("panels")
            .push(json!({"id": 4, "title": "D"}));
        let merged = merge3(&base(), &ours, &theirs).expect("merges");
        assert_eq!(
            merged["panels"],
            json!([
                {"id": 1, "title": "A2", "targets": [{"refId": "A", "expr": "up"}]},
                {"id": 3, "title": "C2"},
                {"id": 4, "title": "D"}
            ])
        );
    }

    #[test]
    fn different_keys_merge_and_same_leaf_conflicts() {
        let mut ours = base();
        ours["title"] = json!("Ours");
        ours["panels"][0]["targets"][0]["expr"] = json!("up{a}");
        let mut theirs = base();
        theirs["refresh"] = json!("1m");
        theirs["panels"][0]["targets"][0]["expr"] = json!("up{b}");
        let conflicts = merge3(&base(), &ours, &theirs).expect_err("conflict");
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].pointer, "/panels/0/targets/0/expr");
        assert_eq!(conflicts[0].ours, Some(json!("up{a}")));
        assert_eq!(conflicts[0].theirs, Some(json!("up{b}")));
        theirs["panels"][0]["targets"][0]["expr"] = json!("up");
        let merged = merge3(&base(), &ours, &theirs).expect("merges");
        assert_eq!(
            (merged["title"].clone(), merged["refresh"].clone()),
            (json!("Ours"), json!("1m"))
        );
    }

    #[test]
    fn delete_against_edit_conflicts() {
        let mut ours = base();
        ours["panels"].as_array_mut().expect("panels").remove(1);
        let mut theirs = base();
        theirs["panels"][1]["title"] = json!("B2");
        let conflicts = merge3(&base(), &ours, &theirs).expect_err("conflict");
        assert_eq!(conflicts[0].pointer, "/panels/1");
        assert_eq!(conflicts[0].ours, None);
        let same = merge3(&base(), &ours, &ours).expect("same change");
        assert_eq!(same, ours);
    }
}
