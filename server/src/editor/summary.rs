//! The semantic summary of a draft for the Changes tab: panels added,
//! removed and changed (which fields, queries included) and other top-level
//! dashboard fields changed.

use std::collections::BTreeMap;

use serde_json::Value;

/// Every panel (rows' children too) by id.
fn panels(dashboard: &Value) -> BTreeMap<i64, &Value> {
    let mut out = BTreeMap::new();
    for p in dashboard
        .get("panels")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for q in std::iter::once(p).chain(
            p.get("panels")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        ) {
            if let Some(id) = q.get("id").and_then(Value::as_i64) {
                out.entry(id).or_insert(q);
            }
        }
    }
    out
}

fn label(id: i64, p: &Value) -> String {
    let title = p.get("title").and_then(Value::as_str).unwrap_or("");
    if title.is_empty() {
        format!("panel {id}")
    } else {
        format!("panel {id} \"{title}\"")
    }
}

/// One line per change, in a stable order.
pub fn describe(before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
    let (Some(before), Some(after)) = (before, after) else {
        return match (before, after) {
            (None, Some(_)) => vec!["dashboard JSON replaced (it did not parse before)".to_owned()],
            (Some(_), None) => vec!["dashboard removed".to_owned()],
            _ => Vec::new(),
        };
    };
    let mut out = Vec::new();
    let (old, new) = (panels(before), panels(after));
    for (id, p) in &new {
        if !old.contains_key(id) {
            out.push(format!("{} added", label(*id, p)));
        }
    }
    for (id, p) in &old {
        if !new.contains_key(id) {
            out.push(format!("{} removed", label(*id, p)));
        }
    }
    for (id, p) in &new {
        let Some(q) = old.get(id) else { continue };
        if p == q {
            continue;
        }
        let mut fields: Vec<String> = keys(p, q)
            .into_iter()
            .filter(|k| k != "panels" && p.get(k) != q.get(k))
            .map(|k| {
                if k == "targets" {
                    "queries".to_owned()
                } else {
                    k
                }
            })
            .collect();
        if fields.is_empty() {
            fields.push("its row's panels".to_owned());
        }
        out.push(format!("{}: {} changed", label(*id, q), fields.join(", ")));
    }
    let top: Vec<String> = keys(after, before)
        .into_iter()
        .filter(|k| k != "panels" && after.get(k) != before.get(k))
        .collect();
    if !top.is_empty() {
        out.push(format!("dashboard {} changed", top.join(", ")));
    }
    out
}

fn keys(a: &Value, b: &Value) -> Vec<String> {
    let mut keys: Vec<String> = a
        .as_object()
        .into_iter()
        .chain(b.as_object())
        .flat_map(|m| m.keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn panels_added_removed_and_changed() {
        let before = json!({"title": "T", "panels": [
            {"id": 1, "title": "CPU", "targets": [{"expr": "up"}]},
            {"id": 2, "title": "Gone"},
            {"id": 3, "type": "row", "panels": [{"id": 4, "title": "In row"}]}
        ]});
        let after = json!({"title": "T2", "panels": [
            {"id": 1, "title": "CPU", "targets": [{"expr": "up == 1"}]},
            {"id": 3, "type": "row", "panels": [{"id": 4, "title": "Renamed"}]},
            {"id": 5, "title": "New"}
        ]});
        assert_eq!(
            describe(Some(&before), Some(&after)),
            vec![
                "panel 5 \"New\" added",
                "panel 2 \"Gone\" removed",
                "panel 1 \"CPU\": queries changed",
                "panel 3: its row's panels changed",
                "panel 4 \"In row\": title changed",
                "dashboard title changed",
            ]
        );
        assert_eq!(describe(Some(&before), Some(&before)), Vec::<String>::new());
    }
}
