//! Panels of one dashboard: duplicated ids, the 24-column grid (overlaps and
//! bounds, rows included) and Angular-era types Grafana 12 no longer renders.

use std::collections::HashMap;

use crate::model::{DashboardModel, GridPos, Panel};
use crate::validate::codes;
use crate::validate::finding::{Finding, Fix, Severity};

/// Grafana's grid is 24 columns wide.
pub const GRID_COLUMNS: i64 = 24;

/// Angular panel types and the React panel Grafana migrates each one to.
/// Grafana 12 has no Angular support: these are migrated on load (and their
/// Angular-only options dropped) or, for plugins, not shown at all.
const DEPRECATED: [(&str, &str); 7] = [
    ("graph", "timeseries"),
    ("singlestat", "stat"),
    ("grafana-singlestat-panel", "stat"),
    ("table-old", "table"),
    ("grafana-piechart-panel", "piechart"),
    ("grafana-worldmap-panel", "geomap"),
    ("natel-discrete-panel", "state-timeline"),
];

pub fn run(model: &DashboardModel, out: &mut Vec<Finding>) {
    duplicate_ids(model, out);
    for panel in model.all_panels() {
        bounds(panel, out);
        deprecated(panel, out);
    }
    // The expanded layout: top-level panels, rows and the children of open rows.
    let mut plane: Vec<&Panel> = Vec::new();
    for panel in &model.panels {
        plane.push(panel);
        if panel.is_row() && !panel.collapsed {
            plane.extend(&panel.panels);
        }
    }
    overlaps(&plane, out);
    // A collapsed row's children are laid out among themselves when opened.
    for row in model.panels.iter().filter(|p| p.is_row() && p.collapsed) {
        let children: Vec<&Panel> = row.panels.iter().collect();
        overlaps(&children, out);
    }
}

