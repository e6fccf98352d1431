//! The validation engine: checks over the scanned repository that produce
//! findings, placed by the engine at file, line and column as diagnostics.

// Without the engine (feature `live` alone) only `live` calls into the checks.
#[cfg_attr(
    not(feature = "validate"),
    expect(dead_code, reason = "the engine runs them")
)]
mod checks;
pub mod codes;
pub mod diagnostic;
#[cfg(feature = "validate")]
mod document;
#[cfg(feature = "validate")]
mod engine;
pub mod finding;
pub mod format;
pub mod interpolate;
pub mod live;
pub mod locate;
#[cfg(feature = "validate")]
pub mod schema;

pub use checks::promql_parse::parse as parse_promql;
pub use diagnostic::{Diagnostic, Report, Summary};
#[cfg(feature = "validate")]
pub use document::{validate_document, DASHBOARD_NAME, MANIFEST_NAME};
#[cfg(feature = "validate")]
pub use engine::{validate, validate_files, Options, Repository};
pub use finding::{Finding, Fix, Severity, Within};
pub use live::{panel_type_replacement, query_problems, QueryProblem};
