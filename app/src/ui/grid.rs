//! Panels drawn to scale on Grafana's 24-column grid: one box per panel with
//! its title and type; rows span the width, collapsed rows show their count.

use dashstudio_core::model::{GridPos, Panel};
use leptos::prelude::*;

use crate::ui::format::panel_title;

/// Grafana's grid has 24 columns; one grid unit of height is 30 px there.
pub const COLUMNS: i64 = 24;
/// Height of one grid unit in our drawing, in pixels.
pub const UNIT_PX: i64 = 24;

/// Where one panel box is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelBox {
    pub id: Option<i64>,
    pub title: String,
    pub r#type: String,
    pub pos: GridPos,
    /// Panels hidden inside a collapsed row.
    pub collapsed_children: usize,
    /// The panel had no usable gridPos and was placed below the others.
    pub unplaced: bool,
}

/// Lay out the top-level panels: real positions where given (clamped to the
/// grid), panels without a position stacked underneath.
pub fn layout(panels: &[Panel]) -> Vec<PanelBox> {
    let mut boxes: Vec<PanelBox> = Vec::with_capacity(panels.len());
    let mut unplaced = Vec::new();
    for p in panels {
        match p.grid_pos.filter(|g| g.w > 0 && g.h > 0) {
            Some(g) => {
                let x = g.x.clamp(0, COLUMNS - 1);
                let w = g.w.min(COLUMNS - x).max(1);
                boxes.push(panel_box(
                    p,
                    GridPos {
                        x,
                        y: g.y.max(0),
                        w,
                        h: g.h,
                    },
                    false,
                ));
            }
            None => unplaced.push(p),
        }
    }
    let mut y = bottom(&boxes);
    for p in unplaced {
        let h = if p.is_row() { 1 } else { 8 };
        boxes.push(panel_box(
            p,
            GridPos {
                x: 0,
                y,
                w: COLUMNS,
                h,
            },
            true,
        ));
        y += h;
    }
    boxes
}

fn panel_box(p: &Panel, pos: GridPos, unplaced: bool) -> PanelBox {
    PanelBox {
        id: p.id,
        title: p.title.clone(),
        r#type: p.r#type.clone(),
        pos,
        collapsed_children: if p.is_row() && p.collapsed {
            p.panels.len()
        } else {
            0
        },
        unplaced,
    }
}

/// The lowest edge of the drawn boxes, in grid units.
pub fn bottom(boxes: &[PanelBox]) -> i64 {
    boxes.iter().map(|b| b.pos.y + b.pos.h).max().unwrap_or(0)
}

/// Where a box is drawn: CSS for its position and size in the grid.
pub fn box_style(b: &PanelBox) -> String {
    format!(
        "left: {:.4}%; width: {:.4}%; top: {}px; height: {}px",
        b.pos.x as f64 * 100.0 / COLUMNS as f64,
        b.pos.w as f64 * 100.0 / COLUMNS as f64,
        b.pos.y * UNIT_PX,
        b.pos.h * UNIT_PX,
    )
}

/// The grid drawing.
#[component]
pub fn PanelGrid(panels: Vec<Panel>) -> impl IntoView {
    let boxes = layout(&panels);
    let height = bottom(&boxes).max(1) * UNIT_PX;
    view! {
        <div class="grid" style=format!("height: {height}px") role="list" aria-label="Panel layout">
            {boxes.into_iter().map(|b| {
                let style = box_style(&b);
                let is_row = b.r#type == "row";
                let label = format!("{} ({}) at x={} y={} w={} h={}", b.title, b.r#type, b.pos.x, b.pos.y, b.pos.w, b.pos.h);
                view! {
                    <div
                        class="panel-box"
                        class:row=is_row
                        class:unplaced=b.unplaced
                        role="listitem"
                        style=style
                        title=label
                        data-panel-type=b.r#type.clone()
                        data-panel-id=b.id.map(|i| i.to_string())
                    >
                        <span class="panel-title">
                            {panel_title(&b.title)}
                        </span>
                        <span class="panel-type">{b.r#type.clone()}</span>
                        {(b.collapsed_children > 0).then(|| view! {
                            <span class="collapsed-count">{format!("collapsed · {} panels", b.collapsed_children)}</span>
                        })}
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel(t: &str, g: Option<GridPos>) -> Panel {
        Panel {
            id: None,
            r#type: t.to_owned(),
            title: String::new(),
            grid_pos: g,
            datasource: None,
            targets: vec![],
            panels: vec![],
            collapsed: false,
            pointer: String::new(),
        }
    }

    #[test]
    fn clamps_to_grid_and_stacks_unplaced() {
        let boxes = layout(&[
            panel(
                "stat",
                Some(GridPos {
                    x: 20,
                    y: 0,
                    w: 12,
                    h: 4,
                }),
            ),
            panel("graph", None),
            panel("row", None),
        ]);
        assert_eq!(
            boxes[0].pos,
            GridPos {
                x: 20,
                y: 0,
                w: 4,
                h: 4
            }
        );
        assert_eq!(
            boxes[1].pos,
            GridPos {
                x: 0,
                y: 4,
                w: 24,
                h: 8
            }
        );
        assert!(boxes[1].unplaced);
        assert_eq!(
            boxes[2].pos,
            GridPos {
                x: 0,
                y: 12,
                w: 24,
                h: 1
            }
        );
        assert_eq!(bottom(&boxes), 13);
    }

    #[test]
    fn collapsed_rows_count_children() {
        let mut row = panel(
            "row",
            Some(GridPos {
                x: 0,
                y: 0,
                w: 24,
                h: 1,
            }),
        );
        row.collapsed = true;
        row.panels = vec![panel("stat", None), panel("stat", None)];
        assert_eq!(layout(&[row])[0].collapsed_children, 2);
    }
}
