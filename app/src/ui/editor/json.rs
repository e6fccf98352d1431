//! The JSON tab: the whole dashboard JSON in a textarea, parsed on every
//! keystroke in the browser (line and column of a syntax error at once) and
//! validated by the server's engine shortly after typing stops (the engine
//! and its schemas stay out of the wasm bundle); Apply replaces the dashboard
//! in the draft, only when the text parses.

use std::time::Duration;

use dashstudio_core::validate::Diagnostic;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::state::{server_message, Ed};
use crate::server_fns::editor::check_dashboard_json;

/// Quiet time after typing before the full validation runs.
const VALIDATE_DELAY: Duration = Duration::from_millis(400);

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
    let check_error: RwSignal<Option<String>> = RwSignal::new(None);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let applied = RwSignal::new(false);
    // Answers to older texts are dropped: only the latest request counts.
    let sequence = StoredValue::new(0_u64);
    let validate = move || {
        let t = text.get_untracked();
        sequence.update_value(|n| *n += 1);
        let mine = sequence.get_value();
        if parse_problem(&t).is_some() {
            diagnostics.try_set(Vec::new());
            return;
        }
        spawn_local(async move {
            let answer = check_dashboard_json(t).await;
            if sequence.try_get_value() != Some(mine) {
                return;
            }
            match answer {
                Ok(found) => {
                    diagnostics.try_set(found);
                    check_error.try_set(None);
                }
                Err(e) => {
                    check_error.try_set(Some(server_message(&e)));
                }
            }
        });
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
                {move || check_error.get().map(|e| view! {
                    <p class="json-check-error">{format!("The server could not validate the JSON: {e}")}</p>
                })}
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
