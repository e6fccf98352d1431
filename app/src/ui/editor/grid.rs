//! The grid in edit mode: every panel box is a button that selects the panel
//! for the side panel editor (Tab and Enter work as well as the mouse). On a
//! selected box the arrow keys move the panel one cell and Shift+arrows
//! resize it; with the mouse a box is dragged, and resized by its
//! bottom-right handle, snapped to the 24-column grid. Both go through
//! [`super::place`] (panels in the way are pushed down) as `gridPos` edits.
//! Rows are full-width headers with a collapse/expand toggle.

use dashstudio_core::edit::ops::{self, PanelField};
use dashstudio_core::model::GridPos;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{HtmlElement, PointerEvent};
use serde_json::json;

use super::place::{dragged, place};
use super::state::{panel_of, Ed};
use crate::ui::format::panel_title;
use crate::ui::grid::{bottom, box_style, layout, PanelBox, COLUMNS, UNIT_PX};

/// Pixels a pointer moves before a press becomes a drag (a click selects).
const DRAG_THRESHOLD_PX: i32 = 4;

/// Where an arrow key (`resize`: with Shift) puts a panel at `pos`: one
/// column or row, kept inside the 24 columns, at least one cell big; `None`
/// when the key is not an arrow or the panel cannot go further.
pub fn nudge(pos: GridPos, key: &str, resize: bool) -> Option<GridPos> {
    let mut p = pos;
    match (key, resize) {
        ("ArrowLeft", false) => p.x -= 1,
        ("ArrowRight", false) => p.x += 1,
        ("ArrowUp", false) => p.y -= 1,
        ("ArrowDown", false) => p.y += 1,
        ("ArrowLeft", true) => p.w -= 1,
        ("ArrowRight", true) => p.w += 1,
        ("ArrowUp", true) => p.h -= 1,
        ("ArrowDown", true) => p.h += 1,
        _ => return None,
    }
    if resize {
        // The left edge stays; the right one stops at the last column.
        p.w = p.w.clamp(1, (COLUMNS - p.x).max(1));
    } else {
        p.x = p.x.clamp(0, (COLUMNS - p.w).max(0));
    }
    p.y = p.y.max(0);
    p.h = p.h.max(1);
    (p != pos).then_some(p)
}

/// The placed top-level panels with an id, as the grid draws them.
fn placed(ed: &Ed) -> Vec<(i64, GridPos)> {
    ed.model
        .with_untracked(|m| m.as_ref().map(|m| layout(&m.panels)))
        .unwrap_or_default()
        .into_iter()
        .filter(|b| !b.unplaced)
        .filter_map(|b| Some((b.id?, b.pos)))
        .collect()
}

/// Puts panel `id` at `to` in the draft, pushing down the panels in the way
/// (one edit); whether anything changed.
pub fn move_panel(ed: &Ed, id: i64, to: GridPos) -> bool {
    let changes = place(&placed(ed), id, to);
    if changes.is_empty() {
        return false;
    }
    ed.edit(|d| {
        for (i, (pid, pos)) in changes.iter().enumerate() {
            let mut grid = panel_of(d, *pid)
                .and_then(|p| p.get("gridPos"))
                .filter(|g| g.is_object())
                .cloned()
                .unwrap_or_else(|| json!({}));
            // The moved panel takes its whole place; pushed ones only go down.
            let keys: &[(&str, i64)] = if i == 0 {
                &[("x", pos.x), ("y", pos.y), ("w", pos.w), ("h", pos.h)]
            } else {
                &[("y", pos.y)]
            };
            for (k, v) in keys {
                grid[*k] = json!(v);
            }
            ops::set_panel_field(d, *pid, PanelField::GridPos, grid).map_err(|e| e.to_string())?;
        }
        Ok(())
    })
    .is_ok()
}

/// Moves or resizes panel `id` of the draft for an arrow key; whether it did.
fn nudge_panel(ed: &Ed, id: i64, key: &str, resize: bool) -> bool {
    let Some(pos) = placed(ed)
        .into_iter()
        .find(|(i, _)| *i == id)
        .map(|(_, p)| p)
    else {
        return false;
    };
    nudge(pos, key, resize).is_some_and(|next| move_panel(ed, id, next))
}

