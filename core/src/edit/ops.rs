//! Edit operations on a dashboard's JSON value: set a panel's fields, add,
//! duplicate and remove panels (rows' panels too), replace the dashboard.

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

    fn dash() -> Value {
        json!({"panels": [
            {"id": 1, "title": "A", "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0}},
            {"id": 7, "type": "row", "gridPos": {"h": 1, "w": 24, "x": 0, "y": 8},
             "panels": [{"id": 3, "title": "nested"}]},
            {"id": 2, "title": "B", "gridPos": {"h": 8, "w": 12, "x": 0, "y": 9}}
        ]})
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
