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
    /// Where each value of the document is written, by JSON pointer, in
    /// document order (the YAML tree of a CRD is small: the dashboard itself
    /// is one string).
    pub nodes: Vec<NodePos>,
}

/// How a scalar is written, which decides how positions inside it map back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    /// `|` literal block: content lines are the text's lines, indented.
    Literal,
    /// Anything else (plain, quoted, `>` folded, a collection).
    Other,
}

/// The position of one value in the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodePos {
    /// RFC 6901 pointer of the value in [`Document::value`].
    pub pointer: String,
    /// 1-based line and column where the value starts; for a literal block,
    /// its first content line and the column of the block's indentation.
    pub line: usize,
    pub column: usize,
    pub style: ScalarStyle,
}

impl Document {
    /// Where the value at `pointer` is written.
    pub fn position(&self, pointer: &str) -> Option<&NodePos> {
        self.nodes.iter().find(|n| n.pointer == pointer)
    }

    /// The position of the deepest written value on the way to `pointer`
    /// (a pointer into a value that YAML holds as one scalar lands on it).
    pub fn nearest(&self, pointer: &str) -> Option<&NodePos> {
        let mut p = pointer;
        loop {
            if let Some(n) = self.position(p) {
                return Some(n);
            }
            p = &p[..p.rfind('/')?];
        }
    }
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
    let lines: Vec<&str> = text.lines().collect();
    Ok(docs
        .iter()
        .map(|d| {
            let mut nodes = Vec::new();
            let mut pointer = String::new();
            record_positions(&lines, d, &mut pointer, &mut nodes);
            Document {
                value: to_json(d),
                line: d.span.start.line(),
                nodes,
            }
        })
        .collect())
}

/// Every value's position by pointer; keys are walked in document order.
fn record_positions(
    lines: &[&str],
    node: &MarkedYaml<'_>,
    pointer: &mut String,
    out: &mut Vec<NodePos>,
) {
    out.push(NodePos {
        pointer: pointer.clone(),
        line: node.span.start.line(),
        column: node.span.start.col() + 1,
        style: ScalarStyle::Other,
    });
    let len = pointer.len();
    match &node.data {
        YamlData::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                record_positions(lines, item, pointer, out);
                pointer.truncate(len);
            }
        }
        YamlData::Mapping(map) => {
            for (k, v) in map {
                pointer.push('/');
                pointer.push_str(&key_string(k).replace('~', "~0").replace('/', "~1"));
                let at = out.len();
                record_positions(lines, v, pointer, out);
                if is_literal_block(lines, k, v) {
                    out[at].style = ScalarStyle::Literal;
                }
                pointer.truncate(len);
            }
        }
        YamlData::Tagged(_, inner) => {
            out.pop();
            record_positions(lines, inner, pointer, out);
        }
        _ => {}
    }
}

/// Whether `value` is a `|` block scalar: it starts on a later line than its
/// key, and the key's line holds the `|` indicator after the key.
fn is_literal_block(lines: &[&str], key: &MarkedYaml<'_>, value: &MarkedYaml<'_>) -> bool {
    if !matches!(value.data, YamlData::Value(Scalar::String(_))) {
        return false;
    }
    let key_line = key.span.end.line();
    if value.span.start.line() <= key_line {
        return false;
    }
    let Some(line) = lines.get(key_line.saturating_sub(1)) else {
        return false;
    };
    let after: String = line.chars().skip(key.span.end.col()).collect();
    let after = after
        .trim_start()
        .strip_prefix(':')
        .unwrap_or(&after)
        .trim_start();
    after.starts_with('|')
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
    fn records_positions_of_values_and_literal_blocks() {
        let text = "apiVersion: v1\nspec:\n  json: |\n    {\n      \"a\": 1\n    }\n  other: >\n    x\n  list:\n    - a/b\n";
        let docs = load_documents(text).expect("valid yaml");
        let doc = &docs[0];
        let json = doc.position("/spec/json").expect("json node");
        assert_eq!(
            (json.line, json.column, json.style),
            (4, 5, ScalarStyle::Literal)
        );
        let other = doc.position("/spec/other").expect("folded node");
        assert_eq!(other.style, ScalarStyle::Other);
        let item = doc.position("/spec/list/0").expect("list item");
        assert_eq!((item.line, item.column), (10, 7));
        assert_eq!(doc.nearest("/spec/json/panels/0").map(|n| n.line), Some(4));
        assert_eq!(
            doc.position("/apiVersion").map(|n| (n.line, n.column)),
            Some((1, 13))
        );
    }

    #[test]
    fn quoted_numbers_stay_strings() {
        let docs = load_documents("a: \"10\"\nb: 10\n").expect("valid yaml");
        assert_eq!(docs[0].value["a"], "10");
        assert_eq!(docs[0].value["b"], 10);
    }
}
