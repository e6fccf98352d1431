//! The page frame: top bar with the repository and a fetch of its origin,
//! sidebar of folder tiers with their dashboard counts, and the not-found page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::server_fns::browse::overview;
use crate::server_fns::editor::{fetch_origin, FetchResult};
use crate::server_fns::session::current_session;
use crate::ui::editor::state::server_message;
use crate::ui::format::folder_href;

/// Fetch origin now: in progress (spinner, `aria-busy`, the button
/// disabled) while it runs, then what it brought.
#[component]
fn FetchButton() -> impl IntoView {
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<FetchResult, String>>);
    let fetch = move |_| {
        busy.set(true);
        outcome.set(None);
        leptos::task::spawn_local(async move {
            let r = fetch_origin().await.map_err(|e| server_message(&e));
            outcome.try_set(Some(r));
            busy.try_set(false);
        });
    };
    view! {
        <span class="fetch" aria-busy=move || busy.get().to_string()>
            <button type="button" class="fetch-origin" on:click=fetch disabled=move || busy.get()
                title="Fetch the repository's origin now and re-read what changed">
                "Fetch"
            </button>
            <span class="fetch-state" role="status" aria-live="polite">
                {move || if busy.get() {
                    view! { <span class="progress"><span class="spinner" aria-hidden="true"></span>"Fetching origin…"</span> }.into_any()
                } else {
                    match outcome.get() {
                        None => ().into_any(),
                        Some(Ok(r)) if r.head == r.previous => {
                            let head: String = r.head.chars().take(8).collect();
                            view! { <span class="fetch-result">{format!("Up to date ({head})")}</span> }.into_any()
                        }
                        Some(Ok(r)) => {
                            let head: String = r.head.chars().take(8).collect();
                            view! { <span class="fetch-result">{format!(
                                "Fetched {head}: {} file(s) changed; reload to see them",
                                r.changed_files
                            )}</span> }.into_any()
                        }
                        Some(Err(e)) => view! { <span class="fetch-error">{e}</span> }.into_any(),
                    }
                }}
            </span>
        </span>
    }
}

/// Top bar, sidebar and the routed page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let location = use_location();
    // The sign-in page stands alone: nothing of the repository before sign-in.
    if location.pathname.get_untracked() == "/signin" {
        return view! { <main class="signin-layout">{children()}</main> }.into_any();
    }
    let overview = Resource::new(|| (), |_| overview());
    let session = Resource::new(|| (), |_| current_session());
    view! {
        <div class="layout">
            <header class="topbar">
                <a class="brand" href="/">"Dashboard Studio"</a>
                <a class="nav-problems" href="/problems">"Problems"</a>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        overview.await.ok().map(|o| view! {
                            <span class="repo" title="repository">{o.repo}</span>
                            <span class="stats">
                                {format!("{} dashboards", o.dashboards)}
                                {(o.broken > 0).then(|| view! {
                                    <span class="stat-broken">{format!(" · {} broken", o.broken)}</span>
                                })}
                                {(o.problems > 0).then(|| format!(" · {} unreadable files", o.problems))}
                            </span>
                        })
                    })}
                </Suspense>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        session.await.ok().map(|s| match s.user {
                            Some(u) => view! {
                                {(u.role != "viewer").then(|| view! { <FetchButton/> })}
                                <form class="user-menu" method="post" action="/signout">
                                    <span class="user" title=u.username.clone()>
                                        {format!("{} · {}", u.name, u.role)}
                                    </span>
                                    <button type="submit" class="signout">"Sign out"</button>
                                </form>
                            }.into_any(),
                            None => view! {
                                <a class="user-menu signin-link" href="/signin">"Sign in"</a>
                            }.into_any(),
                        })
                    })}
                </Suspense>
            </header>
            <aside class="sidebar">
                <h2 class="sidebar-title">"Folders"</h2>
                <Suspense fallback=|| view! { <p class="loading">"Loading folders…"</p> }>
                    {move || Suspend::new(async move {
                        match overview.await {
                            Ok(o) => view! {
                                <nav class="folders" aria-label="Folder tiers">
                                    <ul>
                                        {o.folders.into_iter().map(|f| {
                                            let href = folder_href(&f.title);
                                            let current = {
                                                let href = href.clone();
                                                move || location.pathname.get() == href
                                            };
                                            view! {
                                                <li>
                                                    <a
                                                        class="folder-link"
                                                        class:active=current.clone()
                                                        aria-current=move || current().then_some("page")
                                                        href=href
                                                        data-folder=f.title.clone()
                                                    >
                                                        <span class="name">{f.title.clone()}</span>
                                                        <span class="count">{f.dashboards}</span>
                                                    </a>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </nav>
                            }.into_any(),
                            Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </aside>
            <main class="content">{children()}</main>
        </div>
    }
    .into_any()
}

/// A 404 page; sets the HTTP status when rendered on the server.
#[component]
pub fn NotFound(what: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="not-found">
            <h1>"Not found"</h1>
            <p>{format!("This {what} was not found in the repository.")}</p>
            <p><a href="/">"Back to all dashboards"</a></p>
        </section>
    }
}
