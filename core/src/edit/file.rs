//! Opening the dashboard held by one GrafanaDashboard document of a YAML
//! file (`spec.json` or `spec.gzipJson`) and saving an edited value back.

use serde_json::Value;

use super::{json, yaml, EditError};

/// How the CRD holds its dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `spec.json`: the JSON text itself (a literal block, usually).
    Json,
    /// `spec.gzipJson`: base64 of the gzip-compressed JSON text.
    GzipJson,
}

/// Where a dashboard's JSON lives in its file, and the text it had when opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardSource {
    /// Index of the YAML document in the file (0-based).
    pub document: usize,
    /// `/spec/json` or `/spec/gzipJson`.
    pub pointer: &'static str,
    pub encoding: Encoding,
    /// The JSON text as stored (decoded for gzipJson); edits keep its layout.
    pub json_text: String,
}

/// The dashboard of YAML document `document` of `file_text` and where it lives.
/// JSON errors give the line and column inside the dashboard JSON.
pub fn open_dashboard(
    file_text: &str,
    document: usize,
) -> Result<(DashboardSource, Value), EditError> {
    let doc = yaml::load(file_text, document)?;
    let (pointer, encoding, json_text) =
        match (doc.pointer("/spec/json"), doc.pointer("/spec/gzipJson")) {
            (Some(Value::String(s)), _) => ("/spec/json", Encoding::Json, s.clone()),
            (_, Some(Value::String(b64))) => (
                "/spec/gzipJson",
                Encoding::GzipJson,
                yaml::decode_gzip_json(b64)?,
            ),
            _ => {
                return Err(EditError::Content(format!(
                    "YAML document {document} holds no spec.json or spec.gzipJson text to edit"
                )))
            }
        };
    let value = json::parse(&json_text)?;
    Ok((
        DashboardSource {
            document,
            pointer,
            encoding,
            json_text,
        },
        value,
    ))
}

/// `file_text` with the dashboard of `source` replaced by `new`: the JSON
/// keeps its layout (only changed values rewritten) and the YAML around it
/// every byte. Saving the value that was opened returns `file_text` itself.
pub fn save_dashboard(
    file_text: &str,
    source: &DashboardSource,
    new: &Value,
) -> Result<String, EditError> {
    let text = json::rewrite(&source.json_text, new)?;
    if text == source.json_text {
        return Ok(file_text.to_owned());
    }
    match source.encoding {
        Encoding::Json => yaml::set_block(file_text, source.document, source.pointer, &text),
        Encoding::GzipJson => {
            yaml::set_gzip_json(file_text, source.document, source.pointer, &text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn open_edit_save_spec_json() {
        let text = "kind: X\n---\nkind: GrafanaDashboard\nspec:\n  json: |\n    {\n      \"title\": \"A\",\n      \"panels\": []\n    }\n  folder: f\n";
        let (src, mut v) = open_dashboard(text, 1).expect("open");
        assert_eq!(save_dashboard(text, &src, &v).expect("save"), text);
        v["title"] = json!("B");
        let out = save_dashboard(text, &src, &v).expect("save");
        assert_eq!(out, text.replace("\"A\"", "\"B\""));
    }

    #[test]
    fn gzip_json_is_decoded_and_encoded() {
        let b64 = yaml::encode_gzip_json("{\"title\": \"A\"}").expect("encode");
        let text = format!("spec:\n  gzipJson: {b64}\n");
        let (src, mut v) = open_dashboard(&text, 0).expect("open");
        assert_eq!(src.encoding, Encoding::GzipJson);
        v["title"] = json!("B");
        let out = save_dashboard(&text, &src, &v).expect("save");
        let (src2, v2) = open_dashboard(&out, 0).expect("reopen");
        assert_eq!(v2, v);
        assert_eq!(src2.json_text, "{\"title\": \"B\"}");
    }

    #[test]
    fn errors_name_the_problem() {
        let broken = "spec:\n  json: |\n    {\"a\": [1,]}\n";
        assert!(matches!(
            open_dashboard(broken, 0),
            Err(EditError::Json { line: 1, .. })
        ));
        assert!(matches!(
            open_dashboard("spec:\n  url: x\n", 0),
            Err(EditError::Content(_))
        ));
        assert!(matches!(
            open_dashboard("a: 1\n", 3),
            Err(EditError::NoDocument { index: 3, count: 1 })
        ));
        assert!(matches!(open_dashboard("a: [", 0), Err(EditError::Yaml(_))));
    }
}
