//! Template variables: values still holding a grafana.com import input
//! (`variable/import-input`), references to variables the dashboard does not
//! define (`variable/undefined`), and variables nothing uses (`variable/unused`).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::DashboardModel;
use crate::validate::checks::datasources::Mappings;
use crate::validate::codes;
use crate::validate::finding::{pointer_token, Finding, Fix, Severity};
use crate::validate::interpolate::{builtin, references};

/// What the query check needs to know to avoid reporting a cascade.
#[derive(Debug, Default)]
pub struct Broken {
    /// Variables whose value is an unsubstituted import input.
    pub import_inputs: BTreeSet<String>,
    /// Names referenced but not defined.
    pub undefined: BTreeSet<String>,
}

/// `json`: the dashboard JSON text, when it is in the file (for `unused`).
pub fn run(
    model: &DashboardModel,
    mappings: &Mappings,
    json: Option<&str>,
    out: &mut Vec<Finding>,
) -> Broken {
    let mut broken = Broken::default();
    for v in &model.variables {
        if !matches!(v.r#type.as_str(), "constant" | "textbox") {
            continue;
        }
        let (field, value) = match (&v.query, &v.current) {
            (Some(q), _) if is_import_input(q) => ("query", q),
            (_, Some(c)) if is_import_input(c) => ("current/value", c),
            _ => continue,
        };
        broken.import_inputs.insert(v.name.clone());
        out.push(
            Finding::dashboard(
                codes::VARIABLE_IMPORT_INPUT,
                Severity::Error,
                format!("{}/{field}", v.pointer),
                format!(
                    "{} variable `{}` still holds the grafana.com import input `{value}`: nothing \
                     substitutes it when the operator provisions the dashboard, so every query \
                     using ${} breaks",
                    v.r#type, v.name, v.name
                ),
            )
            .with_fix(Fix::describe(format!(
                "set `{}` to the value it should have",
                v.name
            ))),
        );
    }
    let defined: BTreeSet<&str> = model.variables.iter().map(|v| v.name.as_str()).collect();
    // First use of each undefined name, and how often it is used.
    let mut undefined: BTreeMap<&str, (String, usize, usize)> = BTreeMap::new();
    let texts = model
        .all_targets()
        .filter_map(|(_, t)| {
            Some((
                format!("{}/{}", t.pointer, pointer_token(t.query_field.as_deref()?)),
                t.query.as_deref()?,
            ))
        })
        .chain(
            model
                .variables
                .iter()
                .filter(|v| v.r#type == "query")
                .filter_map(|v| Some((format!("{}/query", v.pointer), v.query.as_deref()?))),
        );
    for (pointer, text) in texts {
        for r in references(text) {
            let undefined_name = !defined.contains(r.name)
                && builtin(r.name).is_none()
                && !r.name.starts_with(|c: char| c.is_ascii_digit())
                && !mappings.contains_key(r.name);
            if undefined_name {
                let entry = undefined
                    .entry(r.name)
                    .or_insert_with(|| (pointer.clone(), r.start, 0));
                entry.2 += 1;
            }
        }
    }
    for (name, (pointer, offset, uses)) in undefined {
        broken.undefined.insert(name.to_owned());
        let candidates: Vec<&str> = defined.iter().copied().collect();
        let mut fix = format!("define a variable `{name}` in the dashboard's templating");
        if let Some(close) = crate::syntax::did_you_mean(name, &candidates) {
            fix = format!("did you mean `${close}`? Otherwise {fix}");
        }
        out.push(
            Finding::dashboard(
                codes::VARIABLE_UNDEFINED,
                Severity::Error,
                pointer,
                format!(
                    "`${name}` is not a variable of this dashboard: Grafana sends it as written and \
                     the query fails{}",
                    if uses > 1 { format!(" ({uses} uses)") } else { String::new() }
                ),
            )
            .with_offset(offset)
            .with_fix(Fix::describe(fix)),
        );
    }
    if let Some(json) = json {
        unused(model, json, out);
    }
    broken
}

fn is_import_input(value: &str) -> bool {
    let v = value.trim();
    v.starts_with("${") && v.ends_with('}') && v[2..].starts_with(|c: char| c.is_ascii_uppercase())
}

/// Variables nothing in the dashboard refers to. Ad hoc filters apply
/// without being referenced, so they never count as unused.
fn unused(model: &DashboardModel, json: &str, out: &mut Vec<Finding>) {
    let used: BTreeSet<&str> = references(json).into_iter().map(|r| r.name).collect();
    for v in &model.variables {
        if v.r#type == "adhoc" || used.contains(v.name.as_str()) {
            continue;
        }
        out.push(
            Finding::dashboard(
                codes::VARIABLE_UNUSED,
                Severity::Info,
                v.pointer.clone(),
                format!(
                    "variable `{}` is not used by any query, title or link",
                    v.name
                ),
            )
            .with_fix(Fix::describe(
                "remove it, or use it where it was meant to filter",
            )),
        );
    }
}
