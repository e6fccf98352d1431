//! The JSON tab: the whole dashboard JSON in a textarea, parsed on every
//! keystroke and validated (core's engine, in the browser) shortly after;
//! Apply replaces the dashboard in the draft, only when the text parses.

use std::time::Duration;

use dashstudio_core::validate::{validate_document, Diagnostic, Options};
use leptos::prelude::*;
use serde_json::Value;

use super::state::Ed;

/// Quiet time after typing before the full validation runs.
const VALIDATE_DELAY: Duration = Duration::from_millis(300);

/// Why the text is not a dashboard JSON object: message, line, column.
fn parse_problem(text: &str) -> Option<(String, usize, usize)> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(_)) => None,
        Ok(_) => Some(("a dashboard is a JSON object `{…}`".to_owned(), 1, 1)),
        Err(e) => {
            let message = e.to_string();
            // serde_json appends " at line L column C"; we show them apart.
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.clone(), |(m, _)| m.to_owned());
            Some((message, e.line(), e.column()))
        }
    }
}

#[component]
pub fn JsonTab(raw: Option<String>) -> impl IntoView {
    let ed = expect_context::<Ed>();
    let initial = ed
        .dashboard
        .with_untracked(|d| {
            d.as_ref()
                .and_then(|v| serde_json::to_string_pretty(v).ok())
        })
        .or(raw)
        .unwrap_or_default();
    let text = RwSignal::new(initial.clone());
    let problem = Memo::new(move |_| text.with(|t| parse_problem(t)));
    let diagnostics: RwSignal<Vec<Diagnostic>> = RwSignal::new(Vec::new());
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let applied = RwSignal::new(false);
    let options = Options {
        external_datasources: ed
            .datasources
            .get_value()
            .into_iter()
            .flat_map(|d| [Some(d.name), d.uid])
            .flatten()
            .collect(),
    };
    let options = StoredValue::new(options);
    let validate = move || {
        let t = text.get_untracked();
        let found = if parse_problem(&t).is_none() {
            options.with_value(|o| validate_document(&t, o).diagnostics)
        } else {
            Vec::new()
        };
        diagnostics.try_set(found);
    };
    // First validation once the tab is shown in the browser.
    Effect::new(move |_| validate());

    let on_input = move |ev| {
        text.set(event_target_value(&ev));
        applied.set(false);
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        timer.set_value(set_timeout_with_handle(validate, VALIDATE_DELAY).ok());
    };
    let apply = move |_| {
        let typed = text.get_untracked();
        if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(&typed) {
            ed.replace(v, typed);
            applied.set(true);
        }
    };
    view! {
        <div class="json-tab">
            <label for="dashboard-json">"Dashboard JSON"</label>
            <textarea
                id="dashboard-json"
                class="json-text"
                spellcheck="false"
                rows="30"
                aria-describedby="json-problems"
                aria-invalid=move || problem.with(Option::is_some).to_string()
                on:input=on_input
            >{initial}</textarea>
            <div class="json-actions">
                <button type="button" class="apply-json" on:click=apply
                    disabled=move || problem.with(Option::is_some)>
                    "Apply"
                </button>
                {move || applied.get().then(|| view! {
                    <span class="applied" role="status">"Applied to the draft."</span>
                })}
            </div>
            <div id="json-problems" class="json-problems" aria-live="polite">
                {move || problem.get().map(|(message, line, column)| view! {
                    <p class="json-problem severity-error" role="alert">
                        {format!("Line {line}, column {column}: {message}")}
                    </p>
                })}
                <ul class="diagnostics">
                    {move || diagnostics.get().into_iter().map(|d| view! {
                        <li class=format!("diagnostic severity-{}", d.severity.label())>
                            {format!("Line {}, column {}: ", d.line, d.column)}
                            <code>{d.code.clone()}</code>" "{d.message.clone()}
                        </li>
                    }).collect_view()}
                </ul>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_problems_carry_line_and_column() {
        assert_eq!(parse_problem("{\"title\": \"x\"}"), None);
        let (message, line, column) = parse_problem("{\n  \"title\": \"x\"]\n}").expect("broken");
        assert_eq!((line, column), (2, 15));
        assert!(!message.contains(" at line "), "{message}");
        assert_eq!(parse_problem("[]").map(|p| p.1), Some(1));
    }
}
