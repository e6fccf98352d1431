//! The REST API under `/api/v1`, one module per resource.

pub mod dashboards;
pub mod folders;
pub mod health;
pub mod problems;
pub mod validate;
