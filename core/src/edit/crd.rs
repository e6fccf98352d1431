//! CRD-level edits on a file's text: move a dashboard to another folder,
//! rename it, and write a new GrafanaDashboard file from a template.

use serde_json::{json, Value};

use super::{yaml, EditError};

/// The three ways a GrafanaDashboard names its folder; exactly one is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Folder {
    /// `spec.folder`: a folder title.
    Title(String),
    /// `spec.folderUID`: a Grafana folder uid.
    Uid(String),
    /// `spec.folderRef`: the name of a GrafanaFolder resource.
    Ref(String),
}

const FOLDER_KEYS: [&str; 3] = ["folder", "folderUID", "folderRef"];

/// The same choice as the scanner reads it from a manifest.
impl From<Folder> for crate::crd::FolderSpec {
    fn from(folder: Folder) -> Self {
        match folder {
            Folder::Title(t) => Self::Title(t),
            Folder::Uid(u) => Self::Uid(u),
            Folder::Ref(r) => Self::Ref(r),
        }
    }
}

impl Folder {
    fn key(&self) -> &'static str {
        match self {
            Folder::Title(_) => "folder",
            Folder::Uid(_) => "folderUID",
            Folder::Ref(_) => "folderRef",
        }
    }

    fn value(&self) -> &str {
        match self {
            Folder::Title(v) | Folder::Uid(v) | Folder::Ref(v) => v,
        }
    }
}

/// Moves the dashboard of YAML document `document` to `folder`: the first
/// folder key present is renamed and set in place (one changed line), the
/// other two removed; with none present the key is added to `spec`.
pub fn move_to_folder(text: &str, document: usize, folder: &Folder) -> Result<String, EditError> {
    let spec = spec_of(text, document)?;
    let present: Vec<&str> = FOLDER_KEYS
        .into_iter()
        .filter(|k| spec.get(k).is_some())
        .collect();
    let target = format!("/spec/{}", folder.key());
    let value = Value::String(folder.value().to_owned());
    let mut out = match present.first() {
        None => return yaml::insert_scalar(text, document, &target, &value),
        Some(&k) if k == folder.key() => yaml::set_scalar(text, document, &target, &value)?,
        Some(&k) => {
            let renamed = if present.contains(&folder.key()) {
                yaml::remove(text, document, &target)?
            } else {
                text.to_owned()
            };
            let renamed =
                yaml::rename_key(&renamed, document, &format!("/spec/{k}"), folder.key())?;
            yaml::set_scalar(&renamed, document, &target, &value)?
        }
    };
    for k in present.iter().skip(1).filter(|k| **k != folder.key()) {
        out = yaml::remove(&out, document, &format!("/spec/{k}"))?;
    }
    Ok(out)
}

/// Renames the dashboard resource (`metadata.name`, a DNS subdomain name).
pub fn rename(text: &str, document: usize, name: &str) -> Result<String, EditError> {
    check_name(name)?;
    yaml::set_scalar(
        text,
        document,
        "/metadata/name",
        &Value::String(name.to_owned()),
    )
}

/// A Kubernetes object name: lowercase letters, digits, `-` and `.`,
/// starting and ending with a letter or digit, at most 253 characters.
pub fn check_name(name: &str) -> Result<(), EditError> {
    let ok_edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let ok = name.len() <= 253
        && ok_edge(name.chars().next())
        && ok_edge(name.chars().last())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    if ok {
        Ok(())
    } else {
        Err(EditError::InvalidValue {
            pointer: "/metadata/name".to_owned(),
            reason: format!(
                "`{name}` is not a Kubernetes name (a-z, 0-9, `-`, `.`; ≤ 253 characters)"
            ),
        })
    }
}

/// A dashboard uid (14 characters of `[a-zA-Z0-9]`, within Grafana's
/// `^[a-zA-Z0-9-_]+$`, ≤ 40) derived from `seed`: the same seed gives the same uid.
pub fn new_uid(seed: u64) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut state = seed;
    (0..14)
        .map(|_| {
            // splitmix64
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            char::from(ALPHABET[(z % ALPHABET.len() as u64) as usize])
        })
        .collect()
}

/// What a new dashboard file is made of.
#[derive(Debug, Clone)]
pub struct NewDashboard {
    /// `metadata.name`.
    pub name: String,
    pub namespace: Option<String>,
    pub folder: Option<Folder>,
    /// The dashboard title.
    pub title: String,
    /// `spec.instanceSelector.matchLabels` (which Grafana instances load it).
    pub instance_labels: Vec<(String, String)>,
    /// A dashboard JSON to start from (its `id` dropped); `None`: an empty one.
    pub template: Option<Value>,
    /// Seed of the new uid ([`new_uid`]).
    pub seed: u64,
}

