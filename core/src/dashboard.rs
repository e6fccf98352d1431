//! Reading the Grafana dashboard JSON model: panels (rows and their children),
//! targets with their query text and datasource, template variables.

use serde_json::Value;

use crate::model::{
    ContentError, DashboardModel, DatasourceRef, GridPos, Panel, QueryLanguage, Target, Variable,
};

/// Parse dashboard JSON text into the model, or say where it is broken.
pub fn parse_dashboard_json(text: &str) -> Result<(Value, DashboardModel), ContentError> {
    let value: Value = serde_json::from_str(text).map_err(|e| ContentError {
        message: e.to_string(),
        line: e.line(),
        column: e.column(),
    })?;
    if !value.is_object() {
        return Err(ContentError {
            message: "the dashboard JSON must be an object".to_owned(),
            line: 1,
            column: 1,
        });
    }
    let model = read_model(&value);
    Ok((value, model))
}

/// Build the model from a parsed dashboard object.
pub fn read_model(value: &Value) -> DashboardModel {
    let variables: Vec<Variable> = value
        .pointer("/templating/list")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .enumerate()
                .filter_map(|(i, v)| read_variable(v, &format!("/templating/list/{i}")))
                .collect()
        })
        .unwrap_or_default();
    let panels = read_panels(value, "", &variables);
    DashboardModel {
        title: str_field(value, "title"),
        uid: str_field(value, "uid").filter(|u| !u.is_empty()),
        tags: value
            .get("tags")
            .and_then(Value::as_array)
            .map(|t| {
                t.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        schema_version: value.get("schemaVersion").and_then(Value::as_i64),
        variables,
        panels,
    }
}

fn str_field(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn read_variable(v: &Value, pointer: &str) -> Option<Variable> {
    let name = str_field(v, "name")?;
    let current = v.get("current").and_then(|c| match c.get("value") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(","),
        ),
        _ => None,
    });
    let r#type = str_field(v, "type").unwrap_or_default();
    let query = match v.get("query") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(o)) => o.get("query").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    };
    let mut options: Vec<String> = v
        .get("options")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|o| o.get("value").and_then(Value::as_str))
                .filter(|o| *o != "$__all")
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if options.is_empty() && matches!(r#type.as_str(), "custom" | "interval") {
        options = query
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(|o| o.split(" : ").last().unwrap_or(o).trim().to_owned())
            .filter(|o| !o.is_empty())
            .collect();
    }
    Some(Variable {
        pointer: pointer.to_owned(),
        name,
        r#type,
        query,
        current,
        multi: v.get("multi").and_then(Value::as_bool).unwrap_or(false),
        include_all: v
            .get("includeAll")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        all_value: str_field(v, "allValue").filter(|a| !a.is_empty()),
        options,
    })
}

/// Read a datasource reference in any of Grafana's shapes.
pub fn read_datasource(v: &Value) -> Option<DatasourceRef> {
    match v {
        Value::String(s) => Some(DatasourceRef {
            r#type: None,
            uid: None,
            name: Some(s.clone()),
        }),
        Value::Object(o) => Some(DatasourceRef {
            r#type: o.get("type").and_then(Value::as_str).map(str::to_owned),
            uid: o.get("uid").and_then(Value::as_str).map(str::to_owned),
            name: None,
        })
        .filter(|r| r.r#type.is_some() || r.uid.is_some()),
        _ => None,
    }
}

fn read_grid(v: &Value) -> Option<GridPos> {
    let g = v.get("gridPos")?;
    let num = |k: &str| g.get(k).and_then(Value::as_f64).map(|f| f as i64);
    Some(GridPos {
        x: num("x").unwrap_or(0),
        y: num("y").unwrap_or(0),
        w: num("w").unwrap_or(0),
        h: num("h").unwrap_or(0),
    })
}

/// The `panels` array of a dashboard or a row; `parent` is the JSON pointer of its owner.
fn read_panels(owner: &Value, parent: &str, variables: &[Variable]) -> Vec<Panel> {
    owner
        .get("panels")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .enumerate()
                .filter(|(_, p)| p.is_object())
                .map(|(i, p)| read_panel(p, &format!("{parent}/panels/{i}"), variables))
                .collect()
        })
        .unwrap_or_default()
}

fn read_panel(v: &Value, pointer: &str, variables: &[Variable]) -> Panel {
    let datasource = v.get("datasource").and_then(read_datasource);
    let targets = v
        .get("targets")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .enumerate()
                .filter(|(_, t)| t.is_object())
                .map(|(i, t)| {
                    let pointer = format!("{pointer}/targets/{i}");
                    read_target(t, &pointer, datasource.as_ref(), variables)
                })
                .collect()
        })
        .unwrap_or_default();
    let children = read_panels(v, pointer, variables);
    Panel {
        id: v.get("id").and_then(Value::as_i64),
        r#type: str_field(v, "type").unwrap_or_default(),
        title: str_field(v, "title").unwrap_or_default(),
        grid_pos: read_grid(v),
        datasource,
        targets,
        panels: children,
        collapsed: v.get("collapsed").and_then(Value::as_bool).unwrap_or(false),
        pointer: pointer.to_owned(),
    }
}

