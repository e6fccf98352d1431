//! A JSON text's shape with byte spans: where every value, member and key is
//! written, so that a rewrite can replace exactly the text of a changed value.

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

/// Spans of a text that serde_json has already accepted (so only the shape
/// is read here); `None` if the text is not JSON after all or nests too deep.
pub(crate) fn parse(text: &str) -> Option<Node> {
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

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        let kind = match self.bytes.get(self.pos)? {
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.bytes.get(self.pos) != Some(&b']') {
                    loop {
                        self.skip_ws();
                        items.push(self.value(depth + 1)?);
                        self.skip_ws();
                        match self.bytes.get(self.pos)? {
                            b',' => self.pos += 1,
                            b']' => break,
                            _ => return None,
                        }
                    }
                }
                self.pos += 1;
                Kind::Array(items)
            }
            b'{' => {
                self.pos += 1;
                let mut members = Vec::new();
                self.skip_ws();
                if self.bytes.get(self.pos) != Some(&b'}') {
                    loop {
                        self.skip_ws();
                        let key_start = self.pos;
                        self.string()?;
                        let key_end = self.pos;
                        let key = serde_json::from_str(&self.text[key_start..key_end]).ok()?;
                        self.skip_ws();
                        if self.bytes.get(self.pos) != Some(&b':') {
                            return None;
                        }
                        self.pos += 1;
                        self.skip_ws();
                        let value = self.value(depth + 1)?;
                        members.push(Member {
                            key,
                            key_start,
                            key_end,
                            value,
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
                Kind::Object(members)
            }
            b'"' => {
                self.string()?;
                Kind::Scalar
            }
            _ => {
                while let Some(b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'+' | b'-' | b'.') =
                    self.bytes.get(self.pos)
                {
                    self.pos += 1;
                }
                if self.pos == start {
                    return None;
                }
                Kind::Scalar
            }
        };
        Some(Node {
            start,
            end: self.pos,
            kind,
        })
    }

    /// Skips a string literal, escapes included.
    fn string(&mut self) -> Option<()> {
        if self.bytes.get(self.pos) != Some(&b'"') {
            return None;
        }
        self.pos += 1;
        loop {
            match self.bytes.get(self.pos)? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => self.pos += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_members_and_items() {
        let text = " {\"a\": [1, \"x\\\"\"], \"b\\u0041\": {}} ";
        let root = parse(text).expect("valid");
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
        for bad in ["", "[1,", "{\"a\" 1}", "[1] x", "\"open"] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }
}
