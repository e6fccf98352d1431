//! A JSON text's shape with byte spans: where every value, member and key is
//! written, so that a rewrite can replace exactly the text of a changed value.

use serde_json::{Map, Value};

/// One value and the bytes `start..end` it occupies.
#[derive(Debug)]
pub(crate) struct Node {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

#[derive(Debug)]
pub(crate) enum Kind {
    Scalar,
    Array(Vec<Node>),
    Object(Vec<Member>),
}

/// An object member: its decoded key, where the key's opening quote is, its value.
#[derive(Debug)]
pub(crate) struct Member {
    pub key: String,
    pub key_start: usize,
    pub key_end: usize,
    pub value: Node,
}

/// The spans and the value of a JSON text in one pass; `None` if the text is
/// not JSON or nests too deep (then serde_json says why). Scalars are decoded
/// by serde_json itself, so values are exactly what it would read.
pub(crate) fn parse(text: &str) -> Option<(Node, Value)> {
    let mut p = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    p.skip_ws();
    let node = p.value(0)?;
    p.skip_ws();
    (p.pos == text.len()).then_some(node)
}

/// serde_json refuses deeper nesting than this, so a valid text never reaches it.
const MAX_DEPTH: usize = 256;

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Option<(Node, Value)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        let (kind, value) = match self.bytes.get(self.pos)? {
            b'[' => {
                self.pos += 1;
                let (mut items, mut values) = (Vec::new(), Vec::new());
                self.skip_ws();
                if self.bytes.get(self.pos) != Some(&b']') {
                    loop {
                        self.skip_ws();
                        let (node, value) = self.value(depth + 1)?;
                        items.push(node);
                        values.push(value);
                        self.skip_ws();
                        match self.bytes.get(self.pos)? {
                            b',' => self.pos += 1,
                            b']' => break,
                            _ => return None,
                        }
                    }
                }
                self.pos += 1;
                (Kind::Array(items), Value::Array(values))
            }
            b'{' => {
                self.pos += 1;
                let (mut members, mut map) = (Vec::new(), Map::new());
                self.skip_ws();
                if self.bytes.get(self.pos) != Some(&b'}') {
                    loop {
                        self.skip_ws();
                        let key_start = self.pos;
                        let key = self.string()?;
                        let key_end = self.pos;
                        self.skip_ws();
                        if self.bytes.get(self.pos) != Some(&b':') {
                            return None;
                        }
                        self.pos += 1;
                        self.skip_ws();
                        let (node, value) = self.value(depth + 1)?;
                        map.insert(key.clone(), value);
                        members.push(Member {
                            key,
                            key_start,
                            key_end,
                            value: node,
                        });
                        self.skip_ws();
                        match self.bytes.get(self.pos)? {
                            b',' => self.pos += 1,
                            b'}' => break,
                            _ => return None,
                        }
                    }
                }
                self.pos += 1;
                (Kind::Object(members), Value::Object(map))
            }
            b'"' => (Kind::Scalar, Value::String(self.string()?)),
            _ => {
                while let Some(b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'+' | b'-' | b'.') =
                    self.bytes.get(self.pos)
                {
                    self.pos += 1;
                }
                let token = &self.text[start..self.pos];
                let value = match token {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    _ if token
                        .starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) =>
                    {
                        Value::Number(serde_json::from_str(token).ok()?)
                    }
                    _ => return None,
                };
                (Kind::Scalar, value)
            }
        };
        Some((
            Node {
                start,
                end: self.pos,
                kind,
            },
            value,
        ))
    }

    /// Reads a string literal, escapes included.
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        if self.bytes.get(self.pos) != Some(&b'"') {
            return None;
        }
        self.pos += 1;
        let mut escaped = false;
        loop {
            match self.bytes.get(self.pos)? {
                b'\\' => {
                    escaped = true;
                    self.pos += 2;
                }
                b'"' => {
                    self.pos += 1;
                    break;
                }
                // JSON forbids raw control characters in strings.
                0..=0x1f => return None,
                _ => self.pos += 1,
            }
        }
        if escaped {
            serde_json::from_str(self.text.get(start..self.pos)?).ok()
        } else {
            Some(self.text[start + 1..self.pos - 1].to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_members_and_items() {
        let text = " {\"a\": [1, \"x\\\"\"], \"b\\u0041\": {}} ";
        let (root, value) = parse(text).expect("valid");
        assert_eq!(value, serde_json::json!({"a": [1, "x\""], "bA": {}}));
        assert_eq!(&text[root.start..root.end], text.trim());
        let Kind::Object(members) = &root.kind else {
            panic!("object expected")
        };
        assert_eq!(members[1].key, "bA");
        assert_eq!(
            &text[members[0].value.start..members[0].value.end],
            "[1, \"x\\\"\"]"
        );
        assert_eq!(
            &text[members[1].key_start..members[1].key_end],
            "\"b\\u0041\""
        );
    }

    #[test]
    fn rejects_what_is_not_json() {
        for bad in [
            "",
            "[1,",
            "{\"a\" 1}",
            "[1] x",
            "\"open",
            "[1,]",
            "01",
            "tru",
            "\"\t\"",
            "\"\\x\"",
            "1e999",
            "[-]",
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }
}
