//! The embedded dashboard JSON against Grafana's strict schemaVersion 42 model
//! (`dashboard/schema`, info or warning, grouped and capped), and its uid rules.
//!
//! The schema is run in three parts, each compiled once: the dashboard without
//! its panels, then each panel as a `Panel` or, for `type: row`, a `RowPanel`
//! (whose nested panels are `Panel`s). That keeps pointers exact, avoids the
//! unreadable `oneOf` errors of the combined schema, and costs the same.
//! Panel-plugin schemas (`options`, `fieldConfig.defaults.custom`) are not
//! checked.
//!
//! Severity: Grafana migrates older dashboards on load and tolerates most
//! deviations, so everything is info except a wrong type or a missing value
//! where Grafana reads it and cannot repair it (a panel without `type`, a
//! non-string `title`, a template variable without `name`…), or any type error
//! in a dashboard that claims schemaVersion 42 (nothing migrates it): warning.
//! Unknown fields are grouped into one finding per kind of container (the
//! dashboard, panels, variables, annotations, links…); other deviations into one
//! finding per field and problem; at most [`MAX_FINDINGS`] per dashboard.

use std::collections::HashMap;
use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, Validator};
use serde_json::{json, Value};

use super::field_path;
use super::wording::{describe, Issue};
use crate::validate::codes::{DASHBOARD_SCHEMA, DASHBOARD_UID_INVALID};
use crate::validate::{Finding, Fix, Severity};

const SCHEMA: &str = include_str!("../../../schemas/grafana-dashboard/dashboard.jsonschema.json");

/// The schemaVersion the vendored schema describes.
pub(super) const CURRENT: i64 = 42;
/// Findings per dashboard, the last one saying how many more there are.
pub(super) const MAX_FINDINGS: usize = 20;
/// Grafana's `MaxUIDLength`.
const UID_MAX: usize = 40;

struct Validators {
    dashboard: Validator,
    panel: Validator,
    row: Validator,
}

fn validators() -> &'static Validators {
    static VALIDATORS: OnceLock<Validators> = OnceLock::new();
    VALIDATORS.get_or_init(|| {
        let mut root: Value =
            serde_json::from_str(SCHEMA).expect("vendored dashboard schema is JSON");
        relax(&mut root);
        let build = |target: &str, unchecked_panels: Option<&str>| {
            let mut schema = root.clone();
            if let Some(def) = unchecked_panels {
                schema["definitions"][def]["properties"]["panels"]["items"] = json!({});
            }
            schema["$ref"] = json!(format!("#/definitions/{target}"));
            jsonschema::options()
                .with_draft(Draft::Draft7)
                .build(&schema)
                .expect("vendored dashboard schema compiles")
        };
        Validators {
            dashboard: build("Dashboard", Some("Dashboard")),
            panel: build("Panel", None),
            row: build("RowPanel", Some("RowPanel")),
        }
    })
}

/// Where the generated schema is stricter than Grafana's own TypeScript types,
/// it follows Grafana: a matcher's `options` and an override property's
/// `value` are `any` (`byName` matchers take a string, `unit` a string…), and a
/// threshold step may omit `value` (the base step: -Infinity, stored as null).
fn relax(schema: &mut Value) {
    let defs = &mut schema["definitions"];
    defs["MatcherConfig"]["properties"]["options"] = json!({});
    defs["DynamicConfigValue"]["properties"]["value"] = json!({});
    defs["Threshold"]["required"] = json!(["color"]);
}

pub(super) fn check_dashboard(dashboard: &Value, out: &mut Vec<Finding>) {
    if !dashboard.is_object() {
        return;
    }
    check_uid(dashboard, out);
    let version = dashboard
        .get("schemaVersion")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let v = validators();
    let mut issues = Vec::new();
    collect(&v.dashboard, dashboard, "", &mut issues);
    let panels = dashboard.get("panels").and_then(Value::as_array);
    for (i, panel) in panels.into_iter().flatten().enumerate() {
        let at = format!("/panels/{i}");
        if panel.get("type").and_then(Value::as_str) == Some("row") {
            collect(&v.row, panel, &at, &mut issues);
            let nested = panel.get("panels").and_then(Value::as_array);
            for (j, inner) in nested.into_iter().flatten().enumerate() {
                collect(&v.panel, inner, &format!("{at}/panels/{j}"), &mut issues);
            }
        } else {
            collect(&v.panel, panel, &at, &mut issues);
        }
    }
    report(issues, version, out);
}

