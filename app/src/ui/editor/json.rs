//! The JSON tab: the whole dashboard JSON in a code editor (`code`), parsed on every
//! keystroke in the browser (line and column of a syntax error at once) and
//! validated by the server's engine shortly after typing stops (the engine
//! and its schemas stay out of the wasm bundle); Apply replaces the dashboard
//! in the draft, only when the text parses.

use std::time::Duration;

use dashstudio_core::validate::{Diagnostic, Severity};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::code::{byte_offset, utf16_offset, CodeLanguage, CodeText, Mark};
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

    // The editor's diagnostics: the syntax error while there is one, else
    // the engine's findings (lines and columns of the text as typed).
    let marks = Signal::derive(move || {
        text.with(|t| match problem.get() {
            Some((message, line, column)) => {
                vec![Mark::at(t, line, column, Severity::Error, &message)]
            }
            None => diagnostics.with(|found| {
                found
                    .iter()
                    .filter(|d| d.line > 0)
                    .map(|d| {
                        Mark::at(
                            t,
                            d.line,
                            d.column,
                            d.severity,
                            &format!("{}: {}", d.code, d.message),
                        )
                    })
                    .collect()
            }),
        })
    });
    // A click on a problem puts the editor's cursor on it.
    let jump = RwSignal::new(None::<usize>);
    let go_to = move |line: usize, column: usize| {
        let at = text.with_untracked(|t| utf16_offset(t, byte_offset(t, line, column)));
        jump.set(Some(at));
    };
    let on_input = move |typed: String| {
        text.set(typed);
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
            <CodeText
                id="dashboard-json".to_owned()
                class="json-text"
                language=CodeLanguage::Json
                initial=initial
                rows=30
                described_by="json-problems"
                invalid=Signal::derive(move || problem.with(Option::is_some))
                marks=marks
                on_input=Callback::new(on_input)
                jump=jump
            />
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
                        <button type="button" class="link go-to" title="Show it in the editor"
                            on:click=move |_| go_to(line, column)>
                            {format!("Line {line}, column {column}")}
                        </button>
                        {format!(": {message}")}
                    </p>
                })}
                <ul class="diagnostics">
                    {move || diagnostics.get().into_iter().map(|d| view! {
                        <li class=format!("diagnostic severity-{}", d.severity.label())>
                            <button type="button" class="link go-to" title="Show it in the editor"
                                on:click=move |_| go_to(d.line, d.column)>
                                {format!("Line {}, column {}", d.line, d.column)}
                            </button>": "
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
