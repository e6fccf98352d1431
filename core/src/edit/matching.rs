//! Matching the elements of two versions of an array: by a unique identity
//! field (`id` for panels, `refId` for targets…) when every element has one,
//! else by equality (longest common subsequence), unmatched neighbours paired.

use serde_json::Value;

/// Fields that identify an array element, tried in order.
const IDENTITY_FIELDS: [&str; 4] = ["id", "uid", "refId", "name"];

/// Above this many element comparisons the middle of two arrays is not
/// aligned (the arrays are then rewritten element by element).
const LCS_LIMIT: usize = 1_000_000;

/// One step of an alignment of `old` with `new`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// `old[i]` became `new[j]` (equal, or changed in place).
    Both(usize, usize),
    /// `old[i]` is gone.
    Old(usize),
    /// `new[j]` is added.
    New(usize),
}

/// The identity field shared by every element of all `arrays`, unique within
/// each array, if there is one.
pub(crate) fn identity_field(arrays: &[&[Value]]) -> Option<&'static str> {
    IDENTITY_FIELDS.into_iter().find(|field| {
        arrays.iter().all(|items| {
            let mut seen = Vec::with_capacity(items.len());
            items.iter().all(|item| match item.get(field) {
                Some(id @ (Value::String(_) | Value::Number(_))) if !seen.contains(&id) => {
                    seen.push(id);
                    true
                }
                _ => false,
            })
        })
    })
}

/// Aligns `old` with `new` in order.
pub(crate) fn align(old: &[Value], new: &[Value]) -> Vec<Step> {
    let field = identity_field(&[old, new]);
    let same = |a: &Value, b: &Value| match field {
        Some(f) => a.get(f) == b.get(f),
        None => a == b,
    };
    let mut prefix = 0;
    while prefix < old.len() && prefix < new.len() && same(&old[prefix], &new[prefix]) {
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < old.len() - prefix
        && suffix < new.len() - prefix
        && same(&old[old.len() - 1 - suffix], &new[new.len() - 1 - suffix])
    {
        suffix += 1;
    }
    let (o, n) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    let mut matched: Vec<(usize, usize)> = (0..prefix).map(|i| (i, i)).collect();
    if !o.is_empty() && !n.is_empty() && o.len().saturating_mul(n.len()) <= LCS_LIMIT {
        // lengths[i][j]: LCS length of o[i..] and n[j..].
        let w = n.len() + 1;
        let mut lengths = vec![0u32; (o.len() + 1) * w];
        for i in (0..o.len()).rev() {
            for j in (0..n.len()).rev() {
                lengths[i * w + j] = if same(&o[i], &n[j]) {
                    lengths[(i + 1) * w + j + 1] + 1
                } else {
                    lengths[(i + 1) * w + j].max(lengths[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < o.len() && j < n.len() {
            if same(&o[i], &n[j]) {
                matched.push((prefix + i, prefix + j));
                i += 1;
                j += 1;
            } else if lengths[(i + 1) * w + j] >= lengths[i * w + j + 1] {
                i += 1;
            } else {
                j += 1;
            }
        }
    }
    matched.extend((0..suffix).map(|k| (old.len() - suffix + k, new.len() - suffix + k)));
    matched.push((old.len(), new.len()));

    // Between matches: pair leftovers positionally unless identities differ.
    let mut steps = Vec::with_capacity(old.len().max(new.len()));
    let (mut i, mut j) = (0, 0);
    for (mi, mj) in matched {
        let paired = if field.is_some() {
            0
        } else {
            (mi - i).min(mj - j)
        };
        for k in 0..paired {
            steps.push(Step::Both(i + k, j + k));
        }
        steps.extend((i + paired..mi).map(Step::Old));
        steps.extend((j + paired..mj).map(Step::New));
        if mi < old.len() {
            steps.push(Step::Both(mi, mj));
        }
        (i, j) = (mi + 1, mj + 1);
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn steps(old: Value, new: Value) -> Vec<Step> {
        align(
            old.as_array().expect("array"),
            new.as_array().expect("array"),
        )
    }

    #[test]
    fn insertion_in_the_middle_keeps_the_others() {
        use Step::*;
        assert_eq!(
            steps(json!([1, 2, 3]), json!([1, 9, 2, 3])),
            vec![Both(0, 0), New(1), Both(1, 2), Both(2, 3)]
        );
        assert_eq!(
            steps(json!([1, 2, 3]), json!([1, 3])),
            vec![Both(0, 0), Old(1), Both(2, 1)]
        );
        assert_eq!(
            steps(json!([1, 2, 3]), json!([1, 5, 3])),
            vec![Both(0, 0), Both(1, 1), Both(2, 2)]
        );
        assert_eq!(steps(json!([]), json!([1])), vec![New(0)]);
    }

    #[test]
    fn panels_match_by_id() {
        use Step::*;
        let old = json!([{"id": 1, "t": "a"}, {"id": 2, "t": "b"}, {"id": 3}]);
        let new = json!([{"id": 1, "t": "a"}, {"id": 3}, {"id": 2, "t": "B"}]);
        let s = steps(old, new);
        assert!(s.contains(&Both(0, 0)));
        assert_eq!(s.len(), 4, "{s:?}");
        let dup = json!([{"id": 1}, {"id": 4}, {"id": 2}]);
        assert_eq!(
            steps(json!([{"id": 1}, {"id": 2}]), dup),
            vec![Both(0, 0), New(1), Both(1, 2)]
        );
    }
}
