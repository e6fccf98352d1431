//! Finding where a JSON pointer's value is written in JSON text, and mapping
//! a position inside the dashboard JSON back through the YAML block scalar.

use std::borrow::Cow;

use crate::yaml::{NodePos, ScalarStyle};

/// Byte offset of the value at `pointer` (RFC 6901) in the JSON `text`, or
/// `None` when the text does not hold it. For many lookups in one text use a
/// [`JsonLocator`], which reads each object and array once.
pub fn json_offset(text: &str, pointer: &str) -> Option<usize> {
    JsonLocator::new(text).offset(pointer)
}

/// Looks up pointers in one JSON text. The first lookup reads the whole text
/// once and records where every object member and array element starts
/// (a structural index); each lookup then walks its pointer through that
/// index. A dashboard's findings thus cost one pass over its JSON, however
/// many there are and however deep they point. Tolerates no syntax errors:
/// it is used on JSON that parsed (on broken text every lookup is `None`).
pub struct JsonLocator<'a> {
    text: &'a str,
    /// Built on the first lookup; `None` inside when the text is not JSON.
    structure: Option<Option<Structure>>,
}

/// Every container of a JSON text and the starts of its items.
#[derive(Default)]
struct Structure {
    /// Containers by opening offset (ascending: recorded as they open).
    containers: Vec<Container>,
    /// The items of all containers; each container owns a contiguous range.
    items: Vec<Item>,
}

struct Container {
    /// Offset of the `{` or `[`.
    start: usize,
    items: std::ops::Range<usize>,
}

struct Item {
    /// The raw key between its quotes (empty range for array elements).
    key: std::ops::Range<usize>,
    /// Offset of the value.
    value: usize,
}

impl<'a> JsonLocator<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            structure: None,
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Byte offset of the value at `pointer`.
    pub fn offset(&mut self, pointer: &str) -> Option<usize> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut at = skip_ws(bytes, 0);
        if pointer.is_empty() {
            return Some(at);
        }
        let structure = self
            .structure
            .get_or_insert_with(|| Structure::read(bytes))
            .as_ref()?;
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = if token.contains('~') {
                Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
            } else {
                Cow::Borrowed(token)
            };
            let container = structure
                .containers
                .binary_search_by_key(&at, |c| c.start)
                .ok()
                .map(|i| &structure.containers[i])?;
            let items = &structure.items[container.items.clone()];
            at = match bytes[at] {
                b'{' => {
                    items
                        .iter()
                        // The last of duplicate keys, as every JSON parser keeps.
                        .rfind(|item| key_is(text, &item.key, &token))?
                        .value
                }
                _ => items.get(token.parse::<usize>().ok()?)?.value,
            };
        }
        Some(at)
    }
}

/// Whether the raw (still escaped) key `raw` of `text` is `key`.
fn key_is(text: &str, raw: &std::ops::Range<usize>, key: &str) -> bool {
    let written = &text[raw.clone()];
    if written.contains('\\') {
        let quoted = &text[raw.start - 1..raw.end + 1];
        serde_json::from_str::<String>(quoted).is_ok_and(|k| k == key)
    } else {
        written == key
    }
}

impl Structure {
    /// One pass over the text: `None` when it is not one JSON value.
    fn read(bytes: &[u8]) -> Option<Self> {
        let mut s = Structure::default();
        // Open containers: (index in `containers`, where their items start in `pending`).
        let mut open: Vec<(usize, usize)> = Vec::new();
        // Items of the open containers, innermost last.
        let mut pending: Vec<Item> = Vec::new();
        let mut at = skip_ws(bytes, 0);
        loop {
            // `at` is where a value starts.
            let mut end = match *bytes.get(at)? {
                open_bracket @ (b'{' | b'[') => {
                    open.push((s.containers.len(), pending.len()));
                    s.containers.push(Container {
                        start: at,
                        items: 0..0,
                    });
                    let first = skip_ws(bytes, at + 1);
                    let close = if open_bracket == b'{' { b'}' } else { b']' };
                    if *bytes.get(first)? != close {
                        at = item(bytes, open_bracket == b'{', first, &mut pending)?;
                        continue;
                    }
                    first // the empty container closes below
                }
                b'"' => string_end(bytes, at)?,
                _ => scalar_end(bytes, at),
            };
            // After a value: close containers until the next item or the end.
            loop {
                end = skip_ws(bytes, end);
                let Some(&(index, mark)) = open.last() else {
                    return (end == bytes.len()).then_some(s);
                };
                let object = bytes[s.containers[index].start] == b'{';
                match *bytes.get(end)? {
                    b',' => {
                        at = item(bytes, object, skip_ws(bytes, end + 1), &mut pending)?;
                        break;
                    }
                    b'}' if object => {}
                    b']' if !object => {}
                    _ => return None,
                }
                open.pop();
                let first = s.items.len();
                s.items.extend(pending.drain(mark..));
                s.containers[index].items = first..s.items.len();
                end += 1;
            }
        }
    }
}

