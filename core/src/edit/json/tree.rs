//! Where the values of a JSON text are written, read lazily one container at
//! a time: a rewrite only looks inside the containers on the way to a change.
//! The text must already be valid JSON (serde_json accepted it).

/// The bytes `start..end` of one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
}

/// An object member: its decoded key, where the key starts, its value.
#[derive(Debug)]
pub(crate) struct Member {
    pub key: String,
    pub key_start: usize,
    pub value: Span,
}

/// The span of the whole document's value.
pub(crate) fn root(text: &str) -> Span {
    let start = skip_ws(text.as_bytes(), 0);
    Span {
        start,
        end: value_end(text.as_bytes(), start),
    }
}

/// The members of the object at `span`.
pub(crate) fn members(text: &str, span: Span) -> Vec<Member> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = skip_ws(b, span.start + 1);
    while pos < span.end && b.get(pos) == Some(&b'"') {
        let key_end = string_end(b, pos);
        let raw = text
            .get(pos + 1..key_end.saturating_sub(1))
            .unwrap_or_default();
        let key = if raw.contains('\\') {
            serde_json::from_str(text.get(pos..key_end).unwrap_or_default()).unwrap_or_default()
        } else {
            raw.to_owned()
        };
        let colon = skip_ws(b, key_end);
        let start = skip_ws(b, colon + 1);
        let end = value_end(b, start);
        out.push(Member {
            key,
            key_start: pos,
            value: Span { start, end },
        });
        pos = skip_ws(b, end);
        if b.get(pos) == Some(&b',') {
            pos = skip_ws(b, pos + 1);
        }
    }
    out
}

/// The items of the array at `span`.
pub(crate) fn items(text: &str, span: Span) -> Vec<Span> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = skip_ws(b, span.start + 1);
    while pos + 1 < span.end {
        let end = value_end(b, pos);
        if end <= pos {
            break;
        }
        out.push(Span { start: pos, end });
        pos = skip_ws(b, end);
        if b.get(pos) == Some(&b',') {
            pos = skip_ws(b, pos + 1);
        }
    }
    out
}

fn skip_ws(b: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(pos) {
        pos += 1;
    }
    pos
}

/// The byte after the string literal starting at `pos`.
fn string_end(b: &[u8], mut pos: usize) -> usize {
    pos += 1;
    while let Some(c) = b.get(pos) {
        match c {
            b'\\' => pos += 2,
            b'"' => return pos + 1,
            _ => pos += 1,
        }
    }
    b.len()
}

/// The byte after the value starting at `pos`.
pub(crate) fn value_end(b: &[u8], pos: usize) -> usize {
    match b.get(pos) {
        Some(b'"') => string_end(b, pos),
        Some(b'[' | b'{') => {
            let mut depth = 0usize;
            let mut i = pos;
            while let Some(c) = b.get(i) {
                match c {
                    b'"' => {
                        i = string_end(b, i);
                        continue;
                    }
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            b.len()
        }
        _ => {
            let mut i = pos;
            while let Some(b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'+' | b'-' | b'.') = b.get(i)
            {
                i += 1;
            }
            i
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_members_and_items() {
        let text = " {\"a\": [1, \"x\\\"]\"], \"b\\u0041\": {}} ";
        let root = root(text);
        assert_eq!(&text[root.start..root.end], text.trim());
        let members = members(text, root);
        assert_eq!(members.len(), 2);
        assert_eq!(members[1].key, "bA");
        let a = members[0].value;
        assert_eq!(&text[a.start..a.end], "[1, \"x\\\"]\"]");
        let items = items(text, a);
        assert_eq!(
            items
                .iter()
                .map(|s| &text[s.start..s.end])
                .collect::<Vec<_>>(),
            ["1", "\"x\\\"]\""]
        );
        assert!(super::items("[]", super::root("[]")).is_empty());
        assert!(super::members("{ }", super::root("{ }")).is_empty());
    }
}
