//! A code textarea that CodeMirror 6 takes over in the browser.
//!
//! The server renders a plain textarea (it works before hydration and
//! without scripts). Once hydrated, the component asks the CodeMirror bundle
//! (`codemirror/src/index.js`, served as `/codemirror/codemirror.js`) to show
//! an editor in its host element: highlighting, brackets, completion, undo.
//! Edits come back as `input` events on the textarea, so the caller's
//! handler is the same with or without CodeMirror. The caller's own checks
//! (core in wasm, or the server's engine) are the editor's linter: their
//! marks are pushed into the editor as diagnostics.
//! When the bundle is missing the textarea simply stays.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use dashstudio_core::syntax::floor_char_boundary;
use dashstudio_core::validate::Severity;
use leptos::html;
use leptos::prelude::*;
use serde::Serialize;

/// A diagnostic shown in the editor: a range in UTF-16 code units (the
/// browser's string offsets), a severity and a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mark {
    pub from: usize,
    pub to: usize,
    pub severity: &'static str,
    pub message: String,
}

impl Mark {
    /// A mark over the byte range `start..end` of `text` (clamped to char
    /// boundaries); an empty range marks the character after it.
    pub fn span(text: &str, start: usize, end: usize, severity: Severity, message: &str) -> Self {
        let from = utf16_offset(text, start);
        let to = utf16_offset(text, end.max(start));
        Mark {
            from,
            to: if to == from { from + 1 } else { to },
            severity: cm_severity(severity),
            message: message.to_owned(),
        }
    }

    /// A mark on the character at 1-based `line` and `column` (in characters).
    pub fn at(text: &str, line: usize, column: usize, severity: Severity, message: &str) -> Self {
        let start = byte_offset(text, line, column);
        Self::span(text, start, start, severity, message)
    }
}

fn cm_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// The UTF-16 offset of byte offset `byte` of `text`.
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    text[..floor_char_boundary(text, byte)]
        .encode_utf16()
        .count()
}

/// The byte offset of 1-based `line` and `column` (characters), clamped to
/// the line's end and the text's end.
pub fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = text[start..].split('\n').next().unwrap_or("");
    start
        + line_text
            .char_indices()
            .nth(column.max(1) - 1)
            .map_or(line_text.len(), |(i, _)| i)
}

/// Languages the CodeMirror bundle knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeLanguage {
    PromQl,
    LogQl,
    TraceQl,
    Json,
    Plain,
}

impl CodeLanguage {
    fn name(self) -> &'static str {
        match self {
            CodeLanguage::PromQl => "promql",
            CodeLanguage::LogQl => "logql",
            CodeLanguage::TraceQl => "traceql",
            CodeLanguage::Json => "json",
            CodeLanguage::Plain => "plain",
        }
    }
}

impl From<dashstudio_core::model::QueryLanguage> for CodeLanguage {
    fn from(language: dashstudio_core::model::QueryLanguage) -> Self {
        use dashstudio_core::model::QueryLanguage as Q;
        match language {
            Q::PromQL => CodeLanguage::PromQl,
            Q::LogQL => CodeLanguage::LogQl,
            Q::TraceQL => CodeLanguage::TraceQl,
            Q::Other => CodeLanguage::Plain,
        }
    }
}

/// The textarea and, once hydrated, the CodeMirror editor over it.
/// `on_input` receives the whole text after every edit; setting `jump` to a
/// UTF-16 offset puts the editor's cursor there, in view (the textarea's
/// without the editor).
#[component]
pub fn CodeText(
    #[prop(into)] id: String,
    class: &'static str,
    language: CodeLanguage,
    initial: String,
    rows: usize,
    #[prop(optional, into)] described_by: Option<String>,
    #[prop(optional)] read_only: bool,
    #[prop(into)] invalid: Signal<bool>,
    #[prop(into)] marks: Signal<Vec<Mark>>,
    #[prop(optional, into)] on_input: Option<Callback<String>>,
    #[prop(optional)] jump: Option<RwSignal<Option<usize>>>,
) -> impl IntoView {
    let area = NodeRef::<html::Textarea>::new();
    let host = NodeRef::<html::Div>::new();
    // 0: not mounted (yet, or no bundle).
    let editor = Arc::new(AtomicU32::new(0));
    let tried = Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let editor = Arc::clone(&editor);
        Effect::new(move |_| {
            let list = marks.with(|m| serde_json::to_string(m).unwrap_or_else(|_| "[]".into()));
            if !tried.swap(true, Ordering::Relaxed) {
                if let (Some(h), Some(a)) = (host.get_untracked(), area.get_untracked()) {
                    editor.store(
                        js::mount(&h, &a, language.name(), read_only),
                        Ordering::Relaxed,
                    );
                }
            }
            js::set_diagnostics(editor.load(Ordering::Relaxed), &list);
        });
    }
    if let Some(jump) = jump {
        let editor = Arc::clone(&editor);
        Effect::new(move |_| {
            let Some(at) = jump.get() else { return };
            match editor.load(Ordering::Relaxed) {
                0 => {
                    if let Some(a) = area.get_untracked() {
                        let at = u32::try_from(at).unwrap_or(u32::MAX);
                        let _ = a.set_selection_range(at, at);
                        let _ = a.focus();
                    }
                }
                id => js::reveal(id, at),
            }
        });
    }
    on_cleanup(move || js::destroy(editor.load(Ordering::Relaxed)));
    view! {
        <textarea
            id=id
            node_ref=area
            class=class
            rows=rows.to_string()
            spellcheck="false"
            readonly=read_only
            aria-describedby=described_by
            aria-invalid=move || invalid.get().to_string()
            on:input=move |ev| {
                if let Some(f) = on_input {
                    f.run(event_target_value(&ev));
                }
            }
        >{initial}</textarea>
        <div class="code-host" node_ref=host></div>
    }
}

