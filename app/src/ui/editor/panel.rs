//! The Panels tab: add / duplicate / delete, the grid to choose a panel, and
//! the side panel editor (title, description, type with the migration of
//! Angular types, datasource, queries).

use dashstudio_core::edit::ops::{self, PanelField};
use dashstudio_core::model::{QueryLanguage, Variable};
use leptos::prelude::*;
use serde_json::{json, Value};

use super::grid::EditGrid;
use super::query::QueryEditor;
use super::state::{panel_of, query_field, Ed};
use crate::ui::format::panel_title;

/// Panel types Grafana 12 ships (React), offered in the type picker.
const PANEL_TYPES: [&str; 22] = [
    "timeseries",
    "stat",
    "gauge",
    "bargauge",
    "table",
    "piechart",
    "barchart",
    "histogram",
    "heatmap",
    "state-timeline",
    "status-history",
    "geomap",
    "text",
    "logs",
    "traces",
    "nodeGraph",
    "flamegraph",
    "candlestick",
    "xychart",
    "trend",
    "dashlist",
    "alertlist",
];

/// Grafana's most used unit ids (`fieldConfig.defaults.unit`), offered in
/// the Unit field; any other id can be typed.
const UNITS: &[(&str, &str)] = &[
    ("short", "Misc: short"),
    ("none", "Misc: none"),
    ("percent", "Percent (0-100)"),
    ("percentunit", "Percent (0.0-1.0)"),
    ("bytes", "Data: bytes (IEC)"),
    ("decbytes", "Data: bytes (SI)"),
    ("bits", "Data: bits (IEC)"),
    ("Bps", "Data rate: bytes/sec (SI)"),
    ("binBps", "Data rate: bytes/sec (IEC)"),
    ("bps", "Data rate: bits/sec (SI)"),
    ("s", "Time: seconds"),
    ("ms", "Time: milliseconds"),
    ("µs", "Time: microseconds"),
    ("ns", "Time: nanoseconds"),
    ("dtdurations", "Time: duration (d h m s)"),
    ("reqps", "Throughput: requests/sec"),
    ("ops", "Throughput: ops/sec"),
    ("iops", "Throughput: I/O ops/sec"),
    ("hertz", "Frequency: hertz"),
    ("celsius", "Temperature: °C"),
    ("watt", "Energy: watt"),
    ("dateTimeAsIso", "Date: ISO"),
    ("dateTimeFromNow", "Date: from now"),
];

fn set(ed: Ed, id: i64, field: PanelField, value: Value) -> Result<(), String> {
    ed.edit(|d| ops::set_panel_field(d, id, field, value).map_err(|e| e.to_string()))
}