/// An item of a container starts at `at`: records it (reading the key of an
/// object member) and returns where its value starts.
fn item(bytes: &[u8], object: bool, at: usize, pending: &mut Vec<Item>) -> Option<usize> {
    if !object {
        pending.push(Item {
            key: 0..0,
            value: at,
        });
        return Some(at);
    }
    if *bytes.get(at)? != b'"' {
        return None;
    }
    let key_end = string_end(bytes, at)?;
    let colon = skip_ws(bytes, key_end);
    if *bytes.get(colon)? != b':' {
        return None;
    }
    let value = skip_ws(bytes, colon + 1);
    pending.push(Item {
        key: at + 1..key_end - 1,
        value,
    });
    Some(value)
}

/// Offset just past a number, `true`, `false` or `null` starting at `at`.
fn scalar_end(bytes: &[u8], at: usize) -> usize {
    let len = bytes[at..]
        .iter()
        .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(bytes.len() - at);
    (at + len.max(1)).min(bytes.len())
}

/// Byte offset in the JSON text of the character at `decoded` bytes into the
/// content of the string literal starting at `quote` (its opening `"`).
pub fn string_char_offset(text: &str, quote: usize, decoded: usize) -> usize {
    let bytes = text.as_bytes();
    let mut raw = quote + 1;
    let mut seen = 0;
    while seen < decoded && raw < bytes.len() && bytes[raw] != b'"' {
        if bytes[raw] == b'\\' {
            let escape = bytes.get(raw + 1).copied().unwrap_or(b'"');
            if escape == b'u' {
                let code = text
                    .get(raw + 2..raw + 6)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .unwrap_or(0);
                // A surrogate pair decodes to one 4-byte character.
                if (0xD800..0xDC00).contains(&code) {
                    raw += 12;
                    seen += 4;
                } else {
                    raw += 6;
                    seen += char::from_u32(code).map_or(3, char::len_utf8);
                }
            } else {
                raw += 2;
                seen += 1;
            }
        } else {
            let width = utf8_width(bytes[raw]);
            raw += width;
            seen += width;
        }
    }
    raw.min(text.len())
}

/// Maps a 1-based line and column inside a scalar's text to the YAML file:
/// exact through a `|` literal block, the scalar's start otherwise.
pub fn through_scalar(node: &NodePos, line: usize, column: usize) -> (usize, usize) {
    match node.style {
        ScalarStyle::Literal => (node.line + line - 1, node.column + column - 1),
        ScalarStyle::Other => (node.line, node.column),
    }
}

