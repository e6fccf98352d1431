//! The commit dialog: message, target (a new studio branch, or the default
//! branch when the server allows it), pull request; the draft's validation
//! status blocks the commit on errors (an admin may commit anyway, giving a
//! reason the commit records). After the commit: its id, branch, push state
//! with a retry, and the pull request link.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::{server_message, Ed};
use crate::server_fns::editor::{
    commit_draft, list_drafts, retry_push, CommitRequest, CommitState, DraftItem,
};

#[component]
pub fn CommitTab(
    allow_direct: bool,
    may_override: bool,
    default_branch: String,
    pending: Option<CommitState>,
) -> impl IntoView {
    let ed = expect_context::<Ed>();
    let default_message = ed.dashboard.with_untracked(|d| {
        let title = d
            .as_ref()
            .and_then(|v| v.get("title"))
            .and_then(|t| t.as_str())
            .unwrap_or("")
            .to_owned();
        format!("Edit dashboard {title}").trim().to_owned()
    });
    let message = RwSignal::new(default_message.clone());
    let direct = RwSignal::new(false);
    let pull_request = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let result = RwSignal::new(pending);
    // The user's other drafts, which may go into the same commit.
    let others = LocalResource::new(move || async move {
        let (ns, n) = (ed.namespace.get_value(), ed.name.get_value());
        list_drafts()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|d| !(d.committed || (d.namespace == ns && d.name == n)))
            .collect::<Vec<DraftItem>>()
    });
    let also = RwSignal::new(Vec::<String>::new());
    // An admin's override of the validation gate, and why.
    let overriding = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let overridden = move || overriding.get() && reason.with(|r| !r.trim().is_empty());

    let errors = move || ed.draft.with(|d| d.as_ref().map_or(0, |d| d.errors));
    let blocked = move || {
        busy.get()
            || ed.save.get().pending()
            || ed.draft.with(Option::is_none)
            || (errors() > 0 && !overridden())
            || message.with(|m| m.trim().is_empty())
            || result.with(Option::is_some)
    };
    let commit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if blocked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let request = CommitRequest {
            namespace: ed.namespace.get_value(),
            name: ed.name.get_value(),
            message: message.get_untracked(),
            direct: direct.get_untracked(),
            pull_request: pull_request.get_untracked(),
            also: also.get_untracked(),
            override_reason: (errors() > 0 && overridden()).then(|| reason.get_untracked()),
        };
        spawn_local(async move {
            match commit_draft(request).await {
                Ok(state) => {
                    result.try_set(Some(state));
                }
                Err(e) => {
                    error.try_set(Some(server_message(&e)));
                }
            }
            busy.try_set(false);
        });
    };
    let retry = move |_| {
        let Some(state) = result.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            match retry_push(state.commit).await {
                Ok(s) => {
                    result.try_set(Some(s));
                }
                Err(e) => {
                    error.try_set(Some(server_message(&e)));
                }
            }
            busy.try_set(false);
        });
    };

    let status = move || {
        let state = ed.save.get();
        ed.draft.with(|d| match d {
            _ if state.pending() => ("pending", "The draft is being saved…".to_owned()),
            None => ("none", "Nothing to commit yet.".to_owned()),
            Some(d) if d.errors > 0 => (
                "errors",
                format!(
                    "{} error(s), {} warning(s): fix the errors to commit{}.",
                    d.errors,
                    d.warnings,
                    if may_override {
                        ", or commit anyway giving a reason"
                    } else {
                        ""
                    }
                ),
            ),
            Some(d) => (
                "ok",
                format!("Validation passed ({} warning(s)).", d.warnings),
            ),
        })
    };

    view! {
        <div class="commit-tab">
            <p class="validation-status" role="status" data-status=move || status().0>
                {move || status().1}
            </p>
            <form class="commit-form" on:submit=commit aria-busy=move || busy.get().to_string()>
                <div class="field">
                    <label for="commit-message">"Commit message"</label>
                    <input id="commit-message" name="message" type="text" value=default_message
                        on:input=move |ev| message.set(event_target_value(&ev))/>
                </div>
                <fieldset class="field">
                    <legend>"Commit to"</legend>
                    <label>
                        <input type="radio" name="target" value="branch" checked=true
                            on:change=move |_| direct.set(false)/>
                        " a new branch (studio/…)"
                    </label>
                    <label>
                        <input type="radio" name="target" value="direct" disabled=!allow_direct
                            on:change=move |_| direct.set(true)/>
                        {format!(" {default_branch} directly")}
                        {(!allow_direct).then_some(" (not allowed on this server)")}
                    </label>
                </fieldset>
                <label class="field checkbox">
                    <input type="checkbox" name="pull_request"
                        on:change=move |ev| pull_request.set(event_target_checked(&ev))/>
                    " Open a pull request"
                </label>
                {move || others.get().filter(|o| !o.is_empty()).map(|list| view! {
                    <fieldset class="field also-drafts">
                        <legend>"Also commit your other drafts"</legend>
                        {list.into_iter().map(|d| {
                            let key = format!("{}/{}", d.namespace, d.name);
                            let k = key.clone();
                            view! {
                                <label class="also-draft">
                                    <input type="checkbox" name="also" value=key.clone()
                                        disabled={d.errors > 0}
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            also.update(|a| {
                                                a.retain(|x| x != &k);
                                                if on {
                                                    a.push(k.clone());
                                                }
                                            });
                                        }/>
                                    {format!(" {key} ({}: {})", d.kind, d.new_file)}
                                    {(d.errors > 0).then(|| format!(" — {} error(s)", d.errors))}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                })}
                {move || (may_override && errors() > 0).then(|| view! {
                    <fieldset class="field override">
                        <legend>"Validation override (admin)"</legend>
                        <label class="checkbox">
                            <input type="checkbox" name="override"
                                on:change=move |ev| overriding.set(event_target_checked(&ev))/>
                            " Commit despite the errors"
                        </label>
                        <label for="override-reason">"Reason (recorded in the commit)"</label>
                        <textarea id="override-reason" name="override_reason" rows="2"
                            disabled=move || !overriding.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    </fieldset>
                })}
                <button type="submit" class="commit" disabled=blocked>
                    {move || if errors() > 0 && overridden() { "Commit anyway" } else { "Commit" }}
                </button>
            </form>
            {move || busy.get().then(|| view! {
                <p class="progress commit-progress" role="status" aria-busy="true">
                    <span class="spinner" aria-hidden="true"></span>
                    {if result.with(Option::is_some) {
                        "Pushing the commit…"
                    } else {
                        "Committing and pushing…"
                    }}
                </p>
            })}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || ed.draft.get().filter(|d| !d.diagnostics.is_empty()).map(|d| {
                let open = d.errors > 0;
                view! {
                <details class="draft-diagnostics" open=open>
                    <summary>{format!(
                        "{} error(s), {} warning(s), {} info(s) in the files this commit writes",
                        d.errors, d.warnings, d.infos
                    )}</summary>
                    <ul class="diagnostics">
                        {d.diagnostics.into_iter().map(|x| view! {
                            <li class=format!("diagnostic severity-{}", x.severity.label())>
                                <code>{x.code.clone()}</code>" "
                                {format!("{}:{}:{} {}", x.file, x.line, x.column, x.message)}
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
                }
            })}
            {move || result.get().map(|r| {
                let pushed = r.pushed;
                view! {
                    <dl class="commit-result" data-pushed=pushed.to_string()>
                        <dt>"Commit"</dt><dd><code class="commit-id">{r.commit.clone()}</code></dd>
                        <dt>"Branch"</dt><dd><code class="commit-branch">{r.branch.clone()}</code></dd>
                        <dt>"Push"</dt>
                        <dd class="push-state">
                            {if pushed {
                                "pushed".to_owned()
                            } else {
                                format!(
                                    "not pushed yet ({} attempt(s)){}",
                                    r.push_attempts,
                                    r.error.clone().map(|e| format!(": {e}")).unwrap_or_default()
                                )
                            }}
                            {(!pushed).then(|| view! {
                                <button type="button" class="retry-push" on:click=retry
                                    disabled=move || busy.get()>"Retry push"</button>
                            })}
                        </dd>
                        {r.pull_request.clone().map(|url| {
                            let href = url.clone();
                            view! {
                                <dt>"Pull request"</dt>
                                <dd><a class="pr-link" href=href target="_blank" rel="noopener">{url}</a></dd>
                            }
                        })}
                    </dl>
                }
            })}
        </div>
    }
}
