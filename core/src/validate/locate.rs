//! Finding where a JSON pointer's value is written in JSON text, and mapping
//! a position inside the dashboard JSON back through the YAML block scalar.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::yaml::{NodePos, ScalarStyle};

/// Byte offset of the value at `pointer` (RFC 6901) in the JSON `text`, or
/// `None` when the text does not hold it. For many lookups in one text use a
/// [`JsonLocator`], which reads each object and array once.
pub fn json_offset(text: &str, pointer: &str) -> Option<usize> {
    JsonLocator::new(text).offset(pointer)
}

/// Looks up pointers in one JSON text, remembering the members of every
/// object and array it has read, so a dashboard's findings cost one pass.
/// Containers are read only as far as a lookup needs (the rest on a later
/// lookup that goes further). Tolerates no syntax errors on the way: it is
/// used on JSON that parsed.
pub struct JsonLocator<'a> {
    text: &'a str,
    /// Object start offset → (key, value offset) of the members read so far.
    objects: HashMap<usize, Read<(Cow<'a, str>, usize)>>,
    /// Array start offset → offsets of the elements read so far.
    arrays: HashMap<usize, Read<usize>>,
}

/// What has been read of a container.
struct Read<T> {
    items: Vec<T>,
    /// Where the next item starts, or `None` once the container is read.
    next: Option<usize>,
}

impl<'a> JsonLocator<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            objects: HashMap::new(),
            arrays: HashMap::new(),
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Byte offset of the value at `pointer`.
    pub fn offset(&mut self, pointer: &str) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut at = skip_ws(bytes, 0);
        if pointer.is_empty() {
            return Some(at);
        }
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = if token.contains('~') {
                Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
            } else {
                Cow::Borrowed(token)
            };
            at = match *bytes.get(at)? {
                b'{' => self.member(at, &token)?,
                b'[' => self.element(at, token.parse().ok()?)?,
                _ => return None,
            };
        }
        Some(at)
    }

    /// The value offset of member `key` of the object at `start`.
    fn member(&mut self, start: usize, key: &str) -> Option<usize> {
        let text = self.text;
        let bytes = text.as_bytes();
        let read = self.objects.entry(start).or_insert_with(|| Read {
            items: Vec::new(),
            next: first_item(bytes, start, b'}'),
        });
        if let Some((_, at)) = read.items.iter().find(|(k, _)| k == key) {
            return Some(*at);
        }
        while let Some(mut at) = read.next {
            if bytes.get(at)? != &b'"' {
                return None;
            }
            let key_end = string_end(bytes, at)?;
            let raw = &text[at + 1..key_end - 1];
            let name = if raw.contains('\\') {
                Cow::Owned(serde_json::from_str::<String>(&text[at..key_end]).ok()?)
            } else {
                Cow::Borrowed(raw)
            };
            at = skip_ws(bytes, key_end);
            if bytes.get(at)? != &b':' {
                return None;
            }
            let value = skip_ws(bytes, at + 1);
            read.next = next_item(bytes, value)?;
            let found = name == key;
            read.items.push((name, value));
            if found {
                return Some(value);
            }
        }
        None
    }

    /// The offset of element `index` of the array at `start`.
    fn element(&mut self, start: usize, index: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let read = self.arrays.entry(start).or_insert_with(|| Read {
            items: Vec::new(),
            next: first_item(bytes, start, b']'),
        });
        while read.items.len() <= index {
            let at = read.next?;
            read.next = next_item(bytes, at)?;
            read.items.push(at);
        }
        read.items.get(index).copied()
    }
}

/// Where the first item of the container opened at `start` begins (`None`
/// when it is empty).
fn first_item(bytes: &[u8], start: usize, close: u8) -> Option<usize> {
    let at = skip_ws(bytes, start + 1);
    (bytes.get(at) != Some(&close)).then_some(at)
}

/// After the item (member value or element) at `at`: where the next one
/// begins, `Some(None)` at the container's end, `None` on broken text.
fn next_item(bytes: &[u8], at: usize) -> Option<Option<usize>> {
    let after = skip_ws(bytes, value_end(bytes, at)?);
    Some(match bytes.get(after)? {
        b',' => Some(skip_ws(bytes, after + 1)),
        _ => None,
    })
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
        i += bytes
            .get(i..)?
            .iter()
            .position(|b| matches!(b, b'"' | b'\\'))?;
        match bytes[i] {
            b'\\' => i += 2,
            _ => return Some(i + 1),
        }
    }
}

/// The bytes that matter inside a container: strings and brackets.
const STRUCTURAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'{' as usize] = true;
    t[b'}' as usize] = true;
    t[b'[' as usize] = true;
    t[b']' as usize] = true;
    t
};

/// Offset just past the value starting at `at`, without recursion.
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = at;
    loop {
        match *bytes.get(i)? {
            b'"' => {
                i = string_end(bytes, i)?;
                if depth == 0 {
                    return Some(i);
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            // A scalar ends at the bracket closing its container.
            b'}' | b']' if depth == 0 => return Some(i),
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b',' | b' ' | b'\t' | b'\n' | b'\r' if depth == 0 => return Some(i),
            _ => {}
        }
        i += 1;
        if depth > 0 {
            // Inside a container only brackets and strings matter: jump to the next.
            i += bytes
                .get(i..)?
                .iter()
                .position(|&b| STRUCTURAL[usize::from(b)])?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