fn collect(validator: &Validator, value: &Value, prefix: &str, issues: &mut Vec<Issue>) {
    for err in validator.iter_errors(value) {
        // Unknown fields are grouped and worded per container by `report`,
        // which reads only their pointer and name: skip wording each one.
        if let ValidationErrorKind::AdditionalProperties { unexpected } = err.kind() {
            let at = format!("{prefix}{}", err.instance_path().as_str());
            let found = err.instance();
            issues.extend(
                unexpected
                    .iter()
                    .map(|name| Issue::unknown_field(&at, name, found)),
            );
            continue;
        }
        issues.extend(describe(&err, prefix, |_, _| None));
    }
}

fn check_uid(dashboard: &Value, out: &mut Vec<Finding>) {
    let Some(uid) = dashboard.get("uid").and_then(Value::as_str) else {
        return;
    };
    let bad: Vec<char> = uid
        .chars()
        .filter(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        .collect();
    let long = uid.chars().count() > UID_MAX;
    if bad.is_empty() && !long {
        return;
    }
    let mut problems = Vec::new();
    if long {
        problems.push(format!(
            "is {} characters long (at most {UID_MAX})",
            uid.chars().count()
        ));
    }
    if !bad.is_empty() {
        let mut shown: Vec<String> = bad.iter().map(|c| format!("`{c}`")).collect();
        shown.dedup();
        problems.push(format!("contains {}", shown.join(", ")));
    }
    let fixed: String = uid
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(UID_MAX)
        .collect();
    out.push(
        Finding::dashboard(
            DASHBOARD_UID_INVALID,
            Severity::Error,
            "/uid",
            format!(
                "The dashboard uid `{uid}` {}: Grafana accepts only letters, digits, `-` and `_`, \
                 at most {UID_MAX} characters, and refuses to save the dashboard",
                problems.join(" and ")
            ),
        )
        .with_fix(Fix::replace(format!("use `{fixed}`"), fixed)),
    );
}

/// Replaces array indices by `*` and folds rows' nested panels into panels.
fn normalised(pointer: &str) -> String {
    let generic: Vec<&str> = pointer
        .split('/')
        .map(|t| {
            if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                t
            }
        })
        .collect();
    let generic = generic.join("/");
    if generic.contains("/panels/*/panels/*") {
        generic.replace("/panels/*/panels/*", "/panels/*")
    } else {
        generic
    }
}

/// What a group of unknown fields lives in, for the message.
fn container(parent: &str) -> String {
    match parent {
        "" => "The dashboard uses".to_owned(),
        "/panels/*" => "Panels use".to_owned(),
        "/templating/list/*" => "Template variables use".to_owned(),
        "/annotations/list/*" => "Annotations use".to_owned(),
        "/links/*" | "/panels/*/links/*" => "Links use".to_owned(),
        other => format!("`{}` uses", field_path(other).replace("[*]", "[]")),
    }
}

fn severity(issue: &Issue, norm: &str, version: i64) -> Severity {
    const READ_AS_IS: [&str; 12] = [
        "/title",
        "/uid",
        "/tags",
        "/panels",
        "/templating",
        "/templating/list",
        "/time/from",
        "/time/to",
        "/schemaVersion",
        "/panels/*/targets",
        "/panels/*/gridPos/x",
        "/panels/*/gridPos/y",
    ];
    let warning = match issue.keyword {
        "type" if issue.found == "null" => false,
        // A datasource name: Grafana still resolves it by name at any version.
        "type" if issue.found == "string" && norm.ends_with("/datasource") => false,
        "type" => {
            READ_AS_IS.contains(&norm)
                || norm.starts_with("/panels/*/gridPos/")
                || version >= CURRENT
        }
        "required" | "minLength" | "enum" => matches!(
            norm,
            "/panels/*/type" | "/templating/list/*/name" | "/templating/list/*/type"
        ),
        _ => false,
    };
    if warning {
        Severity::Warning
    } else {
        Severity::Info
    }
}

