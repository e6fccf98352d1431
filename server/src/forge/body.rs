//! The pull request's description in Markdown: the validation summary (and,
//! when an admin overrode failing validation, the reason and the errors),
//! then one table row per changed dashboard. The caller fills the structs.

use std::fmt::Write as _;

/// How a dashboard's file changed in the branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Edited,
    Created,
    /// Same file name, another folder or directory.
    Moved,
    Renamed,
    Deleted,
}

impl ChangeKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Edited => "edited",
            Self::Created => "created",
            Self::Moved => "moved",
            Self::Renamed => "renamed",
            Self::Deleted => "deleted",
        }
    }
}

/// Panel counts between the base and the branch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PanelChanges {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

/// One dashboard the branch touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedDashboard {
    pub title: String,
    pub namespace: String,
    /// The GrafanaDashboard resource's `metadata.name`.
    pub name: String,
    /// The Grafana folder's title, if it has one.
    pub folder: Option<String>,
    /// Path in the repository, after the change (before it, when deleted).
    pub file: String,
    /// The path before a move or rename.
    pub previous_file: Option<String>,
    pub change: ChangeKind,
    pub panels: PanelChanges,
}

/// The validation run on the branch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationSummary {
    /// One line per error, e.g. `dashboards/cpu.yaml:12:5 E012 unknown datasource`.
    pub errors: Vec<String>,
    pub warnings: usize,
    pub infos: usize,
    /// Set when an admin let the change through despite errors.
    pub override_reason: Option<String>,
}

/// The whole description.
pub fn render(validation: &ValidationSummary, changes: &[ChangedDashboard]) -> String {
    let mut out = String::new();
    out.push_str("Opened by Dashboard Studio.\n\n");
    write_validation(&mut out, validation);
    out.push('\n');
    write_changes(&mut out, changes);
    out
}

fn write_validation(out: &mut String, v: &ValidationSummary) {
    let counts = format!(
        "{} error{}, {} warning{}, {} info",
        v.errors.len(),
        plural(v.errors.len()),
        v.warnings,
        plural(v.warnings),
        v.infos
    );
    out.push_str("### Validation\n\n");
    match &v.override_reason {
        Some(reason) => {
            let _ = writeln!(out, "**Admin override:** {counts}.\n");
            let _ = writeln!(out, "Reason: {}\n", escape_inline(reason));
            if !v.errors.is_empty() {
                let fence = "`"
                    .repeat((longest_backtick_run(v.errors.iter().map(String::as_str)) + 1).max(3));
                let _ = writeln!(out, "{fence}text");
                for line in &v.errors {
                    let _ = writeln!(out, "{}", one_line(line));
                }
                let _ = writeln!(out, "{fence}");
            }
        }
        None if v.errors.is_empty() => {
            let _ = writeln!(out, "Passed: {counts}.");
        }
        None => {
            let _ = writeln!(out, "**Failed:** {counts}.");
        }
    }
}

fn write_changes(out: &mut String, changes: &[ChangedDashboard]) {
    let _ = writeln!(out, "### Changed dashboards ({})\n", changes.len());
    if changes.is_empty() {
        out.push_str("No dashboard changed.\n");
        return;
    }
    out.push_str("| Dashboard | Namespace/name | Folder | File | Change | Panels +/−/~ |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- |\n");
    for d in changes {
        let file = match &d.previous_file {
            Some(previous) => format!("{} → {}", code(previous), code(&d.file)),
            None => code(&d.file),
        };
        let folder = d
            .folder
            .as_deref()
            .map_or_else(|| "—".to_owned(), escape_inline);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | +{} −{} ~{} |",
            escape_inline(&d.title),
            code(&format!("{}/{}", d.namespace, d.name)),
            folder,
            file,
            d.change.label(),
            d.panels.added,
            d.panels.removed,
            d.panels.changed,
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Text for a table cell or a line: Markdown and HTML punctuation escaped
/// (so a title shows as typed, and `|` cannot end the cell), line breaks as `<br>`.
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A code span for a table cell: fenced by more backticks than it holds,
/// `|` escaped (GitHub's tables read `\|` even inside code), line breaks as spaces.
pub fn code(text: &str) -> String {
    let flat = one_line(text).replace('|', "\\|");
    let fence = "`".repeat(longest_backtick_run([flat.as_str()]) + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

/// The longest run of backticks in any of `texts`.
fn longest_backtick_run<'a>(texts: impl IntoIterator<Item = &'a str>) -> usize {
    texts
        .into_iter()
        .flat_map(|text| text.split(|c| c != '`').map(str::len))
        .max()
        .unwrap_or(0)
}

fn one_line(text: &str) -> String {
    text.split(['\r', '\n'])
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_text_keeps_its_characters_and_stays_in_its_cell() {
        assert_eq!(escape_inline("CPU | Memory"), "CPU \\| Memory");
        assert_eq!(escape_inline("a\nb\r\nc"), "a<br>b<br>c");
        assert_eq!(escape_inline("*bold* <b>"), "\\*bold\\* \\<b\\>");
    }

    #[test]
    fn code_spans_outgrow_the_backticks_inside() {
        assert_eq!(code("a.yaml"), "`a.yaml`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("a|b\nc"), "`a\\|b c`");
    }
}
