//! Edit operations on a dashboard's JSON value: set a panel's fields, add,
//! duplicate and remove panels (rows' panels too), collapse and expand rows,
//! move panels into and out of rows, replace the dashboard.

use serde_json::{json, Map, Value};

use super::EditError;

/// Grid width of a Grafana dashboard.
const GRID_WIDTH: i64 = 24;
/// Size of a new panel that comes without a `gridPos`.
const DEFAULT_SIZE: (i64, i64) = (12, 8);

/// The panel fields that can be set, each checked for its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelField {
    Title,
    Description,
    Type,
    GridPos,
    Datasource,
    Targets,
}

impl PanelField {
    /// The JSON key of the field.
    pub fn key(self) -> &'static str {
        match self {
            PanelField::Title => "title",
            PanelField::Description => "description",
            PanelField::Type => "type",
            PanelField::GridPos => "gridPos",
            PanelField::Datasource => "datasource",
            PanelField::Targets => "targets",
        }
    }

    fn check(self, value: &Value) -> Result<(), String> {
        match (self, value) {
            (PanelField::Title | PanelField::Description, Value::String(_)) => Ok(()),
            (PanelField::Type, Value::String(s)) if !s.is_empty() => Ok(()),
            (PanelField::GridPos, v) => grid_pos(v).map(|_| ()),
            (PanelField::Datasource, Value::Null | Value::String(_)) => Ok(()),
            (PanelField::Datasource, Value::Object(o))
                if o.values().all(|v| v.is_string() || v.is_null()) =>
            {
                Ok(())
            }
            (PanelField::Targets, Value::Array(items)) if items.iter().all(Value::is_object) => {
                Ok(())
            }
            (PanelField::Targets, _) => Err("targets must be a list of objects".to_owned()),
            (PanelField::Datasource, _) => {
                Err("a datasource is a name, null or {\"type\", \"uid\"}".to_owned())
            }
            (PanelField::Type, _) => Err("a panel type is a non-empty text".to_owned()),
            _ => Err("must be text".to_owned()),
        }
    }
}

/// A panel rectangle on the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rect {
    x: i64,
    y: i64,
    w: i64,
    h: i64,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

fn grid_pos(v: &Value) -> Result<Rect, String> {
    let get = |k: &str| v.get(k).and_then(Value::as_i64).filter(|n| *n >= 0);
    match (get("x"), get("y"), get("w"), get("h")) {
        (Some(x), Some(y), Some(w), Some(h)) if w >= 1 && h >= 1 && x + w <= GRID_WIDTH => {
            Ok(Rect { x, y, w, h })
        }
        _ => Err("gridPos needs whole numbers x, y ≥ 0 and w, h ≥ 1 with x + w ≤ 24".to_owned()),
    }
}

fn panel_id(p: &Value) -> Option<i64> {
    p.get("id").and_then(Value::as_i64)
}

fn panels(dashboard: &Value) -> &[Value] {
    dashboard
        .get("panels")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Every panel id, rows' nested panels included, in order.
pub fn panel_ids(dashboard: &Value) -> Vec<i64> {
    let mut ids = Vec::new();
    for p in panels(dashboard) {
        ids.extend(panel_id(p));
        for nested in p
            .get("panels")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            ids.extend(panel_id(nested));
        }
    }
    ids
}

/// The panel with this id (rows' panels included).
pub fn find_panel(dashboard: &Value, id: i64) -> Option<&Value> {
    let (i, nested) = locate(dashboard, id)?;
    let top = &panels(dashboard)[i];
    match nested {
        None => Some(top),
        Some(j) => top.get("panels")?.get(j),
    }
}

/// (index in `panels`, index in that row's `panels`).
fn locate(dashboard: &Value, id: i64) -> Option<(usize, Option<usize>)> {
    for (i, p) in panels(dashboard).iter().enumerate() {
        if panel_id(p) == Some(id) {
            return Some((i, None));
        }
        if let Some(j) = p
            .get("panels")
            .and_then(Value::as_array)
            .and_then(|n| n.iter().position(|q| panel_id(q) == Some(id)))
        {
            return Some((i, Some(j)));
        }
    }
    None
}

