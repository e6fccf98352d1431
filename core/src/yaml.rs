//! YAML loading for the scanner: every document of a file as a JSON value,
//! with the location of each document and a clear error when a file does not parse.

use saphyr::Scalar;
use saphyr_parser::Event;
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

/// Parse every document of a YAML stream, building JSON values straight
/// from the parser's events (no intermediate YAML tree).
///
/// Files in the plain block style of Kubernetes manifests are read line by
/// line by [`simple`], feeding the same events to the same builder. Otherwise
/// literal block scalars (`json: |`, a dashboard in a CRD: nearly all of a
/// file's bytes) are read by [`blocks`] in one pass over their lines and the
/// parser sees them blanked. Both are several times faster and give the same
/// documents; anything they cannot read exactly goes to the parser.
pub fn load_documents(text: &str) -> Result<Vec<Document>, YamlError> {
    if let Some(docs) = simple::load(text) {
        return Ok(docs);
    }
    if let Some(docs) = blocks::load(text) {
        return Ok(docs);
    }
    parse_events(text)
}

/// Every document as the YAML parser reads it.
fn parse_events(text: &str) -> Result<Vec<Document>, YamlError> {
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let mut builder = Builder::default();
    for next in &mut parser {
        let (event, span) = next.map_err(|e| YamlError {
            message: e.info().to_owned(),
            line: e.marker().line(),
            column: e.marker().col() + 1,
        })?;
        if builder.event(event, span.start.line(), span.start.col() + 1) {
            break;
        }
    }
    Ok(builder.documents)
}

/// A collection being built, and the pointer length of its parent.
enum Frame {
    Sequence(Vec<Value>),
    /// The members so far and the key waiting for its value.
    Mapping(Map<String, Value>, Option<String>),
}

#[derive(Default)]
struct Builder {
    documents: Vec<Document>,
    stack: Vec<Frame>,
    /// The pointer of the value being built (of the collection on top of the stack).
    pointer: String,
    /// Pointer lengths to restore when each open collection ends.
    lengths: Vec<usize>,
    nodes: Vec<NodePos>,
    line: usize,
}

impl Builder {
    /// Feeds one event; true at the end of the stream.
    fn event(&mut self, event: Event<'_>, line: usize, column: usize) -> bool {
        match event {
            Event::StreamEnd => return true,
            Event::DocumentStart(_) => {
                self.line = line;
                self.nodes.clear();
                self.pointer.clear();
            }
            Event::Scalar(value, style, _, tag) => {
                let json = match Scalar::parse_from_cow_and_metadata(value, style, tag.as_ref()) {
                    Some(scalar) => scalar_to_json(scalar),
                    None => Value::Null,
                };
                let literal = style == saphyr_parser::ScalarStyle::Literal;
                if let Some(len) = self.enter(line, column, literal) {
                    self.pointer.truncate(len);
                }
                self.complete(json);
            }
            // Aliases are not expanded (they become null): no billion laughs.
            Event::Alias(_) => {
                if let Some(len) = self.enter(line, column, false) {
                    self.pointer.truncate(len);
                }
                self.complete(Value::Null);
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let len = self.enter(line, column, false);
                self.lengths.push(len.unwrap_or(self.pointer.len()));
                self.stack.push(match event {
                    Event::SequenceStart(..) => Frame::Sequence(Vec::new()),
                    _ => Frame::Mapping(Map::new(), None),
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let value = match self.stack.pop() {
                    Some(Frame::Sequence(items)) => Value::Array(items),
                    Some(Frame::Mapping(map, _)) => Value::Object(map),
                    None => Value::Null,
                };
                if let Some(len) = self.lengths.pop() {
                    self.pointer.truncate(len);
                }
                self.complete(value);
            }
            Event::DocumentEnd | Event::StreamStart | Event::Nothing => {}
        }
        false
    }

    /// A value starts: extends the pointer and records its position, unless
    /// it is a mapping key. Returns the pointer length to restore.
    fn enter(&mut self, line: usize, column: usize, literal: bool) -> Option<usize> {
        let len = self.pointer.len();
        match self.stack.last() {
            Some(Frame::Mapping(_, None)) => return None,
            Some(Frame::Mapping(_, Some(key))) => {
                self.pointer.push('/');
                if key.contains(['~', '/']) {
                    self.pointer
                        .push_str(&key.replace('~', "~0").replace('/', "~1"));
                } else {
                    self.pointer.push_str(key);
                }
            }
            Some(Frame::Sequence(items)) => {
                self.pointer.push('/');
                self.pointer.push_str(&items.len().to_string());
            }
            None => self.line = line,
        }
        self.nodes.push(NodePos {
            pointer: self.pointer.clone(),
            line,
            column,
            style: if literal {
                ScalarStyle::Literal
            } else {
                ScalarStyle::Other
            },
        });
        Some(len)
    }

    /// A value is complete: it becomes a key, a member, an item or a document.
    fn complete(&mut self, value: Value) {
        match self.stack.last_mut() {
            Some(Frame::Mapping(_, key @ None)) => {
                *key = Some(match value {
                    Value::String(s) => s,
                    Value::Null => "null".to_owned(),
                    other => other.to_string(),
                });
            }
            Some(Frame::Mapping(map, key)) => {
                if let Some(key) = key.take() {
                    map.insert(key, value);
                }
            }
            Some(Frame::Sequence(items)) => items.push(value),
            None => self.documents.push(Document {
                value,
                line: self.line,
                nodes: std::mem::take(&mut self.nodes),
            }),
        }
    }
}

mod blocks;
mod simple;

/// Every YAML file of the corpus with its text, or `None` (with a note) when
/// the corpus is absent: the fast paths are proven on it.
#[cfg(test)]
fn corpus_files() -> Option<Vec<(std::path::PathBuf, String)>> {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/talos-homelab");
    if !root.is_dir() {
        println!("skipping: corpus not found at {}", root.display());
        return None;
    }
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                let text = std::fs::read_to_string(&path).expect("utf-8");
                files.push((path, text));
            }
        }
    }
    Some(files)
}

fn scalar_to_json(scalar: Scalar<'_>) -> Value {
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(b),
        Scalar::Integer(i) => Value::Number(i.into()),
        Scalar::FloatingPoint(f) => Number::from_f64(f.into_inner())
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Scalar::String(s) => Value::String(s.into_owned()),
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
