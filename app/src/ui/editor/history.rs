//! The History tab: the commits that changed the dashboard's file, any
//! version's JSON read-only, and "Restore as draft" to continue from it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::code::{CodeLanguage, CodeText};
use super::state::{server_message, Ed};
use super::Reopen;
use crate::server_fns::editor::{
    get_history, get_version, restore_version, FileVersion, HistoryEntry,
};

#[component]
pub fn HistoryTab() -> impl IntoView {
    let ed = expect_context::<Ed>();
    let log: RwSignal<Option<Result<Vec<HistoryEntry>, String>>> = RwSignal::new(None);
    let shown: RwSignal<Option<Result<FileVersion, String>>> = RwSignal::new(None);
    let (ns, name) = (ed.namespace.get_value(), ed.name.get_value());
    spawn_local(async move {
        let r = get_history(ns, name).await.map_err(|e| server_message(&e));
        log.try_set(Some(r));
    });
    let view_version = move |commit: String| {
        let (ns, name) = (ed.namespace.get_value(), ed.name.get_value());
        shown.set(None);
        spawn_local(async move {
            let r = get_version(ns, name, commit)
                .await
                .map_err(|e| server_message(&e));
            shown.try_set(Some(r));
        });
    };
    view! {
        <div class="history-tab">
            {move || match log.get() {
                None => view! { <p class="loading" role="status">"Reading the file's history…"</p> }
                    .into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(entries)) if entries.is_empty() => view! {
                    <p class="empty">"No commit changed this file yet."</p>
                }.into_any(),
                Some(Ok(entries)) => view! {
                    <ol class="history-list" aria-label="Commits that changed this file, newest first">
                        {entries.into_iter().map(|e| {
                            let commit = e.commit.clone();
                            let selected = {
                                let commit = commit.clone();
                                move || shown.with(|s| {
                                    matches!(s, Some(Ok(v)) if v.commit == commit)
                                })
                            };
                            view! {
                                <li class="history-entry" data-commit=e.commit.clone()>
                                    <button type="button" class="view-version"
                                        aria-pressed=move || selected().to_string()
                                        on:click=move |_| view_version(commit.clone())>
                                        <code class="commit-short">{e.commit.chars().take(8).collect::<String>()}</code>
                                        " "<span class="summary">{e.summary.clone()}</span>
                                    </button>
                                    <span class="meta">{format!("{} · {}", e.author, e.date)}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
            {move || shown.get().map(|v| match v {
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Ok(v) => view! { <VersionView version=v/> }.into_any(),
            })}
        </div>
    }
}

/// One version's JSON, read-only, with its restore button.
#[component]
fn VersionView(version: FileVersion) -> impl IntoView {
    let ed = expect_context::<Ed>();
    let reopen = use_context::<Reopen>();
    let problem = RwSignal::new(None::<String>);
    let restoring = RwSignal::new(false);
    let commit = version.commit.clone();
    let restore = move |_| {
        let (ns, name, commit) = (
            ed.namespace.get_value(),
            ed.name.get_value(),
            commit.clone(),
        );
        restoring.set(true);
        spawn_local(async move {
            match restore_version(ns, name, commit).await {
                // The editor opens again, on the restored draft.
                Ok(_) => {
                    if let Some(Reopen(r)) = reopen {
                        r.update(|n| *n += 1);
                    }
                }
                Err(e) => {
                    problem.try_set(Some(server_message(&e)));
                    restoring.try_set(false);
                }
            }
        });
    };
    let short: String = version.commit.chars().take(8).collect();
    let restorable = version.error.is_none();
    view! {
        <section class="version" data-commit=version.commit.clone()>
            <h3>{format!("{} at {short}", version.file)}</h3>
            {version.error.clone().map(|e| view! {
                <p class="json-problem severity-error">{format!("This version's JSON does not parse: {e}")}</p>
            })}
            <div class="version-actions">
                <button type="button" class="restore-version" on:click=restore
                    disabled=move || !restorable || restoring.get() || ed.save.get().pending()
                    title="Replace your draft with this version's dashboard">
                    "Restore as draft"
                </button>
                {move || restoring.get().then(|| view! {
                    <span class="progress" role="status" aria-busy="true">
                        <span class="spinner" aria-hidden="true"></span>"Restoring the version as your draft…"
                    </span>
                })}
                {move || problem.get().map(|p| view! { <span class="error" role="alert">{p}</span> })}
            </div>
            <label for="version-json">{format!("Dashboard JSON at {short}")}</label>
            <CodeText
                id="version-json".to_owned()
                class="json-text version-json"
                language=CodeLanguage::Json
                initial=version.json
                rows=24
                read_only=true
                invalid=false
                marks=Vec::new()
            />
        </section>
    }
}
