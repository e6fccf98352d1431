//! YAML loading for the scanner: every document of a file as a JSON value,
//! with the location of each document and a clear error when a file does not parse.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use serde_json::{Map, Number, Value};

/// One YAML document of a file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document converted to JSON (YAML 1.2 core schema).
    pub value: Value,
    /// 1-based line where the document starts.
    pub line: usize,
}

/// A YAML syntax error with its 1-based position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at line {line}, column {column}")]
pub struct YamlError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// Parse every document of a YAML stream.
pub fn load_documents(text: &str) -> Result<Vec<Document>, YamlError> {
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let docs = MarkedYaml::load_from_parser(&mut parser).map_err(|e| YamlError {
        message: e.info().to_owned(),
        line: e.marker().line(),
        column: e.marker().col() + 1,
    })?;
    Ok(docs
        .iter()
        .map(|d| Document {
            value: to_json(d),
            line: d.span.start.line(),
        })
        .collect())
}

/// Convert a YAML node to JSON. Aliases are not expanded (they become null),
/// so hostile input cannot blow up memory.
fn to_json(node: &MarkedYaml<'_>) -> Value {
    match &node.data {
        YamlData::Value(scalar) => scalar_to_json(scalar),
        YamlData::Representation(text, _, _) => Value::String(text.to_string()),
        YamlData::Sequence(items) => Value::Array(items.iter().map(to_json).collect()),
        YamlData::Mapping(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                out.insert(key_string(k), to_json(v));
            }
            Value::Object(out)
        }
        YamlData::Tagged(_, inner) => to_json(inner),
        YamlData::Alias(_) | YamlData::BadValue => Value::Null,
    }
}

fn scalar_to_json(scalar: &Scalar<'_>) -> Value {
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::Number((*i).into()),
        Scalar::FloatingPoint(f) => Number::from_f64(f.into_inner())
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Scalar::String(s) => Value::String(s.to_string()),
    }
}

fn key_string(node: &MarkedYaml<'_>) -> String {
    match to_json(node) {
        Value::String(s) => s,
        Value::Null => "null".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_multiple_documents_with_lines() {
        let docs = load_documents("a: 1\n---\nb: [x, true]\n").expect("valid yaml");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].value, serde_json::json!({"a": 1}));
        assert_eq!(docs[1].value, serde_json::json!({"b": ["x", true]}));
        assert_eq!(docs[1].line, 3);
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let err = load_documents("a: 1\nb: [unclosed\n").expect_err("invalid yaml");
        assert!(err.line >= 2, "{err:?}");
        assert!(!err.message.is_empty());
    }

    #[test]
    fn block_scalar_keeps_text() {
        let docs = load_documents("json: |\n  {\"a\": 1}\n").expect("valid yaml");
        assert_eq!(docs[0].value["json"], "{\"a\": 1}\n");
    }

    #[test]
    fn quoted_numbers_stay_strings() {
        let docs = load_documents("a: \"10\"\nb: 10\n").expect("valid yaml");
        assert_eq!(docs[0].value["a"], "10");
        assert_eq!(docs[0].value["b"], 10);
    }
}
