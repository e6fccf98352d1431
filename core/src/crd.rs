//! Recognising grafana-operator custom resources (`grafana.integreatly.org`)
//! in YAML documents and reading what the model needs from them.

use std::io::Read;

use base64::Engine;
use serde_json::Value;

use crate::dashboard::parse_dashboard_json;
use crate::model::{ContentError, ContentSource, DashboardModel};

/// The API group of the grafana-operator's resources.
pub const GROUP: &str = "grafana.integreatly.org";

/// A grafana-operator resource found in a document, before repository-wide
/// resolution (folders, deployment).
#[derive(Debug, Clone)]
pub enum Resource {
    Dashboard(Box<DashboardCrd>),
    Folder {
        namespace: Option<String>,
        name: String,
        title: String,
        uid: Option<String>,
    },
    Datasource {
        namespace: Option<String>,
        name: String,
        display_name: Option<String>,
        r#type: Option<String>,
        uid: Option<String>,
    },
}

/// The folder a dashboard CRD asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FolderSpec {
    Title(String),
    Uid(String),
    Ref(String),
    None,
}

/// A GrafanaDashboard as written, content decoded where it is embedded.
#[derive(Debug, Clone)]
pub struct DashboardCrd {
    pub namespace: Option<String>,
    pub name: String,
    pub folder: FolderSpec,
    pub source: ContentSource,
    pub model: Option<DashboardModel>,
    pub content_error: Option<ContentError>,
    /// The parsed dashboard JSON.
    /// Shared, so that a parsed file is cheap to clone (the server keeps
    /// parsed files and builds a repository from them for every draft).
    pub content: Option<std::sync::Arc<Value>>,
}

/// Every resource in a document: the document itself, or the items of a `List`.
pub fn resources_in(doc: &Value) -> Vec<Resource> {
    if doc.get("kind").and_then(Value::as_str) == Some("List") {
        return doc
            .get("items")
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(resource).collect())
            .unwrap_or_default();
    }
    resource(doc).into_iter().collect()
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str)
}

