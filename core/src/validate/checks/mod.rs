//! The checks, one module per area. Each pushes [`super::Finding`]s located
//! by pointer; the engine places them in files.

pub mod content;
pub mod datasources;
pub mod files;
pub mod kustomize;
pub mod panels;
pub mod promql;
pub mod promql_parse;
pub mod queries;
#[cfg(test)]
mod tests;
pub mod uniqueness;
pub mod variables;