/// Focuses panel `id`'s box once the grid is drawn again.
fn refocus(id: i64) {
    request_animation_frame(move || {
        let selector = format!(".edit-grid .panel-box[data-panel-id=\"{id}\"]");
        if let Some(el) = document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// A press on a panel box with the mouse (or pen, or finger).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Drag {
    id: i64,
    start: GridPos,
    /// Where the pointer went down, in client pixels.
    origin: (i32, i32),
    /// One column's width in pixels.
    column_px: f64,
    resize: bool,
    /// Past the threshold: the box follows the pointer.
    moving: bool,
    /// Where the panel would go now.
    to: GridPos,
}

impl Drag {
    fn follow(&mut self, ev: &PointerEvent) {
        let (dx, dy) = (ev.client_x() - self.origin.0, ev.client_y() - self.origin.1);
        if dx.abs().max(dy.abs()) >= DRAG_THRESHOLD_PX {
            self.moving = true;
        }
        let cells = (
            (f64::from(dx) / self.column_px).round() as i64,
            (f64::from(dy) / UNIT_PX as f64).round() as i64,
        );
        self.to = dragged(self.start, cells, self.resize);
    }
}

/// The drag a pointer press on `b` starts; `None` for other buttons than the
/// main one or a box that is not a placed panel.
fn start_drag(ev: &PointerEvent, b: &PanelBox, resize: bool) -> Option<Drag> {
    let id = b.id.filter(|_| !b.unplaced && ev.button() == 0)?;
    let target = ev.current_target()?.dyn_into::<HtmlElement>().ok()?;
    let grid = target
        .closest(".edit-grid")
        .ok()??
        .dyn_into::<HtmlElement>()
        .ok()?;
    let _ = target.set_pointer_capture(ev.pointer_id());
    Some(Drag {
        id,
        start: b.pos,
        origin: (ev.client_x(), ev.client_y()),
        column_px: (f64::from(grid.offset_width()) / COLUMNS as f64).max(1.0),
        resize,
        moving: false,
        to: b.pos,
    })
}

#[component]
pub fn EditGrid() -> impl IntoView {
    let ed = expect_context::<Ed>();
    let drag: RwSignal<Option<Drag>> = RwSignal::new(None);
    // A drag that just ended must not count as a click on the box.
    let dragged_just_now = StoredValue::new(false);
    let finish = move |commit: bool| {
        let Some(d) = drag.get_untracked() else {
            return;
        };
        drag.set(None);
        if d.moving {
            dragged_just_now.set_value(true);
            ed.selected.set(Some(d.id));
            if commit && move_panel(&ed, d.id, d.to) {
                refocus(d.id);
            }
        }
    };
    move || {
        let panels = ed
            .model
            .with(|m| m.as_ref().map(|m| m.panels.clone()))
            .unwrap_or_default();
        let mut boxes = layout(&panels);
        // Rows are full-width headers, one grid row high.
        for b in boxes.iter_mut().filter(|b| b.r#type == "row") {
            b.pos.x = 0;
            b.pos.w = COLUMNS;
            b.pos.h = 1;
        }
        let height = bottom(&boxes).max(1) * UNIT_PX;
        let toggles: Vec<(i64, bool, String, String)> = boxes
            .iter()
            .filter(|b| b.r#type == "row")
            .filter_map(|b| {
                let id = b.id?;
                let collapsed = ed.dashboard.with_untracked(|d| {
                    d.as_ref()
                        .and_then(|d| panel_of(d, id))
                        .is_some_and(ops::row_collapsed)
                });
                Some((
                    id,
                    collapsed,
                    panel_title(&b.title),
                    format!("top: {}px", b.pos.y * UNIT_PX),
                ))
            })
            .collect();
        view! {
            <div class="grid edit-grid" style=format!("height: {height}px") role="group"
                class:dragging=move || drag.with(|d| d.is_some_and(|d| d.moving))
                aria-label="Panels: choose one to edit; arrow keys move the chosen panel, Shift+arrows resize it; drag a panel to move it, its corner handle to resize it">
                {move || drag.get().filter(|d| d.moving).map(|d| {
                    let ghost = PanelBox {
                        id: None,
                        title: String::new(),
                        r#type: String::new(),
                        pos: d.to,
                        collapsed_children: 0,
                        unplaced: false,
                    };
                    view! { <div class="drop-target" aria-hidden="true" style=box_style(&ghost)></div> }
                })}
                {toggles.into_iter().map(|(id, collapsed, title, style)| {
                    let label = format!("{} row {title}", if collapsed { "Expand" } else { "Collapse" });
                    view! {
                        <button type="button" class="row-toggle" style=style
                            data-row-id=id.to_string()
                            aria-expanded=(!collapsed).to_string()
                            aria-label=label.clone()
                            title=label
                            on:click=move |_| {
                                let _ = ed.restructure(|d| {
                                    let r = if collapsed {
                                        ops::expand_row(d, id)
                                    } else {
                                        ops::collapse_row(d, id)
                                    };
                                    r.map_err(|e| e.to_string())
                                });
                            }
                        >{if collapsed { "▸" } else { "▾" }}</button>
                    }
                }).collect_view()}
                {boxes.into_iter().map(|b| {
                    let style = box_style(&b);
                    let id = b.id;
                    let label = format!("Edit panel {} ({})", panel_title(&b.title), b.r#type);
                    let (for_move, for_resize) = (b.clone(), b.clone());
                    let movable = id.is_some() && !b.unplaced;
                    view! {
                        <button
                            type="button"
                            class="panel-box"
                            class:row=b.r#type == "row"
                            class:selected=move || id.is_some() && ed.selected.get() == id
                            class:moving=move || drag.with(|d| d.is_some_and(|d| d.moving && Some(d.id) == id))
                            aria-pressed=move || (id.is_some() && ed.selected.get() == id).to_string()
                            aria-label=label
                            style=style
                            disabled=id.is_none()
                            data-panel-type=b.r#type.clone()
                            data-panel-id=id.map(|i| i.to_string())
                            aria-keyshortcuts="ArrowLeft ArrowRight ArrowUp ArrowDown Shift+ArrowLeft Shift+ArrowRight Shift+ArrowUp Shift+ArrowDown"
                            on:click=move |_| {
                                if dragged_just_now.get_value() {
                                    dragged_just_now.set_value(false);
                                    return;
                                }
                                ed.selected.set(id);
                            }
                            on:pointerdown=move |ev| {
                                if let Some(d) = start_drag(&ev, &for_move, false) {
                                    dragged_just_now.set_value(false);
                                    drag.set(Some(d));
                                }
                            }
                            on:pointermove=move |ev| {
                                if drag.with_untracked(|d| d.is_some_and(|d| Some(d.id) == id)) {
                                    drag.update(|d| if let Some(d) = d { d.follow(&ev) });
                                }
                            }
                            on:pointerup=move |_| finish(true)
                            on:pointercancel=move |_| finish(false)
                            on:keydown=move |ev| {
                                let Some(id) = id.filter(|i| ed.selected.get_untracked() == Some(*i)) else {
                                    return;
                                };
                                if ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
                                    return;
                                }
                                if !ev.key().starts_with("Arrow") {
                                    return;
                                }
                                ev.prevent_default();
                                if nudge_panel(&ed, id, &ev.key(), ev.shift_key()) {
                                    refocus(id);
                                }
                            }
                        >
                            <span class="panel-title">{panel_title(&b.title)}</span>
                            <span class="panel-type">{
                                if b.collapsed_children > 0 {
                                    format!("row · {} panels inside", b.collapsed_children)
                                } else {
                                    b.r#type.clone()
                                }
                            }</span>
                            {movable.then(|| view! {
                                <span
                                    class="resize-handle"
                                    aria-hidden="true"
                                    title="Drag to resize"
                                    on:pointerdown=move |ev| {
                                        ev.stop_propagation();
                                        if let Some(d) = start_drag(&ev, &for_resize, true) {
                                            dragged_just_now.set_value(false);
                                            drag.set(Some(d));
                                        }
                                    }
                                ></span>
                            })}
                        </button>
                    }
                }).collect_view()}
            </div>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x: i64, y: i64, w: i64, h: i64) -> GridPos {
        GridPos { x, y, w, h }
    }

    #[test]
    fn arrows_move_and_shift_arrows_resize_inside_the_grid() {
        let p = at(4, 2, 8, 6);
        for (key, resize, want) in [
            ("ArrowLeft", false, Some(at(3, 2, 8, 6))),
            ("ArrowRight", false, Some(at(5, 2, 8, 6))),
            ("ArrowUp", false, Some(at(4, 1, 8, 6))),
            ("ArrowDown", false, Some(at(4, 3, 8, 6))),
            ("ArrowLeft", true, Some(at(4, 2, 7, 6))),
            ("ArrowRight", true, Some(at(4, 2, 9, 6))),
            ("ArrowUp", true, Some(at(4, 2, 8, 5))),
            ("ArrowDown", true, Some(at(4, 2, 8, 7))),
            ("Enter", false, None),
        ] {
            assert_eq!(nudge(p, key, resize), want, "{key} {resize}");
        }
    }

    #[test]
    fn the_edges_hold() {
        assert_eq!(nudge(at(0, 0, 6, 4), "ArrowLeft", false), None);
        assert_eq!(nudge(at(0, 0, 6, 4), "ArrowUp", false), None);
        assert_eq!(nudge(at(18, 0, 6, 4), "ArrowRight", false), None);
        assert_eq!(nudge(at(18, 0, 6, 4), "ArrowRight", true), None);
        assert_eq!(nudge(at(0, 0, 1, 1), "ArrowLeft", true), None);
        assert_eq!(nudge(at(0, 0, 1, 1), "ArrowUp", true), None);
        assert_eq!(nudge(at(0, 0, 24, 1), "ArrowRight", false), None);
    }
}
