//! Edit mode of the dashboard page: the dashboard's move/rename/delete, the
//! panel grid to pick a panel, the side panel editor, the JSON tab, the Changes tab, the History tab and the commit dialog, over a
//! draft that is saved as you go.

pub mod actions;
pub mod changes;
pub mod code;
pub mod commit;
pub mod grid;
pub mod history;
pub mod json;
pub mod panel;
pub mod place;
pub mod query;
pub mod state;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::server_fns::editor::{discard_draft, open_editor, EditSession};
use state::{server_message, Ed, SaveState};

/// The editor's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Panels,
    Json,
    Changes,
    History,
    Commit,
}

impl Tab {
    const ALL: [Tab; 5] = [
        Tab::Panels,
        Tab::Json,
        Tab::Changes,
        Tab::History,
        Tab::Commit,
    ];

    fn label(self) -> &'static str {
        match self {
            Tab::Panels => "Panels",
            Tab::Json => "JSON",
            Tab::Changes => "Changes",
            Tab::History => "History",
            Tab::Commit => "Commit",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Tab::Panels => "panels",
            Tab::Json => "json",
            Tab::Changes => "changes",
            Tab::History => "history",
            Tab::Commit => "commit",
        }
    }
}

/// The panel to select when the editor opens (a link from the Problems page).
#[derive(Clone, Copy, Debug, Default)]
pub struct FocusPanel(pub Option<i64>);

/// The query of the focused panel to put the cursor in (`?query=` from the
/// Problems page): its index in the panel's targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FocusQuery(pub Option<usize>);

/// Bumped to open the editor again from the server (after the draft was
/// replaced there, e.g. by restoring a version).
#[derive(Clone, Copy)]
pub struct Reopen(pub RwSignal<u64>);

/// Loads the dashboard for editing (the user's draft if there is one).
#[component]
pub fn Editor(namespace: String, name: String) -> impl IntoView {
    let session: RwSignal<Option<Result<EditSession, String>>> = RwSignal::new(None);
    let reopen = RwSignal::new(0_u64);
    provide_context(Reopen(reopen));
    {
        let (namespace, name) = (namespace.clone(), name.clone());
        Effect::new(move |_| {
            reopen.track();
            let (namespace, name) = (namespace.clone(), name.clone());
            spawn_local(async move {
                let r = open_editor(namespace, name)
                    .await
                    .map_err(|e| server_message(&e));
                session.try_set(Some(r));
            });
        });
    }
    move || match session.get() {
        None => view! { <p class="loading" role="status">"Opening the editor…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
        Some(Ok(s)) => match s.read_only.clone() {
            Some(why) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
            None => view! { <EditorBody namespace=namespace.clone() name=name.clone() session=s/> }
                .into_any(),
        },
    }
}

#[component]
fn EditorBody(namespace: String, name: String, session: EditSession) -> impl IntoView {
    let ed = Ed::new(namespace, name, &session);
    if let Some(FocusPanel(Some(id))) = use_context::<FocusPanel>() {
        ed.selected.set(Some(id));
    }
    provide_context(ed);
    let tab = RwSignal::new(Tab::Panels);

    // Leaving with edits the draft does not hold yet: the browser asks first.
    Effect::new(move |_| {
        let handle = window_event_listener(leptos::ev::beforeunload, move |e| {
            if ed.save.try_get_untracked().is_some_and(|s| s.pending()) {
                ed.flush();
                e.prevent_default();
                e.set_return_value("You have unsaved edits.");
            }
        });
        on_cleanup(move || handle.remove());
    });
    // Navigating away inside the app: save what is pending.
    on_cleanup(move || ed.flush());

    let discard = move |_| {
        let (ns, n) = (ed.namespace.get_value(), ed.name.get_value());
        spawn_local(async move {
            match discard_draft(ns, n).await {
                Ok(()) => {
                    // Reload: the page shows the dashboard as committed.
                    let _ = window().location().reload();
                }
                Err(e) => ed.save.set(SaveState::Failed(server_message(&e))),
            }
        });
    };

    let draft_note = session.draft.as_ref().map(|d| {
        format!(
            "Continuing your draft (revision {}, saved {}).",
            d.revision, d.updated_at
        )
    });
    let broken = session.dashboard_error.clone();
    let pending_commit = session.pending_commit.clone();
    let allow_direct = session.allow_direct_commit;
    let may_override = session.may_override;
    let default_branch = session.default_branch.clone();
    let raw = session.raw.clone();

    view! {
        <section class="editor" aria-label="Dashboard editor">
            <div class="editor-bar">
                <div class="tabs" role="tablist" aria-label="Editor views">
                    {Tab::ALL.into_iter().map(|t| view! {
                        <button
                            type="button"
                            role="tab"
                            id=format!("tab-{}", t.key())
                            class="tab"
                            aria-controls=format!("tabpanel-{}", t.key())
                            aria-selected=move || (tab.get() == t).to_string()
                            on:click=move |_| {
                                if t != Tab::Panels && t != Tab::Json {
                                    ed.flush();
                                }
                                tab.set(t);
                            }
                        >
                            {t.label()}
                        </button>
                    }).collect_view()}
                </div>
                <p
                    class="save-state"
                    role="status"
                    aria-live="polite"
                    data-state=move || ed.save.get().key()
                >
                    {move || ed.save.get().label()}
                </p>
                <button type="button" class="discard" on:click=discard
                    disabled=move || ed.draft.get().is_none()>
                    "Discard draft"
                </button>
            </div>
            {draft_note.map(|n| view! { <p class="draft-note">{n}</p> })}
            <actions::DashboardActions/>
            {move || (ed.draft.with(|d| d.as_ref().map_or(0, |d| d.conflicts)) > 0).then(|| view! {
                <p class="error conflicts" role="alert">
                    "The dashboard changed upstream in the same places as your draft: \
                     the Changes tab explains; discard the draft or edit the JSON to resolve."
                </p>
            })}
            {move || broken.clone().filter(|_| ed.dashboard.with(Option::is_none)).map(|e| view! {
                <p class="parse-error" role="alert">
                    {format!("{e}. Fix the JSON in the JSON tab; panel editing needs JSON that parses.")}
                </p>
            })}
            <div
                class="tabpanel"
                role="tabpanel"
                id=move || format!("tabpanel-{}", tab.get().key())
                aria-labelledby=move || format!("tab-{}", tab.get().key())
            >
                {move || match tab.get() {
                    Tab::Panels => view! { <panel::PanelsTab/> }.into_any(),
                    Tab::Json => view! { <json::JsonTab raw=raw.clone()/> }.into_any(),
                    Tab::Changes => view! { <changes::ChangesTab/> }.into_any(),
                    Tab::History => view! { <history::HistoryTab/> }.into_any(),
                    Tab::Commit => view! {
                        <commit::CommitTab
                            allow_direct
                            may_override
                            default_branch=default_branch.clone()
                            pending=pending_commit.clone()
                        />
                    }.into_any(),
                }}
            </div>
        </section>
    }
}