/// The array holding the panel and its index there.
fn container(dashboard: &mut Value, id: i64) -> Result<(&mut Vec<Value>, usize), EditError> {
    let (i, nested) = locate(dashboard, id).ok_or(EditError::UnknownPanel(id))?;
    let top = dashboard
        .get_mut("panels")
        .and_then(Value::as_array_mut)
        .ok_or(EditError::UnknownPanel(id))?;
    match nested {
        None => Ok((top, i)),
        Some(j) => {
            let row = top[i]
                .get_mut("panels")
                .and_then(Value::as_array_mut)
                .ok_or(EditError::UnknownPanel(id))?;
            Ok((row, j))
        }
    }
}

fn invalid(pointer: &str, reason: impl Into<String>) -> EditError {
    EditError::InvalidValue {
        pointer: pointer.to_owned(),
        reason: reason.into(),
    }
}

/// Sets one field of the panel with this id; the value is checked first.
pub fn set_panel_field(
    dashboard: &mut Value,
    id: i64,
    field: PanelField,
    value: Value,
) -> Result<(), EditError> {
    field
        .check(&value)
        .map_err(|reason| invalid(&format!("panel {id} {}", field.key()), reason))?;
    let (list, i) = container(dashboard, id)?;
    match list[i].as_object_mut() {
        Some(panel) => {
            panel.insert(field.key().to_owned(), value);
            Ok(())
        }
        None => Err(invalid(
            &format!("panel {id}"),
            "the panel is not an object",
        )),
    }
}

/// The panel's unit (`fieldConfig.defaults.unit`), if it has one.
pub fn panel_unit(panel: &Value) -> Option<&str> {
    panel
        .pointer("/fieldConfig/defaults/unit")
        .and_then(Value::as_str)
}

/// Sets the panel's unit (`fieldConfig.defaults.unit`), making the objects
/// on the way; an empty unit removes the key (Grafana's default: none).
pub fn set_panel_unit(dashboard: &mut Value, id: i64, unit: &str) -> Result<(), EditError> {
    let at = format!("panel {id} fieldConfig.defaults.unit");
    let (list, i) = container(dashboard, id)?;
    let panel = list[i]
        .as_object_mut()
        .ok_or_else(|| invalid(&format!("panel {id}"), "the panel is not an object"))?;
    if unit.is_empty() {
        if let Some(defaults) = panel
            .get_mut("fieldConfig")
            .and_then(|f| f.get_mut("defaults"))
            .and_then(Value::as_object_mut)
        {
            defaults.remove("unit");
        }
        return Ok(());
    }
    let field_config = panel
        .entry("fieldConfig")
        .or_insert_with(|| json!({"defaults": {}, "overrides": []}));
    let defaults = field_config
        .as_object_mut()
        .ok_or_else(|| invalid(&at, "fieldConfig is not an object"))?
        .entry("defaults")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or_else(|| invalid(&at, "fieldConfig.defaults is not an object"))?;
    defaults.insert("unit".to_owned(), json!(unit));
    Ok(())
}

/// Adds a panel with a fresh id (the largest id + 1). Without a `gridPos` it
/// gets a 12×8 one at the first free spot at or below the last row of panels
/// (beside the bottom panels if they leave room, else under them).
pub fn add_panel(dashboard: &mut Value, panel: Value) -> Result<i64, EditError> {
    let Value::Object(mut panel) = panel else {
        return Err(invalid("/panels/-", "a panel is a JSON object"));
    };
    let id = panel_ids(dashboard).into_iter().max().unwrap_or(0) + 1;
    panel.insert("id".to_owned(), json!(id));
    let taken = occupied(panels(dashboard));
    match panel.get("gridPos") {
        Some(g) => {
            grid_pos(g).map_err(|reason| invalid("/panels/-/gridPos", reason))?;
        }
        None => {
            let floor = taken.iter().map(|r| r.y).max().unwrap_or(0);
            let (w, h) = DEFAULT_SIZE;
            panel.insert(
                "gridPos".to_owned(),
                rect_json(free_spot(&taken, w, h, floor)),
            );
        }
    }
    top_panels(dashboard)?.push(Value::Object(panel));
    Ok(id)
}

