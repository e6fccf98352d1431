//! Editing a `kustomization.yaml` list (`resources`, `bases`, `components`)
//! line by line: add, remove or rename one entry, keeping comments, order,
//! quoting and every other line; commented-out entries are left alone.

use super::{yaml, EditError};

/// One active `- path` line of the list.
struct Entry {
    /// Bytes of the whole line, line break included.
    line: (usize, usize),
    /// Bytes of the path as written (quotes included).
    value: (usize, usize),
    quote: Option<char>,
    path: String,
}

/// The list's layout: where its key line ends and its active entries.
struct List {
    key_line_end: usize,
    entries: Vec<Entry>,
}

/// Adds `entry` to `list`: at its sorted place if the entries are sorted;
/// else next to its siblings (the entries of the same directory: at their
/// sorted place if they are sorted, else after the last of them); else after
/// the last entry. Written with the neighbours' indentation and quotes.
/// Without the list, `list:` is added at the end of the file.
pub fn add_entry(text: &str, list: &str, entry: &str) -> Result<String, EditError> {
    check_entry(list, entry)?;
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let out = match find_list(text, list)? {
        None => {
            let sep = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                newline
            };
            format!(
                "{text}{sep}{list}:{newline}  - {}{newline}",
                yaml::format_plain_or_quoted(entry)
            )
        }
        Some(l) if l.entries.iter().any(|e| e.path == entry) => {
            return Err(error(list, entry, "already lists"));
        }
        Some(l) if l.entries.is_empty() => {
            let at = l.key_line_end;
            let sep = if text[..at].ends_with('\n') {
                ""
            } else {
                newline
            };
            let line = format!("  - {}{newline}", yaml::format_plain_or_quoted(entry));
            format!("{}{sep}{line}{}", &text[..at], &text[at..])
        }
        Some(l) => {
            let sorted_list = |entries: &[&Entry]| {
                entries.len() >= 2 && entries.windows(2).all(|w| w[0].path <= w[1].path)
            };
            let all: Vec<&Entry> = l.entries.iter().collect();
            let dir = |p: &str| p.rsplit_once('/').map(|(d, _)| d.to_owned());
            let siblings: Vec<&Entry> = match dir(entry) {
                Some(d) => all
                    .iter()
                    .copied()
                    .filter(|e| dir(&e.path).as_deref() == Some(d.as_str()))
                    .collect(),
                None => Vec::new(),
            };
            let group = if sorted_list(&all) || siblings.is_empty() {
                &all
            } else {
                &siblings
            };
            let before = sorted_list(group)
                .then(|| group.iter().find(|e| e.path.as_str() > entry))
                .flatten();
            let (sibling, at) = match before {
                Some(e) => (*e, e.line.0),
                None => {
                    let last = group
                        .last()
                        .ok_or_else(|| error(list, entry, "cannot place"))?;
                    (*last, last.line.1)
                }
            };
            let prefix = &text[sibling.line.0..sibling.value.0];
            let written = match sibling.quote {
                Some('"') => yaml::double_quoted(entry),
                Some('\'') if !entry.contains('\'') => format!("'{entry}'"),
                _ => yaml::format_plain_or_quoted(entry),
            };
            let sep = if text[..at].ends_with('\n') || at == 0 {
                ""
            } else {
                newline
            };
            format!(
                "{}{sep}{prefix}{written}{newline}{}",
                &text[..at],
                &text[at..]
            )
        }
    };
    verify(text, list, &out, |paths| paths.push(entry.to_owned()))?;
    Ok(out)
}

/// Removes the active entry `entry` from `list`: its line only.
pub fn remove_entry(text: &str, list: &str, entry: &str) -> Result<String, EditError> {
    let l = find_list(text, list)?.ok_or_else(|| error(list, entry, "has no list for"))?;
    let e = l
        .entries
        .iter()
        .find(|e| e.path == entry)
        .ok_or_else(|| error(list, entry, "does not list"))?;
    let out = format!("{}{}", &text[..e.line.0], &text[e.line.1..]);
    let entry_owned = entry.to_owned();
    verify(text, list, &out, move |paths| {
        if let Some(i) = paths.iter().position(|p| *p == entry_owned) {
            paths.remove(i);
        }
    })?;
    Ok(out)
}