fn read_target(
    t: &Value,
    pointer: &str,
    panel_ds: Option<&DatasourceRef>,
    variables: &[Variable],
) -> Target {
    let datasource = t.get("datasource").and_then(read_datasource);
    let (query_field, query) = ["expr", "query", "rawSql", "expression"]
        .iter()
        .find_map(|k| {
            t.get(*k)
                .and_then(Value::as_str)
                .map(|q| (Some((*k).to_owned()), Some(q.to_owned())))
        })
        .unwrap_or((None, None));
    // A target without its own datasource, or with the "inherit from panel"
    // mixed marker, uses the panel's.
    let effective = datasource
        .as_ref()
        .filter(|d| d.uid.as_deref() != Some("-- Mixed --"))
        .or(panel_ds);
    let datasource_type = effective.and_then(|d| datasource_type(d, variables));
    let mut language = datasource_type
        .as_deref()
        .map(QueryLanguage::from_datasource_type)
        .unwrap_or(QueryLanguage::Other);
    if language == QueryLanguage::Other
        && t.get("queryType").and_then(Value::as_str) == Some("traceql")
    {
        language = QueryLanguage::TraceQL;
    }
    Target {
        pointer: pointer.to_owned(),
        ref_id: str_field(t, "refId"),
        query,
        query_field,
        datasource,
        datasource_type,
        language,
        hide: t.get("hide").and_then(Value::as_bool).unwrap_or(false),
    }
}

/// The plugin type a reference points to, as far as the dashboard itself tells:
/// an explicit `type`, or a datasource variable's plugin type.
fn datasource_type(ds: &DatasourceRef, variables: &[Variable]) -> Option<String> {
    if let Some(t) = &ds.r#type {
        if !t.starts_with('$') && t != "datasource" {
            return Some(t.clone());
        }
    }
    let reference = ds.uid.as_deref().or(ds.name.as_deref())?;
    let var_name = variable_name(reference)?;
    variables
        .iter()
        .find(|v| v.name == var_name && v.r#type == "datasource")
        .and_then(|v| v.query.clone())
}

/// The variable a `$name`, `${name}` or `[[name]]` reference names.
pub fn variable_name(reference: &str) -> Option<&str> {
    let r = reference.trim();
    if let Some(rest) = r.strip_prefix("${") {
        let inner = rest.strip_suffix('}')?;
        return Some(inner.split(':').next().unwrap_or(inner));
    }
    if let Some(rest) = r.strip_prefix("[[") {
        return rest.strip_suffix("]]");
    }
    r.strip_prefix('$')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_panels_rows_and_targets() {
        let text = json!({
            "title": "T", "uid": "u1", "tags": ["a"], "schemaVersion": 39,
            "templating": {"list": [{"name": "ds", "type": "datasource", "query": "loki"}]},
            "panels": [
                {"id": 1, "type": "timeseries", "title": "P", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
                 "datasource": {"type": "prometheus", "uid": "prom"},
                 "targets": [{"refId": "A", "expr": "up"}]},
                {"id": 2, "type": "row", "title": "R", "collapsed": true, "gridPos": {"x": 0, "y": 8, "w": 24, "h": 1},
                 "panels": [{"id": 3, "type": "logs", "title": "L", "datasource": "${ds}",
                             "targets": [{"refId": "A", "expr": "{app=\"x\"}"}]}]}
            ]
        })
        .to_string();
        let (_, m) = parse_dashboard_json(&text).expect("valid");
        assert_eq!(m.uid.as_deref(), Some("u1"));
        assert_eq!(m.panels.len(), 2);
        assert_eq!(m.panels[0].targets[0].language, QueryLanguage::PromQL);
        assert!(m.panels[1].is_row() && m.panels[1].collapsed);
        let child = &m.panels[1].panels[0];
        assert_eq!(child.pointer, "/panels/1/panels/0");
        assert_eq!(child.targets[0].language, QueryLanguage::LogQL);
        assert_eq!(m.all_panels().count(), 3);
    }

    #[test]
    fn tempo_traceql_query_field() {
        let text = r#"{"panels":[{"type":"traces","datasource":{"type":"tempo","uid":"t"},
            "targets":[{"refId":"A","queryType":"traceql","query":"{ status = error }"}]}]}"#;
        let (_, m) = parse_dashboard_json(text).expect("valid");
        let t = &m.panels[0].targets[0];
        assert_eq!(t.language, QueryLanguage::TraceQL);
        assert_eq!(t.query.as_deref(), Some("{ status = error }"));
        assert_eq!(t.query_field.as_deref(), Some("query"));
    }

    #[test]
    fn broken_json_reports_line_and_column() {
        let err =
            parse_dashboard_json("{\n  \"panels\": [\n    {\"a\": 1]\n}").expect_err("broken");
        assert_eq!(err.line, 3);
        assert!(err.column > 1);
    }

    #[test]
    fn non_object_is_an_error() {
        assert!(parse_dashboard_json("[1, 2]").is_err());
    }

    #[test]
    fn variable_reference_forms() {
        assert_eq!(variable_name("$ds"), Some("ds"));
        assert_eq!(variable_name("${DS_PROMETHEUS}"), Some("DS_PROMETHEUS"));
        assert_eq!(variable_name("${ds:raw}"), Some("ds"));
        assert_eq!(variable_name("[[ds]]"), Some("ds"));
        assert_eq!(variable_name("prometheus"), None);
    }
}