#[component]
pub fn PanelsTab() -> impl IntoView {
    let ed = expect_context::<Ed>();
    let error = RwSignal::new(None::<String>);
    let report = move |r: Result<(), String>| error.set(r.err());

    let add = move |_| {
        let mut new_id = None;
        report(ed.restructure(|d| {
            let panel = json!({"type": "timeseries", "title": "New panel", "targets": []});
            new_id = Some(ops::add_panel(d, panel).map_err(|e| e.to_string())?);
            Ok(())
        }));
        if new_id.is_some() {
            ed.selected.set(new_id);
        }
    };
    let duplicate = move |_| {
        let Some(id) = ed.selected.get_untracked() else {
            return;
        };
        let mut new_id = None;
        report(ed.restructure(|d| {
            new_id = Some(ops::duplicate_panel(d, id).map_err(|e| e.to_string())?);
            Ok(())
        }));
        if new_id.is_some() {
            ed.selected.set(new_id);
        }
    };
    let delete = move |_| {
        let Some(id) = ed.selected.get_untracked() else {
            return;
        };
        report(ed.restructure(|d| {
            ops::remove_panel(d, id)
                .map(|_| ())
                .map_err(|e| e.to_string())
        }));
        ed.selected.set(None);
    };
    let none_selected = move || ed.selected.get().is_none();
    let missing_ids = move || {
        ed.model.with(|m| {
            m.as_ref()
                .map_or(0, |m| m.all_panels().filter(|p| p.id.is_none()).count())
        })
    };
    let number_panels = move |_| {
        report(ed.restructure(|d| {
            number_panels(d);
            Ok(())
        }))
    };
    let choices = move || {
        ed.model.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.all_panels()
                        .filter_map(|p| {
                            Some((p.id?, format!("{} ({})", panel_title(&p.title), p.r#type)))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };

    view! {
        <div class="panels-tab">
            <div class="toolbar" role="toolbar" aria-label="Panel actions">
                <button type="button" class="add-panel" on:click=add>"Add panel"</button>
                <button type="button" class="duplicate-panel" on:click=duplicate disabled=none_selected>
                    "Duplicate panel"
                </button>
                <button type="button" class="delete-panel" on:click=delete disabled=none_selected>
                    "Delete panel"
                </button>
                <label class="panel-picker">
                    "Panel "
                    <select
                        prop:value=move || ed.selected.get().map(|i| i.to_string()).unwrap_or_default()
                        on:change=move |ev| ed.selected.set(event_target_value(&ev).parse().ok())
                    >
                        <option value="">"(choose a panel)"</option>
                        {move || choices().into_iter().map(|(id, label)| view! {
                            <option value=id.to_string()>{label}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || (missing_ids() > 0).then(|| view! {
                <p class="note missing-ids" role="note">
                    {format!("{} panel(s) have no id, so they cannot be edited here (Grafana numbers them on load). ", missing_ids())}
                    <button type="button" class="number-panels" on:click=number_panels>"Give them ids"</button>
                </p>
            })}
            <div class="panels-layout">
                <EditGrid/>
                {move || {
                    ed.epoch.track();
                    ed.selected.get().map(|id| view! { <PanelForm id/> })
                }}
            </div>
        </div>
    }
}

/// The side panel editor of one panel. Its fields are read once (and again
/// when the dashboard is restructured), so typing never redraws them.
#[component]
fn PanelForm(id: i64) -> impl IntoView {
    let ed = expect_context::<Ed>();
    let Some(panel) = ed
        .dashboard
        .with_untracked(|d| d.as_ref().and_then(|d| panel_of(d, id)).cloned())
    else {
        return view! { <aside class="panel-editor"><p>"This panel no longer exists."</p></aside> }
            .into_any();
    };
    let text = |k: &str| {
        panel
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let error = RwSignal::new(None::<String>);
    let report = move |r: Result<(), String>| error.set(r.err());

    let panel_type = Memo::new(move |_| {
        ed.dashboard.with(|d| {
            d.as_ref()
                .and_then(|d| panel_of(d, id))
                .and_then(|p| p.get("type"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        })
    });
    let replacement =
        Memo::new(move |_| dashstudio_core::validate::panel_type_replacement(&panel_type.get()));
    let type_options = move || {
        let current = panel_type.get();
        let mut list: Vec<String> = PANEL_TYPES.iter().map(|s| (*s).to_owned()).collect();
        if !current.is_empty() && !list.contains(&current) {
            list.insert(0, current);
        }
        list
    };

    let datasource = ds_key(panel.get("datasource"));
    let datasources = ed.datasources.get_value();
    let known = datasources
        .iter()
        .any(|d| d.uid.as_deref().unwrap_or(&d.name) == datasource);
    let set_datasource = move |key: String| {
        let choice = ed
            .datasources
            .get_value()
            .into_iter()
            .find(|d| d.uid.as_deref().unwrap_or(&d.name) == key);
        let value = match choice {
            Some(d) => match d.uid {
                Some(uid) => json!({"type": d.r#type, "uid": uid}),
                None => json!(d.name),
            },
            None => return,
        };
        report(ed.restructure(|d| {
            ops::set_panel_field(d, id, PanelField::Datasource, value.clone())
                .map_err(|e| e.to_string())?;
            // Targets that name their own datasource follow the panel's.
            let targets: Vec<Value> = panel_of(d, id)
                .and_then(|p| p.get("targets"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let targets: Vec<Value> = targets
                .into_iter()
                .map(|mut t| {
                    if let Some(o) = t.as_object_mut().filter(|o| o.contains_key("datasource")) {
                        o.insert("datasource".to_owned(), value.clone());
                    }
                    t
                })
                .collect();
            ops::set_panel_field(d, id, PanelField::Targets, Value::Array(targets))
                .map_err(|e| e.to_string())
        }));
    };

    let targets: Vec<Value> = panel
        .get("targets")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let model_targets = ed.model.with_untracked(|m| {
        m.as_ref()
            .and_then(|m| m.all_panels().find(|p| p.id == Some(id)).cloned())
            .map(|p| p.targets)
            .unwrap_or_default()
    });
    // From the Problems page: the query to put the cursor in, on the panel it named.
    let focus_query = use_context::<super::FocusQuery>()
        .and_then(|q| q.0)
        .filter(|_| use_context::<super::FocusPanel>().and_then(|p| p.0) == Some(id));
    let variables: Vec<Variable> = ed
        .model
        .with_untracked(|m| m.as_ref().map(|m| m.variables.clone()).unwrap_or_default());

    let title_id = format!("panel-{id}-title");
    let desc_id = format!("panel-{id}-description");
    let type_id = format!("panel-{id}-type");
    let ds_id = format!("panel-{id}-datasource");
    let unit_id = format!("panel-{id}-unit");
    let unit_list = format!("panel-{id}-units");
    let unit = ops::panel_unit(&panel).unwrap_or("").to_owned();
    let set_unit = move |v: String| {
        report(ed.edit(|d| ops::set_panel_unit(d, id, v.trim()).map_err(|e| e.to_string())));
    };
    let row_id = format!("panel-{id}-row");
    let is_row = text("type") == "row";
    let (rows, in_row) = ed
        .dashboard
        .with_untracked(|d| d.as_ref().map(|d| (ops::rows(d), ops::row_of(d, id))))
        .unwrap_or_default();
    let to_row = move |v: String| {
        let to = v.parse::<i64>().ok();
        report(ed.restructure(|d| ops::move_to_row(d, id, to).map_err(|e| e.to_string())));
    };
    view! {
        <aside class="panel-editor" aria-label=format!("Panel {id}") data-panel-id=id.to_string()>
            <h3>{format!("Panel {id}")}</h3>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="field">
                <label for=title_id.clone()>"Title"</label>
                <input
                    id=title_id
                    name="title"
                    type="text"
                    value=text("title")
                    on:input=move |ev| report(set(ed, id, PanelField::Title, json!(event_target_value(&ev))))
                />
            </div>
            <div class="field">
                <label for=desc_id.clone()>"Description"</label>
                <textarea
                    id=desc_id
                    name="description"
                    rows="2"
                    on:input=move |ev| report(set(ed, id, PanelField::Description, json!(event_target_value(&ev))))
                >{text("description")}</textarea>
            </div>
            <div class="field">
                <label for=type_id.clone()>"Type"</label>
                <select
                    id=type_id
                    name="type"
                    prop:value=move || panel_type.get()
                    on:change=move |ev| report(set(ed, id, PanelField::Type, json!(event_target_value(&ev))))
                >
                    {move || type_options().into_iter().map(|t| view! {
                        <option value=t.clone() selected=t == panel_type.get_untracked()>{t.clone()}</option>
                    }).collect_view()}
                </select>
                {move || replacement.get().map(|new| {
                    let old = panel_type.get();
                    let to = new.clone();
                    view! {
                        <p class="deprecated" role="note">
                            {format!("`{old}` is an Angular panel Grafana 12 no longer renders. ")}
                            <button type="button" class="migrate"
                                on:click=move |_| report(set(ed, id, PanelField::Type, json!(to.clone())))>
                                {format!("Migrate to {new}")}
                            </button>
                        </p>
                    }
                })}
            </div>
            {(!is_row && !rows.is_empty()).then(|| view! {
                <div class="field">
                    <label for=row_id.clone()>"Row"</label>
                    <select id=row_id name="row" on:change=move |ev| to_row(event_target_value(&ev))>
                        <option value="" selected=in_row.is_none()>"(no row: above the rows)"</option>
                        {rows.into_iter().map(|(rid, title, collapsed)| {
                            let label = format!(
                                "{}{}",
                                panel_title(&title),
                                if collapsed { " (collapsed)" } else { "" }
                            );
                            view! { <option value=rid.to_string() selected=in_row == Some(rid)>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            <div class="field">
                <label for=ds_id.clone()>"Datasource"</label>
                <select id=ds_id name="datasource" on:change=move |ev| set_datasource(event_target_value(&ev))>
                    {(!known).then(|| view! {
                        <option value="" selected=true>
                            {if datasource.is_empty() { "(inherited / none)".to_owned() } else { format!("{datasource} (not deployed here)") }}
                        </option>
                    })}
                    {datasources.into_iter().map(|d| {
                        let key = d.uid.clone().unwrap_or_else(|| d.name.clone());
                        let label = format!("{} ({})", d.name, d.r#type.clone().unwrap_or_else(|| "?".to_owned()));
                        view! { <option value=key.clone() selected=key == datasource>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            {(!is_row).then(|| view! {
                <div class="field">
                    <label for=unit_id.clone()>"Unit"</label>
                    <input
                        id=unit_id
                        name="unit"
                        type="text"
                        spellcheck="false"
                        list=unit_list.clone()
                        placeholder="none"
                        value=unit
                        on:change=move |ev| set_unit(event_target_value(&ev))
                    />
                    <datalist id=unit_list>
                        {UNITS.iter().map(|(u, label)| view! { <option value=*u>{*label}</option> }).collect_view()}
                    </datalist>
                </div>
            })}
            <fieldset class="queries-editor">
                <legend>"Queries"</legend>
                {if targets.is_empty() {
                    view! { <p class="empty">"This panel has no queries."</p> }.into_any()
                } else {
                    targets.into_iter().enumerate().map(|(i, t)| {
                        let m = model_targets.get(i);
                        let language = m.map_or(QueryLanguage::Other, |m| m.language);
                        let field = m
                            .and_then(|m| m.query_field.clone())
                            .unwrap_or_else(|| query_field(&t).to_owned());
                        let initial = t.get(&field).and_then(Value::as_str).unwrap_or("").to_owned();
                        let ref_id = t.get("refId").and_then(Value::as_str).unwrap_or("").to_owned();
                        view! {
                            <QueryEditor
                                panel=id
                                index=i
                                ref_id
                                language
                                field
                                initial
                                variables=variables.clone()
                                on_error=move |e| error.set(Some(e))
                                focus=focus_query == Some(i)
                            />
                        }
                    }).collect_view().into_any()
                }}
            </fieldset>
        </aside>
    }
    .into_any()
}

/// Gives every panel without an id (rows' children too) the next free one.
fn number_panels(dashboard: &mut Value) {
    let mut next = ops::panel_ids(dashboard).into_iter().max().unwrap_or(0) + 1;
    let Some(panels) = dashboard.get_mut("panels").and_then(Value::as_array_mut) else {
        return;
    };
    for p in panels {
        let nested: Vec<&mut Value> = match p.as_object_mut() {
            Some(o) => {
                if !o.get("id").is_some_and(Value::is_i64) {
                    o.insert("id".to_owned(), json!(next));
                    next += 1;
                }
                o.get_mut("panels")
                    .and_then(Value::as_array_mut)
                    .map(|v| v.iter_mut().collect())
                    .unwrap_or_default()
            }
            None => Vec::new(),
        };
        for q in nested.into_iter().filter_map(Value::as_object_mut) {
            if !q.get("id").is_some_and(Value::is_i64) {
                q.insert("id".to_owned(), json!(next));
                next += 1;
            }
        }
    }
}

/// The option key of a datasource reference: its uid, else its name.
fn ds_key(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) => o
            .get("uid")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panels_without_ids_get_the_next_free_ones() {
        let mut d = json!({"panels": [
            {"id": 4, "type": "stat"},
            {"type": "row", "panels": [{"type": "stat"}, {"id": 2}]},
            {"type": "timeseries"}
        ]});
        number_panels(&mut d);
        assert_eq!(ops::panel_ids(&d), vec![4, 5, 6, 2, 7]);
    }
}
