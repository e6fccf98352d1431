//! Dashboard Studio's domain: the GrafanaDashboard CRD and dashboard model,
//! the repository scanner and the index it builds. No I/O beyond reading files.

pub mod crd;
pub mod dashboard;
pub mod edit;
pub mod index;
pub mod kustomize;
pub mod logql;
pub mod model;
pub mod parallel;
pub mod scan;
pub mod syntax;
pub mod traceql;
#[cfg(feature = "live")]
pub mod validate;
pub mod yaml;

pub use index::{DashboardFilter, DashboardSummary, Index};
pub use scan::{scan_dir, ScanError, Scanner};
