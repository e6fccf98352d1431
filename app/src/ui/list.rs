//! Dashboard lists: all dashboards on the home page, one folder tier on its
//! page, both with a search box (title, uid, tag, metric name in queries)
//! and the "New dashboard" form.

use dashstudio_core::model::Deployment;
use dashstudio_core::DashboardSummary;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::server_fns::browse::{file_problems, list_dashboards};
use crate::ui::format::{bytes, dashboard_href};
use crate::ui::new_dashboard::NewDashboardForm;

/// `/`: every dashboard, and the files the scanner could not read.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <DashboardList folder=Signal::derive(|| None)/>
        <FileProblems/>
    }
}

/// Files that are not readable YAML: reported, never fatal to the scan.
#[component]
fn FileProblems() -> impl IntoView {
    let problems = Resource::new(|| (), |_| file_problems());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                problems.await.ok().filter(|p| !p.is_empty()).map(|list| view! {
                    <section class="file-problems">
                        <h2>{format!("Files that could not be read ({})", list.len())}</h2>
                        <ul>
                            {list.into_iter().map(|p| view! {
                                <li class="file-problem">
                                    <code>{format!("{}:{}:{}", p.file, p.line, p.column)}</code>
                                    " "
                                    <span class="message">{p.message}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// `/folders/:folder`: the dashboards of one folder tier.
#[component]
pub fn FolderPage() -> impl IntoView {
    let params = use_params_map();
    let folder = Signal::derive(move || params.read().get("folder"));
    view! { <DashboardList folder/> }
}

#[component]
fn DashboardList(folder: Signal<Option<String>>) -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").filter(|q| !q.trim().is_empty()));
    let dashboards = Resource::new(
        move || (folder.get(), q.get()),
        |(f, q)| list_dashboards(f, q),
    );
    let heading = move || folder.get().unwrap_or_else(|| "All dashboards".to_owned());
    view! {
        <section class="list-page">
            <div class="list-header">
                <h1>{heading}</h1>
                <form class="search" method="get" action="" role="search">
                    <label for="search" class="visually-hidden">"Search dashboards"</label>
                    <input
                        id="search"
                        type="search"
                        name="q"
                        placeholder="Search title, uid, tag or metric…"
                        prop:value=move || q.get().unwrap_or_default()
                    />
                    <button type="submit">"Search"</button>
                </form>
            </div>
            <Suspense fallback=|| view! { <p class="loading">"Loading dashboards…"</p> }>
                {move || Suspend::new(async move {
                    match dashboards.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty">"No dashboard matches."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <NewDashboardForm
                                folder=folder.get_untracked()
                                namespace=list[0].namespace.clone()
                            />
                            <p class="result-count">{format!("{} dashboards", list.len())}</p>
                            <ul class="dashboard-list">
                                {list.into_iter().map(|d| view! { <DashboardItem d/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DashboardItem(d: DashboardSummary) -> impl IntoView {
    let href = dashboard_href(&d.namespace, &d.name);
    let deployment = match &d.deployment {
        Deployment::Listed { .. } => None,
        Deployment::Disabled { .. } => Some(("badge-disabled", "disabled in kustomization")),
        Deployment::Unlisted => Some(("badge-unlisted", "not in any kustomization")),
    };
    view! {
        <li class="dashboard-item">
            <a class="dashboard-link" href=href>
                <span class="title">{d.title.clone()}</span>
            </a>
            {d.broken.then(|| view! { <span class="badge badge-broken">"broken JSON"</span> })}
            {deployment.map(|(class, text)| view! { <span class=format!("badge {class}")>{text}</span> })}
            <span class="meta">
                <span class="folder">{d.folder.clone()}</span>
                " · "
                <code class="uid">{d.uid.clone().unwrap_or_else(|| "no uid".to_owned())}</code>
                " · "
                {format!("{} panels", d.panels)}
                " · "
                {bytes(d.size)}
                " · "
                <span class="source">{d.source.label()}</span>
            </span>
            <span class="tags">
                {d.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}
            </span>
        </li>
    }
}
