//! The embedded dashboard: `spec.json` (or decoded `spec.gzipJson`) must be a
//! JSON object (`json/syntax`, `json/gzip`), located inside the YAML block.

use crate::model::{ContentSource, Dashboard};
use crate::validate::codes;
use crate::validate::finding::{Finding, Fix, Severity, Within};

pub fn run(dashboard: &Dashboard, out: &mut Vec<Finding>) {
    let Some(error) = &dashboard.content_error else {
        return;
    };
    let (code, field) = match dashboard.source {
        ContentSource::GzipJson if error.message.starts_with("spec.gzipJson") => {
            (codes::JSON_GZIP, "spec.gzipJson")
        }
        ContentSource::GzipJson => (codes::JSON_SYNTAX, "spec.gzipJson"),
        _ => (codes::JSON_SYNTAX, "spec.json"),
    };
    let message = if code == codes::JSON_GZIP {
        format!(
            "{}; the operator cannot decode the dashboard",
            error.message
        )
    } else {
        format!(
            "{field} is not valid JSON: {}; the CRD applies but Grafana never shows the dashboard",
            error.message
        )
    };
    let mut finding =
        Finding::new(code, Severity::Error, Within::Dashboard, "", message)
            .with_fix(Fix::describe(match code {
            codes::JSON_GZIP => "re-encode the dashboard: gzip the JSON, then base64 it",
            _ => "correct the JSON at this position (a stray `]` or `}`, a missing comma or quote)",
        }));
    if code == codes::JSON_SYNTAX && dashboard.source != ContentSource::GzipJson {
        finding.position = Some((error.line.max(1), error.column.max(1)));
    }
    out.push(finding);
}
