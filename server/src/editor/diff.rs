//! Line diffs as `git diff` prints them (unified, three lines of context),
//! for the editor's Changes tab: the common head and tail are skipped, the
//! middle is aligned by longest common subsequence.

/// Lines of context around each change.
const CONTEXT: usize = 3;
/// Above this many cells the middle is shown as replaced, not aligned.
const MAX_CELLS: usize = 4_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Same,
    Removed,
    Added,
}

/// The unified diff of `old` → `new` under the name `path`, with the counts
/// of added and removed lines; an empty text when they are equal.
pub fn unified(path: &str, old: Option<&str>, new: Option<&str>) -> (String, usize, usize) {
    let a: Vec<&str> = old
        .map(|t| t.split_inclusive('\n').collect())
        .unwrap_or_default();
    let b: Vec<&str> = new
        .map(|t| t.split_inclusive('\n').collect())
        .unwrap_or_default();
    let script = script(&a, &b);
    let added = script.iter().filter(|(op, _)| *op == Op::Added).count();
    let removed = script.iter().filter(|(op, _)| *op == Op::Removed).count();
    if added == 0 && removed == 0 {
        return (String::new(), 0, 0);
    }
    let mut out = String::new();
    out.push_str(&match old {
        Some(_) => format!("--- a/{path}\n"),
        None => "--- /dev/null\n".to_owned(),
    });
    out.push_str(&match new {
        Some(_) => format!("+++ b/{path}\n"),
        None => "+++ /dev/null\n".to_owned(),
    });
    for hunk in hunks(&script) {
        let (mut old_at, mut new_at) = (1, 1);
        for (op, _) in &script[..hunk.start] {
            match op {
                Op::Same => {
                    old_at += 1;
                    new_at += 1;
                }
                Op::Removed => old_at += 1,
                Op::Added => new_at += 1,
            }
        }
        let body = &script[hunk];
        let old_len = body.iter().filter(|(op, _)| *op != Op::Added).count();
        let new_len = body.iter().filter(|(op, _)| *op != Op::Removed).count();
        // An empty side is numbered from the line before it, as git does.
        let old_start = if old_len == 0 { old_at - 1 } else { old_at };
        let new_start = if new_len == 0 { new_at - 1 } else { new_at };
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(old_start, old_len),
            range(new_start, new_len)
        ));
        for (op, line) in body {
            out.push(match op {
                Op::Same => ' ',
                Op::Removed => '-',
                Op::Added => '+',
            });
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    (out, added, removed)
}

fn range(start: usize, len: usize) -> String {
    if len == 1 {
        start.to_string()
    } else {
        format!("{start},{len}")
    }
}

/// The edit script: every line of both sides, in order.
fn script<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(Op, &'a str)> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut out: Vec<(Op, &str)> = a[..head].iter().map(|l| (Op::Same, *l)).collect();
    if ma.len().saturating_mul(mb.len()) > MAX_CELLS {
        out.extend(ma.iter().map(|l| (Op::Removed, *l)));
        out.extend(mb.iter().map(|l| (Op::Added, *l)));
    } else {
        out.extend(lcs(ma, mb));
    }
    out.extend(a[a.len() - tail..].iter().map(|l| (Op::Same, *l)));
    out
}

/// Aligns two short line lists by their longest common subsequence.
fn lcs<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(Op, &'a str)> {
    let (n, m) = (a.len(), b.len());
    // len[i][j]: LCS length of a[i..] and b[j..].
    let mut len = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            len[at(i, j)] = if a[i] == b[j] {
                len[at(i + 1, j + 1)] + 1
            } else {
                len[at(i + 1, j)].max(len[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push((Op::Same, a[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || len[at(i, j + 1)] >= len[at(i + 1, j)]) {
            out.push((Op::Added, b[j]));
            j += 1;
        } else {
            out.push((Op::Removed, a[i]));
            i += 1;
        }
    }
    // Removed lines before added ones within each change, as git prints them.
    let mut k = 0;
    while k < out.len() {
        if out[k].0 == Op::Same {
            k += 1;
            continue;
        }
        let end = out[k..]
            .iter()
            .position(|(op, _)| *op == Op::Same)
            .map_or(out.len(), |p| k + p);
        out[k..end].sort_by_key(|(op, _)| *op == Op::Added);
        k = end;
    }
    out
}

/// Ranges of the script shown: each change with its context, overlapping
/// ranges merged.
fn hunks(script: &[(Op, &str)]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, (op, _)) in script.iter().enumerate() {
        if *op == Op::Same {
            continue;
        }
        let start = i.saturating_sub(CONTEXT);
        let end = (i + 1 + CONTEXT).min(script.len());
        match out.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => out.push(start..end),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_changed_line_is_one_hunk() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        let (diff, added, removed) = unified("x.yaml", Some(old), Some(new));
        assert_eq!((added, removed), (1, 1));
        assert_eq!(
            diff,
            "--- a/x.yaml\n+++ b/x.yaml\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
    }

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(
            unified("x", Some("a\n"), Some("a\n")),
            (String::new(), 0, 0)
        );
    }

    #[test]
    fn insertions_deletions_and_new_files() {
        let (diff, added, removed) = unified("x", Some("a\nb\n"), Some("a\nnew\nb\n"));
        assert_eq!((added, removed), (1, 0));
        assert!(diff.contains("@@ -1,2 +1,3 @@\n a\n+new\n b\n"), "{diff}");
        let (diff, added, _) = unified("x", None, Some("a\n"));
        assert_eq!(added, 1);
        assert!(
            diff.starts_with("--- /dev/null\n+++ b/x\n@@ -0,0 +1 @@\n+a\n"),
            "{diff}"
        );
        let (diff, _, removed) = unified("x", Some("a\nb\n"), None);
        assert_eq!(removed, 2);
        assert!(diff.contains("@@ -1,2 +0,0 @@\n-a\n-b\n"), "{diff}");
    }

    #[test]
    fn distant_changes_make_separate_hunks() {
        let old: String = (0..30).map(|i| format!("{i}\n")).collect();
        let new = old.replace("\n3\n", "\nthree\n").replace("\n25\n", "\nx\n");
        let (diff, ..) = unified("x", Some(&old), Some(&new));
        assert_eq!(diff.matches("@@ -").count(), 2, "{diff}");
    }
}