/// Copies the panel with this id right after itself with a fresh id (a
/// row's nested panels get fresh ids too), placed beside the original if
/// there is room, else at the first free spot below it.
pub fn duplicate_panel(dashboard: &mut Value, id: i64) -> Result<i64, EditError> {
    let mut next = panel_ids(dashboard).into_iter().max().unwrap_or(0) + 1;
    let (list, i) = container(dashboard, id)?;
    let mut copy = list[i].clone();
    let new_id = next;
    if let Some(obj) = copy.as_object_mut() {
        obj.insert("id".to_owned(), json!(new_id));
        next += 1;
        for nested in obj
            .get_mut("panels")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if let Some(n) = nested.as_object_mut() {
                n.insert("id".to_owned(), json!(next));
                next += 1;
            }
        }
    }
    if let Some(r) = copy.get("gridPos").and_then(|g| grid_pos(g).ok()) {
        let spot = free_spot(&occupied(list), r.w, r.h, r.y);
        if let Some(obj) = copy.as_object_mut() {
            obj.insert("gridPos".to_owned(), rect_json(spot));
        }
    }
    list.insert(i + 1, copy);
    Ok(new_id)
}

/// Removes the panel with this id and returns it.
pub fn remove_panel(dashboard: &mut Value, id: i64) -> Result<Value, EditError> {
    let (list, i) = container(dashboard, id)?;
    Ok(list.remove(i))
}

/// Replaces the whole dashboard with `new`, which must be a JSON object.
pub fn replace_dashboard(dashboard: &mut Value, new: Value) -> Result<(), EditError> {
    if !new.is_object() {
        return Err(invalid("", "a dashboard is a JSON object"));
    }
    if new.get("panels").is_some_and(|p| !p.is_array()) {
        return Err(invalid("/panels", "panels must be a list"));
    }
    *dashboard = new;
    Ok(())
}

fn is_row(p: &Value) -> bool {
    p.get("type").and_then(Value::as_str) == Some("row")
}

fn y_of(p: &Value) -> i64 {
    p.pointer("/gridPos/y").and_then(Value::as_i64).unwrap_or(0)
}

fn bottom_of(p: &Value) -> i64 {
    y_of(p) + p.pointer("/gridPos/h").and_then(Value::as_i64).unwrap_or(0)
}

fn shift_y(p: &mut Value, by: i64) {
    if let Some(y) = p.pointer_mut("/gridPos/y") {
        let now = y.as_i64().unwrap_or(0);
        *y = json!((now + by).max(0));
    }
}

/// Whether the row with this id is collapsed (its panels inside it).
pub fn row_collapsed(row: &Value) -> bool {
    row.get("collapsed").and_then(Value::as_bool) == Some(true)
}

/// The index in `panels` of the top-level row with this id.
fn row_index(list: &[Value], id: i64) -> Result<usize, EditError> {
    list.iter()
        .position(|p| panel_id(p) == Some(id) && is_row(p))
        .ok_or(EditError::UnknownPanel(id))
}

/// The top-level indices of an expanded row's panels: those below it (by
/// `gridPos.y`) and above the next row.
fn section(list: &[Value], row: usize) -> Vec<usize> {
    let top = y_of(&list[row]);
    let next = list
        .iter()
        .filter(|p| is_row(p) && y_of(p) > top)
        .map(y_of)
        .min();
    (0..list.len())
        .filter(|&i| i != row && !is_row(&list[i]))
        .filter(|&i| y_of(&list[i]) > top && next.is_none_or(|n| y_of(&list[i]) < n))
        .collect()
}

/// The rows a panel can be put into: (id, title, collapsed), top to bottom.
pub fn rows(dashboard: &Value) -> Vec<(i64, String, bool)> {
    let mut rows: Vec<&Value> = panels(dashboard).iter().filter(|p| is_row(p)).collect();
    rows.sort_by_key(|p| y_of(p));
    rows.into_iter()
        .filter_map(|p| {
            let title = p.get("title").and_then(Value::as_str).unwrap_or("");
            Some((panel_id(p)?, title.to_owned(), row_collapsed(p)))
        })
        .collect()
}

/// The row the panel with this id belongs to: the collapsed row holding it,
/// or the nearest row above it; `None` above every row (or not a panel).
pub fn row_of(dashboard: &Value, id: i64) -> Option<i64> {
    let (i, nested) = locate(dashboard, id)?;
    let list = panels(dashboard);
    if nested.is_some() {
        return panel_id(&list[i]);
    }
    if is_row(&list[i]) {
        return None;
    }
    let y = y_of(&list[i]);
    list.iter()
        .filter(|p| is_row(p) && !row_collapsed(p) && y_of(p) < y)
        .max_by_key(|p| y_of(p))
        .and_then(panel_id)
}

