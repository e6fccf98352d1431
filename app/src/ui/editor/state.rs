//! The editor's state in the browser: the dashboard JSON being edited, its
//! draft's save state, and the debounced autosave through `save_draft`.

use std::time::Duration;

use dashstudio_core::model::DashboardModel;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use crate::server_fns::editor::{save_draft, DatasourceChoice, DraftState, EditSession};

/// Quiet time after the last edit before the draft is saved.
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(700);

/// Where the edits stand against the saved draft.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveState {
    /// Nothing edited since opening, and no draft.
    Clean,
    /// The draft holds every edit.
    Saved,
    Unsaved,
    Saving,
    Failed(String),
}

impl SaveState {
    pub fn label(&self) -> String {
        match self {
            SaveState::Clean => "No changes".to_owned(),
            SaveState::Saved => "Draft saved".to_owned(),
            SaveState::Unsaved => "Unsaved changes".to_owned(),
            SaveState::Saving => "Saving draft…".to_owned(),
            SaveState::Failed(e) => format!("Draft not saved: {e}"),
        }
    }

    /// A short name for styling and tests.
    pub fn key(&self) -> &'static str {
        match self {
            SaveState::Clean => "clean",
            SaveState::Saved => "saved",
            SaveState::Unsaved => "unsaved",
            SaveState::Saving => "saving",
            SaveState::Failed(_) => "failed",
        }
    }

    /// Edits exist that the draft does not hold yet.
    pub fn pending(&self) -> bool {
        matches!(
            self,
            SaveState::Unsaved | SaveState::Saving | SaveState::Failed(_)
        )
    }
}

/// Everything the editor's components share (all `Copy` handles).
#[derive(Clone, Copy)]
pub struct Ed {
    pub namespace: StoredValue<String>,
    pub name: StoredValue<String>,
    /// The dashboard JSON as edited (`None` while its JSON does not parse).
    pub dashboard: RwSignal<Option<Value>>,
    /// The dashboard as the browse model reads it (panels, targets, languages).
    pub model: Memo<Option<DashboardModel>>,
    pub base_version: StoredValue<Option<String>>,
    pub save: RwSignal<SaveState>,
    pub draft: RwSignal<Option<DraftState>>,
    pub selected: RwSignal<Option<i64>>,
    /// Bumped when the dashboard changes other than by typing in a form
    /// (panels added or removed, JSON applied): forms re-read their values.
    pub epoch: RwSignal<u64>,
    pub datasources: StoredValue<Vec<DatasourceChoice>>,
    /// The JSON tab's text as last applied: saved as typed while the
    /// dashboard is still what it says (a broken file's fix keeps its layout).
    typed: StoredValue<Option<String>>,
    /// Edits made so far (to tell a stale save response from a current one).
    generation: StoredValue<u64>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl Ed {
    pub fn new(namespace: String, name: String, session: &EditSession) -> Ed {
        let dashboard = RwSignal::new(
            session
                .dashboard
                .as_deref()
                .and_then(|t| serde_json::from_str::<Value>(t).ok()),
        );
        let model = Memo::new(move |_| {
            dashboard.with(|d| d.as_ref().map(dashstudio_core::dashboard::read_model))
        });
        Ed {
            namespace: StoredValue::new(namespace),
            name: StoredValue::new(name),
            dashboard,
            model,
            base_version: StoredValue::new(session.base_version.clone()),
            save: RwSignal::new(if session.draft.is_some() {
                SaveState::Saved
            } else {
                SaveState::Clean
            }),
            draft: RwSignal::new(session.draft.clone()),
            selected: RwSignal::new(None),
            epoch: RwSignal::new(0),
            datasources: StoredValue::new(session.datasources.clone()),
            typed: StoredValue::new(None),
            generation: StoredValue::new(0),
            timer: StoredValue::new(None),
        }
    }

    /// Applies an edit to the dashboard JSON and schedules the autosave.
    pub fn edit(&self, f: impl FnOnce(&mut Value) -> Result<(), String>) -> Result<(), String> {
        let mut result = Ok(());
        self.dashboard.update(|d| match d.as_mut() {
            Some(v) => result = f(v),
            None => {
                result = Err("the dashboard JSON does not parse; fix it in the JSON tab".into())
            }
        });
        if result.is_ok() {
            self.changed();
        }
        result
    }

    /// Like [`Ed::edit`], for structural changes that forms must re-read.
    pub fn restructure(
        &self,
        f: impl FnOnce(&mut Value) -> Result<(), String>,
    ) -> Result<(), String> {
        let r = self.edit(f);
        if r.is_ok() {
            self.epoch.update(|e| *e += 1);
        }
        r
    }

    /// Replaces the whole dashboard (the JSON tab's Apply of `text`).
    pub fn replace(&self, value: Value, text: String) {
        self.typed.set_value(Some(text));
        self.dashboard.set(Some(value));
        self.epoch.update(|e| *e += 1);
        self.changed();
    }

    fn changed(&self) {
        self.generation.update_value(|g| *g += 1);
        self.save.set(SaveState::Unsaved);
        if let Some(h) = self.timer.get_value() {
            h.clear();
        }
        let ed = *self;
        let handle = set_timeout_with_handle(move || ed.flush(), AUTOSAVE_DELAY).ok();
        self.timer.set_value(handle);
    }

    /// Saves now what is not saved yet.
    pub fn flush(&self) {
        if let Some(h) = self.timer.try_get_value().flatten() {
            h.clear();
        }
        self.timer.try_set_value(None);
        if !self.save.try_get_untracked().is_some_and(|s| s.pending()) {
            return;
        }
        let Some(Some(value)) = self.dashboard.try_get_untracked() else {
            return;
        };
        let generation = self.generation.get_value();
        let typed = self
            .typed
            .get_value()
            .filter(|t| serde_json::from_str::<Value>(t).is_ok_and(|v| v == value));
        let as_typed = typed.is_some();
        let text = typed.unwrap_or_else(|| value.to_string());
        let (namespace, name) = (self.namespace.get_value(), self.name.get_value());
        let base = self.base_version.get_value();
        self.save.set(SaveState::Saving);
        let ed = *self;
        spawn_local(async move {
            let result = save_draft(namespace, name, text, base, as_typed).await;
            // The editor may be gone (navigated away): the draft is saved all the same.
            let Some(current) = ed.generation.try_get_value() else {
                return;
            };
            match result {
                Ok(draft) => {
                    ed.draft.try_set(Some(draft));
                    if current == generation {
                        ed.save.try_set(SaveState::Saved);
                    } else {
                        ed.save.try_set(SaveState::Unsaved);
                    }
                }
                Err(e) => {
                    ed.save.try_set(SaveState::Failed(server_message(&e)));
                }
            }
        });
    }
}

/// The message of a server function error, without the error kind prefix.
pub fn server_message(e: &ServerFnError) -> String {
    match e {
        ServerFnError::ServerError(m) => m.clone(),
        other => other.to_string(),
    }
}

/// The query text field of a target JSON object (`expr`, else `query`).
pub fn query_field(target: &Value) -> &'static str {
    if target.get("expr").is_some() || target.get("query").is_none() {
        "expr"
    } else {
        "query"
    }
}

/// The panel JSON object with this id (rows' children too).
pub fn panel_of(dashboard: &Value, id: i64) -> Option<&Value> {
    dashstudio_core::edit::ops::find_panel(dashboard, id)
}
