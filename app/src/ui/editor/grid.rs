//! The grid in edit mode: every panel box is a button that selects the panel
//! for the side panel editor (Tab and Enter work as well as the mouse).

use leptos::prelude::*;

use super::state::Ed;
use crate::ui::format::panel_title;
use crate::ui::grid::{bottom, layout, COLUMNS, UNIT_PX};

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
                aria-label="Panels: choose one to edit">
                {boxes.into_iter().map(|b| {
                    let style = format!(
                        "left: {:.4}%; width: {:.4}%; top: {}px; height: {}px",
                        b.pos.x as f64 * 100.0 / COLUMNS as f64,
                        b.pos.w as f64 * 100.0 / COLUMNS as f64,
                        b.pos.y * UNIT_PX,
                        b.pos.h * UNIT_PX,
                    );
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
                            on:click=move |_| ed.selected.set(id)
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