/// What Grafana does about one (non-unknown-field) deviation.
fn consequence(issue: &Issue, norm: &str, severity: Severity) -> String {
    match (issue.keyword, norm, issue.found) {
        (_, _, "null") => "Grafana treats null as unset and uses its default".to_owned(),
        ("type", n, "string") if n.ends_with("/datasource") => {
            "this is a datasource name from before schemaVersion 33; Grafana looks it up by name \
             and migrates it to a `{type, uid}` reference on load"
                .to_owned()
        }
        ("required", "/panels/*/type", _) | ("minLength", "/panels/*/type", _) => {
            "Grafana cannot render the panel (\"Panel plugin not found\")".to_owned()
        }
        ("required", _, _) if severity == Severity::Info => {
            "Grafana uses its default value".to_owned()
        }
        _ if severity == Severity::Warning => {
            "Grafana reads this value as it is and may not display this part correctly".to_owned()
        }
        _ => "Grafana tolerates it on load and writes the schemaVersion 42 form when the \
              dashboard is saved from Grafana"
            .to_owned(),
    }
}

struct Group {
    severity: Severity,
    pointer: String,
    message: String,
    fix: Option<String>,
    more: Vec<String>,
    /// Unknown fields: (name, occurrences), in order of appearance.
    fields: Vec<(String, usize)>,
}

fn report(issues: Vec<Issue>, version: i64, out: &mut Vec<Finding>) {
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<(String, &'static str), usize> = HashMap::new();
    for issue in issues {
        let norm = normalised(&issue.pointer);
        if issue.keyword == "additionalProperties" {
            let parent = norm.rsplit_once('/').map_or("", |(p, _)| p).to_owned();
            let name = issue.field.clone().unwrap_or_default();
            let i = *index.entry((parent.clone(), "unknown")).or_insert_with(|| {
                groups.push(Group {
                    severity: Severity::Info,
                    pointer: issue.pointer.clone(),
                    message: container(&parent),
                    fix: None,
                    more: Vec::new(),
                    fields: Vec::new(),
                });
                groups.len() - 1
            });
            let fields = &mut groups[i].fields;
            match fields.iter_mut().find(|(n, _)| *n == name) {
                Some((_, count)) => *count += 1,
                None => fields.push((name, 1)),
            }
            continue;
        }
        let key = (norm.clone(), issue.keyword);
        if let Some(&i) = index.get(&key) {
            groups[i].more.push(issue.pointer);
            continue;
        }
        let severity = severity(&issue, &norm, version);
        let why = consequence(&issue, &norm, severity);
        index.insert(key, groups.len());
        groups.push(Group {
            severity,
            message: format!(
                "{}: {why}",
                capitalised(&issue.message.replace("the document", "the dashboard"))
            ),
            pointer: issue.pointer,
            fix: issue.fix,
            more: Vec::new(),
            fields: Vec::new(),
        });
    }
    let migrates = if version > 0 && version < CURRENT {
        format!(" (its migrations from schemaVersion {version} read some old fields first)")
    } else {
        String::new()
    };
    let mut findings: Vec<Finding> = groups
        .into_iter()
        .map(|g| {
            let message = if g.fields.is_empty() {
                match g.more.len() {
                    0 => g.message,
                    n => format!(
                        "{} ({n} more like it, e.g. `{}`)",
                        g.message,
                        field_path(&g.more[0])
                    ),
                }
            } else {
                let listed: Vec<String> = g
                    .fields
                    .iter()
                    .take(8)
                    .map(|(name, n)| if *n > 1 { format!("`{name}` ({n}×)") } else { format!("`{name}`") })
                    .collect();
                let rest = g.fields.len().saturating_sub(8);
                format!(
                    "{} fields that are not in Grafana's schemaVersion 42 model: {}{}. Grafana \
                     ignores them{migrates} and drops them when the dashboard is saved from Grafana",
                    g.message,
                    listed.join(", "),
                    if rest > 0 { format!(" and {rest} more") } else { String::new() }
                )
            };
            let mut f = Finding::dashboard(DASHBOARD_SCHEMA, g.severity, g.pointer, message);
            if let Some(fix) = g.fix {
                f = f.with_fix(Fix::describe(fix));
            } else if !g.fields.is_empty() {
                f = f.with_fix(Fix::describe(
                    "remove them, or save the dashboard from Grafana and store the exported JSON",
                ));
            }
            f
        })
        .collect();
    findings.sort_by_key(|f| f.severity); // stable: warnings first, then in order
    if findings.len() > MAX_FINDINGS {
        let hidden = findings.len() - (MAX_FINDINGS - 1);
        findings.truncate(MAX_FINDINGS - 1);
        findings.push(Finding::dashboard(
            DASHBOARD_SCHEMA,
            Severity::Info,
            "",
            format!("{hidden} more deviations from the schemaVersion 42 model are not listed"),
        ));
    }
    out.extend(findings);
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
#[path = "dashboard_tests.rs"]
mod tests;
