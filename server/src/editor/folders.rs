//! Folder operations of the browser editor, each a draft: move a dashboard to
//! another folder, rename it, delete it, create one (from a template); and
//! the user's drafts for the commit dialog.

use dashstudio_app::server_fns::editor::{DraftItem, DraftState, NewDashboard};
use serde_json::{json, Value};

use super::{draft_state, Acting};
use crate::error::ApiError;
use crate::service::drafts::{self, CreateDraft, Operation, Operations};

impl Acting {
    /// How a draft names the folder titled `title`: its GrafanaFolder by
    /// `folderRef` when one in the dashboard's namespace declares it, else the title.
    fn folder_value(&self, namespace: &str, title: &str) -> Result<Value, ApiError> {
        let title = title.trim();
        if title.is_empty() {
            return Err(ApiError::BadRequest("choose a folder".to_owned()));
        }
        let snapshot = self.snapshot();
        let by_crd = snapshot
            .index
            .folders()
            .into_iter()
            .find(|f| f.title == title)
            .and_then(|f| f.crd)
            .and_then(|crd| {
                let (ns, name) = crd.split_once('/')?;
                (ns == namespace).then(|| name.to_owned())
            });
        Ok(match by_crd {
            Some(name) => json!({ "folderRef": name }),
            None => json!({ "folder": title }),
        })
    }

    async fn operate_one(
        &self,
        namespace: &str,
        name: &str,
        op: Operation,
    ) -> Result<DraftState, ApiError> {
        let view = drafts::operate(
            self,
            &self.actor,
            namespace,
            name,
            Operations {
                operations: vec![op],
                base_version: None,
            },
        )
        .await?;
        Ok(draft_state(view))
    }

    pub(super) async fn move_dashboard(
        &self,
        namespace: &str,
        name: &str,
        folder: &str,
    ) -> Result<DraftState, ApiError> {
        let folder = self.folder_value(namespace, folder)?;
        self.operate_one(namespace, name, Operation::Move { folder })
            .await
    }

    pub(super) async fn rename_dashboard(
        &self,
        namespace: &str,
        name: &str,
        new_name: &str,
    ) -> Result<DraftState, ApiError> {
        let new_name = new_name.trim();
        if new_name == name {
            return Err(ApiError::BadRequest(format!(
                "the dashboard is already named {name}"
            )));
        }
        self.operate_one(
            namespace,
            name,
            Operation::Rename {
                name: new_name.to_owned(),
            },
        )
        .await
    }

    pub(super) async fn delete_dashboard(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<DraftState, ApiError> {
        self.operate_one(namespace, name, Operation::Delete).await
    }

    pub(super) async fn create_dashboard(
        &self,
        request: NewDashboard,
    ) -> Result<DraftState, ApiError> {
        let folder = match request.folder.as_deref().map(str::trim) {
            Some(f) if !f.is_empty() => Some(self.folder_value(&request.namespace, f)?),
            _ => None,
        };
        let template = request
            .template
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        let view = drafts::create(
            self,
            &self.actor,
            CreateDraft {
                namespace: request.namespace.trim().to_owned(),
                name: request.name.trim().to_owned(),
                title: request.title,
                folder,
                template,
                directory: None,
            },
        )
        .await?;
        Ok(draft_state(view))
    }

    pub(super) async fn my_drafts(&self) -> Result<Vec<DraftItem>, ApiError> {
        Ok(drafts::list(self, &self.actor)
            .await?
            .into_iter()
            .map(|d| DraftItem {
                kind: d.kind.as_str().to_owned(),
                new_file: d.new_file,
                errors: d.summary.errors,
                committed: d.commit.is_some(),
                namespace: d.namespace,
                name: d.name,
            })
            .collect())
    }
}

/// A folder reference of a draft as the user reads it.
pub(super) fn folder_label(v: &Value) -> String {
    ["folder", "folderUID", "folderRef"]
        .into_iter()
        .find_map(|k| v.get(k).and_then(Value::as_str))
        .map_or_else(|| v.to_string(), str::to_owned)
}
