//! The validation engine: checks over the scanned repository that produce
//! findings, placed by the engine at file, line and column as diagnostics.

mod checks;
pub mod codes;
pub mod diagnostic;
mod document;
mod engine;
pub mod finding;
pub mod format;
pub mod interpolate;
pub mod live;
pub mod locate;
pub mod schema;

pub use checks::promql_parse::parse as parse_promql;
pub use diagnostic::{Diagnostic, Report, Summary};
pub use document::{validate_document, DASHBOARD_NAME, MANIFEST_NAME};
pub use engine::{validate, validate_files, Options, Repository};
pub use finding::{Finding, Fix, Severity, Within};
pub use live::{panel_type_replacement, query_problems, QueryProblem};
