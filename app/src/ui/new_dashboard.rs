//! The "New dashboard" form of the dashboard lists: namespace, name, title,
//! folder and an optional template dashboard become a draft creating the
//! dashboard, and its editor opens.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::server_fns::browse::{list_dashboards, overview};
use crate::server_fns::editor::{create_dashboard, NewDashboard};
use crate::ui::editor::state::server_message;
use crate::ui::format::dashboard_href;

#[component]
pub fn NewDashboardForm(
    /// The folder the list shows (the form's default folder).
    folder: Option<String>,
    /// The namespace the form starts with.
    namespace: String,
) -> impl IntoView {
    let folders = Resource::new(|| (), |_| overview());
    let templates = Resource::new(|| (), |_| list_dashboards(None, None));
    let namespace = RwSignal::new(namespace);
    let name = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let chosen_folder = RwSignal::new(folder.clone().unwrap_or_default());
    let template = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = NewDashboard {
            namespace: namespace.get_untracked().trim().to_owned(),
            name: name.get_untracked().trim().to_owned(),
            title: title.get_untracked(),
            folder: Some(chosen_folder.get_untracked()).filter(|f| !f.is_empty()),
            template: Some(template.get_untracked()).filter(|t| !t.is_empty()),
        };
        let href = dashboard_href(&request.namespace, &request.name);
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match create_dashboard(request).await {
                Ok(_) => navigate(&href, Default::default()),
                Err(e) => {
                    error.try_set(Some(server_message(&e)));
                }
            }
            busy.try_set(false);
        });
    };
    let selected_folder = folder.unwrap_or_default();

    view! {
        <details class="new-dashboard">
            <summary>"New dashboard"</summary>
            <form class="new-dashboard-form" on:submit=submit aria-busy=move || busy.get().to_string()>
                <div class="field">
                    <label for="new-namespace">"Namespace"</label>
                    <input id="new-namespace" name="namespace" type="text" required=true spellcheck="false"
                        prop:value=move || namespace.get()
                        on:input=move |ev| namespace.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="new-name">"Resource name"</label>
                    <input id="new-name" name="name" type="text" required=true spellcheck="false"
                        placeholder="my-dashboard"
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="new-title">"Title"</label>
                    <input id="new-title" name="title" type="text" required=true
                        on:input=move |ev| title.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="new-folder">"Folder"</label>
                    <select id="new-folder" name="folder"
                        on:change=move |ev| chosen_folder.set(event_target_value(&ev))>
                        <option value="">"(the operator's default)"</option>
                        <Suspense fallback=|| ()>
                            {
                                let selected_folder = selected_folder.clone();
                                move || {
                                    let selected_folder = selected_folder.clone();
                                    Suspend::new(async move {
                                        folders.await.map(|o| o.folders).unwrap_or_default().into_iter().map(|f| {
                                            let selected = f.title == selected_folder;
                                            let (t, v) = (f.title.clone(), f.title.clone());
                                            view! { <option value=v selected=selected>{t}</option> }
                                        }).collect_view()
                                    })
                                }
                            }
                        </Suspense>
                    </select>
                </div>
                <div class="field">
                    <label for="new-template">"Start from"</label>
                    <select id="new-template" name="template"
                        on:change=move |ev| template.set(event_target_value(&ev))>
                        <option value="">"an empty dashboard"</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                templates.await.unwrap_or_default().into_iter().map(|d| {
                                    let key = format!("{}/{}", d.namespace, d.name);
                                    let label = format!("{} ({key})", d.title);
                                    view! { <option value=key>{label}</option> }
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                </div>
                <button type="submit" class="create-dashboard" disabled=move || busy.get()>
                    "Create draft"
                </button>
                {move || busy.get().then(|| view! {
                    <p class="progress" role="status"><span class="spinner" aria-hidden="true"></span>
                        "Creating the draft…"</p>
                })}
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            </form>
        </details>
    }
}