/// Renames the active entry `old` of `list` to `new`, in place (same line,
/// same quotes, comment kept).
pub fn rename_entry(text: &str, list: &str, old: &str, new: &str) -> Result<String, EditError> {
    check_entry(list, new)?;
    let l = find_list(text, list)?.ok_or_else(|| error(list, old, "has no list for"))?;
    if l.entries.iter().any(|e| e.path == new) {
        return Err(error(list, new, "already lists"));
    }
    let e = l
        .entries
        .iter()
        .find(|e| e.path == old)
        .ok_or_else(|| error(list, old, "does not list"))?;
    let written = match e.quote {
        Some('\'') if !new.contains('\'') => format!("'{new}'"),
        Some(_) => yaml::double_quoted(new),
        None => yaml::format_plain_or_quoted(new),
    };
    let out = format!("{}{written}{}", &text[..e.value.0], &text[e.value.1..]);
    let (old, new) = (old.to_owned(), new.to_owned());
    verify(text, list, &out, move |paths| {
        for p in paths.iter_mut().filter(|p| **p == old) {
            p.clone_from(&new);
        }
    })?;
    Ok(out)
}

fn error(list: &str, entry: &str, reason: &'static str) -> EditError {
    EditError::Kustomization {
        list: list.to_owned(),
        entry: entry.to_owned(),
        reason,
    }
}

fn check_entry(list: &str, entry: &str) -> Result<(), EditError> {
    if entry.trim().is_empty() || entry.trim() != entry || entry.contains(['\n', '\r']) {
        return Err(error(
            list,
            entry,
            "cannot list an empty or multi-line path:",
        ));
    }
    Ok(())
}

/// The block list under the top-level `list:` key, if there is one.
fn find_list(text: &str, list: &str) -> Result<Option<List>, EditError> {
    let mut pos = 0;
    let mut found: Option<List> = None;
    for raw in text.split_inclusive('\n') {
        let (start, end) = (pos, pos + raw.len());
        pos = end;
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let top = !line.starts_with([' ', '\t']);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(l) = found.as_mut() {
            if top && !trimmed.starts_with('-') {
                break;
            }
            if let Some(rest) = trimmed
                .strip_prefix('-')
                .filter(|r| r.starts_with([' ', '\t']) || r.is_empty())
            {
                let value_start = start + (line.len() - rest.trim_start().len());
                if let Some((path, quote, len)) = entry_value(rest.trim_start()) {
                    l.entries.push(Entry {
                        line: (start, end),
                        value: (value_start, value_start + len),
                        quote,
                        path,
                    });
                }
            }
            continue;
        }
        if top {
            if let Some(rest) = line.strip_prefix(list).and_then(|r| r.strip_prefix(':')) {
                let rest = rest.trim();
                if !(rest.is_empty() || rest.starts_with('#')) {
                    return Err(EditError::Unsupported {
                        pointer: format!("/{list}"),
                        reason: "the list is written inline; only `- entry` lines are edited"
                            .to_owned(),
                    });
                }
                found = Some(List {
                    key_line_end: end,
                    entries: Vec::new(),
                });
            }
        }
    }
    Ok(found)
}

/// The path of `- <value>`, its quote and the length written.
fn entry_value(s: &str) -> Option<(String, Option<char>, usize)> {
    let q = s.chars().next()?;
    if q == '"' || q == '\'' {
        let close = s[1..].find(q)? + 1;
        let inner = &s[1..close];
        let path = if q == '"' {
            serde_json::from_str(&s[..=close]).unwrap_or_else(|_| inner.to_owned())
        } else {
            inner.to_owned()
        };
        return Some((path, Some(q), close + 1));
    }
    let end = s.find(" #").or_else(|| s.find("\t#")).unwrap_or(s.len());
    let value = s[..end].trim_end();
    (!value.is_empty()).then(|| (value.to_owned(), None, value.len()))
}