/// The text of a new GrafanaDashboard file, its JSON in a `json: |` block
/// indented as Grafana exports it. Loads back (checked) as the CRD it says.
pub fn new_dashboard_file(new: &NewDashboard) -> Result<String, EditError> {
    check_name(&new.name)?;
    let mut dashboard = match &new.template {
        Some(Value::Object(t)) => Value::Object(t.clone()),
        Some(_) => {
            return Err(EditError::InvalidValue {
                pointer: String::new(),
                reason: "the template is not a dashboard object".to_owned(),
            })
        }
        None => json!({
            "annotations": {"list": []},
            "editable": true,
            "panels": [],
            "schemaVersion": 39,
            "tags": [],
            "templating": {"list": []},
            "time": {"from": "now-6h", "to": "now"},
        }),
    };
    if let Some(d) = dashboard.as_object_mut() {
        d.remove("id");
        d.insert("title".to_owned(), json!(new.title));
        d.insert("uid".to_owned(), json!(new_uid(new.seed)));
    }
    let mut out = String::from(
        "apiVersion: grafana.integreatly.org/v1beta1\nkind: GrafanaDashboard\nmetadata:\n",
    );
    out.push_str(&format!("  name: {}\n", new.name));
    if let Some(ns) = &new.namespace {
        out.push_str(&format!("  namespace: {}\n", scalar(ns)));
    }
    out.push_str("spec:\n");
    if let Some(f) = &new.folder {
        out.push_str(&format!("  {}: {}\n", f.key(), scalar(f.value())));
    }
    let labels = if new.instance_labels.is_empty() {
        vec![("dashboards".to_owned(), "grafana".to_owned())]
    } else {
        new.instance_labels.clone()
    };
    out.push_str("  instanceSelector:\n    matchLabels:\n");
    for (k, v) in &labels {
        out.push_str(&format!("      {}: {}\n", scalar(k), scalar(v)));
    }
    out.push_str("  json: |\n");
    let body = serde_json::to_string_pretty(&dashboard).unwrap_or_default();
    for line in body.lines() {
        out.push_str("    ");
        out.push_str(line);
        out.push('\n');
    }
    let docs = crate::yaml::load_documents(&out)?;
    let reads_back = docs
        .first()
        .and_then(|d| d.value.pointer("/spec/json"))
        .and_then(Value::as_str)
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
        == Some(dashboard);
    if !reads_back {
        return Err(EditError::InvalidValue {
            pointer: String::new(),
            reason: "the new file would not read back as written".to_owned(),
        });
    }
    Ok(out)
}

fn scalar(s: &str) -> String {
    yaml::format_plain_or_quoted(s)
}

fn spec_of(text: &str, document: usize) -> Result<Value, EditError> {
    let doc = yaml::load(text, document)?;
    match doc.get("spec") {
        Some(spec @ Value::Object(_)) => Ok(spec.clone()),
        _ => Err(EditError::NotFound {
            document,
            pointer: "/spec".to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CRD: &str =
        "metadata:\n  name: a\nspec:\n  folder: Ops\n  folderUID: x\n  json: |\n    {}\n";

    fn spec(text: &str) -> Value {
        spec_of(text, 0).expect("spec")
    }

    #[test]
    fn moving_keeps_exactly_one_folder_key() {
        let out = move_to_folder(CRD, 0, &Folder::Ref("platform".into())).expect("move");
        assert_eq!(
            out,
            "metadata:\n  name: a\nspec:\n  folderRef: platform\n  json: |\n    {}\n"
        );
        let out = move_to_folder(CRD, 0, &Folder::Uid("u1".into())).expect("move");
        assert_eq!(spec(&out), json!({"folderUID": "u1", "json": "{}\n"}));
        let out = move_to_folder(CRD, 0, &Folder::Title("Ops 2".into())).expect("move");
        assert_eq!(
            out,
            "metadata:\n  name: a\nspec:\n  folder: Ops 2\n  json: |\n    {}\n"
        );
        let bare = "spec:\n  json: |\n    {}\n";
        let out = move_to_folder(bare, 0, &Folder::Title("T".into())).expect("move");
        assert_eq!(spec(&out), json!({"folder": "T", "json": "{}\n"}));
    }

    #[test]
    fn rename_checks_the_name() {
        assert_eq!(
            rename(CRD, 0, "b-2").expect("rename"),
            CRD.replace("name: a", "name: b-2")
        );
        assert!(matches!(
            rename(CRD, 0, "Bad_Name"),
            Err(EditError::InvalidValue { .. })
        ));
    }

    #[test]
    fn uids_are_valid_and_deterministic() {
        assert_eq!(new_uid(1), new_uid(1));
        assert_ne!(new_uid(1), new_uid(2));
        for seed in 0..200 {
            let uid = new_uid(seed);
            assert!(
                uid.len() <= 40
                    && uid
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            );
        }
    }

    #[test]
    fn new_file_is_a_valid_dashboard_crd() {
        let new = NewDashboard {
            name: "my-dash".into(),
            namespace: Some("grafana".into()),
            folder: Some(Folder::Title("Team: A".into())),
            title: "My \"dash\"".into(),
            instance_labels: vec![],
            template: Some(json!({"id": 4, "panels": [{"id": 1}]})),
            seed: 42,
        };
        let text = new_dashboard_file(&new).expect("new file");
        let docs = crate::yaml::load_documents(&text).expect("loads");
        let Some(crate::crd::Resource::Dashboard(d)) = crate::crd::resource(&docs[0].value) else {
            panic!("not a dashboard: {text}")
        };
        assert_eq!(d.name, "my-dash");
        assert_eq!(d.folder, crate::crd::FolderSpec::Title("Team: A".into()));
        let content = d.content.expect("content");
        assert_eq!(content["uid"], json!(new_uid(42)));
        assert_eq!(content["title"], "My \"dash\"");
        assert!(content.get("id").is_none());
    }
}