fn owned_at(v: &Value, pointer: &str) -> Option<String> {
    str_at(v, pointer)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Recognise one resource of the operator's API group.
pub fn resource(doc: &Value) -> Option<Resource> {
    let api_version = str_at(doc, "/apiVersion")?;
    if api_version.split('/').next() != Some(GROUP) {
        return None;
    }
    let kind = str_at(doc, "/kind")?;
    let name = owned_at(doc, "/metadata/name").unwrap_or_default();
    let namespace = owned_at(doc, "/metadata/namespace");
    match kind {
        "GrafanaDashboard" => Some(Resource::Dashboard(Box::new(dashboard(
            doc, namespace, name,
        )))),
        "GrafanaFolder" => Some(Resource::Folder {
            title: owned_at(doc, "/spec/title").unwrap_or_else(|| name.clone()),
            uid: owned_at(doc, "/spec/uid").or_else(|| owned_at(doc, "/metadata/uid")),
            namespace,
            name,
        }),
        "GrafanaDatasource" => Some(Resource::Datasource {
            display_name: owned_at(doc, "/spec/datasource/name"),
            r#type: owned_at(doc, "/spec/datasource/type"),
            uid: owned_at(doc, "/spec/datasource/uid").or_else(|| owned_at(doc, "/spec/uid")),
            namespace,
            name,
        }),
        _ => None,
    }
}

fn dashboard(doc: &Value, namespace: Option<String>, name: String) -> DashboardCrd {
    let null = Value::Null;
    let spec = doc.get("spec").unwrap_or(&null);
    let folder = if let Some(t) = owned_at(spec, "/folder") {
        FolderSpec::Title(t)
    } else if let Some(u) = owned_at(spec, "/folderUID") {
        FolderSpec::Uid(u)
    } else if let Some(r) = owned_at(spec, "/folderRef") {
        FolderSpec::Ref(r)
    } else {
        FolderSpec::None
    };
    let mut crd = DashboardCrd {
        namespace,
        name,
        folder,
        source: ContentSource::None,
        model: None,
        content_error: None,
        content: None,
    };
    if let Some(json) = spec.get("json") {
        crd.source = ContentSource::Json;
        match json.as_str() {
            Some(text) => crd.set_content(text),
            None => crd.content_error = Some(error("spec.json must be a string")),
        }
    } else if let Some(gz) = spec.get("gzipJson") {
        crd.source = ContentSource::GzipJson;
        match gz.as_str().map(decode_gzip_json) {
            Some(Ok(text)) => crd.set_content(&text),
            Some(Err(e)) => crd.content_error = Some(e),
            None => crd.content_error = Some(error("spec.gzipJson must be a string")),
        }
    } else if let Some(url) = owned_at(spec, "/url") {
        crd.source = ContentSource::Url { url };
    } else if let Some(g) = spec.get("grafanaCom") {
        crd.source = ContentSource::GrafanaCom {
            id: g.get("id").and_then(Value::as_i64),
            revision: g.get("revision").and_then(Value::as_i64),
        };
    } else if let Some(c) = spec.get("configMapRef") {
        crd.source = ContentSource::ConfigMapRef {
            name: owned_at(c, "/name").unwrap_or_default(),
            key: owned_at(c, "/key").unwrap_or_default(),
        };
    } else if spec.get("jsonnet").is_some() || spec.get("jsonnetLib").is_some() {
        crd.source = ContentSource::Jsonnet;
    }
    crd
}

impl DashboardCrd {
    fn set_content(&mut self, text: &str) {
        match parse_dashboard_json(text) {
            Ok((value, model)) => {
                self.model = Some(model);
                self.content = Some(std::sync::Arc::new(value));
            }
            Err(e) => self.content_error = Some(e),
        }
    }
}

fn error(message: &str) -> ContentError {
    ContentError {
        message: message.to_owned(),
        line: 1,
        column: 1,
    }
}

/// Decode `spec.gzipJson` (base64 of gzip) into the JSON text.
pub fn decode_gzip_json(b64: &str) -> Result<String, ContentError> {
    let compact: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| error(&format!("spec.gzipJson is not valid base64: {e}")))?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes.as_slice())
        .take(64 * 1024 * 1024)
        .read_to_string(&mut text)
        .map_err(|e| {
            error(&format!(
                "spec.gzipJson is not gzip-compressed UTF-8 JSON: {e}"
            ))
        })?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::io::Write;

    fn doc(spec: Value) -> Value {
        json!({"apiVersion": "grafana.integreatly.org/v1beta1", "kind": "GrafanaDashboard",
               "metadata": {"name": "d", "namespace": "grafana"}, "spec": spec})
    }

    fn as_dashboard(r: Option<Resource>) -> DashboardCrd {
        match r {
            Some(Resource::Dashboard(d)) => *d,
            other => panic!("expected a dashboard, got {other:?}"),
        }
    }

    #[test]
    fn embedded_json_dashboard() {
        let d = as_dashboard(resource(&doc(
            json!({"folder": "Ops", "json": "{\"uid\": \"x\"}"}),
        )));
        assert_eq!(d.source, ContentSource::Json);
        assert_eq!(d.folder, FolderSpec::Title("Ops".into()));
        assert_eq!(d.model.and_then(|m| m.uid).as_deref(), Some("x"));
    }

    #[test]
    fn broken_json_is_kept_with_error() {
        let d = as_dashboard(resource(&doc(json!({"json": "{\"panels\": [}"}))));
        assert!(d.model.is_none());
        assert!(d.content_error.is_some());
    }

    #[test]
    fn gzip_json_is_decoded() {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"{\"uid\": \"gz\"}").expect("write");
        let b64 = base64::engine::general_purpose::STANDARD.encode(enc.finish().expect("finish"));
        let d = as_dashboard(resource(&doc(json!({"gzipJson": b64}))));
        assert_eq!(d.source, ContentSource::GzipJson);
        assert_eq!(d.model.and_then(|m| m.uid).as_deref(), Some("gz"));
        let bad = as_dashboard(resource(&doc(json!({"gzipJson": "not base64!"}))));
        assert!(bad.content_error.expect("error").message.contains("base64"));
    }

    #[test]
    fn other_sources_and_folders() {
        let d = as_dashboard(resource(&doc(
            json!({"url": "https://x/y.json", "folderRef": "f"}),
        )));
        assert_eq!(
            d.source,
            ContentSource::Url {
                url: "https://x/y.json".into()
            }
        );
        assert_eq!(d.folder, FolderSpec::Ref("f".into()));
        let d = as_dashboard(resource(&doc(
            json!({"grafanaCom": {"id": 1, "revision": 2}, "folderUID": "u"}),
        )));
        assert_eq!(
            d.source,
            ContentSource::GrafanaCom {
                id: Some(1),
                revision: Some(2)
            }
        );
        assert_eq!(d.folder, FolderSpec::Uid("u".into()));
        let d = as_dashboard(resource(&doc(
            json!({"configMapRef": {"name": "cm", "key": "k"}}),
        )));
        assert_eq!(
            d.source,
            ContentSource::ConfigMapRef {
                name: "cm".into(),
                key: "k".into()
            }
        );
        let d = as_dashboard(resource(&doc(json!({}))));
        assert_eq!(d.source, ContentSource::None);
        assert_eq!(d.folder, FolderSpec::None);
    }

    #[test]
    fn ignores_other_groups_and_reads_lists() {
        assert!(resource(&json!({"apiVersion": "v1", "kind": "ConfigMap"})).is_none());
        let list = json!({"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "grafana.integreatly.org/v1beta1", "kind": "GrafanaFolder",
             "metadata": {"name": "f"}, "spec": {"title": "Folder F"}}]});
        match resources_in(&list).as_slice() {
            [Resource::Folder { title, .. }] => assert_eq!(title, "Folder F"),
            other => panic!("unexpected {other:?}"),
        }
    }
}
