//! The grid in edit mode: every panel box is a button that selects the panel
//! for the side panel editor (Tab and Enter work as well as the mouse); on a
//! selected box the arrow keys move the panel one cell, Shift+arrows resize
//! it, snapped to the 24-column grid (a `gridPos` edit of the draft).

use dashstudio_core::edit::ops::{self, PanelField};
use dashstudio_core::model::GridPos;
use leptos::prelude::*;
use serde_json::{json, Value};

use super::state::{panel_of, Ed};
use crate::ui::format::panel_title;
use crate::ui::grid::{bottom, box_style, layout, COLUMNS, UNIT_PX};

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

/// Moves or resizes panel `id` of the draft for an arrow key; whether it did.
fn nudge_panel(ed: &Ed, id: i64, key: &str, resize: bool) -> bool {
    let current = ed.dashboard.with_untracked(|d| {
        let grid = d.as_ref().and_then(|d| panel_of(d, id))?.get("gridPos")?;
        let n = |k: &str| grid.get(k).and_then(Value::as_i64);
        Some((
            GridPos {
                x: n("x").unwrap_or(0),
                y: n("y").unwrap_or(0),
                w: n("w")?,
                h: n("h")?,
            },
            grid.clone(),
        ))
    });
    let Some((pos, mut grid)) = current else {
        return false;
    };
    let Some(next) = nudge(pos, key, resize) else {
        return false;
    };
    for (k, v) in [("x", next.x), ("y", next.y), ("w", next.w), ("h", next.h)] {
        grid[k] = json!(v);
    }
    ed.edit(|d| ops::set_panel_field(d, id, PanelField::GridPos, grid).map_err(|e| e.to_string()))
        .is_ok()
}

/// Focuses panel `id`'s box once the grid is drawn again.
fn refocus(id: i64) {
    request_animation_frame(move || {
        use leptos::wasm_bindgen::JsCast;
        let selector = format!(".edit-grid .panel-box[data-panel-id=\"{id}\"]");
        if let Some(el) = document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

#[component]
pub fn EditGrid() -> impl IntoView {
    let ed = expect_context::<Ed>();
    move || {
        let panels = ed
            .model
            .with(|m| m.as_ref().map(|m| m.panels.clone()))
            .unwrap_or_default();
        let boxes = layout(&panels);
        let height = bottom(&boxes).max(1) * UNIT_PX;
        view! {
            <div class="grid edit-grid" style=format!("height: {height}px") role="group"
                aria-label="Panels: choose one to edit; arrow keys move the chosen panel, Shift+arrows resize it">
                {boxes.into_iter().map(|b| {
                    let style = box_style(&b);
                    let id = b.id;
                    let label = format!("Edit panel {} ({})", panel_title(&b.title), b.r#type);
                    view! {
                        <button
                            type="button"
                            class="panel-box"
                            class:row=b.r#type == "row"
                            class:selected=move || id.is_some() && ed.selected.get() == id
                            aria-pressed=move || (id.is_some() && ed.selected.get() == id).to_string()
                            aria-label=label
                            style=style
                            disabled=id.is_none()
                            data-panel-type=b.r#type.clone()
                            data-panel-id=id.map(|i| i.to_string())
                            aria-keyshortcuts="ArrowLeft ArrowRight ArrowUp ArrowDown Shift+ArrowLeft Shift+ArrowRight Shift+ArrowUp Shift+ArrowDown"
                            on:click=move |_| ed.selected.set(id)
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
                            <span class="panel-type">{b.r#type.clone()}</span>
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
