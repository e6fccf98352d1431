//! The stable diagnostic codes (`area/name`). Tools and users match on these:
//! never rename one; add new ones instead.

pub const YAML_SYNTAX: &str = "yaml/syntax";
pub const CRD_SCHEMA: &str = "crd/schema";
pub const CRD_SIZE_LIMIT: &str = "crd/size-limit";
pub const JSON_SYNTAX: &str = "json/syntax";
pub const JSON_GZIP: &str = "json/gzip";
pub const DASHBOARD_UID_DUPLICATE: &str = "dashboard/uid-duplicate";
pub const DASHBOARD_UID_MISSING: &str = "dashboard/uid-missing";
pub const DASHBOARD_UID_INVALID: &str = "dashboard/uid-invalid";
pub const DASHBOARD_TITLE_DUPLICATE: &str = "dashboard/title-duplicate";
pub const DASHBOARD_SCHEMA: &str = "dashboard/schema";
pub const PANEL_ID_DUPLICATE: &str = "panel/id-duplicate";
pub const PANEL_GRID_OVERLAP: &str = "panel/grid-overlap";
pub const PANEL_GRID_BOUNDS: &str = "panel/grid-bounds";
pub const PANEL_DEPRECATED_TYPE: &str = "panel/deprecated-type";
pub const DATASOURCE_UNRESOLVED: &str = "datasource/unresolved";
pub const VARIABLE_UNDEFINED: &str = "variable/undefined";
pub const VARIABLE_IMPORT_INPUT: &str = "variable/import-input";
pub const VARIABLE_UNUSED: &str = "variable/unused";
pub const PROMQL_SYNTAX: &str = "promql/syntax";
pub const LOGQL_SYNTAX: &str = "logql/syntax";
pub const TRACEQL_SYNTAX: &str = "traceql/syntax";
pub const QUERY_UNVERIFIABLE: &str = "query/unverifiable";
pub const KUSTOMIZE_UNLISTED: &str = "kustomize/unlisted";
pub const KUSTOMIZE_MISSING: &str = "kustomize/missing";
pub const KUSTOMIZE_DISABLED: &str = "kustomize/disabled";
pub const FILE_UNREADABLE: &str = "file/unreadable";
pub const PROMQL_COUNTER: &str = "promql/counter-raw";
pub const PROMQL_HISTOGRAM_LE: &str = "promql/histogram-le";
pub const PROMQL_RATE_INTERVAL: &str = "promql/rate-interval";
pub const PROMQL_MULTI_VALUE: &str = "promql/multi-value-equals";
