//! One dashboard: its identity and file, a broken badge with the parse error,
//! the panel grid, and every panel's queries with their language.

use dashstudio_core::model::{Dashboard, DashboardModel, Deployment, Panel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::server_fns::browse::get_dashboard;
use crate::server_fns::editor::open_editor;
use crate::ui::editor::{Editor, FocusPanel, FocusQuery};
use crate::ui::format::{bytes, folder_href, panel_title};
use crate::ui::grid::PanelGrid;
use crate::ui::layout::NotFound;

/// `/dashboards/:namespace/:name`.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            p.get("namespace").unwrap_or_default(),
            p.get("name").unwrap_or_default(),
        )
    };
    let dashboard = Resource::new(key, |(ns, name)| get_dashboard(ns, name));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading dashboard…"</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(Some(d)) => view! { <DashboardView d/> }.into_any(),
                    Ok(None) => {
                        let (namespace, name) = key();
                        view! { <NewDashboardView namespace name/> }.into_any()
                    }
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A dashboard the repository does not have: the user's draft creating it
/// opens in the editor; anything else is not found.
#[component]
fn NewDashboardView(namespace: String, name: String) -> impl IntoView {
    let session = {
        let (namespace, name) = (namespace.clone(), name.clone());
        Resource::new(|| (), move |_| open_editor(namespace.clone(), name.clone()))
    };
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading dashboard…"</p> }>
            {move || {
                let (namespace, name) = (namespace.clone(), name.clone());
                Suspend::new(async move {
                    let is_new = session
                        .await
                        .ok()
                        .and_then(|s| s.draft)
                        .is_some_and(|d| d.kind == "create");
                    if !is_new {
                        return view! { <NotFound what="dashboard".to_owned()/> }.into_any();
                    }
                    view! {
                        <Title text=format!("New dashboard {name} · Dashboard Studio")/>
                        <article class="dashboard-page new-dashboard">
                            <header class="dashboard-header">
                                <h1>{format!("{namespace}/{name}")}</h1>
                                <span class="badge badge-draft">"new (draft)"</span>
                            </header>
                            <Editor namespace name/>
                        </article>
                    }
                    .into_any()
                })
            }}
        </Suspense>
    }
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let title = d.title().to_owned();
    let deployment = match &d.deployment {
        Deployment::Listed { by } => format!("listed by {by}"),
        Deployment::Disabled { by, reason } => format!(
            "disabled in {by}{}",
            reason
                .as_ref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        ),
        Deployment::Unlisted => "not listed by any kustomization: ArgoCD never syncs it".to_owned(),
    };
    let model = d.model.clone();
    let (namespace, name) = (d.namespace.clone(), d.name.clone());
    let editable = d.source.is_embedded();
    // From the Problems page: `?panel=` opens the editor on that panel
    // (`&query=` puts the cursor in that query), `?line=` names the line.
    let query = use_query_map();
    let (focus, focus_query, line) = query.with_untracked(|q| {
        (
            q.get("panel").and_then(|p| p.parse::<i64>().ok()),
            q.get("query").and_then(|t| t.parse::<usize>().ok()),
            q.get("line").and_then(|l| l.parse::<usize>().ok()),
        )
    });
    provide_context(FocusPanel(focus));
    provide_context(FocusQuery(focus.and(focus_query)));
    let editing = RwSignal::new(editable && focus.is_some());
    let jump = line.map(|l| format!("{}:{l}", d.file));
    view! {
        <Title text=format!("{title} · Dashboard Studio")/>
        <article class="dashboard-page">
            <header class="dashboard-header">
                <h1>{title}</h1>
                {editable.then(|| view! {
                    <button
                        type="button"
                        class="edit-toggle"
                        aria-pressed=move || editing.get().to_string()
                        on:click=move |_| editing.update(|e| *e = !*e)
                    >
                        {move || if editing.get() { "Close editor" } else { "Edit" }}
                    </button>
                })}
                {d.content_error.clone().map(|e| view! {
                    <span class="badge badge-broken">"broken JSON"</span>
                    <p class="parse-error" role="alert">
                        {format!("spec.json does not parse at line {}, column {}: {}", e.line, e.column, e.message)}
                    </p>
                })}
            </header>
            {jump.map(|at| view! {
                <p class="jump-note" role="note">
                    "From Problems: " <code class="jump-place">{at}</code>
                    {focus.map(|id| format!(" (panel {id})"))}
                </p>
            })}
            <dl class="dashboard-meta">
                <dt>"uid"</dt><dd><code>{d.uid().unwrap_or("(none)").to_owned()}</code></dd>
                <dt>"folder"</dt><dd><a href=folder_href(&d.folder)>{d.folder.clone()}</a></dd>
                <dt>"resource"</dt><dd><code>{format!("{}/{}", d.namespace, d.name)}</code></dd>
                <dt>"file"</dt><dd><code>{d.file.clone()}</code></dd>
                <dt>"size"</dt><dd>{bytes(d.size)}</dd>
                <dt>"content"</dt><dd>{d.source.label()}</dd>
                <dt>"deployment"</dt><dd>{deployment}</dd>
                {model.as_ref().and_then(|m| m.schema_version).map(|v| view! {
                    <dt>"schemaVersion"</dt><dd>{v}</dd>
                })}
            </dl>
            {move || editing.get().then(|| view! {
                <Editor namespace=namespace.clone() name=name.clone()/>
            })}
            <div class="browse-view" class:hidden=move || editing.get()>
            {match model {
                Some(m) if !m.panels.is_empty() => view! {
                    <h2>"Layout"</h2>
                    <PanelGrid panels=m.panels.clone()/>
                    <Queries model=m/>
                }.into_any(),
                Some(_) => view! { <p class="empty">"This dashboard has no panels."</p> }.into_any(),
                None if d.source.is_embedded() => ().into_any(),
                None => view! {
                    <p class="empty">
                        {format!("The content comes from {} and is not stored in this repository.", d.source.label())}
                    </p>
                }.into_any(),
            }}
            </div>
        </article>
    }
}

/// Every panel's queries, rows' children included.
#[component]
fn Queries(model: DashboardModel) -> impl IntoView {
    let all: Vec<Panel> = model
        .all_panels()
        .filter(|p| !p.targets.is_empty())
        .cloned()
        .collect();
    view! {
        <section class="queries">
            <h2>"Queries"</h2>
            {all.into_iter().map(|p| view! {
                <div class="panel-queries">
                    <h3>{panel_title(&p.title)}
                        <span class="panel-type">{p.r#type.clone()}</span></h3>
                    <ul>
                        {p.targets.into_iter().map(|t| view! {
                            <li class="query">
                                <span class=format!("query-lang lang-{}", t.language.label().to_lowercase())>
                                    {t.language.label()}
                                </span>
                                <span class="ref-id">{t.ref_id.unwrap_or_default()}</span>
                                <span class="datasource">
                                    {t.datasource.or(p.datasource.clone()).map(|d| d.display()).unwrap_or_default()}
                                </span>
                                <pre><code>{t.query.unwrap_or_default()}</code></pre>
                            </li>
                        }).collect_view()}
                    </ul>
                </div>
            }).collect_view()}
        </section>
    }
}
