//! `/problems`: every diagnostic in the repository, filtered by severity,
//! code and folder (kept in the URL), each linked to its dashboard and panel.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::server_fns::problems::{list_problems, Problem, RepoProblems};
use crate::ui::format::{dashboard_href, encode_segment};

/// The filters of the page, as the URL's query holds them (`None`: any).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub severity: Option<String>,
    pub code: Option<String>,
    pub folder: Option<String>,
}

impl Filter {
    pub fn matches(&self, p: &Problem) -> bool {
        let d = &p.diagnostic;
        self.severity
            .as_deref()
            .is_none_or(|s| s == d.severity.label())
            && self.code.as_deref().is_none_or(|c| c == d.code)
            && self
                .folder
                .as_deref()
                .is_none_or(|f| p.dashboard.as_ref().is_some_and(|db| db.folder == f))
    }

    /// `/problems?…` with this filter.
    pub fn href(&self) -> String {
        let query: Vec<String> = [
            ("severity", &self.severity),
            ("code", &self.code),
            ("folder", &self.folder),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", encode_segment(v))))
        .collect();
        if query.is_empty() {
            "/problems".to_owned()
        } else {
            format!("/problems?{}", query.join("&"))
        }
    }
}

/// Where a problem's link goes: its dashboard, with the panel to select and
/// the line to show; `None` outside a dashboard.
pub fn problem_href(p: &Problem) -> Option<String> {
    let d = p.dashboard.as_ref()?;
    let mut href = format!(
        "{}?line={}",
        dashboard_href(&d.namespace, &d.name),
        p.diagnostic.line
    );
    if let Some(panel) = p.panel {
        href.push_str(&format!("&panel={panel}"));
        if let Some(query) = target_index(p.diagnostic.pointer.as_deref()) {
            href.push_str(&format!("&query={query}"));
        }
    }
    Some(href)
}

/// The index of the query a JSON pointer falls in (`…/targets/2/expr` → 2).
fn target_index(pointer: Option<&str>) -> Option<usize> {
    let (_, rest) = pointer?.rsplit_once("/targets/")?;
    rest.split('/').next()?.parse().ok()
}

/// The distinct values of `f` over the problems, sorted.
fn choices(all: &RepoProblems, f: impl Fn(&Problem) -> Option<String>) -> Vec<String> {
    let mut v: Vec<String> = all.problems.iter().filter_map(f).collect();
    v.sort();
    v.dedup();
    v
}

#[component]
pub fn ProblemsPage() -> impl IntoView {
    let problems = Resource::new(|| (), |_| list_problems());
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        Filter {
            severity: get("severity"),
            code: get("code"),
            folder: get("folder"),
        }
    });
    view! {
        <Title text="Problems · Dashboard Studio"/>
        <section class="problems-page">
            <h1>"Problems"</h1>
            <Suspense fallback=|| view! {
                <p class="loading progress" role="status" aria-busy="true">
                    <span class="spinner" aria-hidden="true"></span>"Validating the repository…"
                </p>
            }>
                {move || Suspend::new(async move {
                    match problems.await {
                        Ok(all) => view! { <ProblemList all filter/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ProblemList(all: RepoProblems, filter: Memo<Filter>) -> impl IntoView {
    let codes = choices(&all, |p| Some(p.diagnostic.code.clone()));
    let folders = choices(&all, |p| p.dashboard.as_ref().map(|d| d.folder.clone()));
    let total = all.problems.len();
    let unreadable = all.unreadable.clone();
    let all = StoredValue::new(all.problems);
    let navigate = use_navigate();
    let set = move |change: fn(&mut Filter, Option<String>), value: String| {
        let mut next = filter.get_untracked();
        change(&mut next, Some(value).filter(|v| !v.is_empty()));
        navigate(
            &next.href(),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    };
    let shown = Memo::new(move |_| {
        let f = filter.get();
        all.with_value(|all| {
            all.iter()
                .filter(|p| f.matches(p))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let select = move |id: &'static str,
                       label: &'static str,
                       any: &'static str,
                       options: Vec<String>,
                       current: fn(&Filter) -> Option<String>,
                       change: fn(&mut Filter, Option<String>)| {
        let set = set.clone();
        view! {
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| set(change, event_target_value(&ev))
                prop:value=move || current(&filter.get()).unwrap_or_default()>
                <option value="">{any}</option>
                {options.into_iter().map(|o| view! {
                    <option value=o.clone() selected=move || current(&filter.get()).as_deref() == Some(o.as_str())>
                        {o.clone()}
                    </option>
                }).collect_view()}
            </select>
        }
    };
    view! {
        <div class="problem-filters" role="search" aria-label="Filter problems">
            {select("filter-severity", "Severity", "any severity",
                vec!["error".to_owned(), "warning".to_owned(), "info".to_owned()],
                |f| f.severity.clone(), |f, v| f.severity = v)}
            {select("filter-code", "Code", "any code", codes, |f| f.code.clone(), |f, v| f.code = v)}
            {select("filter-folder", "Folder", "any folder", folders, |f| f.folder.clone(), |f, v| f.folder = v)}
        </div>
        <p class="problem-count" role="status" aria-live="polite">
            {move || format!("{} of {total} problems", shown.with(Vec::len))}
        </p>
        <table class="problems">
            <thead>
                <tr><th>"Severity"</th><th>"Code"</th><th>"Problem"</th><th>"Dashboard"</th><th>"Place"</th></tr>
            </thead>
            <tbody>
                {move || shown.get().into_iter().map(|p| {
                    let d = &p.diagnostic;
                    let place = format!("{}:{}:{}", d.file, d.line, d.column);
                    let href = problem_href(&p);
                    view! {
                        <tr class=format!("problem severity-{}", d.severity.label())
                            data-code=d.code.clone()>
                            <td><span class=format!("severity severity-{}", d.severity.label())>
                                {d.severity.label()}</span></td>
                            <td><code>{d.code.clone()}</code></td>
                            <td class="message">{d.message.clone()}</td>
                            <td>{p.dashboard.as_ref().map(|db| view! {
                                <span class="dashboard-title">{db.title.clone()}</span>
                                <span class="folder">{db.folder.clone()}</span>
                            })}</td>
                            <td>{match href {
                                Some(h) => view! {
                                    <a class="problem-place" href=h>{place}
                                        {p.panel.map(|id| format!(" · panel {id}"))}</a>
                                }.into_any(),
                                None => view! { <code class="problem-place">{place}</code> }.into_any(),
                            }}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {(!unreadable.is_empty()).then(|| view! {
            <h2>{format!("Files that could not be read ({})", unreadable.len())}</h2>
            <ul class="file-problems">
                {unreadable.into_iter().map(|p| view! {
                    <li class="file-problem">
                        <code>{format!("{}:{}:{}", p.file, p.line, p.column)}</code>" "{p.message}
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server_fns::problems::ProblemDashboard;
    use dashstudio_core::validate::{Diagnostic, Severity};

    fn problem(
        code: &str,
        severity: Severity,
        folder: Option<&str>,
        panel: Option<i64>,
    ) -> Problem {
        Problem {
            diagnostic: Diagnostic {
                code: code.to_owned(),
                severity,
                file: "dashboards/a.yaml".to_owned(),
                line: 12,
                column: 3,
                dashboard: None,
                pointer: None,
                message: "m".to_owned(),
                fix: None,
            },
            dashboard: folder.map(|f| ProblemDashboard {
                namespace: "grafana".to_owned(),
                name: "a b".to_owned(),
                title: "A".to_owned(),
                folder: f.to_owned(),
            }),
            panel,
        }
    }

    #[test]
    fn filters_combine_and_round_trip_through_the_url() {
        let p = problem(
            "query/promql-parse",
            Severity::Error,
            Some("Infra"),
            Some(4),
        );
        let f = Filter {
            severity: Some("error".to_owned()),
            code: None,
            folder: Some("Infra".to_owned()),
        };
        assert!(f.matches(&p));
        assert!(!Filter {
            severity: Some("warning".to_owned()),
            ..f.clone()
        }
        .matches(&p));
        assert!(!Filter {
            code: Some("x".to_owned()),
            ..f.clone()
        }
        .matches(&p));
        assert!(!f.matches(&problem("x", Severity::Error, None, None)));
        assert_eq!(f.href(), "/problems?severity=error&folder=Infra");
        assert_eq!(Filter::default().href(), "/problems");
    }

    #[test]
    fn links_go_to_the_dashboard_with_the_panel_and_line() {
        let p = problem("c", Severity::Info, Some("Infra"), Some(4));
        assert_eq!(
            problem_href(&p).as_deref(),
            Some("/dashboards/grafana/a%20b?line=12&panel=4")
        );
        // In a query (a row's panel, its second target): that query too.
        let mut p = problem("c", Severity::Info, Some("Infra"), Some(4));
        p.diagnostic.pointer = Some("/panels/3/panels/0/targets/1/expr".to_owned());
        assert_eq!(
            problem_href(&p).as_deref(),
            Some("/dashboards/grafana/a%20b?line=12&panel=4&query=1")
        );
        let p = problem("c", Severity::Info, Some("Infra"), None);
        assert_eq!(
            problem_href(&p).as_deref(),
            Some("/dashboards/grafana/a%20b?line=12")
        );
        assert_eq!(
            problem_href(&problem("c", Severity::Info, None, None)),
            None
        );
    }
}