/// The edit must keep the YAML loadable and change exactly the expected paths.
fn verify(
    before: &str,
    list: &str,
    after: &str,
    change: impl FnOnce(&mut Vec<String>),
) -> Result<(), EditError> {
    let paths = |text: &str| -> Result<Vec<String>, EditError> {
        let docs = crate::yaml::load_documents(text)?;
        Ok(docs
            .first()
            .and_then(|d| d.value.get(list))
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    };
    let (mut expected, mut got) = (paths(before)?, paths(after)?);
    change(&mut expected);
    expected.sort();
    got.sort();
    if expected == got {
        Ok(())
    } else {
        Err(EditError::Unsupported {
            pointer: format!("/{list}"),
            reason: "the edited kustomization would not list what was intended".to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: &str = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n# top\nresources:\n  - b.yaml   # bee\n  # - c.yaml\n  - d.yaml\n\n  # group\n  - f.yaml\nnamespace: x\n";

    #[test]
    fn add_goes_to_its_sorted_place() {
        let out = add_entry(K, "resources", "e.yaml").expect("add");
        assert_eq!(
            out,
            K.replace(
                "\n  # group\n  - f.yaml",
                "\n  # group\n  - e.yaml\n  - f.yaml"
            )
        );
        let out = add_entry(K, "resources", "a.yaml").expect("add");
        assert_eq!(out, K.replace("  - b.yaml", "  - a.yaml\n  - b.yaml"));
        let out = add_entry(K, "resources", "z.yaml").expect("add");
        assert_eq!(out, K.replace("  - f.yaml\n", "  - f.yaml\n  - z.yaml\n"));
        assert!(matches!(
            add_entry(K, "resources", "d.yaml"),
            Err(EditError::Kustomization { .. })
        ));
    }

    #[test]
    fn unsorted_lists_get_it_at_the_end_in_the_siblings_style() {
        let k = "resources:\n- \"z.yaml\"\n- 'a.yaml'\n";
        assert_eq!(
            add_entry(k, "resources", "m.yaml").expect("add"),
            format!("{k}- 'm.yaml'\n")
        );
        let none = "kind: Kustomization\n";
        assert_eq!(
            add_entry(none, "components", "c").expect("add"),
            "kind: Kustomization\ncomponents:\n  - c\n"
        );
        let crlf = K.replace('\n', "\r\n");
        let out = add_entry(&crlf, "resources", "g.yaml").expect("add");
        assert_eq!(
            out,
            crlf.replace("  - f.yaml\r\n", "  - f.yaml\r\n  - g.yaml\r\n")
        );
    }

    #[test]
    fn unsorted_lists_get_it_next_to_its_siblings() {
        let k = "resources:\n  # Datasources\n  - ds/z.yaml\n  - ds/a.yaml\n  # Tier: Kubernetes\n  - k8s/a.yaml\n  - k8s/c.yaml\n  # Tier: Loki\n  - loki/a.yaml\n";
        assert_eq!(
            add_entry(k, "resources", "k8s/b.yaml").expect("add"),
            k.replace("  - k8s/a.yaml\n", "  - k8s/a.yaml\n  - k8s/b.yaml\n")
        );
        assert_eq!(
            add_entry(k, "resources", "ds/m.yaml").expect("add"),
            k.replace("  - ds/a.yaml\n", "  - ds/a.yaml\n  - ds/m.yaml\n")
        );
        assert_eq!(
            add_entry(k, "resources", "tempo/a.yaml").expect("add"),
            format!("{k}  - tempo/a.yaml\n")
        );
    }

    #[test]
    fn remove_and_rename_touch_one_line() {
        assert_eq!(
            remove_entry(K, "resources", "b.yaml").expect("rm"),
            K.replace("  - b.yaml   # bee\n", "")
        );
        assert!(
            remove_entry(K, "resources", "c.yaml").is_err(),
            "commented entries stay"
        );
        assert_eq!(
            rename_entry(K, "resources", "b.yaml", "bb.yaml").expect("mv"),
            K.replace("- b.yaml   # bee", "- bb.yaml   # bee")
        );
        assert!(matches!(
            add_entry("resources: [a]\n", "resources", "b"),
            Err(EditError::Unsupported { .. })
        ));
    }
}
