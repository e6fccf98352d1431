//! Files the scanner could not use: YAML that does not parse (`yaml/syntax`),
//! files that are not UTF-8, too large or unreadable (`file/unreadable`).

use crate::index::Index;
use crate::validate::codes;
use crate::validate::finding::{Finding, Fix, Severity};

pub fn run(index: &Index, out: &mut Vec<(String, Finding)>) {
    for p in &index.problems {
        let finding = match p.message.strip_prefix("YAML does not parse: ") {
            Some(reason) => Finding::at(
                codes::YAML_SYNTAX,
                Severity::Error,
                p.line,
                p.column,
                format!("YAML does not parse: {reason}; kubectl and ArgoCD reject the whole file"),
            )
            .with_fix(Fix::describe(
                "fix the YAML at this position (indentation, an unclosed quote or bracket)",
            )),
            None => Finding::at(
                codes::FILE_UNREADABLE,
                Severity::Error,
                p.line,
                p.column,
                p.message.clone(),
            ),
        };
        out.push((p.file.clone(), finding));
    }
}