/// The calls into the CodeMirror bundle; no-ops on the server and when the
/// bundle did not load (a missing global throws, and the throw is caught).
#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(catch, js_namespace = DashstudioCodeMirror, js_name = mount)]
        fn cm_mount(
            host: &JsValue,
            textarea: &JsValue,
            language: &str,
            read_only: bool,
        ) -> Result<u32, JsValue>;
        #[wasm_bindgen(catch, js_namespace = DashstudioCodeMirror, js_name = setDiagnostics)]
        fn cm_set_diagnostics(id: u32, list: &str) -> Result<(), JsValue>;
        #[wasm_bindgen(catch, js_namespace = DashstudioCodeMirror, js_name = reveal)]
        fn cm_reveal(id: u32, at: usize) -> Result<(), JsValue>;
        #[wasm_bindgen(catch, js_namespace = DashstudioCodeMirror, js_name = destroy)]
        fn cm_destroy(id: u32) -> Result<(), JsValue>;
    }

    pub fn mount(
        host: &impl AsRef<JsValue>,
        textarea: &impl AsRef<JsValue>,
        language: &str,
        read_only: bool,
    ) -> u32 {
        cm_mount(host.as_ref(), textarea.as_ref(), language, read_only).unwrap_or(0)
    }

    pub fn set_diagnostics(id: u32, list: &str) {
        if id != 0 {
            let _ = cm_set_diagnostics(id, list);
        }
    }

    pub fn reveal(id: u32, at: usize) {
        let _ = cm_reveal(id, at);
    }

    pub fn destroy(id: u32) {
        if id != 0 {
            let _ = cm_destroy(id);
        }
    }
}

#[cfg(not(feature = "hydrate"))]
mod js {
    pub fn mount<H, T>(_host: &H, _textarea: &T, _language: &str, _read_only: bool) -> u32 {
        0
    }
    pub fn set_diagnostics(_id: u32, _list: &str) {}
    pub fn reveal(_id: u32, _at: usize) {}
    pub fn destroy(_id: u32) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_utf16_units_and_lines() {
        let text = "a=\"é😀\"\nsecond line";
        assert_eq!(utf16_offset(text, 0), 0);
        // é is 2 bytes and 1 unit, 😀 is 4 bytes and 2 units.
        assert_eq!(utf16_offset(text, 3 + 2 + 4), 3 + 1 + 2);
        // Inside a character: its start.
        assert_eq!(utf16_offset(text, 4), 3);
        assert_eq!(byte_offset(text, 1, 1), 0);
        assert_eq!(byte_offset(text, 1, 5), 3 + 2);
        assert_eq!(byte_offset(text, 1, 6), 3 + 2 + 4);
        assert_eq!(byte_offset(text, 2, 8), text.find("line").expect("line"));
        // Past the line's end: the line's end; past the last line: the text's end.
        assert_eq!(byte_offset(text, 1, 99), text.find('\n').expect("newline"));
        assert_eq!(byte_offset(text, 9, 1), text.len());
    }

    #[test]
    fn an_empty_span_marks_one_character() {
        let m = Mark::span("rate(x[5m]", 10, 10, Severity::Error, "unclosed");
        assert_eq!((m.from, m.to, m.severity), (10, 11, "error"));
        let m = Mark::at("{\n  \"a\": ]\n}", 2, 8, Severity::Warning, "w");
        assert_eq!((m.from, m.to, m.severity), (9, 10, "warning"));
    }
}