/// The grid rows a collapsed row's panels take when expanded.
fn content_height(row: &Value) -> i64 {
    let top = y_of(row) + 1;
    row.get("panels")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(bottom_of)
        .max()
        .map_or(0, |b| (b - top).max(0))
}

/// Collapses an expanded row the way Grafana stores it: its panels move into
/// the row's own `panels` (keeping their `gridPos`), and what is below the
/// row moves up by the height they took. [`expand_row`] undoes it exactly.
pub fn collapse_row(dashboard: &mut Value, id: i64) -> Result<(), EditError> {
    let list = top_panels(dashboard)?;
    let r = row_index(list, id)?;
    if row_collapsed(&list[r]) {
        return Ok(());
    }
    let members = section(list, r);
    let mut inside = Vec::with_capacity(members.len());
    for &i in members.iter().rev() {
        inside.push(list.remove(i));
    }
    inside.reverse();
    let r = row_index(list, id)?;
    let top = y_of(&list[r]);
    let row = list[r]
        .as_object_mut()
        .ok_or_else(|| invalid(&format!("panel {id}"), "the row is not an object"))?;
    row.insert("collapsed".to_owned(), json!(true));
    row.insert("panels".to_owned(), Value::Array(inside));
    let height = content_height(&list[r]);
    for p in list.iter_mut().filter(|p| y_of(p) > top) {
        shift_y(p, -height);
    }
    Ok(())
}

/// Expands a collapsed row: what is below it moves down by the height of its
/// panels, which go back into the top-level list right after the row.
pub fn expand_row(dashboard: &mut Value, id: i64) -> Result<(), EditError> {
    let list = top_panels(dashboard)?;
    let r = row_index(list, id)?;
    if !row_collapsed(&list[r]) {
        return Ok(());
    }
    let top = y_of(&list[r]);
    let height = content_height(&list[r]);
    for p in list.iter_mut().filter(|p| y_of(p) > top) {
        shift_y(p, height);
    }
    let row = list[r]
        .as_object_mut()
        .ok_or_else(|| invalid(&format!("panel {id}"), "the row is not an object"))?;
    let inside = match row.insert("panels".to_owned(), json!([])) {
        Some(Value::Array(v)) => v,
        _ => Vec::new(),
    };
    row.insert("collapsed".to_owned(), json!(false));
    for (k, p) in inside.into_iter().enumerate() {
        list.insert(r + 1 + k, p);
    }
    Ok(())
}

/// Moves the panel with this id into the row `to` (at the bottom of its
/// panels, left-aligned), or out of every row (`None`: to the bottom of the
/// panels above the first row). Panels below the new place move down to make
/// room; the top-level list stays in `gridPos.y` order around it.
pub fn move_to_row(dashboard: &mut Value, id: i64, to: Option<i64>) -> Result<(), EditError> {
    let (i, _) = locate(dashboard, id).ok_or(EditError::UnknownPanel(id))?;
    if is_row(&panels(dashboard)[i]) && panel_id(&panels(dashboard)[i]) == Some(id) {
        return Err(invalid(
            &format!("panel {id}"),
            "a row cannot go into a row",
        ));
    }
    if row_of(dashboard, id) == to {
        return Ok(());
    }
    if let Some(r) = to {
        row_index(panels(dashboard), r)?;
    }
    let mut panel = remove_panel(dashboard, id)?;
    let list = top_panels(dashboard)?;
    let height = panel
        .pointer("/gridPos/h")
        .and_then(Value::as_i64)
        .unwrap_or(DEFAULT_SIZE.1);
    let set_place = |panel: &mut Value, y: i64| {
        if let Some(g) = panel.get_mut("gridPos").filter(|g| g.is_object()) {
            g["x"] = json!(0);
            g["y"] = json!(y);
        } else if let Some(obj) = panel.as_object_mut() {
            let (w, h) = DEFAULT_SIZE;
            obj.insert("gridPos".to_owned(), rect_json(Rect { x: 0, y, w, h }));
        }
    };
    match to {
        Some(r_id) => {
            let r = row_index(list, r_id)?;
            if row_collapsed(&list[r]) {
                let top = y_of(&list[r]);
                let y = list[r]
                    .get("panels")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(bottom_of)
                    .max()
                    .unwrap_or(top + 1);
                set_place(&mut panel, y);
                let row = list[r]
                    .as_object_mut()
                    .ok_or_else(|| invalid(&format!("panel {r_id}"), "the row is not an object"))?;
                match row.get_mut("panels").and_then(Value::as_array_mut) {
                    Some(inside) => inside.push(panel),
                    None => {
                        row.insert("panels".to_owned(), json!([panel]));
                    }
                }
                return Ok(());
            }
            let members = section(list, r);
            let y = members
                .iter()
                .map(|&k| bottom_of(&list[k]))
                .max()
                .unwrap_or(y_of(&list[r]) + 1);
            let at = members.iter().max().map_or(r, |&k| k.max(r)) + 1;
            for p in list.iter_mut().filter(|p| y_of(p) >= y) {
                shift_y(p, height);
            }
            set_place(&mut panel, y);
            list.insert(at, panel);
        }
        None => {
            let first_row = list.iter().filter(|p| is_row(p)).map(y_of).min();
            let above: Vec<usize> = (0..list.len())
                .filter(|&k| !is_row(&list[k]) && first_row.is_none_or(|f| y_of(&list[k]) < f))
                .collect();
            let y = above
                .iter()
                .map(|&k| bottom_of(&list[k]))
                .max()
                .unwrap_or(0);
            let at = above.iter().max().map_or(0, |&k| k + 1);
            for p in list.iter_mut().filter(|p| y_of(p) >= y) {
                shift_y(p, height);
            }
            set_place(&mut panel, y);
            list.insert(at, panel);
        }
    }
    Ok(())
}

