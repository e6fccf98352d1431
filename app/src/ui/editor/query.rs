//! One query of a panel: a code editor (CodeMirror over a textarea, see
//! `code`), and under it the query's problems as core (compiled to wasm)
//! finds them on every keystroke — message, the offending span highlighted in
//! the query, and help. The same problems are the editor's diagnostics.

use dashstudio_core::edit::ops::{self, PanelField};
use dashstudio_core::model::{QueryLanguage, Variable};
use dashstudio_core::syntax::floor_char_boundary;
use dashstudio_core::validate::{query_problems, QueryProblem, Severity};
use leptos::prelude::*;
use serde_json::Value;

use super::code::{utf16_offset, CodeText, Mark};
use super::state::{panel_of, Ed};

#[component]
pub fn QueryEditor(
    panel: i64,
    index: usize,
    ref_id: String,
    language: QueryLanguage,
    field: String,
    initial: String,
    variables: Vec<Variable>,
    #[prop(into)] on_error: Callback<String>,
    /// Put the cursor in this query (at its first problem) once shown.
    #[prop(optional)]
    focus: bool,
) -> impl IntoView {
    let ed = expect_context::<Ed>();
    let text = RwSignal::new(initial.clone());
    let problems = Memo::new(move |_| text.with(|q| query_problems(language, q, &variables)));
    let id = format!("panel-{panel}-query-{index}");
    let problems_id = format!("{id}-problems");
    let label = format!(
        "Query {} ({})",
        if ref_id.is_empty() {
            (index + 1).to_string()
        } else {
            ref_id
        },
        language.label()
    );
    let on_input = move |q: String| {
        text.set(q.clone());
        let field = field.clone();
        let r = ed.edit(|d| {
            let mut targets: Vec<Value> = panel_of(d, panel)
                .and_then(|p| p.get("targets"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let target = targets
                .get_mut(index)
                .and_then(Value::as_object_mut)
                .ok_or_else(|| format!("panel {panel} has no query {index}"))?;
            target.insert(field, Value::String(q));
            ops::set_panel_field(d, panel, PanelField::Targets, Value::Array(targets))
                .map_err(|e| e.to_string())
        });
        if let Err(e) = r {
            on_error.run(e);
        }
    };
    let rows = initial.lines().count().clamp(2, 12);
    let jump = RwSignal::new(focus.then(|| {
        problems
            .with_untracked(|p| p.iter().find_map(|x| x.start))
            .map_or(0, |s| utf16_offset(&initial, s))
    }));
    let marks = Signal::derive(move || {
        text.with(|q| problems.with(|found| found.iter().map(|p| mark(q, p)).collect::<Vec<_>>()))
    });
    let invalid =
        Signal::derive(move || problems.with(|p| p.iter().any(|x| x.severity == Severity::Error)));
    view! {
        <div class="query-editor" data-language=language.label().to_lowercase()>
            <label for=id.clone()>{label}</label>
            <CodeText
                id=id
                class="query-text"
                language=language.into()
                initial=initial
                rows=rows
                described_by=problems_id.clone()
                invalid=invalid
                marks=marks
                on_input=Callback::new(on_input)
                jump=jump
            />
            <div class="query-problems" id=problems_id aria-live="polite">
                {move || problems.get().into_iter().map(|p| view! {
                    <Problem problem=p text=text.get_untracked()/>
                }).collect_view()}
            </div>
        </div>
    }
}

/// The editor's mark for a problem: its span, or the whole query when the
/// parser gives no position (a PromQL grammar error: promql-parser drops
/// its position, and `locate` cannot tell it from an unfinished query).
fn mark(text: &str, p: &QueryProblem) -> Mark {
    let message = match &p.help {
        Some(h) => format!("{}\n{h}", p.message),
        None => p.message.clone(),
    };
    match p.start {
        Some(s) => Mark::span(text, s, p.end.unwrap_or(s), p.severity, &message),
        None => Mark::span(text, 0, text.len(), p.severity, &message),
    }
}

#[component]
fn Problem(problem: QueryProblem, text: String) -> impl IntoView {
    let severity = problem.severity.label();
    let at = problem.start.map(|s| {
        let (line, col) = dashstudio_core::syntax::line_col(&text, s);
        if text.contains('\n') {
            format!(" (line {line}, column {col})")
        } else {
            format!(" (at character {col})")
        }
    });
    let excerpt = problem.start.map(|s| {
        let s = floor_char_boundary(&text, s);
        let e = floor_char_boundary(&text, problem.end.unwrap_or(s).max(s));
        // The line that holds the span, with the span marked (a caret when empty).
        let line_start = text[..s].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[e..].find('\n').map_or(text.len(), |i| e + i);
        let (before, span, after) = (
            text[line_start..s].to_owned(),
            text[s..e].to_owned(),
            text[e..line_end].to_owned(),
        );
        let empty = span.is_empty();
        view! {
            <pre class="problem-excerpt"><code>
                {before}
                <mark class:caret=empty>{if empty { " ".to_owned() } else { span }}</mark>
                {after}
            </code></pre>
        }
    });
    view! {
        <div class=format!("query-problem severity-{severity}") role="alert">
            <p class="problem-message">
                <span class="severity">{severity}</span>" "
                {problem.message}{at}
            </p>
            {excerpt}
            {problem.help.map(|h| view! { <p class="problem-help">{h}</p> })}
        </div>
    }
}