fn utf8_width(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while matches!(bytes.get(at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        at += 1;
    }
    at
}

/// Offset just past the string literal starting at `at`.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    loop {
        i += memchr::memchr2(b'"', b'\\', bytes.get(i..)?)?;
        match bytes[i] {
            b'\\' => i += 2,
            _ => return Some(i + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    const TEXT: &str = r#"{
  "uid": "a/b",
  "panels": [
    {"id": 1, "title": "x"},
    { "id": 2, "targets": [ {"expr": "rate(x[5m])"} ] }
  ],
  "a~b": {"c/d": true}
}"#;

    #[test]
    fn finds_values_by_pointer() {
        let at = |p| json_offset(TEXT, p).map(|o| &TEXT[o..o + 6]);
        assert_eq!(at(""), Some("{\n  \"u"));
        assert_eq!(at("/uid"), Some("\"a/b\","));
        assert_eq!(at("/panels/1/id"), Some("2, \"ta"));
        assert_eq!(at("/panels/1/targets/0/expr"), Some("\"rate("));
        assert_eq!(at("/a~0b/c~1d"), Some("true}\n"));
        assert_eq!(at("/panels/2"), None);
        assert_eq!(at("/missing"), None);
        assert_eq!(at("/uid/0"), None);
    }

    /// Every pointer of `value`.
    fn pointers(value: &Value, prefix: &str, out: &mut Vec<String>) {
        out.push(prefix.to_owned());
        let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    pointers(v, &format!("{prefix}/{}", escape(k)), out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    pointers(v, &format!("{prefix}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    /// The locator finds every value of `text` where serde_json reads it.
    fn locates_every_value(text: &str) {
        let value: Value = serde_json::from_str(text).expect("test JSON parses");
        let mut all = Vec::new();
        pointers(&value, "", &mut all);
        let mut locator = JsonLocator::new(text);
        for pointer in all {
            let at = locator
                .offset(&pointer)
                .unwrap_or_else(|| panic!("{pointer:?} not found in {text:?}"));
            let found = serde_json::Deserializer::from_str(&text[at..])
                .into_iter::<Value>()
                .next()
                .and_then(Result::ok);
            assert_eq!(
                found.as_ref(),
                value.pointer(&pointer),
                "{pointer:?} in {text:?}"
            );
        }
        assert_eq!(locator.offset("/no such member"), None);
    }

    fn json() -> impl Strategy<Value = Value> {
        let text = "[a-z\"\\\\/~é ]{0,5}";
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            Just(Value::from(-1.5e-7)),
            text.prop_map(Value::from),
        ];
        leaf.prop_recursive(5, 80, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(text, inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn locates_every_value_of_any_json(value in json(), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&value).expect("serialises")
            } else {
                serde_json::to_string(&value).expect("serialises")
            };
            locates_every_value(&text);
        }

        #[test]
        fn never_panics_on_broken_text(text in "[\\[\\]{}\":,a0 \\\\]{0,40}") {
            let mut locator = JsonLocator::new(&text);
            for pointer in ["", "/0", "/a", "/0/a/1"] {
                let _ = locator.offset(pointer);
            }
        }
    }

    #[test]
    fn duplicate_keys_resolve_to_the_last_as_parsers_keep() {
        let text = r#"{"a": 1, "a": {"b": 2}}"#;
        assert_eq!(
            json_offset(text, "/a/b").map(|o| &text[o..o + 1]),
            Some("2")
        );
    }

    #[test]
    fn spacing_and_escapes() {
        locates_every_value(
            "  {\n\t\"a\\\"b\" :\r\n [ 1 , {} , [] , \"x\" ] ,\"\\u00e9\":null } \n",
        );
        locates_every_value("[]");
        locates_every_value("\"top\"");
        assert_eq!(json_offset("{\"a\": 1} x", "/a"), None);
    }

    #[test]
    fn maps_decoded_string_offsets_to_raw() {
        let text = r#"{"q": "a\"b\u00e9c"}"#;
        let quote = json_offset(text, "/q").expect("q");
        // decoded: a " b é c — 'c' is at decoded byte 5 (é is two bytes).
        let raw = string_char_offset(text, quote, 5);
        assert_eq!(&text[raw..raw + 1], "c");
        assert_eq!(&text[string_char_offset(text, quote, 1)..][..2], "\\\"");
    }

    #[test]
    fn literal_blocks_map_exactly_others_to_start() {
        let literal = NodePos {
            pointer: "/spec/json".into(),
            line: 10,
            column: 5,
            style: ScalarStyle::Literal,
        };
        assert_eq!(through_scalar(&literal, 1, 1), (10, 5));
        assert_eq!(through_scalar(&literal, 3, 7), (12, 11));
        let quoted = NodePos {
            style: ScalarStyle::Other,
            ..literal
        };
        assert_eq!(through_scalar(&quoted, 3, 7), (10, 5));
    }
}