fn top_panels(dashboard: &mut Value) -> Result<&mut Vec<Value>, EditError> {
    let obj = dashboard
        .as_object_mut()
        .ok_or_else(|| invalid("", "the dashboard is not a JSON object"))?;
    obj.entry("panels")
        .or_insert_with(|| Value::Array(Vec::new()))
        .as_array_mut()
        .ok_or_else(|| invalid("/panels", "panels is not a list"))
}

fn occupied(list: &[Value]) -> Vec<Rect> {
    list.iter()
        .filter_map(|p| p.get("gridPos").and_then(|g| grid_pos(g).ok()))
        .collect()
}

/// The first free w×h rectangle scanning rows from `floor` down, left to right.
fn free_spot(taken: &[Rect], w: i64, h: i64, floor: i64) -> Rect {
    let w = w.clamp(1, GRID_WIDTH);
    let bottom = taken
        .iter()
        .map(|r| r.y + r.h)
        .max()
        .unwrap_or(0)
        .max(floor);
    for y in floor..=bottom {
        for x in 0..=GRID_WIDTH - w {
            let r = Rect { x, y, w, h };
            if !taken.iter().any(|t| t.overlaps(&r)) {
                return r;
            }
        }
    }
    Rect {
        x: 0,
        y: bottom,
        w,
        h,
    }
}

