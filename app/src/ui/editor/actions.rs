//! The dashboard's own operations in edit mode, each saved as a draft: move
//! it to another folder, rename the resource, delete it (after a
//! confirmation). The draft shows in Changes and commits like any other.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::{server_message, Ed, SaveState};
use crate::server_fns::browse::overview;
use crate::server_fns::editor::{delete_dashboard, move_to_folder, rename_dashboard, DraftState};

/// What the draft does to the dashboard besides its JSON, in words.
fn draft_effect(d: &DraftState) -> Option<String> {
    match d.kind.as_str() {
        "delete" => Some(format!("This draft deletes the dashboard ({}).", d.file)),
        "create" => Some(format!("New dashboard: this draft writes {}.", d.new_file)),
        _ => {
            let mut parts = Vec::new();
            if let Some(f) = &d.folder {
                parts.push(format!("moves it to folder {f}"));
            }
            if let Some(n) = &d.rename_to {
                parts.push(format!("renames it to {n}"));
            }
            if d.new_file != d.file {
                parts.push(format!("writes {} instead of {}", d.new_file, d.file));
            }
            (!parts.is_empty()).then(|| format!("This draft {}.", parts.join(", ")))
        }
    }
}

#[component]
pub fn DashboardActions() -> impl IntoView {
    let ed = expect_context::<Ed>();
    let folders = Resource::new(|| (), |_| overview());
    let folder = RwSignal::new(String::new());
    let new_name = RwSignal::new(ed.name.get_value());
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<String>);
    let is_new = move || {
        ed.draft
            .with(|d| d.as_ref().is_some_and(|d| d.kind == "create"))
    };

    // Runs one operation; its answer is the draft.
    let run = move |what: &'static str,
                    op: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<DraftState, ServerFnError>>>,
    >| {
        ed.flush();
        busy.set(Some(what));
        error.set(None);
        spawn_local(async move {
            match op.await {
                Ok(d) => {
                    ed.draft.try_set(Some(d));
                    ed.save.try_set(SaveState::Saved);
                    confirming.try_set(false);
                }
                Err(e) => {
                    error.try_set(Some(server_message(&e)));
                }
            }
            busy.try_set(None);
        });
    };
    let do_move = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = folder.get_untracked();
        if f.is_empty() {
            error.set(Some("Choose a folder.".to_owned()));
            return;
        }
        let (ns, n) = (ed.namespace.get_value(), ed.name.get_value());
        run("move", Box::pin(move_to_folder(ns, n, f)));
    };
    let do_rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (ns, n) = (ed.namespace.get_value(), ed.name.get_value());
        run(
            "rename",
            Box::pin(rename_dashboard(ns, n, new_name.get_untracked())),
        );
    };
    let do_delete = move |_| {
        let (ns, n) = (ed.namespace.get_value(), ed.name.get_value());
        run("delete", Box::pin(delete_dashboard(ns, n)));
    };
    let disabled = move || busy.get().is_some();

    view! {
        <section class="dashboard-actions" aria-label="Dashboard operations" aria-busy=move || disabled().to_string()>
            {move || ed.draft.get().as_ref().and_then(draft_effect).map(|t| view! {
                <p class="draft-effect" role="status">{t}</p>
            })}
            <Show when=move || !is_new()>
                <form class="move-form inline-form" on:submit=do_move>
                    <label for="move-folder">"Move to folder"</label>
                    <select id="move-folder" name="folder"
                        on:change=move |ev| folder.set(event_target_value(&ev))>
                        <option value="">"Choose…"</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                folders.await.map(|o| o.folders).unwrap_or_default().into_iter().map(|f| {
                                    let (t, v) = (f.title.clone(), f.title.clone());
                                    view! { <option value=v>{t}</option> }
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                    <button type="submit" class="move-dashboard" disabled=disabled>"Move"</button>
                </form>
                <form class="rename-form inline-form" on:submit=do_rename>
                    <label for="rename-name">"Resource name"</label>
                    <input id="rename-name" name="name" type="text" spellcheck="false"
                        prop:value=move || new_name.get()
                        on:input=move |ev| new_name.set(event_target_value(&ev))/>
                    <button type="submit" class="rename-dashboard" disabled=disabled>"Rename"</button>
                </form>
                {move || if confirming.get() {
                    view! {
                        <div class="confirm-delete" role="alertdialog" aria-labelledby="confirm-delete-text">
                            <span id="confirm-delete-text">
                                "Delete this dashboard? The draft removes its file and kustomization entry."
                            </span>
                            <button type="button" class="confirm-delete-yes danger" disabled=disabled
                                on:click=do_delete>"Delete"</button>
                            <button type="button" class="confirm-delete-no"
                                on:click=move |_| confirming.set(false)>"Cancel"</button>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="delete-dashboard danger" disabled=disabled
                            on:click=move |_| confirming.set(true)>"Delete dashboard…"</button>
                    }.into_any()
                }}
            </Show>
            {move || busy.get().map(|what| view! {
                <p class="progress" role="status"><span class="spinner" aria-hidden="true"></span>
                    {format!("Saving the {what} as a draft…")}</p>
            })}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </section>
    }
}
