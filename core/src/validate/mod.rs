//! The validation engine: checks over the scanned repository that produce
//! findings, placed by the engine at file, line and column as diagnostics.

pub mod codes;
pub mod finding;

pub use finding::{Finding, Fix, Severity, Within};