fn rect_json(r: Rect) -> Value {
    let mut m = Map::new();
    m.insert("h".to_owned(), json!(r.h));
    m.insert("w".to_owned(), json!(r.w));
    m.insert("x".to_owned(), json!(r.x));
    m.insert("y".to_owned(), json!(r.y));
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_go_in_field_config_defaults() {
        let mut d = json!({"panels": [
            {"id": 1, "type": "stat"},
            {"id": 2, "type": "timeseries", "fieldConfig": {"defaults": {"unit": "s", "min": 0}, "overrides": [1]}},
            {"id": 3, "type": "row", "collapsed": true, "panels": [{"id": 4, "type": "stat", "fieldConfig": []}]}
        ]});
        set_panel_unit(&mut d, 1, "bytes").expect("set");
        assert_eq!(
            d["panels"][0]["fieldConfig"],
            json!({"defaults": {"unit": "bytes"}, "overrides": []})
        );
        assert_eq!(panel_unit(&d["panels"][0]), Some("bytes"));
        // Other defaults and the overrides stay.
        set_panel_unit(&mut d, 2, "percentunit").expect("set");
        assert_eq!(
            d["panels"][1]["fieldConfig"],
            json!({"defaults": {"unit": "percentunit", "min": 0}, "overrides": [1]})
        );
        set_panel_unit(&mut d, 2, "").expect("clear");
        assert_eq!(
            d["panels"][1]["fieldConfig"],
            json!({"defaults": {"min": 0}, "overrides": [1]})
        );
        assert_eq!(panel_unit(&d["panels"][1]), None);
        // Inside a collapsed row; a fieldConfig that is not an object is an error, not a panic.
        assert!(set_panel_unit(&mut d, 4, "ms").is_err());
        assert!(matches!(
            set_panel_unit(&mut d, 9, "ms"),
            Err(EditError::UnknownPanel(9))
        ));
    }

    fn dash() -> Value {
        json!({"panels": [
            {"id": 1, "title": "A", "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0}},
            {"id": 7, "type": "row", "gridPos": {"h": 1, "w": 24, "x": 0, "y": 8},
             "panels": [{"id": 3, "title": "nested"}]},
            {"id": 2, "title": "B", "gridPos": {"h": 8, "w": 12, "x": 0, "y": 9}}
        ]})
    }

    /// Grafana's shape: a panel above the rows, two expanded rows with their panels.
    fn with_rows() -> Value {
        json!({"panels": [
            {"id": 1, "title": "top", "gridPos": {"h": 4, "w": 24, "x": 0, "y": 0}},
            {"id": 10, "type": "row", "title": "R1", "collapsed": false, "panels": [],
             "gridPos": {"h": 1, "w": 24, "x": 0, "y": 4}},
            {"id": 2, "title": "a", "gridPos": {"h": 8, "w": 12, "x": 0, "y": 5}},
            {"id": 3, "title": "b", "gridPos": {"h": 6, "w": 12, "x": 12, "y": 5}},
            {"id": 20, "type": "row", "title": "R2", "collapsed": false, "panels": [],
             "gridPos": {"h": 1, "w": 24, "x": 0, "y": 13}},
            {"id": 4, "title": "c", "gridPos": {"h": 8, "w": 24, "x": 0, "y": 14}}
        ]})
    }

    fn ys(d: &Value) -> Vec<(i64, i64)> {
        panels(d)
            .iter()
            .map(|p| (panel_id(p).unwrap_or(0), y_of(p)))
            .collect()
    }

    #[test]
    fn collapse_then_expand_round_trips() {
        let original = with_rows();
        let mut d = original.clone();
        collapse_row(&mut d, 10).expect("collapse");
        assert_eq!(d["panels"][1]["collapsed"], true);
        assert_eq!(d["panels"][1]["panels"].as_array().map(Vec::len), Some(2));
        // R2 and its panel moved up by the 8 rows R1's panels took.
        assert_eq!(ys(&d), [(1, 0), (10, 4), (20, 5), (4, 6)]);
        // Collapsing again changes nothing.
        let once = d.clone();
        collapse_row(&mut d, 10).expect("again");
        assert_eq!(d, once);
        expand_row(&mut d, 10).expect("expand");
        assert_eq!(d, original);

        // Both rows, in either order.
        collapse_row(&mut d, 20).expect("collapse R2");
        collapse_row(&mut d, 10).expect("collapse R1");
        assert_eq!(ys(&d), [(1, 0), (10, 4), (20, 5)]);
        expand_row(&mut d, 10).expect("expand R1");
        expand_row(&mut d, 20).expect("expand R2");
        assert_eq!(d, original);
        assert_eq!(collapse_row(&mut d, 2), Err(EditError::UnknownPanel(2)));
    }

    #[test]
    fn rows_and_membership() {
        let mut d = with_rows();
        assert_eq!(
            rows(&d),
            [(10, "R1".to_owned(), false), (20, "R2".to_owned(), false)]
        );
        assert_eq!(row_of(&d, 1), None);
        assert_eq!(row_of(&d, 3), Some(10));
        assert_eq!(row_of(&d, 4), Some(20));
        collapse_row(&mut d, 10).expect("collapse");
        assert_eq!(row_of(&d, 3), Some(10));
        assert_eq!(row_of(&d, 4), Some(20));
    }

    #[test]
    fn moves_panels_into_and_out_of_rows_keeping_y_order() {
        let mut d = with_rows();
        // Out of R2 to above the rows: under "top", everything else down by its height.
        move_to_row(&mut d, 4, None).expect("out");
        assert_eq!(row_of(&d, 4), None);
        assert_eq!(
            ys(&d),
            [(1, 0), (4, 4), (10, 12), (2, 13), (3, 13), (20, 21)]
        );
        // Into the expanded R2: under the row, its section being empty (the
        // place it left stays free: nothing moves up).
        move_to_row(&mut d, 4, Some(20)).expect("into R2");
        assert_eq!(row_of(&d, 4), Some(20));
        assert_eq!(
            ys(&d),
            [(1, 0), (10, 12), (2, 13), (3, 13), (20, 21), (4, 22)]
        );
        // Into a collapsed row: appended to its panels, under them.
        collapse_row(&mut d, 10).expect("collapse");
        move_to_row(&mut d, 4, Some(10)).expect("into collapsed R1");
        assert_eq!(row_of(&d, 4), Some(10));
        let inside: Vec<(i64, i64)> = d["panels"][1]["panels"]
            .as_array()
            .expect("panels")
            .iter()
            .map(|p| (panel_id(p).unwrap_or(0), y_of(p)))
            .collect();
        assert_eq!(inside, [(2, 13), (3, 13), (4, 21)]);
        expand_row(&mut d, 10).expect("expand");
        assert_eq!(
            ys(&d),
            [(1, 0), (10, 12), (2, 13), (3, 13), (4, 21), (20, 29)]
        );
        // Every list stays ordered by y.
        let order = ys(&d);
        assert!(order.windows(2).all(|w| w[0].1 <= w[1].1), "{order:?}");
        assert!(move_to_row(&mut d, 10, Some(20)).is_err());
        assert!(move_to_row(&mut d, 4, Some(99)).is_err());
    }

    #[test]
    fn sets_fields_by_id_including_rows() {
        let mut d = dash();
        set_panel_field(&mut d, 3, PanelField::Title, json!("N")).expect("nested");
        assert_eq!(d["panels"][1]["panels"][0]["title"], "N");
        set_panel_field(
            &mut d,
            2,
            PanelField::GridPos,
            json!({"h": 4, "w": 6, "x": 18, "y": 0}),
        )
        .expect("grid");
        assert_eq!(
            set_panel_field(&mut d, 99, PanelField::Title, json!("x")),
            Err(EditError::UnknownPanel(99))
        );
        for (f, v) in [
            (
                PanelField::GridPos,
                json!({"h": 4, "w": 20, "x": 10, "y": 0}),
            ),
            (PanelField::Title, json!(3)),
            (PanelField::Targets, json!([1])),
            (PanelField::Type, json!("")),
        ] {
            assert!(matches!(
                set_panel_field(&mut d, 1, f, v),
                Err(EditError::InvalidValue { .. })
            ));
        }
    }

    #[test]
    fn adds_with_fresh_id_at_the_first_free_spot() {
        let mut d = dash();
        let id = add_panel(&mut d, json!({"title": "C"})).expect("add");
        assert_eq!(id, 8);
        assert_eq!(
            d["panels"][3]["gridPos"],
            json!({"h": 8, "w": 12, "x": 12, "y": 9})
        );
        let id = add_panel(&mut d, json!({"title": "D"})).expect("add");
        assert_eq!(
            (id, &d["panels"][4]["gridPos"]),
            (9, &json!({"h": 8, "w": 12, "x": 0, "y": 17}))
        );
        let mut empty = json!({});
        assert_eq!(add_panel(&mut empty, json!({})).expect("add"), 1);
        assert_eq!(
            empty["panels"][0]["gridPos"],
            json!({"h": 8, "w": 12, "x": 0, "y": 0})
        );
        assert!(add_panel(&mut empty, json!([])).is_err());
    }

    #[test]
    fn duplicates_beside_or_below_and_removes() {
        let mut d = dash();
        let id = duplicate_panel(&mut d, 1).expect("dup");
        assert_eq!(id, 8);
        assert_eq!(
            d["panels"][1]["gridPos"],
            json!({"h": 8, "w": 12, "x": 12, "y": 0})
        );
        assert_eq!(d["panels"][1]["title"], "A");
        let id = duplicate_panel(&mut d, 1).expect("dup");
        assert_eq!(
            d["panels"][1]["gridPos"],
            json!({"h": 8, "w": 12, "x": 12, "y": 9})
        );
        assert_eq!(id, 9);
        let row = duplicate_panel(&mut d, 7).expect("dup row");
        assert_eq!(
            find_panel(&d, row).and_then(|r| r["panels"][0]["id"].as_i64()),
            Some(row + 1)
        );
        let removed = remove_panel(&mut d, 3).expect("remove nested");
        assert_eq!(removed["title"], "nested");
        assert_eq!(remove_panel(&mut d, 3), Err(EditError::UnknownPanel(3)));
        assert!(replace_dashboard(&mut d, json!([1])).is_err());
        replace_dashboard(&mut d, json!({"title": "new"})).expect("replace");
        assert_eq!(d, json!({"title": "new"}));
    }
}
