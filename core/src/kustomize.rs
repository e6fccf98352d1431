//! Reading `kustomization.yaml` resources, including entries that are
//! commented out (disabled on purpose), with their lines and comments.

use crate::model::{Kustomization, KustomizeEntry};

/// The file names kustomize recognises.
pub const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Lists whose entries are files or directories to deploy.
const LIST_KEYS: [&str; 3] = ["resources:", "bases:", "components:"];

/// Whether a path names a kustomization file.
pub fn is_kustomization(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    FILE_NAMES.contains(&name)
}

/// Parse the resource entries of a kustomization, active and commented out.
///
/// This reads the text line by line so that commented entries (which YAML
/// drops) are kept; only block-style lists under `resources:`, `bases:` and
/// `components:` are considered, as kustomizations are written in practice.
pub fn parse(file: &str, text: &str) -> Kustomization {
    let mut resources = Vec::new();
    let mut in_list = false;
    let mut pending_comment: Option<String> = None;
    let mut namespace = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            pending_comment = None;
            continue;
        }
        let top_level = !line.starts_with(' ') && !line.starts_with('\t');
        if top_level && !trimmed.starts_with('#') && !trimmed.starts_with('-') {
            if let Some(ns) = trimmed.strip_prefix("namespace:") {
                let ns = split_entry(ns).0;
                namespace = Some(ns).filter(|n| !n.is_empty());
            }
            in_list = LIST_KEYS.iter().any(|k| trimmed.starts_with(k));
            pending_comment = None;
            continue;
        }
        if !in_list {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('-') {
            let (path, comment) = split_entry(rest);
            if !path.is_empty() {
                resources.push(KustomizeEntry {
                    path,
                    disabled: false,
                    comment: comment.or(pending_comment.take()),
                    line: i + 1,
                });
            }
            continue;
        }
        if let Some(body) = trimmed.strip_prefix('#') {
            let body = body.trim_start();
            match body.strip_prefix("- ") {
                Some(rest) if looks_like_path(rest) => {
                    let (path, comment) = split_entry(rest);
                    resources.push(KustomizeEntry {
                        path,
                        disabled: true,
                        comment: comment.or(pending_comment.take()),
                        line: i + 1,
                    });
                }
                _ => pending_comment = Some(body.trim().to_owned()).filter(|c| !c.is_empty()),
            }
        }
    }
    Kustomization {
        file: file.to_owned(),
        namespace,
        resources,
    }
}

fn looks_like_path(rest: &str) -> bool {
    let first = rest.split_whitespace().next().unwrap_or("");
    !first.is_empty()
        && !first.ends_with(':')
        && (first.contains('/') || first.ends_with(".yaml") || first.ends_with(".yml"))
}

/// Split `path  # comment` into its parts; quotes around the path are removed.
fn split_entry(rest: &str) -> (String, Option<String>) {
    let rest = rest.trim();
    let (path, comment) = match rest.find(" #") {
        Some(pos) => (&rest[..pos], Some(rest[pos + 2..].trim().to_owned())),
        None => (rest, None),
    };
    let path = path.trim().trim_matches(|c| c == '"' || c == '\'');
    (path.to_owned(), comment.filter(|c| !c.is_empty()))
}

/// Resolve an entry of the kustomization at `kustomization_file` to a
/// repository-relative path (`/` separated), or `None` for remote entries and
/// paths that leave the repository.
pub fn resolve(kustomization_file: &str, entry: &str) -> Option<String> {
    if entry.contains("://") || entry.starts_with("github.com/") || entry.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = kustomization_file.split('/').collect();
    parts.pop();
    for seg in entry.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ns.yaml
  # - gone.yaml      # ❌ DISABLED: File doesn't exist
  - a/b.yaml  # ✅ Official
  # Removed prometheus-grafanacom.yaml - use default
  - \"quoted.yaml\"

  # 📊 TIER 0
  - ../up/x.yaml
labels:
  - pairs:
      a: b
# - outside.yaml
";

    #[test]
    fn reads_active_and_disabled_entries() {
        let k = parse("dir/kustomization.yaml", TEXT);
        let paths: Vec<(&str, bool)> = k
            .resources
            .iter()
            .map(|e| (e.path.as_str(), e.disabled))
            .collect();
        assert_eq!(
            paths,
            vec![
                ("ns.yaml", false),
                ("gone.yaml", true),
                ("a/b.yaml", false),
                ("quoted.yaml", false),
                ("../up/x.yaml", false)
            ]
        );
        assert_eq!(
            k.resources[1].comment.as_deref(),
            Some("❌ DISABLED: File doesn't exist")
        );
        assert_eq!(k.resources[1].line, 5);
        assert_eq!(k.resources[2].comment.as_deref(), Some("✅ Official"));
        assert_eq!(k.resources[4].comment.as_deref(), Some("📊 TIER 0"));
        assert_eq!(k.namespace, None);
        let k = parse(
            "k.yaml",
            "namespace: monitoring  # all here\nresources:\n- a.yaml\n",
        );
        assert_eq!(k.namespace.as_deref(), Some("monitoring"));
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(
            resolve("a/b/kustomization.yaml", "c.yaml").as_deref(),
            Some("a/b/c.yaml")
        );
        assert_eq!(
            resolve("a/b/kustomization.yaml", "../c.yaml").as_deref(),
            Some("a/c.yaml")
        );
        assert_eq!(resolve("kustomization.yaml", "./d/"), Some("d".to_owned()));
        assert_eq!(resolve("kustomization.yaml", "../x.yaml"), None);
        assert_eq!(resolve("k.yaml", "https://example.com/x.yaml"), None);
    }

    #[test]
    fn recognises_file_names() {
        assert!(is_kustomization("a/kustomization.yaml"));
        assert!(is_kustomization("Kustomization"));
        assert!(!is_kustomization("a/kustomize.yaml"));
    }
}