fn label(panel: &Panel) -> String {
    if panel.title.trim().is_empty() {
        format!("the untitled {} panel", panel.r#type)
    } else {
        format!("panel \"{}\"", panel.title)
    }
}

fn duplicate_ids(model: &DashboardModel, out: &mut Vec<Finding>) {
    let max = model.all_panels().filter_map(|p| p.id).max().unwrap_or(0);
    let mut next = max + 1;
    let mut seen: HashMap<i64, &Panel> = HashMap::new();
    for panel in model.all_panels() {
        let Some(id) = panel.id else { continue };
        match seen.get(&id) {
            Some(first) => {
                out.push(
                    Finding::dashboard(
                        codes::PANEL_ID_DUPLICATE,
                        Severity::Warning,
                        format!("{}/id", panel.pointer),
                        format!(
                            "{} has id {id}, already used by {} at {}; links to the panel \
                             (view, edit, embed) open the wrong one",
                            label(panel),
                            label(first),
                            first.pointer
                        ),
                    )
                    .with_fix(Fix::replace(
                        format!("give it the unused id {next}"),
                        next.to_string(),
                    )),
                );
                next += 1;
            }
            None => {
                seen.insert(id, panel);
            }
        }
    }
}

fn bounds(panel: &Panel, out: &mut Vec<Finding>) {
    let Some(g) = panel.grid_pos else { return };
    let problem = if g.x < 0 || g.y < 0 {
        Some(format!("starts outside the grid (x={}, y={})", g.x, g.y))
    } else if g.w <= 0 || g.h <= 0 {
        Some(format!("has no area (w={}, h={})", g.w, g.h))
    } else if g.x + g.w > GRID_COLUMNS {
        Some(format!(
            "ends at column {} (x={} + w={}), past the grid's {GRID_COLUMNS} columns",
            g.x + g.w,
            g.x,
            g.w
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        let fit_w = (GRID_COLUMNS - g.x.clamp(0, GRID_COLUMNS - 1)).min(g.w.max(1));
        out.push(
            Finding::dashboard(
                codes::PANEL_GRID_BOUNDS,
                Severity::Warning,
                format!("{}/gridPos", panel.pointer),
                format!("{} {problem}; Grafana moves or squeezes it on load", label(panel)),
            )
            .with_fix(Fix::describe(format!(
                "keep x between 0 and {}, w at least 1 and x + w at most {GRID_COLUMNS} (e.g. w={fit_w})",
                GRID_COLUMNS - 1
            ))),
        );
    }
}

/// One finding per panel that overlaps earlier ones, naming all of them.
fn overlaps(panels: &[&Panel], out: &mut Vec<Finding>) {
    for (i, b) in panels.iter().enumerate() {
        let Some(gb) = b.grid_pos else { continue };
        let hit: Vec<(&Panel, GridPos)> = panels[..i]
            .iter()
            .filter_map(|a| {
                a.grid_pos
                    .filter(|ga| intersects(*ga, gb))
                    .map(|ga| (*a, ga))
            })
            .collect();
        let Some(below) = hit.iter().map(|(_, ga)| ga.y + ga.h).max() else {
            continue;
        };
        let others: Vec<String> = hit
            .iter()
            .map(|(a, ga)| format!("{} ({}) at {}", label(a), describe(*ga), a.pointer))
            .collect();
        out.push(
            Finding::dashboard(
                codes::PANEL_GRID_OVERLAP,
                Severity::Warning,
                format!("{}/gridPos", b.pointer),
                format!(
                    "{} ({}) overlaps {}; Grafana pushes panels down, so the layout is not \
                     the one in the file",
                    label(b),
                    describe(gb),
                    others.join(", ")
                ),
            )
            .with_fix(Fix::describe(format!("move it below, e.g. y={below}"))),
        );
    }
}

fn intersects(a: GridPos, b: GridPos) -> bool {
    a.w > 0
        && a.h > 0
        && b.w > 0
        && b.h > 0
        && a.x < b.x + b.w
        && b.x < a.x + a.w
        && a.y < b.y + b.h
        && b.y < a.y + a.h
}

fn describe(g: GridPos) -> String {
    format!("x={} y={} w={} h={}", g.x, g.y, g.w, g.h)
}

fn deprecated(panel: &Panel, out: &mut Vec<Finding>) {
    let Some((old, new)) = DEPRECATED.iter().find(|(old, _)| *old == panel.r#type) else {
        return;
    };
    out.push(
        Finding::dashboard(
            codes::PANEL_DEPRECATED_TYPE,
            Severity::Warning,
            format!("{}/type", panel.pointer),
            format!(
                "{} uses the Angular `{old}` panel, which Grafana 12 no longer renders; \
                 Grafana converts it to `{new}` on load and drops options it cannot carry over",
                label(panel)
            ),
        )
        .with_fix(Fix::replace(
            format!("change the type to `{new}` and review its options"),
            *new,
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::parse_dashboard_json;
    use serde_json::json;

    fn findings(dashboard: serde_json::Value) -> Vec<Finding> {
        let (_, model) = parse_dashboard_json(&dashboard.to_string()).expect("valid");
        let mut out = Vec::new();
        run(&model, &mut out);
        out
    }

    fn codes_of(f: &[Finding]) -> Vec<(&str, &str)> {
        f.iter().map(|f| (f.code, f.pointer.as_str())).collect()
    }

    #[test]
    fn overlapping_panels_are_reported_once_on_the_later_panel() {
        let f = findings(json!({"panels": [
            {"id": 1, "type": "stat", "title": "A", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}},
            {"id": 2, "type": "stat", "title": "B", "gridPos": {"x": 6, "y": 4, "w": 12, "h": 8}},
            {"id": 3, "type": "stat", "title": "C", "gridPos": {"x": 12, "y": 0, "w": 12, "h": 4}}
        ]}));
        assert_eq!(codes_of(&f), [("panel/grid-overlap", "/panels/1/gridPos")]);
        assert!(f[0].message.contains("panel \"B\""), "{}", f[0].message);
        assert!(f[0].message.contains("panel \"A\""), "{}", f[0].message);
    }

    #[test]
    fn touching_panels_do_not_overlap() {
        let f = findings(json!({"panels": [
            {"id": 1, "type": "stat", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}},
            {"id": 2, "type": "stat", "gridPos": {"x": 12, "y": 0, "w": 12, "h": 8}},
            {"id": 3, "type": "stat", "gridPos": {"x": 0, "y": 8, "w": 24, "h": 8}}
        ]}));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn rows_open_and_collapsed() {
        let f = findings(json!({"panels": [
            {"id": 1, "type": "row", "collapsed": false, "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1}, "panels": []},
            {"id": 2, "type": "stat", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4}},
            {"id": 3, "type": "row", "collapsed": true, "gridPos": {"x": 0, "y": 4, "w": 24, "h": 1}, "panels": [
                {"id": 4, "type": "stat", "gridPos": {"x": 0, "y": 5, "w": 6, "h": 4}},
                {"id": 5, "type": "stat", "gridPos": {"x": 3, "y": 6, "w": 6, "h": 4}},
                {"id": 6, "type": "stat", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4}}
            ]}
        ]}));
        // The open row's header overlaps the panel at y=0; inside the collapsed
        // row 5 overlaps 4; 6 only overlaps top-level panels, which it never meets.
        assert_eq!(
            codes_of(&f),
            [
                ("panel/grid-overlap", "/panels/1/gridPos"),
                ("panel/grid-overlap", "/panels/2/panels/1/gridPos")
            ]
        );
    }

    #[test]
    fn out_of_bounds_and_empty_panels() {
        let f = findings(json!({"panels": [
            {"id": 1, "type": "stat", "gridPos": {"x": 20, "y": 0, "w": 8, "h": 4}},
            {"id": 2, "type": "stat", "gridPos": {"x": 0, "y": 10, "w": 0, "h": 4}},
            {"id": 3, "type": "stat", "gridPos": {"x": 0, "y": 20, "w": 24, "h": 4}}
        ]}));
        assert_eq!(
            codes_of(&f),
            [
                ("panel/grid-bounds", "/panels/0/gridPos"),
                ("panel/grid-bounds", "/panels/1/gridPos")
            ]
        );
        assert!(
            f[0].message.contains("ends at column 28"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn duplicate_ids_get_a_fresh_id() {
        let f = findings(json!({"panels": [
            {"id": 7, "type": "stat", "title": "A"},
            {"id": 7, "type": "stat", "title": "B"},
            {"id": 2, "type": "row", "collapsed": true, "panels": [{"id": 7, "type": "stat"}]}
        ]}));
        let ids: Vec<_> = f
            .iter()
            .map(|f| {
                (
                    f.pointer.as_str(),
                    f.fix.as_ref().and_then(|x| x.replacement.as_deref()),
                )
            })
            .collect();
        assert_eq!(
            ids,
            [
                ("/panels/1/id", Some("8")),
                ("/panels/2/panels/0/id", Some("9"))
            ]
        );
    }

    #[test]
    fn angular_panels_name_their_replacement() {
        let f = findings(json!({"panels": [
            {"id": 1, "type": "graph", "title": "Old"},
            {"id": 2, "type": "timeseries", "title": "New"},
            {"id": 3, "type": "singlestat"}
        ]}));
        let fixes: Vec<_> = f
            .iter()
            .map(|f| {
                (
                    f.code,
                    f.fix.as_ref().and_then(|x| x.replacement.as_deref()),
                )
            })
            .collect();
        assert_eq!(
            fixes,
            [
                ("panel/deprecated-type", Some("timeseries")),
                ("panel/deprecated-type", Some("stat"))
            ]
        );
    }
}
