//! Writing a [`Report`] for people and tools: text (grouped by file, colour
//! optional), JSON (the documented contract), SARIF 2.1.0 and GitHub annotations.

use std::fmt::Write;

use serde_json::json;

use super::diagnostic::Report;
use super::finding::Severity;

/// The output formats of `dashstudio validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text { colour: bool },
    Json,
    Sarif,
    Github,
}

impl Format {
    /// Renders the report in this format, ending with a newline.
    pub fn render(self, report: &Report) -> String {
        match self {
            Format::Text { colour } => text(report, colour),
            Format::Json => {
                let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
                s.push('\n');
                s
            }
            Format::Sarif => {
                let mut s = serde_json::to_string_pretty(&sarif(report)).unwrap_or_default();
                s.push('\n');
                s
            }
            Format::Github => github(report),
        }
    }
}

/// Diagnostics grouped by file, then a summary line.
pub fn text(report: &Report, colour: bool) -> String {
    let paint = |code: &str, s: &str| {
        if colour {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    };
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for d in &report.diagnostics {
        if current != Some(d.file.as_str()) {
            if current.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", paint("1", &d.file));
            current = Some(&d.file);
        }
        let severity = match d.severity {
            Severity::Error => paint("31", "error  "),
            Severity::Warning => paint("33", "warning"),
            Severity::Info => paint("36", "info   "),
        };
        let place = format!("{}:{}", d.line, d.column);
        let _ = writeln!(
            out,
            "  {place:>9}  {severity}  {}  {}",
            paint("2", &d.code),
            d.message
        );
        if let Some(fix) = &d.fix {
            let _ = writeln!(
                out,
                "  {:>9}  {} {}",
                "",
                paint("32", "fix:"),
                fix.description
            );
        }
    }
    if !report.diagnostics.is_empty() {
        out.push('\n');
    }
    let s = &report.summary;
    let infos = report.diagnostics.len() - s.errors - s.warnings;
    let _ = writeln!(
        out,
        "{} files, {} dashboards, {} queries: {} errors, {} warnings, {infos} info",
        s.files, s.dashboards, s.queries, s.errors, s.warnings
    );
    out
}

/// SARIF 2.1.0, one run, one rule per code that occurs.
pub fn sarif(report: &Report) -> serde_json::Value {
    let mut rules: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    rules.sort_unstable();
    rules.dedup();
    let results: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(fix) = &d.fix {
                let _ = write!(text, " Fix: {}.", fix.description.trim_end_matches('.'));
            }
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": rules.binary_search(&d.code.as_str()).unwrap_or(0),
                "level": match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "note",
                },
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.file, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": d.line, "startColumn": d.column}
                    }
                }]
            });
            if let Some(pointer) = &d.pointer {
                result["properties"] = json!({"pointer": pointer, "dashboard": d.dashboard});
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dashstudio",
                "informationUri": "https://github.com/dashstudio/dashstudio",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| json!({"id": r, "name": r, "shortDescription": {"text": r}})).collect::<Vec<_>>()
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": "file:///"}},
            "results": results
        }]
    })
}

/// GitHub Actions workflow commands: one annotation per diagnostic.
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        if let Some(fix) = &d.fix {
            let _ = write!(message, "\nFix: {}", fix.description);
        }
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={},title={}::{}",
            escape_property(&d.file),
            d.line,
            d.column,
            escape_property(&d.code),
            escape_data(&message)
        );
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::diagnostic::{Diagnostic, Summary};
    use crate::validate::finding::Fix;

    fn report() -> Report {
        let d = |code: &str, severity, line| Diagnostic {
            code: code.to_owned(),
            severity,
            file: "dash/a,b.yaml".to_owned(),
            line,
            column: 5,
            dashboard: Some("a".to_owned()),
            pointer: Some("/panels/0".to_owned()),
            message: "50% broken\nreally".to_owned(),
            fix: Some(Fix::describe("do: this")),
        };
        Report::new(
            Summary {
                files: 1,
                dashboards: 1,
                queries: 2,
                ..Summary::default()
            },
            vec![
                d("json/syntax", Severity::Error, 3),
                d("panel/grid-overlap", Severity::Warning, 9),
            ],
        )
    }

    #[test]
    fn github_escapes_data_and_properties() {
        let out = github(&report());
        let first = out.lines().next().expect("a line");
        assert_eq!(
            first,
            "::error file=dash/a%2Cb.yaml,line=3,col=5,title=json/syntax::50%25 broken%0Areally%0AFix: do: this"
        );
        assert!(out
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("::warning ")));
    }

    #[test]
    fn sarif_has_rules_levels_and_regions() {
        let s = sarif(&report());
        assert_eq!(s["version"], "2.1.0");
        let run = &s["runs"][0];
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().map(Vec::len),
            Some(2)
        );
        assert_eq!(run["results"][1]["level"], "warning");
        assert_eq!(run["results"][1]["ruleIndex"], 1);
        let region = &run["results"][0]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            (region["startLine"].as_u64(), region["startColumn"].as_u64()),
            (Some(3), Some(5))
        );
    }

    #[test]
    fn text_groups_by_file_and_summarises() {
        let out = text(&report(), false);
        assert_eq!(out.matches("dash/a,b.yaml").count(), 1);
        assert!(
            out.contains("      3:5  error    json/syntax  50% broken"),
            "{out}"
        );
        assert!(
            out.ends_with("1 files, 1 dashboards, 2 queries: 1 errors, 1 warnings, 0 info\n"),
            "{out}"
        );
        assert!(!out.contains('\x1b'));
        assert!(text(&report(), true).contains("\x1b[31m"));
    }

    #[test]
    fn json_matches_the_contract() {
        let v: serde_json::Value =
            serde_json::from_str(&Format::Json.render(&report())).expect("json");
        assert_eq!(
            v["summary"],
            serde_json::json!({"files": 1, "dashboards": 1, "queries": 2, "errors": 1, "warnings": 1})
        );
        let d = &v["diagnostics"][0];
        for key in [
            "code",
            "severity",
            "file",
            "line",
            "column",
            "dashboard",
            "pointer",
            "message",
        ] {
            assert!(d.get(key).is_some(), "missing {key}");
        }
        assert_eq!(d["severity"], "error");
    }
}
