//! The Changes tab: what the commit would record — a short summary, then
//! each file's unified diff with added and removed lines marked. Fetched
//! from the server once the draft holds every edit.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::{server_message, Ed, SaveState};
use crate::server_fns::editor::{get_draft_changes, DraftChanges};

#[component]
pub fn ChangesTab() -> impl IntoView {
    let ed = expect_context::<Ed>();
    let changes: RwSignal<Option<Result<DraftChanges, String>>> = RwSignal::new(None);
    // Refetch whenever a new draft revision is saved.
    Effect::new(move |_| {
        let saved = ed.save.get() == SaveState::Saved;
        let revision = ed.draft.with(|d| d.as_ref().map(|d| d.revision));
        if !saved || revision.is_none() {
            return;
        }
        let (ns, name) = (ed.namespace.get_value(), ed.name.get_value());
        spawn_local(async move {
            let r = get_draft_changes(ns, name)
                .await
                .map_err(|e| server_message(&e));
            changes.try_set(Some(r));
        });
    });
    move || {
        let state = ed.save.get();
        if ed.draft.with(Option::is_none) && state == SaveState::Clean {
            return view! { <p class="empty">"No changes yet: edit a panel, a query or the JSON."</p> }
                .into_any();
        }
        if state.pending() {
            return view! { <p class="loading" role="status">"Saving the draft before showing its changes…"</p> }
                .into_any();
        }
        match changes.get() {
            None => view! { <p class="loading" role="status">"Computing the diff…"</p> }.into_any(),
            Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
            Some(Ok(c)) if c.files.is_empty() => view! {
                <p class="empty changes-none">"The draft changes nothing in the repository."</p>
            }
            .into_any(),
            Some(Ok(c)) => view! { <ChangesView changes=c/> }.into_any(),
        }
    }
}

#[component]
fn ChangesView(changes: DraftChanges) -> impl IntoView {
    view! {
        <div class="changes">
            <h3>"Summary"</h3>
            <ul class="change-summary">
                {changes.summary.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
            </ul>
            {changes.files.into_iter().map(|f| view! {
                <section class="file-diff" data-file=f.path.clone()>
                    <h3>
                        <code>{f.path.clone()}</code>
                        <span class="diff-stat">
                            <span class="added">{format!("+{}", f.added)}</span>" "
                            <span class="removed">{format!("−{}", f.removed)}</span>
                        </span>
                    </h3>
                    <pre class="diff" aria-label=format!("Diff of {}", f.path)><code>
                        {f.diff.lines().map(|l| {
                            let class = match l.as_bytes().first() {
                                Some(b'+') if !l.starts_with("+++") => "diff-line add",
                                Some(b'-') if !l.starts_with("---") => "diff-line del",
                                Some(b'@') => "diff-line hunk",
                                _ if l.starts_with("+++") || l.starts_with("---") => "diff-line file",
                                _ => "diff-line",
                            };
                            view! { <span class=class>{format!("{l}\n")}</span> }
                        }).collect_view()}
                    </code></pre>
                </section>
            }).collect_view()}
        </div>
    }
}
